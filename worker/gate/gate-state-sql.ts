/**
 * How the gate's customer states travel to and from the store. A batch of changes is ONE JSON string that the
 * store parses into typed columns: binding thousands of list values costs more than that, and JSON escapes every
 * byte of an id, so no value (say a wa_id holding a record separator) can shift a field or a record into another
 * one's place. The SQL is one text for DuckDB and Postgres: json_array_elements is Postgres's (a DuckDB macro of
 * the same name, migration 080), times travel as epoch milliseconds in BIGINT.
 */
import type { CustomerState } from './customer-state.js';

export interface StateRow {
  customer_wa_id: string;
  csw_until: string | null;
  referral_until: string | null;
  fep_until: string | null;
  marketing_until: string | null;
  utility_until: string | null;
  authentication_until: string | null;
  service_until: string | null;
}

const TIMES = ['csw', 'ref', 'fep', 'mkt', 'utl', 'auth', 'svc'] as const;
const field = (f: string) => `r.e ->> '${f}'`;

export const APPEND_SQL = `
  INSERT INTO gate_state_log
  SELECT nextval('gate_state_seq'), ${field('p')}, ${field('c')},
         ${TIMES.map((t) => `CAST(${field(t)} AS BIGINT)`).join(', ')}, $now::BIGINT
    FROM json_array_elements($batch::JSON) AS r(e)`;

// Whole seconds through to_timestamp and the milliseconds as an interval: exact, where a fractional second in a
// double could land a microsecond off.
const ts = (col: string) =>
  `to_timestamp(floor(${col} / 1000.0)) + CAST(${col} % 1000 AS INTEGER) * INTERVAL '1 millisecond'`;
const STATE_COLUMNS = [
  'csw_until',
  'referral_until',
  'fep_until',
  'marketing_until',
  'utility_until',
  'authentication_until',
  'service_until',
];
/** Folds the log up to $max into the snapshot (latest seq per customer wins). */
export const COMPACT_SQL = `
  INSERT INTO gate_customer_state
  SELECT DISTINCT ON (phone_number_id, customer_wa_id) phone_number_id, customer_wa_id,
         ${[...STATE_COLUMNS, 'logged_at'].map(ts).join(', ')}
    FROM gate_state_log WHERE seq <= $max::BIGINT
   ORDER BY phone_number_id, customer_wa_id, seq DESC
  ON CONFLICT (phone_number_id, customer_wa_id) DO UPDATE SET
     ${[...STATE_COLUMNS, 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', ')}`;

/** A TIMESTAMPTZ as epoch milliseconds (the stored instants are whole milliseconds, so rounding is exact). */
const epochMs = (col: string) => `CAST(extract(epoch FROM ${col}) * 1000 AS BIGINT)`;

/**
 * The states of one number ($p), or of one customer of it ($c, NULL = all): the snapshot first, then the changes
 * logged since the last compaction, oldest first — in ONE statement, so a compaction running meanwhile cannot make
 * a change appear in neither part.
 */
export const LOAD_SQL = `
  SELECT customer_wa_id, csw_until, referral_until, fep_until, marketing_until, utility_until,
         authentication_until, service_until
    FROM (SELECT -1 AS seq, customer_wa_id, ${STATE_COLUMNS.map((c) => `${epochMs(c)} AS ${c}`).join(', ')}
            FROM gate_customer_state
           WHERE phone_number_id = $p AND ($c::VARCHAR IS NULL OR customer_wa_id = $c::VARCHAR)
          UNION ALL
          SELECT seq, customer_wa_id, csw_until, referral_until, fep_until, marketing_until, utility_until,
                 authentication_until, service_until
            FROM gate_state_log
           WHERE phone_number_id = $p AND ($c::VARCHAR IS NULL OR customer_wa_id = $c::VARCHAR)) s
   ORDER BY seq`;

const ms = (v: string | null): number => (v === null ? 0 : Number(v));
const orNull = (v: number): number | null => (v > 0 ? v : null);

/** Applies one stored row to a state (rows come oldest first, so the last one wins). */
export function applyRow(s: CustomerState, r: StateRow): void {
  s.cswUntil = ms(r.csw_until);
  s.referralUntil = ms(r.referral_until);
  s.fepUntil = ms(r.fep_until);
  s.conv.marketing = ms(r.marketing_until);
  s.conv.utility = ms(r.utility_until);
  s.conv.authentication = ms(r.authentication_until);
  s.conv.service = ms(r.service_until);
}

/** The $batch of APPEND_SQL for these changes. */
export function encodeBatch(
  changes: Iterable<{ phone: string; customer: string; state: CustomerState }>,
): string {
  const out: unknown[] = [];
  for (const { phone, customer, state: s } of changes)
    out.push({
      p: phone,
      c: customer,
      csw: orNull(s.cswUntil),
      ref: orNull(s.referralUntil),
      fep: orNull(s.fepUntil),
      mkt: orNull(s.conv.marketing),
      utl: orNull(s.conv.utility),
      auth: orNull(s.conv.authentication),
      svc: orNull(s.conv.service),
    });
  return JSON.stringify(out);
}

/** The last moment any window of the state is open (0 = none): after it the state decides like an empty one. */
export function openUntil(s: CustomerState): number {
  return Math.max(
    s.cswUntil,
    s.referralUntil,
    s.fepUntil,
    s.conv.marketing,
    s.conv.utility,
    s.conv.authentication,
    s.conv.service,
  );
}
