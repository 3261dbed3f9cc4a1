/**
 * Runs the background jobs of one process. When several processes share the money store (STORE=postgres, or
 * PGlite), each job runs in one of them at a time: a tick runs only where the job's lease (`job:<name>`,
 * worker/db/pg-lease.ts) is held. The holder keeps the lease for the job's interval plus a grace period past
 * every tick, so the job runs about once per interval across all replicas, on the same replica while it lives;
 * a replica that dies stops renewing, and the first tick elsewhere after the lease has expired takes it over.
 * With the money plane in the DuckDB file (one process) every tick simply runs.
 *
 * A lease is not a lock on the work: a holder stalled past its expiry may still be finishing a tick while the
 * next holder starts one. The job bodies are therefore idempotent on their own (a top-up settles under a
 * status-conditional update in a serializable transaction); the lease keeps the replicas from each doing the same
 * work, it does not divide the work among them.
 */
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import { acquireLease, releaseLease, renewLease, type Lease } from '../db/pg-lease.js';

export interface JobSpec {
  readonly name: string;
  readonly intervalMs: number;
  readonly run: () => Promise<void>;
}

export interface JobRunnerOptions {
  /** The money plane's store, where the leases live. */
  readonly store: Db;
  /** Take a lease per tick (a store several processes share); false runs every tick here. */
  readonly leases: boolean;
  /** This process's name in the leases; unique per process. */
  readonly holder: string;
  /** How long a lease outlives its job's interval after each tick, ms. */
  readonly leaseGraceMs: number;
  readonly log: Logger;
}

/** Stops the timers, waits for the ticks under way and gives up the leases held, so another replica goes on. */
export type StopJobs = () => Promise<void>;

/** Starts every job: its first tick now (awaited, so startup work is done before serving), then on its interval. */
export async function startJobs(jobs: readonly JobSpec[], opts: JobRunnerOptions): Promise<StopJobs> {
  const runners = jobs.map((job) => jobTicker(job, opts));
  const timers: ReturnType<typeof setInterval>[] = [];
  // Each job's timer starts right after its own first tick: its lease is renewed on time even when a later
  // job's first tick is slow.
  for (const [i, r] of runners.entries()) {
    await r.tick();
    timers.push(setInterval(() => void r.tick(), jobs[i]!.intervalMs));
  }
  return async () => {
    timers.forEach(clearInterval);
    await Promise.all(runners.map((r) => r.stop()));
  };
}

function jobTicker(job: JobSpec, opts: JobRunnerOptions) {
  const ttl = job.intervalMs + opts.leaseGraceMs;
  const name = `job:${job.name}`;
  let lease: Lease | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;

  const take = async (): Promise<boolean> => {
    if (!opts.leases) return true;
    const next = await acquireLease(opts.store, name, opts.holder, ttl);
    if (next && next.token !== lease?.token)
      opts.log.info('job lease taken', { job: job.name, holder: opts.holder, token: next.token });
    if (!next && lease) opts.log.warn('job lease lost', { job: job.name, holder: opts.holder });
    lease = next;
    return next !== null;
  };

  const runHeld = async () => {
    // A body that runs longer than the lease keeps it: renewed a few times per lease period while it works.
    const renewal = setInterval(
      () => {
        if (!lease) return;
        renewLease(opts.store, lease, ttl)
          .then((r) => {
            if (!r) opts.log.warn('job lease lost while working', { job: job.name, holder: opts.holder });
            lease = r;
          })
          .catch((err: unknown) =>
            opts.log.error('job lease renewal failed', { job: job.name, error: String(err) }),
          );
      },
      Math.max(1, Math.floor(ttl / 3)),
    );
    try {
      await job.run();
    } finally {
      clearInterval(renewal);
    }
  };

  const tick = async (): Promise<void> => {
    // One tick of a job at a time per process: a slow tick makes the next ones skip, never pile up.
    if (current || stopped) return;
    current = (async () => {
      try {
        if (await take()) await runHeld();
      } catch (err) {
        opts.log.error('job failed', { job: job.name, error: String(err) });
      }
    })();
    try {
      await current;
    } finally {
      current = null;
    }
  };

  const stop = async (): Promise<void> => {
    stopped = true;
    await current;
    if (!lease) return;
    const held = lease;
    lease = null;
    await releaseLease(opts.store, held).catch((err: unknown) =>
      opts.log.error('job lease release failed', { job: job.name, error: String(err) }),
    );
  };

  return { tick, stop };
}
