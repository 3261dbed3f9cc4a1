/** Partners and their API keys. A key is shown once, at creation; only its SHA-256 is stored. */
import { isoSeconds } from '../db/instant-text.js';
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

type PartnerRow = Omit<Partner, 'allowed_origins'> & { allowed_origins: string[] | null };

/** A row of PARTNER_SELECT as the API shows it (no origins is an empty list; the creation time in whole seconds). */
function partnerOf(r: PartnerRow): Partner {
  return { ...r, allowed_origins: r.allowed_origins ?? [], created_at: isoSeconds(r.created_at) };
}

const PARTNER_SELECT = `
  SELECT p.partner_id, p.name,
         (SELECT array_agg(o.origin ORDER BY o.origin) FROM partner_origins o
           WHERE o.partner_id = p.partner_id) AS allowed_origins,
         p.created_at
    FROM partners p`;

export async function getPartner(db: Queryable, partnerId: string): Promise<Partner> {
  const rows = await db.all<PartnerRow>(`${PARTNER_SELECT} WHERE p.partner_id = $id`, { id: partnerId });
  const p = rows[0] ? partnerOf(rows[0]) : undefined;
  if (!p) throw new NotFoundError(`Partner ${partnerId}`);
  return p;
}

export async function listPartners(db: Queryable): Promise<Partner[]> {
  return (await db.all<PartnerRow>(`${PARTNER_SELECT} ORDER BY p.partner_id`)).map(partnerOf);
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
    'INSERT INTO partner_origins SELECT DISTINCT $id, unnest($o::VARCHAR[]) ON CONFLICT DO NOTHING',
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
  await db.run('INSERT INTO api_keys VALUES ($kid, $pid, $hash, $label, $now::TIMESTAMPTZ, NULL)', {
    kid: keyId,
    pid: partnerId,
    hash: await sha256Hex(apiKey),
    label,
    now: now.toISOString(),
  });
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
