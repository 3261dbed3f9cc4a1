/**
 * The phone numbers a request covers when it may name several WABAs and several numbers: each named WABA and
 * number is checked with visiblePhoneNumbers (404 for anything the caller cannot see), then the sets intersect.
 */
import type { Queryable } from '../db/db.js';
import type { Principal } from './principal.js';
import { visiblePhoneNumbers, type PhoneNumberRow } from './access.js';

export async function visibleScope(
  db: Queryable,
  p: Principal,
  f: {
    readonly wabaIds?: readonly string[] | undefined;
    readonly phoneNumberIds?: readonly string[] | undefined;
  },
): Promise<PhoneNumberRow[]> {
  const wabas = [...new Set(f.wabaIds ?? [])];
  if (wabas.length <= 1)
    return visiblePhoneNumbers(db, p, { wabaId: wabas[0], phoneNumberIds: f.phoneNumberIds });
  const byId = new Map<string, PhoneNumberRow>();
  for (const w of wabas) {
    for (const row of await visiblePhoneNumbers(db, p, { wabaId: w })) byId.set(row.phone_number_id, row);
  }
  if (f.phoneNumberIds && f.phoneNumberIds.length > 0) {
    const named = await visiblePhoneNumbers(db, p, { phoneNumberIds: f.phoneNumberIds });
    return named.filter((r) => byId.has(r.phone_number_id));
  }
  return [...byId.values()].sort((a, b) => (a.phone_number_id < b.phone_number_id ? -1 : 1));
}
