/**
 * A lake folder's entries in name order, which for batch files is commit order (the sequence leads the name).
 * A folder that does not exist yet is an empty one: a month or kind no batch has reached.
 */
import { readdir } from 'node:fs/promises';

export async function sortedEntries(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
