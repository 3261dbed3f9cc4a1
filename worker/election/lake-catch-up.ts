/**
 * Brings an analytics store up to the shared ingest lake: every batch and reference change in the object store
 * that the store does not hold is fetched into the local lake folder and replayed, in commit order, through the
 * same ingest as a rebuild. A store holds an entry it ingested itself (ingest_batches, lake_reference_changes)
 * or replayed before (lake_replayed), so a second catch-up replays nothing, and a replay twice over changes
 * nothing either (units are merged by unit_id, reference rows upserted).
 *
 * Several writers, one after the other, write one lake: each numbers its entries from its own sequence, moved
 * past the lake's last entry when it takes over (`SEQ_GAP` further, so the few entries a stalled predecessor
 * may still write after losing its lease never share a number with the new writer's). Entries are therefore
 * told apart by their id, and ordered by number, then id.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { existsSync } from 'node:fs';
import type { Db } from '../db/db.js';
import { AppError } from '../errors.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { parseBatchFileName, type LakeKind } from '../lake/ingest-lake.js';
import type { ObjectStore } from '../lake/object-store.js';
import type { LakeBatchFiles, LakeReferenceFiles } from '../lake/read-lake.js';
import { advanceBatchSeq, replayEntry } from '../cli/replay-lake.js';

/** How far past the lake's last entry a new writer numbers its own. */
export const SEQ_GAP = 10_000;

interface RemoteEntry {
  readonly kind: LakeKind;
  readonly seq: number;
  readonly batchId: string;
  /** Lake keys of its files; for a reference change, by table. */
  readonly keys: Map<string, string>;
}

/** The lake's entries as the object store lists them (keys relative to the lake's root). */
export function remoteEntries(keys: readonly string[]): RemoteEntry[] {
  const byId = new Map<string, RemoteEntry>();
  for (const key of keys) {
    const parts = key.split('/');
    const name = parts.at(-1) ?? '';
    const parsed = parseBatchFileName(name);
    if (!parsed) continue;
    let kind: LakeKind;
    let part: string;
    if (
      parts.length === 3 &&
      (parts[0] === 'units' || parts[0] === 'webhooks') &&
      name.startsWith('batch-')
    ) {
      kind = parts[0] as LakeKind;
      part = key;
    } else if (parts.length === 4 && parts[0] === 'reference' && name.startsWith('change-')) {
      kind = 'reference';
      part = parts[1]!;
    } else continue;
    if (!/^month=\d{4}-\d{2}$/.test(parts.at(-2) ?? '')) continue;
    const entry = byId.get(parsed.batchId) ?? { kind, ...parsed, keys: new Map<string, string>() };
    entry.keys.set(part, key);
    byId.set(parsed.batchId, entry);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq || a.batchId.localeCompare(b.batchId));
}

/** The ids of the lake entries this store holds. */
async function heldIds(db: Db): Promise<Set<string>> {
  const rows = await db.all<{ id: string }>(
    `SELECT batch_id AS id FROM ingest_batches
     UNION ALL SELECT change_id FROM lake_reference_changes
     UNION ALL SELECT batch_id FROM lake_replayed`,
  );
  return new Set(rows.map((r) => r.id));
}

export interface CatchUp {
  /** Entries replayed (batches and reference changes). */
  readonly replayed: number;
  readonly batches: number;
  readonly rows: number;
  /** The highest number in the lake (0 for an empty lake). */
  readonly lastSeq: number;
  /** Batches the ingest refused on replay (id: code), passed over. */
  readonly refused: readonly string[];
}

export interface CatchUpOptions {
  /** Only entries numbered below it (a writer's own entries start there, and may not be committed yet). */
  readonly below?: number;
  /**
   * Only entries listed for at least `ms` (first listed as `seen` records, by performance.now): a writer uploads
   * a batch just before its commit and removes it if the commit fails, so an entry still listed a while later
   * is one that committed (or whose writer died before knowing, which every replica then counts alike).
   */
  readonly settled?: { readonly seen: Map<string, number>; readonly ms: number };
}

/** Fetches and replays what the store lacks of the lake (see above). */
export async function catchUpLake(
  deps: { readonly db: Db; readonly domain: DomainContext },
  lake: { readonly dir: string; readonly store: ObjectStore },
  opts: CatchUpOptions = {},
): Promise<CatchUp> {
  const entries = remoteEntries(await lake.store.list());
  const lastSeq = entries.reduce((max, e) => Math.max(max, e.seq), 0);
  const held = await heldIds(deps.db);
  const below = opts.below ?? Number.POSITIVE_INFINITY;
  const now = performance.now();
  const settled = opts.settled;
  if (settled) {
    const listed = new Set(entries.map((e) => e.batchId));
    for (const id of settled.seen.keys()) if (!listed.has(id) || held.has(id)) settled.seen.delete(id);
    for (const e of entries)
      if (!held.has(e.batchId) && !settled.seen.has(e.batchId)) settled.seen.set(e.batchId, now);
  }
  const missing = entries.filter(
    (e) =>
      !held.has(e.batchId) &&
      e.seq < below &&
      (!settled || now - (settled.seen.get(e.batchId) ?? now) >= settled.ms),
  );
  if (missing.length === 0) return { replayed: 0, batches: 0, rows: 0, lastSeq, refused: [] };
  const workDir = await mkdtemp(join(tmpdir(), 'convo-catch-up-'));
  let rows = 0;
  const refused: string[] = [];
  try {
    for (const e of missing) {
      const files = new Map<string, string>();
      for (const [part, key] of e.keys) {
        const to = join(lake.dir, ...key.split('/'));
        if (relative(lake.dir, to).startsWith('..')) continue;
        if (!existsSync(to)) {
          await mkdir(dirname(to), { recursive: true });
          await lake.store.get(key, to);
        }
        files.set(part, to);
      }
      const entry: LakeBatchFiles | LakeReferenceFiles =
        e.kind === 'reference'
          ? { kind: 'reference', seq: e.seq, batchId: e.batchId, files }
          : { kind: e.kind, seq: e.seq, batchId: e.batchId, files: [...files.values()].sort() };
      try {
        rows += await replayEntry(deps.db, entry, workDir, deps.domain);
      } catch (err) {
        // A batch the ingest refuses here (its writer uploaded it and then refused it, or died before its
        // commit) is passed over for good rather than blocking every later entry; a store error is not.
        if (!(err instanceof AppError) || err.status >= 500 || e.kind === 'reference') throw err;
        await deps.db.run(
          `INSERT INTO lake_replayed VALUES ($id, $seq, $kind, $now::TIMESTAMPTZ) ON CONFLICT (batch_id) DO NOTHING`,
          { id: e.batchId, seq: e.seq, kind: e.kind, now: deps.domain.now().toISOString() },
        );
        refused.push(`${e.batchId}: ${err.code}`);
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const batches = missing.filter((e) => e.kind !== 'reference').length;
  return { replayed: missing.length, batches, rows, lastSeq, refused };
}

/**
 * Numbers this store's next entries past the lake's last one, `SEQ_GAP` further; returns a number every entry
 * it writes from now on exceeds.
 */
export async function numberAfterLake(db: Db, lastSeq: number): Promise<number> {
  await advanceBatchSeq(db, lastSeq + SEQ_GAP);
  const [r] = await db.all<{ v: number }>(`SELECT nextval('ingest_batch_seq')::BIGINT AS v`);
  return Number(r?.v ?? 0);
}
