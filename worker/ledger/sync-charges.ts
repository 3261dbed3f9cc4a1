/**
 * Posts usage charges to the ledger (the ledger-sync step of a recompute, in the same transaction). Per phone
 * number and WABA-local day, the target is Σ usage_daily.amount (paid units) from the day the number's prepaid
 * account starts (account-start.ts; before it, and while it has no start, the target
 * is 0: a customer's history does not debit a new account); what is posted is the sum of that day's
 * charge/adjustment rows. Only the difference is appended — a first posting as `charge`, later ones (late
 * events, re-pricing, units moving out, a start moved) as `adjustment` — so re-running posts nothing and
 * nothing is ever charged twice.
 * Usage can only ever cost money: a rollup row with a negative amount (which validation at the edge keeps
 * out) counts as zero, so a day's postings never sum to a credit and a `charge` row only debits; rows the
 * limits cannot hold are refused (409) rather than overflowing.
 */
import type { Queryable } from '../db/db.js';
import type { WabaMonth } from '../kernel/waba-month.js';
import { accountStartsSql } from './account-start.js';
import { postUsageDiffs } from './ledger.js';

// One set-based pass over the whole scope: the (number, month) pairs are the WABA's numbers plus every number
// with usage in that WABA-month (a number that moved keeps its old usage).
const DIFF_SQL = `
WITH scope AS (
  SELECT unnest($wabas::VARCHAR[]) AS waba_id, CAST(unnest($months::VARCHAR[]) AS DATE) AS month
), pm AS (
  SELECT p.phone_number_id, s.month FROM phone_numbers p JOIN scope s ON p.waba_id = s.waba_id
  UNION
  SELECT u.phone_number_id, s.month FROM usage_daily u JOIN scope s ON u.waba_id = s.waba_id AND u.local_month = s.month
), starts AS (${accountStartsSql('SELECT phone_number_id FROM pm')}
), target AS (
  SELECT u.phone_number_id, u.local_day, SUM(GREATEST(u.amount, 0)) AS amt
    FROM usage_daily u JOIN pm ON u.phone_number_id = pm.phone_number_id
     AND u.local_day >= pm.month AND u.local_day < CAST(pm.month + INTERVAL '1 month' AS DATE)
    JOIN starts st ON st.phone_number_id = u.phone_number_id AND u.local_day >= st.starts_on
   GROUP BY u.phone_number_id, u.local_day
), posted AS (
  SELECT l.phone_number_id, l.local_day, -SUM(l.amount) AS amt, count(*) AS n
    FROM ledger_movements l JOIN pm ON l.phone_number_id = pm.phone_number_id
     AND l.local_day >= pm.month AND l.local_day < CAST(pm.month + INTERVAL '1 month' AS DATE)
   WHERE l.local_day IS NOT NULL
   GROUP BY l.phone_number_id, l.local_day
)
SELECT COALESCE(t.phone_number_id, p.phone_number_id) AS phone_number_id,
       COALESCE(t.local_day, p.local_day) AS local_day,
       CAST(COALESCE(t.amt, 0) - COALESCE(p.amt, 0) AS DECIMAL(38, 6)) AS diff,
       COALESCE(p.n, 0) AS n
  FROM target t FULL OUTER JOIN posted p USING (phone_number_id, local_day)
 WHERE COALESCE(t.amt, 0) <> COALESCE(p.amt, 0)`;

/**
 * Brings the ledger's usage charges in line with usage_daily for the scope; returns the numbers whose balance
 * changed (the caller registers what follows that change).
 */
export async function syncLedgerCharges(
  tx: Queryable,
  scope: readonly WabaMonth[],
  now: Date,
): Promise<string[]> {
  if (scope.length === 0) return [];
  const params = { wabas: scope.map((s) => s.waba_id), months: scope.map((s) => s.month) };
  await tx.run('DROP TABLE IF EXISTS ledger_sync_diff');
  await tx.run(`CREATE TEMP TABLE ledger_sync_diff AS ${DIFF_SQL}`, params);
  const changed = await tx.all<{ phone_number_id: string }>(
    'SELECT DISTINCT phone_number_id FROM ledger_sync_diff ORDER BY phone_number_id',
  );
  if (changed.length > 0) await postUsageDiffs(tx, 'ledger_sync_diff', now);
  await tx.run('DROP TABLE IF EXISTS ledger_sync_diff');
  return changed.map((r) => r.phone_number_id);
}
