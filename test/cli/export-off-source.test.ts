/**
 * `npm run export` with a money plane of its own (STORE=pglite, one folder the runs take turns on): a file loaded
 * by the ingest CLI is the usage source and publishes its rollups; a second DuckDB file, which never took a
 * unit, exports the rollups and the ledger as the same files, byte for byte, and refuses the units (exit code 1,
 * the problem naming the source) before writing any file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rec, toCsv } from '../ingest/fixtures.js';

const run = promisify(execFile);

/** Every file under `dir` (relative path → base64 bytes); none when the folder does not exist. */
async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries)
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out[relative(dir, path)] = (await readFile(path)).toString('base64');
    }
  return out;
}

describe('worker/cli/export off the usage source', () => {
  let dir: string;
  const cli = (file: string, args: string[], replica: string) =>
    run(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, STORE: 'pglite', PGLITE_DIR: join(dir, 'money'), REPLICA_ID: replica },
    }).then(
      (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-off-source-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exports the published rollups and the ledger as the source does; refuses the units', async () => {
    const units = join(dir, 'units.csv');
    const de = {
      waba_id: 'demo-waba-de',
      waba_timezone: 'Europe/Berlin',
      currency: 'EUR',
      phone_number_id: 'demo-pn-de-shop',
    };
    await writeFile(
      units,
      toCsv(
        Array.from({ length: 40 }, (_, i) =>
          rec(`x${i}`, {
            ...de,
            opened_at: new Date(Date.parse('2024-01-05T10:00:00Z') + i * 37 * 3_600_000).toISOString(),
            category: i % 3 === 0 ? 'utility' : 'marketing',
          }),
        ),
      ),
    );
    const source = join(dir, 'source.duckdb');
    const loaded = await cli(
      'worker/cli/ingest.ts',
      ['--file', units, '--db', source, '--demo-tenancy'],
      'cli-a',
    );
    expect(loaded.code, loaded.stderr).toBe(0);

    const range = ['--from', '2024-01', '--to', '2024-03', '--format', 'parquet'];
    const tables = ['--tables', 'usage_daily,usage_monthly,charges,ledger'];
    const a = await cli(
      'worker/cli/export.ts',
      [...range, ...tables, '--out', join(dir, 'a'), '--db', source],
      'cli-a',
    );
    expect(a.code, a.stderr).toBe(0);
    const written = await files(join(dir, 'a'));
    expect(Object.keys(written).filter((f) => f.startsWith('usage_daily/')).length).toBe(3);

    const replica = join(dir, 'replica.duckdb');
    const b = await cli(
      'worker/cli/export.ts',
      [...range, ...tables, '--out', join(dir, 'b'), '--db', replica],
      'cli-b',
    );
    expect(b.code, b.stderr).toBe(0);
    expect(await files(join(dir, 'b'))).toEqual(written);

    const refused = await cli(
      'worker/cli/export.ts',
      [...range, '--tables', 'usage_daily,units', '--out', join(dir, 'c'), '--db', replica],
      'cli-b',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"claimed_by": "cli-a"');
    expect(refused.stderr).toContain('units');
    expect(await files(join(dir, 'c'))).toEqual({});
  }, 240_000);
});
