/** Payment methods per currency, auto-renewal settings merged (never dropped), and when a balance ran out. */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { paymentMethodsFor } from '../../worker/funding/payment-methods.js';
import { createFixture } from './fixtures.js';

const methodsOf = (body: { methods: { method: string }[] }) => body.methods.map((m) => m.method);

describe('payment methods per currency', () => {
  it('lists the fee schedule less the methods kept to other currencies (no Pix for INR, Pix for BRL)', async () => {
    const f = await createFixture(['P1']);
    await f.h.waba(f.key, { waba_id: 'WIN', timezone: 'Asia/Kolkata', currency: 'INR' }, ['PIN']);
    const inr = await f.json('GET', '/v1/payment-methods?currency=INR');
    expect(inr.status).toBe(200);
    expect(methodsOf(inr.body)).toEqual(['card', 'bank_transfer']);
    expect(inr.body.methods[0]).toEqual({ method: 'card', fee: { percent: '4', fixed: '0' } });
    const brl = await f.json('GET', '/v1/payment-methods?currency=BRL');
    expect(methodsOf(brl.body)).toEqual(['card', 'bank_transfer', 'pix']);
    const byNumber = await f.json('GET', '/v1/payment-methods?phone_number_id=PIN');
    expect(byNumber.body.currency).toBe('INR');
    expect(methodsOf(byNumber.body)).not.toContain('pix');
    expect((await f.json('GET', '/v1/payment-methods')).status).toBe(400);
    expect((await f.json('GET', '/v1/payment-methods?currency=inr')).status).toBe(400);
    // Another partner's number is not found, as everywhere.
    const other = await f.h.partner('globex');
    expect((await f.h.json('GET', '/v1/payment-methods?phone_number_id=PIN', { token: other })).status).toBe(
      404,
    );
    await f.h.close();
  });

  it('refuses Pix for an INR number on every path: quote and auto-renewal settings', async () => {
    const f = await createFixture(['P1']);
    await f.h.waba(f.key, { waba_id: 'WIN', timezone: 'Asia/Kolkata', currency: 'INR' }, ['PIN']);
    const q = await f.json('POST', '/v1/phone-numbers/PIN/funds/quotes', {
      body: { mode: 'one_time', amount: '500', payment_method: 'pix' },
    });
    expect(q.status).toBe(400);
    expect(q.body.issues[0]).toEqual({
      column: 'payment_method',
      reason: 'must be one of card, bank_transfer',
    });
    const ar = await f.json('PUT', '/v1/phone-numbers/PIN/auto-renewal', {
      body: { enabled: true, threshold: '100', amount: '500', payment_method: 'pix' },
    });
    expect(ar.status).toBe(400);
    const ok = await f.json('POST', '/v1/phone-numbers/PIN/funds/quotes', {
      body: { mode: 'one_time', amount: '500', payment_method: 'bank_transfer' },
    });
    expect(ok.status).toBe(201);
    await f.h.close();
  });

  it('reads PAYMENT_METHOD_CURRENCIES from the configuration', () => {
    const c = normalizeConfig({ PAYMENT_METHOD_CURRENCIES: 'pix:BRL,bank_transfer:EUR|GBP' });
    expect(paymentMethodsFor(c, 'USD').map((m) => m.method)).toEqual(['card']);
    expect(paymentMethodsFor(c, 'GBP').map((m) => m.method)).toEqual(['card', 'bank_transfer']);
    expect(paymentMethodsFor(normalizeConfig({ PAYMENT_METHOD_CURRENCIES: 'none' }), 'INR')).toHaveLength(3);
    expect(() => normalizeConfig({ PAYMENT_METHOD_CURRENCIES: 'pix:reais' })).toThrow(/method:CUR/);
  });
});

describe('auto-renewal settings are merged, never dropped', () => {
  it('a change of amount keeps the cap and the low-balance level; switching off keeps everything', async () => {
    const f = await createFixture(['P1']);
    const first = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: {
        enabled: true,
        threshold: '10',
        amount: '50',
        monthly_cap: '200',
        low_balance_threshold: '15',
      },
    });
    expect(first.status).toBe(200);
    const amount = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: { amount: '80' } });
    expect(amount.body.auto_renewal).toMatchObject({
      enabled: true,
      amount: '80.000000',
      threshold: '10.000000',
      monthly_cap: '200.000000',
      low_balance_threshold: '15.000000',
    });
    const off = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: { enabled: false } });
    expect(off.body.auto_renewal).toMatchObject({
      enabled: false,
      amount: '80.000000',
      monthly_cap: '200.000000',
    });
    // An explicit null clears the cap.
    const cleared = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: { monthly_cap: null } });
    expect(cleared.body.auto_renewal.monthly_cap).toBeNull();
    expect(cleared.body.auto_renewal.low_balance_threshold).toBe('15.000000');
    await f.h.close();
  });

  it('the first settings need a threshold and an amount', async () => {
    const f = await createFixture(['P1']);
    const r = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: { enabled: true } });
    expect(r.status).toBe(400);
    expect(r.body.issues.map((i: { column: string }) => i.column)).toEqual(['threshold', 'amount']);
    await f.h.close();
  });

  it('confirming an auto-renewal quote from the wizard keeps a cap set elsewhere', async () => {
    const f = await createFixture(['P1']);
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: { enabled: false, threshold: '5', amount: '20', monthly_cap: '150', low_balance_threshold: '8' },
    });
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'auto_renewal', amount: '40', payment_method: 'card', auto_renewal: { threshold: '12' } },
    });
    const t = await f.json('POST', '/v1/phone-numbers/P1/funds', {
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'k-merge' },
    });
    expect(t.status).toBe(202);
    const saved = (await f.json('GET', '/v1/phone-numbers/P1/auto-renewal')).body.auto_renewal;
    expect(saved).toMatchObject({
      enabled: true,
      threshold: '12.000000',
      amount: '40.000000',
      monthly_cap: '150.000000',
      low_balance_threshold: '8.000000',
    });
    await f.h.close();
  });
});

describe('when a balance ran out', () => {
  it('names the moment the balance last crossed to zero or below, on /balance and /balances', async () => {
    const f = await createFixture(['P1', 'P2']);
    await f.fund('P1', '1.00');
    f.h.clock.advance(3_600_000);
    await f.charge('P1', '2025-08-14', '0.60');
    const crossing = f.h.clock.now().toISOString();
    f.h.clock.advance(3_600_000);
    await f.charge('P1', '2025-08-15', '0.90');
    const one = await f.json('GET', '/v1/phone-numbers/P1/balance');
    expect(one.body).toMatchObject({ balance: '-0.500000', state: 'negative' });
    expect(one.body.ran_out_at).toBe(new Date(Date.parse(crossing) + 3_600_000).toISOString());
    const all = await f.json('GET', '/v1/balances');
    const p1 = all.body.numbers.find((n: { phone_number_id: string }) => n.phone_number_id === 'P1');
    expect(p1).toMatchObject({ state: 'negative', ran_out_at: one.body.ran_out_at });
    // Never funded: zero, and no moment it ran out.
    const p2 = all.body.numbers.find((n: { phone_number_id: string }) => n.phone_number_id === 'P2');
    expect(p2).toMatchObject({ state: 'zero', ran_out_at: null });
    // Funded again: positive, so no ran_out_at.
    await f.fund('P1', '5');
    expect((await f.json('GET', '/v1/phone-numbers/P1/balance')).body.ran_out_at).toBeNull();
    await f.h.close();
  });
});
