import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { runRunwayAlertPass } from '../../worker/runway/runway-alert-job.js';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { saveAutoRenewal } from '../../worker/funding/auto-renewal.js';
import { createHarness, type Harness } from '../helpers/harness.js';

/** Constant spend of `amount` a day for the `n` days before 2025-08-15 (the harness's today, UTC). */
async function spend(h: Harness, phone: string, amount: string, n: number): Promise<void> {
  await h.db.run(
    `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
                          pricing_type, unit, currency, n_all, n_free, n_paid, amount)
     SELECT 'W1', $p, DATE '2025-08-15' - CAST(i AS INTEGER), date_trunc('month', DATE '2025-08-15' - CAST(i AS INTEGER)),
            'marketing', 'DE', 'Germany', 'regular', 'message', 'USD', 100, 0, 100, CAST($a AS DECIMAL(38, 6))
       FROM range(1, $n + 1) r(i)`,
    { p: phone, a: amount, n },
  );
}

async function renewal(h: Harness, phone: string, threshold: string, amount: string): Promise<void> {
  await h.money.transaction((tx) =>
    saveAutoRenewal(
      tx,
      phone,
      {
        enabled: true,
        threshold,
        amount,
        mode: 'fixed',
        monthly_cap: null,
        payment_method: 'card',
        low_balance_threshold: null,
      },
      'test',
      h.clock.now(),
    ),
  );
}

/** One pass of the hourly runway alert job over the harness's store. */
const runAlertJob = (h: Harness) =>
  runRunwayAlertPass({
    db: h.db,
    money: h.money,
    clock: h.clock,
    config: normalizeConfig({}),
    log: silentLogger,
  });

