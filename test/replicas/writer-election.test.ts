/**
 * The ingest-writer election across three real service processes on one Postgres 15 server, the ingest lake
 * shared through a local S3 server (s3rver): one replica wins the `ingest-writer` lease and takes ingest, the
 * others answer 409 not_usage_source naming it (its replica id and REPLICA_URL). The writer killed with SIGKILL,
 * another replica wins the lease once it expired, replays the batches the dead writer archived, takes the usage
 * source over and accepts ingest: the time from the kill to its first accepted batch is printed. Usage and
 * charges then answer the same on every replica as a single in-process store that took every batch, the ledger
 * holds every unit's charge exactly once and reconciliation finds no drift. The killed replica restarted is a
 * standby: no ingest, no posting. A writer stalled (SIGSTOP) past its lease is replaced; resumed, it refuses
 * ingest naming the new writer and posts nothing. The writer stopped with SIGTERM hands the lease over before it would have
 * expired. Skipped, with the reason, only where the Postgres 15 binaries are missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
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

/** `count` marketing-lite messages of W1 at 0.0913 EUR, 6 h apart from `from` on. */
function usageCsv(count: number, first: number, from: string): string {
  const lines = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const at = new Date(Date.parse(from) + k * 6 * 3_600_000).toISOString();
    return `we-${i},PMP,message,WW,W1,49151323${String(i).padStart(5, '0')},marketing_lite,${at},true,0.0913`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

const BATCHES = [
  usageCsv(40, 0, '2026-10-03T08:00:00Z'),
  usageCsv(25, 100, '2026-11-02T08:00:00Z'),
  usageCsv(30, 200, '2026-11-12T08:00:00Z'),
  usageCsv(10, 300, '2026-11-20T08:00:00Z'),
  usageCsv(8, 400, '2026-11-25T08:00:00Z'),
];
const ANSWERS = [
  '/v1/usage?waba_id=WW&from=2026-10&to=2026-11&group_by=phone_number_id',
  '/v1/usage?waba_id=WW&granularity=day&from=2026-11-01&to=2026-11-30&group_by=category',
  '/v1/charges?waba_id=WW&from=2026-10&to=2026-11&group_by=phone_number_id,category',
];

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const eur = (micros: bigint) => `-${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: the ingest writer elected through Postgres', () => {
  let e: ElectedReplicas;
  let r: Replicas;
  let key: string;
  let up: Set<number>;
  const ingest = (i: number, csv: string) =>
    r.fetch(i, '/v1/ingest', {
      method: 'POST',
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
  const lease = async () =>
    (
      await r.query<{ holder: string; token: string; acquired_at: Date; expires_at: Date }>(
        `SELECT holder, token::TEXT AS token, acquired_at, expires_at FROM job_leases WHERE job = 'ingest-writer'`,
      )
    )[0];
  const ledger = async () =>
    (
      await r.query<{ total: string; n: string }>(
        `SELECT coalesce(sum(amount), 0)::TEXT AS total, count(*)::TEXT AS n FROM ledger_movements
        WHERE phone_number_id = 'W1'`,
      )
    )[0]!;
  const writer = (ms: number, not?: number) => e.writer(ms, not);
  /** Sends the batch to every live replica in turn until one takes it; that replica and when it answered. */
  const ingestSomewhere = async (csv: string, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      for (const i of up) {
        const res = await ingest(i, csv);
        if (res.status === 200) return { i, at: Date.now() };
        if (res.status !== 409) throw new Error(`ingest via ${i}: ${res.status} ${await res.text()}`);
        await res.text();
      }
      if (Date.now() > until) throw new Error(`no replica took the batch within ${ms} ms`);
      await sleep(50);
    }
  };
  const answers = async (i: number) =>
    Promise.all(
      ANSWERS.map(async (path) => {
        const a = await call(r, i, 'GET', path, { token: key });
        expect(a.status, `${path} via ${i}`).toBe(200);
        const { as_of: _asOf, ...body } = a.body;
        return body;
      }),
    );

  beforeAll(async () => {
    e = await startElectedReplicas({
      count: REPLICAS,
      leaseMs: LEASE_MS,
      partner: 'electco',
      waba: 'WW',
      env: { INGEST_FORWARD_TIMEOUT_MS: '0' },
    });
    ({ r, key, up } = e);
  }, 180_000);
  afterAll(() => e?.stop(), 60_000);

  it('one writer takes ingest; the others answer 409 naming it', async () => {
    const w = await writer(10_000);
    expect((await ingest(w, BATCHES[0]!)).status).toBe(200);
    for (const i of up) {
      if (i === w) continue;
      const res = await ingest(i, BATCHES[1]!);
      expect(res.status).toBe(409);
      const problem = (await res.json()) as {
        code: string;
        usage_source: { claimed_by: string; url: string };
      };
      expect(problem.code).toBe('not_usage_source');
      expect(problem.usage_source.claimed_by).toBe(r.id(w));
      expect(problem.usage_source.url).toBe(r.url(w));
    }
    expect((await ledger()).total).toBe(eur(40n * RATE));
  }, 60_000);

  it('the writer killed, another takes over within the lease and the catch-up, with every batch', async () => {
    const dead = await writer(10_000);
    const killedAt = Date.now();
    await r.kill(dead, 'SIGKILL');
    up.delete(dead);
    const took = await ingestSomewhere(BATCHES[1]!, 60_000);
    const failoverMs = took.at - killedAt;
    console.log(`writer failover: ${failoverMs} ms from SIGKILL to the first batch accepted elsewhere`);
    expect(r.log(took.i)).toContain('ingest writer: open');
    expect(await writer(5_000)).toBe(took.i);
    // The dead writer's batch was replayed from the lake, the new one charged once: 65 units in all.
    expect((await ledger()).total).toBe(eur(65n * RATE));
    expect((await ingest(took.i, BATCHES[2]!)).status).toBe(200);
    expect((await ledger()).total).toBe(eur(95n * RATE));
    const rec = await call(r, took.i, 'GET', '/v1/reconciliation', { token: key });
    expect(rec.body.in_balance).toBe(true);

    // Restarted, the killed replica is a standby: it takes no ingest and posts nothing.
    const before = await ledger();
    await r.restart(dead);
    up.add(dead);
    expect(r.log(dead)).toContain('ingest writer election: competing for the lease');
    expect((await ingest(dead, BATCHES[4]!)).status).toBe(409);
    await sleep(LEASE_MS);
    expect(r.log(dead)).not.toContain('ingest writer: open');
    expect(await ledger()).toEqual(before);
    expect(await writer(1_000)).toBe(took.i);
  }, 180_000);

  it('a writer stalled past its lease (SIGSTOP) posts nothing and refuses ingest when it resumes', async () => {
    const stalled = await writer(10_000);
    const pid = r.pid(stalled)!;
    process.kill(pid, 'SIGSTOP');
    // A stopped process accepts connections and never answers: no request goes to it meanwhile.
    up.delete(stalled);
    try {
      const next = await writer(60_000, stalled);
      const took = await ingestSomewhere(BATCHES[3]!, 30_000);
      expect(took.i).toBe(next);
    } finally {
      process.kill(pid, 'SIGCONT');
      up.add(stalled);
    }
    const after = await ledger();
    expect(after.total).toBe(eur(105n * RATE));
    const res = await ingest(stalled, BATCHES[3]!);
    expect(res.status).toBe(409);
    const problem = (await res.json()) as { usage_source: { claimed_by: string } };
    expect(problem.usage_source.claimed_by).not.toBe(r.id(stalled));
    await sleep(LEASE_MS);
    expect(r.log(stalled)).toContain('ingest writer: stepped down');
    expect(await ledger()).toEqual(after);
  }, 120_000);

  it('a writer stopped with SIGTERM hands the lease over before it would have expired', async () => {
    const w = await writer(10_000);
    const held = await lease();
    const stoppedAt = Date.now();
    await r.kill(w, 'SIGTERM');
    up.delete(w);
    const next = await writer(60_000, w);
    console.log(`writer handover: ${Date.now() - stoppedAt} ms from SIGTERM to the next writer's claim`);
    const taken = await lease();
    expect(taken!.token).not.toBe(held!.token);
    // The new holder won it before the old lease's last renewal would have run out.
    expect(taken!.acquired_at.getTime()).toBeLessThan(held!.expires_at.getTime());
    const took = await ingestSomewhere(BATCHES[4]!, 30_000);
    expect(took.i).toBe(next);
    expect(r.log(next)).toContain('ingest writer: open');
    await r.restart(w);
    up.add(w);
    expect((await ledger()).total).toBe(eur(113n * RATE));
  }, 120_000);

  it('usage and charges on every replica equal one store that took every batch; no drift', async () => {
    const h: Harness = await createHarness({ now: new Date().toISOString() });
    try {
      const k = await h.partner('electco');
      await h.waba(k, { waba_id: 'WW', timezone: 'Europe/Berlin', currency: 'EUR' }, ['W1']);
      const start = await h.json('PUT', '/v1/phone-numbers/W1/account-start', {
        token: k,
        body: { starts_on: '2026-10-01' },
      });
      expect(start.status).toBe(200);
      for (const csv of BATCHES) {
        const res = await h.call('POST', '/v1/ingest', {
          token: k,
          body: csv,
          headers: { 'content-type': 'text/csv' },
        });
        expect(res.status).toBe(200);
      }
      const reference = await Promise.all(
        ANSWERS.map(async (path) => {
          const { as_of: _asOf, ...body } = (await h.json<Record<string, unknown>>('GET', path, { token: k }))
            .body;
          return body;
        }),
      );
      for (const i of up) expect(await answers(i), `replica ${i}`).toEqual(reference);
      const w = await writer(10_000);
      const rec = await call(r, w, 'GET', '/v1/reconciliation', { token: key });
      expect(rec.body.in_balance).toBe(true);
      const balance = await call(r, w, 'GET', '/v1/phone-numbers/W1/balance', { token: key });
      expect(balance.body.balance).toBe(eur(113n * RATE));
    } finally {
      await h.close();
    }
  }, 120_000);
});
