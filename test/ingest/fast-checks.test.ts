/**
 * The bulk ingest checks rows with FAST_BAD_SQL while it reads them and names issues only from the full
 * validation (CHECKS) of a raw re-read. The two must agree: a value only the fast checks flag would answer 500
 * ("disagree"), one only the full validation flags would be loaded. Each case below goes through both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { rec, toNdjson } from './fixtures.js';

describe('fast checks agree with the full validation', () => {
  let h: Harness;
  let key: string;
  let n = 0;
  const post = (row: Record<string, unknown>) =>
    h.json('POST', '/v1/ingest', {
      token: key,
      body: toNdjson([row]),
      headers: { 'content-type': 'application/x-ndjson' },
    });
  const units = async () =>
    (await h.db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM units'))[0]?.n ?? 0;

  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
    await h.waba(key, { waba_id: 'W9', timezone: 'Europe/Berlin', currency: 'EUR' }, ['P9']);
  });
  afterAll(() => h.close());

  const bad: [string, Record<string, string>, string, string][] = [
    ['blank unit_id', { unit_id: '  ' }, 'unit_id', 'required'],
    ['blank phone', { phone_number_id: ' ' }, 'phone_number_id', 'required'],
    ['phone of Unicode spaces', { phone_number_id: '\u00a0\u3000' }, 'phone_number_id', 'required'],
    ['unknown model', { pricing_model: 'XYZ' }, 'pricing_model', 'must be one of CBP, PMP, NBP'],
    ['model with a space', { pricing_model: ' CBP' }, 'pricing_model', 'must be one of CBP, PMP, NBP'],
    ['unknown unit', { unit: 'box' }, 'unit', 'must be one of conversation, message'],
    ['unknown category', { category: 'spam' }, 'category', 'must be one of'],
    ['unknown pricing type', { pricing_type: 'gratis' }, 'pricing_type', 'must be one of'],
    ['unknown direction', { direction: 'sideways' }, 'direction', 'must be one of'],
    ['unknown status', { status_final: 'lost' }, 'status_final', 'must be one of'],
    ['unknown source', { source: 'fax' }, 'source', 'must be one of'],
    ['boolean', { billable_reported: 'maybe' }, 'billable_reported', 'must be true or false'],
    ['boolean is_template', { is_template: 'yes please' }, 'is_template', 'must be true or false'],
    ['boolean in_csw', { in_csw: '2' }, 'in_csw', 'must be true or false'],
    ['boolean in_fep', { in_fep: 'nope' }, 'in_fep', 'must be true or false'],
    ['opened_at text', { opened_at: 'yesterday' }, 'opened_at', 'must be an RFC 3339'],
    ['opened_at blank', { opened_at: '' }, 'opened_at', 'required'],
    ['expires_at', { expires_at: '2024-13-45T00:00:00Z' }, 'expires_at', 'must be an RFC 3339'],
    ['ingested_at', { ingested_at: 'soon' }, 'ingested_at', 'must be an RFC 3339'],
    ['rate', { rate: 'abc' }, 'rate', 'must be a decimal number such as 0.0125'],
    ['cost', { cost: '1,5' }, 'cost', 'must be a decimal number such as 0.0125'],
    ['tier', { tier: '0-750000' }, 'tier', 'must look like LOWER:UPPER'],
    ['recipient letters', { recipient_wa_id: '1555abc0000' }, 'recipient_wa_id', 'must be the digits'],
    ['recipient short', { recipient_wa_id: '1234' }, 'recipient_wa_id', 'must be the digits'],
    ['recipient two pluses', { recipient_wa_id: '++15551230000' }, 'recipient_wa_id', 'must be the digits'],
    ['recipient too long', { recipient_wa_id: '1'.repeat(21) }, 'recipient_wa_id', 'must be the digits'],
    ['PMP conversation', { pricing_model: 'PMP' }, 'unit', 'must be message under PMP'],
    ['unknown WABA', { waba_id: 'W404' }, 'waba_id', 'is not a WABA of this partner'],
    ['zone', { waba_timezone: 'Europe/Paris' }, 'waba_timezone', "does not match the WABA's time zone"],
    ['currency', { currency: 'EUR' }, 'currency', "does not match the WABA's currency"],
    ['number of another WABA', { phone_number_id: 'P9' }, 'phone_number_id', 'belongs to another WABA'],
    ['negative rate', { rate: '-1000.00' }, 'rate', 'must not be negative'],
    ['negative cost', { cost: '-0.5' }, 'cost', 'must not be negative'],
    ['minus zero', { rate: '-0' }, 'rate', 'must not be negative'],
    ['7 decimals', { rate: '0.0000001' }, 'rate', 'more than 6 decimals'],
    ['7 decimals after zeros', { cost: '0.12345670' }, 'cost', 'more than 6 decimals'],
    ['absurd rate', { rate: '999999999999.99' }, 'rate', 'must be at most 10000'],
    ['just over the cap', { cost: '10000.000001' }, 'cost', 'must be at most 10000'],
    ['beyond DECIMAL(18,6)', { rate: '1' + '0'.repeat(20) }, 'rate', 'must be a decimal number'],
    ['exponent', { rate: '1e-3' }, 'rate', 'must be a decimal number'],
    ['padded', { rate: ' 0.5' }, 'rate', 'must be a decimal number'],
    ['plus sign', { rate: '+0.5' }, 'rate', 'must be a decimal number'],
    ['2 BC', { opened_at: '0002-01-01 (BC)' }, 'opened_at', 'years 2014–2100'],
    ['year 0000', { opened_at: '0000-01-01T00:00:00Z' }, 'opened_at', 'years 2014–2100'],
    ['year 9999', { opened_at: '9999-01-01T00:00:00Z' }, 'opened_at', 'years 2014–2100'],
    ['year 2013', { expires_at: '2013-12-31T23:00:00Z' }, 'expires_at', 'years 2014–2100'],
    ['offset +25:00', { opened_at: '2024-03-10T18:00:00+25:00' }, 'opened_at', 'years 2014–2100'],
    ['offset +14:60', { opened_at: '2024-03-10T18:00:00+14:60' }, 'opened_at', 'years 2014–2100'],
    ['a zone name', { opened_at: '2024-03-10 18:00:00 Europe/Berlin' }, 'opened_at', 'RFC 3339'],
    ['epoch 1970', { opened_at: '86400' }, 'opened_at', 'epoch seconds in that range'],
    ['epoch 5138', { ingested_at: '99999999999' }, 'ingested_at', 'epoch seconds in that range'],
    ['phone with a space', { phone_number_id: 'pa1 ' }, 'phone_number_id', 'must be 1 to 128 letters'],
    ['phone as a path', { phone_number_id: '../../etc/passwd' }, 'phone_number_id', 'must be 1 to 128'],
    ['phone of 10 KB', { phone_number_id: 'p'.repeat(10_240) }, 'phone_number_id', 'must be 1 to 128'],
    ['unit id with a space', { unit_id: 'u 1' }, 'unit_id', 'must be 1 to 256'],
    ['unit id with a quote', { unit_id: "u'1" }, 'unit_id', 'must be 1 to 256'],
    [
      'display number',
      { phone_number_id: 'P-d', display_phone_number: '+1 555' },
      'display_phone_number',
      'digits',
    ],
    ['template name', { template_name: 't'.repeat(513) }, 'template_name', 'at most 512'],
  ];

  it.each(bad)('refuses %s with the issue named and nothing written', async (_name, over, column, reason) => {
    const before = await units();
    const r = await post(rec(`bad-${n++}`, over as never));
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.issues).toContainEqual({ line: 1, column, reason: expect.stringContaining(reason) });
    expect(await units()).toBe(before);
  });

  const good: [string, Record<string, string>][] = [
    ['a leading plus', { recipient_wa_id: '+15551230000' }],
    ['20 digits', { recipient_wa_id: '1'.repeat(20) }],
    [
      'booleans in other spellings',
      { billable_reported: 'TRUE', is_template: 'f', in_csw: '1', in_fep: 'false' },
    ],
    ['epoch seconds', { opened_at: '1710093600', expires_at: '1710180000' }],
    ['a timestamp without zone', { opened_at: '2024-03-10 18:00:00' }],
    ['decimals and tiers', { rate: '0.0250', cost: '0.025', tier: '25000001:MAX' }],
    ['exact trailing zeros past 6 decimals', { rate: '0.0250000000', cost: '10000.000000000' }],
    ['zero money', { rate: '0', cost: '0.000000' }],
    [
      'the year range and offset limits',
      { opened_at: '2100-12-31T23:00:00-14:00', expires_at: '2014-01-01' },
    ],
    ['a known number that predates the id rule is not re-read', { phone_number_id: 'P1' }],
    ['a base64 wamid', { unit_id: 'wamid.HBgLMTU1NTAxMjM0NTYVAgARGBI5QTND+/Q0Q2RTY3RTcA==' }],
    ['every optional enum', { pricing_type: 'free_tier', direction: 'unknown', source: 'bsp_export' }],
    ['a matching zone and currency', { waba_timezone: 'America/Los_Angeles', currency: 'USD' }],
  ];

  it.each(good)('accepts %s', async (_name, over) => {
    const before = await units();
    const r = await post(rec(`good-${n++}`, over as never));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await units()).toBe(before + 1);
  });

  it('reads an empty NDJSON value as a missing one, as in CSV (market then comes from the number)', async () => {
    const r = await post(
      rec('empty-1', { pricing_type: '', direction: '', market: '', recipient_country: '' } as never),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [u] = await h.db.all<{ market: string; recipient_country: string; pricing_type_in: string | null }>(
      `SELECT market, recipient_country, pricing_type_in FROM units WHERE unit_id = 'empty-1'`,
    );
    expect(u).toEqual({ market: 'North America', recipient_country: 'US', pricing_type_in: null });
  });

  it('keeps a correction when an older export of the same unit is replayed (by the records’ ingested_at)', async () => {
    const category = async () =>
      (
        await h.db.all<{ c: string }>(`SELECT category::VARCHAR AS c FROM units WHERE unit_id = 'replay-1'`)
      )[0]?.c;
    const send = (over: Record<string, string>) => post(rec('replay-1', over as never));
    expect((await send({ ingested_at: '2025-08-10T00:00:00Z' })).body).toMatchObject({ inserted: 1 });
    const fix = await send({ ingested_at: '2025-08-12T00:00:00Z', category: 'utility' });
    expect(fix.body).toMatchObject({ inserted: 0, updated: 1 });
    const replay = await send({ ingested_at: '2025-08-10T00:00:00Z' });
    expect(replay.body).toMatchObject({ inserted: 0, updated: 0, duplicates: 1, stale: 1 });
    expect(await category()).toBe('utility');
    // A record without ingested_at says nothing about its age: a change applies.
    expect((await send({ category: 'authentication' })).body).toMatchObject({ updated: 1 });
    expect(await category()).toBe('authentication');
  });

  it('refuses a new number under two WABAs of the batch (checked when settling) and writes nothing', async () => {
    const before = await h.db.all(
      'SELECT (SELECT count(*) FROM units) AS u, (SELECT count(*) FROM phone_numbers) AS p',
    );
    const r = await h.json('POST', '/v1/ingest', {
      token: key,
      body: toNdjson([
        rec('multi-1', { phone_number_id: 'P-new' }),
        rec('multi-2', {
          phone_number_id: 'P-new',
          waba_id: 'W9',
          waba_timezone: 'Europe/Berlin',
          currency: 'EUR',
        }),
      ]),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      { line: 1, column: 'phone_number_id', reason: 'appears under more than one WABA in this batch' },
      { line: 2, column: 'phone_number_id', reason: 'appears under more than one WABA in this batch' },
    ]);
    expect(
      await h.db.all('SELECT (SELECT count(*) FROM units) AS u, (SELECT count(*) FROM phone_numbers) AS p'),
    ).toEqual(before);
    const [batches] = await h.db.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM ingest_batches WHERE status <> 'done'",
    );
    expect(batches?.n).toBe(0);
  });
});
