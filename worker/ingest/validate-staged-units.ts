/**
 * The checks of a billing-unit record (types, enums, ownership, consistency with the WABA). The bulk ingest
 * tests FAST_BAD_SQL while it reads a batch; only a bad batch is staged raw and checked in full with CHECKS, so
 * that the answer names line, column and reason of the first issues.
 */
import type { Queryable } from '../db/db.js';
import { BatchRejectedError, type InputIssue } from '../errors.js';
import { STAGE_TABLE } from './stage-units.js';
import {
  BOOLEAN_COLUMNS,
  DECIMAL_COLUMNS,
  ENUMS,
  REQUIRED_COLUMNS,
  TIMESTAMP_COLUMNS,
} from './unit-columns.js';
import {
  DISPLAY_NUMBER_PATTERN,
  DISPLAY_NUMBER_REASON,
  ID_PATTERN,
  ID_REASON,
  MAX_EPOCH_S,
  MAX_UNIT_MONEY,
  MIN_EPOCH_S,
  TS_PATTERN,
  TS_REASON,
  UNIT_ID_PATTERN,
  UNIT_ID_REASON,
  UNIT_MONEY_PATTERN,
  WA_ID_PATTERN,
  WA_ID_REASON,
} from '../input-rules.js';
import { sqlString } from '../kernel/sql-literal.js';

/** How many issues an answer lists; the total is always given. */
export const ISSUE_CAP = 100;

interface Check {
  readonly column: string;
  readonly reason: string;
  /** SQL that is true for a bad row; s = staged row, w = the caller's WABA, p = the known phone number. */
  readonly bad: string;
}

const list = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;

/**
 * Epoch seconds or an RFC 3339 / ISO timestamp (no zone = UTC) in the accepted range (input-rules.ts) to
 * TIMESTAMPTZ, NULL when neither. A temp macro so that validation and typing read timestamps exactly the same way.
 * The two forms exclude each other (a text the pattern accepts has a '-' after its year, so it is no number);
 * the pattern is tested first because a failed number cast costs more than the match (0.5 s per million).
 */
export const TS_MACRO = `CREATE OR REPLACE TEMP MACRO ingest_ts(x) AS CASE
    WHEN regexp_full_match(x, ${sqlString(TS_PATTERN)}) THEN TRY_CAST(x AS TIMESTAMPTZ)
    WHEN TRY_CAST(x AS DOUBLE) BETWEEN ${MIN_EPOCH_S} AND ${MAX_EPOCH_S} THEN to_timestamp(TRY_CAST(x AS DOUBLE))
  END`;

const MAX_TEMPLATE_NAME = 512;
const DECIMAL_TEXT = sqlString('-?[0-9]+([.][0-9]+)?');

/** The money checks of one column, one reason each; together they refuse exactly what FAST_BAD_SQL does. */
const moneyChecks = (c: string): Check[] => [
  {
    column: c,
    reason: 'must be a decimal number such as 0.0125',
    bad: `s.${c} IS NOT NULL AND (TRY_CAST(s.${c} AS DECIMAL(18, 6)) IS NULL OR NOT regexp_full_match(s.${c}, ${DECIMAL_TEXT}))`,
  },
  {
    column: c,
    reason: 'must not be negative',
    bad: `s.${c} IS NOT NULL AND regexp_full_match(s.${c}, ${sqlString('-[0-9]+([.][0-9]+)?')})`,
  },
  {
    column: c,
    reason: 'has more than 6 decimals (nothing is rounded)',
    bad: `s.${c} IS NOT NULL AND regexp_full_match(s.${c}, ${sqlString('-?[0-9]+[.][0-9]{6}[0-9]*[1-9]0*')})`,
  },
  {
    column: c,
    reason: `must be at most ${MAX_UNIT_MONEY}`,
    bad: `s.${c} IS NOT NULL AND TRY_CAST(s.${c} AS DECIMAL(18, 6)) > ${MAX_UNIT_MONEY}`,
  },
];

