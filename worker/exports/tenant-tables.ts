/**
 * The tables an analyst gets of its own data, as SELECTs over the store: raw billing units, ledger movements, the
 * daily and monthly rollups and the charges in them. Each is filtered by the bound list of phone numbers the caller
 * may see ($phones) and a bound range of WABA-local days ($from_day … $to_day, inclusive), so the same text serves
 * the raw exports, the lake and the read-only SQL sandbox. Every column has one fixed type: enums are plain text,
 * money DECIMAL(18,6), days DATE, instants TIMESTAMPTZ, counts BIGINT. With the money plane in a store of its own
 * the ledger comes bound as JSON text (money-ledger.ts) and is unpacked into the same columns. The rollup tables
 * read the rollups this replica answers usage from (usage/rollup-tables.ts: its own, or the copy of what the usage
 * source published, which holds the same rows), in a fixed order, so a file written from either is the same file.
 */
import type { SqlParams } from '../db/db.js';
import { OWN_ROLLUPS, type RollupTables } from '../usage/rollup-tables.js';

export const TENANT_TABLES = [
  'units',
  'ledger',
  'usage_daily',
  'usage_monthly',
  'charges',
  'phone_numbers',
] as const;
export type TenantTable = (typeof TENANT_TABLES)[number];

/** The tables only the units answer: the usage source's alone (ledger/usage-view.ts). */
export const UNIT_TABLES: readonly TenantTable[] = ['units'];

const IN_SCOPE = `phone_number_id IN (SELECT unnest($phones))`;
const IN_DAYS = `BETWEEN CAST($from_day AS DATE) AND CAST($to_day AS DATE)`;

const selects = (r: RollupTables): Record<TenantTable, string> => ({
  units: `
    SELECT u.unit_id, u.waba_id, u.phone_number_id, CAST(u.pricing_model AS VARCHAR) AS pricing_model,
           CAST(u.unit AS VARCHAR) AS unit, CAST(u.category AS VARCHAR) AS category,
           CAST(u.direction AS VARCHAR) AS direction, u.recipient_wa_id, u.recipient_country, u.market,
           u.template_name, u.is_template, u.in_csw, u.in_fep, CAST(u.status_final AS VARCHAR) AS status_final,
           u.opened_at, u.local_day, u.local_month, CAST(u.regime AS VARCHAR) AS regime,
           CAST(u.pricing_type AS VARCHAR) AS pricing_type, u.is_counted, u.is_free, u.is_paid,
           CAST(u.rate AS DECIMAL(18, 6)) AS rate, CAST(u.amount AS DECIMAL(18, 6)) AS amount, w.currency,
           u.rate_card_id, u.tier, CAST(u.source AS VARCHAR) AS source, u.ingested_at
      FROM units u JOIN wabas w USING (waba_id)
     WHERE u.${IN_SCOPE} AND u.local_day ${IN_DAYS}`,
  ledger: `
    SELECT l.movement_id, l.seq, l.phone_number_id, p.waba_id, l.kind, CAST(l.amount AS DECIMAL(18, 6)) AS amount,
           l.affects_balance, l.currency, l.status, l.requested_at, l.available_at, l.settled_at,
           CAST(timezone(w.timezone, l.requested_at) AS DATE) AS local_date, l.local_day, l.topup_id, l.ref, l.note
      FROM ledger_movements l JOIN phone_numbers p USING (phone_number_id) JOIN wabas w ON w.waba_id = p.waba_id
     WHERE l.${IN_SCOPE} AND CAST(timezone(w.timezone, l.requested_at) AS DATE) ${IN_DAYS}`,
  // Rows in the order of their keys (the keys of a rollup row are unique), so both sets write the same bytes.
  usage_daily: `
    SELECT waba_id, phone_number_id, local_day, local_month, category, country, market, pricing_type, unit,
           currency, n_all, n_free, n_paid, n_unpriced, CAST(amount AS DECIMAL(18, 6)) AS amount
      FROM ${r.daily} WHERE ${IN_SCOPE} AND local_day ${IN_DAYS}
     ORDER BY waba_id, phone_number_id, local_day, category, country, market, pricing_type, unit, currency`,
  usage_monthly: `
    SELECT waba_id, phone_number_id, local_month, category, country, market, pricing_type, unit, currency,
           n_all, n_free, n_paid, n_unpriced, CAST(amount AS DECIMAL(18, 6)) AS amount
      FROM ${r.monthly}
     WHERE ${IN_SCOPE} AND local_month BETWEEN date_trunc('month', CAST($from_day AS DATE))
                                          AND date_trunc('month', CAST($to_day AS DATE))
     ORDER BY waba_id, phone_number_id, local_month, category, country, market, pricing_type, unit, currency`,
  charges: `
    SELECT waba_id, phone_number_id, local_day, local_month, category, country, market, unit, currency,
           CAST(sum(n_paid) AS BIGINT) AS paid, CAST(sum(n_unpriced) AS BIGINT) AS unpriced,
           -- Paid units nothing priced are counted in unpriced; a row of only those has no amount, not 0.
           CASE WHEN sum(n_unpriced) = sum(n_paid) THEN NULL ELSE CAST(sum(amount) AS DECIMAL(18, 6)) END AS amount
      FROM ${r.daily} WHERE ${IN_SCOPE} AND local_day ${IN_DAYS} AND n_paid > 0
     GROUP BY ALL
     ORDER BY waba_id, phone_number_id, local_day, category, country, market, unit, currency`,
  phone_numbers: `
    SELECT p.phone_number_id, p.waba_id, p.display_phone_number, p.label, w.name AS waba_name, w.timezone,
           w.currency
      FROM phone_numbers p JOIN wabas w USING (waba_id) WHERE p.${IN_SCOPE}`,
});

