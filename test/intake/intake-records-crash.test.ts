/**
 * kill -9 of the real service while it derives accepted record batches: after a restart every acknowledged
 * record is derived, and exactly once. Bounded: 300 records per round, loopback only, the child stopped only by
 * its own pid.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../worker/pricing/open-store.js';
import type { ServerProcess } from '../adversarial/server-process.js';
import { rec, toCsv } from '../ingest/fixtures.js';
import { crashTwiceThenDrain, derivedCounts } from './crash-rounds.js';

const REQUESTS = 30;
const PER_REQUEST = 10;

/** Sends REQUESTS CSV batches of PER_REQUEST new records at once; answers the records acknowledged with 202. */
async function send(url: string, key: string, round: string): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, r) => {
      const rows = Array.from({ length: PER_REQUEST }, (_, i) =>
        rec(`conv.${round}.${r}.${i}`, {
          waba_id: 'W1',
          waba_timezone: 'America/New_York',
          phone_number_id: 'N1',
          opened_at: '2026-04-02T10:00:00Z',
        }),
      );
      const res = await fetch(`${url}/v1/intake/records`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: toCsv(rows),
      });
      return { status: res.status, body: (await res.json()) as { accepted: number } };
    }),
  );
  for (const a of answers) expect(a.status).toBe(202);
  return answers.reduce((n, a) => n + a.body.accepted, 0);
}

describe('worker/intake: a crash while record batches are derived', () => {
  let dir = '';
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.stop('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('derives every acknowledged record exactly once after a restart, before and during a drain', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convo-intake-records-crash-'));
    const dbPath = join(dir, 'store.duckdb');
    const run = await crashTwiceThenDrain({ dbPath, tempDir: dir, send, track: (s) => (server = s) });
    const { key, acknowledged } = run;
    const url = run.server.url;
    expect(acknowledged).toBe(2 * REQUESTS * PER_REQUEST);
    expect((await derivedCounts(url, key)).all).toBe(acknowledged);
    await run.server.stop('SIGTERM');
    server = null;
    // Each record was landed and settled by one batch only; no batch was left half done.
    const db = await openStore({ path: dbPath }, new Date());
    const [r] = await db.all<{ units: number; inserted: number; landing: number }>(
      `SELECT (SELECT count(*) FROM units)::INTEGER AS units,
              (SELECT sum(rows_new) FROM ingest_batches WHERE status = 'done')::INTEGER AS inserted,
              (SELECT count(*) FROM ingest_batches WHERE status <> 'done')::INTEGER AS landing`,
    );
    await db.close();
    expect(r).toEqual({ units: acknowledged, inserted: acknowledged, landing: 0 });
  }, 240_000);
});
