/**
 * The law of free and paid (DOMAIN.md §9.4) as set-based UPDATEs over whole (WABA, local month) sets. Each pass
 * is row-wise (cheap in DuckDB) except the free-tier ranking, which touches only R1/R2 candidates.
 *
 * Choices, where the domain text leaves room (documented in the README):
 * - Regime family comes from the record's pricing_model (NBP → R0, PMP → R4, CBP → R1/R2/R3 by local date);
 *   the local date picks the CBP generation. A record is one unit under exactly one model, so a conversation
 *   that straddles the PMP switch (§10.4) is counted once, as the CBP conversation it was opened as.
 * - pricing_type names: regular | free_tier | free_entry_point | free_customer_service | not_delivered.
 *   R3 free service and PMP free non-template / utility-in-CSW are `free_customer_service`; NBP units reported
 *   non-billable are `free_customer_service` too (NBP charged template notifications only).
 * - Failed units and units still only sent (status_final = 'failed' | 'sent') are `not_delivered`: charged at
 *   delivery (§10.3), not counted at all, and take no free-tier slot; a later delivered record counts them.
 * - Groups API categories (group_marketing | group_utility | group_service) follow their one-to-one category;
 *   pricing gives them its rate and keeps them out of volume tiers.
 * - Under CBP the reported pricing_type is trusted only for free_entry_point: `billable` is true for free-tier
 *   conversations (§2.4), so the free tier is always computed here.
 * - R5 (from 2026-10-01 local): every delivered message outside a free entry point is paid, service replies
 *   and utility inside the service window included; the free allowance then frees the first service messages.
 *   Meta Business Agent replies (business_agent) are paid in R4 and R5 and priced from the record's cost.
 * - Free allowances are data per regime (data/regimes/regimes.json, worker/usage/regimes.ts): R1 every
 *   category, R2 service, both per WABA; R5 service per phone number. Eligible units (counted, not FEP) are
 *   ranked by opened_at (delivery time under PMP) then unit_id, across the allowance's scope in the month.
 */
import type { Queryable } from '../db/db.js';
import { ALLOWANCE_REGIMES, allowanceGroups, REGIME_FROM } from '../kernel/regime-calendar.js';
import { SCOPE_ROWS, scopeParams, scopeRange, type WabaMonth } from '../kernel/waba-month.js';
import { sqlStringList } from '../kernel/sql-literal.js';

// Scope test as a semi-join, never `UPDATE … FROM scope WHERE scope.month = units.local_month`: inside the
// ingest transaction local_month was itself just written (bucketing) on rows appended in that transaction, and
// DuckDB 1.5 runs an UPDATE joined on such a column 15–20× slower than the same filter as an IN list
// (test/bench/core-update-join.ts). The constant range still prunes row groups.
const IN_SCOPE = (alias: string) =>
  `(${alias}.waba_id, ${alias}.local_month) IN (SELECT waba_id, month FROM (${SCOPE_ROWS})) AND ${scopeRange(alias)}`;

// The regime needs the WABA's PMP switch date, looked up in the bound lists $pmp_wabas/$pmp_froms rather than
// joined: every UPDATE … FROM here, even on waba_id, cost 21 s of 22 at 1 M units inside the ingest transaction.
const PMP_FROM = `CAST(list_extract($pmp_froms, list_position($pmp_wabas, units.waba_id)) AS DATE)`;

/**
 * The regime of a unit (alias `u`, with local_day) whose WABA switches to PMP on `pmpFrom` (an SQL DATE
 * expression). Shared by these UPDATEs and by the bulk ingest, which derives it while reading a batch.
 */
const R1 = `DATE '${REGIME_FROM.R1}'`;
const R2 = `DATE '${REGIME_FROM.R2}'`;
const R3 = `DATE '${REGIME_FROM.R3}'`;
const R5 = `DATE '${REGIME_FROM.R5}'`;

export const regimeSql = (u: string, pmpFrom: string): string => `CASE
    WHEN ${u}.pricing_model = 'NBP' THEN 'R0'
    WHEN ${u}.pricing_model = 'PMP' THEN CASE WHEN ${u}.local_day >= ${R5} THEN 'R5' ELSE 'R4' END
    WHEN ${u}.pricing_model = 'CBP' THEN CASE
      WHEN ${u}.local_day >= ${R3} THEN 'R3'
      WHEN ${u}.local_day >= ${R2} THEN 'R2'
      ELSE 'R1' END
    WHEN ${u}.local_day < ${R1} THEN 'R0'
    WHEN ${u}.local_day < ${R2} THEN 'R1'
    WHEN ${u}.local_day < ${R3} THEN 'R2'
    WHEN ${u}.local_day < ${pmpFrom} THEN 'R3'
    WHEN ${u}.local_day < ${R5} THEN 'R4'
    ELSE 'R5' END`;

