/**
 * The ingest lake in a local folder (Node): batches are spooled under <root>/_spool and published by rename into
 * <root>/<kind>/month=YYYY-MM/ (a reference change into <root>/reference/<table>/month=YYYY-MM/), on the same file system, so a reader sees a whole file or none. Files and folders
 * are fsynced before the commit (spool) and after the renames (publish), so a power cut loses neither.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { fsyncPath } from '../db/fsync-path.js';
import type { Logger } from '../env.js';
import { batchFileName, parseSpoolName, spoolName, type IngestLake, type LakeBatch } from './ingest-lake.js';
import { sortedEntries } from './list-dir.js';

const SPOOL = '_spool';

/**
 * The month folders of a spooled batch, relative to its spool (month=YYYY-MM, or <table>/month=YYYY-MM for a
 * reference change), and the Parquet files in each.
 */
async function spooledFiles(dir: string, prefix = ''): Promise<{ month: string; files: string[] }[]> {
  const out: { month: string; files: string[] }[] = [];
  for (const name of await sortedEntries(join(dir, prefix))) {
    const rel = prefix ? join(prefix, name) : name;
    if (name.startsWith('month='))
      out.push({
        month: rel,
        files: (await sortedEntries(join(dir, rel))).filter((f) => f.endsWith('.parquet')),
      });
    else if (!prefix && !name.includes('.')) out.push(...(await spooledFiles(dir, name)));
  }
  return out;
}

const partOf = (file: string) => Number(/(\d+)\.parquet$/.exec(file)?.[1] ?? 0);

/** One spooled file and the key (relative to the lake's root) it is published under. */
export interface PublishStep {
  readonly from: string;
  /** <kind>/month=YYYY-MM/<name>, or reference/<table>/month=YYYY-MM/<name>; '/' on every platform. */
  readonly key: string;
}

/** Where each spooled file of a batch goes when it is published (nothing when nothing is spooled). */
export async function publishPlan(root: string, batch: LakeBatch): Promise<PublishStep[]> {
  const dir = join(root, SPOOL, spoolName(batch));
  return (await spooledFiles(dir)).flatMap(({ month, files }) =>
    // DuckDB's data_<n> decides the part, so a publish cut short and run again names the rest alike.
    files.map((f) => ({
      from: join(dir, month, f),
      key: [batch.kind, ...month.split(sep), batchFileName(batch, partOf(f))].join('/'),
    })),
  );
}

export function localIngestLake(root: string, log: Logger): IngestLake {
  const spoolRoot = join(root, SPOOL);
  const dirOf = (b: LakeBatch) => join(spoolRoot, spoolName(b));
  return {
    async spoolDir(batch) {
      const dir = dirOf(batch);
      await rm(dir, { recursive: true, force: true });
      await mkdir(spoolRoot, { recursive: true });
      return dir;
    },
    async seal(batch) {
      const dir = dirOf(batch);
      const months = await spooledFiles(dir);
      for (const { month, files } of months) {
        for (const f of files) await fsyncPath(join(dir, month, f));
        await fsyncPath(join(dir, month));
        if (month.includes('/')) await fsyncPath(join(dir, month, '..'));
      }
      if (months.length > 0) await fsyncPath(dir);
      await fsyncPath(spoolRoot);
    },
    async publish(batch) {
      const dir = dirOf(batch);
      try {
        const targets = new Set<string>();
        for (const step of await publishPlan(root, batch)) {
          const to = join(root, ...step.key.split('/'));
          if (!targets.has(dirname(to))) await mkdir(dirname(to), { recursive: true });
          targets.add(dirname(to));
          await rename(step.from, to);
        }
        for (const target of targets) await fsyncPath(target);
        await rm(dir, { recursive: true, force: true });
        return true;
      } catch (err) {
        log.error('ingest lake: a committed batch is not published yet (it stays spooled)', {
          batch_id: batch.batchId,
          seq: batch.seq,
          error: String(err),
        });
        return false;
      }
    },
    async discard(batch) {
      await rm(dirOf(batch), { recursive: true, force: true });
    },
    async spooled() {
      const out: LakeBatch[] = [];
      for (const name of await sortedEntries(spoolRoot)) {
        const b = parseSpoolName(name);
        if (b) out.push(b);
      }
      return out.sort((a, b) => a.seq - b.seq);
    },
  };
}
