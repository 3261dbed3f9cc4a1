import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFixture, type ExportFixture } from './fixture.js';

type Row = Record<string, unknown>;

/** Reads a file with DuckDB (a fresh in-memory instance), rows as JSON-safe objects. */
async function duck(sql: string): Promise<Row[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

// Raw exports: GET /v1/exports/units|ledger and POST /v1/exports/lake, read back with DuckDB.
describe('raw exports', () => {
  let f: ExportFixture;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-test-'));
    f = await exportFixture({ LAKE_DIR: join(dir, 'lake') });
  });
  afterAll(async () => {
    await f.h.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function save(res: Response, name: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, new Uint8Array(await res.arrayBuffer()));
    return path;
  }

  it('streams only the caller’s units of the WABA-local day range as typed Parquet with metadata', async () => {
    const res = await f.h.call('GET', '/v1/exports/units?from=2025-08-01&to=2025-08-31', { token: f.acme });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get('x-table-table')).toBe('units');
    const path = await save(res, 'units.parquet');
    const rows = await duck(`SELECT unit_id, waba_id, local_day, amount FROM '${path}' ORDER BY unit_id`);
    // la-a units opened on July 31 local time; in-a units on September 1 in Kolkata; globex's never.
    expect(rows.map((r) => r.unit_id)).toEqual(['la-b-00001', 'la-b-00002', 'la-b-00003', 'la-b-00004']);
    expect(rows[0]).toMatchObject({ local_day: '2025-08-02', amount: '0.012500' });
    const types = await duck(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path}') WHERE column_name IN ('amount','local_day','opened_at','is_paid')`,
    );
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      amount: 'DECIMAL(18,6)',
      local_day: 'DATE',
      opened_at: 'TIMESTAMP WITH TIME ZONE',
      is_paid: 'BOOLEAN',
    });
    const kv = await duck(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${path}')`);
    expect(Object.fromEntries(kv.map((r) => [r.k, r.v]))).toMatchObject({
      table: 'units',
      from: '2025-08-01',
      to: '2025-08-31',
    });
  });

  it('answers CSV by Accept or format=csv, months as ranges, several WABAs', async () => {
    const res = await f.h.call('GET', '/v1/exports/units?from=2025-07&to=2025-09&waba_id=W_LA,W_IN', {
      token: f.acme,
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const schema = JSON.parse(res.headers.get('x-table-schema') ?? '[]') as { name: string; type: string }[];
    expect(schema.find((c) => c.name === 'amount')?.type).toBe('DECIMAL(18,6)');
    const path = await save(res, 'units.csv');
    const columns = `{${schema.map((c) => `'${c.name}': '${c.type}'`).join(', ')}}`;
    const rows = await duck(
      `SELECT waba_id, count(*) AS n, CAST(sum(amount) AS VARCHAR) AS total FROM read_csv('${path}', header = true, columns = ${columns}) GROUP BY ALL ORDER BY 1`,
    );
    expect(rows).toEqual([
      { waba_id: 'W_IN', n: '2', total: '1.720000' },
      { waba_id: 'W_LA', n: '7', total: '0.125000' },
    ]);
  });

  it('streams ledger movements (charges posted from usage) of the caller only', async () => {
    const res = await f.h.call('GET', '/v1/exports/ledger?from=2025-07&to=2025-09&format=parquet', {
      token: f.acme,
    });
    expect(res.status).toBe(200);
    const path = await save(res, 'ledger.parquet');
    const rows = await duck(
      `SELECT phone_number_id, kind, CAST(sum(amount) AS VARCHAR) AS total FROM '${path}' GROUP BY ALL ORDER BY 1`,
    );
    expect(rows).toEqual([
      { phone_number_id: 'P1', kind: 'charge', total: '-0.075000' },
      { phone_number_id: 'P2', kind: 'charge', total: '-0.050000' },
      { phone_number_id: 'P3', kind: 'charge', total: '-1.720000' },
    ]);
  });

  it('is tenant-scoped and validated like usage', async () => {
    expect((await f.h.call('GET', '/v1/exports/units?waba_id=W_GX', { token: f.acme })).status).toBe(404);
    expect((await f.h.call('GET', '/v1/exports/units?phone_number_id=PX', { token: f.acme })).status).toBe(
      404,
    );
    expect((await f.h.call('GET', '/v1/exports/units', {})).status).toBe(401);
    const bad = await f.h.json('GET', '/v1/exports/units?from=2025-13&to=2025-02-30&fromm=1&format=arrow', {
      token: f.acme,
    });
    expect(bad.status).toBe(400);
    const columns = bad.body.issues.map((i: { column: string }) => i.column).sort();
    expect(columns).toEqual(['format', 'from', 'fromm', 'to']);
    const order = await f.h.json('GET', '/v1/exports/units?from=2025-09&to=2025-08', { token: f.acme });
    expect(order.status).toBe(400);
    expect(order.body.issues).toEqual([{ column: 'from', reason: 'must not be after to' }]);
  });

  it('needs read-balance for the ledger with an embed token', async () => {
    const minted = await f.h.json('POST', '/v1/embed-tokens', {
      token: f.acme,
      body: { phone_number_ids: ['P1'], scopes: ['read-usage'] },
    });
    const token = minted.body.token as string;
    expect((await f.h.call('GET', '/v1/exports/ledger', { token })).status).toBe(403);
    const units = await f.h.call('GET', '/v1/exports/units?from=2025-07&to=2025-08&format=csv', { token });
    expect(units.status).toBe(200);
    const lines = (await units.text()).trim().split('\n');
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'P1')).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it('writes a Hive-partitioned lake that DuckDB reads with month as a partition column', async () => {
    const res = await f.h.json('POST', '/v1/exports/lake', {
      token: f.acme,
      body: { from: '2025-07', to: '2025-09' },
    });
    expect(res.status).toBe(200);
    expect(res.body.files.map((x: { path: string }) => x.path).sort()).toEqual([
      // Ledger movements fall in the month they were recorded (all posted at the clock's 2025-09-15).
      'partner_id=acme/ledger/month=2025-09/data.parquet',
      'partner_id=acme/units/month=2025-07/data.parquet',
      'partner_id=acme/units/month=2025-08/data.parquet',
      'partner_id=acme/units/month=2025-09/data.parquet',
    ]);
    const lake = join(dir, 'lake', 'partner_id=acme');
    expect((await readdir(join(lake, 'units'))).sort()).toEqual([
      'month=2025-07',
      'month=2025-08',
      'month=2025-09',
    ]);
    const rows = await duck(
      `SELECT month, count(*) AS n FROM read_parquet('${lake}/units/*/*.parquet', hive_partitioning = true)
        GROUP BY ALL ORDER BY 1`,
    );
    expect(rows).toEqual([
      { month: '2025-07', n: '3' },
      { month: '2025-08', n: '4' },
      { month: '2025-09', n: '2' },
    ]);
    expect(
      (await f.h.call('POST', '/v1/exports/lake', { token: f.acme, body: { from: 'x', to: '2025-09' } }))
        .status,
    ).toBe(400);
  });
});
