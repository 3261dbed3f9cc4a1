/**
 * What a replica does between winning the `ingest-writer` lease and taking ingest, in this order, each step
 * only while the lease is still its own:
 * 1. its DuckDB is brought up to the shared lake (every batch and reference change another writer archived,
 *    lake-catch-up.ts), so it holds every committed batch before it claims anything;
 * 2. its lake numbering moves past the lake's last entry, and only then does it archive into the lake: its
 *    tenancy mirror is caught up with the money plane and written to the lake whole (the reference data as this
 *    writer has it, before its first batch, whatever a standby copied without archiving);
 * 3. it claims the usage source under the lease (the claim names the lease's token, so postings are fenced by
 *    it), then re-publishes its rollups (replacing its predecessor's) and repairs the ledger to its usage;
 * 4. it opens ingest.
 * A writer replays, in the same way, what it lacks of the lake while it holds the lease (`catchUpInTerm`):
 * batches a stalled predecessor archived after this writer's first catch-up, numbered below its own.
 */
import type { AppDeps } from '../app-deps.js';
import { catchUpTenancyMirror } from '../billing/catch-up-tenancy-mirror.js';
import type { Lease } from '../db/pg-lease.js';
import { repairDrift } from '../funding/repair-drift.js';
import { archiveReference } from '../lake/archive-reference.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import type { ObjectStore } from '../lake/object-store.js';
import { REFERENCE_LAKE_TABLES } from '../lake/reference-tables.js';
import { publishUsage } from '../ledger/publish-usage.js';
import { claimUsageSourceAsWriter } from '../ledger/usage-source.js';
import type { WriterRole } from '../ledger/writer-role.js';
import { catchUpLake, numberAfterLake, type CatchUp, type CatchUpOptions } from './lake-catch-up.js';

export interface SharedLake {
  /** The local folder (the spool, and where fetched entries are kept). */
  readonly dir: string;
  readonly store: ObjectStore;
  /** The lake this replica archives into while it is the writer. */
  readonly lake: IngestLake;
}

export interface Term {
  readonly lease: Lease;
  readonly role: WriterRole;
  readonly shared: SharedLake;
  /** False once the lease was lost or given up: every step checks it. */
  readonly held: () => boolean;
}

export class LeaseLostError extends Error {
  constructor(step: string) {
    super(`the ingest-writer lease was lost ${step}`);
  }
}

export interface Takeover {
  readonly catchUp: CatchUp;
  /** This writer's lake entries are numbered from here on (what lies below is its predecessors'). */
  readonly firstSeq: number;
  readonly replaced?: string;
  readonly reposted: number;
}

const check = (term: Term, step: string) => {
  if (!term.held()) throw new LeaseLostError(step);
};

/** Steps 1–4 above; throws LeaseLostError when the lease goes meanwhile (ingest then stays closed). */
export async function takeOverWriting(deps: AppDeps, term: Term): Promise<Takeover> {
  term.role.enter('catching-up', false);
  const catchUp = await catchUpLake(deps, term.shared);
  check(term, 'while catching up with the lake');
  const firstSeq = await numberAfterLake(deps.db, catchUp.lastSeq);
  term.role.enter('catching-up', true);
  await catchUpTenancyMirror(deps);
  const all = REFERENCE_LAKE_TABLES.map((t) => ({ table: t.name, keys: 'all' as const }));
  await deps.db.transaction((tx) =>
    archiveReference(tx, term.shared.lake, { tables: all }, deps.domain.now()),
  );
  check(term, 'while archiving the reference data');
  const now = deps.clock.now();
  const claim = await claimUsageSourceAsWriter(deps, {
    by: deps.config.replicaId,
    now,
    lease: term.lease,
    url: deps.config.replicaUrl,
  });
  await publishUsage(deps, now);
  const repair = await repairDrift(deps, {}, deps.domain, 10);
  check(term, 'while repairing the ledger');
  term.role.enter('writer', true);
  return {
    catchUp,
    firstSeq,
    ...(claim.replaced ? { replaced: claim.replaced.claimed_by } : {}),
    reposted: repair.numbers_reposted.length,
  };
}

/**
 * While writing: replays what the lake holds below this writer's numbering that its store lacks, then publishes
 * and repairs the ledger to it. Nothing to do costs one listing of the object store.
 */
export async function catchUpInTerm(
  deps: AppDeps,
  term: Term,
  firstSeq: number,
  settled: CatchUpOptions['settled'],
): Promise<CatchUp> {
  const caught = await catchUpLake(deps, term.shared, { below: firstSeq, settled });
  if (caught.replayed === 0) return caught;
  check(term, 'while catching up with the lake');
  await publishUsage(deps, deps.clock.now());
  await repairDrift(deps, {}, deps.domain, 10);
  return caught;
}

/**
 * A standby keeps its store close to the lake, so that its takeover replays little (archives nothing); only
 * entries listed for a while, never one of the writer's that may still fail to commit.
 */
export function followLake(
  deps: AppDeps,
  shared: SharedLake,
  settled: CatchUpOptions['settled'],
): Promise<CatchUp> {
  return catchUpLake(deps, shared, { settled });
}