const CHECKS: readonly Check[] = [
  ...REQUIRED_COLUMNS.map((c) => ({
    column: c,
    reason: 'required',
    bad: `s.${c} IS NULL OR trim(s.${c}) = ''`,
  })),
  ...Object.entries(ENUMS).map(([c, values]) => ({
    column: c,
    reason: `must be one of ${values.join(', ')}`,
    bad: `s.${c} IS NOT NULL AND NOT list_contains(${list(values)}, s.${c})`,
  })),
  ...BOOLEAN_COLUMNS.map((c) => ({
    column: c,
    reason: 'must be true or false',
    bad: `s.${c} IS NOT NULL AND TRY_CAST(s.${c} AS BOOLEAN) IS NULL`,
  })),
  ...TIMESTAMP_COLUMNS.map((c) => ({
    column: c,
    reason: TS_REASON,
    bad: `s.${c} IS NOT NULL AND ingest_ts(s.${c}) IS NULL`,
  })),
  ...DECIMAL_COLUMNS.flatMap(moneyChecks),
  {
    column: 'unit_id',
    reason: UNIT_ID_REASON,
    bad: `s.unit_id IS NOT NULL AND NOT regexp_full_match(s.unit_id, ${sqlString(UNIT_ID_PATTERN)})`,
  },
  {
    // A number the store knows passed this rule when it was registered (or predates it): only new ones are read.
    column: 'phone_number_id',
    reason: ID_REASON,
    bad: `p.waba_id IS NULL AND s.phone_number_id IS NOT NULL AND NOT regexp_full_match(s.phone_number_id, ${sqlString(ID_PATTERN)})`,
  },
  {
    column: 'display_phone_number',
    reason: DISPLAY_NUMBER_REASON,
    bad: `p.waba_id IS NULL AND s.display_phone_number IS NOT NULL AND NOT regexp_full_match(s.display_phone_number, ${sqlString(DISPLAY_NUMBER_PATTERN)})`,
  },
  {
    column: 'template_name',
    reason: `must be at most ${MAX_TEMPLATE_NAME} characters`,
    bad: `length(s.template_name) > ${MAX_TEMPLATE_NAME}`,
  },
  {
    column: 'tier',
    reason: 'must look like LOWER:UPPER, e.g. 0:750000 or 25000001:MAX',
    bad: `s.tier IS NOT NULL AND NOT regexp_full_match(s.tier, '\\d+:(\\d+|MAX)')`,
  },
  {
    column: 'recipient_wa_id',
    reason: WA_ID_REASON,
    bad: `s.recipient_wa_id IS NOT NULL AND NOT regexp_full_match(s.recipient_wa_id, ${sqlString(`[+]?${WA_ID_PATTERN}`)})`,
  },
  {
    column: 'unit',
    reason: 'must be message under PMP and conversation under CBP',
    bad: `(s.pricing_model = 'PMP' AND s.unit = 'conversation') OR (s.pricing_model = 'CBP' AND s.unit = 'message')`,
  },
  {
    column: 'waba_id',
    reason: 'is not a WABA of this partner',
    bad: `s.waba_id IS NOT NULL AND w.waba_id IS NULL`,
  },
  {
    column: 'waba_timezone',
    reason: "does not match the WABA's time zone",
    bad: `s.waba_timezone IS NOT NULL AND w.waba_id IS NOT NULL AND s.waba_timezone <> w.timezone`,
  },
  {
    column: 'currency',
    reason: "does not match the WABA's currency",
    bad: `s.currency IS NOT NULL AND w.waba_id IS NOT NULL AND s.currency <> w.currency`,
  },
  {
    column: 'phone_number_id',
    reason: 'belongs to another WABA',
    bad: `w.waba_id IS NOT NULL AND p.waba_id IS NOT NULL AND p.waba_id <> s.waba_id`,
  },
  {
    column: 'phone_number_id',
    reason: 'appears under more than one WABA in this batch',
    bad: `w.waba_id IS NOT NULL AND p.waba_id IS NULL AND x.phone_number_id IS NOT NULL`,
  },
];