/**
 * The pricing type of a unit (alias `u`, with regime) before the free-tier ranking: free-tier candidates are
 * 'regular' here, and rankFreeTier then frees the first 1,000 of them.
 */
export const pricingTypeSql = (u: string): string => {
  const cbpFep = `COALESCE(${u}.category = 'referral_conversion' OR ${u}.billable_reported = false
    OR ${u}.pricing_type_in = 'free_entry_point' OR ${u}.in_fep, false)`;
  const fep = `COALESCE(${u}.in_fep, false) OR ${u}.category = 'referral_conversion'`;
  return `CASE
    WHEN COALESCE(CAST(${u}.status_final AS VARCHAR), '') IN ('failed', 'sent') THEN 'not_delivered'
    WHEN ${u}.category = 'business_agent' AND ${u}.regime IN ('R4', 'R5') THEN 'regular'
    WHEN ${u}.regime = 'R5' THEN CASE
      WHEN ${u}.pricing_type_in = 'free_entry_point' OR ${fep} THEN 'free_entry_point'
      ELSE 'regular' END
    WHEN ${u}.regime = 'R0' THEN
      CASE WHEN ${u}.billable_reported = false THEN 'free_customer_service' ELSE 'regular' END
    WHEN ${u}.regime = 'R4' THEN CASE
      WHEN ${u}.pricing_type_in IN ('regular', 'free_entry_point', 'free_customer_service')
        THEN CAST(${u}.pricing_type_in AS VARCHAR)
      WHEN ${u}.pricing_type_in IS NOT NULL THEN 'free_customer_service'
      WHEN ${fep} THEN 'free_entry_point'
      WHEN ${u}.is_template = false OR ${u}.category IN ('service', 'group_service') THEN 'free_customer_service'
      WHEN ${u}.category IN ('utility', 'group_utility') AND COALESCE(${u}.in_csw, false) THEN 'free_customer_service'
      ELSE 'regular' END
    WHEN ${cbpFep} THEN 'free_entry_point'
    WHEN ${u}.regime = 'R3' AND ${u}.category IN ('service', 'user_initiated') THEN 'free_customer_service'
    ELSE 'regular' END`;
};

/** SQL true for a unit (alias `u`) that competes for a free allowance of its regime. */
export const freeTierCandidateSql = (u: string): string =>
  `(${ALLOWANCE_REGIMES.map((r) =>
    r.free_allowance.categories === null
      ? `${u}.regime = '${r.regime}'`
      : `(${u}.regime = '${r.regime}' AND ${u}.category IN (${sqlStringList(r.free_allowance.categories)}))`,
  ).join(' OR ')})`;

/** The allowance's partition: the WABA month, and the phone number where the allowance is per number. */
const allowancePartition = (u: string): string => {
  const perNumber = ALLOWANCE_REGIMES.filter((r) => r.free_allowance.per === 'phone_number').map(
    (r) => r.regime,
  );
  const phone = perNumber.length
    ? `, CASE WHEN ${u}.regime IN (${sqlStringList(perNumber)}) THEN ${u}.phone_number_id END`
    : '';
  return `${u}.waba_id, ${u}.local_month, ${u}.regime${phone}`;
};

/** SQL: the number of units the allowance of the unit's regime frees. */
const allowanceSizeSql = (u: string): string =>
  `CASE ${u}.regime ${ALLOWANCE_REGIMES.map((r) => `WHEN '${r.regime}' THEN ${r.free_allowance.units}`).join(' ')} ELSE 0 END`;

/** SQL (alias `u`): true while a candidate's rank is inside its allowance. */
const inAllowanceSql = (u: string): string =>
  `row_number() OVER (PARTITION BY ${allowancePartition(u)} ORDER BY ${u}.opened_at, ${u}.unit_id)
     <= ${allowanceSizeSql(u)}`;

const REGIME = regimeSql('units', PMP_FROM);
const PRICING_TYPE = pricingTypeSql('units');

