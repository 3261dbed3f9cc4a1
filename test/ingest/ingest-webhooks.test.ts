import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { at, cbp, envelope, lines, pmp, status } from './webhook-fixtures.js';

interface UnitRow {
  unit_id: string;
  pricing_model: string;
  unit: string;
  phone_number_id: string;
  category: string;
  opened_at: string;
  status_final: string;
  local_month: string;
  is_counted: boolean;
  in_csw: boolean | null;
}

describe('worker/ingest webhooks', () => {
  let h: Harness;
  let key: string;
  let otherKey: string;
  const post = (body: string) =>
    h.json('POST', '/v1/ingest?format=webhooks', {
      token: key,
      body,
      headers: { 'content-type': 'application/x-ndjson' },
    });
  const unit = async (id: string) =>
    (
      await h.db.all<UnitRow>(
        `SELECT unit_id, pricing_model, unit, phone_number_id, category,
                strftime(opened_at, '%Y-%m-%dT%H:%M:%SZ') AS opened_at, status_final,
                strftime(local_month, '%Y-%m') AS local_month, is_counted, in_csw
           FROM units WHERE unit_id = $id`,
        { id },
      )
    )[0];
  const count = async (table: string) =>
    (await h.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0]?.n;

  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    const other = await h.partner('globex');
    otherKey = other;
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
    await h.waba(other, { waba_id: 'W2', timezone: 'Asia/Kolkata', currency: 'INR' }, ['P3']);
  });
  afterAll(() => h.close());

  const conv1 = lines(
    envelope('W1', 'P1', [
      status('m1', 'sent', '2024-05-10T10:00:00Z', cbp('conv1')),
      status('m1', 'delivered', '2024-05-10T10:01:00Z', cbp('conv1')),
    ]),
    // m2 of the same conversation: read arrives, delivered never does (read implies delivered).
    envelope('W1', 'P1', [
      status('m2', 'sent', '2024-05-10T11:00:00Z', cbp('conv1')),
      status('m2', 'read', '2024-05-10T11:02:00Z', cbp('conv1')),
    ]),
  );

  it('derives one CBP unit per conversation, opened at the earliest delivery', async () => {
    const r = await post(conv1);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      format: 'webhooks',
      rows: 2,
      inserted: 1,
      updated: 0,
      duplicates: 0,
      status_events: 4,
    });
    expect(await unit('conv1')).toMatchObject({
      pricing_model: 'CBP',
      unit: 'conversation',
      category: 'marketing',
      opened_at: '2024-05-10T10:01:00Z',
      status_final: 'read',
      local_month: '2024-05',
      is_counted: true,
    });
  });

  it('dedupes a resent batch: nothing added, every event a duplicate', async () => {
    const r = await post(conv1);
    expect(r.body).toMatchObject({
      inserted: 0,
      updated: 0,
      duplicates: 4,
      status_events: 0,
      months_recomputed: [],
    });
    expect(await count('status_events')).toBe(4);
    expect(await count('units')).toBe(1);
  });

  it('takes an out-of-order earlier delivery and moves the unit across a month boundary', async () => {
    // conv2 first seen delivered on May 1, 01:00 PDT (08:00 UTC) → May.
    await post(
      lines(
        envelope('W1', 'P1', [status('m3', 'delivered', '2024-05-01T08:00:00Z', cbp('conv2', 'utility'))]),
      ),
    );
    expect((await unit('conv2'))?.local_month).toBe('2024-05');
    // A week later, a retried webhook: an earlier message of conv2 read on April 30, 23:30 PDT.
    const r = await post(
      lines(envelope('W1', 'P1', [status('m4', 'read', '2024-05-01T06:30:00Z', cbp('conv2', 'utility'))])),
    );
    expect(r.body).toMatchObject({ inserted: 0, updated: 1 });
    expect(r.body.months_recomputed).toEqual([
      { waba_id: 'W1', month: '2024-04-01' },
      { waba_id: 'W1', month: '2024-05-01' },
    ]);
    expect(await unit('conv2')).toMatchObject({ opened_at: '2024-05-01T06:30:00Z', local_month: '2024-04' });
    // The old month was recomputed: its rollup no longer holds the utility conversation.
    const roll = await h.db.all(
      `SELECT strftime(local_month, '%Y-%m') AS m, sum(n_all)::INTEGER AS n FROM usage_monthly
        WHERE waba_id = 'W1' AND category = 'utility' GROUP BY 1 ORDER BY 1`,
    );
    expect(roll).toEqual([{ m: '2024-04', n: 1 }]);
  });

  it('counts a message in the month and regime of its delivery, not of its send (§10.3)', async () => {
    // Sent under CBP on June 30 (PDT), delivered on July 1 with PMP pricing: one July PMP message, no conversation.
    await post(
      lines(
        envelope('W1', 'P1', [
          status('x1', 'sent', '2025-06-30T20:00:00Z', cbp('convX1', 'marketing')),
          status('x1', 'delivered', '2025-07-01T16:00:00Z', pmp('marketing')),
        ]),
      ),
    );
    expect(await unit('convX1')).toBeUndefined();
    expect(await unit('x1')).toMatchObject({ pricing_model: 'PMP', unit: 'message', local_month: '2025-07' });
    // CBP sent on May 31, delivered on June 1: the conversation opens, and counts, in June.
    await post(
      lines(
        envelope('W1', 'P1', [
          status('x2', 'sent', '2024-06-01T06:00:00Z', cbp('convX2', 'utility')),
          status('x2', 'delivered', '2024-06-01T08:00:00Z', cbp('convX2', 'utility')),
        ]),
      ),
    );
    expect(await unit('convX2')).toMatchObject({ opened_at: '2024-06-01T08:00:00Z', local_month: '2024-06' });
  });

  it('keeps the category a message had when it was sent, whatever later events say (§10.14)', async () => {
    await post(
      lines(
        envelope('W1', 'P1', [
          status('y1', 'delivered', '2025-08-05T10:00:00Z', pmp('marketing')),
          status('y1', 'read', '2025-08-05T11:00:00Z', pmp('utility')),
        ]),
      ),
    );
    expect((await unit('y1'))?.category).toBe('marketing');
  });

  it('marks a conversation whose messages all failed as failed and not counted', async () => {
    await post(
      lines(
        envelope('W1', 'P1', [
          status('m5', 'failed', '2024-05-12T09:00:00Z', { ...cbp('conv3'), errors: [{ code: 131026 }] }),
        ]),
      ),
    );
    expect(await unit('conv3')).toMatchObject({ status_final: 'failed', is_counted: false });
    const [e] = await h.db.all(`SELECT error_codes FROM status_events WHERE wamid = 'm5'`);
    expect(e).toEqual({ error_codes: [131026] });
  });

  it('PMP: one unit per delivered wamid, failed then delivered counts, sent alone does not', async () => {
    const r = await post(
      lines(
        envelope('W1', 'P1', [
          status('w1', 'sent', '2025-07-10T10:00:00Z', pmp('marketing')),
          status('w2', 'failed', '2025-07-10T10:00:00Z', pmp('marketing')),
          // v23 still carried a conversation object after the switch: not used for counting.
          status('w3', 'delivered', '2025-07-10T10:05:00Z', {
            ...pmp('marketing'),
            conversation: { id: 'convX' },
          }),
          status('w4', 'delivered', '2025-07-10T10:06:00Z', {
            ...pmp('marketing'),
            conversation: { id: 'convX' },
          }),
        ]),
        envelope('W1', 'P1', [status('w2', 'delivered', '2025-07-10T10:09:00Z', pmp('marketing'))]),
      ),
    );
    expect(r.body).toMatchObject({ inserted: 3 });
    expect(await unit('w1')).toBeUndefined();
    expect(await unit('convX')).toBeUndefined();
    expect(await unit('w2')).toMatchObject({
      unit: 'message',
      opened_at: '2025-07-10T10:09:00Z',
      status_final: 'delivered',
      is_counted: true,
    });
    // The sent message is delivered a day later: now it is a unit.
    const late = await post(lines(envelope('W1', 'P1', [status('w1', 'read', '2025-07-11T09:00:00Z')])));
    expect(late.body).toMatchObject({ inserted: 1 });
    expect(await unit('w1')).toMatchObject({
      category: 'marketing',
      opened_at: '2025-07-11T09:00:00Z',
      status_final: 'read',
    });
  });

  it('stores inbound messages and marks a PMP message inside the service window', async () => {
    const inbound = {
      from: '15551234567',
      id: 'in1',
      timestamp: at('2025-07-20T08:00:00Z'),
      type: 'text',
      text: { body: 'hi' },
    };
    await post(
      lines(
        envelope('W1', 'P1', [], [inbound]),
        envelope('W1', 'P1', [
          status('u1', 'delivered', '2025-07-20T09:00:00Z', pmp('utility', 'free_customer_service')),
        ]),
        envelope('W1', 'P1', [status('u2', 'delivered', '2025-07-22T09:00:00Z', pmp('utility'))]),
      ),
    );
    expect(await count('inbound_messages')).toBe(1);
    expect((await unit('u1'))?.in_csw).toBe(true);
    expect((await unit('u2'))?.in_csw).toBe(false);
  });

  it('registers an unknown phone number under the envelope WABA', async () => {
    await post(
      lines(envelope('W1', 'P2', [status('z1', 'delivered', '2025-08-01T12:00:00Z', pmp('marketing'))])),
    );
    const rows = await h.db.all(
      `SELECT waba_id, display_phone_number FROM phone_numbers WHERE phone_number_id = 'P2'`,
    );
    expect(rows).toEqual([{ waba_id: 'W1', display_phone_number: '15550001111' }]);
  });

  it('rejects bad lines and other tenants’ WABAs with nothing written', async () => {
    const before = [await count('status_events'), await count('units'), await count('inbound_messages')];
    const r = await post(
      lines(
        envelope('W1', 'P1', [status('b1', 'delivered', '2025-08-02T12:00:00Z', pmp('marketing'))]),
        '{"object": "whatsapp_business_account", "entry": [',
        envelope('W2', 'P3', [status('b2', 'delivered', '2025-08-02T12:00:00Z', pmp('marketing'))]),
        envelope('W1', 'P3', [status('b3', 'delivered', '2025-08-02T12:00:00Z', pmp('marketing'))]),
        envelope('W1', 'P1', [{ id: 'b4', status: 'bounced', timestamp: 'soon' }]),
      ),
    );
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { line: 2, reason: expect.stringContaining('malformed JSON') },
      { line: 3, column: 'entry.id', reason: 'is not a WABA of this partner' },
      { line: 4, column: 'metadata.phone_number_id', reason: 'belongs to another WABA' },
      { line: 5, column: 'statuses.status', reason: 'must be sent, delivered, read or failed' },
      { line: 5, column: 'statuses.timestamp', reason: 'must be epoch seconds from 2014 to 2100' },
    ]);
    expect([await count('status_events'), await count('units'), await count('inbound_messages')]).toEqual(
      before,
    );
  });

  it('refuses pricing values outside the closed sets, naming the field', async () => {
    const before = [await count('status_events'), await count('units')];
    const r = await post(
      lines(
        envelope('W1', 'P1', [
          status('e1', 'delivered', '2025-08-02T12:00:00Z', {
            pricing: { billable: true, pricing_model: 'PMP', type: 'gratis', category: 'marketing' },
          }),
        ]),
        envelope('W1', 'P1', [
          status('e2', 'delivered', '2024-08-02T12:00:00Z', {
            conversation: { id: 'ce2', origin: { type: 'spam' } },
            pricing: { billable: true, pricing_model: 'XBP', category: 'service' },
          }),
        ]),
      ),
    );
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { line: 1, column: 'statuses.pricing.type', reason: expect.stringContaining('must be one of regular') },
      { line: 2, column: 'statuses.pricing.pricing_model', reason: 'must be one of CBP, PMP, NBP' },
      {
        line: 2,
        column: 'statuses.conversation.origin.type',
        reason: expect.stringContaining('must be one of business_initiated'),
      },
    ]);
    expect([await count('status_events'), await count('units')]).toEqual(before);
  });

  it('refuses a wamid another partner already recorded, leaving that unit where it was', async () => {
    const theirs = await h.json('POST', '/v1/ingest?format=webhooks', {
      token: otherKey,
      body: lines(
        envelope('W2', 'P3', [status('shared-1', 'delivered', '2025-08-04T12:00:00Z', pmp('marketing'))]),
      ),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(theirs.status).toBe(200);
    const before = [await count('status_events'), await count('units')];
    const r = await post(
      lines(envelope('W1', 'P1', [status('shared-1', 'read', '2025-08-04T12:05:00Z', pmp('marketing'))])),
    );
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { column: 'unit_id', reason: 'shared-1 is recorded under a WABA that is not yours' },
    ]);
    expect([await count('status_events'), await count('units')]).toEqual(before);
    expect((await unit('shared-1'))?.phone_number_id).toBe('P3');
  });

  it('accepts the webhooks content type without ?format', async () => {
    const r = await h.json('POST', '/v1/ingest', {
      token: key,
      body: lines(envelope('W1', 'P1', [status('c1', 'delivered', '2025-08-03T12:00:00Z', pmp('utility'))])),
      headers: { 'content-type': 'application/vnd.whatsapp.webhooks+x-ndjson' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: 'webhooks', inserted: 1 });
  });
});
