/**
 * Three replicas of the service on one Postgres server share one money plane. A partner, WABA and numbers
 * created through replica 0 are served by replicas 1 and 2; 50 concurrent confirmations of one quote with one
 * Idempotency-Key, spread round-robin over the replicas, make one top-up and get 50 identical answers. With
 * every replica running the jobs, each due top-up settles exactly once (one settled ledger row of each kind per
 * top-up) and an auto-renewal fires once; a replica killed with SIGKILL while it holds the settlement lease loses
 * and duplicates nothing: once its lease has expired another replica settles the rest, and the killed one,
 * restarted, changes nothing. The money tables are read straight from the server. Skipped, with the reason,
 * only where the Postgres 15 binaries are missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMicros, toMicros } from '../../worker/kernel/money.js';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { addFunds, call, confirmTopUp, createTenant, quoteTopUp } from './replica-api.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const skipped = postgresUnavailable();
const REPLICAS = 3;
// Long enough to confirm every top-up of a step before the first of them is due.
const SETTLEMENT_DELAY_MS = 6_000;

interface TopUpRow {
  topup_id: string;
  phone_number_id: string;
  kind: string;
  status: string;
  amount: string;
}
interface MovementCount {
  topup_id: string;
  kind: string;
  status: string;
  n: string;
}

/** `n` jobs at a time from `items`. */
async function inBatches<T, R>(items: readonly T[], n: number, work: (item: T, i: number) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += n)
    out.push(...(await Promise.all(items.slice(i, i + n).map((item, j) => work(item, i + j)))));
  return out;
}

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: one money plane', () => {
  let r: Replicas;
  let key: string;
  const topups = (phones: readonly string[]) =>
    r.query<TopUpRow>(
      `SELECT topup_id, phone_number_id, kind, status, amount::TEXT AS amount FROM topups
        WHERE phone_number_id = ANY($1) ORDER BY topup_id`,
      [phones],
    );
  // Every ledger row of these numbers' top-ups, counted per top-up, kind and status.
  const movements = (phones: readonly string[]) =>
    r.query<MovementCount>(
      `SELECT topup_id, kind, status, count(*)::TEXT AS n FROM ledger_movements
        WHERE topup_id IS NOT NULL AND phone_number_id = ANY($1) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [phones],
    );
  const waitSettled = async (phones: readonly string[], count: number) => {
    for (let i = 0; i < 600; i++) {
      const rows = await topups(phones);
      if (rows.length === count && rows.every((t) => t.status === 'settled')) return rows;
      await sleep(100);
    }
    throw new Error(
      `top-ups of ${phones.join(',')} did not all settle: ${JSON.stringify(await topups(phones))}`,
    );
  };
  const expectOnceEach = async (phones: readonly string[], rows: readonly TopUpRow[]) => {
    const moved = await movements(phones);
    // One row per top-up and kind, all settled: nothing settled twice, nothing left pending.
    expect(moved.every((m) => m.n === '1' && m.status === 'settled')).toBe(true);
    expect(new Set(moved.map((m) => m.topup_id))).toEqual(new Set(rows.map((t) => t.topup_id)));
    for (const t of rows)
      expect(moved.filter((m) => m.topup_id === t.topup_id && m.kind.startsWith('topup_'))).toHaveLength(1);
  };
  const holderIndex = async (job: string) => {
    const [lease] = await r.query<{ holder: string }>('SELECT holder FROM job_leases WHERE job = $1', [job]);
    return Array.from({ length: REPLICAS }, (_, i) => i).find(
      (i) => `${r.id(i)}-${r.pid(i)}` === lease?.holder,
    );
  };

  beforeAll(async () => {
    r = await startReplicas({
      count: REPLICAS,
      env: { SETTLEMENT_DELAY_MS: String(SETTLEMENT_DELAY_MS), JOB_LEASE_GRACE_MS: '3000' },
    });
    key = await createTenant(r, 0, {
      partner: 'shared',
      waba: 'WS',
      numbers: ['S1', 'B1', 'B2', 'B3', 'B4', 'BA', 'C1', 'C2', 'C3'],
    });
  }, 180_000);
  afterAll(async () => r?.stop(), 60_000);

  it('tenancy created through one replica is served by the others', async () => {
    const seen = [];
    for (let i = 0; i < REPLICAS; i++) {
      const partners = await call(r, i, 'GET', '/v1/partners');
      const number = await call(r, i, 'GET', '/v1/phone-numbers/S1', { token: key });
      const wabas = await call(r, i, 'GET', '/v1/wabas', { token: key });
      seen.push({ partners, number, wabas });
    }
    expect(seen[0]!.number.status).toBe(200);
    expect(seen[0]!.number.body).toMatchObject({ phone_number_id: 'S1', waba_id: 'WS' });
    expect(JSON.stringify(seen[0]!.partners.body)).toContain('"shared"');
    expect(JSON.stringify(seen[0]!.wabas.body)).toContain('"WS"');
    // Replicas 1 and 2 answer exactly what replica 0 answers.
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });

  it('50 concurrent confirms with one Idempotency-Key over three replicas make one top-up', async () => {
    const quote = await quoteTopUp(r, 1, key, 'S1', '25.50');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => confirmTopUp(r, i % REPLICAS, key, 'S1', quote, 'one-key')),
    );
    expect(answers[0]!.status).toBe(202);
    expect(answers[0]!.body).toMatchObject({ status: 'pending', currency: 'EUR' });
    for (const a of answers) expect(a).toEqual(answers[0]);

    const topups = await r.query<{ topup_id: string; amount: string; status: string }>(
      `SELECT topup_id, amount::TEXT AS amount, status FROM topups WHERE phone_number_id = 'S1'`,
    );
    // Pending, or settled already if the settlement delay has passed meanwhile: one top-up either way.
    expect(topups).toEqual([
      {
        topup_id: answers[0]!.body.topup_id,
        amount: '25.500000',
        status: expect.stringMatching(/^(pending|settled)$/) as unknown,
      },
    ]);
    const movements = await r.query<{ kind: string; n: string }>(
      `SELECT kind, count(*)::TEXT AS n FROM ledger_movements WHERE phone_number_id = 'S1' GROUP BY kind`,
    );
    expect(movements.filter((m) => m.n !== '1')).toEqual([]);
    expect(movements.map((m) => m.kind)).toContain('topup_one_time');
    const keys = await r.query<{ n: string }>(
      `SELECT count(*)::TEXT AS n FROM idempotency_keys WHERE idem_key = 'one-key'`,
    );
    expect(keys).toEqual([{ n: '1' }]);
  });

  it('settles each due top-up once and fires an auto-renewal once while every replica runs the jobs', async () => {
    const phones = ['B1', 'B2', 'B3', 'B4'];
    const made = await inBatches([...phones, ...phones, ...phones], 6, (p, i) =>
      addFunds(r, i % REPLICAS, key, p, `${10 + i}.25`),
    );
    expect(new Set(made).size).toBe(12);
    // Auto-renewal on a number with nothing on it: one automatic top-up of 50, then the balance is above 10.
    const saved = await call(r, 1, 'PUT', '/v1/phone-numbers/BA/auto-renewal', {
      token: key,
      body: {
        enabled: true,
        threshold: '10',
        amount: '50',
        payment_method: 'bank_transfer',
        low_balance_threshold: '5',
      },
    });
    expect(saved.status).toBe(200);

    const settled = await waitSettled(phones, 12);
    await expectOnceEach(phones, settled);
    const auto = await waitSettled(['BA'], 1);
    expect(auto).toMatchObject([{ kind: 'auto', amount: '50.000000' }]);
    await expectOnceEach(['BA'], auto);

    // Balances are exactly what was paid in, on every replica.
    for (const p of phones) {
      const paid = settled
        .filter((t) => t.phone_number_id === p)
        .reduce((s, t) => s + toMicros(t.amount), 0n);
      for (let via = 0; via < REPLICAS; via++) {
        const b = await call(r, via, 'GET', `/v1/phone-numbers/${p}/balance`, { token: key });
        expect([p, via, b.status, b.body.balance]).toEqual([p, via, 200, fromMicros(paid)]);
      }
    }
    // One audit entry for the one settings change, one low-balance alert for the one crossing.
    const audit = await r.query<{ action: string }>(
      `SELECT action FROM funding_audit WHERE phone_number_id = 'BA' ORDER BY seq`,
    );
    expect(audit).toEqual([{ action: 'auto_renewal.update' }]);
    const alerts = await r.query<{ kind: string; n: string }>(
      `SELECT kind, count(*)::TEXT AS n FROM alerts WHERE phone_number_id = ANY($1) GROUP BY kind ORDER BY kind`,
      [[...phones, 'BA']],
    );
    expect(alerts.filter((a) => a.n !== '1')).toEqual([]);
    expect(alerts.map((a) => a.kind)).toContain('low_balance');
  }, 90_000);

  it('a holder killed with SIGKILL while settling: another settles the rest once; its restart adds nothing', async () => {
    const phones = ['C1', 'C2', 'C3'];
    const count = 90;
    await inBatches(
      Array.from({ length: count }, (_, i) => phones[i % 3]!),
      15,
      (p, i) => addFunds(r, i % REPLICAS, key, p, '1'),
    );
    const victim = await holderIndex('job:settle-topups');
    expect(victim).toBeDefined();
    const [before] = await r.query<{ token: string }>(
      `SELECT token::TEXT AS token FROM job_leases WHERE job = 'job:settle-topups'`,
    );
    // Kill the holder as soon as it has settled some of the top-ups and not all of them.
    let atKill = 0;
    for (let i = 0; i < 3000 && atKill === 0; i++) {
      const [row] = await r.query<{ n: string }>(
        `SELECT count(*)::TEXT AS n FROM topups WHERE status = 'settled' AND phone_number_id = ANY($1)`,
        [phones],
      );
      const n = Number(row!.n);
      if (n > 0 && n < count) atKill = n;
      else if (n === count) break;
      else await sleep(10);
    }
    expect(atKill).toBeGreaterThan(0);
    await r.kill(victim!, 'SIGKILL');
    // What the victim committed is all it ever will: the rest is left to the replica that takes its lease over.
    const [left] = await r.query<{ n: string }>(
      `SELECT count(*)::TEXT AS n FROM topups WHERE status = 'pending' AND phone_number_id = ANY($1)`,
      [phones],
    );
    expect(Number(left!.n)).toBeGreaterThan(0);

    const settled = await waitSettled(phones, count);
    await expectOnceEach(phones, settled);
    const [after] = await r.query<{ holder: string; token: string }>(
      `SELECT holder, token::TEXT AS token FROM job_leases WHERE job = 'job:settle-topups'`,
    );
    expect(Number(after!.token)).toBeGreaterThan(Number(before!.token));
    const survivors = Array.from({ length: REPLICAS }, (_, i) => i).filter((i) => i !== victim);
    expect(survivors.map((i) => `${r.id(i)}-${r.pid(i)}`)).toContain(after!.holder);

    // The killed replica comes back: a few settlement ticks later the ledger is the same.
    const ledger = () =>
      r.query(
        `SELECT movement_id, kind, status, amount::TEXT AS amount FROM ledger_movements
          WHERE phone_number_id = ANY($1) ORDER BY movement_id`,
        [phones],
      );
    const snapshot = await ledger();
    await r.restart(victim!);
    await sleep(5_000);
    expect(await ledger()).toEqual(snapshot);
    expect(await topups(phones)).toEqual(settled);
    for (const p of phones) {
      const b = await call(r, victim!, 'GET', `/v1/phone-numbers/${p}/balance`, { token: key });
      expect([p, b.body.balance]).toEqual([p, fromMicros(toMicros(String(count / 3)))]);
    }
  }, 120_000);
});
