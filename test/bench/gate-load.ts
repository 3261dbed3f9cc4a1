/**
 * The send gate benchmark's load generator: keep-alive node:http clients in a worker thread (so the generator
 * does not share an event loop with an in-process server), requests round-robin over one or more loopback
 * ports (one per replica). A warm-up runs first and is not counted. Each answer is counted as 2xx (and among
 * those the paid decisions), 4xx or 5xx/error; latencies are per request, client-side.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** The message mix: mixed (60 % marketing, 15 % utility, 15 % inbound, 10 % free-form) or reads (marketing). */
export type GateMix = 'mixed' | 'reads';

export interface LoadOptions {
  readonly ports: readonly number[];
  readonly token: string;
  readonly kind: 'health' | 'authorize';
  readonly concurrency: number;
  readonly seconds: number;
  readonly warmupMs: number;
  readonly customers: number;
  readonly mix: GateMix;
}

export interface LoadResult {
  readonly n: number;
  readonly perSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  /** 2xx answers whose decision was a paid send. */
  readonly paid: number;
  readonly refused: number;
  readonly failed: number;
  /** This process's event-loop delay p99 in ms (the server's, when it runs in this process). */
  readonly loopP99: number;
}

/** The load generator (plain JS, evaluated in the worker). */
const LOADGEN = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { ports, token, seconds, concurrency, kind, customers, mix, warmupMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const lat = [];
let ok = 0, paid = 0, refused = 0, failed = 0;
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
    // Request i goes to replica i mod n: the same round-robin a load balancer in front of them would do.
    const req = http.request({ host: '127.0.0.1', port: ports[i % ports.length], agent, method: b ? 'POST' : 'GET',
      path: b ? b.path : '/v1/health',
      headers: b ? { authorization: 'Bearer ' + token, 'content-type': 'application/json',
                     'content-length': Buffer.byteLength(b.data) } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => { if (b) text += d; });
      res.on('end', () => {
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.statusCode === 200) { ok++; if (text.includes('"paid":true')) paid++; }
        else if (res.statusCode < 500) refused++; else failed++;
        resolve();
      });
    });
    req.on('error', () => { failed++; resolve(); });
    if (b) req.end(b.data); else req.end();
  });
}
async function run(ms) {
  const end = Date.now() + ms;
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < end) await once(i++); }));
}
(async () => {
  await run(warmupMs); // warm-up: JIT, sockets, old-space promotion of the loaded states
  lat.length = 0; ok = 0; paid = 0; refused = 0; failed = 0;
  const t0 = Date.now();
  await run(seconds * 1000);
  const secs = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  parentPort.postMessage({ n: lat.length, perSec: lat.length / secs, p50: q(0.5), p99: q(0.99), ok, paid, refused, failed });
  agent.destroy();
})();
`;

/** One phase; also samples this process's event-loop delay, which shows stalls caused by other processes. */
export function load(opts: LoadOptions): Promise<LoadResult> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  return new Promise((resolve, reject) => {
    const w = new Worker(LOADGEN, { eval: true, workerData: { ...opts, ports: [...opts.ports] } });
    const arm = setTimeout(() => loop.enable(), opts.warmupMs);
    w.once('message', (m: Omit<LoadResult, 'loopP99'>) => {
      loop.disable();
      void w.terminate();
      resolve({ ...m, loopP99: loop.percentile(99) / 1e6 });
    });
    w.once('error', (err) => {
      clearTimeout(arm);
      reject(err);
    });
  });
}

/** One line: rate, latency, answer counts and the event-loop delay. */
export function formatLoad(r: LoadResult, unit = 'req/s'): string {
  return (
    `${r.perSec.toFixed(0).padStart(7)} ${unit}  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ` +
    `(n=${r.n}, 2xx=${r.ok} of which paid ${r.paid}, 4xx=${r.refused}, 5xx/err=${r.failed}; ` +
    `event-loop delay p99 here ${r.loopP99.toFixed(1)} ms)`
  );
}
