/**
 * The derivation pipeline posts ledger charges: refreshDerived → priceUnits → rollups → syncLedgerCharges. With
 * the money plane in a store of its own (TEST_MONEY_STORE) the postings follow the analytics commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDerived } from '../../worker/billing/recompute.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

describe('syncLedgerCharges inside refreshDerived', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(['P3']);
  });
  afterAll(() => f.h.close());

  it('is called by refreshDerived: ledger charges equal Σ usage_daily.amount per number', async () => {
    await f.h.db.run(
      `INSERT INTO units (unit_id, pricing_model, unit, waba_id, phone_number_id, recipient_wa_id, recipient_country,
          market, category, opened_at, is_template, status_final, rate_in, cost_in, ingested_at)
       SELECT 'u' || i, 'PMP', 'message', 'W1', 'P3', '4915' || i, 'DE', 'Germany', 'marketing',
              TIMESTAMPTZ '2025-08-10 10:00:00+00' + i * INTERVAL 1 MINUTE, true, 'delivered', 0.1365, 0.1365, now()
         FROM range(4) t(i)`,
    );
    await f.h.db.transaction((tx) => refreshDerived(tx, { pending: true, domain: f.ctx(), stores: f.h }));
    const [u] = await f.h.db.all<{ a: string }>(
      "SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(18, 6))::VARCHAR AS a FROM usage_daily WHERE phone_number_id = 'P3'",
    );
    const [l] = await f.h.money.all<{ a: string }>(
      "SELECT CAST(-SUM(amount) AS DECIMAL(18, 6))::VARCHAR AS a FROM ledger_movements WHERE phone_number_id = 'P3'",
    );
    expect(Number(u!.a)).toBeGreaterThan(0);
    expect(l!.a).toBe(u!.a);
    await f.h.db.transaction((tx) =>
      refreshDerived(tx, {
        wabaMonths: [{ waba_id: 'W1', month: '2025-08-01' }],
        domain: f.ctx(),
        stores: f.h,
      }),
    );
    const [again] = await f.h.money.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM ledger_movements WHERE phone_number_id = 'P3'",
    );
    expect(again!.n).toBe(1);
  });
});
