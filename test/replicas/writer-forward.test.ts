/**
 * Ingest sent to a replica that is not the ingest writer goes on to the writer (worker/http/forward-to-writer.ts),
 * across three real service processes on one Postgres 15 server with the lake in a local S3 server: a batch and
 * a webhook posted to a standby are taken by the writer and counted once; a request already forwarded is not
 * forwarded again (409); the writer killed, a standby answers 503 writer_unreachable and writes nothing, and once
 * another replica is elected the standbys forward to it. Skipped, with the reason, only where the Postgres 15
 * binaries are missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORWARDED_BY } from '../../worker/http/forward-to-writer.js';
import { envelope, lines, pmp, status } from '../ingest/webhook-fixtures.js';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import type { Replicas } from '../helpers/replicas.js';
import { startElectedReplicas, type ElectedReplicas } from './elected-replicas.js';
import { call } from './replica-api.js';

const skipped = postgresUnavailable();
const REPLICAS = 3;
const LEASE_MS = 5_000;
const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';
const RATE = 91_300n; // 0.0913 EUR in micro-units

/** `count` marketing-lite messages of W1 at 0.0913 EUR, `stepMin` minutes apart from `from` on. */
function usageCsv(count: number, first: number, from: string, stepMin: number): string {
  const lines = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const at = new Date(Date.parse(from) + k * stepMin * 60_000).toISOString();
    return `wf-${i},PMP,message,WF,W1,49151323${String(i).padStart(5, '0')},marketing_lite,${at},true,0.0913`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

/** Large enough to be streamed in many chunks on its way to the writer (about 300 KB). */
const BIG = usageCsv(3_000, 0, '2026-10-03T08:00:00Z', 10);
const LOST = usageCsv(20, 10_000, '2026-11-10T08:00:00Z', 60);
const AFTER = usageCsv(15, 20_000, '2026-11-20T08:00:00Z', 60);

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const eur = (micros: bigint) => `-${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;

interface Problem {
  code: string;
  usage_source: { claimed_by: string; url?: string };
}

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: ingest sent to a standby is forwarded to the ingest writer', () => {
  let e: ElectedReplicas;
  let r: Replicas;
  let key: string;
  let up: Set<number>;
  const ingest = (i: number, csv: string, headers: Record<string, string> = {}) =>
    r.fetch(i, '/v1/ingest', {
      method: 'POST',
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv', ...headers },
    });
  const ledgerTotal = async () =>
    (
      await r.query<{ total: string }>(
        `SELECT coalesce(sum(amount), 0)::TEXT AS total FROM ledger_movements WHERE phone_number_id = 'W1'`,
      )
    )[0]!.total;
  const writer = (ms: number, not?: number) => e.writer(ms, not);
  const standbys = (w: number) => [...up].filter((i) => i !== w);
  /** Ingest through replica i until it is taken: a new writer answers 409 until its takeover opened ingest. */
  const ingestOnceOpen = async (i: number, csv: string, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const res = await ingest(i, csv);
      if (res.status !== 409 || Date.now() > until) return res;
      await res.text();
      await sleep(100);
    }
  };

  beforeAll(async () => {
    e = await startElectedReplicas({ count: REPLICAS, leaseMs: LEASE_MS, partner: 'fwdco', waba: 'WF' });
    ({ r, key, up } = e);
  }, 180_000);
  afterAll(() => e?.stop(), 60_000);

  it('a batch posted to a standby is taken by the writer and counted once; the same batch again is duplicates', async () => {
    const w = await writer(10_000);
    const [s, t] = standbys(w);
    const first = await ingest(s!, BIG);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ rows: 3_000, inserted: 3_000, duplicates: 0 });
    const again = await ingest(t!, BIG);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ rows: 3_000, inserted: 0, duplicates: 3_000 });
    expect(await ledgerTotal()).toBe(eur(3_000n * RATE));
    // The standbys wrote nothing of it in their own stores: they hold no batch.
    for (const i of [s!, t!]) {
      const batches = await call(r, i, 'GET', '/v1/ingest/batches', { token: key });
      expect(batches.status).toBe(200);
      expect(batches.body.batches, `replica ${i}`).toEqual([]);
    }
  }, 60_000);

  it('an intake webhook posted to a standby is accepted by the writer, once', async () => {
    const w = await writer(10_000);
    const [s, t] = standbys(w);
    const body = lines(
      envelope('WF', 'W1', [status('wamid.fwd.1', 'delivered', '2026-11-05T10:00:00Z', pmp('utility'))]),
    );
    const post = (i: number) =>
      r.fetch(i, '/v1/intake/webhooks', {
        method: 'POST',
        token: key,
        body,
        headers: { 'content-type': 'application/vnd.whatsapp.webhooks+x-ndjson' },
      });
    const a = await post(s!);
    expect(a.status).toBe(202);
    expect(await a.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    const b = await post(t!);
    expect(b.status).toBe(202);
    expect(await b.json()).toMatchObject({ accepted: 0, duplicates: 1 });
  }, 60_000);

  it('a request another replica forwarded is never forwarded again: 409 naming the writer', async () => {
    const w = await writer(10_000);
    const [s] = standbys(w);
    const before = await ledgerTotal();
    const res = await ingest(s!, LOST, { [FORWARDED_BY]: 'elsewhere' });
    expect(res.status).toBe(409);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('not_usage_source');
    expect(problem.usage_source).toMatchObject({ claimed_by: r.id(w), url: r.url(w) });
    expect(await ledgerTotal()).toBe(before);
  }, 60_000);

  it('the writer killed: 503 naming it and nothing written, then forwarded to the next writer', async () => {
    const dead = await writer(10_000);
    const before = await ledgerTotal();
    await r.kill(dead, 'SIGKILL');
    up.delete(dead);
    // Within the dead writer's lease the claim still names it: the standby cannot reach it.
    const [s] = standbys(dead);
    const res = await ingest(s!, LOST);
    expect(res.status).toBe(503);
    const problem = (await res.json()) as Problem & { reason: string };
    expect(problem.code).toBe('writer_unreachable');
    expect(problem.usage_source).toMatchObject({ claimed_by: r.id(dead), url: r.url(dead) });

    const next = await writer(60_000, dead);
    const [standby] = standbys(next);
    // The refused batch was written nowhere: through a standby, the new writer counts all of it as new.
    const lost = await ingestOnceOpen(standby!, LOST, 30_000);
    expect(lost.status).toBe(200);
    expect(await lost.json()).toMatchObject({ inserted: 20, duplicates: 0 });
    const after = await ingest(standby!, AFTER);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ inserted: 15, duplicates: 0 });
    expect(before).toBe(eur(3_000n * RATE));
    expect(await ledgerTotal()).toBe(eur(3_035n * RATE));
  }, 180_000);
});
