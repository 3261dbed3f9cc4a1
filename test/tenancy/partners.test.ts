/** Partners and API keys on a real store: keys shown once and stored only as SHA-256, origins replaced whole. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../worker/auth/crypto.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { ConflictError, NotFoundError } from '../../worker/errors.js';
import {
  createApiKey,
  createPartner,
  getPartner,
  listPartners,
  revokeApiKey,
  updatePartnerOrigins,
} from '../../worker/tenancy/partners.js';
import { NOW, storeWithTenants } from './store-tenancy.js';

describe('worker/tenancy/partners', () => {
  let db: DuckDbStore;
  beforeAll(async () => {
    db = await storeWithTenants();
  });
  afterAll(() => db.close());

  it('creates a partner once, with its origins, and refuses the same id again', async () => {
    const p = await createPartner(
      db,
      { partner_id: 'initech', name: 'Initech', allowed_origins: ['https://b.test', 'https://a.test'] },
      NOW,
    );
    expect(p).toEqual({
      partner_id: 'initech',
      name: 'Initech',
      allowed_origins: ['https://a.test', 'https://b.test'],
      created_at: '2025-08-15T12:00:00Z',
    });
    await expect(
      createPartner(db, { partner_id: 'initech', name: 'x', allowed_origins: [] }, NOW),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await listPartners(db)).map((r) => r.partner_id)).toEqual(['acme', 'globex', 'initech']);
  });

  it('stores only the hash of a key and revokes it once', async () => {
    const k = await createApiKey(db, 'acme', 'ci', NOW);
    expect(k.api_key).toMatch(/^ck_/);
    const rows = await db.all<{ key_hash: string; revoked: boolean }>(
      'SELECT key_hash, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE key_id = $k',
      { k: k.key_id },
    );
    expect(rows).toEqual([{ key_hash: await sha256Hex(k.api_key), revoked: false }]);
    const plain = await db.all('SELECT 1 FROM api_keys WHERE key_hash = $k', { k: k.api_key });
    expect(plain).toEqual([]);
    await expect(revokeApiKey(db, 'globex', k.key_id, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await revokeApiKey(db, 'acme', k.key_id, NOW);
    await expect(revokeApiKey(db, 'acme', k.key_id, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a key for an unknown partner', async () => {
    await expect(createApiKey(db, 'nobody', null, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getPartner(db, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('replaces the origins without touching the WABAs that reference the partner', async () => {
    await updatePartnerOrigins(db, 'acme', ['https://one.test']);
    const p = await updatePartnerOrigins(db, 'acme', ['https://two.test', 'https://two.test']);
    expect(p.allowed_origins).toEqual(['https://two.test']);
    expect(await db.all('SELECT waba_id FROM wabas WHERE partner_id = $p', { p: 'acme' })).toEqual([
      { waba_id: 'W1' },
    ]);
  });
});
