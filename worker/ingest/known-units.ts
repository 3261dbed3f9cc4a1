/**
 * What both ways of loading units (records: settleBatch; webhooks: mergeUnits) decide the same way about a
 * unit_id the store already has: whether the new record changes it, and whether it belongs to another partner.
 */
import type { Queryable } from '../db/db.js';
import { BatchRejectedError } from '../errors.js';
import { UNIT_INPUT_COLUMNS } from './type-staged-units.js';
import { ISSUE_CAP } from './validate-staged-units.js';

/** Pricing fills market and country from the number when a record has none: absent there means no news. */
const FILLED_BY_PRICING = new Set<string>(['market', 'recipient_country']);

/**
 * SQL true when the record `fresh` changes the stored unit `stored` (aliases of rows shaped like units). A stored
 * market corrected from the number is compared as the record had it, so the same record again is a duplicate;
 * with `freshCorrected`, so is the fresh row's (a landed row whose market the landing corrected).
 */
export function changedSql(
  fresh: string,
  stored: string,
  opts: { readonly freshCorrected?: boolean } = {},
): string {
  const reported = (u: string) => `COALESCE(${u}.market_reported, ${u}.market)`;
  const was = (c: string) => (c === 'market' ? reported(stored) : `${stored}.${c}`);
  const is = (c: string) => (c === 'market' && opts.freshCorrected ? reported(fresh) : `${fresh}.${c}`);
  return UNIT_INPUT_COLUMNS.filter((c) => c !== 'unit_id')
    .map((c) =>
      FILLED_BY_PRICING.has(c)
        ? `(${is(c)} IS NOT NULL AND ${is(c)} IS DISTINCT FROM ${was(c)})`
        : `${is(c)} IS DISTINCT FROM ${was(c)}`,
    )
    .join(' OR ');
}

/**
 * unit_ids are Meta's (conversation ids, wamids), unique across businesses: a batch naming one already stored
 * under a WABA the partner does not own is refused (422) rather than moved or overwritten. `stored` is a SELECT
 * of the stored units the batch names (columns unit_id, waba_id); the admin (partnerId null) may touch any.
 */
export async function refuseForeignUnits(
  tx: Queryable,
  stored: string,
  partnerId: string | null,
): Promise<void> {
  if (partnerId === null) return;
  const foreign = await tx.all<{ unit_id: string }>(
    `SELECT DISTINCT s.unit_id FROM (${stored}) s
      WHERE s.waba_id NOT IN (SELECT waba_id FROM wabas WHERE partner_id = $partner)
      ORDER BY 1 LIMIT ${ISSUE_CAP}`,
    { partner: partnerId },
  );
  if (foreign.length > 0)
    throw new BatchRejectedError(
      'Some unit_ids are already recorded for another business; the whole batch was rejected and nothing was written.',
      foreign.map((f) => ({
        column: 'unit_id',
        reason: `${f.unit_id} is recorded under a WABA that is not yours`,
      })),
      { total_issues: foreign.length },
    );
}
