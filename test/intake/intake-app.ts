/**
 * A real service with a continuous intake for tests: a DuckDB file and an intake folder in a temp directory, the
 * app on a loopback port, the micro-batcher running. `reopen` starts it again on the same files (a restart).
 */
import type { WriterRole } from '../../worker/ledger/writer-role.js';
import { serve, type ServerType } from '@hono/node-server';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { createApp } from '../../worker/app.js';
import { systemClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { silentLogger } from '../../worker/env.js';
import { ContinuousIntake } from '../../worker/intake/continuous-intake.js';
import { drainIntake, startMicroBatcher } from '../../worker/intake/micro-batcher.js';
import { nodeHost } from '../../worker/node-host.js';

export const ADMIN = 'intake-admin-token-0123456789';

export interface IntakeApp {
  readonly url: string;
  readonly dir: string;
  readonly db: DuckDbStore;
  readonly intake: ContinuousIntake;
  /** Derives what is pending now (with `{ batcher: false }`, the only derivation). */
  drain(): Promise<void>;
  /** Stops the server, the micro-batcher and the store (the folder stays). */
  stop(): Promise<void>;
}

export async function tempFolder(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'convo-intake-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function startIntakeApp(
  dir: string,
  env: Record<string, string> = {},
  opts: { batcher?: boolean; writer?: WriterRole } = {},
): Promise<IntakeApp> {
  const config = normalizeConfig({
    ADMIN_TOKEN: ADMIN,
    SIGNING_SECRET: 'intake-signing-secret-0123456789abcdef',
    DB_PATH: join(dir, 'store.duckdb'),
    INTAKE_INTERVAL_MS: '100',
    ...env,
  });
  const db = await openStore({ path: config.dbPath }, new Date());
  const base = buildAppServices(db, config);
  const intake = await ContinuousIntake.open(db, { ...config.intake, dir: config.intake.dir! });
  const deps = withDomainContext({
    db,
    clock: systemClock,
    config,
    log: silentLogger,
    services: { ...base, intake, ...(opts.writer ? { writer: opts.writer } : {}) },
    host: nodeHost(db, config.query),
  });
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const stopBatcher = opts.batcher === false ? async () => {} : startMicroBatcher(intake, deps);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    db,
    intake,
    drain: () => drainIntake(intake, deps),
    async stop() {
      await new Promise<void>((res) => server.close(() => res()));
      await stopBatcher();
      await intake.close();
      await db.close();
    },
  };
}

/** Calls the service with a bearer token; a string body is sent as is. */
export async function call(
  url: string,
  method: string,
  path: string,
  opts: { token: string; body?: string | object; type?: string },
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
  let body: string | undefined;
  if (typeof opts.body === 'string') {
    body = opts.body;
    headers['content-type'] = opts.type ?? 'application/vnd.whatsapp.webhooks+x-ndjson';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A partner with one WABA (America/New_York, USD) and one number; returns its API key. */
export async function seedPartner(url: string, admin = ADMIN, waba = 'W1', phone = 'N1'): Promise<string> {
  const p = await call(url, 'POST', '/v1/partners', {
    token: admin,
    body: { partner_id: 'bsp', name: 'BSP', allowed_origins: [] },
  });
  const key = p.body.api_key as string;
  await call(url, 'POST', '/v1/wabas', {
    token: key,
    body: { waba_id: waba, name: waba, timezone: 'America/New_York', currency: 'USD' },
  });
  await call(url, 'POST', '/v1/phone-numbers', {
    token: key,
    body: { phone_number_id: phone, waba_id: waba },
  });
  return key;
}

/** Polls until `check` holds or `ms` passed; answers whether it held. */
export async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
