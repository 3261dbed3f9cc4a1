/**
 * The image's start, without Docker: the Dockerfile's CMD run exactly as written, from the repository (the image's
 * WORKDIR holds the same files), with the environment the Dockerfile sets and its volume on a temp folder. The
 * Dockerfile's HEALTHCHECK command must pass, a partner's ingest must show in its usage, and after a restart on
 * the same volume the same usage must come back: the data lives on the volume, not in the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envOnVolume, readDockerfile, ROOT, runtimeStage } from './dockerfile.js';

const stage = runtimeStage(readDockerfile());
const ADMIN = 'container-admin-token-0123456789';
const SECRET = 'container-signing-secret-0123456789abcdef';
const CSV = [
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,status_final',
  'box.1,PMP,message,box-waba,box-pn,14155550101,marketing,2026-11-03T10:00:00Z,delivered',
  'box.2,PMP,message,box-waba,box-pn,14155550102,utility,2026-11-04T10:00:00Z,read',
  'box.3,PMP,message,box-waba,box-pn,14155550103,marketing,2026-11-05T10:00:00Z,read',
].join('\n');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Runs a command to its end; resolves with its exit code. */
const exitCode = (cmd: readonly string[], env: NodeJS.ProcessEnv) =>
  new Promise<number | null>((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });

describe('the container start (Dockerfile CMD and HEALTHCHECK)', () => {
  let volume: string;
  let env: NodeJS.ProcessEnv;
  let base = '';
  let running: ChildProcess | null = null;
  let stderr = '';

  /** Starts the CMD and waits until the HEALTHCHECK command passes (what Docker waits for). */
  async function start(): Promise<void> {
    stderr = '';
    const child = spawn(stage.cmd[0]!, stage.cmd.slice(1), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running = child;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 240; i++) {
      if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}): ${stderr}`);
      if ((await exitCode(stage.healthcheck, env)) === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the health check never passed: ${stderr}`);
  }

  async function stop(): Promise<number | null> {
    const child = running;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const code = await exited;
    running = null;
    return code;
  }

  const call = async (method: string, path: string, token: string, body?: string, type?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    volume = await mkdtemp(join(tmpdir(), 'container-volume-'));
    const port = await freePort();
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...envOnVolume(stage, volume),
      // What the operator passes with `docker run -e`; the port is a free one (8787 may be taken on this
      // machine) and the bind loopback, so no traffic leaves it.
      ADMIN_TOKEN: ADMIN,
      SIGNING_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
    };
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (running && running.exitCode === null) running.kill('SIGKILL');
    await rm(volume, { recursive: true, force: true });
  });

  it('starts healthy, takes an ingest, and answers the same usage after a restart on the same volume', async () => {
    await start();
    const partner = await call(
      'POST',
      '/v1/partners',
      ADMIN,
      JSON.stringify({ partner_id: 'box', name: 'Box', allowed_origins: [] }),
      'application/json',
    );
    expect(partner.status, partner.text).toBe(201);
    const key = (JSON.parse(partner.text) as { api_key: string }).api_key;
    const waba = await call(
      'POST',
      '/v1/wabas',
      key,
      JSON.stringify({ waba_id: 'box-waba', name: 'Box', timezone: 'America/New_York', currency: 'USD' }),
      'application/json',
    );
    expect(waba.status, waba.text).toBe(201);
    const ingest = await call('POST', '/v1/ingest', key, CSV, 'text/csv');
    expect(ingest.status, ingest.text).toBe(200);
    expect(JSON.parse(ingest.text)).toMatchObject({ inserted: 3 });
    const url = '/v1/usage?from=2026-11&to=2026-11&group_by=phone_number_id,category';
    const before = await call('GET', url, key);
    expect(before.status, before.text).toBe(200);
    expect(before.text).toContain('"box-pn"');
    expect(before.text).toContain('"marketing"');

    expect(await stop()).toBe(0);
    const dbFile = envOnVolume(stage, volume).DB_PATH!;
    expect(existsSync(dbFile)).toBe(true);
    const lake = await readdir(envOnVolume(stage, volume).INGEST_LAKE_DIR!);
    expect(lake.filter((f) => f !== '_spool').length).toBeGreaterThan(0);

    await start();
    const after = await call('GET', url, key);
    expect(after.status).toBe(200);
    expect(after.text).toBe(before.text);
    expect(await stop()).toBe(0);
  }, 300_000);
});
