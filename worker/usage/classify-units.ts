/**
 * The law of free and paid (DOMAIN.md §9.4) as one set-based UPDATE over whole (WABA, local month) sets.
 *
 * Choices, where the domain text leaves room (documented in the README):
 * - Regime family comes from the record's pricing_model (NBP → R0, PMP → R4, CBP → R1/R2/R3 by local date);
 *   the local date picks the CBP generation. A record is one unit under exactly one model, so a conversation
 *   that straddles the PMP switch (§10.4) is counted once, as the CBP conversation it was opened as.
 * - pricing_type names: regular | free_tier | free_entry_point | free_customer_service | not_delivered.
 *   R3 free service and PMP free non-template / utility-in-CSW are `free_customer_service`; NBP units reported
 *   non-billable are `free_customer_service` too (NBP charged template notifications only).
 * - Failed units (status_final = 'failed') are `not_delivered`, not counted at all, and take no free-tier slot.
 * - Under CBP the reported pricing_type is trusted only for free_entry_point: `billable` is true for free-tier
 *   conversations (§2.4), so the free tier is always computed here.
 * - Free-tier rank: eligible units (counted, not FEP; R2: service, R1: any category) ordered by opened_at then
 *   unit_id across all numbers of the WABA in the month.
 */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from './scope.js';
import { SCOPE_ROWS, scopeParams } from './scope-params.js';

export const FREE_TIER_SIZE = 1000;

const CLASSIFY_SQL = `
WITH scope AS (${SCOPE_ROWS}),
base AS (
  SELECT u.unit_id, u.waba_id, u.local_month, u.local_day, u.opened_at, u.category, u.pricing_type_in,
         u.is_template, u.in_csw, u.in_fep, u.billable_reported,
         COALESCE(u.status_final, '') = 'failed' AS failed,
         CASE
           WHEN u.pricing_model = 'NBP' THEN 'R0'
           WHEN u.pricing_model = 'PMP' THEN 'R4'
           WHEN u.pricing_model = 'CBP' THEN CASE
             WHEN u.local_day >= DATE '2024-11-01' THEN 'R3'
             WHEN u.local_day >= DATE '2023-06-01' THEN 'R2'
             ELSE 'R1' END
           -- A model we do not know: the local date alone decides.
           WHEN u.local_day < DATE '2022-02-01' THEN 'R0'
           WHEN u.local_day < DATE '2023-06-01' THEN 'R1'
           WHEN u.local_day < DATE '2024-11-01' THEN 'R2'
           WHEN u.local_day < w.pmp_from THEN 'R3'
           ELSE 'R4'
         END AS regime,
         COALESCE(u.category = 'referral_conversion' OR u.billable_reported = false
           OR u.pricing_type_in = 'free_entry_point' OR u.in_fep, false) AS cbp_fep
    FROM units u
    JOIN wabas w ON w.waba_id = u.waba_id
    JOIN scope s ON s.waba_id = u.waba_id AND s.month = u.local_month
),
eligible AS (
  SELECT *,
         (NOT failed AND NOT cbp_fep AND (
            regime = 'R1' OR (regime = 'R2' AND category IN ('service', 'user_initiated')))) AS tier_eligible
    FROM base
),
ranked AS (
  SELECT *,
         CASE WHEN tier_eligible THEN row_number() OVER (
           PARTITION BY waba_id, local_month, regime, tier_eligible ORDER BY opened_at, unit_id) END AS tier_rank
    FROM eligible
),
decided AS (
  SELECT unit_id, regime, failed,
    CASE
      WHEN failed THEN 'not_delivered'
      WHEN regime = 'R0' THEN CASE WHEN billable_reported = false THEN 'free_customer_service' ELSE 'regular' END
      WHEN regime = 'R4' THEN CASE
        WHEN pricing_type_in IN ('regular', 'free_entry_point', 'free_customer_service') THEN pricing_type_in
        WHEN pricing_type_in LIKE 'free%' THEN 'free_customer_service'
        WHEN pricing_type_in IS NOT NULL AND pricing_type_in <> '' THEN 'regular'
        WHEN COALESCE(in_fep, false) OR category = 'referral_conversion' THEN 'free_entry_point'
        WHEN is_template = false OR category = 'service' THEN 'free_customer_service'
        WHEN category = 'utility' AND COALESCE(in_csw, false) THEN 'free_customer_service'
        ELSE 'regular' END
      WHEN cbp_fep THEN 'free_entry_point'
      WHEN regime = 'R3' AND category IN ('service', 'user_initiated') THEN 'free_customer_service'
      WHEN tier_rank <= ${FREE_TIER_SIZE} THEN 'free_tier'
      ELSE 'regular'
    END AS pricing_type
  FROM ranked
)
UPDATE units SET
    regime = d.regime,
    pricing_type = d.pricing_type,
    is_counted = NOT d.failed,
    is_free = NOT d.failed AND d.pricing_type <> 'regular',
    is_paid = NOT d.failed AND d.pricing_type = 'regular'
  FROM decided d
 WHERE units.unit_id = d.unit_id`;

/** Writes regime, pricing_type and is_counted/is_free/is_paid for every unit of the scope. */
export async function classifyUnits(tx: Queryable, scope: readonly WabaMonth[]): Promise<void> {
  if (scope.length === 0) return;
  await tx.run(CLASSIFY_SQL, scopeParams(scope));
}
