/**
 * The ingest edge under fuzzed hostile input: 150+ malformed or hostile bodies across CSV, NDJSON, Parquet,
 * Arrow IPC and webhook envelopes (ingest-fuzz-inputs.ts, deterministic). Each is answered with its exact 4xx
 * and problem code, and leaves usage, charges, balances, numbers, batches and the gate's state as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMovement } from '../../worker/ledger/ledger.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv } from '../ingest/fixtures.js';
import { fuzzCases, type FuzzCase } from './ingest-fuzz-inputs.js';

const SNAPSHOT = `SELECT
  (SELECT count(*) FROM units)::INTEGER AS units,
  (SELECT COALESCE(sum(amount), 0)::VARCHAR FROM units) AS unit_amounts,
  (SELECT COALESCE(sum(n_paid), 0)::VARCHAR || ' ' || COALESCE(sum(amount), 0)::VARCHAR FROM usage_daily) AS charges,
  (SELECT COALESCE(sum(n_all), 0)::VARCHAR FROM usage_monthly) AS usage,
  (SELECT count(*) FROM ledger_movements)::INTEGER AS movements,
  (SELECT COALESCE(sum(amount) FILTER (WHERE status = 'settled'), 0)::VARCHAR FROM ledger_movements) AS balance,
  (SELECT count(*) FROM phone_numbers)::INTEGER AS numbers,
  (SELECT count(*) FROM ingest_batches)::INTEGER AS batches,
  (SELECT count(*) FROM status_events)::INTEGER AS events,
  (SELECT count(*) FROM inbound_messages)::INTEGER AS inbound,
  (SELECT count(*) FROM gate_customer_state)::INTEGER AS gate`;

describe('ingest fuzz: hostile input changes nothing', () => {
  let h: Harness;
  let key: string;
  let cases: FuzzCase[];
  const snapshot = async () => {
    await h.services.gate.state.flush();
    return (await h.db.all(SNAPSHOT))[0];
  };

  beforeAll(async () => {
    h = await createHarness({ now: '2025-08-15T12:00:00Z' });
    key = await h.partner('acme');
    const other = await h.partner('globex');
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
    await h.waba(other, { waba_id: 'W2', timezone: 'Asia/Kolkata', currency: 'INR' }, ['P3']);
    await appendMovement(h.db, {
      phone_number_id: 'P1',
      kind: 'topup_one_time',
      amount: '100',
      currency: 'USD',
      status: 'settled',
      requested_at: new Date('2025-08-01T00:00:00Z'),
    });
    const r = await h.json('POST', '/v1/ingest', {
      token: key,
      body: toCsv([rec('base-1'), rec('base-2', { opened_at: '2025-08-10T10:00:00Z' })]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.status).toBe(200);
    cases = await fuzzCases();
  }, 120_000);
  afterAll(() => h.close());

  it('has at least 150 cases over the five formats', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const types = new Set(cases.map((c) => c.type));
    expect(types.size).toBe(5);
  });

  it('answers every case with its 4xx and code, naming the column, and changes nothing', async () => {
    const before = await snapshot();
    const wrong: string[] = [];
    for (const c of cases) {
      const r = await h.json('POST', '/v1/ingest', {
        token: key,
        body: c.body,
        headers: { 'content-type': c.type },
      });
      const columns = (r.body?.issues ?? []).map((i: { column?: string }) => i.column);
      if (r.status !== c.status || r.body?.code !== c.code)
        wrong.push(`${c.name}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      else if (c.column && !columns.includes(c.column))
        wrong.push(`${c.name}: issues name ${columns.join(', ')}, not ${c.column}`);
      else if (
        !r.body.issues?.every((i: { reason?: string }) => typeof i.reason === 'string' && i.reason.length > 0)
      )
        wrong.push(`${c.name}: an issue without a reason`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 300_000);
});
