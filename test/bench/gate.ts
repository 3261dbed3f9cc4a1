/**
 * npm run bench:gate — authorize decisions per second and latency over loopback against a real HTTP server
 * (@hono/node-server) whose numbers hold 10,000 open conversations each, with a baseline (GET /v1/health on
 * the same server, same client, same run) and the ratio. The load generator runs in a worker thread with
 * keep-alive node:http connections, so client and server each get a core of this 2-core machine.
 *
 *   BENCH_SECONDS=5 BENCH_CONCURRENCY=16,32,64 BENCH_MIX=mixed|reads npm run bench:gate
 */
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createApp } from '../../worker/app.js';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { systemClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** One phase per concurrency level (keep-alive connections). */
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '16,32,64').split(',').map(Number);
const CUSTOMERS = 10_000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);
/** mixed (default: 60 % marketing, 15 % utility, 15 % inbound, 10 % free-form) or reads (marketing only). */
const MIX = process.env.BENCH_MIX ?? 'mixed';
const ADMIN = 'bench-admin';

/** The load generator (plain JS, evaluated in the worker). */
const LOADGEN = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, token, seconds, concurrency, kind, customers, mix, warmupMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const lat = [];
let ok = 0, refused = 0, failed = 0;
function body(i) {
  const c = String(4915000000000 + Math.floor(Math.random() * customers));
  const phone = i % 2 ? 'PCBP' : 'PPMP';
  const r = mix === 'reads' ? 0 : Math.random();
  const msg = r < 0.6 ? { direction: 'outbound', recipient: c, kind: 'template', category: 'marketing' }
    : r < 0.75 ? { direction: 'outbound', recipient: c, kind: 'template', category: 'utility' }
    : r < 0.9 ? { direction: 'inbound', recipient: c }
    : { direction: 'outbound', recipient: c, kind: 'non_template' };
  return { path: '/v1/phone-numbers/' + phone + '/messages/authorize', data: JSON.stringify(msg) };
}
function once(i) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const b = kind === 'health' ? null : body(i);
    const req = http.request({ host: '127.0.0.1', port, agent, method: b ? 'POST' : 'GET',
      path: b ? b.path : '/v1/health',
      headers: b ? { authorization: 'Bearer ' + token, 'content-type': 'application/json',
                     'content-length': Buffer.byteLength(b.data) } : {} }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.statusCode === 200) ok++; else if (res.statusCode < 500) refused++; else failed++;
        resolve();
      });
    });
    req.on('error', () => { failed++; resolve(); });
    if (b) req.end(b.data); else req.end();
  });
}
async function run(ms, record) {
  const end = Date.now() + ms;
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < end) await once(i++); }));
}
(async () => {
  await run(warmupMs); // warm-up: JIT, sockets, old-space promotion of the loaded states
  lat.length = 0; ok = 0; refused = 0; failed = 0;
  const t0 = Date.now();
  await run(seconds * 1000);
  const secs = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  parentPort.postMessage({ n: lat.length, perSec: lat.length / secs, p50: q(0.5), p99: q(0.99), ok, refused, failed });
  agent.destroy();
})();
`;

interface LoadResult {
  n: number;
  perSec: number;
  p50: number;
  p99: number;
  ok: number;
  refused: number;
  failed: number;
}

/** One phase; also samples the server's event-loop delay, which shows stalls caused by other processes. */
function load(
  port: number,
  token: string,
  kind: 'health' | 'authorize',
  concurrency: number,
): Promise<LoadResult & { loopP99: number }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  return new Promise((resolve, reject) => {
    const w = new Worker(LOADGEN, {
      eval: true,
      workerData: {
        port,
        token,
        seconds: SECONDS,
        concurrency,
        kind,
        customers: CUSTOMERS,
        mix: MIX,
        warmupMs: WARMUP_MS,
      },
    });
    setTimeout(() => loop.enable(), WARMUP_MS);
    w.once('message', (m: LoadResult) => {
      loop.disable();
      void w.terminate();
      resolve({ ...m, loopP99: loop.percentile(99) / 1e6 });
    });
    w.once('error', reject);
  });
}

async function seed(db: DuckDbStore, phone: string): Promise<void> {
  // 10,000 customers with an open marketing conversation and an open CSW (ending in 20 h).
  await db.run(
    `INSERT INTO gate_customer_state
     SELECT $p, CAST(4915000000000 + i AS VARCHAR), now() + INTERVAL 20 HOUR, NULL, NULL,
            now() + INTERVAL 20 HOUR, NULL, NULL, NULL, now()
       FROM range($n) r(i)`,
    { p: phone, n: CUSTOMERS },
  );
  await appendMovement(db, {
    phone_number_id: phone,
    kind: 'topup_one_time',
    amount: '1000000',
    currency: 'EUR',
    status: 'settled',
    requested_at: new Date(),
  });
}

async function main(): Promise<void> {
  const db = await openStore({ path: ':memory:' }, new Date());
  // GATE_* settings pass through, so `GATE_WRITE_THROUGH=true npm run bench:gate` measures that mode.
  const gateEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('GATE_')));
  const config = normalizeConfig({ ...gateEnv, ADMIN_TOKEN: ADMIN, DB_PATH: ':memory:', DEMO_DATA: 'false' });
  const services = buildAppServices(db, config);
  const app = createApp(
    withDomainContext({ db, clock: systemClock, config, log: silentLogger, host: nodeHost(db), services }),
  );
  const call = async (method: string, path: string, token: string, body: unknown) => {
    const r = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const partner = await call('POST', '/v1/partners', ADMIN, { partner_id: 'bench', name: 'Bench' });
  const key = String(partner.api_key);
  await call('POST', '/v1/wabas', key, {
    waba_id: 'WCBP',
    name: 'cbp',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    pmp_from: '2099-01-01',
  });
  await call('POST', '/v1/wabas', key, {
    waba_id: 'WPMP',
    name: 'pmp',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
  });
  await call('POST', '/v1/phone-numbers', key, { phone_number_id: 'PCBP', waba_id: 'WCBP' });
  await call('POST', '/v1/phone-numbers', key, { phone_number_id: 'PPMP', waba_id: 'WPMP' });
  await seed(db, 'PCBP');
  await seed(db, 'PPMP');

  // The first decision per number loads its 10,000 states from DuckDB; do it before any clock runs.
  for (const phone of ['PCBP', 'PPMP'])
    await call('POST', `/v1/phone-numbers/${phone}/messages/authorize`, key, {
      direction: 'inbound',
      recipient: '4915000000000',
      dry_run: true,
    });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  console.log(
    `gate bench: ${CUSTOMERS} open conversations on each of 2 numbers (CBP, PMP), mix ${MIX}, ${SECONDS}s per phase, node ${process.version}`,
  );
  // The machine is shared; the load average says how much else was running.
  const load1 = () => loadavg()[0]?.toFixed(2) ?? '?';
  console.log(`${cpus().length} CPUs, load average before: ${load1()}`);
  const results: {
    c: number;
    base: LoadResult & { loopP99: number };
    gate: LoadResult & { loopP99: number };
  }[] = [];
  for (const c of CONCURRENCY) {
    results.push({
      c,
      base: await load(port, key, 'health', c),
      gate: await load(port, key, 'authorize', c),
    });
  }
  console.log(`load average after: ${load1()}`);
  await services.gate.state.flush();
  const rows = await db.all<{ n: string }>('SELECT count(*) AS n FROM gate_customer_state');
  const fmt = (r: LoadResult & { loopP99: number }) =>
    `${r.perSec.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ` +
    `(n=${r.n}, 2xx=${r.ok}, 4xx=${r.refused}, 5xx/err=${r.failed}; server event-loop delay p99 ` +
    `${r.loopP99.toFixed(1)} ms)`;
  for (const { c, base, gate } of results) {
    console.log(`\n${c} connections`);
    console.log(`  baseline GET /v1/health     ${fmt(base)}`);
    console.log(`  POST …/messages/authorize   ${fmt(gate)}`);
    console.log(`  ratio authorize / health    ${(gate.perSec / base.perSec).toFixed(2)}`);
    console.log(
      `  targets: ≥ 5000 decisions/s ${gate.perSec >= 5000 ? 'MET' : 'MISSED'}, ` +
        `p99 ≤ 5 ms ${gate.p99 <= 5 ? 'MET' : 'MISSED'}`,
    );
  }
  console.log(`customer states persisted: ${rows[0]?.n}`);
  server.close();
  await db.close();
}

await main();
