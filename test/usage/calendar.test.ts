import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, type UnitSeed } from './seed-units.js';

type Row = Record<string, unknown>;

// Buckets are local days and months in the WABA's zone (DOMAIN.md §10.1, §10.20), and the regime follows the
// local date (§1): hand-converted instants below.
describe('local calendar: month boundaries, DST days, regime crossover', () => {
  let h: Harness;
  let key: string;
  const get = async (path: string) => (await h.json('GET', path, { token: key })).body.rows as Row[];
  const unit = (waba: string, id: string, at: string, rest: Partial<UnitSeed> = {}): UnitSeed => ({
    waba_id: waba,
    phone_number_id: `${waba}-1`,
    unit_id: id,
    opened_at: at,
    category: 'marketing',
    ...rest,
  });

  beforeAll(async () => {
    h = await createHarness({ now: '2026-01-15T00:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'LA', timezone: 'America/Los_Angeles' }, ['LA-1']);
    await h.waba(key, { waba_id: 'IN', timezone: 'Asia/Kolkata', currency: 'INR' }, ['IN-1']);
    await h.waba(key, { waba_id: 'UTC', timezone: 'UTC' }, ['UTC-1']);
    const early = await h.json('POST', '/v1/wabas', {
      token: key,
      body: { waba_id: 'EARLY', name: 'early PMP', timezone: 'UTC', currency: 'EUR', pmp_from: '2025-04-01' },
    });
    expect(early.status).toBe(201);
    await h.json('POST', '/v1/phone-numbers', {
      token: key,
      body: { phone_number_id: 'EARLY-1', waba_id: 'EARLY' },
    });
    await seedUnits(h, key, [
      // 2023-06-30 23:30 PDT = 2023-07-01 06:30 UTC → June in LA; 2023-07-01 01:30 IST = 2023-06-30 20:00 UTC → July in India.
      unit('LA', 'la-june-late', '2023-07-01T06:30:00Z'),
      unit('LA', 'la-july-first', '2023-07-01T07:00:00Z'),
      unit('IN', 'in-july-early', '2023-06-30T20:00:00Z'),
      unit('UTC', 'utc-june', '2023-06-30T23:59:59Z'),
      // Spring forward, 2024-03-10 in LA is 23 hours: 08:00Z (00:00 PST) … 06:59Z next day (23:59 PDT).
      unit('LA', 'dst-s-1', '2024-03-10T07:59:00Z'),
      unit('LA', 'dst-s-2', '2024-03-10T08:00:00Z'),
      unit('LA', 'dst-s-3', '2024-03-10T10:30:00Z'),
      unit('LA', 'dst-s-4', '2024-03-11T06:59:00Z'),
      unit('LA', 'dst-s-5', '2024-03-11T07:00:00Z'),
      // Fall back, 2024-11-03 in LA is 25 hours: 07:00Z (00:00 PDT) … 07:59Z next day (23:59 PST).
      unit('LA', 'dst-f-1', '2024-11-03T06:59:00Z'),
      unit('LA', 'dst-f-2', '2024-11-03T07:00:00Z'),
      unit('LA', 'dst-f-3', '2024-11-03T09:30:00Z'),
      unit('LA', 'dst-f-4', '2024-11-04T07:59:00Z'),
      unit('LA', 'dst-f-5', '2024-11-04T08:00:00Z'),
      // Regime crossover at 2025-07-01 local (LA): a CBP conversation opened 06-30 23:30 PDT (07-01 06:30Z)
      // stays one R3 conversation in June; PMP messages from 07-01 00:30 PDT are R4 messages in July.
      unit('LA', 'x-cbp', '2025-07-01T06:30:00Z', { pricing_model: 'CBP', rate_in: '0.0250' }),
      unit('LA', 'x-pmp-1', '2025-07-01T07:30:00Z', {
        pricing_model: 'PMP',
        is_template: true,
        rate_in: '0.0250',
      }),
      unit('LA', 'x-pmp-2', '2025-07-01T08:00:00Z', { pricing_model: 'PMP', is_template: false }),
      // A CBP record dated after the switch (a late export): the record's model wins, one R3 conversation.
      unit('LA', 'x-cbp-late', '2025-07-02T18:00:00Z', { pricing_model: 'CBP', rate_in: '0.0250' }),
      // Per-WABA PMP start (R3a): a PMP record in April 2025 is R4 for a WABA whose pmp_from is 2025-04-01.
      unit('EARLY', 'e-pmp', '2025-04-02T00:00:00Z', {
        pricing_model: 'PMP',
        is_template: true,
        rate_in: '0.0592',
      }),
    ]);
  });
  afterAll(() => h.close());

  it('counts a unit in the local month it opened, whatever the UTC month', async () => {
    expect(await get('/v1/usage?waba_id=LA&from=2023-06&to=2023-07')).toEqual([
      { period: '2023-06', unit: 'conversation', all: 1, free: 0, paid: 1 },
      { period: '2023-07', unit: 'conversation', all: 1, free: 0, paid: 1 },
    ]);
    expect(await get('/v1/usage?waba_id=IN&from=2023-06&to=2023-07')).toEqual([
      { period: '2023-07', unit: 'conversation', all: 1, free: 0, paid: 1 },
    ]);
    expect(await get('/v1/usage?waba_id=UTC&from=2023-06&to=2023-07')).toEqual([
      { period: '2023-06', unit: 'conversation', all: 1, free: 0, paid: 1 },
    ]);
  });

  it('buckets the 23-hour spring-forward day', async () => {
    const rows = await get('/v1/usage?waba_id=LA&from=2024-03&to=2024-03&granularity=day');
    expect(rows.map((r) => [r.period, r.all])).toEqual([
      ['2024-03-09', 1],
      ['2024-03-10', 3],
      ['2024-03-11', 1],
    ]);
  });

  it('buckets the 25-hour fall-back day', async () => {
    const rows = await get('/v1/usage?waba_id=LA&from=2024-11&to=2024-11&granularity=day');
    // 06:59Z on 11-03 is still 11-02 23:59 PDT; 07:59Z on 11-04 is 11-03 23:59 PST.
    expect(rows.map((r) => [r.period, r.all])).toEqual([
      ['2024-11-02', 1],
      ['2024-11-03', 3],
      ['2024-11-04', 1],
    ]);
  });

  it('crosses into PMP at local midnight without counting the open conversation twice', async () => {
    expect(await get('/v1/usage?waba_id=LA&from=2025-06&to=2025-07')).toEqual([
      { period: '2025-06', unit: 'conversation', all: 1, free: 0, paid: 1 },
      { period: '2025-07', unit: 'conversation', all: 1, free: 0, paid: 1 },
      { period: '2025-07', unit: 'message', all: 2, free: 1, paid: 1 },
    ]);
    const regimes = await h.db.all<{ unit_id: string; regime: string }>(
      `SELECT unit_id, regime FROM units WHERE unit_id LIKE 'x-%' ORDER BY unit_id`,
    );
    expect(regimes).toEqual([
      { unit_id: 'x-cbp', regime: 'R3' },
      { unit_id: 'x-cbp-late', regime: 'R3' },
      { unit_id: 'x-pmp-1', regime: 'R4' },
      { unit_id: 'x-pmp-2', regime: 'R4' },
    ]);
    expect(await get('/v1/charges?waba_id=EARLY&from=2025-04&to=2025-04')).toEqual([
      { period: '2025-04', unit: 'message', currency: 'EUR', paid: 1, amount: '0.059200' },
    ]);
  });
});