const OWN_SELECTS = selects(OWN_ROLLUPS);

const LEDGER_SHAPE = JSON.stringify([
  Object.fromEntries(
    [
      'movement_id',
      'seq',
      'phone_number_id',
      'waba_id',
      'kind',
      'amount',
      'currency',
      'status',
      'requested_at',
      'available_at',
      'settled_at',
      'local_date',
      'local_day',
      'topup_id',
      'ref',
      'note',
    ]
      .map((c) => [c, 'VARCHAR'])
      .concat([['affects_balance', 'BOOLEAN']]),
  ),
]);

// The money plane's rows (moneyLedgerRows), typed as the ledger SELECT above types the DuckDB file's own.
const LEDGER_FROM_JSON = `
    SELECT r.movement_id, CAST(r.seq AS BIGINT) AS seq, r.phone_number_id, r.waba_id, r.kind,
           CAST(r.amount AS DECIMAL(18, 6)) AS amount, r.affects_balance, r.currency, r.status,
           CAST(r.requested_at AS TIMESTAMPTZ) AS requested_at, CAST(r.available_at AS TIMESTAMPTZ) AS available_at,
           CAST(r.settled_at AS TIMESTAMPTZ) AS settled_at, CAST(r.local_date AS DATE) AS local_date,
           CAST(r.local_day AS DATE) AS local_day, r.topup_id, r.ref, r.note
      FROM (SELECT unnest(from_json($ledger_rows, '${LEDGER_SHAPE}')) AS r)
     WHERE r.${IN_SCOPE} AND CAST(r.local_date AS DATE) ${IN_DAYS}`;

/** The SELECT of one tenant table and its bound parameters. */
export function tenantTableQuery(
  table: TenantTable,
  scope: {
    readonly phoneNumberIds: readonly string[];
    readonly fromDay: string;
    readonly toDay: string;
    /** The ledger read on the money plane (money-ledger.ts); absent = the store's own ledger_movements. */
    readonly ledgerRows?: string;
    /** The rollups the rollup tables read; absent = the store's own. */
    readonly rollups?: RollupTables;
  },
): { sql: string; params: SqlParams } {
  const params: SqlParams =
    table === 'phone_numbers'
      ? { phones: [...scope.phoneNumberIds] }
      : { phones: [...scope.phoneNumberIds], from_day: scope.fromDay, to_day: scope.toDay };
  if (table === 'ledger' && scope.ledgerRows !== undefined)
    return { sql: LEDGER_FROM_JSON, params: { ...params, ledger_rows: scope.ledgerRows } };
  const sql = scope.rollups ? selects(scope.rollups)[table] : OWN_SELECTS[table];
  return { sql, params };
}
