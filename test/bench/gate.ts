/**
 * npm run bench:gate — authorize decisions per second and latency over loopback against a real HTTP server
 * whose numbers hold 10,000 open conversations each (a CBP number, where marketing inside them is free, and a
 * PMP number, where it is paid). Keep-alive node:http clients in a worker thread (gate-load.ts).
 *
 * Default mode: the app in this process on DuckDB (STORE=duckdb), vs a baseline of GET /v1/health on the same
 * server, same client, same run, per concurrency level.
 *
 * Replica mode (BENCH_GATE_REPLICAS=1,3): the same total load, round-robin over the ports of N processes of the
 * real service (worker/node.ts, STORE=postgres) on one Postgres 15 server started for the run on loopback (fsync
 * and synchronous commit on), for each N in the list, each set on an empty database of its own; the in-process
 * DuckDB figure of the same run is the baseline, and every set is compared with the first one of the list.
 *
 *   BENCH_SECONDS=5 BENCH_CONCURRENCY=16,32,64 BENCH_MIX=mixed|reads npm run bench:gate
 *   BENCH_GATE_REPLICAS=1,3 BENCH_CONCURRENCY=32 npm run bench:gate
 */
import { cpus, loadavg } from 'node:os';
import { startPostgres } from '../helpers/postgres-server.js';
import { startInProcessGate } from './gate-in-process.js';
import { formatLoad, load, type GateMix, type LoadResult } from './gate-load.js';
import { startReplicaGate } from './gate-replicas.js';
import { cpuSeconds, ownCpuSeconds } from './process-cpu.js';
import { onStop, stopAll } from './stop-on-signal.js';

const REPLICAS = (process.env.BENCH_GATE_REPLICAS ?? '').split(',').filter(Boolean).map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** One phase per concurrency level (keep-alive connections in total). */
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? (REPLICAS.length ? '32' : '16,32,64'))
  .split(',')
  .map(Number);
const CUSTOMERS = 10_000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);
const MIX: GateMix = process.env.BENCH_MIX === 'reads' ? 'reads' : 'mixed';

const phase = (ports: readonly number[], token: string, kind: 'health' | 'authorize', concurrency: number) =>
  load({
    ports,
    token,
    kind,
    concurrency,
    seconds: SECONDS,
    warmupMs: WARMUP_MS,
    customers: CUSTOMERS,
    mix: MIX,
  });
// The machine is shared; the load average says how much else was running.
const load1 = () => loadavg()[0]?.toFixed(2) ?? '?';
const targets = (r: LoadResult) =>
  `targets: ≥ 5000 decisions/s ${r.perSec >= 5000 ? 'MET' : 'MISSED'}, p99 ≤ 5 ms ${r.p99 <= 5 ? 'MET' : 'MISSED'}`;

async function singleProcess(): Promise<void> {
  const gate = await startInProcessGate(CUSTOMERS);
  const stop = onStop(() => gate.stop());
  console.log(`${cpus().length} CPUs, load average before: ${load1()}`);
  const results: { c: number; base: LoadResult; gate: LoadResult }[] = [];
  for (const c of CONCURRENCY)
    results.push({
      c,
      base: await phase([gate.port], gate.key, 'health', c),
      gate: await phase([gate.port], gate.key, 'authorize', c),
    });
  console.log(`load average after: ${load1()}`);
  for (const { c, base, gate: g } of results) {
    console.log(`\n${c} connections`);
    console.log(`  baseline GET /v1/health     ${formatLoad(base)}`);
    console.log(`  POST …/messages/authorize   ${formatLoad(g)}`);
    console.log(`  ratio authorize / health    ${(g.perSec / base.perSec).toFixed(2)}`);
    console.log(`  ${targets(g)}`);
  }
  console.log(`customer states persisted: ${await stop()}`);
}

interface Row {
  readonly label: string;
  readonly byConcurrency: Map<number, LoadResult>;
  /**
   * Cores used per part while the phases ran (warm-ups included): CPU seconds ÷ wall seconds, and that over the
   * mean decisions/s of the phases.
   */
  readonly cores: string;
}

