/** Demo funding history: top-ups against the demo numbers' charges, auto-renewal on the first number. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planesOf } from '../../worker/db/planes.js';
import { postUsageCharges } from '../../worker/funding/post-usage-charges.js';
import { normalizeConfig } from '../../worker/config.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { seedDemoBalances } from '../../worker/demo/seed-demo-balances.js';
import { createHarness, type Harness } from '../helpers/harness.js';

describe('seedDemoBalances', () => {
  let h: Harness;
  let key: string;
  const config = normalizeConfig({});
  beforeAll(async () => {
    h = await createHarness({ now: '2025-10-01T06:00:00Z' });
    key = await h.partner('demo');
    await h.waba(key, { waba_id: 'DW', timezone: 'Europe/Berlin', currency: 'EUR' }, ['DA', 'DB']);
    const ctx = domainContextOf({ clock: h.clock, config });
    // The demo's accounts run from the start of its history.
    for (const p of ['DA', 'DB'])
      await h.money.run(
        `INSERT INTO balance_starts (phone_number_id, starts_on, set_at, set_by)
         VALUES ($p, DATE '2025-07-01', now(), 'test')`,
        { p },
      );
    await h.db.transaction(async (tx) => {
      // 92 days of spend (Jul–Sep): DA 3.00 + (day mod 7) × 0.50, DB a flat 1.25.
      await tx.run(
        `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
                          pricing_type, unit, currency, n_all, n_free, n_paid, amount)
         SELECT 'DW', p, d::DATE, CAST(date_trunc('month', d) AS DATE), 'marketing', 'DE', 'Germany', 'regular',
                'message', 'EUR', 1, 0, 1,
                CAST(CASE WHEN p = 'DA' THEN 3.00 + (dayofyear(d) % 7) * 0.50 ELSE 1.25 END AS DECIMAL(38, 6))
           FROM range(DATE '2025-07-01', DATE '2025-10-01', INTERVAL 1 DAY) t(d), (VALUES ('DA'), ('DB')) v(p)`,
      );
    });
    // The usage is on the analytics plane, the charges go to the money plane.
    await h.money.transaction((tx) =>
      postUsageCharges(
        planesOf(h, tx),
        ['2025-07-01', '2025-08-01', '2025-09-01'].map((month) => ({ waba_id: 'DW', month })),
        ctx,
      ),
    );
  });
  afterAll(() => h.close());

  it('creates a funding history once, with consistent monthly statements', async () => {
    const n = await seedDemoBalances({ db: h.money, clock: h.clock, config });
    expect(n).toBeGreaterThan(4);
    expect(await seedDemoBalances({ db: h.money, clock: h.clock, config })).toBe(0);
    for (const p of ['DA', 'DB']) {
      let closing = '0.000000';
      for (const month of ['2025-07', '2025-08', '2025-09']) {
        const s = await h.json('GET', `/v1/phone-numbers/${p}/ledger?month=${month}`, { token: key });
        expect(s.body.opening_balance).toBe(closing);
        const sum = s.body.rows.reduce(
          (a: bigint, r: { balance_effect: string }) => a + BigInt(r.balance_effect.replace('.', '')),
          BigInt(s.body.opening_balance.replace('.', '')),
        );
        expect(sum).toBe(BigInt(s.body.closing_balance.replace('.', '')));
        expect(s.body.rows.some((r: { kind: string }) => r.kind === 'charge')).toBe(true);
        closing = s.body.closing_balance;
      }
      const b = await h.json('GET', `/v1/phone-numbers/${p}/balance`, { token: key });
      expect(b.body.balance).toBe(closing);
      expect(b.body.state).toBe('positive');
    }
    const da = await h.json('GET', '/v1/phone-numbers/DA/auto-renewal', { token: key });
    expect(da.body.auto_renewal).toMatchObject({ enabled: true, payment_method: 'card', mode: 'fixed' });
    const funds = (await h.json('GET', '/v1/phone-numbers/DA/funds', { token: key })).body.topups;
    expect(funds.filter((t: { status: string }) => t.status === 'failed')).toHaveLength(1);
    expect(
      (await h.json('GET', '/v1/phone-numbers/DB/auto-renewal', { token: key })).body.auto_renewal,
    ).toBeNull();
  });
});
