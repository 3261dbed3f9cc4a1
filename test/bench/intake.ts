/**
 * npm run bench:intake — the real service as a child process on 127.0.0.1 with its own DuckDB file.
 *
 * Webhooks: events through the continuous intake (POST /v1/intake/webhooks, 202 once durable) and, as the
 * baseline in the same run, through the synchronous webhook ingest (POST /v1/ingest?format=webhooks) with the
 * same senders and bodies: events per second, p50/p99 answer latency, and for the intake the time from the last
 * 202 until GET /v1/usage counts every event.
 *
 * Records: batches of BENCH_RECORDS_PER_REQUEST CSV records from BENCH_RECORD_SENDERS senders, first to the
 * synchronous POST /v1/ingest, then to POST /v1/intake/records, each while BENCH_BACKGROUND_SENDERS webhook
 * senders keep posting to the intake (the mixed load): records per second, p50/p99, and the time until usage
 * counts every record. Bounded: BENCH_SECONDS per phase, at most BENCH_MAX_EVENTS items per phase.
 *
 * Webhook shapes: BENCH_EVENTS_PER_REQUEST from BENCH_SENDERS senders each, then BENCH_EXTRA_SHAPES (events per
 * request × senders: a BSP's Meta deliveries carry several statuses per payload over a bounded number of
 * keep-alive connections). Each shape ends with a verdict on the targets (TARGETS).
 *
 *   BENCH_SECONDS=10 BENCH_SENDERS=32 BENCH_EVENTS_PER_REQUEST=1,4,10 BENCH_EXTRA_SHAPES=10x8,10x16 \
 *     BENCH_RECORDS_PER_REQUEST=20 npm run bench:intake
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ADMIN, startServer } from '../adversarial/server-process.js';
import {
  TARGETS,
  fmt,
  phaseLine,
  poster,
  recordTarget,
  runPhase,
  verdict,
  webhookTarget,
} from './intake-load.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SECONDS = Number(env('BENCH_SECONDS', '10'));
const SENDERS = Number(env('BENCH_SENDERS', '32'));
const PER_REQUEST = env('BENCH_EVENTS_PER_REQUEST', '1,4,10').split(',').map(Number);
const EXTRA_SHAPES = env('BENCH_EXTRA_SHAPES', '10x8,10x16')
  .split(',')
  .filter((s) => s !== '')
  .map((s) => s.split('x').map(Number) as [number, number]);
const SHAPES: [number, number][] = [
  ...PER_REQUEST.map((n): [number, number] => [n, SENDERS]),
  ...EXTRA_SHAPES,
];
const MAX_ITEMS = Number(env('BENCH_MAX_EVENTS', '200000'));
const BASELINE_SECONDS = Number(env('BENCH_BASELINE_SECONDS', String(SECONDS)));
const RECORDS_PER_REQUEST = Number(env('BENCH_RECORDS_PER_REQUEST', '20'));
const RECORD_SENDERS = Number(env('BENCH_RECORD_SENDERS', '8'));
const BACKGROUND_SENDERS = Number(env('BENCH_BACKGROUND_SENDERS', '8'));

async function getJson(port: number, path: string, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

/** Units counted in usage for one month (webhook events are in May 2026, records in June). */
async function usageCount(port: number, key: string, month: string): Promise<number> {
  const body = await getJson(port, `/v1/usage?group_by=phone_number_id&from=${month}&to=${month}`, key);
  return (body.rows as { all: number }[]).reduce((n, r) => n + Number(r.all), 0);
}

