/**
 * Brings the local ingest lake and its object-store copy level, file by file (published files only; the spool
 * is local by design). Upload: files published locally while the object store was unreachable, or before it was
 * configured. Download: a lost local disk restored from the copy before a rebuild. A file is never changed once
 * published (its name holds its batch), so a name present on both sides is the same file.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { sortedEntries } from './list-dir.js';
import type { ObjectStore } from './object-store.js';

const SPOOL = '_spool';

/** The published files of a local lake, as keys relative to its root. */
export async function localLakeKeys(root: string, under = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of await sortedEntries(join(root, under))) {
    if (!under && name === SPOOL) continue;
    const rel = under ? join(under, name) : name;
    if (name.endsWith('.parquet')) out.push(rel.split(sep).join('/'));
    else if (!name.includes('.')) out.push(...(await localLakeKeys(root, rel)));
  }
  return out;
}

export interface LakeSync {
  readonly uploaded: number;
  readonly downloaded: number;
}

export async function uploadMissing(root: string, store: ObjectStore): Promise<LakeSync> {
  const remote = new Set(await store.list());
  let uploaded = 0;
  for (const key of await localLakeKeys(root)) {
    if (remote.has(key)) continue;
    await store.put(key, join(root, ...key.split('/')));
    uploaded++;
  }
  return { uploaded, downloaded: 0 };
}

export async function downloadMissing(store: ObjectStore, root: string): Promise<LakeSync> {
  const local = new Set(await localLakeKeys(root));
  let downloaded = 0;
  for (const key of await store.list()) {
    // Only lake files: a stray object (or a key that would leave the folder) is not the lake's.
    if (local.has(key) || !key.endsWith('.parquet') || key.startsWith(`${SPOOL}/`)) continue;
    const to = join(root, ...key.split('/'));
    if (relative(root, to).startsWith('..')) continue;
    await mkdir(dirname(to), { recursive: true });
    await store.get(key, to);
    downloaded++;
  }
  return { uploaded: 0, downloaded };
}
