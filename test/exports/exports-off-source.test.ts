/**
 * The exports on a replica that is not the usage source (two apps on one PGlite money plane, each with its own
 * DuckDB, the same clock): the rollup tables (usage_daily, usage_monthly, charges) come from the published
 * rollups and the ledger from the money plane, so every file is byte for byte the source's, streamed or written
 * to the lake, CSV or Parquet. The units, which only the source holds, are 409 not_usage_source naming it, and a
 * lake export that asks for them writes nothing.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/harness.js';
import { offSourcePair, type OffSourcePair } from '../helpers/off-source-pair.js';

const NOW = '2026-11-20T12:00:00Z';
const ANSWERED = ['usage_daily', 'usage_monthly', 'charges', 'ledger'] as const;

/** Every file under `dir` (relative path → bytes); none when the folder does not exist. */
async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const names = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of names)
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out[relative(dir, path)] = (await readFile(path)).toString('base64');
    }
  return out;
}

describe('worker/exports off the usage source', () => {
  let p: OffSourcePair;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exports-off-source-'));
    p = await offSourcePair({
      waba: 'WX',
      now: NOW,
      units: 200,
      lakeDir: join(dir, 'lake'),
      firstTopUp: { amount: '25', at: '2026-10-02T10:00:00Z' },
    });
  }, 120_000);
  afterAll(async () => {
    await p?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const stream = async (h: Harness, table: string, format: string) => {
    const res = await h.call('GET', `/v1/exports/${table}?from=2026-09&to=2026-11&format=${format}`, {
      token: p.key,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, schema: res.headers.get('x-table-schema'), bytes };
  };

  it('streams every table the rollups and the ledger answer with the source’s bytes', async () => {
    expect(await p.replica.db.all('SELECT * FROM usage_daily')).toEqual([]);
    for (const table of ANSWERED)
      for (const format of ['csv', 'parquet']) {
        const want = await stream(p.source, table, format);
        expect(want.status).toBe(200);
        // Not an empty file: a header and rows.
        if (format === 'csv') expect(want.bytes.toString('utf8').split('\n').length).toBeGreaterThan(2);
        const got = await stream(p.replica, table, format);
        expect({ table, format, ...got }).toEqual({ table, format, ...want });
      }
  });

  it('refuses the units with 409 not_usage_source naming the source', async () => {
    for (const format of ['csv', 'parquet']) {
      const res = await p.replica.json('GET', `/v1/exports/units?from=2026-09&to=2026-11&format=${format}`, {
        token: p.key,
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'not_usage_source',
        usage_source: { claimed_by: 'WX-source' },
        needs: expect.stringContaining('units'),
      });
      expect((await stream(p.source, 'units', format)).status).toBe(200);
    }
    // The same validation first on every replica: a bad range is 400, not 409.
    const bad = await p.replica.json('GET', '/v1/exports/units?from=2026-13', { token: p.key });
    expect(bad.status).toBe(400);
  });

  it('writes the same lake files; a lake export naming the units writes nothing', async () => {
    const body = { from: '2026-09', to: '2026-11', tables: [...ANSWERED] };
    for (const format of ['csv', 'parquet']) {
      const want = await p.source.json('POST', '/v1/exports/lake', {
        token: p.key,
        body: { ...body, format },
      });
      expect(want.status).toBe(200);
      const got = await p.replica.json('POST', '/v1/exports/lake', {
        token: p.key,
        body: { ...body, format },
      });
      expect(got).toEqual(want);
    }
    const written = await files(join(dir, 'lake', 'source'));
    // Each table in both formats, the rollups in each month of the range.
    const folders = new Set(Object.keys(written).map((f) => f.split('/').slice(1, 3).join('/')));
    for (const t of ['usage_daily', 'usage_monthly', 'charges'])
      for (const m of ['2026-09', '2026-10', '2026-11']) expect(folders).toContain(`${t}/month=${m}`);
    expect(folders).toContain('ledger/month=2026-10');
    expect(await files(join(dir, 'lake', 'replica'))).toEqual(written);

    await rm(join(dir, 'lake', 'replica'), { recursive: true, force: true });
    for (const tables of [undefined, ['usage_daily', 'units']]) {
      const res = await p.replica.json('POST', '/v1/exports/lake', {
        token: p.key,
        body: { from: '2026-09', to: '2026-11', ...(tables ? { tables } : {}) },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'not_usage_source', usage_source: { claimed_by: 'WX-source' } });
    }
    expect(await files(join(dir, 'lake', 'replica'))).toEqual({});
  });
});
