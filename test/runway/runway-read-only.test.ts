/**
 * `GET …/runway` is a read: it opens no write transaction and leaves every table exactly as it was, also for a
 * number whose runway is short (the runway_short alert, and any webhook it queues, belong to the runway job).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { runRunwayAlertPass } from '../../worker/runway/runway-alert-job.js';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { storeFingerprint } from '../helpers/store-fingerprint.js';

describe('GET /v1/phone-numbers/{id}/runway is read-only', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2025-08-15T12:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    // 960 a day against a renewal at 10 that settles in 30 minutes: short, so a write would have something to do.
    await h.db.run(
      `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
                            pricing_type, unit, currency, n_all, n_free, n_paid, amount)
       SELECT 'W1', 'P1', DATE '2025-08-15' - CAST(i AS INTEGER),
              date_trunc('month', DATE '2025-08-15' - CAST(i AS INTEGER)), 'marketing', 'DE', 'Germany', 'regular',
              'message', 'USD', 100, 0, 100, CAST(960 AS DECIMAL(38, 6))
         FROM range(1, 61) r(i)`,
    );
    await appendMovement(h.money, {
      phone_number_id: 'P1',
      kind: 'topup_one_time',
      amount: '500',
      currency: 'USD',
      status: 'settled',
      requested_at: h.clock.now(),
    });
    const saved = await h.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      token: key,
      body: { enabled: true, threshold: '10', amount: '1000', mode: 'fixed', payment_method: 'card' },
    });
    expect(saved.status).toBe(200);
  });
  afterAll(() => h.close());

  it('opens no write transaction and changes no table, even when the runway is short', async () => {
    const writes: string[] = [];
    const stores = h.money === h.db ? [h.db] : [h.db, h.money];
    const originals = stores.map((db) => {
      const original = { transaction: db.transaction, writeSession: db.writeSession, run: db.run };
      const [transaction, writeSession, run] = [
        db.transaction.bind(db),
        db.writeSession.bind(db),
        db.run.bind(db),
      ];
      db.transaction = (fn) => (writes.push('transaction'), transaction(fn));
      db.writeSession = (fn) => (writes.push('writeSession'), writeSession(fn));
      db.run = (sql, params) => (writes.push(`run ${sql.slice(0, 40)}`), run(sql, params));
      return original;
    });
    const before = await Promise.all(stores.map((db) => storeFingerprint(db)));
    try {
      for (const q of ['', '?horizon_days=30', '?horizon_days=365']) {
        const r = await h.json('GET', `/v1/phone-numbers/P1/runway${q}`, { token: key });
        expect(r.status).toBe(200);
        expect(r.body.runway_short).toBe(true);
      }
    } finally {
      stores.forEach((db, i) => Object.assign(db, originals[i]));
    }
    expect(writes).toEqual([]);
    expect(await Promise.all(stores.map((db) => storeFingerprint(db)))).toEqual(before);
  });

  it('the runway job raises the alert the read left alone', async () => {
    const before = await storeFingerprint(h.money);
    await runRunwayAlertPass({
      db: h.db,
      money: h.money,
      clock: h.clock,
      config: normalizeConfig({}),
      log: silentLogger,
    });
    const after = await storeFingerprint(h.money);
    expect(after.alerts).not.toBe(before.alerts);
    expect(await h.money.all(`SELECT kind FROM alerts WHERE phone_number_id = 'P1'`)).toEqual([
      { kind: 'runway_short' },
    ]);
  });
});
