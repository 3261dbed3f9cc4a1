/**
 * Where a usage answer comes from on this replica. The usage source (and a store of its own, STORE=duckdb)
 * reads its own rollups; any other replica reads its copy of the published rollups, caught up to the
 * published head first, so an answer here reflects every publication committed before the request: the same
 * rows and figures as the source's own answer. One read of the money plane per request when the copy is up to
 * date. What only the units can answer (other zones, hours, template and direction keys, the units of the
 * exports and of the SQL sandbox) is the source's alone: `requireOwnUsage` answers 409 not_usage_source,
 * naming it, elsewhere.
 */
import type { Db } from '../db/db.js';
import { planesSplit } from '../db/planes.js';
import { NotUsageSourceError } from '../errors.js';
import { OWN_ROLLUPS, PUBLISHED_ROLLUPS, type RollupTables } from '../usage/rollup-tables.js';
import { copiedVersion, copyPublishedUsage } from './published-usage-copy.js';
import { analyticsId, type UsageSourceClaim } from './usage-source.js';

export interface UsageView {
  readonly tables: RollupTables;
  /** Set when this replica answers from the published rollups: the source that published them. */
  readonly source?: UsageSourceClaim;
}

const OWN: UsageView = { tables: OWN_ROLLUPS };

/** The version each store's copy holds, as far as this process knows (it alone writes the copy). */
const known = new WeakMap<object, number>();

export async function usageView(
  stores: { readonly db: Db; readonly money: Db },
  now: Date,
): Promise<UsageView> {
  if (!planesSplit(stores)) return OWN;
  const [row] = await stores.money.all<UsageSourceClaim & { version: string | null }>(
    `SELECT s.analytics_id, s.claimed_at, s.claimed_by, s.lease_token, s.writer_url,
            (SELECT version FROM published_usage_head) AS version
       FROM usage_source s`,
  );
  if (!row || row.analytics_id === (await analyticsId(stores.db))) return OWN;
  const { version, ...source } = row;
  const head = version === null ? 0 : Number(version);
  let have = known.get(stores.db) ?? (await copiedVersion(stores.db));
  if (head > have)
    have = (await copyPublishedUsage(stores, now))?.version ?? (await copiedVersion(stores.db));
  known.set(stores.db, have);
  return { tables: PUBLISHED_ROLLUPS, source };
}

/** 409 not_usage_source for an answer only the usage source's units can give. */
export function requireOwnUsage(view: UsageView, what: string): void {
  if (view.source) throw notOwnUsage(view.source, what);
}

/** The 409 not_usage_source problem for `what`, which only `source`'s units can answer. */
export function notOwnUsage(source: UsageSourceClaim, what: string): NotUsageSourceError {
  return new NotUsageSourceError(
    {
      usage_source: {
        claimed_by: source.claimed_by,
        claimed_at: source.claimed_at,
        ...(source.writer_url ? { url: source.writer_url } : {}),
      },
      needs: what,
    },
    'This answer needs the units, which only the usage source holds; ask the replica that holds it ' +
      '(usage_source.claimed_by). Usage and charges in each WABA’s own zone by day, week, month or quarter are ' +
      'answered on every replica.',
  );
}
