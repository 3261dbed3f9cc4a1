/**
 * POST /v1/query on a replica that is not the usage source (two apps on one PGlite money plane, each with its
 * own DuckDB): the sandbox's usage_daily, usage_monthly and charges are the published rollups and its ledger the
 * money plane's, so a query over them answers what it answers on the source. The sandbox has no units there: a
 * query that reads them is 409 not_usage_source naming the source (a CTE of that name is no reference to them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/harness.js';
import { offSourcePair, type OffSourcePair } from '../helpers/off-source-pair.js';

const NOW = '2026-11-20T12:00:00Z';

const ANSWERED = [
  'SELECT * FROM usage_daily ORDER BY ALL',
  'SELECT local_month, category, sum(n_paid) AS paid, sum(amount) AS amount FROM usage_monthly GROUP BY ALL ORDER BY ALL',
  'SELECT * FROM charges ORDER BY ALL',
  'SELECT kind, amount, currency, local_date FROM ledger ORDER BY ALL',
  'SELECT p.phone_number_id, p.timezone, sum(d.n_all) AS n FROM phone_numbers p LEFT JOIN usage_daily d USING (phone_number_id) GROUP BY ALL ORDER BY ALL',
  'WITH units AS (SELECT 1 AS x) SELECT x FROM units',
];

const NEEDS_UNITS = [
  'SELECT count(*) FROM units',
  'SELECT local_day, (SELECT count(*) FROM Units) AS n FROM usage_daily LIMIT 1',
  'SELECT * FROM main.units',
];

describe('worker/sql off the usage source', () => {
  let p: OffSourcePair;
  beforeAll(async () => {
    p = await offSourcePair({
      waba: 'WQ',
      now: NOW,
      units: 120,
      firstTopUp: { amount: '25', at: '2026-10-02T10:00:00Z' },
    });
  }, 120_000);
  afterAll(() => p?.close());

  const query = async (h: Harness, sql: string, format = 'json') => {
    const res = await h.call('POST', `/v1/query?format=${format}`, {
      token: p.key,
      body: { sql, from: '2026-09', to: '2026-11' },
    });
    const text = await res.text();
    if (format !== 'json' || res.status !== 200) return { status: res.status, body: text as unknown };
    // as_of is when the sandbox was built.
    const { as_of: _built, ...body } = JSON.parse(text) as Record<string, unknown>;
    return { status: res.status, body: body as unknown };
  };

  it('answers queries over the rollups, the ledger and the numbers as the source does', async () => {
    expect(await p.replica.db.all('SELECT * FROM usage_daily')).toEqual([]);
    for (const sql of ANSWERED)
      for (const format of ['json', 'csv']) {
        const want = await query(p.source, sql, format);
        expect(want.status).toBe(200);
        expect({ sql, format, ...(await query(p.replica, sql, format)) }).toEqual({ sql, format, ...want });
      }
    const { body } = await query(p.replica, ANSWERED[0]!);
    expect((body as { rows: unknown[] }).rows.length).toBeGreaterThan(20);
  });

  it('refuses a query that reads the units with 409 not_usage_source naming the source', async () => {
    for (const sql of NEEDS_UNITS) {
      const res = await p.replica.json('POST', '/v1/query', { token: p.key, body: { sql } });
      expect({ sql, status: res.status }).toEqual({ sql, status: 409 });
      expect(res.body).toMatchObject({
        code: 'not_usage_source',
        usage_source: { claimed_by: 'WQ-source' },
        needs: expect.stringContaining('units'),
      });
      expect((await query(p.source, sql)).status).toBe(200);
    }
    // Other mistakes keep their own answers.
    const bad = await p.replica.json('POST', '/v1/query', {
      token: p.key,
      body: { sql: 'SELECT * FROM nope' },
    });
    expect(bad.body).toMatchObject({ code: 'query_invalid' });
    const refused = await p.replica.json('POST', '/v1/query', {
      token: p.key,
      body: { sql: 'DROP TABLE units' },
    });
    expect(refused.body).toMatchObject({ code: 'query_not_allowed' });
  });
});
