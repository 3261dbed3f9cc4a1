/**
 * Two replicas in one process: one money plane (PGlite) and two analytics stores. Writes made through the first
 * replica's API reach the second replica's mirror by following, and a key revoked through the first is dropped
 * from the second's API-key cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyCache } from '../../worker/auth/api-key-cache.js';
import { followTenancy } from '../../worker/billing/follow-tenancy.js';
import { normalizeConfig } from '../../worker/config.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { silentLogger } from '../../worker/env.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { MIRROR_ORDER, readTenancyRows } from '../../worker/tenancy/mirror-tenancy.js';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

/** Waits for `check` to hold, polling; fails with its last answer after a bound (no timing is asserted). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}

describe('worker/billing/follow-tenancy', () => {
  let h: Harness;
  let other: DuckDbStore;
  let stop: () => Promise<void>;
  const apiKeys = new ApiKeyCache();
  beforeAll(async () => {
    h = await createHarness({ env: { STORE: 'pglite' } });
    other = await openStore({ path: ':memory:' }, new Date());
    const deps = {
      db: other,
      money: h.money,
      domain: domainContextOf({ clock: h.clock, config: normalizeConfig({}) }),
      host: {},
      log: silentLogger,
      services: { apiKeys },
    };
    stop = await followTenancy(deps, 50);
  });
  afterAll(async () => {
    await stop();
    await other.close();
    await h.close();
  });

  it("copies the first replica's tenancy writes into the second replica's mirror", async () => {
    const key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin' }, ['P1', 'P2']);
    await h.json('PATCH', '/v1/phone-numbers/P2', { token: key, body: { label: 'sales' } });
    const same = async () => {
      for (const table of MIRROR_ORDER) {
        const a = JSON.stringify(await readTenancyRows(h.money, table, null));
        if (a !== JSON.stringify(await readTenancyRows(other, table, null))) return false;
      }
      return true;
    };
    await eventually(same, 'the second mirror equals the money plane');
    const [p2] = await readTenancyRows(other, 'phone_numbers', ['P2']);
    expect(p2?.label).toBe('sales');
  });

  it('drops the API-key cache when a key is revoked elsewhere', async () => {
    const r = await h.json('POST', '/v1/partners/acme/api-keys', { token: ADMIN, body: { label: 'x' } });
    apiKeys.remember(
      r.body.api_key,
      { kind: 'partner', partnerId: 'acme', keyId: r.body.key_id },
      Date.now(),
    );
    expect(apiKeys.get(r.body.api_key, Date.now())).toBeDefined();
    await h.call('DELETE', `/v1/partners/acme/api-keys/${r.body.key_id}`, { token: ADMIN });
    await eventually(
      async () => apiKeys.get(r.body.api_key, Date.now()) === undefined,
      'the revoked key leaves the cache',
    );
  });
});
