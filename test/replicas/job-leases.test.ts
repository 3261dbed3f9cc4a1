/**
 * Three replicas of the service on one Postgres server: each background job is held by one replica at a time
 * (table job_leases, read straight from the server); when the holder is killed with SIGKILL its short-interval
 * jobs pass to one other replica once the lease has expired, and the killed replica, restarted, takes nothing
 * back while the new holder lives. Skipped, with the reason, only where the Postgres 15 binaries are missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundJobs } from '../../worker/startup.js';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';

interface LeaseRow {
  job: string;
  holder: string;
  token: string;
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const skipped = postgresUnavailable();
const JOBS = backgroundJobs.map((j) => `job:${j.name}`).sort();
// The jobs that tick every 2 s: their leases (interval + 1.5 s grace) change hands within the test.
const FAST = backgroundJobs.filter((j) => j.intervalMs <= 2_000).map((j) => `job:${j.name}`);

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: job leases', () => {
  let r: Replicas;
  const leases = async () =>
    r.query<LeaseRow>('SELECT job, holder, token::TEXT AS token FROM job_leases ORDER BY job');
  const holderOf = (i: number) => `${r.id(i)}-${r.pid(i)}`;
  const takes = (i: number) =>
    r
      .log(i)
      .split('\n')
      .filter((l) => l.includes('"msg":"job lease taken"'))
      .map((l) => JSON.parse(l) as { job: string; token: string });

  beforeAll(async () => {
    r = await startReplicas({ count: 3, env: { JOB_LEASE_GRACE_MS: '1500' } });
  }, 180_000);
  afterAll(async () => r?.stop(), 60_000);

  it('one holder per job; a killed holder is replaced after expiry; its restart takes nothing back', async () => {
    // Replica 0 started first and took every lease at its first ticks; 1 and 2 found them held.
    const first = await leases();
    expect(first.map((l) => l.job)).toEqual(JOBS);
    expect(new Set(first.map((l) => l.holder))).toEqual(new Set([holderOf(0)]));
    expect(
      takes(0)
        .map((t) => t.job)
        .sort(),
    ).toEqual(backgroundJobs.map((j) => j.name).sort());
    expect(takes(1)).toEqual([]);
    expect(takes(2)).toEqual([]);

    const dead = holderOf(0);
    await r.kill(0, 'SIGKILL');
    let after: LeaseRow[] = [];
    for (let i = 0; i < 200; i++) {
      after = await leases();
      if (after.filter((l) => FAST.includes(l.job)).every((l) => l.holder !== dead)) break;
      await sleep(100);
    }
    for (const job of FAST) {
      const l = after.find((x) => x.job === job)!;
      expect([holderOf(1), holderOf(2)]).toContain(l.holder);
      expect(l.token).toBe('2');
    }
    // Each fast job was taken over once, by one replica.
    const taken = [...takes(1), ...takes(2)].filter((t) => FAST.includes(`job:${t.job}`));
    expect(taken.map((t) => t.job).sort()).toEqual(FAST.map((j) => j.slice(4)).sort());

    await r.restart(0);
    // Several of the fast jobs' ticks later the leases are where they were.
    await sleep(4_000);
    const later = await leases();
    for (const job of FAST)
      expect(later.find((x) => x.job === job)).toEqual(after.find((x) => x.job === job));
    expect(takes(0).filter((t) => FAST.includes(`job:${t.job}`))).toEqual([]);
  }, 120_000);
});