/**
 * The same checks as one predicate over a typed row (alias t: the typed columns of `units`, the raw text of each
 * typed column as r_<column>, waba_timezone and currency, and looked up: w_timezone and w_currency of its WABA,
 * NULL when the WABA is not the caller's, and p_waba, the WABA of its number when the store knows it), for the
 * bulk ingest to test while it reads. It reuses the casts already made (a value is bad when its text is there
 * and its typed value is not), tests a number with one regular expression (ltrim over a digit set cost 1 s more
 * per million rows than the match), and writes value sets as list_contains (a long IN list becomes a join, and
 * a join would cost the insert its input order); a blank unit_id is left to its pattern. It must flag
 * exactly the rows CHECKS flags, except "appears under more than one WABA in this batch", which settling tests on
 * the landed rows. test/ingest/fast-checks.test.ts holds the two side by side.
 */
export const FAST_BAD_SQL = `(
  t.unit_id IS NULL OR t.phone_number_id IS NULL OR t.phone_number_id = ''
  -- Only a text starting with a space or a non-ASCII character can be all spaces (trim removes Unicode spaces):
  -- the byte-wise comparison spares the trim of every id that starts with a letter or digit.
  OR ((t.phone_number_id < '!' OR t.phone_number_id >= chr(128)) AND trim(t.phone_number_id) = '')
  OR NOT COALESCE(list_contains(${list(ENUMS.pricing_model)}, t.pricing_model), false)
  OR NOT COALESCE(list_contains(${list(ENUMS.unit)}, t.unit), false)
  OR NOT COALESCE(list_contains(${list(ENUMS.category)}, t.category), false)
  OR (t.pricing_type_in IS NOT NULL AND NOT list_contains(${list(ENUMS.pricing_type)}, t.pricing_type_in))
  OR (t.direction IS NOT NULL AND NOT list_contains(${list(ENUMS.direction)}, t.direction))
  OR (t.status_final IS NOT NULL AND NOT list_contains(${list(ENUMS.status_final)}, t.status_final))
  OR (t.source IS NOT NULL AND NOT list_contains(${list(ENUMS.source)}, t.source))
  OR (t.r_billable_reported IS NOT NULL AND t.billable_reported IS NULL)
  OR (t.r_is_template IS NOT NULL AND t.is_template IS NULL)
  OR (t.r_in_csw IS NOT NULL AND t.in_csw IS NULL) OR (t.r_in_fep IS NOT NULL AND t.in_fep IS NULL)
  OR t.opened_at IS NULL OR (t.r_expires_at IS NOT NULL AND t.expires_at IS NULL)
  OR (t.r_ingested_at IS NOT NULL AND ingest_ts(t.r_ingested_at) IS NULL)
  OR (t.r_rate IS NOT NULL AND (t.rate_in IS NULL OR t.rate_in > ${MAX_UNIT_MONEY}
                                OR NOT regexp_full_match(t.r_rate, ${sqlString(UNIT_MONEY_PATTERN)})))
  OR (t.r_cost IS NOT NULL AND (t.cost_in IS NULL OR t.cost_in > ${MAX_UNIT_MONEY}
                                OR NOT regexp_full_match(t.r_cost, ${sqlString(UNIT_MONEY_PATTERN)})))
  OR NOT regexp_full_match(t.unit_id, ${sqlString(UNIT_ID_PATTERN)})
  OR (t.p_i IS NULL AND NOT regexp_full_match(t.phone_number_id, ${sqlString(ID_PATTERN)}))
  OR (t.p_i IS NULL AND t.display_phone_number IS NOT NULL
      AND NOT regexp_full_match(t.display_phone_number, ${sqlString(DISPLAY_NUMBER_PATTERN)}))
  OR length(t.template_name) > ${MAX_TEMPLATE_NAME}
  OR (t.tier_in IS NOT NULL AND NOT regexp_full_match(t.tier_in, '\\d+:(\\d+|MAX)'))
  OR NOT COALESCE(regexp_full_match(t.r_recipient_wa_id, ${sqlString(`[+]?${WA_ID_PATTERN}`)}), false)
  OR (t.pricing_model = 'PMP' AND t.unit = 'conversation') OR (t.pricing_model = 'CBP' AND t.unit = 'message')
  OR t.w_timezone IS NULL
  OR (t.waba_timezone IS NOT NULL AND t.waba_timezone <> t.w_timezone)
  OR (t.currency IS NOT NULL AND t.currency <> t.w_currency)
  OR (t.p_waba IS NOT NULL AND t.p_waba <> t.waba_id))`;

