import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { insertUnits, type TestUnit } from '../../pricing/insert-units.js';

// Today is 2026-11-24. Number X sent marketing conversations from 2023-07 (CBP) and marketing messages from
// 2025-07 (PMP), about two messages per former conversation, with a November and December peak every year.
// Only 16 months of messages exist: without the conversations the forecast could not see a season.
let h: Harness;
let key: string;
const PEAK = [1, 0.95, 1, 1, 1.05, 1, 0.95, 0.9, 1, 1.1, 1.8, 2.2];

function monthsFrom(start: string, count: number): string[] {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, k) => {
    const i = y * 12 + m - 1 + k;
    return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  });
}

function unitsOf(period: string, n: number, model: 'CBP' | 'PMP'): TestUnit[] {
  return Array.from({ length: n }, (_, i) => ({
    unit_id: `X-${period}-${i}`,
    waba_id: 'W',
    phone_number_id: 'X',
    recipient: '+436641234567',
    category: 'marketing',
    pricing_model: model,
    is_template: true,
    opened_at: `${period}-${String(2 + (i % 25)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z`,
  }));
}

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-24T12:00:00Z' });
  key = await h.partner('acme');
  await h.waba(key, { waba_id: 'W', timezone: 'Europe/Vienna' }, ['X']);
  const units = monthsFrom('2023-07', 40).flatMap((p, k) => {
    const month = Number(p.slice(5)) - 1;
    const wobble = 1 + 0.04 * Math.sin(k * 2.7);
    const messages = 60 * (1 + 0.01 * k) * PEAK[month]! * wobble;
    return p < '2025-07'
      ? unitsOf(p, Math.round(messages / 2), 'CBP')
      : unitsOf(p, Math.round(messages), 'PMP');
  });
  await insertUnits(h.db, units);
});
afterAll(() => h.close());

describe('forecasts across the per-message switch (2025-07)', () => {
  it('converts the conversation years into message-equivalents and forecasts the December peak', async () => {
    const r = await h.json('GET', '/v1/forecasts/usage?phone_number_id=X&horizon=12', { token: key });
    expect(r.status).toBe(200);
    const b = r.body;
    expect(b.unit).toBe('message');
    expect(b.history_basis).toMatchObject({
      converted_from: 'conversation',
      switch_month: '2025-07',
      months_converted: 24,
    });
    expect(b.history_basis.ratio).toBeGreaterThan(1.8);
    expect(b.history_basis.ratio).toBeLessThan(2.2);
    expect(b.history_basis.ratio_80[0]).toBeLessThan(b.history_basis.ratio);
    expect(b.history).toHaveLength(40);
    expect(b.history[0]).toMatchObject({ period: '2023-07', unit: 'conversation' });
    expect(b.history[0].message_equivalent).toBeCloseTo(b.history[0].value * b.history_basis.ratio, 0);
    expect(b.history_note).toMatch(/message-equivalents/);
    const at = (p: string) => b.forecast.find((f: { period: string }) => f.period === p).mean as number;
    // A yearly-seasonal forecast: December well above the spring months, as in every year of the history.
    expect(at('2026-12')).toBeGreaterThan(1.7 * at('2027-03'));
    expect(at('2026-11')).toBeGreaterThan(1.4 * at('2027-03'));
    expect(b.method).toMatch(/seasonal|ETS\([AM],[A-Za-z]+,[AM]\)|snaive/);
    // The ratio's uncertainty is in the intervals: they hold the mean and widen with the horizon.
    for (const f of b.forecast) expect(f.upper_80).toBeGreaterThan(f.mean);
  });

  it('prices the converted forecast: the charges forecast keeps the December peak', async () => {
    const r = await h.json('GET', '/v1/forecasts/charges?phone_number_id=X&horizon=6', { token: key });
    expect(r.status).toBe(200);
    expect(r.body.history_basis.converted_from).toBe('conversation');
    const at = (p: string) => Number(r.body.forecast.find((f: { period: string }) => f.period === p).mean);
    expect(at('2026-12')).toBeGreaterThan(1.7 * at('2027-03'));
  });
});
