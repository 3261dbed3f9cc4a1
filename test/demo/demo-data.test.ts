import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEY } from '../../data/demo/demo-profile.js';
import { DEMO_COLUMNS, generateUnits } from '../../data/demo/generate-units.js';
import { withDomainContext } from '../../worker/app-services.js';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { seedDemoIfEmpty } from '../../worker/demo/seed-demo.js';
import { nodeHost } from '../../worker/node-host.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const col = (name: (typeof DEMO_COLUMNS)[number]) => DEMO_COLUMNS.indexOf(name);
const NOW = '2026-12-06T08:00:00Z';

describe('data/demo generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const take = (seed: number) => {
      const out: string[] = [];
      for (const { row } of generateUnits({ seed, units: 5000 })) {
        out.push(row.join(','));
        if (out.length === 50) break;
      }
      return out;
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  it('switches from CBP conversations to PMP messages at each WABA’s local PMP date', () => {
    const seen = new Map<string, Set<string>>();
    for (const { row } of generateUnits({ units: 20000, from: '2025-06-25', to: '2025-07-05' })) {
      const key = `${row[col('waba_id')]}|${row[col('pricing_model')]}|${row[col('unit')]}`;
      const days = seen.get(key) ?? new Set<string>();
      days.add(row[col('opened_at')]!.slice(0, 10));
      seen.set(key, days);
    }
    const inZone = [...(seen.get('demo-waba-in|PMP|message') ?? [])].sort();
    // Kolkata is UTC+5:30: its July 1 starts on June 30 at 18:30 UTC.
    expect(inZone[0]).toBe('2025-06-30');
    expect(seen.has('demo-waba-in|PMP|conversation')).toBe(false);
    expect([...(seen.get('demo-waba-us|CBP|conversation') ?? [])].sort().at(-1)).toBe('2025-07-01');
  });
});