/** Seconds from `since` until usage counts `expected` units in `month`; NaN after 60 s. */
async function timeToUsage(
  port: number,
  key: string,
  month: string,
  expected: number,
  since: number,
): Promise<number> {
  for (;;) {
    if ((await usageCount(port, key, month)) >= expected) return (performance.now() - since) / 1000;
    if (performance.now() - since > 60_000) return NaN;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const seconds = (s: number) => (Number.isNaN(s) ? '> 60 s' : `${fmt(s, 2)} s`);

async function seed(post: ReturnType<typeof poster>['post']): Promise<string> {
  const call = (path: string, token: string, body: object) =>
    post(path, token, JSON.stringify(body), 'application/json').then((r) => JSON.parse(r.text));
  const p = await call('/v1/partners', SERVER_ADMIN, { partner_id: 'bsp', name: 'BSP', allowed_origins: [] });
  const key = p.api_key as string;
  await call('/v1/wabas', key, { waba_id: 'W1', name: 'W1', timezone: 'America/New_York', currency: 'USD' });
  await call('/v1/phone-numbers', key, { phone_number_id: 'N1', waba_id: 'W1' });
  return key;
}

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
  const port = Number(new URL(server.url).port);
  const http = poster(port, Math.max(...SHAPES.map((s) => s[1]), RECORD_SENDERS + BACKGROUND_SENDERS));
  try {
    const key = await seed(http.post);
    const load = () =>
      loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    console.log(`bench:intake  ${SECONDS} s per phase, load ${load()}`);
    const phase = { seconds: SECONDS, maxItems: MAX_ITEMS };
    let counted = 0;
    for (const [perRequest, senders] of SHAPES) {
      console.log(`${perRequest} event(s) per request, ${senders} senders:`);
      const shape = { ...phase, perRequest, senders };
      const sync = webhookTarget('/v1/ingest?format=webhooks', 200);
      const base = await runPhase(http.post, key, sync, {
        ...shape,
        tag: `b${perRequest}x${senders}`,
        seconds: BASELINE_SECONDS,
      });
      counted += base.items - base.failed * perRequest;
      console.log(phaseLine('ingest', base, 'events'));
      const target = webhookTarget('/v1/intake/webhooks', 202);
      const intake = await runPhase(http.post, key, target, { ...shape, tag: `i${perRequest}x${senders}` });
      const lastAccepted = performance.now();
      counted += intake.items - intake.failed * perRequest;
      console.log(phaseLine('intake', intake, 'events'));
      const visible = await timeToUsage(port, key, '2026-05', counted, lastAccepted);
      const rate = intake.items / intake.seconds / (base.items / base.seconds);
      console.log(
        `  → intake ${fmt(rate, 1)}× the events/s of the synchronous path, p99 ${fmt(intake.p99, 1)} ms vs ${fmt(base.p99, 1)} ms; ` +
          `last accepted event in usage after ${seconds(visible)} (load ${load()})`,
      );
      console.log(`  ${verdict(intake, visible)}`);
    }
    if (RECORDS_PER_REQUEST > 0) {
      console.log(
        `${RECORDS_PER_REQUEST} records per request, ${RECORD_SENDERS} senders, beside ${BACKGROUND_SENDERS} webhook senders to the intake:`,
      );
      let records = 0;
      const figures: Record<string, { p50: number; p99: number; perSecond: number }> = {};
      for (const [name, target] of [
        ['ingest', recordTarget('/v1/ingest', 200)],
        ['intake', recordTarget('/v1/intake/records', 202)],
      ] as const) {
        const webhooks = webhookTarget('/v1/intake/webhooks', 202);
        const [batches, background] = await Promise.all([
          runPhase(http.post, key, target, {
            ...phase,
            tag: `r${name}`,
            perRequest: RECORDS_PER_REQUEST,
            senders: RECORD_SENDERS,
          }),
          runPhase(http.post, key, webhooks, {
            ...phase,
            tag: `g${name}`,
            perRequest: 1,
            senders: BACKGROUND_SENDERS,
          }),
        ]);
        const lastAnswer = performance.now();
        records += batches.items - batches.failed * RECORDS_PER_REQUEST;
        console.log(phaseLine(name, batches, 'records'));
        console.log(phaseLine('  webhooks', background, 'events'));
        const visible = await timeToUsage(port, key, '2026-06', records, lastAnswer);
        console.log(
          `  → last ${name} record in usage ${seconds(visible)} after the last answer (load ${load()})`,
        );
        if (name === 'intake')
          console.log(
            `  verdict: records in usage ≤ ${TARGETS.visibleSeconds} s ${visible <= TARGETS.visibleSeconds ? 'met' : 'NOT met'}`,
          );
        figures[name] = { p50: batches.p50, p99: batches.p99, perSecond: batches.items / batches.seconds };
      }
      const [s, i] = [figures.ingest!, figures.intake!];
      console.log(
        `  → intake ${fmt(i.perSecond / s.perSecond, 1)}× the records/s of the synchronous path, ` +
          `p50 ${fmt(i.p50, 1)} ms vs ${fmt(s.p50, 1)} ms, p99 ${fmt(i.p99, 1)} ms vs ${fmt(s.p99, 1)} ms`,
      );
    }
    const status = await getJson(port, '/v1/intake', SERVER_ADMIN);
    console.log(
      `intake status: pending ${String(status.pending_events)}, accepted ${String(status.accepted_events)}, lag ${String(status.lag_ms)} ms, last error ${String(status.last_error)}`,
    );
  } finally {
    http.close();
    await server.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
