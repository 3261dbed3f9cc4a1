/**
 * Money from nothing, refused at the ledger door: whatever reaches pricing (here a negative rate and a negative
 * rollup row written straight into the store, past every edge check), usage never credits a balance, a charge
 * row only debits, and the gate stays closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendMovement, settledBalance } from '../../worker/ledger/ledger.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';
import { insertUnits } from '../pricing/insert-units.js';

describe('money from nothing at the ledger door', () => {
  let f: Fixture;
  afterEach(async () => f.h.close());

  const paidSend = () =>
    f.json('POST', '/v1/phone-numbers/P1/messages/authorize', {
      body: { direction: 'outbound', recipient: '4915112345678', kind: 'template', category: 'marketing' },
    });

  it('a unit priced at a negative rate does not credit the balance nor open the gate', async () => {
    f = await createFixture(['P1']);
    await insertUnits(f.h.db, [
      {
        unit_id: 'neg-1',
        waba_id: 'W1',
        phone_number_id: 'P1',
        recipient: '+4915112345678',
        category: 'marketing',
        opened_at: '2025-08-10T10:00:00Z',
        pricing_model: 'PMP',
        is_template: true,
        rate_in: '-1000.00',
      },
    ]);
    const priced = await f.h.db.all<{ amount: string }>(
      "SELECT amount::VARCHAR AS amount FROM usage_daily WHERE phone_number_id = 'P1'",
    );
    expect(priced).toEqual([{ amount: '-1000.000000' }]); // the smuggled value did reach the rollup
    expect(await settledBalance(f.h.db, 'P1')).toBe('0.000000');
    expect(
      await f.h.db.all("SELECT count(*)::INTEGER AS n FROM ledger_movements WHERE phone_number_id = 'P1'"),
    ).toEqual([{ n: 0 }]);
    const r = await paidSend();
    expect(r.status).toBe(402);
  });

  it('a negative rollup row never nets a day into a credit, and a later honest charge still debits', async () => {
    f = await createFixture(['P1']);
    await f.fund('P1', '10');
    await f.charge('P1', '2025-08-14', '-250008.99');
    expect(await settledBalance(f.h.db, 'P1')).toBe('10.000000');
    await f.charge('P1', '2025-08-14', '3.5'); // the day's honest usage: only it is charged
    expect(await settledBalance(f.h.db, 'P1')).toBe('6.500000');
    const rows = await f.h.db.all<{ kind: string; amount: string }>(
      `SELECT kind, amount::VARCHAR AS amount FROM ledger_movements WHERE local_day IS NOT NULL ORDER BY seq`,
    );
    expect(rows).toEqual([{ kind: 'charge', amount: '-3.500000' }]);
  });

  it('refuses a charge, refund or top-up row whose sign would create money', async () => {
    f = await createFixture(['P1']);
    const base = {
      phone_number_id: 'P1',
      currency: 'EUR',
      status: 'settled' as const,
      requested_at: new Date(),
    };
    await expect(appendMovement(f.h.db, { ...base, kind: 'charge', amount: '1000' })).rejects.toThrow(
      /charge/,
    );
    await expect(appendMovement(f.h.db, { ...base, kind: 'refund', amount: '5' })).rejects.toThrow(/refund/);
    await expect(appendMovement(f.h.db, { ...base, kind: 'topup_one_time', amount: '-5' })).rejects.toThrow(
      /topup_one_time/,
    );
    await expect(appendMovement(f.h.db, { ...base, kind: 'fee', amount: '-1' })).rejects.toThrow(/fee/);
    expect(await settledBalance(f.h.db, 'P1')).toBe('0.000000');
    await appendMovement(f.h.db, { ...base, kind: 'charge', amount: '-2' });
    expect(await settledBalance(f.h.db, 'P1')).toBe('-2.000000');
  });
});
