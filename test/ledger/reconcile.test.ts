/**
 * worker/ledger/reconcile + funding/repair-drift over HTTP: the ledger's usage charges against the rollups, per
 * number and local day. In balance after normal work; a missing posting (usage committed, ledger not yet posted)
 * and a tampered movement are reported to the micro-unit, and the repair converges (running it again posts
 * nothing). Real DuckDB, the real app; units ingested over HTTP at the record's own rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';
/** `n` paid marketing_lite messages of `phone` at `rate`, one every 5 hours from `from`. */
const units = (prefix: string, phone: string, n: number, from: string, rate: string) =>
  Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.parse(from) + i * 5 * 3_600_000).toISOString();
    return `${prefix}-${i},PMP,message,WE,${phone},4915112345${String(i).padStart(3, '0')},marketing_lite,${at},true,${rate}`;
  });
const micros = (s: string) => BigInt(s.replace('.', ''));

describe('reconciliation of the ledger with usage', () => {
  let h: Harness;
  let key: string;
  let other: string;
  const report = (query = '', token = key) => h.json('GET', `/v1/reconciliation${query}`, { token });
  const balance = async (p: string) =>
    (await h.json('GET', `/v1/phone-numbers/${p}/balance`, { token: key })).body.balance as string;

  beforeAll(async () => {
    h = await createHarness({ now: '2026-11-20T12:00:00Z', env: { SETTLEMENT_DELAY_MS: '0' } });
    key = await h.partner('acme');
    other = await h.partner('beta');
    await h.waba(key, { waba_id: 'WE', timezone: 'Europe/Berlin', currency: 'EUR' }, ['E1', 'E2']);
    await h.waba(other, { waba_id: 'WB', timezone: 'Asia/Kolkata', currency: 'INR' }, ['B1']);
    const ingest = (lines: string[]) =>
      h.json('POST', '/v1/ingest', {
        token: key,
        body: [HEADER, ...lines].join('\n') + '\n',
        headers: { 'content-type': 'text/csv' },
      });
    // E1: history before its account starts, then a top-up, then charges after it. E2 never starts.
    expect((await ingest(units('hist', 'E1', 40, '2026-10-01T08:00:00Z', '0.0713'))).status).toBe(200);
    expect((await ingest(units('e2', 'E2', 30, '2026-11-01T08:00:00Z', '0.0500'))).status).toBe(200);
    const q = await h.json('POST', '/v1/phone-numbers/E1/funds/quotes', {
      token: key,
      body: { mode: 'one_time', amount: '50.00', payment_method: 'bank_transfer' },
    });
    await h.json('POST', '/v1/phone-numbers/E1/funds', {
      token: key,
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'recon-topup' },
    });
    const config = normalizeConfig({ SETTLEMENT_DELAY_MS: '0' });
    await settleDueTopUps({
      db: h.db,
      money: h.money,
      config,
      domain: domainContextOf({ clock: h.clock, config }),
    });
    h.clock.set('2026-11-27T12:00:00Z');
    expect((await ingest(units('now', 'E1', 25, '2026-11-20T13:00:00Z', '0.1171'))).status).toBe(200);
  });
  afterAll(() => h.close());

  it('finds the ledger in balance after normal work, with what was due and posted', async () => {
    const r = await report();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ in_balance: true, drift_days: 0, drift: [], truncated: false });
    expect(r.body.numbers_checked).toBe(2);
    // Due: E1's 25 charges after its start (its history and E2, never started, are not due).
    expect(r.body.totals).toEqual([
      { currency: 'EUR', expected: '2.927500', posted: '2.927500', difference: '0.000000' },
    ]);
    expect(await balance('E1')).toBe('47.072500');
  });

  it('reports a missing posting to the micro-unit and repairs it once', async () => {
    const before = await balance('E1');
    const [day] = await h.money.all<{ d: string; amt: string }>(
      `SELECT local_day AS d, (-SUM(amount))::VARCHAR AS amt FROM ledger_movements
        WHERE phone_number_id = 'E1' AND local_day IS NOT NULL GROUP BY 1 ORDER BY 1 DESC LIMIT 1`,
    );
    // The state a crash between the planes leaves: usage committed, that day's ledger posting not yet made.
    await h.money.run(`DELETE FROM ledger_movements WHERE phone_number_id = 'E1' AND local_day = $d`, {
      d: day!.d,
    });
    const r = await report('?waba_id=WE');
    expect(r.body.in_balance).toBe(false);
    expect(r.body.drift).toEqual([
      {
        phone_number_id: 'E1',
        currency: 'EUR',
        local_day: day!.d,
        expected: day!.amt,
        posted: '0.000000',
        difference: day!.amt,
      },
    ]);
    expect(r.body.repair_scope).toEqual([{ waba_id: 'WE', month: `${day!.d.slice(0, 7)}-01` }]);
    expect(micros(await balance('E1'))).toBe(micros(before) + micros(day!.amt));

    expect((await h.json('POST', '/v1/reconciliation/repair', { token: key })).status).toBe(403);
    const fixed = await h.json('POST', '/v1/reconciliation/repair', { token: ADMIN });
    expect(fixed.status).toBe(200);
    expect(fixed.body.numbers_reposted).toEqual(['E1']);
    expect(fixed.body.after.in_balance).toBe(true);
    expect(await balance('E1')).toBe(before);
    const rows = await h.money.all('SELECT 1 FROM ledger_movements');
    const again = await h.json('POST', '/v1/reconciliation/repair', { token: ADMIN });
    expect(again.body.numbers_reposted).toEqual([]);
    expect(await h.money.all('SELECT 1 FROM ledger_movements')).toHaveLength(rows.length);
  });

  it('reports a posting no usage explains, largest difference first', async () => {
    const before = await balance('E1');
    // Tampering: one charge row doubled (the ledger is append-only; nothing in the product does this).
    const [row] = await h.money.all<{ id: string; d: string; amt: string }>(
      `SELECT movement_id AS id, local_day AS d, amount::VARCHAR AS amt
         FROM ledger_movements WHERE phone_number_id = 'E1' AND kind = 'charge' ORDER BY seq LIMIT 1`,
    );
    await h.money.run('UPDATE ledger_movements SET amount = amount * 2 WHERE movement_id = $id', {
      id: row!.id,
    });
    const r = await report('?limit=1');
    expect(r.body.drift_days).toBe(1);
    expect(r.body.drift[0]).toMatchObject({ local_day: row!.d, difference: row!.amt });
    expect(micros(r.body.drift[0].posted) - micros(r.body.drift[0].expected)).toBe(-micros(row!.amt));
    const fixed = await h.json('POST', '/v1/reconciliation/repair?partner_id=acme', { token: ADMIN });
    expect(fixed.body.after.in_balance).toBe(true);
    // The repair offsets with an adjustment (the ledger is never rewritten): the balance is as before.
    expect(await balance('E1')).toBe(before);
  });

  it('keeps each partner to its own WABAs and checks its input like every other route', async () => {
    const mine = await report('', other);
    expect(mine.body).toMatchObject({ in_balance: true, numbers_checked: 0, totals: [] });
    expect((await report('?waba_id=WE', other)).status).toBe(404);
    const all = await report('', ADMIN);
    expect(all.body.numbers_checked).toBe(2);
    expect((await report('?partner_id=beta', ADMIN)).body.numbers_checked).toBe(0);
    for (const bad of ['?limit=0', '?limit=1001', '?waba_id=a%20b', '?unknown=1']) {
      expect((await report(bad)).status, bad).toBe(400);
    }
    expect((await h.json('GET', '/v1/reconciliation')).status).toBe(401);
  });
});
