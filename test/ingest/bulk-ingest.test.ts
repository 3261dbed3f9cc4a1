/**
 * The bulk ingest derives every unit while it reads a batch (land) and finishes whole months afterwards (settle).
 * These tests hold it to the re-derivation UPDATEs of refreshDerived, to input order across a large file, and to
 * its two-transaction protocol (a batch interrupted between the two leaves nothing).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COLUMNS, generateUnits } from '../../data/demo/generate-units.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { ensureDemoTenancy } from '../../worker/demo/demo-tenancy.js';
import { ingestUnits } from '../../worker/ingest/ingest-units.js';
import { landUnits } from '../../worker/ingest/land-units.js';
import { recordLanding } from '../../worker/ingest/record-batch.js';
import { discardInterruptedBatches } from '../../worker/ingest/recover-batches.js';
import { fileSource } from '../../worker/ingest/stage-units.js';
import { seedPricingData } from '../../worker/pricing/seed-pricing-data.js';
import { insertRateCard } from '../../worker/pricing/store-rate-card.js';
import { validateRateCardJson } from '../../worker/pricing/validate-rate-card.js';
import { recomputer, refreshDerived } from '../../worker/billing/recompute.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { systemDomain } from '../helpers/system-domain.js';

const NOW = new Date('2026-11-24T12:00:00Z');

const UNIT_SNAPSHOT = `
  SELECT unit_id, market, recipient_country, local_day, local_month, regime, pricing_type, is_counted, is_free,
         is_paid, rate, amount, rate_card_id, tier
    FROM units ORDER BY unit_id`;
const ROLLUP_SNAPSHOT = `SELECT * FROM usage_daily ORDER BY ALL`;
const LEDGER_SNAPSHOT = `SELECT phone_number_id, local_day, sum(amount) AS amount FROM ledger_movements
  WHERE local_day IS NOT NULL GROUP BY ALL ORDER BY ALL`;

describe('bulk ingest: land + settle', () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    h = await createHarness({ now: NOW.toISOString() });
    dir = await mkdtemp(join(tmpdir(), 'bulk-ingest-'));
    await ensureDemoTenancy(h.db, NOW);
  });
  afterAll(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ingestCsv = async (name: string, lines: readonly string[]) => {
    const path = join(dir, name);
    await writeFile(path, [DEMO_COLUMNS.join(','), ...lines].join('\n') + '\n');
    return ingestUnits(h.db, {
      recompute: recomputer(systemDomain()),
      format: 'csv',
      source: { kind: 'file', path, csvHeader: DEMO_COLUMNS },
      partnerId: null,
      now: NOW,
    });
  };

  it('derives exactly what the re-derivation UPDATEs derive, over demo data in quarterly batches', async () => {
    // The shipped cards carry almost no tier tables: a tiered India utility card makes volume tiers move here.
    await h.db.transaction(async (tx) => {
      await seedPricingData(tx, NOW);
      await insertRateCard(
        tx,
        validateRateCardJson({
          card_id: 'test-inr-tiered',
          effective_from: '2025-11-01',
          currency: 'INR',
          pricing_model: 'PMP',
          rates: [
            { market: 'India', category: 'marketing', rate: '0.7846' },
            { market: 'India', category: 'authentication', rate: '0.1150' },
            {
              market: 'India',
              category: 'utility',
              tiers: [
                { lower: 0, upper: 150, rate: '0.1150' },
                { lower: 151, upper: null, rate: '0.1081' },
              ],
            },
          ],
        }),
        { origin: 'upload', now: NOW },
      );
    });
    // Demo data in batches by quarter of arrival: the generator's duplicates and late corrections land in later
    // batches. Every third record comes without market and country, so the number lookup runs too.
    const market = DEMO_COLUMNS.indexOf('market');
    const country = DEMO_COLUMNS.indexOf('recipient_country');
    const batches = new Map<string, string[]>();
    let i = 0;
    for (const { day, row } of generateUnits({ units: 40_000 })) {
      const d = new Date(day);
      const key = `${d.getUTCFullYear()}-${Math.floor(d.getUTCMonth() / 3)}`;
      const r = [...row];
      if (i++ % 3 === 0) r[market] = r[country] = '';
      const b = batches.get(key) ?? [];
      b.push(r.join(','));
      batches.set(key, b);
    }
    let updated = 0;
    let duplicates = 0;
    for (const [key, lines] of batches) {
      const r = await ingestCsv(`q${key}.csv`, lines);
      updated += r.updated;
      duplicates += r.duplicates;
    }
    expect(updated).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThan(0);

    const units = await h.db.all(UNIT_SNAPSHOT);
    const rollups = await h.db.all(ROLLUP_SNAPSHOT);
    const ledger = await h.db.all(LEDGER_SNAPSHOT);
    const kinds = await h.db.all<{ pricing_type: string }>(
      'SELECT DISTINCT pricing_type::VARCHAR AS pricing_type FROM units ORDER BY 1',
    );
    // Every kind of unit is there: the comparison below covers the free tier, FEP, service and failed units.
    expect(kinds.map((k) => k.pricing_type)).toEqual([
      'free_customer_service',
      'free_entry_point',
      'free_tier',
      'not_delivered',
      'regular',
    ]);
    const [tiers] = await h.db.all<{ n: number }>(
      'SELECT count(*)::INTEGER AS n FROM units WHERE tier IS NOT NULL',
    );
    expect(tiers?.n).toBeGreaterThan(0);
    const [filled] = await h.db.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM units WHERE market IS NULL OR (market <> 'Other' AND recipient_country IS NULL)",
    );
    expect(filled?.n).toBe(0);

    const months = await h.db.all<{ waba_id: string; month: string }>(
      `SELECT DISTINCT waba_id, strftime(local_month, '%Y-%m-%d') AS month FROM units`,
    );
    await h.db.transaction((tx) => refreshDerived(tx, { wabaMonths: months, domain: systemDomain() }));
    expect(await h.db.all(UNIT_SNAPSHOT)).toEqual(units);
    expect(await h.db.all(ROLLUP_SNAPSHOT)).toEqual(rollups);
    expect(await h.db.all(LEDGER_SNAPSHOT)).toEqual(ledger);
    const [dupIds] = await h.db.all<{ n: number }>(
      'SELECT count(*)::INTEGER AS n FROM (SELECT unit_id FROM units GROUP BY 1 HAVING count(*) > 1)',
    );
    expect(dupIds?.n).toBe(0);
  }, 120_000);

  it('keeps the last record of a repeated unit_id even when the file is read in parallel chunks', async () => {
    // ~70 MB, so DuckDB reads it with several threads. 2,000 units appear twice, 1 to 150,000 lines apart, the
    // first time as marketing and the second as service; one appears at the first, middle and last line.
    const base = 'x-order,CBP,conversation,demo-waba-us,America/Los_Angeles,USD,demo-pn-us-shop,14155550101';
    const tail = ',,business_initiated,true,2024-12-03T10:00:00Z,,t,true,,false,read,,synthetic';
    const line = (id: string, phone: string, category: string) =>
      `${base.replace('x-order', id)},${phone},US,North America,${category}${tail}`;
    const lines: string[] = [];
    for (let n = 0; n < 400_000; n++)
      lines.push(line(`fill-${n}`, `1555${String(n).padStart(7, '0')}`, 'utility'));
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
    for (let k = 0; k < 2000; k++) {
      const at = next() % 250_000;
      const gap = 1 + (next() % (k % 2 ? 150_000 : 2_000));
      lines[at] = line(`rep-${k}`, '15550000001', 'marketing');
      lines[at + gap] = line(`rep-${k}`, '15550000002', 'service');
    }
    lines.unshift(line('dup-1', '15550000001', 'marketing'));
    lines.splice(200_000, 0, line('dup-1', '15550000002', 'authentication'));
    lines.push(line('dup-1', '15550000003', 'service'));
    await ingestCsv('order.csv', lines);
    const got = await h.db.all<{ category: string; recipient_wa_id: string }>(
      `SELECT category::VARCHAR AS category, recipient_wa_id FROM units WHERE unit_id = 'dup-1'`,
    );
    expect(got).toEqual([{ category: 'service', recipient_wa_id: '15550000003' }]);
    const last = new Map<string, string>();
    for (const l of lines) if (l.startsWith('rep-')) last.set(l.slice(0, l.indexOf(',')), l.split(',')[11]!);
    const stored = await h.db.all<{ unit_id: string; category: string }>(
      `SELECT unit_id, category::VARCHAR AS category FROM units WHERE unit_id LIKE 'rep-%' ORDER BY unit_id`,
    );
    expect(stored.length).toBe(last.size);
    expect(stored.filter((r) => r.category !== last.get(r.unit_id))).toEqual([]);
  }, 120_000);
});

describe('bulk ingest: column arrays (decoded Arrow IPC)', () => {
  it('stages the columns in a table and keeps the last record of a repeated unit_id', async () => {
    const h = await createHarness({ now: NOW.toISOString() });
    try {
      await ensureDemoTenancy(h.db, NOW);
      const n = 300_000;
      const col = (v: string) => new Array<string>(n).fill(v);
      const columns = {
        unit_id: Array.from({ length: n }, (_, i) => `a-${i}`),
        pricing_model: col('CBP'),
        unit: col('conversation'),
        waba_id: col('demo-waba-us'),
        phone_number_id: col('demo-pn-us-shop'),
        recipient_wa_id: col('15551230000'),
        category: col('utility'),
        opened_at: col('2024-12-01T10:00:00Z'),
        rate: col(''),
      };
      for (let k = 0; k < 500; k++) {
        const at = (k * 7919) % 150_000;
        const gap = 1 + ((k * 104_729) % 140_000);
        columns.unit_id[at] = columns.unit_id[at + gap] = `rep-${k}`;
        columns.category[at] = 'marketing';
        columns.category[at + gap] = 'service';
      }
      const last = new Map<string, string>();
      columns.unit_id.forEach((id, i) => id.startsWith('rep-') && last.set(id, columns.category[i]!));
      const r = await ingestUnits(h.db, {
        recompute: recomputer(systemDomain()),
        format: 'arrow',
        source: { kind: 'columns', columns },
        partnerId: null,
        now: NOW,
      });
      expect(r.rows).toBe(n);
      const stored = await h.db.all<{ unit_id: string; category: string }>(
        `SELECT unit_id, category::VARCHAR AS category FROM units WHERE unit_id LIKE 'rep-%'`,
      );
      expect(stored.length).toBe(last.size);
      expect(stored.filter((s) => s.category !== last.get(s.unit_id))).toEqual([]);
      // The empty rate column arrived as NULL: these units are priced by the card (or carry no record rate).
      const [rates] = await h.db.all<{ n: number }>('SELECT count(rate_in)::INTEGER AS n FROM units');
      expect(rates?.n).toBe(0);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('bulk ingest: a batch interrupted between landing and settling', () => {
  it('is discarded on the next start, leaving units, numbers and batches as they were', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-crash-'));
    const path = join(dir, 'store.duckdb');
    const csv = join(dir, 'batch.csv');
    try {
      let store = await openStore({ path }, new Date());
      await ensureDemoTenancy(store, NOW);
      const rows = [...generateUnits({ units: 3000, from: '2025-01-01', to: '2025-01-31' })].map((g) =>
        g.row.join(','),
      );
      await writeFile(csv, [DEMO_COLUMNS.join(','), ...rows].join('\n') + '\n');
      const counts = () =>
        store.all<{ u: number; b: number }>(
          `SELECT (SELECT count(*) FROM units)::INTEGER AS u, (SELECT count(*) FROM ingest_batches)::INTEGER AS b`,
        );
      const before = await counts();
      // The first transaction of an ingest, committed, and then the process "stops".
      await store.transaction(async (tx) => {
        const seq = await recordLanding(tx, { batch_id: 'ib_crash', format: 'csv', rows: 0 }, null, NOW);
        const source = await fileSource(tx, csv, 'csv', DEMO_COLUMNS);
        await landUnits(tx, { source, format: 'csv', partnerId: null, seq, now: NOW });
      });
      expect((await counts())[0]?.u).toBe(rows.length);
      await store.close();

      store = await openStore({ path }, new Date());
      expect(await store.transaction((tx) => discardInterruptedBatches(tx))).toBe(1);
      expect(await counts()).toEqual(before);
      // The same file then ingests normally.
      const r = await ingestUnits(store, {
        recompute: recomputer(systemDomain()),
        format: 'csv',
        source: { kind: 'file', path: csv, csvHeader: DEMO_COLUMNS },
        partnerId: null,
        now: NOW,
      });
      expect(r.rows).toBe(rows.length);
      expect(await store.transaction((tx) => discardInterruptedBatches(tx))).toBe(0);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
