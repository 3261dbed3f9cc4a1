/**
 * Creates the demo partner (with its fixed, documented API key), its WABAs and numbers when missing, in the money
 * plane, then mirrored into the analytics plane (writeTenancy). Used by the first-start seed, the CLI's
 * --demo-tenancy and the benchmark.
 */
import { DEMO_API_KEY, DEMO_ORIGIN, DEMO_PARTNER_ID, DEMO_WABAS } from '../../data/demo/demo-profile.js';
import type { Db, Queryable } from '../db/db.js';
import { archiveReference } from '../lake/archive-reference.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import { createApiKey, createPartner } from '../tenancy/partners.js';
import { createPhoneNumber, createWaba } from '../tenancy/wabas.js';
import { writeTenancy, type TenancyPlanes } from '../tenancy/write-tenancy.js';

/**
 * The demo's prepaid accounts are run from the start of its history (the funding seed replays that history
 * with top-ups from the first day), so its charges debit them from before the first generated unit.
 */
const DEMO_ACCOUNTS_START = '2023-06-01';

const DEMO_KEYS = {
  partners: [DEMO_PARTNER_ID],
  wabas: DEMO_WABAS.map((w) => w.id),
  phone_numbers: DEMO_WABAS.flatMap((w) => w.numbers.map((n) => n.id)),
};

/**
 * Returns true when it created the partner (false: it already existed); archived in `lake` when given. A single
 * store stands for both planes (STORE=duckdb).
 */
export async function ensureDemoTenancy(
  planes: TenancyPlanes | Db,
  now: Date,
  lake?: IngestLake,
): Promise<boolean> {
  const both = 'money' in planes ? planes : { db: planes, money: planes };
  return writeTenancy(both, {
    write: (tx) => createDemoTenancy(tx, now),
    changed: (created) => (created ? DEMO_KEYS : {}),
    analytics: async (tx, created) => {
      if (!created) return;
      const tables = (['partners', 'wabas', 'phone_numbers'] as const).map((table) => ({
        table,
        keys: DEMO_KEYS[table],
      }));
      await archiveReference(tx, lake, { tables }, now);
    },
  });
}

async function createDemoTenancy(tx: Queryable, now: Date): Promise<boolean> {
  const exists = await tx.all('SELECT 1 FROM partners WHERE partner_id = $p', { p: DEMO_PARTNER_ID });
  if (exists.length) return false;
  await createPartner(
    tx,
    { partner_id: DEMO_PARTNER_ID, name: 'Demo partner', allowed_origins: [DEMO_ORIGIN] },
    now,
  );
  await createApiKey(tx, DEMO_PARTNER_ID, 'demo (fixed key, see README)', now, DEMO_API_KEY);
  for (const w of DEMO_WABAS) {
    await createWaba(
      tx,
      DEMO_PARTNER_ID,
      { waba_id: w.id, name: w.name, timezone: w.timezone, currency: w.currency, pmp_from: w.pmpFrom },
      now,
    );
    for (const n of w.numbers) {
      await createPhoneNumber(
        tx,
        { phone_number_id: n.id, waba_id: w.id, display_phone_number: n.display, label: n.label },
        now,
      );
      await tx.run(
        `INSERT INTO balance_starts (phone_number_id, starts_on, set_at, set_by)
           VALUES ($p, $d::DATE, $now::TIMESTAMPTZ, 'demo-seed')`,
        { p: n.id, d: DEMO_ACCOUNTS_START, now: now.toISOString() },
      );
    }
  }
  return true;
}
