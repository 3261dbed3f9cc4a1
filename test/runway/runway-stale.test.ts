import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { createHarness, type Harness } from '../helpers/harness.js';

/** Spend of `amount` a day on the days `from`..`to` days before 2025-08-15 (the harness's today, UTC). */
async function spend(h: Harness, phone: string, amount: string, from: number, to: number): Promise<void> {
  await h.db.run(
    `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
                          pricing_type, unit, currency, n_all, n_free, n_paid, amount)
     SELECT 'W1', $p, DATE '2025-08-15' - CAST(i AS INTEGER), date_trunc('month', DATE '2025-08-15' - CAST(i AS INTEGER)),
            'marketing', 'DE', 'Germany', 'regular', 'message', 'USD', 100, 0, 100, CAST($a AS DECIMAL(38, 6))
       FROM range($from, $to + 1) r(i)`,
    { p: phone, a: amount, from, to },
  );
}

describe('runway when the feed stops: missing is not zero', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2025-08-15T12:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['FRESH', 'STOPPED']);
    // Both spend 30 a day for 60 days; FRESH's feed is current, STOPPED's last day is 12 days before today.
    await spend(h, 'FRESH', '30', 1, 60);
    await spend(h, 'STOPPED', '30', 12, 71);
    for (const p of ['FRESH', 'STOPPED'])
      await appendMovement(h.money, {
        phone_number_id: p,
        kind: 'topup_one_time',
        amount: '600',
        currency: 'USD',
        status: 'settled',
        requested_at: h.clock.now(),
      });
  });
  afterAll(() => h.close());

  it('a current feed: data through yesterday, not stale, 600 lasts 20 days', async () => {
    const r = await h.json('GET', '/v1/phone-numbers/FRESH/runway?horizon_days=60', { token: key });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      spend_through: '2025-08-14',
      stale: false,
      unseen_days: 0,
      unseen_spend: null,
    });
    expect(r.body.runs_out.without_renewal.p50).toBe('2025-09-03');
  });

  it('a feed that stopped 12 days ago does not stretch the runway: the unseen days are spent too', async () => {
    const r = await h.json('GET', '/v1/phone-numbers/STOPPED/runway?horizon_days=60', { token: key });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ spend_through: '2025-08-03', stale: true, unseen_days: 11 });
    // 11 unseen days at about 30 a day have already used 330 of the 600 the ledger still shows.
    expect(Number(r.body.unseen_spend.mean)).toBeCloseTo(330, -1);
    const p50 = r.body.runs_out.without_renewal.p50 as string;
    expect(p50 <= '2025-08-24').toBe(true);
    expect(p50 >= '2025-08-20').toBe(true);
    // The history ends at the last day with data: no run of zeros after it.
    expect(r.body.daily_spend_history.at(-1)).toEqual({ day: '2025-08-03', amount: '30.00' });
    expect(r.body.daily_spend_forecast[0]).toMatchObject({ day: '2025-08-15' });
    expect(Number(r.body.daily_spend_forecast[0].mean)).toBeCloseTo(30, 0);
  });

  it('quotes "enough for 7 days" from the days with data and says the data are stale', async () => {
    const q = await h.json('POST', '/v1/phone-numbers/STOPPED/funds/quotes', {
      token: key,
      body: { mode: 'one_time', days: 7, payment_method: 'bank_transfer' },
    });
    expect(q.status).toBe(201);
    expect(q.body.basis).toMatchObject({
      kind: 'days',
      spend_through: '2025-08-03',
      stale: true,
      unseen_days: 11,
    });
    // 30 a day, not diluted by the 11 days the feed did not deliver.
    expect(Number(q.body.amount)).toBeCloseTo(210, -1);
  });
});
