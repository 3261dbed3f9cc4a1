import { DuckDBInstance } from '@duckdb/node-api';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rec, toCsv } from '../ingest/fixtures.js';

const run = promisify(execFile);
const cli = (file: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', file, ...args], { cwd: process.cwd() }).catch(
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

// npm run export: a DuckDB file loaded by the ingest CLI, exported as a Hive-partitioned lake.
describe('worker/cli/export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes month=YYYY-MM partitions with progress, and refuses bad arguments', async () => {
    const db = join(dir, 'cli.duckdb');
    const units = join(dir, 'units.csv');
    const demo = {
      waba_id: 'demo-waba-de',
      waba_timezone: 'Europe/Berlin',
      currency: 'EUR',
      phone_number_id: 'demo-pn-de-shop',
    };
    await writeFile(
      units,
      toCsv([
        rec('e1', { ...demo, opened_at: '2024-01-31T23:30:00Z' }), // February 1 in Berlin
        rec('e2', { ...demo, opened_at: '2024-01-15T10:00:00Z' }),
        rec('e3', { ...demo, opened_at: '2024-03-02T10:00:00Z' }),
      ]),
    );
    const loaded = await cli('worker/cli/ingest.ts', ['--file', units, '--db', db, '--demo-tenancy']);
    expect('code' in loaded ? loaded.code : 0).toBe(0);

    const out = join(dir, 'lake');
    const ok = await cli('worker/cli/export.ts', [
      '--from',
      '2024-01',
      '--to',
      '2024-02',
      '--format',
      'parquet',
      '--out',
      out,
      '--tables',
      'units',
      '--db',
      db,
    ]);
    expect('code' in ok ? ok.code : 0).toBe(0);
    expect(ok.stderr).toContain('100 % units 2024-02');
    const summary = JSON.parse(ok.stdout.trim());
    expect(summary.rows).toBe(2);
    expect((await readdir(join(out, 'units'))).sort()).toEqual(['month=2024-01', 'month=2024-02']);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const rows = (
      await conn.runAndReadAll(
        `SELECT month, unit_id FROM read_parquet('${out}/units/*/*.parquet', hive_partitioning = true) ORDER BY 1`,
      )
    ).getRowObjectsJson();
    conn.closeSync();
    inst.closeSync();
    expect(rows).toEqual([
      { month: '2024-01', unit_id: 'e2' },
      { month: '2024-02', unit_id: 'e1' },
    ]);

    const bad = await cli('worker/cli/export.ts', [
      '--from',
      '2024-13',
      '--to',
      '2024-01',
      '--out',
      out,
      '--db',
      db,
    ]);
    expect('code' in bad ? bad.code : 0).toBe(2);
    expect(bad.stderr).toContain('--from must be a month as YYYY-MM or a day as YYYY-MM-DD');
  });
});
