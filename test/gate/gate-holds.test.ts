/**
 * worker/gate/gate-holds.ts and hold-sql.ts on every store: a hold is reserved from the settled balance in
 * chunks and spent locally, a balance is spent to the last send and never past it by several holders, an ended
 * lease gives its unused part back (its spent part stays until the ledger's usage mark passes it or the backstop
 * does), and on a Postgres server many holders on their own connections reserving at once never exceed the
 * balance.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../worker/db/db.js';
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import { GateHolds, type HoldSettings } from '../../worker/gate/gate-holds.js';
import { freeBalance, insertHold, recordHoldSpend } from '../../worker/gate/hold-sql.js';
import { toMicros } from '../../worker/kernel/money.js';
import { advanceUsageMarks } from '../../worker/ledger/usage-marks.js';
import { openStore as openDuckDb } from '../../worker/pricing/open-store.js';
import { describeOnStores, fileServer, STORE_KINDS, stopFileServer } from '../helpers/store-kinds.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const PRICE = toMicros('0.1');
const settings = (over: Partial<HoldSettings> = {}): HoldSettings => ({
  sends: 4,
  ttlMs: 10_000,
  idleMs: 60_000,
  backstopMs: 3_600_000,
  record: 'each',
  ...over,
});

afterAll(stopFileServer);

describeOnStores('worker/gate/gate-holds: %s', STORE_KINDS, (kind) => {
  let db: Db;
  let n = 0;
  const made: GateHolds[] = [];
  const holds = (holder: string, over: Partial<HoldSettings> = {}) => {
    const g = new GateHolds(db, holder, settings(over));
    made.push(g);
    return g;
  };
  // Every test its own number: the Postgres server is shared by the file.
  const phone = () => `${kind}-${Date.now()}-${++n}`;
  // A settled top-up written as the ledger stores it (the holds read only settled movements of the number).
  const fund = (p: string, amount: string) =>
    db.run(
      `INSERT INTO ledger_movements (movement_id, seq, phone_number_id, kind, amount, affects_balance, currency,
                                     status, requested_at)
       VALUES ($id, nextval('ledger_seq'), $p, 'topup_one_time', CAST($amount AS DECIMAL(18, 6)), true, 'USD',
               'settled', CAST($at AS TIMESTAMPTZ))`,
      { id: `mv-${p}`, p, amount, at: new Date().toISOString() },
    );
  const free = async (p: string) => (await freeBalance(db, p, 'test', Date.now(), 3_600_000)).free;
  const spendAll = async (g: GateHolds, p: string, times: number) => {
    let ok = 0;
    for (let i = 0; i < times; i++) if (await g.spend(p, PRICE, Date.now())) ok++;
    return ok;
  };

  beforeAll(async () => {
    db =
      kind === 'duckdb'
        ? await openDuckDb({ path: ':memory:' }, new Date())
        : await openMoneyStore({
            moneyStore: kind === 'pglite' ? { kind, dir: null } : { kind, url: (await fileServer()).url },
          });
  });
  afterAll(async () => {
    for (const g of made) await g.close();
    await db?.close();
  });

  it('reserves a chunk of sends and spends from it without asking again; the next chunk closes the last', async () => {
    const p = phone();
    await fund(p, '1');
    const a = holds('a');
    expect(await a.spend(p, PRICE, Date.now())).toBe(true);
    const rows = () =>
      db.all<{ amount: string; used: string; closed: boolean }>(
        'SELECT amount, used, closed FROM gate_holds WHERE phone_number_id = $p ORDER BY created_ms, closed DESC',
        { p },
      );
    expect(await rows()).toEqual([{ amount: '0.400000', used: '0.100000', closed: false }]);
    expect(await free(p)).toBe(toMicros('0.6'));
    expect(await spendAll(a, p, 3)).toBe(3);
    expect((await rows()).length).toBe(1);
    expect(await a.spend(p, PRICE, Date.now())).toBe(true);
    expect(await rows()).toEqual([
      { amount: '0.400000', used: '0.400000', closed: true },
      { amount: '0.400000', used: '0.100000', closed: false },
    ]);
    // Spent 0.5 (until the charges post), 0.3 reserved unused.
    expect(await free(p)).toBe(toMicros('0.2'));
  });

  it('two holders spend a balance to the last send and not one past it', async () => {
    const p = phone();
    await fund(p, '1.05');
    const a = holds('a');
    const b = holds('b');
    let ok = 0;
    for (let i = 0; i < 15; i++) if (await (i % 2 ? a : b).spend(p, PRICE, Date.now())) ok++;
    // Round-robin may leave part of a chunk with the other holder: giving both back lets the rest be spent.
    await a.giveBack();
    await b.giveBack();
    ok += await spendAll(a, p, 5);
    expect(ok).toBe(10);
    expect(await free(p)).toBe(toMicros('0.05'));
  });

  it('a holder that stops (killed): its unused part returns when the lease ends, its spent part stays', async () => {
    const p = phone();
    await fund(p, '1');
    const now = Date.now();
    // What a killed holder leaves: 0.4 reserved until now + 3 s, 0.1 of it spent and recorded.
    await insertHold(
      db,
      { holdId: `${p}-dead`, phoneNumberId: p, amount: toMicros('0.4'), expiresMs: now + 3000 },
      'dead',
      now,
      true,
    );
    expect(await recordHoldSpend(db, { holdId: `${p}-dead`, used: PRICE, lastMs: now }, now)).toBe(true);
    const b = holds('b');
    expect(await spendAll(b, p, 8)).toBe(6);
    await sleep(Math.max(0, now + 3050 - Date.now()));
    // Recording after the end is refused: nothing can be spent from an ended lease.
    expect(
      await recordHoldSpend(db, { holdId: `${p}-dead`, used: 2n * PRICE, lastMs: now }, Date.now()),
    ).toBe(false);
    expect(await spendAll(b, p, 5)).toBe(3);
    expect(await free(p)).toBeLessThan(PRICE);
  });

  it('a holder killed while recording only at the end: its whole hold counts until the usage mark passes its end', async () => {
    const p = phone();
    await fund(p, '1');
    const now = Date.now();
    await insertHold(
      db,
      { holdId: `${p}-dead`, phoneNumberId: p, amount: toMicros('0.4'), expiresMs: now + 200 },
      'dead',
      now,
      false,
    );
    await sleep(250);
    expect(await free(p)).toBe(toMicros('0.6'));
    await advanceUsageMarks(db, [{ phone_number_id: p, posted_through_ms: now + 100 }]);
    expect(await free(p)).toBe(toMicros('0.6'));
    await advanceUsageMarks(db, [{ phone_number_id: p, posted_through_ms: now + 200 }]);
    expect(await free(p)).toBe(toMicros('1'));
    // A mark never moves back.
    await advanceUsageMarks(db, [{ phone_number_id: p, posted_through_ms: now }]);
    expect(await free(p)).toBe(toMicros('1'));
  });

  it('a spent part stops counting once the ledger has posted usage up to its last send, or after the backstop', async () => {
    const p = phone();
    await fund(p, '1');
    const a = holds('a', { record: 'lease' });
    const at = Date.now();
    expect(await spendAll(a, p, 3)).toBe(3);
    await a.giveBack();
    // Given back: only the spent 0.3 counts.
    expect(await free(p)).toBe(toMicros('0.7'));
    const last = Number(
      (
        await db.all<{ ms: string }>(
          'SELECT max(last_ms)::VARCHAR AS ms FROM gate_holds WHERE phone_number_id = $p',
          { p },
        )
      )[0]!.ms,
    );
    expect(last).toBeGreaterThanOrEqual(at);
    await advanceUsageMarks(db, [{ phone_number_id: p, posted_through_ms: last - 1 }]);
    expect(await free(p)).toBe(toMicros('0.7'));
    await advanceUsageMarks(db, [{ phone_number_id: p, posted_through_ms: last }]);
    expect(await free(p)).toBe(toMicros('1'));

    const q = phone();
    await fund(q, '1');
    const c = holds('c', { backstopMs: 1000 });
    expect(await spendAll(c, q, 2)).toBe(2);
    await c.giveBack();
    expect((await freeBalance(db, q, 'x', Date.now(), 1000)).free).toBe(toMicros('0.8'));
    expect((await freeBalance(db, q, 'x', Date.now() + 1001, 1000)).free).toBe(toMicros('1'));
  });

  it('an idle hold is given back by the timer', async () => {
    const p = phone();
    await fund(p, '1');
    const a = holds('a', { idleMs: 100 });
    expect(await a.spend(p, PRICE, Date.now())).toBe(true);
    expect(await free(p)).toBe(toMicros('0.6'));
    await sleep(400);
    expect(await free(p)).toBe(toMicros('0.9'));
  });

  if (kind === 'postgres') {
    it('holders on separate connections spending at once never exceed the balance', async () => {
      const p = phone();
      await fund(p, '2');
      const url = (await fileServer()).url;
      const stores: Db[] = [];
      const hs: GateHolds[] = [];
      for (let i = 0; i < 4; i++)
        stores.push(await openMoneyStore({ moneyStore: { kind: 'postgres', url } }));
      try {
        for (const [i, s] of stores.entries())
          hs.push(new GateHolds(s, `h${i}`, settings({ sends: 3, ttlMs: 5000 })));
        const tries = Array.from({ length: 80 }, (_, i) => hs[i % hs.length]!.spend(p, PRICE, Date.now()));
        const first = (await Promise.all(tries)).filter(Boolean).length;
        expect(first).toBeLessThanOrEqual(20);
        for (const g of hs) await g.giveBack();
        const used = await db.all<{ u: string }>(
          'SELECT CAST(SUM(used) AS DECIMAL(18, 6))::VARCHAR AS u FROM gate_holds WHERE phone_number_id = $p',
          { p },
        );
        expect(toMicros(used[0]!.u)).toBe(BigInt(first) * PRICE);
        // Whatever a round-robin left in other holders' chunks is free again once given back.
        const rest = (
          await Promise.all(Array.from({ length: 30 }, (_, i) => hs[i % 4]!.spend(p, PRICE, Date.now())))
        ).filter(Boolean).length;
        expect(first + rest).toBe(20);
      } finally {
        for (const g of hs) await g.close();
        for (const s of stores) await s.close();
      }
    });
  }
});
