/**
 * Applies one archived reference change to the store being rebuilt, in one transaction: the rows of each of its
 * tables (upserted, or replacing the rows of the keys it lists), then the re-pricing the live store ran with it,
 * as of the change's time. A change whose files are not all there, or one whose file cannot be read (a file cut
 * short by a copy or a crash), stops the rebuild: applying part of a change would price differently.
 */
import { repriceForCard, repriceWabaMonths } from '../billing/reprice-for-card.js';
import type { Db, Queryable } from '../db/db.js';
import { LakeReplayError } from '../errors.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { sqlString } from '../kernel/sql-literal.js';
import type { LakeReferenceFiles } from '../lake/read-lake.js';
import {
  REFERENCE_LAKE_TABLES,
  type ReferenceEffect,
  type ReferenceTable,
} from '../lake/reference-tables.js';

interface FileMeta {
  readonly tables: string;
  readonly scope: string;
  readonly keys: string[];
  readonly effect: string;
  readonly changedAt: Date;
}

async function readMeta(db: Queryable, change: LakeReferenceFiles, table: string, path: string) {
  let rows: { k: string; v: string }[];
  try {
    rows = await db.all<{ k: string; v: string }>(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${sqlString(path)})`,
    );
    await db.all(`SELECT count(*) FROM read_parquet(${sqlString(path)}, hive_partitioning = false)`);
  } catch (err) {
    throw new LakeReplayError(
      `reference change ${change.seq}: ${path} cannot be read (cut short?): ${String(err).slice(0, 300)}`,
    );
  }
  const kv = new Map(rows.map((r) => [r.k, r.v]));
  const changedAt = new Date(kv.get('changed_at') ?? '');
  if (
    kv.get('change_id') !== change.batchId ||
    kv.get('seq') !== String(change.seq) ||
    kv.get('table') !== table ||
    Number.isNaN(changedAt.getTime())
  )
    throw new LakeReplayError(`${path} does not carry its change's metadata (change_id, seq, table)`);
  const meta: FileMeta = {
    tables: kv.get('tables') ?? '',
    scope: kv.get('scope') ?? '',
    keys: JSON.parse(kv.get('keys') ?? '[]') as string[],
    effect: kv.get('effect') ?? '',
    changedAt,
  };
  return meta;
}

async function applyTable(tx: Queryable, def: ReferenceTable, path: string, meta: FileMeta): Promise<void> {
  const source = `read_parquet(${sqlString(path)}, hive_partitioning = false)`;
  if (def.apply === 'upsert') {
    const set = (def.updatable ?? []).map((c) => `${c} = excluded.${c}`).join(', ');
    await tx.run(
      `INSERT INTO ${def.name} BY NAME SELECT * FROM ${source} ON CONFLICT (${def.key}) DO UPDATE SET ${set}`,
    );
    return;
  }
  if (meta.scope === 'all' || def.key === null) await tx.run(`DELETE FROM ${def.name}`);
  else
    await tx.run(`DELETE FROM ${def.name} WHERE list_contains($keys::VARCHAR[], ${def.key})`, {
      keys: meta.keys,
    });
  await tx.run(`INSERT INTO ${def.name} BY NAME SELECT * FROM ${source}`);
}

async function runEffect(tx: Queryable, effect: ReferenceEffect, domain: DomainContext): Promise<void> {
  if (effect.kind === 'reprice_wabas') {
    await repriceWabaMonths(tx, effect.waba_ids, domain);
    return;
  }
  const [card] = await tx.all<{ currency: string; pricing_model: 'CBP' | 'PMP' }>(
    'SELECT currency, pricing_model FROM rate_cards WHERE card_id = $id',
    { id: effect.card_id },
  );
  if (!card) throw new LakeReplayError(`the change re-prices card ${effect.card_id}, which it does not hold`);
  await repriceForCard(tx, card, effect.from, domain);
}

/** Applies the change; returns the number of its tables. */
export async function replayReferenceChange(
  db: Db,
  change: LakeReferenceFiles,
  domain: DomainContext,
): Promise<number> {
  const metas = new Map<string, FileMeta>();
  for (const [table, path] of change.files) metas.set(table, await readMeta(db, change, table, path));
  const first = [...metas.values()][0];
  const listed = (first?.tables ?? '').split(',').filter(Boolean);
  const missing = listed.filter((t) => !change.files.has(t));
  if (!first || missing.length > 0 || listed.length !== change.files.size)
    throw new LakeReplayError(
      `reference change ${change.seq} (${change.batchId}) is incomplete: missing ${missing.join(', ') || '?'}`,
    );
  const changedAt = first.changedAt;
  await db.transaction(async (tx) => {
    for (const def of REFERENCE_LAKE_TABLES) {
      const path = change.files.get(def.name);
      if (path) await applyTable(tx, def, path, metas.get(def.name)!);
    }
    if (first.effect)
      await runEffect(tx, JSON.parse(first.effect) as ReferenceEffect, { ...domain, now: () => changedAt });
    await tx.run(
      `INSERT INTO lake_reference_changes
         VALUES ($id, $seq, $at::TIMESTAMPTZ, (SELECT max(version) FROM pricing_seed))`,
      { id: change.batchId, seq: change.seq, at: changedAt.toISOString() },
    );
  });
  return change.files.size;
}
