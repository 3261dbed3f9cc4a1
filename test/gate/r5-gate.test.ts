import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series } from '../usage/seed-units.js';

// The gate under R5 (from 2026-10-01, WABA local time): a service reply is free while the number's monthly
// allowance of 1,000 service messages lasts, then paid; a utility template inside the window is paid. The
// numbers here have no funds, so every paid send is refused and every free one goes out.
describe('authorize under R5', () => {
  let h: Harness;
  let key: string;
  const send = (id: string, body: Record<string, unknown>) =>
    h.json('POST', `/v1/phone-numbers/${id}/messages/authorize`, { token: key, body });
  const customer = '4915100000001';

  beforeAll(async () => {
    h = await createHarness({ now: '2026-10-20T12:00:00Z', env: { GATE_BALANCE_CACHE_MS: '0' } });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W', timezone: 'Europe/Berlin' }, ['FREE', 'USED']);
    // USED has delivered its 1,000 free service messages this October already.
    await seedUnits(
      h,
      key,
      series(
        1000,
        '2026-10-02T08:00:00Z',
        {
          waba_id: 'W',
          phone_number_id: 'USED',
          pricing_model: 'PMP',
          category: 'service',
          is_template: false,
        },
        'used',
      ),
    );
    for (const id of ['FREE', 'USED'])
      await send(id, { direction: 'inbound', recipient: customer, at: '2026-09-30T21:00:00Z' });
  });
  afterAll(() => h.close());

  it('lets a service reply out free while the allowance lasts, and refuses it at zero balance once used up', async () => {
    const free = await send('FREE', {
      direction: 'outbound',
      recipient: customer,
      kind: 'non_template',
      at: '2026-10-01T06:00:00Z',
    });
    expect(free.status).toBe(200);
    expect(free.body).toMatchObject({
      paid: false,
      pricing_type: 'free_tier',
      reason: 'service_in_free_allowance',
    });
    const used = await send('USED', {
      direction: 'outbound',
      recipient: customer,
      kind: 'non_template',
      at: '2026-10-01T06:00:00Z',
    });
    expect(used.status).toBe(402);
    const dry = await send('USED', {
      direction: 'outbound',
      recipient: customer,
      kind: 'non_template',
      at: '2026-10-01T06:00:00Z',
      dry_run: true,
    });
    expect(dry.body).toMatchObject({ paid: true, reason: 'insufficient_balance' });
  });

  it('charges a utility template in the window from 00:00 Berlin time on October 1st (22:00 UTC the day before)', async () => {
    const before = await send('FREE', {
      direction: 'outbound',
      recipient: customer,
      kind: 'template',
      category: 'utility',
      at: '2026-09-30T21:30:00Z', // 23:30 in Berlin (CEST)
    });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ paid: false, pricing_type: 'free_customer_service' });
    const after = await send('FREE', {
      direction: 'outbound',
      recipient: customer,
      kind: 'template',
      category: 'utility',
      at: '2026-09-30T22:30:00Z', // 00:30 on October 1st in Berlin
      dry_run: true,
    });
    expect(after.body).toMatchObject({ paid: true, reason: 'insufficient_balance' });
  });
});
