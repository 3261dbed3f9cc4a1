import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

type Row = Record<string, unknown>;

/** X-Table-* headers back to metadata keys ('X-Table-As-Of' → 'as_of'). */
function headerMetadata(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k.startsWith('x-table-')) out[k.slice(8).replace(/-/g, '_')] = v;
  });
  return out;
}

/** Arrow values in DuckDB's JSON spelling: dates 'YYYY-MM-DD', Int64 and Decimal as exact strings. */
function arrowRows(bytes: Uint8Array): { rows: Row[]; types: string[]; metadata: Record<string, string> } {
  const table = tableFromIPC(bytes);
  const rows: Row[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (const field of table.schema.fields) {
      const v = table.getChild(field.name)?.get(i);
      const type = String(field.type);
      if (v === null || v === undefined) row[field.name] = null;
      else if (type.startsWith('Date')) row[field.name] = new Date(Number(v)).toISOString().slice(0, 10);
      else if (type.startsWith('Timestamp'))
        row[field.name] = new Date(Number(v)).toISOString().slice(0, 19).replace('T', ' ');
      else if (type.startsWith('Decimal')) {
        const scale = (field.type as { scale: number }).scale;
        const digits = String(v)
          .replace('-', '')
          .padStart(scale + 1, '0');
        row[field.name] =
          `${String(v).startsWith('-') ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      } else if (typeof v === 'bigint') row[field.name] = v.toString();
      else row[field.name] = v;
    }
    rows.push(row);
  }
  return {
    rows,
    types: table.schema.fields.map((f) => String(f.type)),
    metadata: Object.fromEntries(table.schema.metadata),
  };
}

// One query, four formats: the same typed values (checked by DuckDB reading the CSV and Parquet files) and the
// same metadata.
describe('usage and charges: typed, self-describing tables in every format', () => {
  let h: Harness;
  let key: string;
  let dir: string;
  let duck: DuckDBInstance;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'round-trip-'));
    duck = await DuckDBInstance.create(':memory:');
    h = await createHarness({ now: '2025-09-15T12:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin', currency: 'EUR' }, ['P1', 'P2']);
    const units = Array.from({ length: 40 }, (_, i) => ({
      unit_id: `u${i}`,
      pricing_model: 'PMP',
      unit: 'message',
      waba_id: 'W1',
      phone_number_id: i % 2 ? 'P1' : 'P2',
      recipient_wa_id: '4915550001111',
      recipient_country: 'DE',
      market: 'Germany',
      category: i % 5 === 0 ? 'utility' : 'marketing',
      is_template: true,
      in_csw: i % 5 === 0,
      opened_at: new Date(Date.parse('2025-08-01T10:00:00Z') + i * 7 * 3600_000).toISOString(),
      status_final: 'delivered',
      // Some units carry no template name: a NULL key that must stay NULL everywhere.
      ...(i % 4 === 0 ? {} : { template_name: i % 3 ? 'promo' : 'digest' }),
      rate: i % 2 ? '0.1365' : '0.0001',
    }));
    const res = await h.call('POST', '/v1/ingest', {
      token: key,
      body: units.map((u) => JSON.stringify(u)).join('\n') + '\n',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    duck.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  async function duckRows(sql: string): Promise<Row[]> {
    const conn = await duck.connect();
    try {
      return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Row[];
    } finally {
      conn.closeSync();
    }
  }

  for (const [name, query] of [
    [
      'charges by day, number and template',
      '/v1/charges?from=2025-08-01&to=2025-09-30&granularity=day&group_by=phone_number_id,template_name',
    ],
    ['usage by month and category', '/v1/usage?from=2025-08&to=2025-09&group_by=category,pricing_type'],
    [
      'usage by UTC hour and direction',
      '/v1/usage?from=2025-08-01&to=2025-08-03&granularity=hour&tz=UTC&group_by=direction',
    ],
  ] as const) {
    it(`${name}: JSON, CSV, Arrow and Parquet agree`, async () => {
      const fetchAs = (format: string) => h.call('GET', `${query}&format=${format}`, { token: key });
      const json = (await (await fetchAs('json')).json()) as { rows: Row[] } & Record<string, unknown>;
      expect(json.rows.length).toBeGreaterThan(1);

      const csvRes = await fetchAs('csv');
      const csvMeta = headerMetadata(csvRes);
      const schema = JSON.parse(csvMeta.schema ?? '[]') as { name: string; type: string }[];
      const csvPath = join(dir, `${name}.csv`);
      await writeFile(csvPath, await csvRes.text());
      const columns = `{${schema.map((c) => `'${c.name}': '${c.type}'`).join(', ')}}`;
      const fromCsv = await duckRows(
        `SELECT * FROM read_csv('${csvPath}', header = true, columns = ${columns})`,
      );

      const pqRes = await fetchAs('parquet');
      const pqPath = join(dir, `${name}.parquet`);
      await writeFile(pqPath, new Uint8Array(await pqRes.arrayBuffer()));
      const fromParquet = await duckRows(`SELECT * FROM '${pqPath}'`);
      const pqTypes = await duckRows(
        `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${pqPath}')`,
      );
      const pqMeta = Object.fromEntries(
        (
          await duckRows(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${pqPath}')`)
        ).map((r) => [r.k, r.v]),
      );

      const arrowRes = await fetchAs('arrow');
      const arrowMeta = headerMetadata(arrowRes);
      const arrow = arrowRows(new Uint8Array(await arrowRes.arrayBuffer()));

      // Values: DuckDB's reading of CSV and Parquet, and Arrow, are the same rows.
      expect(fromParquet).toEqual(fromCsv);
      expect(arrow.rows).toEqual(fromCsv);
      // JSON says the same, in its own spelling (months 'YYYY-MM', counts as numbers).
      const periodOf = (p: string) =>
        query.includes('granularity=day')
          ? p
          : query.includes('granularity=hour')
            ? `${p.slice(0, 10)}T${p.slice(11, 16)}`
            : p.slice(0, 7);
      expect(
        fromCsv.map((r) => {
          const out: Row = { ...r, period: periodOf(String(r.period)) };
          for (const k of ['all', 'free', 'paid']) if (k in r) out[k] = Number(r[k]);
          return out;
        }),
      ).toEqual(json.rows);
      expect(fromCsv.some((r) => Object.values(r).includes(null)) || !query.includes('template_name')).toBe(
        true,
      );

      // Types: one schema everywhere.
      expect(pqTypes.map((t) => ({ name: t.column_name, type: t.column_type }))).toEqual(schema);
      const expectedTypes: Record<string, string> = {
        period: 'DATE',
        amount: 'DECIMAL(18,6)',
        paid: 'BIGINT',
        all: 'BIGINT',
        free: 'BIGINT',
      };
      const hourly = query.includes('granularity=hour');
      if (hourly) expectedTypes.period = 'TIMESTAMP';
      for (const c of schema) if (expectedTypes[c.name]) expect(c.type).toBe(expectedTypes[c.name]);
      expect(arrow.types[0]).toBe(hourly ? 'Timestamp<MICROSECOND>' : 'Date32<DAY>');

      // Metadata: the same keys and values in headers, Arrow schema metadata and Parquet key-value metadata.
      expect(arrowMeta).toEqual(csvMeta);
      expect(arrow.metadata).toEqual(csvMeta);
      expect(pqMeta).toEqual(csvMeta);
      for (const [k, v] of Object.entries(json)) {
        if (k === 'rows') continue;
        expect(csvMeta[k]).toBe(typeof v === 'string' ? v : JSON.stringify(v));
      }
      if (query.startsWith('/v1/charges')) expect(csvMeta.estimate).toBe('true');
    });
  }
});
