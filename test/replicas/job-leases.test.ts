/**
 * Three replicas of the service started at once on one Postgres server: each background job is held by one
 * replica at a time (table job_leases, read straight from the server); when the holder of the settlement lease
 * is killed with SIGKILL, its two-second jobs pass to one other replica once the lease has expired, and the
 * killed replica, restarted, takes nothing back while the new holder lives. Skipped, with the reason, only
 * where the Postgres 15 binaries are missing.
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
const REPLICAS = 3;
const JOBS = backgroundJobs.map((j) => j.name).sort();
// The jobs that tick every 2 s: their leases (interval + 3 s grace) change hands within the test.
const FAST = backgroundJobs.filter((j) => j.intervalMs <= 2_000).map((j) => j.name);

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: job leases', () => {
  let r: Replicas;
  const leases = async () =>
    new Map(
      (await r.query<LeaseRow>('SELECT job, holder, token::TEXT AS token FROM job_leases')).map((l) => [
        l.job.replace(/^job:/, ''),
        l,
      ]),
    );
  const holderOf = (i: number) => `${r.id(i)}-${r.pid(i)}`;
  const indexOf = (holder: string) => [0, 1, 2].find((i) => holderOf(i) === holder);
  // The jobs replica i logged taking since its last start.
  const takes = (i: number) =>
    r
      .log(i)
      .split('\n')
      .filter((l) => l.includes('"msg":"job lease taken"'))
      .map((l) => (JSON.parse(l) as { job: string }).job)
      .sort();

  beforeAll(async () => {
    r = await startReplicas({ count: REPLICAS, env: { JOB_LEASE_GRACE_MS: '3000' } });
  }, 180_000);
  afterAll(async () => r?.stop(), 60_000);

  it('one holder per job; a killed holder is replaced after expiry; its restart takes nothing back', async () => {
    // Every job has one lease, held by a live replica, which alone logged taking it.
    const first = await leases();
    expect([...first.keys()].sort()).toEqual(JOBS);
    for (const [job, l] of first) {
      const i = indexOf(l.holder);
      expect([job, i === undefined]).toEqual([job, false]);
      expect(takes(i!)).toContain(job);
    }
    expect([0, 1, 2].flatMap(takes).sort()).toEqual(JOBS);

    const victim = indexOf(first.get('settle-topups')!.holder)!;
    const dead = holderOf(victim);
    const moved = FAST.filter((job) => first.get(job)!.holder === dead);
    await r.kill(victim, 'SIGKILL');
    const survivors = [0, 1, 2].filter((i) => i !== victim);
    const takenOver = () =>
      survivors
        .flatMap(takes)
        .filter((job) => moved.includes(job))
        .sort();
    let after = first;
    // Until the leases have moved and the new holders' log lines (read from their stderr) have arrived.
    for (let i = 0; i < 200; i++) {
      after = await leases();
      if (moved.every((job) => after.get(job)!.holder !== dead) && takenOver().length >= moved.length) break;
      await sleep(100);
    }
    for (const job of moved) {
      const l = after.get(job)!;
      expect(survivors.map(holderOf)).toContain(l.holder);
      expect(Number(l.token)).toBe(Number(first.get(job)!.token) + 1);
    }
    // Each job the victim held was taken over once, by one replica; the others did not change hands.
    expect(takenOver()).toEqual([...moved].sort());
    for (const job of FAST.filter((j) => !moved.includes(j))) expect(after.get(job)).toEqual(first.get(job));

    await r.restart(victim);
    // A couple of the fast jobs' ticks later the leases are where they were.
    await sleep(4_000);
    const later = await leases();
    for (const job of FAST) expect(later.get(job)).toEqual(after.get(job));
    expect(takes(victim).filter((job) => FAST.includes(job))).toEqual([]);
  }, 120_000);
});