/** CPU seconds so far of each part of a setup. */
type CpuSample = () => Record<string, number>;

async function measureSet(
  label: string,
  ports: readonly number[],
  key: string,
  cpu: CpuSample,
): Promise<Row> {
  const byConcurrency = new Map<number, LoadResult>();
  const [before, t0] = [cpu(), performance.now()];
  for (const c of CONCURRENCY) byConcurrency.set(c, await phase(ports, key, 'authorize', c));
  const [after, wall] = [cpu(), (performance.now() - t0) / 1000];
  // CPU per decision shows whether spreading the same load over more processes costs more work per decision.
  const rate = [...byConcurrency.values()].reduce((sum, r) => sum + r.perSec, 0) / byConcurrency.size;
  const cores = Object.entries(after)
    .map(([part, s]) => {
      const used = (s - (before[part] ?? 0)) / wall;
      return `${part} ${used.toFixed(2)} (${((used / rate) * 1000).toFixed(2)} ms CPU/decision)`;
    })
    .join(', ');
  console.log(`  measured ${label} (load average ${load1()})`);
  return { label, byConcurrency, cores };
}

async function replicaMode(): Promise<void> {
  console.log(`${cpus().length} CPUs, load average before: ${load1()}`);
  const rows: Row[] = [];
  const inProcess = await startInProcessGate(CUSTOMERS);
  const stopInProcess = onStop(() => inProcess.stop());
  rows.push(
    await measureSet('in-process, STORE=duckdb', [inProcess.port], inProcess.key, () => ({
      'this process (server and load generator)': ownCpuSeconds(),
    })),
  );
  await stopInProcess();

  const server = await startPostgres({ durable: true });
  const stopServer = onStop(() => server.stop());
  for (const n of REPLICAS) {
    const t0 = performance.now();
    const set = await startReplicaGate(server.url, n, CUSTOMERS);
    const stopSet = onStop(() => set.stop());
    console.log(`  ${n} replica(s) started and seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const cpu = () => ({
      replicas: set.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      'Postgres server': server.pid ? cpuSeconds(server.pid, true) : 0,
      'load generator': ownCpuSeconds(),
    });
    rows.push(await measureSet(`${n} replica${n === 1 ? '' : 's'}, STORE=postgres`, set.ports, set.key, cpu));
    await stopSet();
  }
  await stopServer();
  console.log(`load average after: ${load1()}`);

  const [baseline, first] = [rows[0]!, rows[1]];
  for (const c of CONCURRENCY) {
    console.log(`\n${c} connections in total`);
    for (const row of rows)
      console.log(`  ${row.label.padEnd(28)} ${formatLoad(row.byConcurrency.get(c)!, 'dec/s')}`);
    const ratio = (a: Row, b: Row) => {
      const [x, y] = [a.byConcurrency.get(c)!, b.byConcurrency.get(c)!];
      return (
        `decisions/s ${(x.perSec / y.perSec).toFixed(2)}×, p50 ${(x.p50 / y.p50).toFixed(2)}×, ` +
        `p99 ${(x.p99 / y.p99).toFixed(2)}×`
      );
    };
    for (const row of rows) console.log(`  cores used, ${row.label}: ${row.cores}`);
    for (const row of rows.slice(2))
      console.log(`  ratio ${row.label} / ${first!.label}: ${ratio(row, first!)}`);
    for (const row of rows.slice(1))
      console.log(`  ratio ${row.label} / ${baseline.label}: ${ratio(row, baseline)}`);
  }
}

async function main(): Promise<void> {
  console.log(
    `gate bench${REPLICAS.length ? `, replicas ${REPLICAS.join(' and ')}` : ''}: ${CUSTOMERS} open conversations on ` +
      `each of 2 numbers (CBP, PMP), mix ${MIX}, ${SECONDS}s per phase after ${WARMUP_MS} ms of warm-up, ` +
      `node ${process.version}`,
  );
  try {
    if (REPLICAS.length) await replicaMode();
    else await singleProcess();
  } finally {
    await stopAll();
  }
}

await main();
