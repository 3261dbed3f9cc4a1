/**
 * The ingest-writer election: with the money plane in Postgres (or PGlite) and the ingest lake shared through an
 * object store, every replica competes for one lease, `ingest-writer` (job_leases, worker/db/pg-lease.ts,
 * expiry by the server's clock). Its holder is the ingest writer and the usage source; the others are
 * standbys that answer ingest with 409 not_usage_source naming it and keep their store close to the lake.
 *
 * A heartbeat every quarter of INGEST_WRITER_LEASE_MS renews the lease, or tries to win it. A winner takes over
 * (writer-takeover.ts: catch up with the lake, claim the source under the lease, then open ingest); a holder
 * whose renewal finds the lease gone, or that could not renew it before it would have lapsed by its own clock,
 * closes ingest at once. A writer that dies stops renewing: another replica takes over once the lease expired,
 * so ingest waits at most one lease period plus the catch-up. Stopping (SIGTERM) closes ingest, waits for the
 * ingest requests under way (a few seconds at most) and gives the lease up, so the next writer starts at once.
 */
import type { AppDeps } from '../app-deps.js';
import { acquireLease, releaseLease, renewLease, seizeLease, type Lease } from '../db/pg-lease.js';
import { WRITER_LEASE } from '../ledger/usage-source.js';
import type { WriterRole } from '../ledger/writer-role.js';
import {
  catchUpInTerm,
  followLake,
  LeaseLostError,
  takeOverWriting,
  type SharedLake,
  type Term,
} from './writer-takeover.js';

export interface ElectionOptions {
  readonly role: WriterRole;
  readonly shared: SharedLake;
  /** This process's name in the lease, unique among the replicas. */
  readonly holder: string;
  readonly leaseMs: number;
  /** Take the lease at start whoever holds it (CLAIM_USAGE_SOURCE=true). */
  readonly seize: boolean;
}

/** Closes ingest, waits for the requests under way and gives the lease up. */
export type StopElection = () => Promise<void>;

/** How many heartbeats between two looks at the lake (a standby's follow, a writer's catch-up). */
const BEATS_PER_LAKE_LOOK = 4;
/** How long stopping waits for the ingest requests under way before it gives the lease up. */
const DRAIN_MS = 5_000;

