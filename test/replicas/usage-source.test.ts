/**
 * Three replicas on one Postgres server, each with its own analytics DuckDB: one of them is the usage source of
 * the money plane (the first to start claims it). Usage ingested through the source is charged once; a replica
 * that never saw that usage, restarted, leaves the ledger exactly as it was (its startup repair is skipped
 * instead of posting adjustments that undo the source's charges), and an ingest or a reconciliation sent to it
 * answers 409 not_usage_source and changes nothing. The ledger is read straight from the server. Skipped, with
 * the reason, only where the Postgres 15 binaries are missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { call, createTenant } from './replica-api.js';

const skipped = postgresUnavailable();
const REPLICAS = 3;
const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';

/** `count` marketing-lite messages of E1 at 0.0913 EUR, 7 h apart from 2 November 2026 on. */
function usageCsv(count: number, first = 0): string {
  const lines = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const at = new Date(Date.parse('2026-11-02T09:00:00Z') + i * 7 * 3_600_000).toISOString();
    return `u-${i},PMP,message,WE,E1,49151123${String(i).padStart(5, '0')},marketing_lite,${at},true,0.0913`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: one usage source', () => {
  let r: Replicas;
  let key: string;
  let source = -1;
  const ledger = async () => {
    const [row] = await r.query<{ total: string; n: string }>(
      `SELECT coalesce(sum(amount), 0)::TEXT AS total, count(*)::TEXT AS n FROM ledger_movements
        WHERE phone_number_id = 'E1'`,
    );
    return row!;
  };
  const ingest = (i: number, csv: string) =>
    r.fetch(i, '/v1/ingest', {
      method: 'POST',
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });

  beforeAll(async () => {
    r = await startReplicas({ count: REPLICAS });
    const [claim] = await r.query<{ claimed_by: string }>('SELECT claimed_by FROM usage_source');
    source = Array.from({ length: REPLICAS }, (_, i) => i).find((i) => r.id(i) === claim?.claimed_by) ?? -1;
    key = await createTenant(r, source, { partner: 'acme', waba: 'WE', numbers: ['E1'] });
    const start = await call(r, source, 'PUT', '/v1/phone-numbers/E1/account-start', {
      token: key,
      body: { starts_on: '2026-11-01' },
    });
    if (start.status !== 200) throw new Error(`account start: ${JSON.stringify(start.body)}`);
  }, 180_000);
  afterAll(async () => r?.stop(), 60_000);

  it('the first replica to start claimed the source', () => {
    expect(source).toBeGreaterThanOrEqual(0);
    expect(r.log(source)).not.toContain('not the usage source');
    for (let i = 0; i < REPLICAS; i++) if (i !== source) expect(r.log(i)).toContain('not the usage source');
  });

  it('a replica that never saw the usage leaves its charges alone when it restarts', async () => {
    expect((await ingest(source, usageCsv(60))).status).toBe(200);
    const charged = await ledger();
    expect(charged.total).toBe('-5.478000'); // 60 × 0.0913
    const other = (source + 1) % REPLICAS;
    await r.kill(other, 'SIGTERM');
    await r.restart(other);
    expect(r.log(other)).toContain('not the usage source');
    expect(r.log(other)).not.toContain('ledger reconciled at startup');
    expect(await ledger()).toEqual(charged);
    // Every replica reads the one money plane.
    const balance = await call(r, other, 'GET', '/v1/phone-numbers/E1/balance', { token: key });
    expect(balance.body.balance).toBe('-5.478000');
  }, 120_000);

  it('ingest and reconciliation sent to another replica answer 409 and change nothing', async () => {
    const before = await ledger();
    for (let i = 0; i < REPLICAS; i++) {
      if (i === source) continue;
      const res = await ingest(i, usageCsv(5, 100));
      expect(res.status).toBe(409);
      const problem = (await res.json()) as { code?: string; type?: string; detail?: string };
      expect(JSON.stringify(problem)).toContain('not_usage_source');
      expect(JSON.stringify(problem)).toContain('CLAIM_USAGE_SOURCE=true');
      // Its own analytics took nothing either.
      const batches = await call(r, i, 'GET', '/v1/ingest/batches', { token: key });
      expect(batches.status).toBe(200);
      expect(JSON.stringify(batches.body)).not.toContain('"rows"');
      expect((await call(r, i, 'GET', '/v1/reconciliation', { token: key })).status).toBe(409);
      expect((await call(r, i, 'POST', '/v1/reconciliation/repair')).status).toBe(409);
    }
    expect(await ledger()).toEqual(before);
    expect((await call(r, source, 'GET', '/v1/reconciliation', { token: key })).body.in_balance).toBe(true);
  }, 120_000);
});
