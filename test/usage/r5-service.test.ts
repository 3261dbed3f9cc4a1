import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDerived } from '../../worker/billing/recompute.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series, type UnitSeed } from './seed-units.js';
import { systemDomain } from '../helpers/system-domain.js';

// R5 (from 2026-10-01 in the WABA's zone): service messages are charged at the market's utility rate after a
// free allowance of 1,000 delivered service messages per phone number and local month; utility inside the
// service window is charged again; free entry points stay free; Meta Business Agent replies are priced from
// the record's cost. Expected numbers are computed here from those rules and the card file, not by the code.
const card = JSON.parse(
  readFileSync(new URL('../../data/rate-cards/usd-pmp-2026-10-01.json', import.meta.url), 'utf8'),
) as { rates: { market: string; category: string; rate: string }[] };
const rateOf = (category: string) =>
  card.rates.find((r) => r.market === 'North America' && r.category === category)!.rate;

/** Decimal string → micro-units, and back with 6 decimals (exact, as the service answers). */
const micros = (d: string) => {
  const [i, f = ''] = d.split('.');
  return BigInt(i!) * 1_000_000n + BigInt((f + '000000').slice(0, 6));
};
const decimal = (m: bigint) => `${m / 1_000_000n}.${String(m % 1_000_000n).padStart(6, '0')}`;

const ALLOWANCE = 1000;
const pmp = { pricing_model: 'PMP' as const };
const svc = { ...pmp, category: 'service', is_template: false };

