/** worker/db/pg-folder-lock.ts: one PGlite store per folder, across processes and within one. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockFolder } from '../../worker/db/pg-folder-lock.js';

describe('worker/db/pg-folder-lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'folder-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second store in this process until the first gives the folder back', async () => {
    const release = await lockFolder(dir);
    expect(await readFile(join(dir, 'convo-store.lock'), 'utf8')).toBe(String(process.pid));
    await expect(lockFolder(dir)).rejects.toThrow(/already open in this process/);
    await release();
    await (
      await lockFolder(dir)
    )();
  });

  it('refuses a folder another running process holds', async () => {
    await writeFile(join(dir, 'convo-store.lock'), String(process.ppid));
    await expect(lockFolder(dir)).rejects.toThrow(`open in process ${process.ppid}`);
  });

  it('takes over the lock of a process that no longer runs', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(dir, 'convo-store.lock'), String(gone));
    const release = await lockFolder(dir);
    expect(await readFile(join(dir, 'convo-store.lock'), 'utf8')).toBe(String(process.pid));
    await release();
  });
});
