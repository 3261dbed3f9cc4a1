/**
 * `npm run reconcile -- [--db store.duckdb] [--partner id] [--waba id] [--limit n] [--repair]`: the ledger's
 * reconciliation check from the command line (stop the server first: one process per DuckDB file). Prints the
 * report as JSON (with --repair: before, after and the numbers re-posted). Exit 0 when the ledger matches usage
 * (after the repair, with --repair), 1 when drift remains, 2 for bad arguments. The partner and WABA ids and the
 * limit follow the same rules as GET /v1/reconciliation.
 */
import { existsSync } from 'node:fs';
import { systemClock } from '../clock.js';
import { normalizeConfig } from '../config.js';
import { repairDrift } from '../funding/repair-drift.js';
import { requireUsageSource } from '../ledger/usage-source.js';
import { idParam } from '../http/params.js';
import { domainContextOf } from '../kernel/domain-context.js';
import { reconcileCharges } from '../ledger/reconcile.js';
import type { Db } from '../db/db.js';
import { openMoneyPlane } from '../db/open-money-store.js';
import { openStore } from '../pricing/open-store.js';
import { badArguments, readOptions, runCli } from './cli-main.js';

const USAGE =
  'npm run reconcile -- [--db <store.duckdb>] [--partner <id>] [--waba <id>] [--limit <1..1000>] [--repair]';

async function main(): Promise<number> {
  const values = readOptions(['db', 'partner', 'waba', 'limit'], ['repair']);
  const config = normalizeConfig(process.env);
  const path = values.db ?? config.dbPath;
  const problems: string[] = [];
  for (const [name, v] of [
    ['--partner', values.partner],
    ['--waba', values.waba],
  ] as const) {
    if (v !== undefined && !idParam.safeParse(v).success) problems.push(`${name}: not a valid id: ${v}`);
  }
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    problems.push(`--limit: 1..1000, got ${values.limit}`);
  if (!path || !existsSync(path)) problems.push(`--db: no store at ${path ?? '(DB_PATH unset)'}`);
  if (problems.length > 0) return badArguments(USAGE, problems);
  const store = await openStore({ path }, new Date());
  let money: Db = store;
  try {
    // The money plane the service would use with this store (STORE, PGLITE_DIR beside --db, DATABASE_URL).
    money = await openMoneyPlane(normalizeConfig({ ...process.env, DB_PATH: path }), store);
    const scope = { partner_id: values.partner, waba_id: values.waba };
    const stores = { db: store, money };
    // Another store's analytics would report (and repair) drift that is only what it never saw.
    await requireUsageSource(stores, config.replicaId, new Date());
    if (values.repair) {
      const r = await repairDrift(stores, scope, domainContextOf({ clock: systemClock, config }), limit);
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return r.after.in_balance ? 0 : 1;
    }
    const report = await reconcileCharges({ analytics: store, money }, scope, systemClock.now(), limit);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.in_balance ? 0 : 1;
  } finally {
    if (money !== store) await money.close();
    await store.close();
  }
}

if (process.argv[1]?.endsWith('reconcile.ts')) void runCli(main);
