/**
 * The payment processor's webhook moves money, so it must credit once whatever the processor does: the same
 * `payment.succeeded` delivered twenty times at once over a real HTTP server, replayed later under another
 * event id, contradicted by a late `payment.failed`, or racing the settlement job — one settled credit, one
 * balance, and every repeat answers 200 with `changed: false`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingTopUps, settledBalance } from '../../worker/ledger/ledger.js';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { signPayload } from '../../worker/funding/payment-signature.js';
import { createFixture, ENV, type Fixture } from '../funding/fixtures.js';

describe('payment webhooks are idempotent', () => {
  let f: Fixture;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    f = await createFixture(['P1', 'P2']);
    server = await f.h.listen();
  });
  afterAll(async () => {
    await server.close();
    await f.h.close();
  });

  const confirm = async (phone: string, amount: string, key: string): Promise<string> => {
    const q = await f.json('POST', `/v1/phone-numbers/${phone}/funds/quotes`, {
      body: { mode: 'one_time', amount, payment_method: 'bank_transfer' },
    });
    const c = await f.json('POST', `/v1/phone-numbers/${phone}/funds`, {
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': key },
    });
    expect(c.status).toBe(202);
    return c.body.topup_id as string;
  };

  const post = async (event: Record<string, unknown>) => {
    const raw = JSON.stringify(event);
    const r = await fetch(`${server.url}/v1/payments/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': await signPayload(ENV.SIGNING_SECRET, raw),
      },
      body: raw,
    });
    return { status: r.status, body: (await r.json()) as { status: string; changed: boolean } };
  };

  const credits = (topupId: string) =>
    f.h.db.all<{ n: number; settled: number }>(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE status = 'settled')::INTEGER AS settled
         FROM ledger_movements WHERE topup_id = $t AND kind LIKE 'topup_%'`,
      { t: topupId },
    );

  it('credits once when the same event arrives twenty times at once', async () => {
    const topup = await confirm('P1', '25', 'wh-1');
    const event = { id: 'evt_1', type: 'payment.succeeded', topup_id: topup };
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(event)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.changed)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.status))).toEqual(new Set(['settled']));
    expect(await settledBalance(f.h.db, 'P1')).toBe('25.000000');
    expect(await pendingTopUps(f.h.db, 'P1')).toBe('0.000000');
    expect(await credits(topup)).toEqual([{ n: 1, settled: 1 }]);
  });

  it('ignores a later replay under another event id and a contradicting payment.failed', async () => {
    const [topup] = await f.h.db.all<{ topup_id: string }>(
      "SELECT topup_id FROM topups WHERE phone_number_id = 'P1'",
    );
    const replay = await post({ id: 'evt_1-retry', type: 'payment.succeeded', topup_id: topup!.topup_id });
    expect(replay).toEqual({
      status: 200,
      body: { received: true, topup_id: topup!.topup_id, status: 'settled', changed: false },
    });
    const failed = await post({ id: 'evt_2', type: 'payment.failed', topup_id: topup!.topup_id });
    expect(failed.body).toMatchObject({ status: 'settled', changed: false });
    expect(await settledBalance(f.h.db, 'P1')).toBe('25.000000');
    expect(await credits(topup!.topup_id)).toEqual([{ n: 1, settled: 1 }]);
  });

  it('credits once when webhooks race the settlement job', async () => {
    const topup = await confirm('P2', '40', 'wh-2');
    f.h.clock.advance(30 * 60 * 1000);
    const deps = f.jobDeps;
    const event = { id: 'evt_3', type: 'payment.succeeded', topup_id: topup };
    const [jobA, hooks, jobB] = await Promise.all([
      settleDueTopUps(deps),
      Promise.all(Array.from({ length: 8 }, () => post(event))),
      settleDueTopUps(deps),
    ]);
    const changes = jobA + jobB + hooks.filter((h) => h.body.changed).length;
    expect(changes).toBe(1);
    expect(await settledBalance(f.h.db, 'P2')).toBe('40.000000');
    expect(await credits(topup)).toEqual([{ n: 1, settled: 1 }]);
    expect(await settledBalance(f.h.db, 'P1')).toBe('25.000000');
  });

  it('answers the same for a confirm retried after settlement, and adds no second top-up', async () => {
    const q = await f.h.db.all<{ quote_id: string }>(
      "SELECT quote_id FROM topups WHERE phone_number_id = 'P2'",
    );
    const again = await f.json('POST', '/v1/phone-numbers/P2/funds', {
      body: { quote_id: q[0]!.quote_id },
      headers: { 'idempotency-key': 'wh-2' },
    });
    expect(again.status).toBe(202);
    expect(
      await f.h.db.all("SELECT count(*)::INTEGER AS n FROM topups WHERE phone_number_id = 'P2'"),
    ).toEqual([{ n: 1 }]);
    expect(await settledBalance(f.h.db, 'P2')).toBe('40.000000');
  });
});
