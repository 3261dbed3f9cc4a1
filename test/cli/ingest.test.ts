import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../worker/pricing/open-store.js';
import { progressLine } from '../../worker/cli/progress-line.js';
import { rec, toCsv } from '../ingest/fixtures.js';

const run = promisify(execFile);

describe('worker/cli/ingest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ingest-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'worker/cli/ingest.ts', ...args], { cwd: process.cwd() }).catch(
      (err: { code: number; stdout: string; stderr: string }) => err,
    );

  it('loads a small CSV into a DuckDB file and prints a summary, then rejects a bad one', async () => {
    const db = join(dir, 'cli.duckdb');
    const file = join(dir, 'units.csv');
    const demo = {
      waba_id: 'demo-waba-de',
      waba_timezone: 'Europe/Berlin',
      currency: 'EUR',
      phone_number_id: 'demo-pn-de-shop',
    };
    await writeFile(file, toCsv([rec('k1', demo), rec('k2', demo), rec('k2', demo)]));
    const ok = await cli(['--file', file, '--db', db, '--demo-tenancy']);
    expect('code' in ok ? ok.code : 0).toBe(0);
    const summary = JSON.parse(ok.stdout.trim());
    expect(summary).toMatchObject({
      format: 'csv',
      rows: 3,
      inserted: 2,
      duplicates: 1,
      months_recomputed: 1,
    });
    expect(ok.stderr).toContain('100 % done');

    const bad = join(dir, 'bad.csv');
    await writeFile(bad, toCsv([rec('k3', { ...demo, opened_at: 'later' })]));
    const rejected = await cli(['--file', bad, '--db', db, '--partner', 'demo']);
    expect('code' in rejected ? rejected.code : 0).toBe(1);
    expect(rejected.stderr).toContain('"column": "opened_at"');

    const store = await openStore({ path: db }, new Date());
    try {
      const rows = await store.all(
        `SELECT unit_id, strftime(local_month, '%Y-%m') AS m FROM units ORDER BY 1`,
      );
      expect(rows).toEqual([
        { unit_id: 'k1', m: '2024-03' },
        { unit_id: 'k2', m: '2024-03' },
      ]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('draws the progress bar by phase', () => {
    // Reading is the first 90 % of the bar, settling the rest.
    expect(progressLine('reading', 50, 1500)).toBe(
      '[##############----------------]  45 % reading    1.5 s ',
    );
    expect(progressLine('settling', -1, 1800)).toContain(' 90 % settling');
    expect(progressLine('done', -1, 2000)).toContain('100 % done');
  });
});
