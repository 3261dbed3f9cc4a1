/**
 * One analytics store is the usage source of a money plane. A usage charge is posted as the difference between
 * the usage an analytics store holds and what the ledger holds (sync-charges.ts), and every replica has its own
 * analytics DuckDB: a store that never saw some usage would post adjustments undoing the charges another store's
 * usage posted. So the money plane names one store (usage_source, by the id each analytics file makes once for
 * itself) and only that store posts usage charges. With STORE=duckdb the planes are one store and there is
 * nothing to choose.
 * The first replica to start claims the source; CLAIM_USAGE_SOURCE=true takes it over (after a rebuild replaced
 * the file, or to move ingest elsewhere). The posting transaction checks the claim again on the money plane, so
 * under SERIALIZABLE no posting from another store can commit beside a takeover.
 */
import type { Db, Queryable } from '../db/db.js';
import { planesSplit, type Planes } from '../db/planes.js';
import { NotUsageSourceError } from '../errors.js';

export interface UsageSourceClaim {
  readonly analytics_id: string;
  readonly claimed_at: string;
  readonly claimed_by: string;
}

/** Who claims when a store posts before any replica's startup claimed (a CLI on a fresh money plane). */
const FIRST_POSTING = 'first-posting';

/** The id never changes for a store: read once per analytics store object. */
const ids = new WeakMap<object, Promise<string>>();

/** The id of an analytics store (migration 085_analytics_identity.sql). */
export function analyticsId(analytics: Queryable): Promise<string> {
  let id = ids.get(analytics);
  if (!id) {
    id = analytics.all<{ id: string }>('SELECT id FROM analytics_identity').then(([row]) => {
      if (!row) throw new Error('the analytics store has no identity (analytics_identity is empty)');
      return row.id;
    });
    ids.set(analytics, id);
    id.catch(() => ids.delete(analytics));
  }
  return id;
}

async function readClaim(money: Queryable): Promise<UsageSourceClaim | undefined> {
  const [row] = await money.all<UsageSourceClaim>(
    'SELECT analytics_id, claimed_at, claimed_by FROM usage_source',
  );
  return row;
}

/** Claims the source for `analyticsId` when none is claimed (first wins) or, with `takeOver`, in any case. */
async function claimIn(
  money: Queryable,
  claim: { analyticsId: string; by: string; now: Date; takeOver: boolean },
): Promise<UsageSourceClaim> {
  await money.run(
    `INSERT INTO usage_source (one, analytics_id, claimed_at, claimed_by) VALUES (TRUE, $id, $now::TIMESTAMPTZ, $by)
     ON CONFLICT (one) DO ${claim.takeOver ? 'UPDATE SET analytics_id = excluded.analytics_id, claimed_at = excluded.claimed_at, claimed_by = excluded.claimed_by' : 'NOTHING'}`,
    { id: claim.analyticsId, now: claim.now.toISOString(), by: claim.by },
  );
  const row = await readClaim(money);
  if (!row) throw new Error('usage_source is empty right after a claim');
  return row;
}

export interface UsageSourceState {
  /** Whether this replica's analytics is the usage source (always with one store). */
  readonly source: boolean;
  /** The claim after this step; none with one store. */
  readonly claim?: UsageSourceClaim;
  /** The claim this step replaced (a takeover from another store). */
  readonly replaced?: UsageSourceClaim;
}

/**
 * Claims the usage source for this replica's analytics when none is claimed yet (or takes it over with
 * `takeOver`) and tells whether this replica is the source.
 */
export async function claimUsageSource(
  stores: { readonly db: Db; readonly money: Db },
  by: string,
  now: Date,
  takeOver = false,
): Promise<UsageSourceState> {
  if (!planesSplit(stores)) return { source: true };
  const id = await analyticsId(stores.db);
  return stores.money.transaction(async (tx) => {
    const before = await readClaim(tx);
    const claim = await claimIn(tx, { analyticsId: id, by, now, takeOver });
    const replaced = before && before.analytics_id !== claim.analytics_id ? before : undefined;
    return { source: claim.analytics_id === id, claim, ...(replaced ? { replaced } : {}) };
  });
}

/** Whether another store than this replica's analytics is claimed as the source (a read; claims nothing). */
export async function otherUsageSource(stores: { readonly db: Db; readonly money: Db }): Promise<boolean> {
  if (!planesSplit(stores)) return false;
  const claim = await readClaim(stores.money);
  return claim !== undefined && claim.analytics_id !== (await analyticsId(stores.db));
}

/** Refuses (409 not_usage_source) a step that would derive or post usage on a replica that is not the source. */
export async function requireUsageSource(
  stores: { readonly db: Db; readonly money: Db },
  by: string,
  now: Date,
): Promise<void> {
  const state = await claimUsageSource(stores, by, now);
  if (!state.source) throw notSource(state.claim);
}

/**
 * The check inside the money transaction that posts usage charges: with split planes, `p.money` is that
 * transaction and the claim must name `p.analytics`'s store (claimed here when nothing claimed it yet).
 */
export async function assertUsageSourceIn(p: Planes, now: Date): Promise<void> {
  if (p.analytics === p.money) return;
  const id = await analyticsId(p.analytics);
  const claim =
    (await readClaim(p.money)) ??
    (await claimIn(p.money, { analyticsId: id, by: FIRST_POSTING, now, takeOver: false }));
  if (claim.analytics_id !== id) throw notSource(claim);
}

function notSource(claim: UsageSourceClaim | undefined): NotUsageSourceError {
  return new NotUsageSourceError(
    claim ? { usage_source: { claimed_by: claim.claimed_by, claimed_at: claim.claimed_at } } : {},
  );
}
