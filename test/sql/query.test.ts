import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFixture, type ExportFixture } from '../exports/fixture.js';

// POST /v1/query: a partner's read-only SQL over its own data, and everything the sandbox must refuse.
describe('POST /v1/query', () => {
  let f: ExportFixture;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'query-test-'));
    await writeFile(join(dir, 'secret.csv'), 'a,b\n1,2\n');
    f = await exportFixture({
      QUERY_TIMEOUT_MS: '1500',
      QUERY_MAX_ROWS: '1000',
      QUERY_MEMORY_LIMIT_MB: '64',
    });
  });
  afterAll(async () => {
    await f.h.close();
    await rm(dir, { recursive: true, force: true });
  });

  const query = (sql: string, extra: Record<string, unknown> = {}, token = f.acme) =>
    f.h.json('POST', '/v1/query', { token, body: { sql, ...extra } });

  it('answers the caller’s own views with typed JSON values', async () => {
    const r = await query(
      `SELECT phone_number_id, count(*) AS n, sum(amount) AS total FROM units GROUP BY ALL ORDER BY 1`,
    );
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([
      { phone_number_id: 'P1', n: '3', total: '0.075000' },
      { phone_number_id: 'P2', n: '4', total: '0.050000' },
      { phone_number_id: 'P3', n: '2', total: '1.720000' },
    ]);
    expect(r.body.truncated).toBe(false);
    const views = await query(
      `SELECT (SELECT count(*) FROM usage_daily) AS d, (SELECT count(*) FROM usage_monthly) AS m,
              (SELECT count(*) FROM charges) AS c, (SELECT count(*) FROM ledger) AS l,
              (SELECT count(*) FROM phone_numbers) AS p`,
    );
    // One daily row per number and local day, three charge postings, three numbers.
    expect(views.body.rows).toEqual([{ d: '3', m: '3', c: '3', l: '3', p: '3' }]);
  });

  it('holds no other tenant’s rows: naming their ids finds nothing', async () => {
    const r = await query(
      `SELECT count(*) AS n FROM units WHERE waba_id = 'W_GX' OR phone_number_id = 'PX' OR unit_id LIKE 'gx%'`,
    );
    expect(r.body.rows).toEqual([{ n: '0' }]);
    const tables = await query(`SELECT table_name FROM duckdb_tables() ORDER BY 1`);
    expect(tables.body.rows.map((t: { table_name: string }) => t.table_name)).toEqual([
      'charges',
      'ledger',
      'phone_numbers',
      'units',
      'usage_daily',
      'usage_monthly',
    ]);
    const dbs = await query(`SELECT database_name FROM duckdb_databases() WHERE NOT internal`);
    expect(dbs.body.rows).toEqual([{ database_name: 'memory' }]);
    // The other partner sees its own five units only.
    const other = await query('SELECT count(*) AS n FROM units', {}, f.globex);
    expect(other.body.rows).toEqual([{ n: '5' }]);
  });

  it('refuses file access, attaching, writing, extensions, settings, pragmas and calls with a clear 400', async () => {
    const secret = join(dir, 'secret.csv');
    const cases: [string, string][] = [
      [`SELECT * FROM read_csv('${secret}')`, 'query_not_allowed'],
      [`SELECT * FROM read_csv_auto('/etc/passwd')`, 'query_not_allowed'],
      [`SELECT * FROM read_parquet('${dir}/*.parquet')`, 'query_not_allowed'],
      [`SELECT * FROM read_text('/etc/hostname')`, 'query_not_allowed'],
      [`SELECT * FROM read_blob('${secret}')`, 'query_not_allowed'],
      [`SELECT * FROM glob('/etc/*')`, 'query_not_allowed'],
      [`SELECT * FROM '${secret}'`, 'query_not_allowed'],
      [`ATTACH '${dir}/x.duckdb' AS x`, 'query_not_allowed'],
      [`COPY units TO '${dir}/stolen.csv'`, 'query_not_allowed'],
      [`COPY (SELECT 1) TO '${dir}/stolen.parquet' (FORMAT parquet)`, 'query_not_allowed'],
      [`EXPORT DATABASE '${dir}/dump'`, 'query_not_allowed'],
      ['INSTALL httpfs', 'query_not_allowed'],
      ['LOAD httpfs', 'query_not_allowed'],
      [`SELECT * FROM read_csv('https://example.com/x.csv')`, 'query_not_allowed'],
      ['SET enable_external_access = true', 'query_not_allowed'],
      ["SET memory_limit = '100GB'", 'query_not_allowed'],
      ['RESET lock_configuration', 'query_not_allowed'],
      ['PRAGMA threads = 8', 'query_not_allowed'],
      ['PRAGMA enable_profiling', 'query_not_allowed'],
      ['CALL pragma_version()', 'query_not_allowed'],
      ['CALL dbgen(sf = 1)', 'query_invalid'],
      ['DELETE FROM units', 'query_not_allowed'],
      ['CREATE TABLE t AS SELECT 1', 'query_not_allowed'],
      ['SELECT 1; SELECT 2', 'query_not_allowed'],
      ['SELEC 1', 'query_invalid'],
      ['SELECT * FROM wabas', 'query_invalid'],
      ['SELECT * FROM main_store.units', 'query_invalid'],
    ];
    for (const [sql, code] of cases) {
      const r = await query(sql);
      expect({ sql, status: r.status, code: r.body.code }).toEqual({ sql, status: 400, code });
      expect(r.body.detail).toBeTruthy();
    }
    expect((await readdir(dir)).sort()).toEqual(['secret.csv']);
    const still = await query(`SELECT current_setting('enable_external_access') AS e`);
    expect(still.body.rows).toEqual([{ e: false }]);
  });

  it('cuts off a query past its time limit and one past its memory limit with 422, then keeps serving', async () => {
    const slow = await query('SELECT count(*) FROM range(10000000000000)');
    expect(slow.status).toBe(422);
    expect(slow.body).toMatchObject({ code: 'query_limit_exceeded', limit: 'time', timeout_ms: 1500 });
    const cross = await query(
      'SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c WHERE a.range + b.range = c.range',
    );
    expect(cross.status).toBe(422);
    expect(cross.body.code).toBe('query_limit_exceeded');
    const memory = await query('SELECT list(a.range) FROM range(50000) a, range(2000) b');
    expect(memory.status).toBe(422);
    expect(memory.body).toMatchObject({ code: 'query_limit_exceeded', limit: 'memory' });
    const after = await query('SELECT count(*) AS n FROM units');
    expect(after.status).toBe(200);
    expect(after.body.rows).toEqual([{ n: '9' }]);
  });

  it('stops at the row limit and says so', async () => {
    const r = await query('SELECT a.range AS x FROM range(100000) a, range(100000) b');
    expect(r.status).toBe(200);
    expect(r.body.rows).toHaveLength(1000);
    expect(r.body).toMatchObject({ truncated: true, row_limit: 1000 });
  });

  it('answers CSV, Arrow and Parquet with the same typed values and metadata', async () => {
    const sql = `SELECT phone_number_id, local_day, CAST(count(*) AS BIGINT) AS n, CAST(sum(amount) AS DECIMAL(18,6)) AS amount,
                        NULL::BIGINT AS missing FROM units GROUP BY ALL ORDER BY 1, 2`;
    const res = (format: string) =>
      f.h.call('POST', `/v1/query?format=${format}`, { token: f.acme, body: { sql } });
    const json = await (await res('json')).json();
    const csv = await res('csv');
    expect(JSON.parse(csv.headers.get('x-table-schema') ?? '[]')).toEqual([
      { name: 'phone_number_id', type: 'VARCHAR' },
      { name: 'local_day', type: 'DATE' },
      { name: 'n', type: 'BIGINT' },
      { name: 'amount', type: 'DECIMAL(18,6)' },
      { name: 'missing', type: 'BIGINT' },
    ]);
    const arrow = tableFromIPC(new Uint8Array(await (await res('arrow')).arrayBuffer()));
    expect(arrow.schema.fields.map((x) => String(x.type))).toEqual([
      'Utf8',
      'Date32<DAY>',
      'Int64',
      'Decimal[18e+6]',
      'Int64',
    ]);
    expect(arrow.getChild('missing')?.get(0)).toBeNull();
    const pq = join(dir, 'q.parquet');
    await writeFile(pq, new Uint8Array(await (await res('parquet')).arrayBuffer()));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const back = (await conn.runAndReadAll(`SELECT * FROM '${pq}'`)).getRowObjectsJson();
    const kv = (
      await conn.runAndReadAll(
        `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${pq}')`,
      )
    ).getRowObjectsJson();
    conn.closeSync();
    inst.closeSync();
    expect(back).toEqual(json.rows);
    expect(Object.fromEntries(kv.map((r) => [r.k, r.v]))).toMatchObject({
      truncated: 'false',
      row_limit: '1000',
      as_of: json.as_of,
    });
    expect(arrow.schema.metadata.get('as_of')).toBe(json.as_of);
  });

  it('validates the body and refuses the admin token and embed tokens', async () => {
    const bad = await f.h.json('POST', '/v1/query', { token: f.acme, body: { sql: '', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(
      (await f.h.json('POST', '/v1/query', { token: 'test-admin-token', body: { sql: 'SELECT 1' } })).status,
    ).toBe(403);
    const minted = await f.h.json('POST', '/v1/embed-tokens', {
      token: f.acme,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'] },
    });
    expect((await query('SELECT 1', {}, minted.body.token)).status).toBe(403);
    expect((await query('SELECT 1', { waba_id: 'W_GX' })).status).toBe(404);
  });
});

describe('OpenAPI of the analyst area', () => {
  it('documents the exports and the query endpoint', async () => {
    const f = await exportFixture();
    try {
      const doc = (await f.h.json('GET', '/v1/openapi.json')).body;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/v1/exports/units', '/v1/exports/ledger', '/v1/exports/lake', '/v1/query']),
      );
      expect(Object.keys(doc.paths['/v1/query'].post.responses)).toEqual(
        expect.arrayContaining(['200', '400', '422', '429']),
      );
    } finally {
      await f.h.close();
    }
  });
});
