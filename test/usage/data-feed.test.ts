/**
 * worker/usage/data-feed and stale-data-job: every usage, charges, balance, runway and forecast answer says how
 * far its data reaches (`data_through`, the latest unit received for its scope), and a phone number whose feed is
 * silent for longer than STALE_DATA_AFTER_MS raises one stale_data alert per silence, even while the other
 * numbers of its WABA still flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { checkStaleData } from '../../worker/usage/stale-data-job.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';
const unit = (id: string, phone: string, at: string) =>
  `${id},PMP,message,WF,${phone},4915112345678,marketing,${at},true,0.1000`;
const ENV = { STALE_DATA_AFTER_MS: String(60 * 60 * 1000) };

describe('data_through and stale_data', () => {
  let h: Harness;
  let key: string;
  const get = async (path: string) => {
    const r = await h.json('GET', path, { token: key });
    expect(r.status).toBe(200);
    return r.body as Record<string, any>;
  };
  const ingest = (lines: string[]) =>
    h.json('POST', '/v1/ingest', {
      token: key,
      body: [HEADER, ...lines].join('\n') + '\n',
      headers: { 'content-type': 'text/csv' },
    });
  const stale = () =>
    checkStaleData({ db: h.db, money: h.money, clock: h.clock, config: normalizeConfig(ENV) });

  beforeAll(async () => {
    h = await createHarness({ now: '2026-11-20T12:00:00Z', env: ENV });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'WF', timezone: 'Europe/Berlin', currency: 'EUR' }, ['F1', 'F2']);
  });
  afterAll(() => h.close());

  it('is null before any unit arrived', async () => {
    expect((await get('/v1/usage?waba_id=WF')).data_through).toBeNull();
    expect((await get('/v1/charges?waba_id=WF')).data_through).toBeNull();
    expect((await get('/v1/phone-numbers/F1/balance')).data_through).toBeNull();
    expect(await stale()).toBe(0);
  });

  it('names the latest unit of the scope on every answer', async () => {
    const r = await ingest([
      unit('a1', 'F1', '2026-10-05T08:00:00Z'),
      unit('a2', 'F1', '2026-11-20T09:30:00Z'),
      unit('b1', 'F2', '2026-10-07T08:00:00Z'),
      unit('b2', 'F2', '2026-11-19T08:00:00Z'),
    ]);
    expect(r.status).toBe(200);
    const f1 = '2026-11-20T09:30:00.000Z';
    const f2 = '2026-11-19T08:00:00.000Z';
    expect((await get('/v1/usage?waba_id=WF&from=2026-10&to=2026-11')).data_through).toBe(f1);
    expect((await get('/v1/usage?phone_number_id=F2')).data_through).toBe(f2);
    expect((await get('/v1/charges?waba_id=WF')).data_through).toBe(f1);
    expect((await get('/v1/charges?phone_number_id=F2&granularity=day')).data_through).toBe(f2);
    expect((await get('/v1/phone-numbers/F2/balance')).data_through).toBe(f2);
    const balances = await get('/v1/balances?waba_id=WF');
    expect(balances.data_through).toBe(f1);
    expect(balances.numbers.map((n: any) => [n.phone_number_id, n.data_through])).toEqual([
      ['F1', f1],
      ['F2', f2],
    ]);
    expect((await get('/v1/phone-numbers/F2/runway')).data_through).toBe(f2);
    expect((await get('/v1/forecasts/usage?waba_id=WF')).data_through).toBe(f1);
    expect((await get('/v1/forecasts/charges?phone_number_id=F2')).data_through).toBe(f2);
    // An older unit arriving late does not move it back.
    await ingest([unit('a0', 'F1', '2026-09-01T08:00:00Z')]);
    expect((await get('/v1/usage?phone_number_id=F1')).data_through).toBe(f1);
  });

  it('raises stale_data once per silence of each number, and again after data came and stopped', async () => {
    const alerts = async () =>
      (await get('/v1/alerts?kind=stale_data')).alerts as {
        waba_id: string;
        phone_number_id: string | null;
        message: string;
        data: any;
      }[];
    // 12:00 is 2.5 hours after F1's latest unit (09:30) and a day after F2's: both silent for more than the
    // hour allowed, each reported once.
    expect(await stale()).toBe(2);
    expect(await stale()).toBe(0);
    const first = await alerts();
    expect(first.map((a) => [a.phone_number_id, a.data.data_through])).toEqual([
      ['F2', '2026-11-19T08:00:00.000Z'],
      ['F1', '2026-11-20T09:30:00.000Z'],
    ]);
    expect(first.every((a) => a.waba_id === 'WF')).toBe(true);
    expect(first.find((a) => a.phone_number_id === 'F1')?.message).toMatch(
      /^No data for phone number F1 \(WABA WF\) after 2026-11-20T09:30:00.000Z/,
    );
    // F1's data arrives: its alert re-arms without firing; F2 is still silent and is not reported again.
    await ingest([unit('a3', 'F1', '2026-11-20T11:45:00Z')]);
    expect(await stale()).toBe(0);
    expect(await alerts()).toHaveLength(2);
    // F1 stops again.
    h.clock.advance(2 * 60 * 60 * 1000);
    expect(await stale()).toBe(1);
    expect(await stale()).toBe(0);
    const third = (await alerts())[0];
    expect(third).toMatchObject({
      phone_number_id: 'F1',
      data: { data_through: '2026-11-20T11:45:00.000Z' },
    });
  });

  it('reports the one number whose feed stopped while the others of its WABA still flow', async () => {
    // 14:00 now. G1 and G2 send on; G3 (same WABA) sent last at 08:00 and then stopped.
    await h.waba(key, { waba_id: 'WG', timezone: 'Europe/Berlin', currency: 'EUR' }, ['G1', 'G2', 'G3']);
    const g = (id: string, phone: string, at: string) =>
      `${id},PMP,message,WG,${phone},4915112345678,marketing,${at},true,0.1000`;
    const r = await ingest([
      g('g1', 'G1', '2026-11-20T13:40:00Z'),
      g('g2', 'G2', '2026-11-20T13:50:00Z'),
      g('g3', 'G3', '2026-11-20T08:00:00Z'),
    ]);
    expect(r.status).toBe(200);
    const before = (await get('/v1/alerts?kind=stale_data&waba_id=WG')).alerts as any[];
    expect(before).toHaveLength(0);
    expect(await stale()).toBe(1);
    const after = (await get('/v1/alerts?kind=stale_data&waba_id=WG')).alerts as any[];
    expect(after.map((a) => a.phone_number_id)).toEqual(['G3']);
    // The WABA as a whole is fresh (G2 at 13:50), and still only G3 is reported on the next ticks.
    expect((await get('/v1/usage?waba_id=WG')).data_through).toBe('2026-11-20T13:50:00.000Z');
    expect(await stale()).toBe(0);
  });
});