// Three row-wise passes (regime, then pricing type, then flags): each reads columns the previous one wrote.
// Measured on 5 M units this beats one pass with the expressions repeated inline, and beats computing a
// derived table and joining it back (test/bench/usage-probe.ts).
const SET_REGIME = `UPDATE units SET regime = ${REGIME} WHERE ${IN_SCOPE('units')}`;
const SET_PRICING_TYPE = `UPDATE units SET pricing_type = ${PRICING_TYPE} WHERE ${IN_SCOPE('units')}`;
const SET_FLAGS = `
UPDATE units SET is_counted = units.pricing_type <> 'not_delivered',
                 is_free = units.pricing_type NOT IN ('regular', 'not_delivered'),
                 is_paid = units.pricing_type = 'regular'
 WHERE ${IN_SCOPE('units')}`;

// rowid is stable inside the transaction and joins far faster than the VARCHAR unit_id.
const RANK_FREE_TIER = `
UPDATE units SET pricing_type = 'free_tier', is_free = true, is_paid = false
  FROM (
    SELECT rid FROM (
      SELECT u.rowid AS rid, ${inAllowanceSql('u')} AS free
        FROM units u
       WHERE u.pricing_type = 'regular' AND ${IN_SCOPE('u')} AND ${freeTierCandidateSql('u')})
     WHERE free) f
 WHERE units.rowid = f.rid`;

/** Writes regime, pricing_type and is_counted/is_free/is_paid for every unit of the scope. */
export async function classifyUnits(tx: Queryable, scope: readonly WabaMonth[]): Promise<void> {
  if (scope.length === 0) return;
  const params = scopeParams(scope);
  // The WABAs' PMP switch dates travel as two bound lists (a few rows), so the regime pass joins nothing.
  const switches = await tx.all<{ waba_id: string; pmp_from: string }>(
    `SELECT waba_id, strftime(pmp_from, '%Y-%m-%d') AS pmp_from FROM wabas WHERE waba_id IN (SELECT unnest($wabas))`,
    { wabas: [...new Set(scope.map((s) => s.waba_id))] },
  );
  await tx.run(SET_REGIME, {
    ...params,
    pmp_wabas: switches.map((w) => w.waba_id),
    pmp_froms: switches.map((w) => w.pmp_from),
  });
  await tx.run(SET_PRICING_TYPE, params);
  await tx.run(SET_FLAGS, params);
  for (const ranked of allowanceGroups(scope)) await tx.run(RANK_FREE_TIER, scopeParams(ranked));
}

/**
 * Re-ranks the free tier of whole WABA months whose units were derived elsewhere (the bulk ingest lands new units
 * as 'regular' candidates): only units whose side of the first 1,000 changed are written. A unit freed here
 * loses its price; one that is paid again comes back 'regular' unpriced, and its months are returned for
 * priceUnits.
 */
export async function rankFreeTier(tx: Queryable, scope: readonly WabaMonth[]): Promise<WabaMonth[]> {
  const groups = allowanceGroups(scope);
  if (groups.length === 0) return [];
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE free_tier_moves (rid BIGINT, waba_id VARCHAR, local_month DATE, want_free BOOLEAN)',
  );
  for (const ranked of groups)
    await tx.run(
      `INSERT INTO free_tier_moves
       SELECT rid, waba_id, local_month, want_free FROM (
         SELECT u.rowid AS rid, u.waba_id, u.local_month, u.pricing_type = 'free_tier' AS is_free_tier,
                ${inAllowanceSql('u')} AS want_free
           FROM units u
          WHERE u.pricing_type IN ('regular', 'free_tier') AND ${IN_SCOPE('u')} AND ${freeTierCandidateSql('u')})
        WHERE is_free_tier <> want_free`,
      scopeParams(ranked),
    );
  await tx.run(
    `UPDATE units SET pricing_type = 'free_tier', is_free = true, is_paid = false,
                      rate = NULL, amount = NULL, rate_card_id = NULL, tier = NULL
      WHERE rowid IN (SELECT rid FROM free_tier_moves WHERE want_free)`,
  );
  const back = await tx.all<WabaMonth>(
    `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month FROM free_tier_moves WHERE NOT want_free`,
  );
  if (back.length > 0)
    await tx.run(
      `UPDATE units SET pricing_type = 'regular', is_free = false, is_paid = true
        WHERE rowid IN (SELECT rid FROM free_tier_moves WHERE NOT want_free)`,
    );
  await tx.run('DROP TABLE free_tier_moves');
  return back;
}
