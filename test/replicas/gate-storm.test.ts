/**
 * The send gate across three replicas on one Postgres money plane: a number whose settled balance covers exactly
 * N paid sends (N × the rate of a marketing template to Germany on the EUR card in force, below N + 1 of them)
 * gets a storm of 3N concurrent paid authorizations spread round-robin over the replicas, and exactly N go
 * through, the rest answered 402 insufficient_balance. Then a replica holding part of another such balance is
 * killed with SIGKILL: until its lease ends the others cannot spend its unused part (nor ever its spent part),
 * and after the end they spend the balance to exactly N. Skipped, with the reason, only where the Postgres 15
 * binaries are missing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMicros, toMicros } from '../../worker/kernel/money.js';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { addFunds, call, createTenant } from './replica-api.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const skipped = postgresUnavailable();
const N = 25;
const TTL_MS = 4_000;
// The EUR card in force now (per-message pricing), Germany's marketing rate: what each send holds.
const CARD = JSON.parse(
  readFileSync(new URL('../../data/rate-cards/eur-pmp-2026-07-01.json', import.meta.url), 'utf8'),
) as { rates: { market: string; category: string; rate: string }[] };
const PRICE = toMicros(CARD.rates.find((r) => r.market === 'Germany' && r.category === 'marketing')!.rate);
// A top-up in whole cents that covers N sends and not N + 1.
const TOP_UP = fromMicros(((BigInt(N) * PRICE + 9_999n) / 10_000n) * 10_000n);

if (skipped) it.skip(`replicas: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('replicas: the send gate holds balance on the money plane', () => {
  let r: Replicas;
  let key: string;

  beforeAll(async () => {
    expect(toMicros(TOP_UP)).toBeGreaterThanOrEqual(BigInt(N) * PRICE);
    expect(toMicros(TOP_UP)).toBeLessThan(BigInt(N + 1) * PRICE);
    r = await startReplicas({
      count: 3,
      env: {
        SETTLEMENT_DELAY_MS: '0',
        GATE_HOLD_SENDS: '4',
        GATE_HOLD_TTL_MS: String(TTL_MS),
        GATE_HOLD_IDLE_MS: '60000',
      },
    });
    key = await createTenant(r, 0, { partner: 'storm', waba: 'W-STORM', numbers: ['P-STORM', 'P-KILL'] });
    for (const phone of ['P-STORM', 'P-KILL']) await addFunds(r, 0, key, phone, TOP_UP);
    // Settled by whichever replica holds the settlement job's lease.
    for (let i = 0; i < 300; i++) {
      const rows = await r.query<{ n: string }>(
        `SELECT count(*)::TEXT AS n FROM ledger_movements WHERE status = 'settled' AND kind LIKE 'topup_%'
            AND phone_number_id IN ('P-STORM', 'P-KILL')`,
      );
      if (rows[0]?.n === '2') break;
      await sleep(100);
    }
  }, 120_000);
  afterAll(async () => r?.stop());

  let customer = 0;
  // One paid send (a marketing template to a new German customer) through replica `i`.
  const send = (i: number, phone: string) =>
    call(r, i, 'POST', `/v1/phone-numbers/${phone}/messages/authorize`, {
      token: key,
      body: {
        direction: 'outbound',
        recipient: `49151${String(++customer).padStart(8, '0')}`,
        kind: 'template',
        category: 'marketing',
      },
    });
  const storm = async (replicas: readonly number[], phone: string, count: number) => {
    const answers = await Promise.all(
      Array.from({ length: count }, (_, k) => send(replicas[k % replicas.length]!, phone)),
    );
    for (const a of answers) {
      if (a.status === 200) expect(a.body).toMatchObject({ allowed: true, paid: true });
      else expect(a).toMatchObject({ status: 402, body: { code: 'insufficient_balance' } });
    }
    return answers.filter((a) => a.status === 200).length;
  };
  const holds = (phone: string) =>
    r.query<{ holder: string; amount: string; used: string; closed: boolean; expires_ms: string }>(
      `SELECT holder, amount::TEXT AS amount, used::TEXT AS used, closed, expires_ms::TEXT AS expires_ms
         FROM gate_holds WHERE phone_number_id = $1 ORDER BY created_ms`,
      [phone],
    );

  it(`a balance for exactly ${N} sends: ${3 * N} concurrent paid sends over three replicas allow exactly ${N}`, async () => {
    expect(await storm([0, 1, 2], 'P-STORM', 3 * N)).toBe(N);
    // The holds' spent parts add up to the sends allowed, to the micro-unit.
    const spent = (await holds('P-STORM')).reduce((s, h) => s + toMicros(h.used), 0n);
    expect(spent).toBe(BigInt(N) * PRICE);
    // A balance cannot be spent twice: once the storm is over, no replica allows another.
    expect(await storm([0, 1, 2], 'P-STORM', 6)).toBe(0);
  }, 60_000);

  it('a replica killed while holding: its unused part returns when its lease ends, its spent part stays', async () => {
    expect(await storm([0], 'P-KILL', 2)).toBe(2);
    const [held] = await holds('P-KILL');
    expect(held).toMatchObject({ holder: 'replica-0', closed: false });
    expect(toMicros(held!.amount)).toBe(4n * PRICE);
    expect(toMicros(held!.used)).toBe(2n * PRICE);
    await r.kill(0, 'SIGKILL');

    const during = await storm([1, 2], 'P-KILL', 2 * N);
    // Never more than what the killed replica did not spend; while its lease ran, not its unused part either.
    expect(2 + during).toBeLessThanOrEqual(N);
    if (Date.now() < Number(held!.expires_ms)) expect(during).toBe(N - 4);

    await sleep(Math.max(0, Number(held!.expires_ms) + 200 - Date.now()));
    const after = await storm([1, 2], 'P-KILL', 2 * N);
    expect(2 + during + after).toBe(N);
    const spent = (await holds('P-KILL')).reduce((s, h) => s + toMicros(h.used), 0n);
    expect(spent).toBe(BigInt(N) * PRICE);
  }, 60_000);
});
