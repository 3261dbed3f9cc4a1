import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series, type UnitSeed } from './seed-units.js';

type Row = Record<string, unknown>;

// One WABA per rule, all in UTC unless the rule is about the calendar, so expected values are easy to check.
describe('the law of free and paid (DOMAIN.md §9.4), one rule at a time', () => {
  let h: Harness;
  let key: string;
  const usage = async (qs: string) =>
    (await h.json('GET', `/v1/usage?${qs}`, { token: key })).body.rows as Row[];
  const charges = async (qs: string) =>
    (await h.json('GET', `/v1/charges?${qs}`, { token: key })).body.rows as Row[];
  const unitsOf = (waba: string) =>
    h.db.all<{ unit_id: string; regime: string; pricing_type: string; is_counted: boolean }>(
      `SELECT unit_id, regime, pricing_type, is_counted FROM units WHERE waba_id = $w ORDER BY unit_id`,
      { w: waba },
    );

  beforeAll(async () => {
    h = await createHarness({ now: '2026-01-15T00:00:00Z' });
    key = await h.partner('acme');
    for (const w of ['R0', 'R1', 'R2', 'R3', 'FEP', 'PMP', 'EX'])
      await h.waba(key, { waba_id: w, timezone: 'UTC' }, [`${w}-A`, `${w}-B`]);
    const u = (
      w: string,
      p: 'A' | 'B',
      rest: Partial<UnitSeed>,
    ): Omit<UnitSeed, 'unit_id' | 'opened_at'> => ({
      waba_id: w,
      phone_number_id: `${w}-${p}`,
      category: 'service',
      ...rest,
    });
    // Rest of Western Europe (Austria), so a rate card lookup would agree with the record rates.
    const rwe = {
      market: 'Rest of Western Europe',
      recipient_country: 'AT',
      recipient_wa_id: '436641234567',
    };
    await seedUnits(h, key, [
      // R0 (NBP): paid unless reported non-billable.
      ...series(
        3,
        '2021-06-01T00:00:00Z',
        u('R0', 'A', { pricing_model: 'NBP', category: 'business_initiated' }),
        'r0-paid',
      ),
      ...series(
        2,
        '2021-06-02T00:00:00Z',
        u('R0', 'A', { pricing_model: 'NBP', category: 'user_initiated', billable_reported: false }),
        'r0-free',
      ),
      // R1 (March 2022): the first 1,000 of ANY category per WABA per month. A failed unit first takes no slot.
      {
        ...u('R1', 'A', { category: 'business_initiated', status_final: 'failed' }),
        unit_id: 'r1-0failed',
        opened_at: '2022-03-01T00:00:00Z',
      },
      ...series(600, '2022-03-01T01:00:00Z', u('R1', 'A', { category: 'business_initiated' }), 'r1-a'),
      ...series(600, '2022-03-02T01:00:00Z', u('R1', 'B', { category: 'user_initiated' }), 'r1-b'),
      // R2 (July 2023): first 1,000 SERVICE per WABA in open order across numbers; ties broken by unit_id.
      ...series(999, '2023-07-01T00:00:00Z', u('R2', 'B', {}), 'r2-b'),
      { ...u('R2', 'A', {}), unit_id: 'r2-tie-a', opened_at: '2023-07-05T00:00:00Z' },
      { ...u('R2', 'B', {}), unit_id: 'r2-tie-b', opened_at: '2023-07-05T00:00:00Z' },
      ...series(5, '2023-07-06T00:00:00Z', u('R2', 'A', {}), 'r2-late-a'),
      // Marketing before everything is never free tier and does not take a slot; nor does FEP.
      ...series(10, '2023-06-30T23:00:00Z', u('R2', 'A', { category: 'marketing' }), 'r2-mkt').map(
        (x, i) => ({
          ...x,
          opened_at: `2023-07-01T00:00:0${i}Z`,
        }),
      ),
      {
        ...u('R2', 'A', { category: 'service', billable_reported: false }),
        unit_id: 'r2-fep',
        opened_at: '2023-07-01T00:00:00Z',
      },
      // R3 (Nov 2024): service free and unlimited; other categories paid.
      ...series(1200, '2024-11-01T00:00:00Z', u('R3', 'A', {}), 'r3-svc'),
      ...series(
        4,
        '2024-11-02T00:00:00Z',
        u('R3', 'B', { category: 'utility', rate_in: '0.0040' }),
        'r3-utl',
      ),
      // Free entry point under CBP, three ways of saying it.
      {
        ...u('FEP', 'A', { category: 'referral_conversion' }),
        unit_id: 'fep-cat',
        opened_at: '2024-03-01T00:00:00Z',
      },
      {
        ...u('FEP', 'A', { category: 'marketing', billable_reported: false }),
        unit_id: 'fep-billable',
        opened_at: '2024-03-01T00:01:00Z',
      },
      {
        ...u('FEP', 'A', { category: 'marketing', in_fep: true }),
        unit_id: 'fep-flag',
        opened_at: '2024-03-01T00:02:00Z',
      },
      {
        ...u('FEP', 'A', { category: 'marketing', billable_reported: true, rate_in: '0.0250' }),
        unit_id: 'fep-not',
        opened_at: '2024-03-01T00:03:00Z',
      },
      // PMP (August 2025).
      ...[
        ['pmp-1-reported-regular', { is_template: false, pricing_type_in: 'regular', rate_in: '0.0100' }],
        [
          'pmp-2-reported-free',
          { category: 'marketing', is_template: true, pricing_type_in: 'free_customer_service' },
        ],
        ['pmp-3-non-template', { is_template: false }],
        ['pmp-4-utility-in-csw', { category: 'utility', is_template: true, in_csw: true }],
        [
          'pmp-5-marketing-in-csw',
          { category: 'marketing', is_template: true, in_csw: true, rate_in: '0.0592' },
        ],
        [
          'pmp-6-utility-outside',
          { category: 'utility', is_template: true, in_csw: false, rate_in: '0.0171' },
        ],
        ['pmp-7-in-fep', { category: 'marketing', is_template: true, in_fep: true }],
        [
          'pmp-8-failed',
          { category: 'marketing', is_template: true, status_final: 'failed', rate_in: '0.0592' },
        ],
      ].map(([id, extra], i) => ({
        ...u('PMP', 'A', { pricing_model: 'PMP', ...(extra as Partial<UnitSeed>) }),
        unit_id: id as string,
        opened_at: `2025-08-01T0${i}:00:00Z`,
      })),
      // §9.6 PMP example (July 2025, Rest of Western Europe), record rates.
      ...series(
        1000,
        '2025-07-02T00:00:00Z',
        u('EX', 'A', {
          pricing_model: 'PMP',
          ...rwe,
          category: 'marketing',
          is_template: true,
          rate_in: '0.0592',
        }),
        'ex-mkt',
      ),
      ...series(
        500,
        '2025-07-03T00:00:00Z',
        u('EX', 'A', {
          pricing_model: 'PMP',
          ...rwe,
          category: 'utility',
          is_template: true,
          in_csw: false,
          rate_in: '0.0171',
        }),
        'ex-utl-out',
      ),
      ...series(
        300,
        '2025-07-04T00:00:00Z',
        u('EX', 'A', {
          pricing_model: 'PMP',
          ...rwe,
          category: 'utility',
          is_template: true,
          in_csw: true,
          rate_in: '0.0171',
        }),
        'ex-utl-in',
      ),
      ...series(
        2000,
        '2025-07-05T00:00:00Z',
        u('EX', 'A', { pricing_model: 'PMP', ...rwe, category: 'service', is_template: false }),
        'ex-free',
      ),
    ]);
  });
  afterAll(() => h.close());

  it('R0 (NBP): paid unless reported non-billable', async () => {
    expect(await usage('waba_id=R0&from=2021-06&to=2021-06')).toEqual([
      { period: '2021-06', unit: 'conversation', all: 5, free: 2, paid: 3 },
    ]);
    expect(new Set((await unitsOf('R0')).map((x) => x.regime))).toEqual(new Set(['R0']));
  });

  it('R1: all categories share the 1,000, across numbers in open order; failed units take no slot', async () => {
    expect(await usage('waba_id=R1&from=2022-03&to=2022-03&group_by=phone_number_id')).toEqual([
      { period: '2022-03', phone_number_id: 'R1-A', unit: 'conversation', all: 600, free: 600, paid: 0 },
      { period: '2022-03', phone_number_id: 'R1-B', unit: 'conversation', all: 600, free: 400, paid: 200 },
    ]);
    const failed = (await unitsOf('R1')).find((x) => x.unit_id === 'r1-0failed');
    expect(failed).toMatchObject({ regime: 'R1', pricing_type: 'not_delivered', is_counted: false });
  });

  it('R2: 1,000 service per WABA in open order; a tie goes to the lower unit_id; marketing and FEP never in it', async () => {
    const rows = await usage(
      'waba_id=R2&from=2023-07&to=2023-07&group_by=phone_number_id,category,pricing_type',
    );
    expect(rows.map((r) => [r.phone_number_id, r.category, r.pricing_type, r.all])).toEqual([
      ['R2-A', 'marketing', 'regular', 10],
      ['R2-A', 'service', 'free_entry_point', 1],
      ['R2-A', 'service', 'free_tier', 1],
      ['R2-A', 'service', 'regular', 5],
      ['R2-B', 'service', 'free_tier', 999],
      ['R2-B', 'service', 'regular', 1],
    ]);
    const byId = new Map((await unitsOf('R2')).map((x) => [x.unit_id, x.pricing_type]));
    expect(byId.get('r2-tie-a')).toBe('free_tier');
    expect(byId.get('r2-tie-b')).toBe('regular');
  });

  it('R3: service is free and unlimited (free_customer_service); utility stays paid', async () => {
    expect(await usage('waba_id=R3&from=2024-11&to=2024-11&group_by=category,pricing_type')).toEqual([
      {
        period: '2024-11',
        category: 'service',
        pricing_type: 'free_customer_service',
        unit: 'conversation',
        all: 1200,
        free: 1200,
        paid: 0,
      },
      {
        period: '2024-11',
        category: 'utility',
        pricing_type: 'regular',
        unit: 'conversation',
        all: 4,
        free: 0,
        paid: 4,
      },
    ]);
    expect(await charges('waba_id=R3&from=2024-11&to=2024-11')).toEqual([
      { period: '2024-11', unit: 'conversation', currency: 'USD', paid: 4, amount: '0.016000' },
    ]);
  });

  it('FEP under CBP: referral_conversion, billable=false or in_fep are free; billable=true is not', async () => {
    const types = new Map((await unitsOf('FEP')).map((x) => [x.unit_id, x.pricing_type]));
    expect(Object.fromEntries(types)).toEqual({
      'fep-billable': 'free_entry_point',
      'fep-cat': 'free_entry_point',
      'fep-flag': 'free_entry_point',
      'fep-not': 'regular',
    });
  });

  it('PMP: reported type wins, else non-template free, utility in CSW free, marketing in CSW paid, failed not counted', async () => {
    const rows = await h.db.all<{
      unit_id: string;
      regime: string;
      pricing_type: string;
      is_counted: boolean;
      is_paid: boolean;
    }>(
      `SELECT unit_id, regime, pricing_type, is_counted, is_paid FROM units WHERE waba_id = 'PMP' ORDER BY unit_id`,
    );
    expect(rows.map((r) => [r.unit_id, r.regime, r.pricing_type, r.is_counted, r.is_paid])).toEqual([
      ['pmp-1-reported-regular', 'R4', 'regular', true, true],
      ['pmp-2-reported-free', 'R4', 'free_customer_service', true, false],
      ['pmp-3-non-template', 'R4', 'free_customer_service', true, false],
      ['pmp-4-utility-in-csw', 'R4', 'free_customer_service', true, false],
      ['pmp-5-marketing-in-csw', 'R4', 'regular', true, true],
      ['pmp-6-utility-outside', 'R4', 'regular', true, true],
      ['pmp-7-in-fep', 'R4', 'free_entry_point', true, false],
      ['pmp-8-failed', 'R4', 'not_delivered', false, false],
    ]);
    expect(await usage('waba_id=PMP&from=2025-08&to=2025-08')).toEqual([
      { period: '2025-08', unit: 'message', all: 7, free: 4, paid: 3 },
    ]);
  });

  it('PMP worked example (§9.6): 3,800 messages, 2,300 free, 1,500 paid, 67.75', async () => {
    expect(await usage('waba_id=EX&from=2025-07&to=2025-07')).toEqual([
      { period: '2025-07', unit: 'message', all: 3800, free: 2300, paid: 1500 },
    ]);
    expect(await charges('waba_id=EX&from=2025-07&to=2025-07')).toEqual([
      { period: '2025-07', unit: 'message', currency: 'USD', paid: 1500, amount: '67.750000' },
    ]);
  });
});