describe('worker/demo/seed-demo', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ now: NOW });
    const deps = withDomainContext({
      db: h.db,
      money: h.money,
      clock: h.clock,
      config: normalizeConfig({ DEMO_MODE: 'true' }),
      log: silentLogger,
      host: nodeHost(h.db),
      services: h.services,
    });
    // Full size: the R5 free allowance (1,000 service messages per number and month) needs real volumes.
    expect(await seedDemoIfEmpty(deps)).toBe(true);
    expect(await seedDemoIfEmpty(deps)).toBe(false);
  }, 240_000);
  afterAll(() => h.close());

  it('creates the demo partner with its fixed key, WABAs in three zones and their numbers', async () => {
    const r = await h.json('GET', '/v1/wabas', { token: DEMO_API_KEY });
    expect(r.status).toBe(200);
    expect(
      r.body.wabas.map((w: { timezone: string; currency: string }) => `${w.timezone} ${w.currency}`),
    ).toEqual(['Europe/Berlin EUR', 'Asia/Kolkata INR', 'America/Los_Angeles USD']);
    const p = await h.json('GET', '/v1/phone-numbers', { token: DEMO_API_KEY });
    expect(p.body.phone_numbers.length).toBe(8);
  });

  it('loads the units in batches with duplicates and late corrections', async () => {
    const [b] = await h.db.all<{ batches: number; dup: number; upd: number; units: number }>(
      `SELECT count(*)::INTEGER AS batches, sum(rows_dup)::INTEGER AS dup, sum(rows_updated)::INTEGER AS upd,
              (SELECT count(*) FROM units)::INTEGER AS units FROM ingest_batches`,
    );
    expect(b?.batches).toBe(14);
    expect(b?.units).toBeGreaterThan(140000);
    expect(b?.dup).toBeGreaterThan(50);
    expect(b?.upd).toBeGreaterThan(0);
  });

  it('has weekly and holiday seasonality', async () => {
    const monthly = await h.db.all<{ waba_id: string; m: string; n: number }>(
      `SELECT waba_id, strftime(local_month, '%Y-%m') AS m, count(*)::INTEGER AS n FROM units
        WHERE local_month IN (DATE '2024-09-01', DATE '2024-11-01') GROUP BY ALL ORDER BY ALL`,
    );
    const n = (w: string, m: string) => monthly.find((r) => r.waba_id === w && r.m === m)?.n ?? 0;
    // Black Friday in the US, Diwali (Nov 1, 2024) in India.
    expect(n('demo-waba-us', '2024-11')).toBeGreaterThan(n('demo-waba-us', '2024-09') * 1.15);
    expect(n('demo-waba-in', '2024-11')).toBeGreaterThan(n('demo-waba-in', '2024-09') * 1.1);
    const [week] = await h.db.all<{ weekday: number; sunday: number }>(
      `SELECT (count(*) FILTER (WHERE dayofweek(local_day) = 3))::INTEGER AS weekday,
              (count(*) FILTER (WHERE dayofweek(local_day) = 0))::INTEGER AS sunday
         FROM units WHERE waba_id = 'demo-waba-de'`,
    );
    expect(week!.sunday).toBeLessThan(week!.weekday * 0.7);
  });

  it('runs up to the service’s clock', async () => {
    const [r] = await h.db.all<{ last: string }>(
      `SELECT strftime(max(opened_at), '%Y-%m-%dT%H:%M:%SZ') AS last FROM units`,
    );
    expect(r!.last <= NOW).toBe(true);
    expect(Date.parse(NOW) - Date.parse(r!.last)).toBeLessThan(86_400_000);
  });

  it('gives every paid unit of every number a rate in every month, from the shipped cards for USD', async () => {
    // A paid unit with no rate, or priced at zero, would be a charge nobody could invoice.
    const unpriced = await h.db.all<{ phone_number_id: string; m: string; n: number }>(
      `SELECT phone_number_id, strftime(local_month, '%Y-%m') AS m, count(*)::INTEGER AS n FROM units
        WHERE is_paid AND (rate IS NULL OR amount IS NULL OR amount <= 0) GROUP BY ALL ORDER BY ALL`,
    );
    expect(unpriced).toEqual([]);
    // The US records carry no rate of their own: every paid one is priced by a shipped card.
    const [us] = await h.db.all<{ n: number; carded: number }>(
      `SELECT count(*)::INTEGER AS n, count(rate_card_id)::INTEGER AS carded FROM units
        WHERE is_paid AND waba_id = 'demo-waba-us'`,
    );
    expect(us!.n).toBeGreaterThan(10000);
    expect(us!.carded).toBe(us!.n);
    // Every number has paid units, and charges, in every month from its first through November 2026.
    const months = await h.db.all<{ phone_number_id: string; n: number; first: string; last: string }>(
      `SELECT phone_number_id, count(DISTINCT local_month)::INTEGER AS n,
              strftime(min(local_month), '%Y-%m') AS first, strftime(max(local_month), '%Y-%m') AS last
         FROM usage_monthly WHERE n_paid > 0 AND amount > 0 GROUP BY 1 ORDER BY 1`,
    );
    expect(months.length).toBe(8);
    for (const m of months) {
      expect(m.first).toBe('2023-07');
      expect(m.last).toBe('2026-12');
      expect(m.n).toBe(42);
    }
    const charges = await h.json('GET', '/v1/charges?from=2023-07&to=2026-12&group_by=phone_number_id', {
      token: DEMO_API_KEY,
    });
    const zero = charges.body.rows.filter(
      (r: { paid: number; amount: string }) => r.paid > 0 && Number(r.amount) <= 0,
    );
    expect(zero).toEqual([]);
  });

  it('charges service from October 2026 after 1,000 free service messages per number and month', async () => {
    const rows = await h.db.all<{
      m: string;
      pricing_type: string;
      market: string;
      n: number;
      amount: string | null;
    }>(
      `SELECT strftime(local_month, '%Y-%m') AS m, pricing_type::VARCHAR AS pricing_type, market, count(*)::INTEGER AS n,
              CAST(sum(amount) AS VARCHAR) AS amount
         FROM units WHERE phone_number_id = 'demo-pn-us-care' AND category = 'service' AND is_counted
          AND local_month BETWEEN DATE '2026-09-01' AND DATE '2026-11-01'
        GROUP BY ALL ORDER BY ALL`,
    );
    const count = (m: string, t: string) =>
      rows.filter((r) => r.m === m && r.pricing_type === t).reduce((a, r) => a + r.n, 0);
    expect(count('2026-09', 'free_customer_service')).toBeGreaterThan(500);
    expect(count('2026-09', 'regular')).toBe(0);
    // Service is priced at the 2026-10-01 card's service row (the market's utility rate).
    const card = JSON.parse(await readFile('data/rate-cards/usd-pmp-2026-10-01.json', 'utf8')) as {
      rates: { market: string; category: string; rate: string }[];
    };
    const micros = (d: string) => BigInt(d.replace('.', '').padEnd(d.indexOf('.') + 6, '0'));
    for (const m of ['2026-10', '2026-11']) {
      expect(count(m, 'free_tier')).toBe(1000);
      expect(count(m, 'regular')).toBeGreaterThan(0);
      for (const r of rows.filter((x) => x.m === m && x.pricing_type === 'regular')) {
        const rate = card.rates.find((x) => x.market === r.market && x.category === 'service')!.rate;
        expect(micros(r.amount!)).toBe(BigInt(r.n) * micros(rate));
      }
    }
    // Utility inside the window is charged again from October.
    const [utl] = await h.db.all<{ sep: number; oct: number }>(
      `SELECT count(*) FILTER (WHERE local_month = DATE '2026-09-01' AND is_paid)::INTEGER AS sep,
              count(*) FILTER (WHERE local_month = DATE '2026-10-01' AND is_paid)::INTEGER AS oct
         FROM units WHERE waba_id = 'demo-waba-us' AND category = 'utility' AND in_csw`,
    );
    expect(utl).toMatchObject({ sep: 0 });
    expect(utl!.oct).toBeGreaterThan(0);
  });

  it('leaves the ledger in balance with the usage of every number (reconciliation check)', async () => {
    const r = await h.json('GET', '/v1/reconciliation', { token: DEMO_API_KEY });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ in_balance: true, drift_days: 0, numbers_checked: 8 });
    // Three currencies, each with real charges that the ledger has posted to the micro-unit.
    expect(r.body.totals.map((t: { currency: string }) => t.currency)).toEqual(['EUR', 'INR', 'USD']);
    for (const t of r.body.totals as { expected: string; posted: string }[]) {
      expect(Number(t.expected)).toBeGreaterThan(0);
      expect(t.posted).toBe(t.expected);
    }
  });

  it('loads the shipped sample files with the demo key', async () => {
    const post = async (file: string, type: string) =>
      h.json('POST', '/v1/ingest', {
        token: DEMO_API_KEY,
        body: await readFile(`data/demo/${file}`, 'utf8'),
        headers: { 'content-type': type },
      });
    const units = await post('sample-units.csv', 'text/csv');
    expect(units.body).toMatchObject({ rows: 24, inserted: 24 });
    const hooks = await post('sample-webhooks.ndjson', 'application/vnd.whatsapp.webhooks+x-ndjson');
    // Two PMP messages (one only read, one delivered twice) and one CBP conversation failed-then-delivered.
    expect(hooks.body).toMatchObject({ rows: 7, inserted: 3, duplicates: 1, inbound_messages: 1 });
    const [conv] = await h.db.all(
      `SELECT status_final, strftime(local_month, '%Y-%m') AS m FROM units WHERE unit_id = 'sampleconv1'`,
    );
    expect(conv).toEqual({ status_final: 'delivered', m: '2025-05' });
  });
});