const OWNER_JOINS = (table: string) => `
        LEFT JOIN wabas w ON w.waba_id = s.waba_id AND ($partner IS NULL OR w.partner_id = $partner)
        LEFT JOIN phone_numbers p ON p.phone_number_id = s.phone_number_id
        LEFT JOIN (SELECT phone_number_id FROM ${table} GROUP BY 1 HAVING count(DISTINCT waba_id) > 1) x
          ON x.phone_number_id = s.phone_number_id`;

function validationSql(): string {
  const anyBad = CHECKS.map((c) => `(${c.bad})`).join(' OR ');
  const items = CHECKS.map(
    (c) => `CASE WHEN ${c.bad} THEN {'c': ${sqlString(c.column)}, 'r': ${sqlString(c.reason)}} END`,
  ).join(',\n');
  return `CREATE OR REPLACE TEMP TABLE ingest_issues AS
    SELECT line, e.c AS column_name, e.r AS reason FROM (
      SELECT s.line, unnest(list_filter([${items}], i -> i IS NOT NULL)) AS e
        FROM ${STAGE_TABLE} s ${OWNER_JOINS(STAGE_TABLE)}
       WHERE ${anyBad})`;
}

const SQL = validationSql();

const ANY_BAD_SQL = `SELECT count(*)::INTEGER AS n FROM ${STAGE_TABLE} s ${OWNER_JOINS(STAGE_TABLE)}
  WHERE ${CHECKS.map((c) => `(${c.bad})`).join(' OR ')}`;

/**
 * Whether no staged row fails a check: the same checks as validateStagedUnits, without naming the issues (about
 * half the planning of a small batch); a batch that is not clean then goes through validateStagedUnits.
 */
export async function stagedUnitsAreClean(tx: Queryable, partnerId: string | null): Promise<boolean> {
  await tx.run(TS_MACRO);
  const [r] = await tx.all<{ n: number }>(ANY_BAD_SQL, { partner: partnerId });
  return (r?.n ?? 0) === 0;
}

/** Throws BatchRejectedError listing the first ISSUE_CAP issues (and their total) if any staged row is bad. */
export async function validateStagedUnits(tx: Queryable, partnerId: string | null): Promise<void> {
  await tx.run(TS_MACRO);
  await tx.run(SQL, { partner: partnerId });
  const [count] = await tx.all<{ n: number; rows: number }>(
    'SELECT count(*)::INTEGER AS n, count(DISTINCT line)::INTEGER AS rows FROM ingest_issues',
  );
  if (!count || count.n === 0) return;
  const issues = await tx.all<{ line: number; column_name: string; reason: string }>(
    `SELECT line::INTEGER AS line, column_name, reason FROM ingest_issues ORDER BY line, column_name LIMIT ${ISSUE_CAP}`,
  );
  throw new BatchRejectedError(
    `${count.rows} row(s) are invalid (${count.n} issue(s)); the whole batch was rejected and nothing was written.`,
    issues.map((i): InputIssue => ({ line: i.line, column: i.column_name, reason: i.reason })),
    { total_issues: count.n, bad_rows: count.rows, issues_listed: issues.length },
  );
}
