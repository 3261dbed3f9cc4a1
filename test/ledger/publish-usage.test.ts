/**
 * worker/ledger/publish-usage.ts and published-usage-copy.ts on each money store: two apps, each with its own
 * in-memory DuckDB analytics, share one money plane (PGlite, or a Postgres 15 server), as replicas do. The
 * source's ingest publishes the months it changed before it answers; the other app answers usage and charges
 * from its copy with the source's own rows and figures. Publishing is idempotent (the same months again: the
 * same rows under a higher version), a month marked and not published (a stop before the publication) is
 * published by the next pass, and a store that takes the source over replaces what the former source
 * published. With one store (STORE=duckdb) nothing is published.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { copyPublishedUsage } from '../../worker/ledger/published-usage-copy.js';
import { publishUsage } from '../../worker/ledger/publish-usage.js';
import { claimUsageSource } from '../../worker/ledger/usage-source.js';
import { usageView } from '../../worker/ledger/usage-view.js';
import { OWN_ROLLUPS } from '../../worker/usage/rollup-tables.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { describeOnStores, fileServer, STORE_KINDS, stopFileServer } from '../helpers/store-kinds.js';

afterAll(stopFileServer);

// The suite names its stores itself: the money-pglite project's TEST_MONEY_STORE would only run it again.
const again = process.env.TEST_MONEY_STORE !== undefined;
if (again) it.skip('published rollups: runs on its own stores in the unit project', () => undefined);

const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';
const NOW = '2026-11-20T12:00:00Z';
const USAGE = '/v1/usage?from=2026-10&to=2026-11&group_by=phone_number_id,category';
const DAYS = '/v1/charges?granularity=day&from=2026-10-25&to=2026-11-10&group_by=phone_number_id,market';

/** `count` units of E1 (marketing, priced) and E2 (utility, unpriced) of WABA `w` from `first` on, 11 h apart. */
function usageCsv(w: string, count: number, first = 0): string {
  const lines = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const at = new Date(Date.parse('2026-10-28T09:00:00Z') + i * 11 * 3_600_000).toISOString();
    const [phone, category, rate] = i % 3 === 0 ? ['E2', 'utility', ''] : ['E1', 'marketing', '0.0913'];
    return `${w}-${i},PMP,message,${w},${w}-${phone},49151123${String(i).padStart(5, '0')},${category},${at},true,${rate}`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

const body = async (h: Harness, key: string, path: string) => {
  const r = await h.json('GET', path, { token: key });
  expect(r.status).toBe(200);
  const { as_of: _moment, ...rest } = r.body as Record<string, unknown>;
  return rest;
};

describeOnStores('published rollups: %s', again ? [] : STORE_KINDS, (kind) => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.reverse()) await h.close();
    open.length = 0;
  });
  const env = async (id: string) =>
    kind === 'duckdb'
      ? { STORE: 'duckdb', REPLICA_ID: id }
      : kind === 'pglite'
        ? { STORE: 'pglite', REPLICA_ID: id }
        : { STORE: 'postgres', DATABASE_URL: (await fileServer()).url, REPLICA_ID: id };

  /** An app whose analytics is the money plane's usage source (whatever an earlier test left claimed). */
  const sourceApp = async (id: string) => {
    const h = await createHarness({ env: await env(id), now: NOW });
    open.push(h);
    await claimUsageSource(h, id, h.clock.now(), true);
    return h;
  };
  const replicaOf = async (a: Harness, id: string) => {
    const h = await createHarness({ env: await env(id), now: NOW, money: a.money });
    open.push(h);
    return h;
  };
  const tenant = async (a: Harness, w: string) => {
    const key = await a.partner(`p-${w}`);
    await a.waba(key, { waba_id: w, timezone: 'Europe/Berlin', currency: 'EUR' }, [`${w}-E1`, `${w}-E2`]);
    return key;
  };

  const ingest = async (h: Harness, key: string, csv: string) => {
    const r = await h.json('POST', '/v1/ingest', {
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.status).toBe(200);
  };

  it('the source publishes each ingest; another store answers from its copy with the same rows', async () => {
    const a = await sourceApp('a');
    const key = await tenant(a, 'WA');
    await ingest(a, key, usageCsv('WA', 40));
    if (kind === 'duckdb') {
      // One store: nothing to publish, the marks are dropped, every answer reads the store's own rollups.
      expect((await a.db.all('SELECT * FROM rollup_changes')).length).toBeGreaterThan(0);
      expect(await publishUsage(a, a.clock.now())).toEqual({ months: 0, rows: 0, version: null });
      expect(await a.db.all('SELECT * FROM rollup_changes')).toEqual([]);
      expect(await usageView(a, a.clock.now())).toEqual({ tables: OWN_ROLLUPS });
      return;
    }
    const b = await replicaOf(a, 'b');
    const source = await body(a, key, USAGE);
    expect(JSON.stringify(source)).toContain('"phone_number_id":"WA-E2"');
    expect(await body(b, key, USAGE)).toEqual(source);
    expect(await body(b, key, DAYS)).toEqual(await body(a, key, DAYS));

    // Published as the source holds it: the copy's daily rows are the source's, to the micro-unit.
    const rows = (h: Harness, table: string) =>
      h.db.all(
        `SELECT waba_id, phone_number_id, local_day, category, country, market, pricing_type, unit, currency,
                n_all, n_free, n_paid, n_unpriced, amount FROM ${table} ORDER BY ALL`,
      );
    expect(await rows(b, 'published_usage_daily')).toEqual(await rows(a, 'usage_daily'));
    expect(await a.db.all('SELECT * FROM rollup_changes')).toEqual([]);

    // A second ingest of the same months: the copy follows at the next request.
    await ingest(a, key, usageCsv('WA', 10, 40));
    expect(await body(b, key, USAGE)).toEqual(await body(a, key, USAGE));
    expect(await body(b, key, USAGE)).not.toEqual(source);
  }, 180_000);

  it.skipIf(kind === 'duckdb')(
    'publishes again idempotently and publishes a month left marked by a stop',
    async () => {
      const a = await sourceApp('a2');
      const b = await replicaOf(a, 'b2');
      const key = await tenant(a, 'WB');
      await ingest(a, key, usageCsv('WB', 30));
      // The daily rows the money plane holds for WB: each month's from the Parquet part of its version.
      const published = async () => {
        const parts = await a.money.all<{ version: string; parquet: string }>(
          `SELECT p.version::TEXT AS version, encode(p.parquet, 'base64') AS parquet FROM published_usage_parts p
            WHERE p.version IN (SELECT version FROM published_usage_months WHERE waba_id = 'WB') ORDER BY 1`,
        );
        const months = JSON.stringify(
          await a.money.all(
            "SELECT local_month::TEXT AS month, version::TEXT AS version FROM published_usage_months WHERE waba_id = 'WB'",
          ),
        );
        return a.db.withParquetFiles!(
          parts.map((p) => p.parquet),
          async (paths) => {
            const rows = [];
            for (const [i, part] of parts.entries())
              rows.push(
                ...(await a.db.all(
                  `SELECT waba_id, phone_number_id, local_day, category, n_all, amount FROM read_parquet($path)
                    WHERE waba_id = 'WB' AND CAST(local_month AS VARCHAR) IN (SELECT e->>'month'
                      FROM json_array_elements($months) AS r(e) WHERE e->>'version' = $version)
                    ORDER BY ALL`,
                  { path: paths[i]!, months, version: part.version },
                )),
              );
            return rows;
          },
        );
      };
      const first = await published();
      const version = async () =>
        Number(
          (await a.money.all<{ v: string }>('SELECT version::TEXT AS v FROM published_usage_head'))[0]!.v,
        );
      const v1 = await version();

      expect(first.length).toBeGreaterThan(0);
      expect(first).toEqual(
        await a.db.all(
          `SELECT waba_id, phone_number_id, local_day, category, n_all, amount FROM usage_daily
            WHERE waba_id = 'WB' ORDER BY ALL`,
        ),
      );

      // As a stop after the analytics commit leaves it: the months marked, the published rows older (here gone).
      await a.money.run('DELETE FROM published_usage_parts');
      await a.db.run(
        `INSERT INTO rollup_changes SELECT waba_id, local_month, nextval('rollup_change_seq')
         FROM (SELECT DISTINCT waba_id, local_month FROM usage_daily)`,
      );
      const again = await publishUsage(a, a.clock.now());
      expect(again.months).toBe(2);
      expect(await published()).toEqual(first);
      expect(await version()).toBe(v1 + 1);
      expect(await publishUsage(a, a.clock.now())).toEqual({ months: 0, rows: 0, version: null });
      await copyPublishedUsage(b, b.clock.now());
      expect(await body(b, key, USAGE)).toEqual(await body(a, key, USAGE));
    },
    180_000,
  );

  it.skipIf(kind === 'duckdb')(
    'a store that takes the source over replaces what the former source published',
    async () => {
      const a = await sourceApp('a3');
      const b = await replicaOf(a, 'b3');
      const key = await tenant(a, 'WC');
      await ingest(a, key, usageCsv('WC', 20));
      expect(((await body(b, key, USAGE)).rows as unknown[]).length).toBeGreaterThan(0);

      // b takes over with no usage of its own: its first publication empties every month a published.
      await claimUsageSource(b, 'b3', b.clock.now(), true);
      const replaced = await publishUsage(b, b.clock.now());
      expect(replaced.version).not.toBeNull();
      // Every month a published is emptied, so no part is pointed to any more and none is kept.
      expect(await a.money.all('SELECT version FROM published_usage_parts')).toEqual([]);
      expect((await body(a, key, USAGE)).rows).toEqual([]);
      expect(await usageView(b, b.clock.now())).toEqual({ tables: OWN_ROLLUPS });
      // a, no longer the source, publishes nothing even with months marked.
      await a.db.run(
        `INSERT INTO rollup_changes SELECT waba_id, local_month, nextval('rollup_change_seq')
         FROM (SELECT DISTINCT waba_id, local_month FROM usage_daily)`,
      );
      expect(await publishUsage(a, a.clock.now())).toMatchObject({ months: 0, skipped: 'not_usage_source' });
    },
    180_000,
  );
});
