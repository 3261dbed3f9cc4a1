/**
 * Three replicas on one Postgres server, each with its own analytics DuckDB; only the usage source holds units.
 * After an ingest through the source, the runway, each export the rollups or the ledger answer (usage_daily,
 * usage_monthly, charges, ledger; CSV byte for byte, Parquet row for row with the same metadata but the moment
 * of the answer) and POST /v1/query over the rollup tables, the ledger and the numbers answer on the other
 * replicas what they answer on the source, from the published rollups (none of those replicas holds a unit,
 * and every compared answer holds rows). What needs the units (the units export, a lake export of them, a query
 * reading them) is 409 not_usage_source naming the source there. A second ingest is followed: the time from
 * its answer to the same answers on another replica is printed. Skipped, with the reason, only where the
 * Postgres 15 binaries are missing.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairUnitsCsv } from '../helpers/off-source-pair.js';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { addFunds, createTenant } from './replica-api.js';

const skipped = postgresUnavailable();
const REPLICAS = 3;
const WABA = 'rr-waba';
const PHONE = `${WABA}-E1`;
/** The tenancy mirror of another replica follows within 2 s: answers that name numbers may wait for it. */
const SAME_WITHIN_MS = 8_000;
const TABLES = ['usage_daily', 'usage_monthly', 'charges', 'ledger'] as const;
const QUERIES = [
  'SELECT * FROM usage_daily ORDER BY ALL',
  'SELECT local_month, category, sum(n_paid) AS paid, sum(amount) AS amount FROM usage_monthly GROUP BY ALL ORDER BY ALL',
  'SELECT * FROM charges ORDER BY ALL',
  'SELECT kind, amount, currency, status, local_date FROM ledger ORDER BY ALL',
  'SELECT p.phone_number_id, sum(d.n_all) AS n FROM phone_numbers p JOIN usage_daily d USING (phone_number_id) GROUP BY ALL ORDER BY ALL',
];

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: runway, exports and queries off the usage source', () => {
  let r: Replicas;
  let key: string;
  let dir: string;
  let source = -1;
  const others = () => Array.from({ length: REPLICAS }, (_, i) => i).filter((i) => i !== source);

  /** A Parquet file's rows and key-value metadata, read by DuckDB, without the moment of the answer. */
  const parquet = async (bytes: Uint8Array, name: string) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      await conn.run("SET TimeZone = 'UTC'");
      const rows = (await conn.runAndReadAll(`SELECT * FROM '${path}'`)).getRowObjectsJson();
      const meta = (
        await conn.runAndReadAll(
          `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${path}') WHERE decode(key) <> 'as_of' ORDER BY 1`,
        )
      ).getRowObjectsJson();
      return { rows, meta };
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  };

  /** Every compared answer of replica `i`, normalised where an answer names its own moment. */
  const answers = async (i: number) => {
    const out: Record<string, unknown> = {};
    const runway = await r.fetch(i, `/v1/phone-numbers/${PHONE}/runway`, { token: key });
    const { as_of: _a, ...rest } = (await runway.json()) as Record<string, unknown>;
    out.runway = { status: runway.status, ...rest };
    for (const table of TABLES) {
      const csv = await r.fetch(i, `/v1/exports/${table}?format=csv`, { token: key });
      out[`${table}.csv`] = {
        status: csv.status,
        schema: csv.headers.get('x-table-schema'),
        body: await csv.text(),
      };
      const pq = await r.fetch(i, `/v1/exports/${table}?format=parquet`, { token: key });
      const bytes = new Uint8Array(await pq.arrayBuffer());
      out[`${table}.parquet`] = pq.status === 200 ? await parquet(bytes, `${table}-${i}.parquet`) : pq.status;
    }
    for (const sql of QUERIES) {
      const q = await r.fetch(i, '/v1/query', { method: 'POST', token: key, body: JSON.stringify({ sql }) });
      const { as_of: _b, ...body } = (await q.json()) as Record<string, unknown>;
      out[sql] = { status: q.status, ...body };
    }
    return out;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replica-reads-'));
    // Every query builds its sandbox anew, so an answer never comes from one cached before an ingest.
    r = await startReplicas({ count: REPLICAS, env: { QUERY_CACHE_MS: '0' } });
    const [claim] = await r.query<{ claimed_by: string }>('SELECT claimed_by FROM usage_source');
    source = Array.from({ length: REPLICAS }, (_, i) => i).find((i) => r.id(i) === claim?.claimed_by) ?? -1;
    key = await createTenant(r, source, { partner: 'rr', waba: WABA, numbers: [PHONE, `${WABA}-E2`] });
    // 75 days of usage up to now, three units a day, and a top-up (a ledger movement).
    const ingest = await r.fetch(source, '/v1/ingest', {
      method: 'POST',
      token: key,
      body: pairUnitsCsv(WABA, new Date().toISOString(), 225),
      headers: { 'content-type': 'text/csv' },
    });
    if (ingest.status !== 200) throw new Error(`ingest: ${ingest.status} ${await ingest.text()}`);
    await addFunds(r, source, key, PHONE, '40.00');
  }, 240_000);
  afterAll(async () => {
    await r?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('answers the runway, the rollup and ledger exports and queries on every replica as on the source', async () => {
    expect(source).toBeGreaterThanOrEqual(0);
    const want = await answers(source);
    // Answers with rows: nothing compared is an empty store's answer.
    expect((want.runway as { daily_spend_history: unknown[] }).daily_spend_history.length).toBeGreaterThan(
      60,
    );
    for (const table of TABLES) {
      const csv = want[`${table}.csv`] as { status: number; body: string };
      expect({ table, status: csv.status }).toEqual({ table, status: 200 });
      expect(csv.body.trim().split('\n').length).toBeGreaterThan(1);
    }
    for (const sql of QUERIES) expect((want[sql] as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    for (const i of others()) {
      const t0 = Date.now();
      let got = await answers(i);
      while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() - t0 < SAME_WITHIN_MS) {
        await sleep(250);
        got = await answers(i);
      }
      expect(got).toEqual(want);
    }
  }, 180_000);

  it('refuses what needs the units with 409 not_usage_source naming the source', async () => {
    const refusals: [string, RequestInit][] = [
      ['/v1/exports/units?format=csv', {}],
      ['/v1/exports/units', {}],
      ['/v1/exports/lake', { method: 'POST', body: JSON.stringify({ from: '2026-01', to: '2026-12' }) }],
      ['/v1/query', { method: 'POST', body: JSON.stringify({ sql: 'SELECT count(*) FROM units' }) }],
    ];
    for (const i of others())
      for (const [path, init] of refusals) {
        const res = await r.fetch(i, path, { ...init, token: key });
        const problem = (await res.json()) as { code: string; usage_source?: { claimed_by: string } };
        expect({ i, path, status: res.status, code: problem.code }).toEqual({
          i,
          path,
          status: 409,
          code: 'not_usage_source',
        });
        expect(problem.usage_source?.claimed_by).toBe(r.id(source));
      }
    const units = await r.fetch(source, '/v1/exports/units?format=csv', { token: key });
    expect(units.status).toBe(200);
    expect((await units.text()).trim().split('\n').length).toBe(226);
  }, 60_000);

  it('follows a second ingest on every replica', async () => {
    const before = await answers(source);
    // Six more units of the last two days, under ids of their own.
    const csv = pairUnitsCsv(WABA, new Date().toISOString(), 6).replace(
      /^rr-waba-(\d+),/gm,
      'rr-waba-late-$1,',
    );
    const ingest = await r.fetch(source, '/v1/ingest', {
      method: 'POST',
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(ingest.status).toBe(200);
    const answered = Date.now();
    const want = await answers(source);
    const sourceMs = Date.now() - answered;
    expect(want).not.toEqual(before);
    for (const i of others()) {
      let got = await answers(i);
      while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() - answered < SAME_WITHIN_MS) {
        await sleep(100);
        got = await answers(i);
      }
      expect(got).toEqual(want);
      process.stdout.write(
        `runway, 8 exports and 5 queries of a second ingest answered the same on replica ${i} ` +
          `${Date.now() - answered} ms after its 200 (the source's own 14 answers took ${sourceMs} ms of it)\n`,
      );
    }
  }, 120_000);
});
