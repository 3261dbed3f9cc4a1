/**
 * First-start demo data: when demo data is on and the store has no partners yet, creates the demo partner and
 * loads about 150k generated units (from 2023-07 up to the service's clock) through the ordinary ingest, one
 * batch per quarter of arrival, so the duplicates and late corrections of the generator arrive in later batches
 * like real replays.
 */
import { recomputer } from '../billing/recompute.js';
import { DEMO_API_KEY, DEMO_PARTNER_ID } from '../../data/demo/demo-profile.js';
import { DEMO_COLUMNS, generateUnits } from '../../data/demo/generate-units.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import type { DomainContext } from '../kernel/domain-context.js';
import type { WithTempFile } from '../kernel/host-io.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import { seedDemoBalances } from './seed-demo-balances.js';
import { ensureDemoTenancy } from './demo-tenancy.js';
import { ingestUnits } from '../ingest/ingest-units.js';

const quarter = (day: number) => {
  const d = new Date(day);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};

export interface DemoSeedDeps {
  /** The analytics plane (the units). */
  readonly db: Db;
  /** The money plane (tenancy, charges, balances); none = `db` (STORE=duckdb). */
  readonly money?: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly log: Logger;
  readonly domain: DomainContext;
  /** Demo data loads through a temp file; without one there is no demo data. */
  readonly host: { readonly withTempFile?: WithTempFile; readonly ingestLake?: IngestLake };
}

/** Seeds the demo partner and data into an empty store; returns whether it did. */
export async function seedDemoIfEmpty(deps: DemoSeedDeps, opts: { units?: number } = {}): Promise<boolean> {
  const { db, clock, log, host } = deps;
  const money = deps.money ?? db;
  if (!deps.config.demoData || !host.withTempFile) return false;
  const [p] = await money.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM partners');
  if (p && p.n > 0) return false;
  const t0 = Date.now();
  await ensureDemoTenancy({ db, money }, clock.now(), host.ingestLake);
  const header = DEMO_COLUMNS.join(',');
  const batches = new Map<string, string[]>();
  // The history runs up to the service's clock, so the demo is current on whatever day it starts.
  const now = clock.now();
  const range = { to: now.toISOString().slice(0, 10), until: now };
  for (const { day, row } of generateUnits(opts.units ? { ...range, units: opts.units } : range)) {
    const key = quarter(day);
    let b = batches.get(key);
    if (!b) batches.set(key, (b = [header]));
    b.push(row.join(','));
  }
  let units = 0;
  for (const lines of batches.values()) {
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const r = await host.withTempFile(bytes, 'csv', (path) =>
      ingestUnits(db, {
        format: 'csv',
        source: { kind: 'file', path, csvHeader: DEMO_COLUMNS },
        // As the demo partner, so its batch history (GET /v1/ingest/batches) shows the demo loads.
        partnerId: DEMO_PARTNER_ID,
        now: clock.now(),
        money,
        recompute: recomputer(deps.domain, deps),
        ...(host.ingestLake ? { lake: host.ingestLake } : {}),
      }),
    );
    units += r.inserted;
  }
  const topups = await seedDemoBalances({ ...deps, db: money });
  log.info('demo data loaded', {
    partner: 'demo',
    api_key: DEMO_API_KEY,
    units,
    batches: batches.size,
    topups,
    ms: Date.now() - t0,
  });
  return true;
}
