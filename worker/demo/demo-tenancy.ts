/**
 * Creates the demo partner (with its fixed, documented API key), its WABAs and numbers when missing. Used by the
 * first-start seed, the CLI's --demo-tenancy and the benchmark.
 */
import { DEMO_API_KEY, DEMO_ORIGIN, DEMO_PARTNER_ID, DEMO_WABAS } from '../../data/demo/demo-profile.js';
import type { Db } from '../db/db.js';
import { archiveReference } from '../lake/archive-reference.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import { createApiKey, createPartner } from '../tenancy/partners.js';
import { createPhoneNumber, createWaba } from '../tenancy/wabas.js';

/**
 * The demo's prepaid accounts are run from the start of its history (the funding seed replays that history
 * with top-ups from the first day), so its charges debit them from before the first generated unit.
 */
const DEMO_ACCOUNTS_START = '2023-06-01';

/** Returns true when it created the partner (false: it already existed); archived in `lake` when given. */
export async function ensureDemoTenancy(db: Db, now: Date, lake?: IngestLake): Promise<boolean> {
  return db.transaction(async (tx) => {
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
        await tx.run(`INSERT INTO balance_starts VALUES ($p, $d::DATE, $now::TIMESTAMPTZ, 'demo-seed')`, {
          p: n.id,
          d: DEMO_ACCOUNTS_START,
          now: now.toISOString(),
        });
      }
    }
    const tables = [
      { table: 'partners', keys: [DEMO_PARTNER_ID] },
      { table: 'wabas', keys: DEMO_WABAS.map((w) => w.id) },
      { table: 'phone_numbers', keys: DEMO_WABAS.flatMap((w) => w.numbers.map((n) => n.id)) },
    ] as const;
    await archiveReference(tx, lake, { tables }, now);
    return true;
  });
}
