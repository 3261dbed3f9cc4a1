/** Statement months follow the WABA time zone and the time money became available. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

describe('statement month boundaries (Europe/Berlin)', () => {
  let f: Fixture;
  beforeAll(async () => {
    // 2025-08-31 23:50 in Berlin (UTC+2).
    f = await createFixture(['P1'], '2025-08-31T21:50:00Z');
  });
  afterAll(() => f.h.close());

  it('counts a top-up requested on the 31st and settled on the 1st in September', async () => {
    const q = await f.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      body: { mode: 'one_time', amount: '40', payment_method: 'bank_transfer' },
    });
    await f.json('POST', '/v1/phone-numbers/P1/funds', {
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'b-1' },
    });
    await f.charge('P1', '2025-08-31', '1.50');
    const pending = await f.json('GET', '/v1/phone-numbers/P1/ledger?month=2025-08');
    expect(pending.body.rows.map((r: { kind: string; status: string }) => [r.kind, r.status])).toEqual([
      ['topup_one_time', 'pending'],
      ['charge', 'settled'],
    ]);
    f.h.clock.advance(30 * 60 * 1000); // 2025-09-01 00:20 Berlin
    await settleDueTopUps(f.jobDeps);
    const aug = await f.json('GET', '/v1/phone-numbers/P1/ledger?month=2025-08');
    const sep = await f.json('GET', '/v1/phone-numbers/P1/ledger?month=2025-09');
    expect(aug.body).toMatchObject({ opening_balance: '0.000000', closing_balance: '-1.500000' });
    expect(aug.body.rows.map((r: { kind: string }) => r.kind)).toEqual(['charge']);
    expect(sep.body).toMatchObject({ opening_balance: '-1.500000', closing_balance: '38.500000' });
    expect(sep.body.rows).toEqual([
      expect.objectContaining({
        kind: 'topup_one_time',
        at: '2025-08-31T22:20:00.000Z',
        running_balance: '38.500000',
      }),
    ]);
  });
});
