/** A migrated in-memory store with two partners, a WABA each and their numbers, made through worker/tenancy. */
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { createPartner } from '../../worker/tenancy/partners.js';
import { createPhoneNumber, createWaba } from '../../worker/tenancy/wabas.js';

export const NOW = new Date('2025-08-15T12:00:00Z');

export async function storeWithTenants(): Promise<DuckDbStore> {
  const db = await openStore({ path: ':memory:' }, new Date());
  for (const [partner, waba, tz, phones] of [
    ['acme', 'W1', 'Europe/Berlin', ['P1', 'P2']],
    ['globex', 'W2', 'Asia/Kolkata', ['P3']],
  ] as const) {
    await createPartner(db, { partner_id: partner, name: partner, allowed_origins: [] }, NOW);
    await createWaba(db, partner, { waba_id: waba, name: waba, timezone: tz, currency: 'EUR' }, NOW);
    for (const p of phones) await createPhoneNumber(db, { phone_number_id: p, waba_id: waba }, NOW);
  }
  return db;
}
