import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEY } from '../../data/demo/demo-profile.js';
import { DEMO_COLUMNS, generateUnits } from '../../data/demo/generate-units.js';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { seedDemoIfEmpty } from '../../worker/ingest/seed-demo.js';
import { nodeHost } from '../../worker/node-host.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const col = (name: (typeof DEMO_COLUMNS)[number]) => DEMO_COLUMNS.indexOf(name);

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

describe('worker/ingest/seed-demo', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ now: '2026-11-24T12:00:00Z' });
    const deps = {
      db: h.db,
      clock: h.clock,
      config: normalizeConfig({ DEMO_MODE: 'true' }),
      log: silentLogger,
      host: nodeHost(h.db),
    };
    expect(await seedDemoIfEmpty(deps, { units: 30000 })).toBe(true);
    expect(await seedDemoIfEmpty(deps, { units: 30000 })).toBe(false);
  }, 120_000);
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
    expect(b?.units).toBeGreaterThan(27000);
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
