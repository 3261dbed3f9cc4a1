/**
 * Flushes a file or a folder to disk. A folder is synced after files are created or renamed in it: without that
 * a crash can lose the new names even though the files' own data was synced. The lake and the intake log both
 * rely on it before they call a batch durable.
 */
import { open } from 'node:fs/promises';

export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
