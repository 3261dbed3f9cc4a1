/**
 * Three replicas on one Postgres server, each with its own analytics DuckDB; only the usage source holds units.
 * The source publishes its rollups to the money plane after each commit that changes them, and the other
 * replicas answer GET /v1/usage, GET /v1/charges and GET /v1/charges/unpriced from those: the same body as the
 * source's (charges' as_of aside, the time of the answer). Checked after the README's demo ingest, after a
 * second ingest that changes the same month, and after a crash of the source between its analytics commit and
 * the publication (the test holds the publication's lock on the server, kills the source with SIGKILL once the
 * usage committed, then releases it): the other replicas keep the last published answer until the restarted
 * source publishes what it left unpublished. What only the units can answer is refused elsewhere with 409
 * not_usage_source naming the source. The time from an ingest's answer to the same answer on another replica is
 * printed. Skipped, with the reason, only where the Postgres 15 binaries are missing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { call } from './replica-api.js';

const skipped = postgresUnavailable();
const REPLICAS = 3;
const DEMO_CSV = join(import.meta.dirname, '..', '..', 'data', 'demo', 'sample-units.csv');
const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';
const VISIBLE_WITHIN_MS = 5_000;

/** The answers compared across replicas (a partner key's view of the demo WABAs). */
const ENDPOINTS = [
  '/v1/usage?from=2026-01&to=2026-12&group_by=phone_number_id',
  '/v1/usage?granularity=day&from=2026-11-01&to=2026-11-30&group_by=phone_number_id,category,country',
  '/v1/usage?granularity=week&from=2026-11-01&to=2026-11-30&group_by=waba_id,market,pricing_type',
  '/v1/usage?from=2026-11&to=2026-11&group_by=category&limit=2',
  '/v1/usage?from=2026-01&to=2026-12&group_by=phone_number_id&format=csv',
  '/v1/charges?from=2026-01&to=2026-12&group_by=phone_number_id,market,category',
  '/v1/charges?granularity=day&from=2026-11-15&to=2026-11-30&phone_number_id=demo-pn-us-shop',
  '/v1/charges/unpriced',
];

