/**
 * worker/election/lake-catch-up: the lake's entries as an object store lists them (batches by kind and month,
 * reference changes by table, several files of one entry gathered, stray keys ignored), in commit order with
 * entries of two writers sharing a number told apart by id; and a new writer's numbering moved past the lake.
 */
import { describe, expect, it } from 'vitest';
import { numberAfterLake, remoteEntries, SEQ_GAP } from '../../worker/election/lake-catch-up.js';
import { openStore } from '../../worker/pricing/open-store.js';

describe('worker/election/lake-catch-up', () => {
  it('lists the entries of the lake from its keys, in commit order', () => {
    const entries = remoteEntries([
      'README.txt',
      'units/month=2026-10/batch-000000000003-ib_b.parquet',
      'units/month=2026-11/batch-000000000003-ib_b.parquet',
      'units/month=2026-11/batch-000000000003-ib_b.1.parquet',
      'webhooks/month=2026-11/batch-000000000005-ib_w.parquet',
      'reference/wabas/month=2026-10/change-000000000001-rc_x.parquet',
      'reference/partners/month=2026-10/change-000000000001-rc_x.parquet',
      // A stalled writer's late batch numbered like the new writer's first one: both kept, ordered by id.
      'units/month=2026-11/batch-000000000005-ib_a.parquet',
      '_spool/units-000000000009-ib_s/month=2026-11/data_0.parquet',
      'units/2026-11/batch-000000000007-ib_c.parquet',
      'units/month=2026-11/data_0.parquet',
    ]);
    expect(entries.map((e) => [e.seq, e.kind, e.batchId])).toEqual([
      [1, 'reference', 'rc_x'],
      [3, 'units', 'ib_b'],
      [5, 'units', 'ib_a'],
      [5, 'webhooks', 'ib_w'],
    ]);
    expect([...entries[0]!.keys.keys()].sort()).toEqual(['partners', 'wabas']);
    expect(entries[1]!.keys.size).toBe(3);
  });

  it('numbers a new writer past the lake, however far its own sequence had gone', async () => {
    const db = await openStore({ path: ':memory:' }, new Date('2026-12-01T00:00:00Z'));
    try {
      const first = await numberAfterLake(db, 120);
      expect(first).toBe(120 + SEQ_GAP + 1);
      const [next] = await db.all<{ v: number }>(`SELECT nextval('ingest_batch_seq')::BIGINT AS v`);
      expect(Number(next!.v)).toBeGreaterThan(first);
      // A lake behind the store's own numbering moves nothing back.
      expect(await numberAfterLake(db, 5)).toBeGreaterThan(first);
    } finally {
      await db.close();
    }
  });
});
