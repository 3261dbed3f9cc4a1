/**
 * The send gate learns windows from ingested webhooks, not only from authorize calls: an inbound message opens
 * the service window, a referral inbound sets up the free entry point, and a status with a conversation
 * expiration says that conversation (or FEP window) is open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { at, envelope, lines, status } from '../ingest/webhook-fixtures.js';

const NOW = '2025-03-10T12:00:00Z'; // CBP, R3: service conversations are free
const hoursFrom = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

describe('gate windows from ingested webhooks', () => {
  let h: Harness;
  let key: string;
  const ingest = (body: string) =>
    h.json('POST', '/v1/ingest?format=webhooks', {
      token: key,
      body,
      headers: { 'content-type': 'application/x-ndjson' },
    });
  const ask = (customer: string, msg: Record<string, unknown>) =>
    h.json('POST', '/v1/phone-numbers/P1/messages/authorize', {
      token: key,
      body: { direction: 'outbound', recipient: customer, dry_run: true, ...msg },
    });
  const inbound = (id: string, from: string, iso: string, extra: Record<string, unknown> = {}) => ({
    id,
    from,
    timestamp: at(iso),
    type: 'text',
    ...extra,
  });

  beforeAll(async () => {
    h = await createHarness({ now: NOW });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
  });
  afterAll(() => h.close());

  it('opens the service window from an inbound message the gate never saw', async () => {
    const before = await ask('4915100000001', { kind: 'non_template' });
    expect(before.body).toMatchObject({ allowed: false, reason: 'csw_closed' });
    const r = await ingest(
      lines(envelope('W1', 'P1', [], [inbound('in-1', '4915100000001', hoursFrom(NOW, -1))])),
    );
    expect(r.status).toBe(200);
    const after = await ask('4915100000001', { kind: 'non_template' });
    expect(after.body).toMatchObject({ allowed: true, reason: 'opens_service_conversation', paid: false });
    expect(after.body.window.csw_open_until).toBe(hoursFrom(NOW, 23));
  });

  it('sets up a free entry point from a Click-to-WhatsApp inbound', async () => {
    await ingest(
      lines(
        envelope(
          'W1',
          'P1',
          [],
          [inbound('in-2', '4915100000002', hoursFrom(NOW, -0.5), { referral: { source_type: 'ad' } })],
        ),
      ),
    );
    const r = await ask('4915100000002', { kind: 'template', category: 'marketing' });
    expect(r.body).toMatchObject({ allowed: true, paid: false, reason: 'opens_free_entry_point' });
  });

  it('knows a conversation (and an FEP window) is open from the status webhook’s expiration', async () => {
    const conv = (id: string, origin: string, expiresIn: number) => ({
      conversation: { id, expiration_timestamp: at(hoursFrom(NOW, expiresIn)), origin: { type: origin } },
      pricing: { billable: origin !== 'referral_conversion', pricing_model: 'CBP', category: origin },
    });
    await ingest(
      lines(
        envelope('W1', 'P1', [
          {
            ...status('out-3', 'delivered', hoursFrom(NOW, -2), conv('c-3', 'marketing', 10)),
            recipient_id: '4915100000003',
          },
          {
            ...status('out-4', 'delivered', hoursFrom(NOW, -2), conv('c-4', 'referral_conversion', 60)),
            recipient_id: '4915100000004',
          },
          // Expired already: teaches nothing.
          {
            ...status('out-5', 'delivered', hoursFrom(NOW, -30), conv('c-5', 'utility', -6)),
            recipient_id: '4915100000005',
          },
        ]),
      ),
    );
    expect((await ask('4915100000003', { kind: 'template', category: 'marketing' })).body).toMatchObject({
      allowed: true,
      opens_unit: false,
      paid: false,
      reason: 'in_open_marketing_conversation',
    });
    expect((await ask('4915100000004', { kind: 'template', category: 'utility' })).body).toMatchObject({
      paid: false,
      reason: 'in_free_entry_point',
    });
    // A new paid conversation, refused here because the number has no funds.
    const fresh = await ask('4915100000005', { kind: 'template', category: 'utility' });
    expect(fresh.body).toMatchObject({
      opens_unit: true,
      paid: true,
      allowed: false,
      reason: 'insufficient_balance',
    });
  });

  it('persists what it learned (a restarted gate loads it from DuckDB)', async () => {
    await h.services.gate.state.flush();
    h.services.gate.state.forget();
    const r = await ask('4915100000001', { kind: 'non_template' });
    expect(r.body).toMatchObject({ allowed: true });
    expect(r.body.window.csw_open_until).toBe(hoursFrom(NOW, 23));
  });

  it('never shortens a window on a late or replayed webhook', async () => {
    await ingest(lines(envelope('W1', 'P1', [], [inbound('in-old', '4915100000001', hoursFrom(NOW, -20))])));
    const r = await ask('4915100000001', { kind: 'non_template' });
    expect(r.body.window.csw_open_until).toBe(hoursFrom(NOW, 23));
  });
});
