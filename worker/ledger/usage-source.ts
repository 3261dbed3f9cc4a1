/**
 * One analytics store is the usage source of a money plane. A usage charge is posted as the difference between
 * the usage an analytics store holds and what the ledger holds (sync-charges.ts), and every replica has its own
 * analytics DuckDB: a store that never saw some usage would post adjustments undoing the charges another store's
 * usage posted. So the money plane names one store (usage_source, by the id each analytics file makes once for
 * itself) and only that store posts usage charges. With STORE=duckdb the planes are one store and there is
 * nothing to choose.
 * Without an election the first replica to start claims the source; CLAIM_USAGE_SOURCE=true takes it over (after
 * a rebuild replaced the file, or to move ingest elsewhere). With the ingest-writer election (worker/election/)
 * the holder of the `ingest-writer` lease claims it after catching up with the lake, and the claim names the
 * lease's token. The posting transaction checks the claim again on the money plane, and for a claim made under
 * the lease that the lease is still that one and unexpired, so under SERIALIZABLE no posting from another store,
 * or from a writer stalled past its lease, can commit beside a takeover.
 */
import type { Db, Queryable } from '../db/db.js';
import { planesSplit, type Planes } from '../db/planes.js';
import { fenceLease, type Lease } from '../db/pg-lease.js';
import { NotUsageSourceError } from '../errors.js';
import type { WriterRole } from './writer-role.js';

export interface UsageSourceClaim {
  readonly analytics_id: string;
  readonly claimed_at: string;
  readonly claimed_by: string;
  /** The `ingest-writer` lease's token the claim was made under; null for a claim made by hand. */
  readonly lease_token: string | null;
  /** Where the writer is reached (REPLICA_URL), when it said. */
  readonly writer_url: string | null;
}

/** The lease the replicas compete for to be the ingest writer (job_leases). */
export const WRITER_LEASE = 'ingest-writer';

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
    'SELECT analytics_id, claimed_at, claimed_by, lease_token::TEXT AS lease_token, writer_url FROM usage_source',
  );
  return row;
}

/** Claims the source for `analyticsId` when none is claimed (first wins) or, with `takeOver`, in any case. */
async function claimIn(
  money: Queryable,
  claim: {
    analyticsId: string;
    by: string;
    now: Date;
    takeOver: boolean;
    lease?: Lease;
    url?: string | null;
  },
): Promise<UsageSourceClaim> {
  await money.run(
    `INSERT INTO usage_source (one, analytics_id, claimed_at, claimed_by, lease_token, writer_url)
     VALUES (TRUE, $id, $now::TIMESTAMPTZ, $by, $token::BIGINT, $url::TEXT)
     ON CONFLICT (one) DO ${
       claim.takeOver
         ? `UPDATE SET analytics_id = excluded.analytics_id, claimed_at = excluded.claimed_at,
              claimed_by = excluded.claimed_by, lease_token = excluded.lease_token, writer_url = excluded.writer_url`
         : 'NOTHING'
     }`,
    {
      id: claim.analyticsId,
      now: claim.now.toISOString(),
      by: claim.by,
      token: claim.lease?.token ?? null,
      url: claim.url ?? null,
    },
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

/**
 * Claims the source for this replica's analytics under the writer lease it holds: in one transaction that finds
 * the lease still held (else it throws), so a writer that lost its lease while catching up claims nothing.
 */
export async function claimUsageSourceAsWriter(
  stores: { readonly db: Db; readonly money: Db },
  claim: { by: string; now: Date; lease: Lease; url: string | null },
): Promise<UsageSourceState> {
  const id = await analyticsId(stores.db);
  return stores.money.transaction(async (tx) => {
    if (!(await fenceLease(tx, claim.lease))) throw notSource(await readClaim(tx));
    const before = await readClaim(tx);
    const after = await claimIn(tx, { analyticsId: id, takeOver: true, ...claim });
    const replaced = before && before.analytics_id !== after.analytics_id ? before : undefined;
    return { source: true, claim: after, ...(replaced ? { replaced } : {}) };
  });
}

/** The claim as it stands (a read), for naming the writer. */
export function currentUsageSource(money: Queryable): Promise<UsageSourceClaim | undefined> {
  return readClaim(money);
}

/**
 * Refuses (409 not_usage_source) a step that would derive or post usage on a replica that is not the source.
 * With the election (`role`), only the writer passes; elsewhere the claim decides (claimed here if none is).
 */
export async function requireUsageSource(
  stores: { readonly db: Db; readonly money: Db },
  by: string,
  now: Date,
  role?: WriterRole,
): Promise<void> {
  if (role) {
    if (!role.isWriter)
      throw notSource(planesSplit(stores) ? await readClaim(stores.money) : undefined, role);
    return;
  }
  const state = await claimUsageSource(stores, by, now);
  if (!state.source) throw notSource(state.claim);
  // A claim made under the writer lease belongs to the elected service process: a process outside the
  // election (a CLI on the writer's file while it is stopped) would archive beside the writer's numbering.
  if (state.claim?.lease_token != null) throw notSource(state.claim, 'lapsed');
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
  if (claim.lease_token === null) return;
  // Claimed under the writer lease: that lease must still be the one, unexpired by the server's clock.
  const live = await p.money.all(
    `SELECT 1 AS live FROM job_leases
      WHERE job = $job AND token = $token::BIGINT AND expires_at > clock_timestamp()`,
    { job: WRITER_LEASE, token: claim.lease_token },
  );
  if (live.length === 0) throw notSource(claim, 'lapsed');
}

const WRITER_TITLE =
  'This replica is not the ingest writer (elected through the money plane); send ingest to the writer ' +
  '(usage_source.claimed_by, usage_source.url), or again in a few seconds while a new writer takes over.';

function notSource(
  claim: UsageSourceClaim | undefined,
  election?: WriterRole | 'lapsed',
): NotUsageSourceError {
  const source = claim
    ? {
        usage_source: {
          claimed_by: claim.claimed_by,
          claimed_at: claim.claimed_at,
          ...(claim.writer_url ? { url: claim.writer_url } : {}),
          ...(election === 'lapsed' ? { lease: 'lapsed' } : {}),
        },
      }
    : {};
  if (!election && claim?.lease_token == null) return new NotUsageSourceError(source);
  const phase = election && election !== 'lapsed' ? { writer_phase: election.phase } : {};
  return new NotUsageSourceError({ ...source, ...phase }, WRITER_TITLE);
}
