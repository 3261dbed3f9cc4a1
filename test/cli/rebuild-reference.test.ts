/**
 * The lake alone rebuilds the store: a real server fed through the public HTTP API (partners, WABAs in three
 * currencies and zones, numbers, a business portfolio, a newer rate card, a portfolio move and a label change
 * between the batches) is stopped, its DuckDB file deleted, and `npm run rebuild` with only the lake folder gives
 * a store whose usage and charges answers (per partner, WABA, number; month and day; JSON and CSV) and rollup
 * tables are byte for byte the live ones. A reference file cut short is refused, never half applied.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WABAS } from '../../data/demo/demo-profile.js';
import { DEMO_COLUMNS, generateUnits } from '../../data/demo/generate-units.js';
import { listReferenceChanges } from '../../worker/lake/read-lake.js';
import { SERVER_ADMIN, startServer, type ServerProcess } from '../adversarial/server-process.js';
import { ROOT, asked, call, dumpTables, ok, rebuild } from './rebuild-helpers.js';

describe('npm run rebuild from the lake alone', () => {
  let dir: string;
  let lake: string;
  let livePath: string;
  const started: ServerProcess[] = [];
  const start = async (dbPath: string, env: Record<string, string> = {}, nodeArgs?: string[]) => {
    const s = await startServer({
      dbPath,
      tempDir: join(dir, 'tmp'),
      env: { INGEST_LAKE_DIR: lake, ...env },
      ...(nodeArgs ? { nodeArgs } : {}),
    });
    started.push(s);
    return s;
  };
  const keys: Record<string, string> = {};
  let answers: Map<string, string>;
  let queries: { partner: string; url: string }[];
  let liveTables: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rebuild-ref-'));
    lake = join(dir, 'lake');
    livePath = join(dir, 'live.duckdb');
    const live = await start(livePath);
    for (const p of ['acme', 'beta'])
      keys[p] = String(
        (
          await ok(live, 'POST', '/v1/partners', SERVER_ADMIN, {
            partner_id: p,
            name: p,
            allowed_origins: [],
          })
        ).api_key,
      );
    for (const w of DEMO_WABAS) {
      await ok(live, 'POST', '/v1/wabas', keys.acme!, {
        waba_id: w.id,
        name: w.name,
        timezone: w.timezone,
        currency: w.currency,
        pmp_from: w.pmpFrom,
      });
      for (const n of w.numbers)
        await ok(live, 'POST', '/v1/phone-numbers', keys.acme!, {
          phone_number_id: n.id,
          waba_id: w.id,
          display_phone_number: n.display,
          label: n.label,
        });
    }
    // A second USD WABA of the same business in its portfolio from the start; the US WABA joins it later.
    await ok(live, 'POST', '/v1/wabas', keys.acme!, {
      waba_id: 'acme-us2',
      name: 'Acme US 2',
      timezone: 'America/New_York',
      currency: 'USD',
      portfolio_id: 'acme-biz',
    });
    await ok(live, 'POST', '/v1/phone-numbers', keys.acme!, {
      phone_number_id: 'acme-us2-pn',
      waba_id: 'acme-us2',
    });
    await ok(live, 'POST', '/v1/wabas', keys.beta!, {
      waba_id: 'beta-waba',
      name: 'Beta',
      timezone: 'Asia/Tokyo',
      currency: 'USD',
    });

    // The demo's history (R2 to R5, several markets, repeats and late corrections), in three batches.
    const rows = [
      ...generateUnits({ units: 3_000, to: '2026-12-04', until: new Date('2026-12-05T00:00:00Z') }),
    ];
    const csv = (part: typeof rows) =>
      [DEMO_COLUMNS.join(','), ...part.map((r) => r.row.join(','))].join('\n') + '\n';
    const cut = (f: number) => Math.floor(rows.length * f);
    const extra = (waba: string, pn: string, prefix: string, n: number, month = '2026-11') =>
      [
        'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,status_final,is_template,in_csw',
        ...Array.from(
          { length: n },
          (_, i) =>
            `${prefix}${i},PMP,message,${waba},${pn},1415555${1000 + i},${i % 3 ? 'utility' : 'marketing'},${month}-${String(2 + (i % 20)).padStart(2, '0')}T1${i % 10}:00:00Z,delivered,true,false`,
        ),
      ].join('\n') + '\n';
    await ok(live, 'POST', '/v1/ingest', keys.acme!, csv(rows.slice(0, cut(0.6))));
    await ok(live, 'POST', '/v1/ingest', keys.acme!, extra('acme-us2', 'acme-us2-pn', 'us2.a', 40));
    await ok(live, 'POST', '/v1/ingest', keys.acme!, csv(rows.slice(cut(0.6))));
    await ok(live, 'POST', '/v1/ingest', keys.acme!, extra('acme-us2', 'acme-us2-pn', 'us2.b', 25));
    const webhooks = await readFile(join(ROOT, 'data/demo/sample-webhooks.ndjson'), 'utf8');
    const wh = await fetch(`${live.url}/v1/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.acme!}`,
        'content-type': 'application/vnd.whatsapp.webhooks+x-ndjson',
      },
      body: webhooks,
    });
    expect(wh.status, await wh.clone().text()).toBe(200);
    await ok(live, 'POST', '/v1/ingest', keys.beta!, extra('beta-waba', 'beta-pn', 'beta.a', 30));

    // Then, with no batch of those months after it, a newer USD PMP card from 2026-11-16 (every rate of the one in
    // force 20 % up, North America utility in two marginal volume tiers): the upload re-prices those months.
    const cards = (await ok(live, 'GET', '/v1/rate-cards?currency=USD&effective=2026-11-15', keys.acme!)) as {
      rate_cards: { card_id: string; pricing_model: string }[];
    };
    const base = cards.rate_cards.find((c) => c.pricing_model === 'PMP')!;
    const detail = (await ok(live, 'GET', `/v1/rate-cards/${base.card_id}`, keys.acme!)) as {
      rates: {
        market: string;
        category: string;
        rate: string;
        marginal: boolean;
        tiers: { lower: number; upper: number | null; rate: string }[];
      }[];
    };
    const up = (r: string, f = 1.2) => (Number(r) * f).toFixed(6);
    const tiered = (r: (typeof detail.rates)[number]) =>
      r.market === 'North America' && r.category === 'utility'
        ? [
            { lower: 1, upper: 10, rate: up(r.rate) },
            { lower: 11, upper: null, rate: up(r.rate, 0.5) },
          ]
        : r.tiers.length > 1
          ? r.tiers.map((t) => ({ lower: t.lower, upper: t.upper, rate: up(t.rate) }))
          : null;
    await ok(live, 'POST', '/v1/rate-cards', SERVER_ADMIN, {
      card_id: 'acme-usd-2026-11',
      effective_from: '2026-11-16',
      currency: 'USD',
      pricing_model: 'PMP',
      rates: detail.rates.map((r) => {
        const tiers = tiered(r);
        return {
          market: r.market,
          category: r.category,
          ...(tiers ? { marginal: true, tiers } : { rate: up(r.rate) }),
        };
      }),
    });
    // The US WABA joins acme-us2's portfolio: their volume tiers now count together (re-priced on the move).
    await ok(live, 'PATCH', '/v1/wabas/demo-waba-us', keys.acme!, { portfolio_id: 'acme-biz' });
    await ok(live, 'PATCH', '/v1/phone-numbers/demo-pn-us-care', keys.acme!, { label: 'US Care (new)' });
    // A batch after both, in a month nothing priced yet: priced by the new card as it lands.
    await ok(live, 'POST', '/v1/ingest', keys.beta!, extra('beta-waba', 'beta-pn', 'beta.b', 12, '2026-12'));
    await ok(
      live,
      'POST',
      '/v1/ingest',
      keys.acme!,
      extra('acme-us2', 'acme-us2-pn', 'us2.c', 12, '2026-12'),
    );

    // Every answer the live server gives: per partner, per WABA and per number, month and day, JSON and CSV.
    const shapes = ['month', 'day'].flatMap((g) =>
      ['json', 'csv'].map((f) => `granularity=${g}&format=${f}`),
    );
    queries = [];
    for (const partner of ['acme', 'beta']) {
      const wabas = ((await ok(live, 'GET', '/v1/wabas', keys[partner]!)) as { wabas: { waba_id: string }[] })
        .wabas;
      const numbers = (
        (await ok(live, 'GET', '/v1/phone-numbers', keys[partner]!)) as {
          phone_numbers: { phone_number_id: string }[];
        }
      ).phone_numbers;
      const scopes = [
        '',
        'group_by=phone_number_id,category,pricing_type',
        'group_by=market,category',
        ...wabas.map((w) => `waba_id=${w.waba_id}&group_by=pricing_type`),
        ...numbers.map((n) => `phone_number_id=${n.phone_number_id}&group_by=category`),
      ];
      for (const path of ['/v1/usage', '/v1/charges'])
        scopes.forEach((scope, i) =>
          [shapes[i % 4], shapes[(i + 1) % 4]].forEach((shape) =>
            queries.push({ partner, url: `${path}?from=2023-01&to=2026-12&${shape}&${scope}` }),
          ),
        );
    }
    answers = new Map();
    for (const q of queries) {
      const r = await call(live, 'GET', q.url, keys[q.partner]!);
      expect(r.status, `${q.url}: ${r.text.slice(0, 300)}`).toBe(200);
      answers.set(`${q.partner} ${q.url}`, r.text);
    }
    await live.stop('SIGTERM');
    liveTables = await dumpTables(livePath);
  }, 600_000);

  afterAll(async () => {
    for (const s of started) await s.stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('archives every reference change in the lake, in order with the batches', async () => {
    const changes = await listReferenceChanges(lake);
    // The whole reference data at the start, 2 partners, 5 WABAs, 9 numbers, the card, the move and the label.
    expect(changes.length).toBe(1 + 2 + 5 + 9 + 1 + 1 + 1);
    expect([...changes[0]!.files.keys()]).toContain('rate_card_rates');
    expect(changes.map((c) => c.seq)).toEqual([...changes.map((c) => c.seq)].sort((a, b) => a - b));
    // No key material: the partners file holds the partner's id, name and time only.
    const partners = await readFile(changes[1]!.files.get('partners')!);
    expect(partners.includes(Buffer.from(keys.acme!.slice(3, 20)))).toBe(false);
  });

  it('rebuilds the same usage, charges and rollups with the live file deleted', async () => {
    expect(liveTables).toContain('"R5"');
    expect(liveTables).toContain('acme-usd-2026-11');
    for (const f of [livePath, `${livePath}.wal`]) await rm(f, { force: true });
    expect(existsSync(livePath)).toBe(false);
    const out = join(dir, 'rebuilt.duckdb');
    const r = await rebuild(lake, out, livePath);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      reference: null,
      reference_changes: 20,
      webhook_batches: 1,
    });
    expect(existsSync(livePath)).toBe(false);

    // The rebuilt store served: keys are issued for it (none are in the lake), then every answer compared.
    const served = await start(out, { INGEST_LAKE_DIR: 'off' });
    const fresh: Record<string, string> = {};
    for (const p of ['acme', 'beta'])
      fresh[p] = String(
        (await ok(served, 'POST', `/v1/partners/${p}/api-keys`, SERVER_ADMIN, { label: 'rebuilt' })).api_key,
      );
    let compared = 0;
    for (const q of queries) {
      const r2 = await call(served, 'GET', q.url, fresh[q.partner]!);
      expect(asked(r2.text), q.url).toBe(asked(answers.get(`${q.partner} ${q.url}`)!));
      compared++;
    }
    expect(compared).toBe(queries.length);
    expect(answers.get(`acme /v1/charges?from=2023-01&to=2026-12&granularity=month&format=json&`)).toMatch(
      /"amount":"[1-9]/,
    );
    await served.stop('SIGTERM');
    // Read in this process last: DuckDB keeps a file it opened locked for the process.
    expect(await dumpTables(out)).toBe(liveTables);
  }, 300_000);

  it('refuses a reference file cut short instead of pricing without it', async () => {
    const changes = await listReferenceChanges(lake);
    const last = [...changes.at(-1)!.files.values()][0]!;
    await truncate(last, Math.floor((await stat(last)).size / 2));
    const out = join(dir, 'torn.duckdb');
    const r = await rebuild(lake, out, livePath);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`reference change ${changes.at(-1)!.seq}`);
    expect(r.stderr).toContain(last);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
