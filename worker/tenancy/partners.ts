/** Partners and their API keys. A key is shown once, at creation; only its SHA-256 is stored. */
import { forgetCachedApiKeys } from '../auth/authenticate.js';
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
  await db.run('INSERT INTO partners VALUES ($id, $name, $origins::VARCHAR[], $now::TIMESTAMPTZ)', {
    id: input.partner_id,
    name: input.name,
    origins: input.allowed_origins,
    now: now.toISOString(),
  });
  return getPartner(db, input.partner_id);
}

export async function getPartner(db: Queryable, partnerId: string): Promise<Partner> {
  const rows = await db.all<Partner>(
    `SELECT partner_id, name, allowed_origins, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at
       FROM partners WHERE partner_id = $id`,
    { id: partnerId },
  );
  const p = rows[0];
  if (!p) throw new NotFoundError(`Partner ${partnerId}`);
  return p;
}

export async function listPartners(db: Queryable): Promise<Partner[]> {
  return db.all<Partner>(
    `SELECT partner_id, name, allowed_origins, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at
       FROM partners ORDER BY partner_id`,
  );
}

export async function updatePartnerOrigins(
  db: Queryable,
  partnerId: string,
  origins: string[],
): Promise<Partner> {
  await getPartner(db, partnerId);
  await db.run('UPDATE partners SET allowed_origins = $o::VARCHAR[] WHERE partner_id = $id', {
    id: partnerId,
    o: origins,
  });
  return getPartner(db, partnerId);
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
  forgetCachedApiKeys(db);
}
