/**
 * A real app on a real in-memory DuckDB for tests: no mocks. `call` goes through app.request (no socket);
 * `listen` starts a real HTTP server on a loopback port when a test needs one.
 */
import { keepConnectionsAlive } from '../../worker/keep-alive.js';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { AppServices } from '../../worker/app-deps.js';
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { createApp } from '../../worker/app.js';
import { ManualClock } from '../../worker/clock.js';
import { normalizeConfig, type ConfigInput } from '../../worker/config.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import type { Db } from '../../worker/db/db.js';
import { openMoneyPlane } from '../../worker/db/open-money-store.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';
import { serveWidgetAssets } from '../../worker/serve-widget-assets.js';

export const ADMIN = 'test-admin-token';
/** The harness's signing secret (outside demo mode nothing is signed without one). */
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface Harness {
  readonly app: ReturnType<typeof createApp>;
  /** The analytics plane. */
  readonly db: DuckDbStore;
  /**
   * The money plane: `db` itself unless the env (or TEST_MONEY_STORE in the process environment) names STORE=pglite
   * (in memory) or STORE=postgres (DATABASE_URL).
   */
  readonly money: Db;
  readonly clock: ManualClock;
  /** The services the app was built with (gate state and caches, API key cache). */
  readonly services: AppServices;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  json<T = any>(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T }>;
  /** Creates a partner and returns its API key. */
  partner(id: string, origins?: string[]): Promise<string>;
  /** Registers a WABA (and phone numbers) for the partner key. */
  waba(
    key: string,
    waba: { waba_id: string; timezone: string; currency?: string; name?: string },
    phones?: string[],
  ): Promise<void>;
  /** Starts a loopback server; `staticDir` also serves that folder at / (the built widgets, say). */
  listen(opts?: { staticDir?: string }): Promise<{ url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Tests resolve no names: a webhook host name must come with an injected lookup. */
const noDns = (hostname: string): Promise<string[]> =>
  Promise.reject(new Error(`no DNS in tests (${hostname})`));

export async function createHarness(
  opts: {
    env?: ConfigInput;
    now?: string;
    lookup?: (hostname: string) => Promise<string[]>;
    /** A money plane another harness opened (replicas sharing it); it stays open when this one closes. */
    money?: Db;
  } = {},
): Promise<Harness> {
  const config = normalizeConfig({
    ADMIN_TOKEN: ADMIN,
    SIGNING_SECRET,
    DB_PATH: ':memory:',
    DEMO_DATA: 'false',
    ...(process.env.TEST_MONEY_STORE ? { STORE: process.env.TEST_MONEY_STORE } : {}),
    ...opts.env,
  });
  const clock = new ManualClock(opts.now ?? '2025-08-15T12:00:00Z');
  const db = await openStore({ path: ':memory:' }, clock.now());
  const money = opts.money ?? (await openMoneyPlane(config, db));
  const services = buildAppServices({ db, money }, config);
  const app = createApp(
    withDomainContext({
      db,
      money,
      clock,
      config,
      log: silentLogger,
      services,
      host: nodeHost(db, config.query, { lookup: opts.lookup ?? noDns }),
    }),
  );
  const servers: ServerType[] = [];

  const call: Harness['call'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: BodyInit | undefined;
    if (o.body !== undefined) {
      if (typeof o.body === 'string' || o.body instanceof Uint8Array) body = o.body as BodyInit;
      else {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };

  const json: Harness['json'] = async (method, path, o) => {
    const res = await call(method, path, o);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  return {
    app,
    db,
    money,
    clock,
    services,
    call,
    json,
    async partner(id, origins = []) {
      const r = await json('POST', '/v1/partners', {
        token: ADMIN,
        body: { partner_id: id, name: `Partner ${id}`, allowed_origins: origins },
      });
      if (r.status !== 201) throw new Error(`partner create failed: ${JSON.stringify(r.body)}`);
      return r.body.api_key as string;
    },
    async waba(key, w, phones = []) {
      const r = await json('POST', '/v1/wabas', {
        token: key,
        body: { name: w.waba_id, currency: 'USD', ...w },
      });
      if (r.status !== 201) throw new Error(`waba create failed: ${JSON.stringify(r.body)}`);
      for (const p of phones) {
        const pr = await json('POST', '/v1/phone-numbers', {
          token: key,
          body: { phone_number_id: p, waba_id: w.waba_id },
        });
        if (pr.status !== 201) throw new Error(`phone create failed: ${JSON.stringify(pr.body)}`);
      }
    },
    async listen(lo = {}) {
      let fetch = app.fetch;
      if (lo.staticDir) {
        const root = new Hono();
        root.route('/', app as unknown as Hono);
        root.use('/*', serveWidgetAssets(lo.staticDir));
        fetch = root.fetch;
      }
      const server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
        keepConnectionsAlive(s, config.keepAliveMs);
      });
      servers.push(server);
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((res) => server.close(() => res())),
      };
    },
    async close() {
      for (const s of servers) s.close();
      if (money !== db && !opts.money) await money.close();
      await db.close();
    },
  };
}
