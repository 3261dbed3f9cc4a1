/**
 * worker/jobs/job-runner.ts on one PGlite store shared by several runners, as replicas share a Postgres server:
 * each job ticks in one runner at a time, the holder keeps it, a runner that stops without giving its lease up
 * (a crash) is replaced once the lease has expired, a clean stop hands over at once, and a slow tick is never
 * run twice at once in one runner. Without leases (the DuckDB money plane) every tick runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import type { PgStore } from '../../worker/db/pg-store.js';
import { startJobs, type JobRunnerOptions, type StopJobs } from '../../worker/jobs/job-runner.js';
import type { Logger } from '../../worker/env.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

function recordingLog(lines: string[]): Logger {
  const put = (msg: string, f?: Record<string, unknown>) => lines.push(`${msg} ${JSON.stringify(f ?? {})}`);
  return { info: put, warn: put, error: put };
}

/** The store as a crashed process leaves it: statements through `run` (the lease release) never arrive. */
function withoutRun(store: PgStore): PgStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'run') return async () => Promise.reject(new Error('process gone'));
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function waitFor(ok: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await ok()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('worker/jobs/job-runner', () => {
  let store: PgStore;
  beforeAll(async () => {
    store = await openMoneyStore({ moneyStore: { kind: 'pglite', dir: null } });
  });
  afterAll(async () => store?.close());

  const options = (holder: string, lines: string[], over: Partial<JobRunnerOptions> = {}) => ({
    store,
    leases: true,
    holder,
    leaseGraceMs: 1000,
    log: recordingLog(lines),
    ...over,
  });

  it('runs each tick in one replica; a crashed holder is replaced after expiry, a clean stop at once', async () => {
    const runs: string[] = [];
    const lines: string[] = [];
    const stops = new Map<string, StopJobs>();
    for (const holder of ['r1', 'r2', 'r3']) {
      const job = { name: 'count', intervalMs: 40, run: async () => void runs.push(holder) };
      const over = holder === 'r1' ? { store: withoutRun(store) } : {};
      stops.set(holder, await startJobs([job], options(holder, lines, over)));
    }
    try {
      // r1 started first and took the lease; the others' ticks found it held and ran nothing.
      await waitFor(() => runs.length >= 6, 'ticks of the holder');
      expect(new Set(runs)).toEqual(new Set(['r1']));
      const lease = await store.all<{ holder: string; token: string }>(
        `SELECT holder, token::TEXT AS token FROM job_leases WHERE job = 'job:count'`,
      );
      expect(lease).toEqual([{ holder: 'r1', token: '1' }]);

      // r1 "crashes": its timers stop and its lease is left as it was (its release never reaches the store).
      await stops.get('r1')!();
      stops.delete('r1');
      expect(lines.some((l) => l.startsWith('job lease release failed'))).toBe(true);
      const crashedAt = runs.length;
      await waitFor(() => runs.length >= crashedAt + 4, 'a takeover');
      const after = runs.slice(crashedAt);
      expect(after.every((h) => h === after[0])).toBe(true);
      expect(['r2', 'r3']).toContain(after[0]);
      // The lease changed hands once, after the dead holder's had expired (pg-lease decides by the server clock).
      expect(lines.filter((l) => l.startsWith('job lease taken') && l.includes('"token":"2"'))).toEqual([
        `job lease taken {"job":"count","holder":"${after[0]}","token":"2"}`,
      ]);

      // A clean stop gives the lease up: the last replica takes it over without waiting for the expiry.
      const next = after[0]!;
      const last = next === 'r2' ? 'r3' : 'r2';
      await stops.get(next)!();
      stops.delete(next);
      const handedAt = runs.length;
      await waitFor(() => runs.length > handedAt, 'the hand-over');
      expect(runs.slice(handedAt).every((h) => h === last)).toBe(true);
    } finally {
      for (const stop of stops.values()) await stop();
    }
  });

  it('keeps the lease through a body longer than the lease and never runs one job twice at once', async () => {
    let running = 0;
    let most = 0;
    let done = 0;
    const lines: string[] = [];
    const slow = {
      name: 'slow',
      intervalMs: 20,
      run: async () => {
        running++;
        most = Math.max(most, running);
        await sleep(700);
        running--;
        done++;
      },
    };
    // Each tick takes 700 ms, past the 20 + 300 ms lease: it is renewed while the body works.
    const a = await startJobs([slow], options('slow-a', lines, { leaseGraceMs: 300 }));
    const b = await startJobs([{ ...slow }], options('slow-b', lines, { leaseGraceMs: 300 }));
    try {
      await waitFor(() => done >= 3, 'three slow ticks');
      expect(most).toBe(1);
      expect(lines.filter((l) => l.includes('"holder":"slow-b"'))).toEqual([]);
      expect(lines.some((l) => l.startsWith('job lease lost'))).toBe(false);
    } finally {
      await a();
      await b();
    }
  });

  it('without leases every runner runs every tick; a failing body is logged and the job goes on', async () => {
    const runs: string[] = [];
    const lines: string[] = [];
    const job = (holder: string) => ({
      name: 'local',
      intervalMs: 30,
      run: async () => {
        runs.push(holder);
        if (runs.length % 2 === 0) throw new Error('body failed');
      },
    });
    const a = await startJobs([job('a')], options('a', lines, { leases: false }));
    const b = await startJobs([job('b')], options('b', lines, { leases: false }));
    try {
      await waitFor(() => runs.filter((h) => h === 'a').length >= 3 && runs.includes('b'), 'both');
      expect(lines.some((l) => l.startsWith('job failed') && l.includes('body failed'))).toBe(true);
      const leases = await store.all(`SELECT job FROM job_leases WHERE job = 'job:local'`);
      expect(leases).toEqual([]);
    } finally {
      await a();
      await b();
    }
  });
});
