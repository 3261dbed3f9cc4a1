/** Auto-renewal: fires once, never twice under concurrent charges, caps, target mode, emergency, failures. */
import { describe, expect, it } from 'vitest';
import { settledBalance } from '../../worker/ledger/ledger.js';
import { postUsageCharges } from '../../worker/funding/post-usage-charges.js';
import { checkAllRenewals, settleDueTopUps } from '../../worker/funding/settle-due.js';
import { inMoneyTx } from '../helpers/planes.js';
import { createFixture, topups } from './fixtures.js';

const renewal = (over: Record<string, unknown> = {}) => ({
  enabled: true,
  threshold: '10',
  amount: '50',
  payment_method: 'card',
  ...over,
});

describe('auto-renewal', () => {
  it('never double-fires under 30 concurrent charge syncs and job runs', async () => {
    const f = await createFixture(['P1']);
    await f.fund('P1', '20');
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: renewal() });
    const ctx = f.ctx();
    await Promise.all([
      ...Array.from({ length: 30 }, async (_, i) => {
        const day = `2025-08-${String(1 + i).padStart(2, '0')}`;
        await f.h.db.run(
          `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
               pricing_type, unit, currency, n_all, n_free, n_paid, amount)
             VALUES ('W1', 'P1', $d::DATE, DATE '2025-08-01', 'marketing', 'DE', 'Germany',
               'regular', 'message', 'EUR', 1, 0, 1, 0.50)`,
          { d: day },
        );
        await inMoneyTx(f.h, (planes) =>
          postUsageCharges(planes, [{ waba_id: 'W1', month: '2025-08-01' }], ctx),
        );
      }),
      ...Array.from({ length: 5 }, () => checkAllRenewals(f.jobDeps)),
    ]);
    expect(await settledBalance(f.h.money, 'P1')).toBe('5.000000'); // 20 − 30 × 0.50
    const t = await topups(f.h, 'P1');
    expect(t).toEqual([expect.objectContaining({ kind: 'auto', status: 'pending', amount: '50.000000' })]);
    // Re-syncing the same month posts nothing more.
    await inMoneyTx(f.h, (planes) => postUsageCharges(planes, [{ waba_id: 'W1', month: '2025-08-01' }], ctx));
    const n = await f.h.money.all<{ n: number }>(
      'SELECT count(*)::INTEGER AS n FROM ledger_movements WHERE local_day IS NOT NULL',
    );
    expect(n).toEqual([{ n: 30 }]);
    await f.h.close();
  });

  it('warns when amount ≤ threshold and audits every change (actor, before, after)', async () => {
    const f = await createFixture(['P1']);
    await f.fund('P1', '100');
    const a = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: renewal({ amount: '10' }) });
    expect(a.status).toBe(200);
    expect(a.body.warnings).toHaveLength(1);
    expect(a.body.warnings[0]).toMatch(/higher than the threshold/);
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: renewal({ enabled: false }) });
    const audit = (await f.json('GET', '/v1/phone-numbers/P1/audit')).body.entries;
    expect(audit).toHaveLength(2);
    expect(audit[0].actor).toMatch(/^partner:acme\/key:/);
    expect(audit[0].before).toBeNull();
    expect(audit[0].after).toMatchObject({ enabled: true, amount: '10.000000' });
    expect(audit[1].before).toMatchObject({ enabled: true, amount: '10.000000' });
    expect(audit[1].after).toMatchObject({ enabled: false, amount: '50.000000' });
    expect(audit[1].at).toBe('2025-08-15T12:00:00.000Z');
    const bad = await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: renewal({ payment_method: 'bitcoin' }),
    });
    expect(bad.status).toBe(400);
    await f.h.close();
  });

  it('respects the monthly cap and tops up to a target', async () => {
    const f = await createFixture(['P1', 'P2']);
    await f.fund('P1', '5');
    // Cap 60: first renewal 50, second only the remaining 10, third none.
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: renewal({ monthly_cap: '60' }) });
    const settle = () => settleDueTopUps(f.jobDeps);
    f.h.clock.advance(30 * 60 * 1000);
    await settle(); // 55
    await f.charge('P1', '2025-08-15', '50'); // 5 → renewal of the remaining 10
    f.h.clock.advance(30 * 60 * 1000);
    await settle(); // 15
    await f.charge('P1', '2025-08-16', '10'); // 5 → cap exhausted
    expect((await topups(f.h, 'P1')).map((t) => [t.kind, t.amount])).toEqual([
      ['auto', '50.000000'],
      ['auto', '10.000000'],
    ]);
    // Target mode: 3.25 → top up to 100 = 96.75.
    await f.fund('P2', '3.25');
    await f.json('PUT', '/v1/phone-numbers/P2/auto-renewal', {
      body: renewal({ mode: 'target', amount: '100', payment_method: 'bank_transfer' }),
    });
    expect(await topups(f.h, 'P2')).toEqual([
      expect.objectContaining({ kind: 'auto', amount: '96.750000', fee: '0.000000', total: '96.750000' }),
    ]);
    await f.h.close();
  });

  it('tops up in an emergency when disabled by the user and the balance goes negative', async () => {
    const f = await createFixture(['P1']);
    await f.fund('P1', '1');
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: renewal({ enabled: false }) });
    await f.charge('P1', '2025-08-15', '0.50');
    expect(await topups(f.h, 'P1')).toEqual([]); // 0.50 left, disabled: nothing
    await f.charge('P1', '2025-08-15', '1.00'); // −0.50
    expect(await topups(f.h, 'P1')).toEqual([
      expect.objectContaining({ kind: 'emergency', amount: '50.000000' }),
    ]);
    await f.h.close();
  });

  it('after 3 failed payments in a row turns itself off and raises alerts; the balance is unchanged', async () => {
    const f = await createFixture(['P1']);
    await f.fund('P1', '5');
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: renewal() });
    for (let i = 1; i <= 3; i++) {
      const pending = (await topups(f.h, 'P1')).filter((t) => t.status === 'pending');
      expect(pending).toHaveLength(1);
      const r = await f.webhook({
        type: 'payment.failed',
        topup_id: pending[0]!.topup_id,
        reason: 'card declined',
      });
      expect(r).toEqual({
        status: 200,
        body: { received: true, topup_id: pending[0]!.topup_id, status: 'failed', changed: true },
      });
      const again = await f.webhook({ type: 'payment.succeeded', topup_id: pending[0]!.topup_id });
      expect(again.body.changed).toBe(false);
    }
    expect((await topups(f.h, 'P1')).map((t) => t.status)).toEqual(['failed', 'failed', 'failed']);
    expect(await settledBalance(f.h.money, 'P1')).toBe('5.000000');
    const s = (await f.json('GET', '/v1/phone-numbers/P1/auto-renewal')).body.auto_renewal;
    expect(s).toMatchObject({ enabled: false, disabled_reason: 'payment_failures', consecutive_failures: 3 });
    const alerts = (await f.json('GET', '/v1/alerts?phone_number_id=P1')).body.alerts;
    expect(alerts.map((a: { kind: string }) => a.kind)).toEqual([
      'renewal_disabled',
      'renewal_failed',
      'renewal_failed',
      'renewal_failed',
    ]);
    const audit = (await f.json('GET', '/v1/phone-numbers/P1/audit')).body.entries;
    expect(audit.at(-1)).toMatchObject({ actor: 'system', action: 'auto_renewal.disabled_after_failures' });
    // No emergency top-up either, even below zero: the payment method is known to fail.
    await f.charge('P1', '2025-08-15', '6');
    await checkAllRenewals(f.jobDeps);
    expect(await topups(f.h, 'P1')).toHaveLength(3);
    await f.h.close();
  });

  it('fails card payments over SIMULATED_CARD_LIMIT in the simulated processor (3 → disabled)', async () => {
    const f = await createFixture(['P1'], '2025-08-15T12:00:00Z', { SIMULATED_CARD_LIMIT: '51.99' });
    await f.fund('P1', '5');
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', { body: renewal() }); // pays 52.00 > 51.99
    const deps = f.jobDeps;
    for (let i = 0; i < 3; i++) {
      f.h.clock.advance(30 * 60 * 1000);
      expect(await settleDueTopUps(deps)).toBe(0);
    }
    expect((await topups(f.h, 'P1')).map((t) => t.status)).toEqual(['failed', 'failed', 'failed']);
    const s = (await f.json('GET', '/v1/phone-numbers/P1/auto-renewal')).body.auto_renewal;
    expect(s).toMatchObject({ enabled: false, disabled_reason: 'payment_failures' });
    expect(await settledBalance(f.h.money, 'P1')).toBe('5.000000');
    // A bank transfer is not limited.
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: renewal({ payment_method: 'bank_transfer' }),
    });
    f.h.clock.advance(30 * 60 * 1000);
    expect(await settleDueTopUps(deps)).toBe(1);
    expect(await settledBalance(f.h.money, 'P1')).toBe('55.000000');
    await f.h.close();
  });

  it('checks the payment webhook signature', async () => {
    const f = await createFixture(['P1']);
    const r = await f.webhook({ type: 'payment.succeeded', topup_id: 'tu_x' }, 'wrong-secret');
    expect(r.status).toBe(401);
    const unknown = await f.webhook({ type: 'payment.succeeded', topup_id: 'tu_x' });
    expect(unknown.status).toBe(404);
    await f.h.close();
  });
});
