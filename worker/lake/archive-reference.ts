/**
 * Archives a change of the reference data in the ingest lake, inside the transaction that made it: the rows the
 * change wrote, one Parquet file per table, numbered from the batches' sequence so that one order holds batches
 * and changes (writers are serialised, so the number is the commit order). As with a batch, the files are
 * spooled and made durable before the commit and published after it; the change's row in
 * lake_reference_changes tells a restart whether a spooled change committed.
 *
 * An append-only change log per table rather than snapshots: a change writes only the rows it touched, so the
 * lake grows with the changes and not with changes × table size, and a replay that applies the changes up to
 * any point has the reference data as it was at that point.
 */
import { onCommit, type Queryable } from '../db/db.js';
import { sqlString } from '../kernel/sql-literal.js';
import type { IngestLake, LakeBatch } from './ingest-lake.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  PRICING_TABLES,
  REFERENCE_LAKE_TABLES,
  referenceTable,
  type ReferenceChange,
} from './reference-tables.js';

const newChangeId = (now: Date) =>
  `rc_${now.getTime().toString(36)}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;

/**
 * The tables a change must carry beyond its own: all of them while the store has archived none yet (a new
 * store, or a lake switched on later), and the shipped markets and cards when the store loaded a newer version
 * of them than its last change recorded (they are loaded as the store opens, before any lake is at hand).
 */
async function missingTables(tx: Queryable): Promise<ReferenceChange['tables']> {
  const [s] = await tx.all<{ n: number; recorded: string | null; current: string | null }>(
    `SELECT (SELECT count(*) FROM lake_reference_changes)::INTEGER AS n,
            (SELECT pricing_version FROM lake_reference_changes ORDER BY seq DESC LIMIT 1) AS recorded,
            (SELECT max(version) FROM pricing_seed) AS current`,
  );
  if (!s || s.n === 0) return REFERENCE_LAKE_TABLES.map((t) => ({ table: t.name, keys: 'all' }));
  if (s.recorded === s.current) return [];
  return PRICING_TABLES.map((table) => ({ table, keys: 'all' }));
}

/**
 * Inside the change's transaction, after its writes: spools the change, seals it, and publishes it once the
 * transaction commits. No lake: nothing to do. Returns the change's sequence number (null: nothing archived).
 */
export async function archiveReference(
  tx: Queryable,
  lake: IngestLake | undefined,
  change: ReferenceChange,
  now: Date,
): Promise<number | null> {
  if (!lake) return null;
  const extra = await missingTables(tx);
  const whole = new Set(extra.map((t) => t.table));
  const parts = [...extra, ...change.tables.filter((t) => !whole.has(t.table))];
  if (parts.length === 0) return null;
  const [r] = await tx.all<{ seq: number }>(`SELECT nextval('ingest_batch_seq')::BIGINT AS seq`);
  const batch: LakeBatch = { kind: 'reference', seq: Number(r?.seq), batchId: newChangeId(now) };
  await tx.run(
    `INSERT INTO lake_reference_changes
       VALUES ($id, $seq, $now::TIMESTAMPTZ, (SELECT max(version) FROM pricing_seed))`,
    { id: batch.batchId, seq: batch.seq, now: now.toISOString() },
  );
  const dir = await lake.spoolDir(batch);
  const month = `month=${now.toISOString().slice(0, 7)}`;
  const tables = parts.map((t) => t.table).join(',');
  for (const { table, keys } of parts) {
    const def = referenceTable(table);
    if (!def) throw new Error(`${table} is not a reference table of the lake`);
    const all = keys === 'all' || def.key === null;
    const kv: Record<string, string> = {
      change_id: batch.batchId,
      seq: String(batch.seq),
      kind: 'reference',
      table,
      tables,
      scope: all ? 'all' : 'keys',
      keys: all ? '[]' : JSON.stringify(keys),
      effect: change.effect ? JSON.stringify(change.effect) : '',
      changed_at: now.toISOString(),
    };
    const fields = Object.entries(kv).map(([k, v]) => `"${k}": ${sqlString(v)}`);
    const folder = join(dir, table, month);
    await mkdir(folder, { recursive: true });
    await tx.run(
      `COPY (SELECT * FROM (${def.select}) t ${all ? '' : `WHERE list_contains($keys::VARCHAR[], ${def.key})`})
         TO ${sqlString(join(folder, 'data_0.parquet'))} (FORMAT parquet, KV_METADATA {${fields.join(', ')}})`,
      all ? {} : { keys: [...(keys as readonly string[])] },
    );
  }
  await lake.seal(batch);
  onCommit(tx, async () => void (await lake.publish(batch)));
  return batch.seq;
}

/**
 * Before the lake's next entry (at start and before each ingest): archives what of the reference data the lake
 * is missing (missingTables), so the entry is replayed against the reference data it met.
 */
export async function archiveReferenceBaseline(tx: Queryable, lake: IngestLake, now: Date): Promise<boolean> {
  return (await archiveReference(tx, lake, { tables: [] }, now)) !== null;
}
