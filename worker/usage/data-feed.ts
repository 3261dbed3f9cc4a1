/**
 * Freshness of the data per phone number: `data_through` is the opened_at (delivery time) of the latest unit
 * received for the number, `received_at` when the store last took in a new or changed unit of it. Kept in a
 * small table by both derivation paths, so every answer can say how far its data reaches without scanning
 * units.
 */
import type { Queryable } from '../db/db.js';
import { OWN_ROLLUPS } from './rollup-tables.js';
import { SCOPE_ROWS, scopeParams, scopeRange, type WabaMonth } from '../kernel/waba-month.js';

const ISO = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

/** Moves each number's data_through and received_at forward from the units of the recomputed months. */
export async function updateDataFeed(tx: Queryable, scope: readonly WabaMonth[]): Promise<void> {
  if (scope.length === 0) return;
  await tx.run(
    `INSERT OR REPLACE INTO data_feed
     SELECT n.phone_number_id, n.waba_id, greatest(n.data_through, f.data_through),
            greatest(n.received_at, f.received_at)
       FROM (SELECT u.phone_number_id, arg_max(u.waba_id, u.opened_at) AS waba_id,
                    max(u.opened_at) AS data_through, max(u.ingested_at) AS received_at
               FROM units u
              WHERE (u.waba_id, u.local_month) IN (SELECT waba_id, month FROM (${SCOPE_ROWS})) AND ${scopeRange('u')}
              GROUP BY 1) n
       LEFT JOIN data_feed f ON f.phone_number_id = n.phone_number_id`,
    scopeParams(scope),
  );
}

/** The latest unit of the given numbers as an ISO timestamp (UTC), null when none has a unit yet. */
export async function dataThrough(
  db: Queryable,
  phoneNumberIds: readonly string[],
  feed: string = OWN_ROLLUPS.feed,
): Promise<string | null> {
  if (phoneNumberIds.length === 0) return null;
  const [r] = await db.all<{ t: string | null }>(
    `SELECT strftime(max(data_through) AT TIME ZONE 'UTC', ${ISO}) AS t FROM ${feed}
      WHERE phone_number_id IN (SELECT unnest($phones))`,
    { phones: [...phoneNumberIds] },
  );
  return r?.t ?? null;
}

/** Per number, for answers that list numbers (the balance breakdown). */
export async function dataThroughByNumber(
  db: Queryable,
  phoneNumberIds: readonly string[],
): Promise<Map<string, string>> {
  if (phoneNumberIds.length === 0) return new Map();
  const rows = await db.all<{ phone_number_id: string; t: string }>(
    `SELECT phone_number_id, strftime(data_through AT TIME ZONE 'UTC', ${ISO}) AS t FROM data_feed
      WHERE phone_number_id IN (SELECT unnest($phones))`,
    { phones: [...phoneNumberIds] },
  );
  return new Map(rows.map((r) => [r.phone_number_id, r.t]));
}