/** Starts the election; the first heartbeat (and a takeover it wins) is awaited, so a winner opens at once. */
export async function startWriterElection(deps: AppDeps, opts: ElectionOptions): Promise<StopElection> {
  const { role } = opts;
  const log = deps.log;
  const beatMs = Math.max(250, Math.floor(opts.leaseMs / 4));
  let lease: Lease | null = null;
  /** The lease as last won or renewed, given up at stop (a no-op when another holder has it by then). */
  let last: Lease | null = null;
  /** Local time (performance.now) by which the lease would have lapsed had the server not renewed it since. */
  let lapsesAt = 0;
  let firstSeq: number | null = null;
  let work: Promise<void> | null = null;
  let beats = 0;
  let stopped = false;
  let seize = opts.seize;
  /** When each lake entry this store lacks was first listed (see CatchUpOptions.settled). */
  const settled = { seen: new Map<string, number>(), ms: opts.leaseMs };

  const schedule = (fn: () => Promise<void>): Promise<void> => {
    const next: Promise<void> = (work ?? Promise.resolve())
      .then(fn)
      .catch((err: unknown) => log.error('ingest writer: lake catch-up failed', { error: String(err) }))
      .finally(() => {
        if (work === next) work = null;
      });
    work = next;
    return next;
  };

  const term = (l: Lease): Term => ({
    lease: l,
    role,
    shared: opts.shared,
    held: () => !stopped && lease?.token === l.token && performance.now() < lapsesAt,
  });

  const stepDown = (why: string, fields: Record<string, unknown> = {}) => {
    const was = role.phase;
    role.enter('standby', false);
    lease = null;
    firstSeq = null;
    if (was !== 'standby') log.warn('ingest writer: stepped down', { why, ...fields });
  };

  const takeOver = async (won: Lease) => {
    const started = performance.now();
    log.info('ingest writer: lease won, catching up with the lake', { token: won.token });
    try {
      const t = await takeOverWriting(deps, term(won));
      firstSeq = t.firstSeq;
      log.info('ingest writer: open', {
        token: won.token,
        takeover_ms: Math.round(performance.now() - started),
        replayed: t.catchUp.replayed,
        replayed_batches: t.catchUp.batches,
        replayed_rows: t.catchUp.rows,
        lake_last_seq: t.catchUp.lastSeq,
        ...(t.catchUp.refused.length > 0 ? { refused_on_replay: t.catchUp.refused.join(' ') } : {}),
        first_seq: t.firstSeq,
        ...(t.replaced ? { replaced: t.replaced } : {}),
        ledger_numbers_reposted: t.reposted,
      });
    } catch (err) {
      if (err instanceof LeaseLostError) return stepDown(err.message);
      log.error('ingest writer: takeover failed; the lease is given up', { error: String(err) });
      stepDown('takeover failed');
      last = null;
      await releaseLease(deps.money, won).catch(() => undefined);
    }
  };

  const lookAtLake = async () => {
    if (role.isWriter && lease && firstSeq !== null) {
      const c = await catchUpInTerm(deps, term(lease), firstSeq, settled);
      if (c.replayed > 0)
        log.warn('ingest writer: replayed lake entries another writer archived', {
          replayed: c.replayed,
          batches: c.batches,
          rows: c.rows,
          refused_on_replay: c.refused.join(' '),
        });
    } else if (role.phase === 'standby') {
      const c = await followLake(deps, opts.shared, settled);
      if (c.replayed > 0) log.info('standby: followed the lake', { replayed: c.replayed, rows: c.rows });
    }
  };

  /** Renews or competes; a takeover or a look at the lake runs beside the heartbeats, one at a time. */
  const beat = async () => {
    if (stopped) return;
    beats++;
    const asked = performance.now();
    try {
      if (lease) {
        const current = lease;
        const renewed = await renewLease(deps.money, current, opts.leaseMs);
        if (lease !== current) {
          // Stepped down while the renewal hung: the lease goes too, so another replica need not wait for it.
          if (renewed) await releaseLease(deps.money, renewed);
          last = null;
          return;
        }
        if (!renewed) {
          last = null;
          return stepDown('lease lost', { token: current.token });
        }
        lease = last = renewed;
        lapsesAt = asked + opts.leaseMs;
      } else {
        const won = seize
          ? await seizeLease(deps.money, WRITER_LEASE, opts.holder, opts.leaseMs)
          : await acquireLease(deps.money, WRITER_LEASE, opts.holder, opts.leaseMs);
        seize = false;
        if (won) {
          lease = last = won;
          lapsesAt = asked + opts.leaseMs;
          void schedule(() => takeOver(won));
          return;
        }
      }
    } catch (err) {
      log.error('ingest writer: lease heartbeat failed', { error: String(err) });
      if (lease && performance.now() >= lapsesAt) stepDown('lease not renewed in time');
      return;
    }
    if (!work && beats % BEATS_PER_LAKE_LOOK === 0) void schedule(lookAtLake);
  };

  // The work a beat scheduled (set inside closures, so read through a function).
  const scheduled = (): Promise<void> | null => work;
  let beating: Promise<void> = beat();
  await beating;
  await scheduled();
  const timer = setInterval(() => {
    // Checked here too, not only after a renewal answered: a renewal that hangs must not keep ingest open.
    if (lease && performance.now() >= lapsesAt) stepDown('lease not renewed in time');
    beating = beating.then(beat);
  }, beatMs);

  return async () => {
    stopped = true;
    clearInterval(timer);
    role.enter('standby', false);
    await beating;
    await role.drained(DRAIN_MS);
    const held = last;
    lease = last = null;
    if (held) {
      await releaseLease(deps.money, held).catch((err: unknown) =>
        log.error('ingest writer: lease release failed', { error: String(err) }),
      );
      log.info('ingest writer: lease given up', { token: held.token });
    }
    await scheduled();
  };
}
