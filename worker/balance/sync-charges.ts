/**
 * Posts usage charges to the ledger (team contract, called at the end of refreshDerived in the same
 * transaction). Per phone number and WABA-local day, the target is Σ usage_daily.amount (paid units) from the
 * day the number's prepaid account starts (account-start.ts; before it, and while it has no start, the target
 * is 0: a customer's history does not debit a new account); what is posted is the sum of that day's
 * charge/adjustment rows. Only the difference is appended — a first posting as `charge`, later ones (late
 * events, re-pricing, units moving out, a start moved) as `adjustment` — so re-running posts nothing and
 * nothing is ever charged twice.
 * Usage can only ever cost money: a rollup row with a negative amount (which validation at the edge keeps
 * out) counts as zero, so a day's postings never sum to a credit and a `charge` row only debits; rows the
 * limits cannot hold are refused (409) rather than overflowing.
 */
import type { Queryable } from '../db/db.js';
import { LimitExceededError } from '../errors.js';
import { accountStartsSql } from './account-start.js';
import { MAX_MOVEMENT } from './limits.js';
import { afterLedgerChange } from '../funding/after-ledger-change.js';
import { defaultFundingContext, type FundingContext } from '../funding/context.js';
import type { WabaMonth } from '../kernel/waba-month.js';

// One set-based pass over the whole scope: the (number, month) pairs are the WABA's numbers plus any number
// with usage in that WABA-month (a number that moved keeps its old usage).
const DIFF_SQL = `
WITH scope AS (
  SELECT unnest($wabas) AS waba_id, CAST(unnest($months) AS DATE) AS month
), pm AS (
  SELECT p.phone_number_id, s.month FROM phone_numbers p JOIN scope s ON p.waba_id = s.waba_id
  UNION
  SELECT u.phone_number_id, s.month FROM usage_daily u JOIN scope s ON u.waba_id = s.waba_id AND u.local_month = s.month
), starts AS (${accountStartsSql('SELECT phone_number_id FROM pm')}
), target AS (
  SELECT u.phone_number_id, u.local_day, SUM(GREATEST(u.amount, 0)) AS amt
    FROM usage_daily u JOIN pm ON u.phone_number_id = pm.phone_number_id
     AND u.local_day >= pm.month AND u.local_day < CAST(pm.month + INTERVAL 1 MONTH AS DATE)
    JOIN starts st ON st.phone_number_id = u.phone_number_id AND u.local_day >= st.starts_on
   GROUP BY ALL
), posted AS (
  SELECT l.phone_number_id, l.local_day, -SUM(l.amount) AS amt, count(*) AS n
    FROM ledger_movements l JOIN pm ON l.phone_number_id = pm.phone_number_id
     AND l.local_day >= pm.month AND l.local_day < CAST(pm.month + INTERVAL 1 MONTH AS DATE)
   WHERE l.local_day IS NOT NULL
   GROUP BY ALL
)
SELECT COALESCE(t.phone_number_id, p.phone_number_id) AS phone_number_id,
       COALESCE(t.local_day, p.local_day) AS local_day,
       CAST(COALESCE(t.amt, 0) - COALESCE(p.amt, 0) AS DECIMAL(38, 6)) AS diff,
       COALESCE(p.n, 0) AS n
  FROM target t FULL OUTER JOIN posted p USING (phone_number_id, local_day)
 WHERE COALESCE(t.amt, 0) <> COALESCE(p.amt, 0)`;

/** Brings the ledger's usage charges in line with usage_daily for the scope; returns the numbers touched. */
export async function syncLedgerCharges(
  tx: Queryable,
  scope: readonly WabaMonth[],
  ctx: FundingContext = defaultFundingContext(),
): Promise<string[]> {
  const touched = new Set<string>();
  if (scope.length === 0) return [];
  const now = ctx.now().toISOString();
  const params = { wabas: scope.map((s) => s.waba_id), months: scope.map((s) => s.month) };
  await tx.run(`CREATE OR REPLACE TEMP TABLE ledger_sync_diff AS ${DIFF_SQL}`, params);
  const changed = await tx.all<{ phone_number_id: string }>(
    'SELECT DISTINCT phone_number_id FROM ledger_sync_diff ORDER BY phone_number_id',
  );
  if (changed.length > 0) await checkDiffs(tx);
  if (changed.length > 0) {
    await tx.run(
      `INSERT INTO ledger_movements (movement_id, seq, phone_number_id, kind, amount, affects_balance, currency,
          status, requested_at, available_at, settled_at, local_day, topup_id, ref, note)
       SELECT 'mv_' || uuid()::VARCHAR, nextval('ledger_seq'), d.phone_number_id,
              CASE WHEN d.n = 0 THEN 'charge' ELSE 'adjustment' END, -d.diff, true,
              COALESCE(w.currency, 'USD'), 'settled', $now::TIMESTAMPTZ, $now::TIMESTAMPTZ, $now::TIMESTAMPTZ,
              d.local_day, NULL, 'usage:' || strftime(d.local_day, '%Y-%m-%d'),
              CASE WHEN d.n = 0 THEN 'usage charges of the day' ELSE 'late usage or re-pricing' END
         FROM ledger_sync_diff d
         LEFT JOIN phone_numbers p USING (phone_number_id) LEFT JOIN wabas w ON w.waba_id = p.waba_id
        ORDER BY d.phone_number_id, d.local_day`,
      { now },
    );
  }
  await tx.run('DROP TABLE IF EXISTS ledger_sync_diff');
  for (const r of changed) touched.add(r.phone_number_id);
  for (const p of [...touched].sort()) await afterLedgerChange(tx, p, ctx);
  return [...touched].sort();
}

/** The door's checks on what is about to be posted: a first posting only debits, and every row fits the limit. */
async function checkDiffs(tx: Queryable): Promise<void> {
  const bad = await tx.all<{ phone_number_id: string; local_day: string; diff: string; credit: boolean }>(
    `SELECT phone_number_id, strftime(local_day, '%Y-%m-%d') AS local_day, diff::VARCHAR AS diff,
            n = 0 AND diff <= 0 AS credit
       FROM ledger_sync_diff WHERE (n = 0 AND diff <= 0) OR abs(diff) > CAST($max AS DECIMAL(38, 6))
      ORDER BY phone_number_id, local_day LIMIT 1`,
    { max: MAX_MOVEMENT },
  );
  const b = bad[0];
  if (!b) return;
  if (b.credit) throw new RangeError(`a usage charge would credit ${b.phone_number_id} on ${b.local_day}`);
  throw new LimitExceededError(
    `The usage charges of ${b.phone_number_id} on ${b.local_day} (${b.diff}) are beyond the ledger's limit of ${MAX_MOVEMENT} per day.`,
    { phone_number_id: b.phone_number_id, local_day: b.local_day, limit: MAX_MOVEMENT },
  );
}
