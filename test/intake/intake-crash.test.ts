/**
 * kill -9 of the real service right after its 202s: after a restart every acknowledged event is derived, and
 * exactly once. Bounded: 300 events per round, loopback only, the child stopped only by its own pid.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../worker/pricing/open-store.js';
import type { ServerProcess } from '../adversarial/server-process.js';
import { envelope, lines, pmp, status } from '../ingest/webhook-fixtures.js';
import { call } from './intake-app.js';
import { crashTwiceThenDrain, derivedCounts } from './crash-rounds.js';

const REQUESTS = 30;
const PER_REQUEST = 10;

/** Sends REQUESTS bodies of PER_REQUEST new deliveries at once; answers the events acknowledged with 202. */
async function send(url: string, key: string, round: string): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, (_, r) => {
      const events = Array.from({ length: PER_REQUEST }, (_, i) =>
        envelope('W1', 'N1', [
          status(`wamid.${round}.${r}.${i}`, 'delivered', '2026-04-02T10:00:00Z', pmp('utility')),
        ]),
      );
      return call(url, 'POST', '/v1/intake/webhooks', { token: key, body: lines(...events) });
    }),
  );
  for (const a of answers) expect(a.status).toBe(202);
  return answers.reduce((n, a) => n + Number(a.body.accepted), 0);
}

describe('worker/intake: a crash right after the 202s', () => {
  let dir = '';
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.stop('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('derives every acknowledged event exactly once after a restart, before and during a drain', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convo-intake-crash-'));
    const dbPath = join(dir, 'store.duckdb');
    const run = await crashTwiceThenDrain({ dbPath, tempDir: dir, send, track: (s) => (server = s) });
    const { key, acknowledged } = run;
    const url = run.server.url;
    expect(acknowledged).toBe(2 * REQUESTS * PER_REQUEST);
    expect((await derivedCounts(url, key)).all).toBe(acknowledged);
    // Sent again after all that: every event is known, none is counted again.
    const again = await call(url, 'POST', '/v1/intake/webhooks', {
      token: key,
      body: lines(
        envelope('W1', 'N1', [status('wamid.a.0.0', 'delivered', '2026-04-02T10:00:00Z', pmp('utility'))]),
      ),
    });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    await run.server.stop('SIGTERM');
    server = null;
    // Each event was stored and derived by one batch only.
    const db = await openStore({ path: dbPath }, new Date());
    const [r] = await db.all<{ events: number; units: number; inserted: number }>(
      `SELECT (SELECT count(*) FROM status_events)::INTEGER AS events, (SELECT count(*) FROM units)::INTEGER AS units,
              (SELECT sum(rows_new) FROM ingest_batches)::INTEGER AS inserted`,
    );
    await db.close();
    expect(r).toEqual({ events: acknowledged, units: acknowledged, inserted: acknowledged });
  }, 240_000);
});
