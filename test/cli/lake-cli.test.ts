/**
 * The command lines around the lake: `npm run ingest` archives its batch beside the DuckDB file (or not, with
 * INGEST_LAKE_DIR=off), and `npm run rebuild` refuses to overwrite a file and says in one line what failed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLakeBatches } from '../../worker/lake/read-lake.js';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'data/demo/sample-units.csv');

async function cli(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)('npx', ['tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('worker/cli/ingest and worker/cli/rebuild with the lake', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('archives the batch the ingest CLI accepted, with every record', async () => {
    const db = join(dir, 'store.duckdb');
    const r = await cli('worker/cli/ingest.ts', ['--file', SAMPLE, '--db', db, '--demo-tenancy']);
    expect(r.code, r.stderr).toBe(0);
    const { batch_id, rows } = JSON.parse(r.stdout) as { batch_id: string; rows: number };
    const [batch] = await listLakeBatches(join(dir, 'ingest-lake'));
    expect(batch?.batchId).toBe(batch_id);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const files = batch!.files.map((f) => `'${f}'`).join(', ');
    const read = await conn.runAndReadAll(
      `SELECT count(*)::INTEGER, count(DISTINCT line)::INTEGER, min(batch_id), max(batch_id)
         FROM read_parquet([${files}])`,
    );
    expect(read.getRows()[0]).toEqual([rows, rows, batch_id, batch_id]);
    conn.closeSync();
    inst.closeSync();
  }, 120_000);

  it('archives nothing with INGEST_LAKE_DIR=off', async () => {
    const sub = join(dir, 'off');
    const r = await cli(
      'worker/cli/ingest.ts',
      ['--file', SAMPLE, '--db', join(sub, 'store.duckdb'), '--demo-tenancy'],
      { INGEST_LAKE_DIR: 'off' },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(sub, 'ingest-lake'))).toBe(false);
  }, 120_000);

  it('rebuild: refuses an existing output, and names what failed', async () => {
    const store = join(dir, 'store.duckdb');
    const taken = await cli('worker/cli/rebuild.ts', ['--out', store, '--reference', store]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/exists; the rebuild writes a fresh file/);
    const out = join(dir, 'rebuilt.duckdb');
    const missing = await cli('worker/cli/rebuild.ts', [
      '--out',
      out,
      '--lake',
      join(dir, 'no-lake'),
      '--reference',
      store,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/rebuild failed: the lake folder .*no-lake cannot be read/);
    expect(existsSync(out)).toBe(false);
    // A batch left in the spool (a crash the store has not settled yet) stops the rebuild too.
    await mkdir(join(dir, 'ingest-lake', '_spool', 'units-000000000099-ib_x_1'), { recursive: true });
    const spooled = await cli('worker/cli/rebuild.ts', [
      '--out',
      out,
      '--lake',
      join(dir, 'ingest-lake'),
      '--reference',
      store,
    ]);
    expect(spooled.code).toBe(1);
    expect(spooled.stderr).toMatch(
      /rebuild failed: 1 batch\(es\) or reference change\(s\) of the lake are still spooled \(first: units ib_x_1\)/,
    );
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
