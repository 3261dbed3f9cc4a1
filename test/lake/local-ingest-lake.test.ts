/** The local lake folder: spool, publish (also when cut short and run again), discard, recovery, and its config. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { silentLogger } from '../../worker/env.js';
import { batchFileName, parseBatchFileName } from '../../worker/lake/ingest-lake.js';
import { localIngestLake } from '../../worker/lake/local-ingest-lake.js';
import { listLakeBatches, listReferenceChanges } from '../../worker/lake/read-lake.js';
import { recoverLake } from '../../worker/lake/recover-lake.js';
import { PRICING_TABLES, REFERENCE_LAKE_TABLES } from '../../worker/lake/reference-tables.js';

const A = { kind: 'units', seq: 7, batchId: 'ib_a_1' } as const;
const B = { kind: 'webhooks', seq: 8, batchId: 'ib_b_2' } as const;

describe('worker/lake/local-ingest-lake', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lake-unit-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** What DuckDB's partitioned COPY leaves in a spool folder. */
  async function spool(batch: typeof A | typeof B, months: Record<string, string[]>): Promise<void> {
    const dir = await localIngestLake(root, silentLogger).spoolDir(batch);
    for (const [m, files] of Object.entries(months)) {
      await mkdir(join(dir, `month=${m}`), { recursive: true });
      for (const f of files) await writeFile(join(dir, `month=${m}`, f), `${batch.batchId} ${m} ${f}`);
    }
  }

  it('names files so that they sort in commit order and parse back', () => {
    expect(batchFileName(A)).toBe('batch-000000000007-ib_a_1.parquet');
    expect(batchFileName(A, 2)).toBe('batch-000000000007-ib_a_1.2.parquet');
    expect(parseBatchFileName(batchFileName(A, 2))).toEqual({ seq: 7, batchId: 'ib_a_1' });
    expect(parseBatchFileName('data_0.parquet')).toBeNull();
  });

  it('publishes by month, and a publish cut short finishes without renaming a part twice', async () => {
    const lake = localIngestLake(root, silentLogger);
    await spool(A, { '2026-09': ['data_0.parquet'], '2026-10': ['data_0.parquet', 'data_1.parquet'] });
    await lake.seal(A);
    // As if the process stopped after the first rename of 2026-10.
    await mkdir(join(root, 'units', 'month=2026-10'), { recursive: true });
    const spoolDir = join(root, '_spool', 'units-000000000007-ib_a_1', 'month=2026-10');
    await writeFile(
      join(root, 'units', 'month=2026-10', batchFileName(A)),
      await readFile(join(spoolDir, 'data_0.parquet')),
    );
    await rm(join(spoolDir, 'data_0.parquet'));
    expect(await lake.spooled()).toEqual([A]);
    expect(await lake.publish(A)).toBe(true);
    expect((await readdir(join(root, 'units', 'month=2026-10'))).sort()).toEqual(
      [batchFileName(A), batchFileName(A, 1)].sort(),
    );
    expect(await readFile(join(root, 'units', 'month=2026-10', batchFileName(A, 1)), 'utf8')).toBe(
      'ib_a_1 2026-10 data_1.parquet',
    );
    expect(await lake.spooled()).toEqual([]);
    const listed = await listLakeBatches(root);
    expect(listed.map((b) => [b.seq, b.files.length])).toEqual([[7, 3]]);
  });

  it('recovers: publishes the spool of a committed batch, drops that of one that never committed', async () => {
    const db = await openStore({ path: ':memory:' }, new Date());
    try {
      await db.run(
        `INSERT INTO ingest_batches (batch_id, partner_id, format, rows_in, rows_new, rows_dup, received_at, seq)
         VALUES ('ib_a_1', NULL, 'csv', 1, 1, 0, now(), 7)`,
      );
      await spool(A, { '2026-10': ['data_0.parquet'] });
      await spool(B, { '2026-12': ['data_0.parquet'] });
      const lake = localIngestLake(root, silentLogger);
      expect(await db.writeSession((s) => s.transaction((tx) => recoverLake(tx, lake)))).toEqual({
        published: 1,
        discarded: 1,
        // The store had archived no reference data yet: all of it is, once.
        reference: true,
      });
      expect((await listLakeBatches(root)).map((b) => b.batchId)).toEqual(['ib_a_1']);
      expect(await lake.spooled()).toEqual([]);
      const [baseline, ...more] = await listReferenceChanges(root);
      expect(more).toEqual([]);
      expect([...baseline!.files.keys()].sort()).toEqual(REFERENCE_LAKE_TABLES.map((t) => t.name).sort());
      expect(await db.writeSession((s) => s.transaction((tx) => recoverLake(tx, lake)))).toMatchObject({
        reference: false,
      });
      // A start that loaded a newer version of the shipped markets and cards archives them before the next entry.
      await db.run(`UPDATE pricing_seed SET version = 'next'`);
      expect(await db.writeSession((s) => s.transaction((tx) => recoverLake(tx, lake)))).toMatchObject({
        reference: true,
      });
      const pricing = (await listReferenceChanges(root)).at(-1)!;
      expect([...pricing.files.keys()].sort()).toEqual([...PRICING_TABLES].sort());
    } finally {
      await db.close();
    }
  });

  it('refuses a lake where two batches share a number', async () => {
    for (const [kind, id] of [
      ['units', 'ib_a_1'],
      ['webhooks', 'ib_c_3'],
    ] as const) {
      await mkdir(join(root, kind, 'month=2026-10'), { recursive: true });
      await writeFile(join(root, kind, 'month=2026-10', batchFileName({ kind, seq: 7, batchId: id })), '');
    }
    await expect(listLakeBatches(root)).rejects.toThrow(/two batches are numbered 7/);
    await expect(listLakeBatches(join(root, 'missing'))).rejects.toThrow(/cannot be read/);
  });

  it('is configured by INGEST_LAKE_DIR, beside the DuckDB file by default, off on request', () => {
    expect(normalizeConfig({}).ingestLakeDir).toBe('.data/ingest-lake');
    expect(normalizeConfig({ DB_PATH: '/srv/ci/store.duckdb' }).ingestLakeDir).toBe('/srv/ci/ingest-lake');
    expect(normalizeConfig({ DB_PATH: 'store.duckdb' }).ingestLakeDir).toBe('ingest-lake');
    expect(normalizeConfig({ DB_PATH: ':memory:' }).ingestLakeDir).toBeNull();
    expect(normalizeConfig({ INGEST_LAKE_DIR: 'off' }).ingestLakeDir).toBeNull();
    expect(normalizeConfig({ INGEST_LAKE_DIR: '/lake' }).ingestLakeDir).toBe('/lake');
  });
});
