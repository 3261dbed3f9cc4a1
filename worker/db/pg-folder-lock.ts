/**
 * PGlite keeps no lock of its own on its folder, and two PGlite instances on one folder (two processes, or two
 * stores in one) each read and write its files as if alone: the second sees a stale state and the files end up
 * mixed. This lock file, holding the owner's process id, refuses the second; a file left by a process that no
 * longer runs (killed) is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { processRuns } from './process-alive.js';

const LOCK_FILE = 'convo-store.lock';
const held = new Set<string>();

/** Takes the folder for this store; the returned function gives it back. */
export async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  if (held.has(path)) throw new Error(`the store folder ${dir} is already open in this process`);
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processRuns(owner))
        throw new Error(`the store folder ${dir} is open in process ${owner}; one process per folder`, {
          cause: err,
        });
      await unlink(path).catch(() => undefined);
    }
  }
  held.add(path);
  return async () => {
    held.delete(path);
    await unlink(path).catch(() => undefined);
  };
}
