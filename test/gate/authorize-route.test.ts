import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const HUB = 'https://hub.360dialog.example';
const MESSAGE =
  'The message could not be sent. You do not have enough funds on your conversation prepaid balance to engage ' +
  `in any paid conversation. Please proceed to ${HUB} -> “Insights & Billing” in order to top up your balance ` +
  'and optionally enable auto-renewal, which will prevent you from running out of funds in the future.';

describe('POST /v1/phone-numbers/{id}/messages/authorize', () => {
  let h: Harness;
  let key: string;
  let other: string;
  const path = (id: string) => `/v1/phone-numbers/${id}/messages/authorize`;
  const send = (id: string, body: Record<string, unknown>, token = key) =>
    h.json('POST', path(id), { token, body });
  const fund = (id: string, amount: string, status: 'settled' | 'pending' = 'settled') =>
    appendMovement(h.money, {
      phone_number_id: id,
      kind: amount.startsWith('-') ? 'charge' : 'topup_one_time',
      amount,
      currency: 'USD',
      status,
      requested_at: h.clock.now(),
      topup_id: status === 'pending' ? `tu_${id}_${amount}` : null,
    });

  beforeAll(async () => {
    h = await createHarness({ env: { HUB_URL: HUB }, now: '2025-08-15T12:00:00Z' });
    key = await h.partner('acme');
    other = await h.partner('globex');
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin' }, ['P1', 'P2', 'P3']);
    await h.waba(other, { waba_id: 'W9', timezone: 'UTC' }, ['P9']);
    await fund('P1', '50');
  });
  afterAll(() => h.close());

  it('answers a paid PMP template and a free utility template in the CSW', async () => {
    const m = await send('P1', {
      direction: 'outbound',
      recipient: '4915100000001',
      kind: 'template',
      category: 'marketing',
    });
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({
      allowed: true,
      opens_unit: true,
      paid: true,
      category: 'marketing',
      pricing_model: 'PMP',
      pricing_type: 'regular',
      window: { csw_open_until: null, fep_open_until: null },
    });
    const i = await send('P1', { direction: 'inbound', recipient: '4915100000001' });
    expect(i.body).toMatchObject({
      allowed: true,
      paid: false,
      window: { csw_open_until: '2025-08-16T12:00:00.000Z' },
    });
    const u = await send('P1', {
      direction: 'outbound',
      recipient: '4915100000001',
      kind: 'template',
      category: 'utility',
    });
    expect(u.body).toMatchObject({ paid: false, reason: 'utility_free_in_csw' });
  });

  it('refuses a free-form message outside the window with 422', async () => {
    const r = await send('P1', { direction: 'outbound', recipient: '4915100000002', kind: 'non_template' });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('window_closed');
    expect(r.body.detail).toContain('needs an open customer service window');
  });

  it('validates the body at the edge', async () => {
    const r = await send('P1', { direction: 'outbound', recipient: '+49 151', kind: 'template' });
    expect(r.status).toBe(400);
    expect(r.body.issues.map((x: { column: string }) => x.column).sort()).toEqual(['category', 'recipient']);
  });

  it('402 with the exact message for a paid send at zero balance; a pending top-up does not unblock', async () => {
    const body = {
      direction: 'outbound',
      recipient: '4915100000003',
      kind: 'template',
      category: 'marketing',
    };
    let r = await send('P2', body);
    expect(r.status).toBe(402);
    expect(r.body.code).toBe('insufficient_balance');
    expect(r.body.detail).toBe(MESSAGE);
    await fund('P2', '20', 'pending');
    r = await send('P2', body);
    expect(r.status).toBe(402);
    // a settled top-up unblocks at once (a balance ≤ 0 is never cached)
    await h.money.run(`UPDATE ledger_movements SET status = 'settled' WHERE phone_number_id = 'P2'`);
    r = await send('P2', body);
    expect(r.status).toBe(200);
    expect(r.body.paid).toBe(true);
  });

  it('402 for a negative settled balance; the refused send changes no state', async () => {
    await fund('P3', '5');
    await fund('P3', '-5.000001');
    const body = { direction: 'outbound', recipient: '4915100000004', kind: 'template', category: 'utility' };
    expect((await send('P3', body)).status).toBe(402);
    await h.services.gate.state.flush();
    const rows = await h.money.all(`SELECT * FROM gate_customer_state WHERE phone_number_id = 'P3'`);
    expect(rows).toEqual([]);
  });

  it('at zero balance: inbound allowed, free outbound allowed, dry run says why', async () => {
    const i = await send('P3', { direction: 'inbound', recipient: '4915100000005' });
    expect(i.status).toBe(200);
    const free = await send('P3', {
      direction: 'outbound',
      recipient: '4915100000005',
      kind: 'non_template',
    });
    expect(free.status).toBe(200);
    expect(free.body).toMatchObject({ allowed: true, paid: false });
    const dry = await send('P3', {
      direction: 'outbound',
      recipient: '4915100000005',
      kind: 'template',
      category: 'marketing',
      dry_run: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      allowed: false,
      paid: true,
      reason: 'insufficient_balance',
      dry_run: true,
    });
  });

  it('a dry run records nothing', async () => {
    const body = {
      direction: 'outbound',
      recipient: '4915100000006',
      kind: 'template',
      category: 'marketing',
    };
    await send('P1', { ...body, dry_run: true, at: '2025-05-01T10:00:00Z' });
    await h.services.gate.state.flush();
    const rows = await h.money.all(
      `SELECT * FROM gate_customer_state WHERE customer_wa_id = '4915100000006'`,
    );
    expect(rows).toEqual([]);
  });

  it('switches regime at the WABA’s local pmp_from midnight', async () => {
    const body = {
      direction: 'outbound',
      recipient: '4915100000007',
      kind: 'template',
      category: 'marketing',
    };
    // Berlin is UTC+2 in summer: 2025-06-30T21:59Z is still June 30 locally, 22:00Z is July 1.
    const before = await send('P1', { ...body, at: '2025-06-30T21:59:00Z' });
    expect(before.body).toMatchObject({ pricing_model: 'CBP', opens_unit: true, paid: true });
    const after = await send('P1', { ...body, at: '2025-06-30T22:00:00Z' });
    expect(after.body.pricing_model).toBe('PMP');
  });

  it('gates free outbound sends too when configured', async () => {
    const g = await createHarness({ env: { HUB_URL: HUB, GATE_BLOCKS_FREE_OUTBOUND: 'true' } });
    const k = await g.partner('acme');
    await g.waba(k, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    const p = `/v1/phone-numbers/P1/messages/authorize`;
    expect(
      (await g.json('POST', p, { token: k, body: { direction: 'inbound', recipient: '111111' } })).status,
    ).toBe(200);
    const r = await g.json('POST', p, {
      token: k,
      body: { direction: 'outbound', recipient: '111111', kind: 'non_template' },
    });
    expect(r.status).toBe(402);
    expect(r.body.paid).toBe(false);
    await g.close();
  });

  it('answers 404 for another tenant’s number', async () => {
    const r = await send('P9', { direction: 'inbound', recipient: '4915100000008' });
    expect(r.status).toBe(404);
    const mine = await send('P9', { direction: 'inbound', recipient: '4915100000008' }, other);
    expect(mine.status).toBe(200);
  });
});

describe('gate holds and ledger changes', () => {
  it('a charge posted by this process reaches the hold at once: the next paid send is refused', async () => {
    const h = await createHarness({ env: { GATE_BALANCE_CACHE_MS: '60000' } });
    const k = await h.partner('acme');
    await h.waba(k, { waba_id: 'W1', timezone: 'UTC' }, ['PX']);
    const move = (amount: string) =>
      appendMovement(h.money, {
        phone_number_id: 'PX',
        kind: amount.startsWith('-') ? 'charge' : 'topup_one_time',
        amount,
        currency: 'USD',
        status: 'settled',
        requested_at: h.clock.now(),
      });
    const body = { direction: 'outbound', recipient: '111111', kind: 'template', category: 'marketing' };
    const send = () => h.json('POST', '/v1/phone-numbers/PX/messages/authorize', { token: k, body });
    await move('1');
    h.services.gate.balances.invalidate('PX');
    expect((await send()).status).toBe(200);
    await move('-1');
    h.services.gate.balances.invalidate('PX'); // as every ledger writer does after its commit
    // The hold reserved by the first send is given back on the ledger change, and 0 cannot cover a new one.
    expect((await send()).status).toBe(402);
    await move('1');
    h.services.gate.balances.invalidate('PX');
    expect((await send()).status).toBe(200);
    await h.close();
  });
});