describe('R5: service charged after a free allowance per phone number', () => {
  let h: Harness;
  let key: string;
  const units: UnitSeed[] = [];
  beforeAll(async () => {
    h = await createHarness({ now: '2026-11-15T12:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W', timezone: 'America/Los_Angeles' }, ['A', 'B', 'C']);
    const a = { waba_id: 'W', phone_number_id: 'A' };
    const b = { waba_id: 'W', phone_number_id: 'B' };
    const c = { waba_id: 'W', phone_number_id: 'C' };
    units.push(
      // A failed service message first: it is not delivered, so it takes no slot of the allowance.
      { ...a, ...svc, unit_id: 'a-failed', opened_at: '2026-10-01T07:10:00Z', status_final: 'failed' },
      // B's service messages come before A's: the allowance is per number, so they do not use A's.
      ...series(10, '2026-10-01T07:20:00Z', { ...b, ...svc }, 'b-svc'),
      // 1,001 of A's, one minute apart from 01:00 local on October 1st.
      ...series(1001, '2026-10-01T08:00:00Z', { ...a, ...svc }, 'a-svc'),
      // September is R4: service is free, and it is not in October's allowance.
      ...series(3, '2026-09-20T18:00:00Z', { ...a, ...svc }, 'a-sep'),
      // A free entry point stays free; a Meta Business Agent reply is paid at the record's cost.
      {
        ...a,
        ...pmp,
        unit_id: 'a-fep',
        category: 'marketing',
        is_template: true,
        in_fep: true,
        opened_at: '2026-10-05T18:00:00Z',
      },
      {
        ...a,
        ...pmp,
        unit_id: 'a-agent',
        category: 'business_agent',
        is_template: false,
        cost_in: '0.0123',
        opened_at: '2026-10-06T18:00:00Z',
      },
      // Utility templates inside the service window around midnight of September 30th, Los Angeles time
      // (both are October 1st in UTC): free at 23:30 (R4), paid at 00:30 (R5).
      {
        ...c,
        ...pmp,
        unit_id: 'c-utl-2330',
        category: 'utility',
        is_template: true,
        in_csw: true,
        opened_at: '2026-10-01T06:30:00Z',
      },
      {
        ...c,
        ...pmp,
        unit_id: 'c-utl-0030',
        category: 'utility',
        is_template: true,
        in_csw: true,
        opened_at: '2026-10-01T07:30:00Z',
      },
      { ...c, ...svc, unit_id: 'c-svc-2330', opened_at: '2026-10-01T06:40:00Z' },
    );
    await seedUnits(h, key, units);
  });
  afterAll(() => h.close());

  const unit = async (id: string) =>
    (
      await h.db.all<{ regime: string; pricing_type: string; rate: string | null; amount: string | null }>(
        `SELECT regime::VARCHAR AS regime, pricing_type::VARCHAR AS pricing_type, rate, amount FROM units
          WHERE unit_id = $id`,
        { id },
      )
    )[0];

  it('frees the first 1,000 delivered service messages of each number in the local month; the 1,001st is paid', async () => {
    expect(await unit('a-svc-01000')).toMatchObject({
      regime: 'R5',
      pricing_type: 'free_tier',
      amount: null,
    });
    expect(await unit('a-svc-01001')).toMatchObject({
      regime: 'R5',
      pricing_type: 'regular',
      // The 2026-10-01 card's service row; where a card has none, the utility rate applies.
      rate: decimal(micros(rateOf('service'))),
    });
    expect(await unit('a-failed')).toMatchObject({ pricing_type: 'not_delivered' });
    expect(await unit('b-svc-00010')).toMatchObject({ pricing_type: 'free_tier' });
    expect(await unit('a-sep-00003')).toMatchObject({ regime: 'R4', pricing_type: 'free_customer_service' });
    expect(await unit('a-fep')).toMatchObject({
      regime: 'R5',
      pricing_type: 'free_entry_point',
      amount: null,
    });
    expect(await unit('a-agent')).toMatchObject({ pricing_type: 'regular', amount: '0.012300' });
  });

  it('charges utility inside the service window from 00:00 local on 2026-10-01, not at 23:30 the day before', async () => {
    expect(await unit('c-utl-2330')).toMatchObject({ regime: 'R4', pricing_type: 'free_customer_service' });
    expect(await unit('c-utl-0030')).toMatchObject({
      regime: 'R5',
      pricing_type: 'regular',
      rate: decimal(micros(rateOf('utility'))),
    });
    expect(await unit('c-svc-2330')).toMatchObject({ regime: 'R4', pricing_type: 'free_customer_service' });
  });

  it('answers usage and charges per number and month as the rules give them', async () => {
    // The law, applied here: local month by Los Angeles time; R5 from October; per number, delivered service
    // messages ranked by time, the first 1,000 free; utility, marketing outside FEP and agent replies paid.
    const local = (iso: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date(iso)).slice(0, 7);
    const expected = new Map<string, { all: number; free: number; paid: number; amount: bigint }>();
    const used = new Map<string, number>();
    for (const u of [...units].sort((x, y) => x.opened_at.localeCompare(y.opened_at))) {
      if (u.status_final === 'failed') continue;
      const month = local(u.opened_at);
      const k = `${month}|${u.phone_number_id}`;
      const row = expected.get(k) ?? { all: 0, free: 0, paid: 0, amount: 0n };
      expected.set(k, row);
      row.all++;
      const r5 = month >= '2026-10';
      let paid: boolean;
      let amount = 0n;
      if (u.in_fep) paid = false;
      else if (u.category === 'business_agent') {
        paid = true;
        amount = micros(u.cost_in!);
      } else if (u.category === 'service') {
        const n = (used.get(k) ?? 0) + 1;
        used.set(k, n);
        paid = r5 && n > ALLOWANCE;
        amount = micros(rateOf('service'));
      } else if (u.category === 'utility' && u.in_csw) {
        paid = r5;
        amount = micros(rateOf('utility'));
      } else {
        paid = true;
        amount = micros(rateOf(u.category));
      }
      if (paid) {
        row.paid++;
        row.amount += amount;
      } else row.free++;
    }
    const usage = await h.json(
      'GET',
      '/v1/usage?waba_id=W&from=2026-09&to=2026-10&group_by=phone_number_id',
      {
        token: key,
      },
    );
    const charges = await h.json(
      'GET',
      '/v1/charges?waba_id=W&from=2026-09&to=2026-10&group_by=phone_number_id',
      {
        token: key,
      },
    );
    const keys = [...expected.keys()].sort();
    expect(
      usage.body.rows.map(
        (r: { period: string; phone_number_id: string; all: number; free: number; paid: number }) => [
          `${r.period}|${r.phone_number_id}`,
          r.all,
          r.free,
          r.paid,
        ],
      ),
    ).toEqual(keys.map((k) => [k, expected.get(k)!.all, expected.get(k)!.free, expected.get(k)!.paid]));
    expect(
      charges.body.rows.map((r: { period: string; phone_number_id: string; amount: string }) => [
        `${r.period}|${r.phone_number_id}`,
        r.amount,
      ]),
    ).toEqual(keys.map((k) => [k, decimal(expected.get(k)!.amount)]));
    // The one paid service message of A is in there: 1,001 service + the agent reply.
    expect(expected.get('2026-10|A')).toMatchObject({ paid: 2 });
  });

  it('derives the same through refreshDerived as through the batch ingest', async () => {
    const snapshot = `SELECT unit_id, regime, pricing_type, is_paid, rate, amount, rate_card_id, tier FROM units
                       ORDER BY unit_id`;
    const before = await h.db.all(snapshot);
    const rollups = await h.db.all('SELECT * FROM usage_daily ORDER BY ALL');
    await h.db.transaction((tx) =>
      refreshDerived(tx, {
        domain: systemDomain(),
        wabaMonths: [
          { waba_id: 'W', month: '2026-09-01' },
          { waba_id: 'W', month: '2026-10-01' },
        ],
      }),
    );
    expect(await h.db.all(snapshot)).toEqual(before);
    expect(await h.db.all('SELECT * FROM usage_daily ORDER BY ALL')).toEqual(rollups);
  });
});