describe('GET /v1/phone-numbers/{id}/runway', () => {
  let h: Harness;
  let key: string;
  let other: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2025-08-15T12:00:00Z' }); // settlement delay 30 min (default)
    key = await h.partner('acme');
    other = await h.partner('globex');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1', 'P2', 'P3', 'P4']);
    await h.waba(other, { waba_id: 'W9', timezone: 'UTC' }, ['P9']);
    for (const p of ['P1', 'P2']) {
      await spend(h, p, '10', 60);
      await appendMovement(h.money, {
        phone_number_id: p,
        kind: 'topup_one_time',
        amount: '95',
        currency: 'USD',
        status: 'settled',
        requested_at: h.clock.now(),
      });
    }
  });
  afterAll(() => h.close());

  it('constant 10/day from 95: P50 run-out 2025-08-24 (days 15…23 spend 90, day 24 the last 5)', async () => {
    const r = await h.json('GET', '/v1/phone-numbers/P1/runway?horizon_days=60', { token: key });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      currency: 'USD',
      balance: '95.000000',
      estimate: true,
      horizon_days: 60,
      seasonality: { weekly: true, yearly: false },
    });
    expect(r.body.runs_out.without_renewal).toMatchObject({
      p10: '2025-08-24',
      p50: '2025-08-24',
      p90: '2025-08-24',
    });
    expect(r.body.daily_spend_history).toHaveLength(60);
    expect(r.body.daily_spend_forecast[0]).toMatchObject({ day: '2025-08-15', mean: '10.00' });
    // Without saved settings the recommendation is simulated: a month of spend (≈ 304.38) above a threshold of
    // three days plus 30 minutes (30 + 10/48 → 30.21).
    expect(r.body.recommended).toMatchObject({ usage: 'stable', amount: '304.38', threshold: '30.21' });
    expect(r.body.renewal_simulated.source).toBe('recommended');
    expect(r.body.runs_out.with_renewal.p50).toBeNull();
    expect(r.body.runway_short).toBe(false);
  });

  it('saved auto-renewal (30 → +100) extends the runway past the horizon', async () => {
    await renewal(h, 'P2', '30', '100');
    const r = await h.json('GET', '/v1/phone-numbers/P2/runway?horizon_days=60', { token: key });
    expect(r.body.renewal_simulated).toMatchObject({
      source: 'saved',
      enabled: true,
      settlement_delay_minutes: 30,
    });
    expect(r.body.runs_out.without_renewal.p50).toBe('2025-08-24');
    expect(r.body.runs_out.with_renewal).toMatchObject({ p10: null, p50: null, p90: null, probability: 0 });
    expect(r.body.runway_short).toBe(false);
  });

  it('says runway_short when renewals cannot settle in time; the job raises it once and re-arms it', async () => {
    // 960/day = 20 per 30 min; from a threshold of 10 the balance is gone before the funds land.
    await spend(h, 'P3', '960', 60);
    await appendMovement(h.money, {
      phone_number_id: 'P3',
      kind: 'topup_one_time',
      amount: '500',
      currency: 'USD',
      status: 'settled',
      requested_at: h.clock.now(),
    });
    await renewal(h, 'P3', '10', '1000');
    const r = await h.json('GET', '/v1/phone-numbers/P3/runway', { token: key });
    expect(r.body.runs_out.with_renewal.p50).toBe('2025-08-15');
    expect(r.body.runway_short).toBe(true);
    // Reading the runway raises nothing; the job does, once however often it runs.
    expect(await h.money.all(`SELECT kind FROM alerts WHERE phone_number_id = 'P3'`)).toEqual([]);
    await runAlertJob(h);
    await runAlertJob(h);
    const alerts = await h.money.all(`SELECT kind FROM alerts WHERE phone_number_id = 'P3'`);
    expect(alerts).toEqual([{ kind: 'runway_short' }]);
    await renewal(h, 'P3', '100', '1000');
    const ok = await h.json('GET', '/v1/phone-numbers/P3/runway', { token: key });
    expect(ok.body.runway_short).toBe(false);
    await runAlertJob(h);
    const st = await h.money.all(
      `SELECT active FROM alert_states WHERE phone_number_id = 'P3' AND kind = 'runway_short'`,
    );
    expect(st).toEqual([{ active: false }]);
  });

  it('the hourly job raises runway_short without anyone opening the runway', async () => {
    await spend(h, 'P4', '960', 60);
    await renewal(h, 'P4', '10', '1000');
    await appendMovement(h.money, {
      phone_number_id: 'P4',
      kind: 'topup_one_time',
      amount: '500',
      currency: 'USD',
      status: 'settled',
      requested_at: h.clock.now(),
    });
    await runAlertJob(h);
    const alerts = await h.money.all(`SELECT kind FROM alerts WHERE phone_number_id = 'P4'`);
    expect(alerts).toEqual([{ kind: 'runway_short' }]);
  });

  it('without history: nothing to forecast, runs out only if the balance is already ≤ 0', async () => {
    const r = await h.json('GET', '/v1/phone-numbers/P9/runway', { token: other });
    expect(r.body.recommended).toBeNull();
    expect(r.body.runs_out.without_renewal.p50).toBe('2025-08-15'); // balance 0
    expect(r.body.runs_out.with_renewal).toBeNull();
  });

  it('needs the read-balance scope from an embed token', async () => {
    const mint = (scopes: string[]) =>
      h.json('POST', '/v1/embed-tokens', {
        token: key,
        body: { phone_number_ids: ['P1'], scopes, ttl_seconds: 600 },
      });
    const usageOnly = await mint(['read-usage']);
    expect((await h.call('GET', '/v1/phone-numbers/P1/runway', { token: usageOnly.body.token })).status).toBe(
      403,
    );
    const balance = await mint(['read-balance']);
    expect((await h.call('GET', '/v1/phone-numbers/P1/runway', { token: balance.body.token })).status).toBe(
      200,
    );
    expect((await h.call('GET', '/v1/phone-numbers/P2/runway', { token: balance.body.token })).status).toBe(
      404,
    );
  });

  it('validates the horizon and isolates tenants', async () => {
    expect((await h.call('GET', '/v1/phone-numbers/P1/runway?horizon_days=0', { token: key })).status).toBe(
      400,
    );
    expect((await h.call('GET', '/v1/phone-numbers/P9/runway', { token: key })).status).toBe(404);
  });
});
