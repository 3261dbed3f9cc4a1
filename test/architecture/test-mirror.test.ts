/** test/ mirrors worker/: every top-level folder of the service has a test folder of the same name. */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

async function folders(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

describe('test folders', () => {
  it('mirror every folder under worker/', async () => {
    const tests = new Set(await folders('test'));
    const missing = (await folders('worker')).filter((f) => !tests.has(f));
    expect(missing).toEqual([]);
  });
});
