/**
 * Named leases (worker/db/pg-lease.ts): one holder at a time, renewable, taken over only after expiry, and work
 * fenced by the lease; on PGlite and on a real Postgres server, where three processes compete for one lease and
 * the holder is killed with SIGKILL mid-lease.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import { acquireLease, fenceLease, releaseLease, renewLease } from '../../worker/db/pg-lease.js';
import type { PgStore } from '../../worker/db/pg-store.js';
import {
  fileServer,
  startWorker,
  stopFileServer,
  describeOnStores,
  type Worker,
} from '../helpers/store-kinds.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

afterAll(stopFileServer);

describeOnStores('worker/db/pg-lease: %s', ['pglite', 'postgres'] as const, (kind) => {
  let db: PgStore;
  beforeAll(async () => {
    db = await openMoneyStore({
      moneyStore: kind === 'pglite' ? { kind, dir: null } : { kind, url: (await fileServer()).url },
    });
  });
  afterAll(async () => db?.close());

  it('grants a lease to one holder, renews it, and hands it over only after expiry or release', async () => {
    const a = await acquireLease(db, 'settle', 'a', 400);
    expect(a).toMatchObject({ job: 'settle', holder: 'a', token: '1' });
    expect(await acquireLease(db, 'settle', 'b', 400)).toBeNull();
    // Acquiring again while held renews, same token.
    const again = await acquireLease(db, 'settle', 'a', 400);
    expect(again?.token).toBe('1');
    const renewed = await renewLease(db, a!, 400);
    expect(renewed?.token).toBe('1');
    expect(renewed!.expiresAt >= a!.expiresAt).toBe(true);
    // Another job is a separate lease.
    expect(await acquireLease(db, 'renewals', 'b', 400)).toMatchObject({ holder: 'b', token: '1' });

    await sleep(500);
    const b = await acquireLease(db, 'settle', 'b', 400);
    expect(b).toMatchObject({ holder: 'b', token: '2' });
    expect(await renewLease(db, a!, 400)).toBeNull();
    expect(await db.transaction((tx) => fenceLease(tx, a!))).toBe(false);
    expect(await db.transaction((tx) => fenceLease(tx, b!))).toBe(true);

    await releaseLease(db, b!);
    expect(await db.transaction((tx) => fenceLease(tx, b!))).toBe(false);
    expect(await acquireLease(db, 'settle', 'c', 400)).toMatchObject({ holder: 'c', token: '3' });
  });

  if (kind === 'postgres') {
    it('three processes: one works at a time; a killed holder is replaced after expiry; no step twice', async () => {
      await db.run(
        `CREATE TABLE lease_work (step BIGINT PRIMARY KEY, holder TEXT NOT NULL, token BIGINT NOT NULL,
                                    at TIMESTAMPTZ NOT NULL, lease_expires TIMESTAMPTZ NOT NULL)`,
      );
      const url = (await fileServer()).url;
      const ttl = 1000;
      const workers = new Map<string, Worker>();
      for (const holder of ['p1', 'p2', 'p3'])
        workers.set(holder, await startWorker(['lease', url, 'contract', holder, String(ttl), '20000']));
      const steps = async () =>
        db.all<{ step: string; holder: string; token: string; at: string; lease_expires: string }>(
          'SELECT step, holder, token::TEXT AS token, at, lease_expires FROM lease_work ORDER BY step',
        );
      const waitFor = async (ok: (rows: Awaited<ReturnType<typeof steps>>) => boolean) => {
        for (let i = 0; i < 300; i++) {
          const rows = await steps();
          if (ok(rows)) return rows;
          await sleep(50);
        }
        throw new Error('timed out waiting for lease work');
      };
      try {
        const before = await waitFor((rows) => rows.length >= 5);
        const first = before[before.length - 1]!;
        const victim = workers.get(first.holder)!;
        victim.child.kill('SIGKILL');
        expect(await victim.done).toBeNull();
        await waitFor((rows) => rows.filter((r) => r.token !== first.token).length >= 3);
      } finally {
        for (const w of workers.values()) w.child.kill('SIGTERM');
        await Promise.all([...workers.values()].map((w) => w.done));
      }

      const rows = await steps();
      // Steps 1..n, each once.
      expect(rows.map((r) => Number(r.step))).toEqual(rows.map((_, i) => i + 1));
      // Tokens never go back: no two holders' work interleaves; each token is one holder's.
      const tokens = rows.map((r) => Number(r.token));
      expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
      const holderOf = new Map<string, string>();
      for (const r of rows) {
        expect(holderOf.get(r.token) ?? r.holder).toBe(r.holder);
        holderOf.set(r.token, r.holder);
      }
      expect(holderOf.size).toBeGreaterThanOrEqual(2);
      // Each new holder's first step comes after the lease it took over had expired.
      for (let i = 1; i < rows.length; i++) {
        const prev = rows[i - 1]!;
        const cur = rows[i]!;
        if (cur.token !== prev.token) expect(cur.at > prev.lease_expires).toBe(true);
      }
    });
  }
});
