/**
 * The send gate benchmark's single-process setup (STORE=duckdb): the app on an in-memory DuckDB store served by
 * @hono/node-server on a loopback port in this process, the tenant made through the app, the numbers seeded and
 * warmed. GATE_* settings of the environment pass through, so `GATE_WRITE_THROUGH=true` measures that mode.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { createApp } from '../../worker/app.js';
import { systemClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { seedGateNumber } from './gate-seed.js';
import { GATE_NUMBERS, createGateTenant, warmGateNumbers, type ApiCall } from './gate-tenant.js';

const ADMIN = 'bench-admin';

export interface InProcessGate {
  readonly port: number;
  /** The partner's API key. */
  readonly key: string;
  /** Flushes the gate's states, stops the server and closes the store; how many customer states it persisted. */
  stop(): Promise<number>;
}

/** The GATE_* settings of this process's environment. */
export function gateEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('GATE_') && !!e[1]),
  );
}

export async function startInProcessGate(customers: number): Promise<InProcessGate> {
  const db = await openStore({ path: ':memory:' }, new Date());
  const config = normalizeConfig({
    ...gateEnv(),
    ADMIN_TOKEN: ADMIN,
    DB_PATH: ':memory:',
    DEMO_DATA: 'false',
  });
  const services = buildAppServices(db, config);
  const app = createApp(
    withDomainContext({ db, clock: systemClock, config, log: silentLogger, host: nodeHost(db), services }),
  );
  const call: ApiCall = async (method, path, token, body) => {
    const r = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  try {
    const key = await createGateTenant(call, ADMIN);
    for (const phone of GATE_NUMBERS) await seedGateNumber(db, phone, customers);
    await warmGateNumbers(call, key);
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    return {
      port,
      key,
      async stop() {
        server.close();
        await services.gate.state.flush();
        const rows = await db.all<{ n: string }>('SELECT count(*) AS n FROM gate_customer_state');
        await db.close();
        return Number(rows[0]?.n ?? 0);
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
