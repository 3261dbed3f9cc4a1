/**
 * The layer-order check (.dependency-cruiser.mjs, run by `npm run lint:layers` in `npm test`): it refuses an
 * import into a higher layer, accepts one into a lower layer, and finds none in the repository (it keeps no list
 * of accepted exceptions).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');

type Violation = { from: string; to: string; rule: { name: string } };

async function depcruise(cwd: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return run(process.execPath, [BIN, ...args, '--config', CONFIG], { cwd, maxBuffer: 64 << 20 }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}

/** The violations the check finds in `dirs` of `cwd`. */
async function violations(cwd: string, dirs: string[]): Promise<Violation[]> {
  const out = await depcruise(cwd, [...dirs, '--output-type', 'json']);
  return JSON.parse(out.stdout).summary.violations;
}

/** The exit code of the check as `npm test` runs it. */
async function exitCode(cwd: string, dirs: string[]): Promise<number> {
  return (await depcruise(cwd, [...dirs, '--output-type', 'err'])).code;
}

describe('layer order', { timeout: 120_000 }, () => {
  let tree: string;
  const put = async (path: string, text: string) => {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  };

  beforeAll(async () => {
    tree = await mkdtemp(join(tmpdir(), 'layer-order-'));
    await put(
      'tsconfig.json',
      JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }),
    );
    await put('worker/kernel/money.ts', 'export const ONE = 1n;\n');
    await put(
      'worker/db/db.ts',
      "import { ONE } from '../kernel/money.js';\nexport const two = ONE + ONE;\n",
    );
    await put('worker/routes/usage.ts', "import { two } from '../db/db.js';\nexport const route = two;\n");
  });
  afterAll(() => rm(tree, { recursive: true, force: true }));

  it('accepts imports into the same or a lower layer', async () => {
    expect(await violations(tree, ['worker'])).toEqual([]);
    expect(await exitCode(tree, ['worker'])).toBe(0);
  });

  it('refuses an import into a higher layer, type-only or not', async () => {
    await put(
      'worker/kernel/calendar.ts',
      "import { route } from '../routes/usage.js';\nexport const r = route;\n",
    );
    await put(
      'worker/pricing/card.ts',
      "import type { Row } from '../ingest/row.js';\nexport type Card = Row;\n",
    );
    await put('worker/ingest/row.ts', 'export interface Row { id: string }\n');
    expect(await exitCode(tree, ['worker'])).not.toBe(0);
    expect((await violations(tree, ['worker'])).map((v) => [v.rule.name, v.from, v.to]).sort()).toEqual([
      ['domain-imports-no-higher-layer', 'worker/pricing/card.ts', 'worker/ingest/row.ts'],
      ['kernel-imports-no-higher-layer', 'worker/kernel/calendar.ts', 'worker/routes/usage.ts'],
    ]);
  });

  it('refuses a folder that is in no layer, and widgets reaching past the kernel', async () => {
    await put(
      'worker/newfolder/thing.ts',
      "import { ONE } from '../kernel/money.js';\nexport const t = ONE;\n",
    );
    await put('widgets/src/el.ts', "import { two } from '../../worker/db/db.js';\nexport const e = two;\n");
    const names = (await violations(tree, ['worker', 'widgets'])).map((v) => v.rule.name);
    expect(names).toContain('worker-module-in-a-layer');
    expect(names).toContain('widgets-import-only-the-kernel');
  });

  it('finds no violation in the repository itself', async () => {
    expect(await violations(ROOT, ['worker', 'widgets/src', 'widgets/build'])).toEqual([]);
  });
});
