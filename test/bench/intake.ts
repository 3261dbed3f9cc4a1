/**
 * npm run bench:intake — webhook events over loopback into the real service (a child process with its own DuckDB
 * file), through the continuous intake (POST /v1/intake/webhooks, 202 once durable) and, as the baseline in the
 * same run, through the synchronous webhook ingest (POST /v1/ingest?format=webhooks) with the same senders and
 * bodies: events per second, p50/p99 answer latency, and for the intake the time from the last 202 until
 * GET /v1/usage counts every event. Bounded: BENCH_SECONDS per phase, at most BENCH_MAX_EVENTS events per phase.
 *
 *   BENCH_SECONDS=10 BENCH_SENDERS=32 BENCH_EVENTS_PER_REQUEST=1,10 npm run bench:intake
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ADMIN, startServer } from '../adversarial/server-process.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 32);
const PER_REQUEST = (process.env.BENCH_EVENTS_PER_REQUEST ?? '1,10').split(',').map(Number);
const MAX_EVENTS = Number(process.env.BENCH_MAX_EVENTS ?? 200_000);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? SECONDS);

interface Phase {
  readonly events: number;
  readonly requests: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS });

function post(port: number, path: string, token: string, body: string, type: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: 'POST',
        path,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': type,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One delivered PMP status, a Cloud API payload as a BSP's sender posts it. */
function payload(wamid: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'W1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: 'N1' },
              statuses: [
                {
                  id: wamid,
                  status: 'delivered',
                  timestamp: String(Date.parse('2026-05-12T10:00:00Z') / 1000),
                  recipient_id: '15551234567',
                  pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** SENDERS loops posting bodies of `perRequest` new events until the time or the event budget is used up. */
async function runPhase(
  port: number,
  token: string,
  route: 'intake' | 'ingest',
  tag: string,
  perRequest: number,
  seconds: number,
): Promise<Phase> {
  const path = route === 'intake' ? '/v1/intake/webhooks' : '/v1/ingest?format=webhooks';
  const expected = route === 'intake' ? 202 : 200;
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  const sender = async () => {
    while (performance.now() < until && next + perRequest <= MAX_EVENTS) {
      const first = next;
      next += perRequest;
      const lines = Array.from({ length: perRequest }, (_, i) => payload(`wamid.${tag}.${first + i}`));
      const single = perRequest === 1;
      const body = single ? lines[0]! : lines.join('\n');
      const type = single ? 'application/json' : 'application/vnd.whatsapp.webhooks+x-ndjson';
      const s = performance.now();
      const r = await post(port, path, token, body, type);
      latencies.push(performance.now() - s);
      if (r.status !== expected) {
        failed++;
        if (failed <= 3) console.error(`  ${route}: ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    events: latencies.length * perRequest,
    requests: latencies.length,
    seconds: elapsed,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    failed,
  };
}

async function getJson(port: number, path: string, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

async function usageCount(port: number, key: string): Promise<number> {
  const body = await getJson(port, '/v1/usage?group_by=phone_number_id&from=2026-05&to=2026-05', key);
  return (body.rows as { all: number }[]).reduce((n, r) => n + Number(r.all), 0);
}

async function seed(port: number): Promise<string> {
  const call = (path: string, token: string, body: object) =>
    post(port, path, token, JSON.stringify(body), 'application/json').then((r) => JSON.parse(r.text));
  const p = await call('/v1/partners', SERVER_ADMIN, { partner_id: 'bsp', name: 'BSP', allowed_origins: [] });
  const key = p.api_key as string;
  await call('/v1/wabas', key, { waba_id: 'W1', name: 'W1', timezone: 'America/New_York', currency: 'USD' });
  await call('/v1/phone-numbers', key, { phone_number_id: 'N1', waba_id: 'W1' });
  return key;
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const line = (name: string, p: Phase) =>
  `  ${name.padEnd(9)} ${fmt(p.events / p.seconds).padStart(8)} events/s  ${fmt(p.requests / p.seconds).padStart(7)} req/s  ` +
  `p50 ${fmt(p.p50, 1).padStart(7)} ms  p99 ${fmt(p.p99, 1).padStart(7)} ms  (${fmt(p.events)} events, ${p.failed} failed)`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'convo-bench-intake-'));
  const server = await startServer({
    dbPath: join(dir, 'store.duckdb'),
    tempDir: dir,
    ...(process.env.BENCH_PROF
      ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] }
      : {}),
    // INTAKE_* settings of the bench's environment reach the server (INTAKE_INTERVAL_MS=…, say).
    env: Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] => e[0].startsWith('INTAKE_') && e[1] !== undefined,
      ),
    ),
  });
  try {
    const port = Number(new URL(server.url).port);
    const key = await seed(port);
    console.log(
      `bench:intake  ${SENDERS} senders, ${SECONDS} s per phase, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    let counted = 0;
    for (const perRequest of PER_REQUEST) {
      console.log(`${perRequest} event(s) per request:`);
      const base = await runPhase(port, key, 'ingest', `b${perRequest}`, perRequest, BASELINE_SECONDS);
      counted += base.events - base.failed * perRequest;
      console.log(line('ingest', base));
      const intake = await runPhase(port, key, 'intake', `i${perRequest}`, perRequest, SECONDS);
      const lastAccepted = performance.now();
      counted += intake.events - intake.failed * perRequest;
      console.log(line('intake', intake));
      let visible = NaN;
      for (;;) {
        if ((await usageCount(port, key)) >= counted) {
          visible = performance.now() - lastAccepted;
          break;
        }
        if (performance.now() - lastAccepted > 60_000) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const rate = intake.events / intake.seconds / (base.events / base.seconds);
      console.log(
        `  → intake ${fmt(rate, 1)}× the events/s of the synchronous path, p99 ${fmt(intake.p99, 1)} ms vs ${fmt(base.p99, 1)} ms; ` +
          `last accepted event in usage after ${Number.isNaN(visible) ? '> 60 s' : `${fmt(visible / 1000, 2)} s`}`,
      );
    }
    const status = await getJson(port, '/v1/intake', SERVER_ADMIN);
    console.log(
      `intake status: pending ${String(status.pending_events)}, accepted ${String(status.accepted_events)}, lag ${String(status.lag_ms)} ms`,
    );
  } finally {
    agent.destroy();
    await server.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
