/**
 * The README's settings table (section "Operating the service") against the code: it names every variable
 * normalizeConfig reads, and no variable it does not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namesRead } from './config-names.js';
import { ROOT } from './dockerfile.js';

function tableNames(readme: string): string[] {
  const start = readme.indexOf('\n## Operating the service\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

describe('README: operating the service', () => {
  it('lists exactly the settings normalizeConfig reads', () => {
    const listed = tableNames(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const read = namesRead();
    expect(read.size).toBeGreaterThan(30);
    expect([...read].filter((n) => !listed.includes(n)).sort()).toEqual([]);
    expect(listed.filter((n) => !read.has(n)).sort()).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
