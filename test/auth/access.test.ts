/** Tenant isolation on a real store: what admin, a partner key and an embed token may load, and 404 otherwise. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadPhoneNumber,
  loadWaba,
  partnerOf,
  requireManager,
  requireScope,
  visiblePhoneNumbers,
} from '../../worker/auth/access.js';
import type { Principal } from '../../worker/auth/principal.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { ForbiddenError, NotFoundError } from '../../worker/errors.js';
import { storeWithTenants } from '../tenancy/store-tenancy.js';

const ADMIN: Principal = { kind: 'admin' };
const ACME: Principal = { kind: 'partner', partnerId: 'acme', keyId: 'k1' };
const EMBED_P2: Principal = {
  kind: 'embed',
  partnerId: 'acme',
  phoneNumberIds: ['P2'],
  scopes: ['read-usage'],
  expiresAt: 0,
};

const ids = (rows: { phone_number_id: string }[]) => rows.map((r) => r.phone_number_id);

describe('worker/auth/access', () => {
  let db: DuckDbStore;
  beforeAll(async () => {
    db = await storeWithTenants();
  });
  afterAll(() => db.close());

  it("answers 404, not 403, for another partner's WABA and number", async () => {
    expect((await loadWaba(db, ACME, 'W1')).timezone).toBe('Europe/Berlin');
    await expect(loadWaba(db, ACME, 'W2')).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadPhoneNumber(db, ACME, 'P3')).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadWaba(db, ACME, 'W9')).rejects.toBeInstanceOf(NotFoundError);
    expect((await loadPhoneNumber(db, ADMIN, 'P3')).partner_id).toBe('globex');
  });

  it('limits an embed token to its numbers and their WABA', async () => {
    expect(ids(await visiblePhoneNumbers(db, EMBED_P2, {}))).toEqual(['P2']);
    expect(ids(await visiblePhoneNumbers(db, EMBED_P2, { wabaId: 'W1' }))).toEqual(['P2']);
    await expect(loadPhoneNumber(db, EMBED_P2, 'P1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(visiblePhoneNumbers(db, EMBED_P2, { phoneNumberIds: ['P1'] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('lists every visible number, or the named ones once each, within the named WABA', async () => {
    expect(ids(await visiblePhoneNumbers(db, ACME, {}))).toEqual(['P1', 'P2']);
    expect(ids(await visiblePhoneNumbers(db, ADMIN, {}))).toEqual(['P1', 'P2', 'P3']);
    expect(ids(await visiblePhoneNumbers(db, ADMIN, { wabaId: 'W2' }))).toEqual(['P3']);
    expect(ids(await visiblePhoneNumbers(db, ACME, { phoneNumberIds: ['P2', 'P2', 'P1'] }))).toEqual([
      'P2',
      'P1',
    ]);
    await expect(
      visiblePhoneNumbers(db, ADMIN, { wabaId: 'W1', phoneNumberIds: ['P3'] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets embed tokens read only within their scopes and manage nothing', () => {
    expect(() => requireScope(EMBED_P2, 'read-usage')).not.toThrow();
    expect(() => requireScope(EMBED_P2, 'add-funds')).toThrow(ForbiddenError);
    expect(() => requireScope(ACME, 'add-funds')).not.toThrow();
    expect(() => requireManager(EMBED_P2)).toThrow(ForbiddenError);
    expect(() => requireManager(ACME)).not.toThrow();
    expect([partnerOf(ADMIN), partnerOf(ACME), partnerOf(EMBED_P2)]).toEqual([null, 'acme', 'acme']);
  });
});
