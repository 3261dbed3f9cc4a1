/** Partners and their API keys. A key is shown once, at creation; only its SHA-256 is stored. */
import type { Queryable } from '../db/db.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { randomToken, sha256Hex } from '../auth/crypto.js';

export interface Partner {
  readonly partner_id: string;
  readonly name: string;
  readonly allowed_origins: string[];
  readonly created_at: string;
}

export interface CreatedKey {
  readonly key_id: string;
  readonly api_key: string;
}

export async function createPartner(
  db: Queryable,
  input: { partner_id: string; name: string; allowed_origins: string[] },
  now: Date,
): Promise<Partner> {
  const exists = await db.all('SELECT 1 FROM partners WHERE partner_id = $id', { id: input.partner_id });
  if (exists.length) throw new ConflictError(`Partner ${input.partner_id} already exists.`);
  // The analytics DuckDB schema keeps a superseded allowed_origins column (see 060_partner_origins.sql): named
  // columns leave it at its default there, and the money plane's table has none.
  await db.run('INSERT INTO partners (partner_id, name, created_at) VALUES ($id, $name, $now::TIMESTAMPTZ)', {
    id: input.partner_id,
    name: input.name,
    now: now.toISOString(),
  });
  await insertOrigins(db, input.partner_id, input.allowed_origins);
  return getPartner(db, input.partner_id);
}

/** '2026-01-02 03:04:05.123456+00' (a UTC TIMESTAMPTZ as both planes answer it) as '2026-01-02T03:04:05Z'. */
const isoSecond = (ts: string) => `${ts.slice(0, 10)}T${ts.slice(11, 19)}Z`;

/** Partners with their origins: two reads assembled here, one SQL text for DuckDB and Postgres. */
async function readPartners(db: Queryable, partnerId: string | null): Promise<Partner[]> {
  const rows = await db.all<{ partner_id: string; name: string; created_at: string }>(
    `SELECT partner_id, name, created_at FROM partners
      WHERE $id::VARCHAR IS NULL OR partner_id = $id::VARCHAR ORDER BY partner_id`,
    { id: partnerId },
  );
  const origins = await db.all<{ partner_id: string; origin: string }>(
    `SELECT partner_id, origin FROM partner_origins
      WHERE $id::VARCHAR IS NULL OR partner_id = $id::VARCHAR ORDER BY partner_id, origin`,
    { id: partnerId },
  );
  const byPartner = new Map<string, string[]>();
  for (const o of origins) byPartner.set(o.partner_id, [...(byPartner.get(o.partner_id) ?? []), o.origin]);
  return rows.map((r) => ({
    partner_id: r.partner_id,
    name: r.name,
    allowed_origins: byPartner.get(r.partner_id) ?? [],
    created_at: isoSecond(r.created_at),
  }));
}

export async function getPartner(db: Queryable, partnerId: string): Promise<Partner> {
  const p = (await readPartners(db, partnerId))[0];
  if (!p) throw new NotFoundError(`Partner ${partnerId}`);
  return p;
}

export async function listPartners(db: Queryable): Promise<Partner[]> {
  return readPartners(db, null);
}

/**
 * Replaces a partner's allowed origins (validated by the caller with originListSchema). Rows of
 * partner_origins are deleted and inserted, never the partners row, so keys and WABAs referencing it stay.
 * Call inside a transaction: readers see the old list or the new one.
 */
export async function updatePartnerOrigins(
  db: Queryable,
  partnerId: string,
  origins: readonly string[],
): Promise<Partner> {
  await getPartner(db, partnerId);
  await db.run('DELETE FROM partner_origins WHERE partner_id = $id', { id: partnerId });
  await insertOrigins(db, partnerId, origins);
  return getPartner(db, partnerId);
}

async function insertOrigins(db: Queryable, partnerId: string, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await db.run(
    `INSERT INTO partner_origins (partner_id, origin)
     SELECT DISTINCT $id::VARCHAR, o FROM (SELECT unnest($o::VARCHAR[]) AS o) t ON CONFLICT DO NOTHING`,
    { id: partnerId, o: origins },
  );
}

/** Issues a new API key for a partner; the plain key is returned once and never stored. */
export async function createApiKey(
  db: Queryable,
  partnerId: string,
  label: string | null,
  now: Date,
  plain?: string,
): Promise<CreatedKey> {
  await getPartner(db, partnerId);
  const apiKey = plain ?? `ck_${randomToken(24)}`;
  const keyId = `key_${randomToken(9)}`;
  const columns = 'key_id, partner_id, key_hash, label, created_at, revoked_at';
  await db.run(
    `INSERT INTO api_keys (${columns}) VALUES ($kid, $pid, $hash, $label, $now::TIMESTAMPTZ, NULL)`,
    {
      kid: keyId,
      pid: partnerId,
      hash: await sha256Hex(apiKey),
      label,
      now: now.toISOString(),
    },
  );
  return { key_id: keyId, api_key: apiKey };
}

export async function revokeApiKey(
  db: Queryable,
  partnerId: string,
  keyId: string,
  now: Date,
): Promise<void> {
  const rows = await db.all(
    'SELECT 1 FROM api_keys WHERE key_id = $k AND partner_id = $p AND revoked_at IS NULL',
    { k: keyId, p: partnerId },
  );
  if (!rows.length) throw new NotFoundError(`API key ${keyId}`);
  await db.run('UPDATE api_keys SET revoked_at = $now::TIMESTAMPTZ WHERE key_id = $k', {
    k: keyId,
    now: now.toISOString(),
  });
}
