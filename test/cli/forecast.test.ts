import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'forecast-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'worker/cli/forecast.ts', ...args], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('worker/cli/forecast', () => {
  it('forecasts a tiny file on two worker threads, in input order', () => {
    const file = join(dir, 'in.csv');
    const rows = ['series_id,t,value'];
    for (const id of ['s1', 's2', 's3']) for (let t = 1; t <= 4; t++) rows.push(`${id},${t},${t * 10}`);
    rows.push('zeros,1,0', 'zeros,2,0');
    writeFileSync(file, rows.join('\n') + '\n');
    const r = run(['--horizon', '2', '--season', '12', '--method', 'naive', '--workers', '2', file]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('series_id,h,mean,lower_80,upper_80,lower_95,upper_95');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      's1,1,40',
      's1,2,40',
      's2,1,40',
      's2,2,40',
      's3,1,40',
      's3,2,40',
      'zeros,1,0',
      'zeros,2,0',
    ]);
    // differences 10, 10, 10 → σ = 10; 80 % upper at h = 1: 40 + 12.8155…
    expect(Number(lines[1]!.split(',')[4])).toBeCloseTo(52.8155, 3);
    expect(r.stderr).toMatch(/4\/4 series/);
  }, 30_000);

  it('exits 2 naming the line and reason of a bad row', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'series_id,t,value\na,1,1\na,x,2\na,3,NaN\n');
    const r = run(['--horizon', '2', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.csv:3: t "x" is not an integer');
    expect(r.stderr).toContain('bad.csv:4: value "NaN" is not a finite number');
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a bad option', () => {
    const r = run(['--horizon', '0', 'x.csv']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--horizon must be/);
  });
});
