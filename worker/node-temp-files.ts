/**
 * Temporary request bodies for DuckDB's file readers, one folder per process under `<root>/convo-ingest/<pid>`,
 * so that a process can tell its own files from those a killed one left behind: at start-up every folder whose
 * process no longer runs is removed (a killed ingest would otherwise leave its body, up to the body limit, on
 * disk for ever). A body is also removed when its request ends, whether it succeeded or failed.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processRuns } from './db/process-alive.js';

const FOLDER = 'convo-ingest';

export const tempRootOf = (root: string | null): string => join(root ?? tmpdir(), FOLDER);

/** Removes the folders of processes that no longer run; returns how many. */
export async function cleanStaleTempFiles(root: string | null): Promise<number> {
  const base = tempRootOf(root);
  let removed = 0;
  for (const name of await readdir(base).catch(() => [] as string[])) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processRuns(pid)) continue;
    await rm(join(base, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** Writes bytes to a fresh temp file, calls fn with its path and removes the file however fn ends. */
export async function withTempFile<T>(
  root: string | null,
  bytes: Uint8Array,
  extension: string,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  const mine = join(tempRootOf(root), String(process.pid));
  await mkdir(mine, { recursive: true });
  const dir = await mkdtemp(join(mine, 'body-'));
  const path = join(dir, `body.${extension.replace(/[^a-z0-9.]/gi, '')}`);
  try {
    await writeFile(path, bytes);
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
