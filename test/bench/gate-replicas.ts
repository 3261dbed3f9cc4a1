/**
 * The send gate benchmark's replica setup: `count` processes of the real service (worker/node.ts, STORE=postgres)
 * from test/helpers/replicas.ts, on a database of their own on the benchmark's Postgres server, so each set of
 * replicas starts from the same empty money plane. The tenant is made through replica 0, the numbers are seeded
 * on the server with the service's own statements, and every replica warms both numbers before any clock runs.
 */
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import { createDatabase } from '../helpers/postgres-server.js';
import { REPLICA_ADMIN, startReplicas } from '../helpers/replicas.js';
import { gateEnv } from './gate-in-process.js';
import { seedGateNumber } from './gate-seed.js';
import { GATE_NUMBERS, createGateTenant, httpCall, warmGateNumbers } from './gate-tenant.js';

export interface ReplicaGate {
  /** Each replica's loopback port. */
  readonly ports: readonly number[];
  readonly key: string;
  /** The replicas' process ids. */
  readonly pids: readonly number[];
  /** Stops the replicas (SIGTERM, which flushes their gate states) and drops their database. */
  stop(): Promise<void>;
}

export async function startReplicaGate(
  serverUrl: string,
  count: number,
  customers: number,
): Promise<ReplicaGate> {
  const database = await createDatabase(serverUrl, `bench_gate_${count}_${process.pid}`);
  let replicas;
  try {
    replicas = await startReplicas({ count, databaseUrl: database.url, env: gateEnv() });
  } catch (err) {
    await database.stop();
    throw err;
  }
  const r = replicas;
  const stop = async () => {
    await r.stop();
    await database.stop();
  };
  try {
    const key = await createGateTenant(httpCall(r.url(0)), REPLICA_ADMIN);
    const money = await openMoneyStore({ moneyStore: { kind: 'postgres', url: database.url } });
    try {
      for (const phone of GATE_NUMBERS) await seedGateNumber(money, phone, customers);
    } finally {
      await money.close();
    }
    for (let i = 0; i < count; i++) await warmGateNumbers(httpCall(r.url(i)), key);
    const ports = Array.from({ length: count }, (_, i) => Number(new URL(r.url(i)).port));
    const pids = Array.from({ length: count }, (_, i) => r.pid(i)!);
    return { ports, key, pids, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
