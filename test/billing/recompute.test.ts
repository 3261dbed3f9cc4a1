import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDerived } from '../../worker/billing/recompute.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series } from '../usage/seed-units.js';
import { systemDomain } from '../helpers/system-domain.js';

type Row = Record<string, unknown>;

// refreshDerived recomputes whole (WABA, local month) sets: late units re-rank the free tier, a unit that moved
// month leaves its old month's rollup, and running it again changes nothing.
describe('refreshDerived: whole-month recomputation', () => {
  let h: Harness;
  let key: string;
  const usage = async (qs: string) =>
    (await h.json('GET', `/v1/usage?${qs}`, { token: key })).body.rows as Row[];
  beforeAll(async () => {
    h = await createHarness({ now: '2024-01-20T00:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin' }, ['A', 'B']);
    // R2, October 2023: 1,000 service conversations on A fill the free tier.
    await seedUnits(
      h,
      key,
      series(1000, '2023-10-02T08:00:00Z', { waba_id: 'W1', phone_number_id: 'A', category: 'service' }, 'a'),
    );
  });
  afterAll(() => h.close());

  it('starts with A = 1000 free', async () => {
    expect(await usage('waba_id=W1&from=2023-10&to=2023-10&group_by=phone_number_id')).toEqual([
      { period: '2023-10', phone_number_id: 'A', unit: 'conversation', all: 1000, free: 1000, paid: 0 },
    ]);
  });

  it('re-ranks the month when a late unit opened earlier arrives for another number', async () => {
    // 2023-10-01 00:30 Berlin (CEST) = 2023-09-30 22:30 UTC: an October unit, opened before all of A's.
    await seedUnits(h, key, [
      {
        unit_id: 'b-late',
        waba_id: 'W1',
        phone_number_id: 'B',
        category: 'service',
        opened_at: '2023-09-30T22:30:00Z',
      },
    ]);
    expect(await usage('waba_id=W1&from=2023-09&to=2023-10&group_by=phone_number_id')).toEqual([
      { period: '2023-10', phone_number_id: 'A', unit: 'conversation', all: 1000, free: 999, paid: 1 },
      { period: '2023-10', phone_number_id: 'B', unit: 'conversation', all: 1, free: 1, paid: 0 },
    ]);
    const last = await h.db.all<{ pricing_type: string }>(
      `SELECT pricing_type FROM units WHERE unit_id = 'a-01000'`,
    );
    expect(last[0]?.pricing_type).toBe('regular');
  });

  it('moves a unit between months when the caller names the old month, and is idempotent', async () => {
    await h.db.transaction(async (tx) => {
      await tx.run(
        `UPDATE units SET opened_at = TIMESTAMPTZ '2023-11-05T10:00:00Z', local_day = NULL, local_month = NULL,
                regime = NULL, pricing_type = NULL, is_counted = NULL, is_free = NULL, is_paid = NULL
          WHERE unit_id = 'b-late'`,
      );
      const scope = await refreshDerived(tx, {
        pending: true,
        domain: systemDomain(),
        wabaMonths: [{ waba_id: 'W1', month: '2023-10-01' }],
      });
      expect(scope).toEqual([
        { waba_id: 'W1', month: '2023-10-01' },
        { waba_id: 'W1', month: '2023-11-01' },
      ]);
    });
    const expected = [
      { period: '2023-10', phone_number_id: 'A', unit: 'conversation', all: 1000, free: 1000, paid: 0 },
      { period: '2023-11', phone_number_id: 'B', unit: 'conversation', all: 1, free: 1, paid: 0 },
    ];
    expect(await usage('waba_id=W1&from=2023-09&to=2023-11&group_by=phone_number_id')).toEqual(expected);
    // Nothing pending: an empty scope; naming months again rebuilds them to the same numbers.
    expect(
      await h.db.transaction((tx) => refreshDerived(tx, { pending: true, domain: systemDomain() })),
    ).toEqual([]);
    await h.db.transaction((tx) =>
      refreshDerived(tx, {
        domain: systemDomain(),
        wabaMonths: [
          { waba_id: 'W1', month: '2023-10-01' },
          { waba_id: 'W1', month: '2023-11-01' },
        ],
      }),
    );
    expect(await usage('waba_id=W1&from=2023-09&to=2023-11&group_by=phone_number_id')).toEqual(expected);
    const daily = await h.db.all<{ n: string }>(`SELECT CAST(sum(n_all) AS BIGINT) AS n FROM usage_daily`);
    expect(daily[0]?.n).toBe('1001');
  });

  it('documents both paths in the OpenAPI document', async () => {
    const r = await h.json('GET', '/v1/openapi.json');
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/v1/usage', '/v1/charges']));
  });
});
