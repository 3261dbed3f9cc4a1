import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

/** The calendar day of an instant in a zone, computed by Intl (independently of DuckDB's ICU). */
const dayIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
const hourIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(iso))
    .replace(', ', 'T') + ':00';

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

interface Seed {
  unit_id: string;
  waba_id: string;
  phone_number_id: string;
  opened_at: string;
  template_name: string;
  direction: string;
}

/** One unit every 30 minutes from start (UTC) for `hours` hours. */
function halfHourly(prefix: string, start: string, hours: number, waba: string, phone: string): Seed[] {
  return Array.from({ length: hours * 2 }, (_, i) => ({
    unit_id: `${prefix}-${i}`,
    waba_id: waba,
    phone_number_id: phone,
    opened_at: new Date(Date.parse(start) + i * 30 * 60_000).toISOString(),
    template_name: i % 3 === 0 ? 'promo' : 'digest',
    direction: 'business_initiated',
  }));
}

// Ranges by day, buckets by hour to quarter, and zones: each WABA's own (default), UTC or any IANA zone.
describe('usage and charges: ranges, granularities and zones', () => {
  let h: Harness;
  let key: string;
  // Los Angeles falls back on 2025-11-02 (a 25-hour day); Kolkata's September starts at 18:30 UTC on Aug 31.
  const la = halfHourly('la', '2025-10-31T00:00:00Z', 96, 'W_LA', 'P1');
  const ind = halfHourly('in', '2025-08-31T12:00:00Z', 18, 'W_IN', 'P3');
  const all = [...la, ...ind];
  const get = (q: string) => h.json('GET', q, { token: key });

  beforeAll(async () => {
    h = await createHarness({ now: '2025-11-20T12:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W_LA', timezone: 'America/Los_Angeles' }, ['P1']);
    await h.waba(key, { waba_id: 'W_IN', timezone: 'Asia/Kolkata', currency: 'INR' }, ['P3']);
    const lines = all.map((u) =>
      JSON.stringify({
        ...u,
        pricing_model: 'PMP',
        unit: 'message',
        recipient_wa_id: '15550001111',
        recipient_country: 'US',
        market: 'North America',
        category: 'marketing',
        is_template: true,
        status_final: 'delivered',
        rate: '0.025',
      }),
    );
    const res = await h.call('POST', '/v1/ingest', {
      token: key,
      body: lines.join('\n') + '\n',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.status).toBe(200);
  });
  afterAll(() => h.close());

  it('buckets a Los Angeles day range across the DST change by local day (25-hour November 2)', async () => {
    const r = await get('/v1/usage?waba_id=W_LA&from=2025-11-01&to=2025-11-03&granularity=day');
    expect(r.status).toBe(200);
    const expected = countBy(
      la.filter((u) => {
        const d = dayIn(u.opened_at, 'America/Los_Angeles');
        return d >= '2025-11-01' && d <= '2025-11-03';
      }),
      (u) => dayIn(u.opened_at, 'America/Los_Angeles'),
    );
    expect(expected['2025-11-02']).toBe(50);
    expect(
      Object.fromEntries(r.body.rows.map((x: { period: string; all: number }) => [x.period, x.all])),
    ).toEqual(expected);
    expect(r.body).toMatchObject({ from: '2025-11-01', to: '2025-11-03', granularity: 'day' });
  });

  it('buckets by local hour in Los Angeles: the repeated 01:00 holds both hours', async () => {
    const r = await get('/v1/usage?waba_id=W_LA&from=2025-11-02&to=2025-11-02&granularity=hour');
    const expected = countBy(
      la.filter((u) => dayIn(u.opened_at, 'America/Los_Angeles') === '2025-11-02'),
      (u) => hourIn(u.opened_at, 'America/Los_Angeles'),
    );
    expect(expected['2025-11-02T01:00']).toBe(4);
    expect(
      Object.fromEntries(r.body.rows.map((x: { period: string; all: number }) => [x.period, x.all])),
    ).toEqual(expected);
  });

  it('puts Kolkata’s month end in its own zone by default, and in UTC when asked', async () => {
    const local = await get('/v1/usage?waba_id=W_IN&from=2025-08&to=2025-09&granularity=month');
    const inIst = countBy(ind, (u) => dayIn(u.opened_at, 'Asia/Kolkata').slice(0, 7));
    expect(inIst).toEqual({ '2025-08': 13, '2025-09': 23 });
    expect(
      Object.fromEntries(local.body.rows.map((x: { period: string; all: number }) => [x.period, x.all])),
    ).toEqual(inIst);
    const days = await get(
      '/v1/usage?waba_id=W_IN&from=2025-08-31&to=2025-09-01&granularity=day&tz=Asia/Kolkata',
    );
    expect(
      Object.fromEntries(days.body.rows.map((x: { period: string; all: number }) => [x.period, x.all])),
    ).toEqual(countBy(ind, (u) => dayIn(u.opened_at, 'Asia/Kolkata')));
    const utc = await get('/v1/usage?waba_id=W_IN&from=2025-08&to=2025-09&granularity=month&tz=UTC');
    expect(utc.body.tz).toBe('UTC');
    expect(
      Object.fromEntries(utc.body.rows.map((x: { period: string; all: number }) => [x.period, x.all])),
    ).toEqual(countBy(ind, (u) => u.opened_at.slice(0, 7)));
  });

  it('answers tz=UTC by day for all numbers like an independent count of the units, with charges', async () => {
    const r = await get('/v1/charges?from=2025-08-01&to=2025-11-30&granularity=day&tz=UTC&group_by=waba_id');
    const expected = countBy(all, (u) => `${u.opened_at.slice(0, 10)}|${u.waba_id}`);
    const got: Record<string, number> = {};
    for (const x of r.body.rows as { period: string; waba_id: string; paid: number; amount: string }[]) {
      got[`${x.period}|${x.waba_id}`] = x.paid;
      expect(x.amount).toBe((x.paid * 0.025).toFixed(6));
    }
    expect(got).toEqual(expected);
  });

  it('groups by WABA, market, template and direction over several WABAs, by week and quarter', async () => {
    const r = await get(
      '/v1/usage?waba_id=W_LA,W_IN&from=2025-08&to=2025-11&granularity=quarter&group_by=waba_id,market,template_name,direction',
    );
    expect(r.status).toBe(200);
    const expected = countBy(all, (u) => {
      const d = dayIn(u.opened_at, u.waba_id === 'W_LA' ? 'America/Los_Angeles' : 'Asia/Kolkata');
      return `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}|${u.waba_id}|${u.template_name}`;
    });
    const got = Object.fromEntries(
      r.body.rows.map((x: Record<string, string | number>) => {
        expect(x).toMatchObject({ market: 'North America', direction: 'business_initiated' });
        return [`${x.period}|${x.waba_id}|${x.template_name}`, x.all];
      }),
    );
    expect(got).toEqual(expected);
    const weeks = await get('/v1/usage?waba_id=W_LA&from=2025-10-27&to=2025-11-09&granularity=week');
    expect(weeks.body.rows.map((x: { period: string }) => x.period)).toEqual(['2025-10-27', '2025-11-03']);
  });

  it('pages with limit and cursor, and refuses a cursor of another query', async () => {
    const base = '/v1/usage?from=2025-08-01&to=2025-11-30&granularity=hour&tz=UTC';
    const whole = await get(base);
    const pages: unknown[] = [];
    let cursor: string | null = null;
    let calls = 0;
    do {
      const q: string = `${base}&limit=17${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await get(q);
      expect(page.status).toBe(200);
      expect(page.body.rows.length).toBeLessThanOrEqual(17);
      pages.push(...page.body.rows);
      cursor = page.body.next_cursor;
      calls += 1;
    } while (cursor);
    expect(calls).toBe(Math.ceil(whole.body.rows.length / 17));
    expect(pages).toEqual(whole.body.rows);
    const first = await get(`${base}&limit=17`);
    const other = await get(
      `/v1/usage?from=2025-08-01&to=2025-11-30&granularity=day&limit=17&cursor=${first.body.next_cursor}`,
    );
    expect(other.status).toBe(400);
    expect(other.body.issues[0].column).toBe('cursor');
    const bad = await get('/v1/usage?tz=Mars/Olympus&limit=0');
    expect(bad.body.issues.map((i: { column: string }) => i.column).sort()).toEqual(['limit', 'tz']);
  });
});
