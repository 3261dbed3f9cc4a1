/**
 * kill -9 of the real server around the lake write: between the DuckDB commit and the publish of the archive, the
 * restart publishes the batch (complete, once); before the commit, the restart drops the spool and the batch is
 * not in the store either. The lake then rebuilds the store's usage exactly.
 */
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../worker/clock.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { listLakeBatches } from '../../worker/lake/read-lake.js';
import { replayLake } from '../../worker/cli/replay-lake.js';
import { copyReference } from '../../worker/cli/copy-reference.js';
import { createApp } from '../../worker/app.js';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';
import { SERVER_ADMIN, startServer, type ServerProcess } from '../adversarial/server-process.js';
import { systemDomain } from '../helpers/system-domain.js';

const CSV_HEAD =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,status_final';
const batch = (prefix: string, n: number) =>
  [
    CSV_HEAD,
    ...Array.from(
      { length: n },
      (_, i) =>
        `${prefix}${i},PMP,message,crash-waba,crash-pn-${i % 3},1415555${String(1000 + i)},${i % 2 ? 'marketing' : 'utility'},2026-${i % 2 ? '10' : '11'}-0${1 + (i % 9)}T12:00:00Z,delivered`,
    ),
  ].join('\n') + '\n';
const WEBHOOK =
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'crash-waba',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550009999', phone_number_id: 'crash-pn-0' },
              statuses: [
                {
                  id: 'wamid.crash.1',
                  status: 'delivered',
                  timestamp: '1793700000',
                  recipient_id: '14155550999',
                  pricing: { billable: true, pricing_model: 'PMP', category: 'marketing', type: 'regular' },
                },
              ],
            },
          },
        ],
      },
    ],
  }) + '\n';

async function call(
  s: ServerProcess,
  path: string,
  init: { method?: string; token: string; body?: string; type?: string },
) {
  const res = await fetch(`${s.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token}`, ...(init.type ? { 'content-type': init.type } : {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function waitFor(path: string, child: ServerProcess): Promise<void> {
  for (let i = 0; i < 600 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(path))
    throw new Error(`the server never reached the pause: ${child.stderr().slice(-2000)}`);
}

describe('ingest lake: kill -9 around the archive write', () => {
  let dir: string;
  let dbPath: string;
  let lake: string;
  let key: string;
  const started: ServerProcess[] = [];
  const start = async (pause?: 'seal' | 'publish') => {
    const s = await startServer({
      dbPath,
      tempDir: join(dir, 'tmp'),
      env: {
        INGEST_LAKE_DIR: lake,
        ...(pause ? { LAKE_PAUSE: pause, LAKE_PAUSE_MARKER: join(dir, `paused-${pause}`) } : {}),
      },
      ...(pause ? { nodeArgs: ['--import', join(import.meta.dirname, 'pause-lake.mjs')] } : {}),
    });
    started.push(s);
    return s;
  };
  const ingest = (s: ServerProcess, body: string, type = 'text/csv') =>
    call(s, '/v1/ingest', { method: 'POST', token: key, body, type });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-crash-'));
    dbPath = join(dir, 'store.duckdb');
    lake = join(dir, 'lake');
  });
  afterAll(async () => {
    for (const s of started) await s.stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes at restart a batch committed but not archived, once', async () => {
    const a = await start('publish');
    const p = await call(a, '/v1/partners', {
      method: 'POST',
      token: SERVER_ADMIN,
      type: 'application/json',
      body: JSON.stringify({ partner_id: 'crash', name: 'Crash', allowed_origins: [] }),
    });
    key = String(p.body.api_key);
    const w = await call(a, '/v1/wabas', {
      method: 'POST',
      token: key,
      type: 'application/json',
      body: JSON.stringify({
        waba_id: 'crash-waba',
        name: 'Crash',
        timezone: 'America/New_York',
        currency: 'USD',
      }),
    });
    expect(w.status).toBe(201);
    const pending = ingest(a, batch('crash.a', 40)).catch(() => null);
    await waitFor(join(dir, 'paused-publish'), a);
    await a.stop('SIGKILL');
    await pending;
    expect(await listLakeBatches(lake)).toEqual([]);
    expect(await readdir(join(lake, '_spool'))).toHaveLength(1);

    const b = await start();
    expect(b.stderr()).toContain('ingest lake recovered');
    const batches = (await call(b, '/v1/ingest/batches', { token: key })).body.batches as {
      batch_id: string;
    }[];
    expect(batches).toHaveLength(1);
    const archived = await listLakeBatches(lake);
    expect(archived.map((x) => x.batchId)).toEqual([batches[0]!.batch_id]);
    expect(archived[0]!.files.map((f) => f.split('/').at(-2))).toEqual(['month=2026-10', 'month=2026-11']);
    expect(await readdir(join(lake, '_spool'))).toEqual([]);
    // The client never heard back, so it sends the batch again: a batch of duplicates, archived once more.
    const again = await ingest(b, batch('crash.a', 40));
    expect(again.body).toMatchObject({ inserted: 0, duplicates: 40 });
    expect((await ingest(b, WEBHOOK, 'application/vnd.whatsapp.webhooks+x-ndjson')).status).toBe(200);
    await b.stop('SIGTERM');
  }, 240_000);

  it('drops at restart the spool of a batch that never committed', async () => {
    const c = await start('seal');
    const pending = ingest(c, batch('crash.b', 10)).catch(() => null);
    await waitFor(join(dir, 'paused-seal'), c);
    await c.stop('SIGKILL');
    await pending;
    const d = await start();
    expect(await readdir(join(lake, '_spool'))).toEqual([]);
    const batches = (await call(d, '/v1/ingest/batches', { token: key })).body.batches as {
      batch_id: string;
    }[];
    expect(batches).toHaveLength(3);
    expect((await listLakeBatches(lake)).map((x) => x.batchId)).toEqual(
      batches.map((x) => x.batch_id).reverse(),
    );
    await d.stop('SIGTERM');
  }, 240_000);

  it('rebuilds the same usage from the lake after the crashes', async () => {
    const now = '2026-12-06T00:00:00Z';
    const config = normalizeConfig({ DB_PATH: dbPath, ADMIN_TOKEN: SERVER_ADMIN });
    const open = async (path: string) => {
      const db = await openStore({ path }, new Date());
      return {
        db,
        app: createApp(
          withDomainContext({
            db,
            clock: new ManualClock(now),
            config,
            log: silentLogger,
            host: nodeHost(db),
            services: buildAppServices(db, config),
          }),
        ),
      };
    };
    const rebuiltPath = join(dir, 'rebuilt.duckdb');
    const rebuilt = await open(rebuiltPath);
    await copyReference(rebuilt.db, dbPath);
    const summary = await replayLake(rebuilt.db, lake, systemDomain());
    expect(summary).toMatchObject({ batches: 3, units_batches: 2, webhook_batches: 1 });
    const live = await open(dbPath);
    for (const q of ['granularity=month', 'granularity=day&group_by=phone_number_id,category']) {
      const url = `/v1/usage?from=2026-01&to=2026-12&${q}`;
      const get = async (s: typeof live) =>
        (await s.app.request(url, { headers: { authorization: `Bearer ${key}` } })).text();
      const answer = await get(live);
      expect(answer).toContain('"paid":');
      expect(await get(rebuilt)).toBe(answer);
    }
    await live.db.close();
    await rebuilt.db.close();
  }, 120_000);
});
