/**
 * Two partners with units in zones on either side of UTC, for the export and query tests: acme holds W_LA
 * (Los Angeles, P1/P2) and W_IN (Kolkata, P3); globex holds W_GX (UTC, PX). Units are priced from their rates
 * (marketing_lite, which no shipped card prices), so ledger charges exist too.
 */
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series } from '../usage/seed-units.js';

export interface ExportFixture {
  readonly h: Harness;
  readonly acme: string;
  readonly globex: string;
}

const pmp = { pricing_model: 'PMP' as const, is_template: true, category: 'marketing_lite' };

export async function exportFixture(env: Record<string, string> = {}): Promise<ExportFixture> {
  const h = await createHarness({ now: '2025-09-15T12:00:00Z', env });
  const acme = await h.partner('acme');
  const globex = await h.partner('globex');
  await h.waba(acme, { waba_id: 'W_LA', timezone: 'America/Los_Angeles' }, ['P1', 'P2']);
  await h.waba(acme, { waba_id: 'W_IN', timezone: 'Asia/Kolkata', currency: 'INR' }, ['P3']);
  await h.waba(globex, { waba_id: 'W_GX', timezone: 'UTC' }, ['PX']);
  // The prepaid accounts run from before these units, so their charges reach the ledger.
  for (const p of ['P1', 'P2', 'P3', 'PX'])
    await h.money.run(`INSERT INTO balance_starts VALUES ($p, DATE '2025-01-01', now(), 'test')`, { p });
  await seedUnits(h, acme, [
    // 03:00 UTC on Aug 1 is still July 31 in Los Angeles.
    ...series(
      3,
      '2025-08-01T03:00:00Z',
      { ...pmp, waba_id: 'W_LA', phone_number_id: 'P1', rate_in: '0.025' },
      'la-a',
    ),
    ...series(
      4,
      '2025-08-02T18:00:00Z',
      { ...pmp, waba_id: 'W_LA', phone_number_id: 'P2', rate_in: '0.0125' },
      'la-b',
    ),
    // 20:00 UTC on Aug 31 is already September 1 in Kolkata.
    ...series(
      2,
      '2025-08-31T20:00:00Z',
      { ...pmp, waba_id: 'W_IN', phone_number_id: 'P3', rate_in: '0.86' },
      'in-a',
    ),
  ]);
  await seedUnits(
    h,
    globex,
    series(
      5,
      '2025-08-05T10:00:00Z',
      { ...pmp, waba_id: 'W_GX', phone_number_id: 'PX', rate_in: '0.5' },
      'gx',
    ),
  );
  return { h, acme, globex };
}
