/**
 * The real Node host (worker/node.ts in a child process, loopback only): it refuses to start in production
 * without its secrets, says demo mode loudly, answers a taken port with one clear line and no stack trace, and
 * outside demo mode serves no demo route.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  code: number | null;
  stderr: string;
}

const NODE_ENTRY = resolve('worker/node.ts');

function startHost(env: Record<string, string>, onLine?: (line: string, stop: () => void) => void) {
  const child = spawn(process.execPath, ['--import', 'tsx', NODE_ENTRY], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let pending = '';
  const stop = () => child.kill('SIGTERM');
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) onLine?.(l, stop);
  });
  return new Promise<Run>((res) => child.on('exit', (code) => res({ code, stderr })));
}

describe('worker/node.ts start-up', { timeout: 120_000 }, () => {
  let dir: string;
  let taken: Server;
  let takenPort = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ci-host-'));
    taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => taken.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start outside demo mode without SIGNING_SECRET and ADMIN_TOKEN (one line, exit 2)', async () => {
    const r = await startHost({ DB_PATH: join(dir, 'a.duckdb'), HOST: '127.0.0.1', PORT: '0' });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^configuration error: SIGNING_SECRET must be set.*ADMIN_TOKEN must be set/);
  });

  it('answers a taken port with one clear line and no stack trace (exit 1), after the demo warning', async () => {
    const r = await startHost({
      DEMO_MODE: 'true',
      DEMO_DATA: 'false',
      DB_PATH: join(dir, 'b.duckdb'),
      PORT: String(takenPort),
    });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^WARNING: DEMO MODE \(bound to 127\.0\.0\.1 only\)/),
      `cannot listen on 127.0.0.1:${takenPort}: the address is already in use (set PORT)`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('serves in production with real secrets, without the demo route', async () => {
    let checked: { health: number; demo: number } | null = null;
    const r = await startHost(
      {
        DB_PATH: join(dir, 'c.duckdb'),
        HOST: '127.0.0.1',
        PORT: '0',
        SIGNING_SECRET: 'a-real-signing-secret-of-32-chars!!',
        ADMIN_TOKEN: 'a-real-admin-token-16+',
      },
      (line, stop) => {
        if (!line.includes('"listening"')) return;
        const { port } = JSON.parse(line) as { port: number };
        void (async () => {
          const health = (await fetch(`http://127.0.0.1:${port}/v1/health`)).status;
          const demo = (await fetch(`http://127.0.0.1:${port}/demo/embed-token`)).status;
          checked = { health, demo };
          stop();
        })();
      },
    );
    expect(checked).toEqual({ health: 200, demo: 404 });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/DEMO MODE/);
  });
});
