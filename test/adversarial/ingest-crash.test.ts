/**
 * A real server process killed (SIGKILL) in the middle of a large ingest: after a restart nothing of that batch
 * is visible, the batch committed before it is intact, sending that batch again adds nothing, and the request
 * body the killed process left in its temp folder is removed at start-up.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../worker/pricing/open-store.js';
import { rec, toCsv } from '../ingest/fixtures.js';
import { SERVER_ADMIN, startServer, type ServerProcess } from './server-process.js';

const COMMITTED = 60;
const BIG = 400_000;

async function api(s: ServerProcess, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const ingest = (s: ServerProcess, key: string, csv: string) =>
  fetch(`${s.url}/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    body: csv,
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during a large ingest', () => {
  let dir = '';
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps committed batches, shows nothing of the killed one, and removes its temp body', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ci-ingest-crash-'));
    const dbPath = join(dir, 'store.duckdb');
    const tempDir = join(dir, 'tmp');
    const first = await startServer({ dbPath, tempDir });
    servers.push(first);
    const partner = await api(first, 'POST', '/v1/partners', SERVER_ADMIN, {
      partner_id: 'acme',
      name: 'Acme',
    });
    const key = partner.body.api_key as string;
    await api(first, 'POST', '/v1/wabas', key, {
      waba_id: 'W1',
      name: 'W1',
      timezone: 'America/Los_Angeles',
      currency: 'USD',
    });
    const committed = toCsv(Array.from({ length: COMMITTED }, (_, i) => rec(`ok-${i}`)));
    const ok = await ingest(first, key, committed);
    expect(ok.status).toBe(200);

    const big = toCsv(
      Array.from({ length: BIG }, (_, i) =>
        rec(`big-${i}`, { opened_at: `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z` }),
      ),
    );
    let settled: unknown = null;
    const inFlight = ingest(first, key, big).then(
      async (r) => (settled = `${r.status} ${await r.text()}`.slice(0, 300)),
      () => 'connection lost' as const,
    );
    // Kill once the body is on disk (the ingest is reading it), a moment into the landing.
    const mine = join(tempDir, 'convo-ingest', String(first.pid));
    for (let i = 0; i < 4800 && !(existsSync(mine) && (await readdir(mine)).length > 0); i++) {
      expect(settled).toBeNull();
      await sleep(25);
    }
    expect((await readdir(mine)).length).toBe(1);
    await sleep(300);
    await first.stop('SIGKILL');
    expect(await inFlight).toBe('connection lost');
    expect(existsSync(mine)).toBe(true); // what a killed process leaves behind

    const second = await startServer({ dbPath, tempDir });
    servers.push(second);
    expect(existsSync(mine)).toBe(false);
    expect(second.stderr()).toContain('removed temp files of stopped processes');
    const again = await ingest(second, key, committed);
    expect(await again.json()).toMatchObject({ inserted: 0, updated: 0, duplicates: COMMITTED });
    await second.stop('SIGTERM');

    const db = await openStore({ path: dbPath }, new Date());
    try {
      const [u] = await db.all<{ n: number; big: number }>(
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE unit_id LIKE 'big-%')::INTEGER AS big FROM units`,
      );
      expect(u).toEqual({ n: COMMITTED, big: 0 });
      const batches = await db.all<{ status: string; rows: number }>(
        'SELECT status, rows_in::INTEGER AS rows FROM ingest_batches ORDER BY received_at',
      );
      expect(batches.map((b) => b.status)).toEqual(['done', 'done']);
      expect(batches.every((b) => b.rows === COMMITTED)).toBe(true);
    } finally {
      await db.close();
    }
  }, 300_000);
});
