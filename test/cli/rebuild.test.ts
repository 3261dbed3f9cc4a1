/**
 * The lake's promise, end to end: a live store fed through the real app (demo data, hostile and repeated batches,
 * webhook envelopes, refused batches) archives exactly its accepted batches, and `npm run rebuild` replays them,
 * from the lake folder alone (the live file is moved away first), into a new file whose usage and charges answers
 * are byte for byte those of the live store.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../worker/demo/seed-demo.js';
import { createApiKey } from '../../worker/tenancy/partners.js';
import { localIngestLake } from '../../worker/lake/local-ingest-lake.js';
import { listLakeBatches } from '../../worker/lake/read-lake.js';
import { silentLogger } from '../../worker/env.js';
import {
  ADMIN,
  HOSTILE_BATCHES,
  KEY,
  REFUSED_BATCHES,
  openStore,
  post,
  unitSample,
  webhookSample,
  type LiveStore,
} from '../lake/lake-fixture.js';

const run = promisify(execFile);
const NOW = '2026-12-06T08:00:00Z';
const WEBHOOKS = 'application/vnd.whatsapp.webhooks+x-ndjson';

describe('worker/cli/rebuild', () => {
  let dir: string;
  let lakeDir: string;
  let accepted: string[];
  let rebuildOut: {
    batches: number;
    units_batches: number;
    webhook_batches: number;
    reference: string | null;
    reference_changes: number;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-test-'));
    lakeDir = join(dir, 'lake');
    const live = await openStore(join(dir, 'live.duckdb'), NOW, localIngestLake(lakeDir, silentLogger));
    // Demo data through the ordinary ingest: the whole history npm start loads (every regime from R2 to R5, the
    // three markets, duplicates and late corrections in later batches) at a smaller volume, for the test's time.
    expect(await seedDemoIfEmpty(live.deps, { units: 4_000 })).toBe(true);
    const spread = await live.db.all<{ regimes: string; markets: number; corrected: number }>(
      `SELECT string_agg(DISTINCT regime::VARCHAR, ',' ORDER BY regime::VARCHAR) AS regimes,
              count(DISTINCT market)::INTEGER AS markets,
              (SELECT sum(rows_updated + rows_dup) FROM ingest_batches)::INTEGER AS corrected
         FROM units`,
    );
    expect(spread[0]).toMatchObject({ regimes: 'R2,R3,R4,R5' });
    expect(spread[0]!.markets).toBeGreaterThanOrEqual(3);
    expect(spread[0]!.corrected).toBeGreaterThan(0);
    accepted = (
      await live.db.all<{ batch_id: string }>('SELECT batch_id FROM ingest_batches ORDER BY seq')
    ).map((b) => b.batch_id);
    const send = async (body: string | Uint8Array, type: string, token = KEY) => {
      live.clock.advance(60_000);
      const r = await post(live, body, type, token);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      accepted.push(r.body.batch_id!);
    };
    for (const b of HOSTILE_BATCHES) await send(b.body, b.type, b.admin ? ADMIN : KEY);
    await send(await unitSample(), 'text/csv');
    await send(await webhookSample(), WEBHOOKS);
    for (const b of REFUSED_BATCHES) expect((await post(live, b.body, b.type)).status).toBe(422);
    // Every batch again: duplicates, and the first batch undoing the late correction.
    for (const b of HOSTILE_BATCHES) await send(b.body, b.type, b.admin ? ADMIN : KEY);
    await send(await unitSample(), 'text/csv');
    await send(await webhookSample(), WEBHOOKS);
    // The live store is closed and moved where the rebuild is not told of: it rebuilds from the lake alone.
    await live.db.close();
    await mkdir(join(dir, 'aside'));
    await rename(join(dir, 'live.duckdb'), join(dir, 'aside', 'live.duckdb'));
    if (existsSync(join(dir, 'live.duckdb.wal')))
      await rename(join(dir, 'live.duckdb.wal'), join(dir, 'aside', 'live.duckdb.wal'));
    const { stdout } = await run(
      'npx',
      ['tsx', 'worker/cli/rebuild.ts', '--out', join(dir, 'rebuilt.duckdb'), '--lake', lakeDir],
      {
        cwd: join(import.meta.dirname, '../..'),
        env: { ...process.env, DB_PATH: join(dir, 'live.duckdb') },
      },
    );
    rebuildOut = JSON.parse(stdout);
  }, 300_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('archives each accepted batch once, split by month, and nothing of a refused one', async () => {
    const batches = await listLakeBatches(lakeDir);
    expect(batches.map((b) => b.batchId)).toEqual(accepted);
    expect(await readdir(join(lakeDir, '_spool'))).toEqual([]);
    const first = batches.find(
      (b) => b.batchId === accepted[accepted.length - HOSTILE_BATCHES.length * 2 - 4],
    );
    expect(first?.files.map((f) => f.split('/').at(-2))).toEqual([
      'month=2026-09',
      'month=2026-10',
      'month=2026-11',
    ]);
    expect(batches.filter((b) => b.kind === 'webhooks')).toHaveLength(2);
  });

  it('replays every batch of the lake', () => {
    expect(rebuildOut.batches).toBe(accepted.length);
    expect(rebuildOut.webhook_batches).toBe(2);
    // No store copy: one reference change, the demo tenancy, which as the lake's first carries all of it.
    expect(rebuildOut.reference).toBeNull();
    expect(rebuildOut.reference_changes).toBe(1);
  });

  describe('answers the same usage and charges', () => {
    let live: LiveStore;
    let rebuilt: LiveStore;
    beforeAll(async () => {
      live = await openStore(join(dir, 'aside', 'live.duckdb'), NOW);
      live.clock.set(NOW);
      rebuilt = await openStore(join(dir, 'rebuilt.duckdb'), NOW);
      // API keys are not in the lake: the rebuilt store is served with a key issued for it.
      await createApiKey(rebuilt.db, 'demo', 'rebuilt', new Date(NOW), KEY);
    });
    afterAll(async () => {
      await live?.db.close();
      await rebuilt?.db.close();
    });

    it('per number and for all numbers, by month and day, in JSON and CSV', async () => {
      const numbers = (
        await live.db.all<{ id: string }>('SELECT phone_number_id AS id FROM phone_numbers ORDER BY 1')
      ).map((n) => n.id);
      expect(numbers).toContain('lake-pn-new');
      // Every number's own answer, and every path, granularity and format over all numbers; each number is
      // asked in two of the four granularity × format shapes, which between them the numbers cover.
      const shapes = ['month', 'day'].flatMap((g) =>
        ['json', 'csv'].map((f) => `granularity=${g}&format=${f}`),
      );
      const queries = [
        ...['', 'group_by=phone_number_id,category,pricing_type'].flatMap((scope) =>
          shapes.map((shape) => `${shape}&${scope}`),
        ),
        ...numbers.flatMap((n, i) =>
          [shapes[i % 4], shapes[(i + 1) % 4]].map((shape) => `${shape}&phone_number_id=${n}`),
        ),
      ];
      let compared = 0;
      for (const path of ['/v1/usage', '/v1/charges'])
        for (const query of queries) {
          const url = `${path}?from=2023-01&to=2026-12&${query}`;
          const get = async (s: LiveStore) => {
            const res = await s.app.request(url, { headers: { authorization: `Bearer ${KEY}` } });
            return { status: res.status, body: await res.text() };
          };
          const [a, b] = [await get(live), await get(rebuilt)];
          expect(a.status, `${url}: ${a.body.slice(0, 300)}`).toBe(200);
          expect(b.body, url).toBe(a.body);
          compared++;
        }
      expect(compared).toBe(2 * (8 + numbers.length * 2));
      // Not vacuous: the answers hold the hostile batches' units.
      const usage = await live.app.request('/v1/usage?from=2026-09&to=2026-11&phone_number_id=lake-pn-new', {
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(await usage.text()).toContain('"all":');
    }, 120_000);

    it('keeps the batch order going after the lake', async () => {
      const [r] = await rebuilt.db.all<{ v: number }>(`SELECT nextval('ingest_batch_seq')::INTEGER AS v`);
      const batches = await listLakeBatches(lakeDir);
      expect(r?.v).toBeGreaterThan(batches.at(-1)!.seq);
    });
  });
});