/** `count` marketing messages of demo-pn-us-shop from `first` on, 5 h apart in late November 2026. */
function moreUnits(count: number, first: number): string {
  const lines = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const at = new Date(Date.parse('2026-11-22T09:00:00Z') + i * 5 * 3_600_000).toISOString();
    return `extra-${i},PMP,message,demo-waba-us,demo-pn-us-shop,1415555${String(i).padStart(4, '0')},marketing,${at},true,0.025`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: usage from the published rollups', () => {
  let r: Replicas;
  let key: string;
  let source = -1;

  /** The answer's body as text, without what names the moment of the answer (charges' as_of). */
  const answer = async (i: number, path: string) => {
    const res = await r.fetch(i, path, { token: key });
    const text = await res.text();
    const body = res.headers.get('content-type')?.includes('json')
      ? text.replace(/"as_of":"[^"]*",?/, '')
      : text;
    return { status: res.status, body };
  };
  const answers = (i: number) => Promise.all(ENDPOINTS.map((p) => answer(i, p)));
  /** Polls replica `i` until every answer equals the source's (bounded); the ms it took. */
  const sameAsSource = async (i: number, within = VISIBLE_WITHIN_MS) => {
    const want = await answers(source);
    const t0 = Date.now();
    let got = await answers(i);
    while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() - t0 < within) {
      await sleep(50);
      got = await answers(i);
    }
    expect(got).toEqual(want);
    return { ms: Date.now() - t0, answers: want };
  };
  const ingest = (csv: string) =>
    r.fetch(source, '/v1/ingest', {
      method: 'POST',
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
  const others = () => Array.from({ length: REPLICAS }, (_, i) => i).filter((i) => i !== source);

  beforeAll(async () => {
    r = await startReplicas({ count: REPLICAS });
    const [claim] = await r.query<{ claimed_by: string }>('SELECT claimed_by FROM usage_source');
    source = Array.from({ length: REPLICAS }, (_, i) => i).find((i) => r.id(i) === claim?.claimed_by) ?? -1;
    const partner = await call(r, source, 'POST', '/v1/partners', {
      body: { partner_id: 'demo', name: 'Demo' },
    });
    key = partner.body.api_key as string;
    for (const w of [
      { waba_id: 'demo-waba-us', timezone: 'America/Los_Angeles', currency: 'USD' },
      { waba_id: 'demo-waba-de', timezone: 'Europe/Berlin', currency: 'EUR' },
    ]) {
      const made = await call(r, source, 'POST', '/v1/wabas', {
        token: key,
        body: { ...w, name: w.waba_id },
      });
      if (made.status >= 300) throw new Error(`waba: ${made.status} ${JSON.stringify(made.body)}`);
    }
  }, 180_000);
  afterAll(async () => r?.stop(), 60_000);

  it('answers every replica the source’s usage within seconds of an ingest, and follows a second one', async () => {
    expect(source).toBeGreaterThanOrEqual(0);
    const first = await ingest(await readFile(DEMO_CSV, 'utf8'));
    expect(first.status).toBe(200);
    for (const i of others()) {
      const seen = await sameAsSource(i);
      process.stdout.write(
        `usage of the demo ingest visible on replica ${i} ${seen.ms} ms after its answer\n`,
      );
      expect(seen.answers.every((a) => a.status === 200)).toBe(true);
    }
    const before = await answer(source, ENDPOINTS[0]!);
    expect(before.body).toContain('"phone_number_id":"demo-pn-us-shop"');

    const second = await ingest(moreUnits(7, 0));
    expect(second.status).toBe(200);
    const after = await answer(source, ENDPOINTS[0]!);
    expect(after.body).not.toBe(before.body);
    for (const i of others()) {
      const seen = await sameAsSource(i);
      process.stdout.write(
        `usage of a second ingest visible on replica ${i} ${seen.ms} ms after its answer\n`,
      );
    }
    const [head] = await r.query<{ version: string }>(
      'SELECT version::TEXT AS version FROM published_usage_head',
    );
    expect(Number(head!.version)).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('refuses on another replica what only the units answer, naming the source', async () => {
    const other = others()[0]!;
    for (const path of [
      '/v1/usage?tz=UTC&from=2026-11&to=2026-11',
      '/v1/usage?granularity=hour&from=2026-11-21&to=2026-11-21',
      '/v1/charges?group_by=template_name&from=2026-11&to=2026-11',
    ]) {
      const res = await r.fetch(other, path, { token: key });
      expect(res.status).toBe(409);
      const problem = (await res.json()) as { code: string; usage_source?: { claimed_by: string } };
      expect(problem.code).toBe('not_usage_source');
      expect(problem.usage_source?.claimed_by).toBe(r.id(source));
      expect((await r.fetch(source, path, { token: key })).status).toBe(200);
    }
  }, 60_000);

  it('repairs a crash between the analytics commit and the publication when the source restarts', async () => {
    const published = await answers(others()[0]!);
    const [head] = await r.query<{ version: string }>(
      'SELECT version::TEXT AS version FROM published_usage_head',
    );
    // The publication waits behind this lock (plain reads pass), so the source dies with the usage committed in
    // its analytics and not published.
    await r.query('BEGIN');
    await r.query('LOCK TABLE published_usage_head IN EXCLUSIVE MODE');
    const stuck = ingest(moreUnits(5, 100)).catch((err: unknown) => err);
    const sourceBefore = JSON.stringify(await answers(source));
    const t0 = Date.now();
    while (JSON.stringify(await answers(source)) === sourceBefore && Date.now() - t0 < 30_000)
      await sleep(100);
    expect(JSON.stringify(await answers(source))).not.toBe(sourceBefore);
    await r.kill(source, 'SIGKILL');
    expect(await stuck).toBeInstanceOf(Error);
    await r.query('COMMIT');
    await sleep(1_500);
    const [still] = await r.query<{ version: string }>(
      'SELECT version::TEXT AS version FROM published_usage_head',
    );
    expect(still!.version).toBe(head!.version);
    for (const i of others()) expect(await answers(i)).toEqual(published);

    await r.restart(source);
    for (const i of others()) {
      const seen = await sameAsSource(i);
      expect(seen.answers).not.toEqual(published);
    }
    expect(r.log(source)).toContain('usage published');
  }, 180_000);
});
