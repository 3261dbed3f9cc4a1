/**
 * Insecure defaults: without SIGNING_SECRET the published development secret used to let anyone forge embed
 * tokens for any partner and sign payment.succeeded; DEMO_DATA was on by default with a published API key.
 * Now nothing defaults to demo: demo mode is explicit, and outside it the development secret never verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEmbedToken } from '../../worker/auth/embed-token.js';
import { settledBalance } from '../../worker/ledger/ledger.js';
import { checkServable, ConfigError, DEV_SIGNING_SECRET, normalizeConfig } from '../../worker/config.js';
import { signPayload } from '../../worker/funding/payment-signature.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const REAL_SECRET = 'a-real-signing-secret-of-32-chars!!';
const REAL_ADMIN = 'a-real-admin-token-16+';

describe('configuration defaults', () => {
  it('defaults to production: no demo data, no secret, every address, and refuses to serve so', () => {
    const c = normalizeConfig({});
    expect(c).toMatchObject({ demoMode: false, demoData: false, signingSecret: null, host: '0.0.0.0' });
    expect(() => checkServable(c)).toThrow(ConfigError);
    expect(() => checkServable(c)).toThrow(/SIGNING_SECRET .*ADMIN_TOKEN/);
    expect(() => checkServable(normalizeConfig({ SIGNING_SECRET: REAL_SECRET }))).toThrow(/ADMIN_TOKEN/);
    expect(() =>
      checkServable(normalizeConfig({ SIGNING_SECRET: 'short', ADMIN_TOKEN: REAL_ADMIN })),
    ).toThrow(/SIGNING_SECRET must be set to at least 32/);
    expect(() =>
      checkServable(normalizeConfig({ SIGNING_SECRET: REAL_SECRET, ADMIN_TOKEN: REAL_ADMIN })),
    ).not.toThrow();
  });

  it('refuses the published development secret and demo data outside demo mode', () => {
    expect(() => normalizeConfig({ SIGNING_SECRET: DEV_SIGNING_SECRET })).toThrow(/published development/);
    expect(() => normalizeConfig({ DEMO_DATA: 'true' })).toThrow(/DEMO_MODE=true/);
  });

  it('demo mode is explicit: loopback, demo data and the development secret, and it may serve', () => {
    const c = normalizeConfig({ DEMO_MODE: 'true' });
    expect(c).toMatchObject({
      demoMode: true,
      demoData: true,
      signingSecret: DEV_SIGNING_SECRET,
      host: '127.0.0.1',
      adminToken: null,
    });
    expect(() => checkServable(c)).not.toThrow();
    expect(normalizeConfig({ DEMO_MODE: 'true', HOST: '0.0.0.0', DEMO_DATA: 'false' })).toMatchObject({
      host: '0.0.0.0',
      demoData: false,
    });
  });
});

describe('the development secret validates nothing outside demo mode', () => {
  let prod: Harness;
  let unsigned: Harness;
  let key: string;
  beforeAll(async () => {
    prod = await createHarness({ env: { SIGNING_SECRET: REAL_SECRET } });
    key = await prod.partner('acme');
    await prod.waba(key, { waba_id: 'W1', timezone: 'UTC', currency: 'USD' }, ['P1']);
    unsigned = await createHarness({ env: { SIGNING_SECRET: '' } });
  });
  afterAll(async () => {
    await prod.close();
    await unsigned.close();
  });

  const forged = () =>
    signEmbedToken(DEV_SIGNING_SECRET, {
      partner_id: 'acme',
      phone_number_ids: ['P1'],
      scopes: ['read-usage', 'read-balance', 'add-funds'],
      exp: Math.floor(Date.parse('2025-08-15T13:00:00Z') / 1000),
    });

  it('an embed token forged with the development secret answers 401', async () => {
    const r = await prod.call('GET', '/v1/phone-numbers/P1/balance', { token: await forged() });
    expect(r.status).toBe(401);
    const none = await unsigned.call('GET', '/v1/phone-numbers', { token: await forged() });
    expect(none.status).toBe(401);
  });

  it('a payment.succeeded signed with the development secret credits nothing', async () => {
    const q = await prod.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      token: key,
      body: { mode: 'one_time', amount: '1000', payment_method: 'bank_transfer' },
    });
    const c = await prod.json('POST', '/v1/phone-numbers/P1/funds', {
      token: key,
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'k1' },
    });
    expect(c.status).toBe(202);
    const raw = JSON.stringify({ type: 'payment.succeeded', topup_id: c.body.topup_id });
    const r = await prod.call('POST', '/v1/payments/webhook', {
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-signature': await signPayload(DEV_SIGNING_SECRET, raw),
      },
    });
    expect(r.status).toBe(401);
    expect(await settledBalance(prod.db, 'P1')).toBe('0.000000');
    const ok = await prod.call('POST', '/v1/payments/webhook', {
      body: raw,
      headers: { 'content-type': 'application/json', 'x-signature': await signPayload(REAL_SECRET, raw) },
    });
    expect(ok.status).toBe(200);
    expect(await settledBalance(prod.db, 'P1')).toBe('1000.000000');
  });

  it('without any secret, minting and payment events answer 503 instead of signing with a default', async () => {
    const k = await unsigned.partner('beta');
    await unsigned.waba(k, { waba_id: 'WB', timezone: 'UTC', currency: 'USD' }, ['PB']);
    const mint = await unsigned.json('POST', '/v1/embed-tokens', {
      token: k,
      body: { phone_number_ids: ['PB'], scopes: ['read-usage'] },
    });
    expect(mint.status).toBe(503);
    const raw = JSON.stringify({ type: 'payment.succeeded', topup_id: 'tu_x' });
    const r = await unsigned.call('POST', '/v1/payments/webhook', {
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-signature': await signPayload(DEV_SIGNING_SECRET, raw),
      },
    });
    expect(r.status).toBe(503);
  });
});
