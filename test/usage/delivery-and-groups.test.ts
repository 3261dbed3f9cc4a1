/**
 * Two rules around what is charged: a unit is charged at delivery (DOMAIN.md §10.3, §9.4: "failed or
 * undelivered → not counted"), and Groups API messages (§4.4, §10.19) are priced like their one-to-one category
 * but never take part in a volume tier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { envelope, lines, status } from '../ingest/webhook-fixtures.js';
import { seedUnits } from './seed-units.js';

describe('charged at delivery; Groups API categories', () => {
  let h: Harness;
  let key: string;
  const unit = async (id: string) =>
    (
      await h.db.all<Record<string, unknown>>(
        `SELECT pricing_type::VARCHAR AS pricing_type, is_counted, rate, tier FROM units WHERE unit_id = $id`,
        { id },
      )
    )[0];

  beforeAll(async () => {
    h = await createHarness({ now: '2026-01-15T00:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'WU', timezone: 'UTC' }, ['U']);
    await h.waba(key, { waba_id: 'WI', timezone: 'Asia/Kolkata', currency: 'INR' }, ['I']);
  });
  afterAll(() => h.close());

  it('does not count a unit still only sent, and counts it once a later record says delivered', async () => {
    const pmp = { waba_id: 'WU', phone_number_id: 'U', pricing_model: 'PMP' as const, is_template: true };
    await seedUnits(h, key, [
      {
        ...pmp,
        unit_id: 'p-sent',
        category: 'marketing',
        opened_at: '2025-08-03T10:00:00Z',
        status_final: 'sent',
      },
      {
        waba_id: 'WU',
        phone_number_id: 'U',
        unit_id: 'c-sent',
        category: 'marketing',
        opened_at: '2024-03-03T10:00:00Z',
        status_final: 'sent',
      },
    ]);
    expect(await unit('p-sent')).toMatchObject({
      pricing_type: 'not_delivered',
      is_counted: false,
      rate: null,
    });
    expect(await unit('c-sent')).toMatchObject({ pricing_type: 'not_delivered', is_counted: false });
    const usage = await h.json('GET', '/v1/usage?waba_id=WU&from=2025-08&to=2025-08', { token: key });
    expect(usage.body.rows).toEqual([]);

    await seedUnits(h, key, [
      {
        ...pmp,
        unit_id: 'p-sent',
        category: 'marketing',
        opened_at: '2025-08-03T10:05:00Z',
        status_final: 'delivered',
      },
    ]);
    expect(await unit('p-sent')).toMatchObject({ pricing_type: 'regular', is_counted: true });
    const after = await h.json('GET', '/v1/usage?waba_id=WU&from=2025-08&to=2025-08', { token: key });
    expect(after.body.rows).toEqual([
      expect.objectContaining({ period: '2025-08', unit: 'message', all: 1, free: 0, paid: 1 }),
    ]);
  });

  it('prices group messages at their one-to-one rate, outside the volume tiers, and frees group service', async () => {
    const india = {
      waba_id: 'WI',
      phone_number_id: 'I',
      pricing_model: 'PMP' as const,
      is_template: true,
      in_csw: false,
      recipient_wa_id: '919812345678',
      recipient_country: 'IN',
      market: 'India',
    };
    // A tiered INR card for this test (the shipped INR cards carry no tier tables): utility 0.1150 up to 750,000.
    const card = await h.json('POST', '/v1/rate-cards', {
      token: ADMIN,
      body: {
        card_id: 'test-inr-tiered',
        effective_from: '2025-08-01',
        currency: 'INR',
        pricing_model: 'PMP',
        rates: [
          { market: 'India', category: 'marketing', rate: '0.7846' },
          {
            market: 'India',
            category: 'utility',
            tiers: [
              { lower: 0, upper: 750000, rate: '0.1150' },
              { lower: 750001, upper: null, rate: '0.1081' },
            ],
          },
        ],
      },
    });
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    await seedUnits(h, key, [
      { ...india, unit_id: 'g-util', category: 'group_utility', opened_at: '2025-08-05T10:00:00Z' },
      { ...india, unit_id: 'util', category: 'utility', opened_at: '2025-08-05T10:01:00Z' },
      { ...india, unit_id: 'g-mkt', category: 'group_marketing', opened_at: '2025-08-05T10:02:00Z' },
      {
        ...india,
        unit_id: 'g-free',
        category: 'group_service',
        pricing_type_in: 'free_group_customer_service',
        opened_at: '2025-08-05T10:03:00Z',
      },
    ]);
    expect(await unit('util')).toMatchObject({ pricing_type: 'regular', rate: '0.115000', tier: '0:750000' });
    expect(await unit('g-util')).toMatchObject({ pricing_type: 'regular', rate: '0.115000', tier: null });
    expect(await unit('g-mkt')).toMatchObject({ pricing_type: 'regular', rate: '0.784600', tier: null });
    expect(await unit('g-free')).toMatchObject({ pricing_type: 'free_customer_service', rate: null });
  });

  it('accepts Groups API pricing in webhooks', async () => {
    const r = await h.json('POST', '/v1/ingest?format=webhooks', {
      token: key,
      body: lines(
        envelope('WU', 'U', [
          status('gw-1', 'delivered', '2025-09-01T12:00:00Z', {
            pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'group_marketing' },
          }),
          status('gw-2', 'delivered', '2025-09-01T12:01:00Z', {
            pricing: {
              billable: false,
              pricing_model: 'PMP',
              type: 'free_group_customer_service',
              category: 'group_service',
            },
          }),
        ]),
      ),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await unit('gw-1')).toMatchObject({ pricing_type: 'regular', is_counted: true });
    expect(await unit('gw-2')).toMatchObject({ pricing_type: 'free_customer_service' });
  });
});
