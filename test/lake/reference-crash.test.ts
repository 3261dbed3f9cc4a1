/**
 * kill -9 of the real server while it writes a reference change to the lake: the rebuild refuses the lake while
 * the change is spooled (it cannot know whether it committed); the restart drops a change that never committed
 * (the store does not have it either) and publishes one that did, and the lake then rebuilds alone.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReferenceChanges } from '../../worker/lake/read-lake.js';
import { SERVER_ADMIN, startServer, type ServerProcess } from '../adversarial/server-process.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

async function waitFor(path: string, child: ServerProcess): Promise<void> {
  for (let i = 0; i < 600 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(path))
    throw new Error(`the server never reached the pause: ${child.stderr().slice(-2000)}`);
}

async function rebuild(lake: string, out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('npx', ['tsx', 'worker/cli/rebuild.ts', '--out', out, '--lake', lake], {
      cwd: ROOT,
      env: { ...process.env, DB_PATH: join(lake, 'no-store.duckdb') },
    });
    return { code: 0, ...r };
  } catch (err) {
    return err as { code: number; stdout: string; stderr: string };
  }
}

describe('ingest lake: kill -9 around a reference change', () => {
  let dir: string;
  let dbPath: string;
  let lake: string;
  const started: ServerProcess[] = [];
  const start = async (pause?: 'seal' | 'publish') => {
    const s = await startServer({
      dbPath,
      tempDir: join(dir, 'tmp'),
      env: {
        INGEST_LAKE_DIR: lake,
        ...(pause
          ? {
              LAKE_PAUSE: pause,
              LAKE_PAUSE_KIND: 'reference',
              LAKE_PAUSE_MARKER: join(dir, `paused-${pause}`),
            }
          : {}),
      },
      ...(pause ? { nodeArgs: ['--import', join(import.meta.dirname, 'pause-lake.mjs')] } : {}),
    });
    started.push(s);
    return s;
  };
  const createPartner = (s: ServerProcess, id: string) =>
    fetch(`${s.url}/v1/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVER_ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ partner_id: id, name: id, allowed_origins: [] }),
    });
  const partnerStatus = async (s: ServerProcess, id: string) =>
    (await fetch(`${s.url}/v1/partners/${id}`, { headers: { authorization: `Bearer ${SERVER_ADMIN}` } }))
      .status;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ref-crash-'));
    dbPath = join(dir, 'store.duckdb');
    lake = join(dir, 'lake');
    // The first start archives the whole reference data; the paused starts after it write no baseline.
    await (await start()).stop('SIGTERM');
  }, 120_000);
  afterAll(async () => {
    for (const s of started) await s.stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('drops a change killed before its commit, publishes one killed after it, and rebuilds', async () => {
    const a = await start('seal');
    const lost = createPartner(a, 'lost').catch(() => null);
    await waitFor(join(dir, 'paused-seal'), a);
    await a.stop('SIGKILL');
    await lost;
    expect(await readdir(join(lake, '_spool'))).toHaveLength(1);
    const refused = await rebuild(lake, join(dir, 'refused.duckdb'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/still spooled \(first: reference rc_/);
    expect(existsSync(join(dir, 'refused.duckdb'))).toBe(false);

    const b = await start('publish');
    expect(b.stderr()).toContain('"discarded":1');
    expect(await partnerStatus(b, 'lost')).toBe(404);
    const kept = createPartner(b, 'kept').catch(() => null);
    await waitFor(join(dir, 'paused-publish'), b);
    await b.stop('SIGKILL');
    await kept;

    const c = await start();
    expect(c.stderr()).toContain('"published":1');
    expect(await partnerStatus(c, 'kept')).toBe(200);
    await c.stop('SIGTERM');
    expect(await readdir(join(lake, '_spool'))).toEqual([]);
    const changes = await listReferenceChanges(lake);
    expect(changes.map((x) => [...x.files.keys()])).toEqual([
      [
        'market_prefixes',
        'partners',
        'phone_numbers',
        'pricing_seed',
        'rate_card_rates',
        'rate_card_tiers',
        'rate_cards',
        'wabas',
      ],
      ['partners'],
    ]);
    const out = join(dir, 'rebuilt.duckdb');
    const r = await rebuild(lake, out);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reference_changes: 2, batches: 0 });
  }, 300_000);
});
