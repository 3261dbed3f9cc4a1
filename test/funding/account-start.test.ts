/**
 * worker/balance/account-start: a prepaid account starts at its first top-up or at a day the partner sets, and
 * only charges from that day on debit it. A customer's history ingested into a brand-new account leaves its
 * balance untouched. Real DuckDB, the real app; units ingested over HTTP, priced at the record's own rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { normalizeConfig } from '../../worker/config.js';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';
/** `n` paid marketing_lite messages at 0.50 each (no shipped card prices that category), one a day from `day` (a history the customer brings along). */
const history = (prefix: string, n: number, day: string) =>
  Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.parse(`${day}T10:00:00Z`) + i * 86_400_000).toISOString();
    return `${prefix}-${i},PMP,message,WE,E1,4915112345${String(i).padStart(3, '0')},marketing_lite,${at},true,0.5000`;
  });

describe('account start', () => {
  let h: Harness;
  let key: string;
  const ingest = (lines: string[]) =>
    h.json('POST', '/v1/ingest', {
      token: key,
      body: [HEADER, ...lines].join('\n') + '\n',
      headers: { 'content-type': 'text/csv' },
    });
  const balance = async () =>
    (await h.json('GET', '/v1/phone-numbers/E1/balance', { token: key })).body as Record<string, any>;

  beforeAll(async () => {
    h = await createHarness({ now: '2026-11-20T12:00:00Z', env: { SETTLEMENT_DELAY_MS: '0' } });
    key = await h.partner('acme');
    // The record's own rate prices these units: no EUR card prices marketing_lite.
    await h.waba(key, { waba_id: 'WE', timezone: 'Europe/Berlin', currency: 'EUR' }, ['E1']);
  });
  afterAll(() => h.close());

  it('leaves a new account untouched by the history ingested into it', async () => {
    const r = await ingest(history('hist', 438, '2025-09-01'));
    expect(r.status).toBe(200);
    expect(r.body.inserted).toBe(438);
    const charges = await h.json('GET', '/v1/charges?waba_id=WE&from=2025-09&to=2026-11', { token: key });
    const total = (charges.body.rows as { amount: string }[]).reduce((s, x) => s + Number(x.amount), 0);
    expect(total).toBeCloseTo(219, 6); // what the balance used to be charged: −219.00
    const b = await balance();
    expect(b).toMatchObject({ balance: '0.000000', state: 'zero' });
    expect(b.account_start).toEqual({
      phone_number_id: 'E1',
      starts_on: null,
      source: null,
      set_on: null,
      first_topup_on: null,
    });
    const moves = await h.money.all("SELECT 1 FROM ledger_movements WHERE phone_number_id = 'E1'");
    expect(moves).toHaveLength(0);
  });

  it('starts at the first top-up: that day’s usage and later charges debit it, the history does not', async () => {
    await ingest(history('today', 2, '2026-11-20')); // 1.00 on the day of the top-up, before it
    const q = await h.json('POST', '/v1/phone-numbers/E1/funds/quotes', {
      token: key,
      body: { mode: 'one_time', amount: '50.00', payment_method: 'bank_transfer' },
    });
    expect(q.status).toBe(201);
    const f = await h.json('POST', '/v1/phone-numbers/E1/funds', {
      token: key,
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': 'first-topup' },
    });
    expect(f.status).toBe(202);
    const config = normalizeConfig({ SETTLEMENT_DELAY_MS: '0' });
    await settleDueTopUps({
      db: h.db,
      money: h.money,
      config,
      domain: domainContextOf({ clock: h.clock, config }),
    });
    let b = await balance();
    expect(b.account_start).toMatchObject({ starts_on: '2026-11-20', source: 'first_topup' });
    expect(b.balance).toBe('49.000000'); // 50.00 − the 1.00 of its first day
    // Charges after the start debit it as they arrive.
    await ingest(history('after', 3, '2026-11-21'));
    b = await balance();
    expect(b.balance).toBe('47.500000');
  });

  it('lets the partner move the start back to charge the history, never past the first top-up', async () => {
    const later = await h.json('PUT', '/v1/phone-numbers/E1/account-start', {
      token: key,
      body: { starts_on: '2026-11-21' },
    });
    expect(later.status).toBe(409);
    const bad = await h.json('PUT', '/v1/phone-numbers/E1/account-start', {
      token: key,
      body: { starts_on: '2026-02-30' },
    });
    expect(bad.status).toBe(400);
    const back = await h.json('PUT', '/v1/phone-numbers/E1/account-start', {
      token: key,
      body: { starts_on: '2026-11-01' },
    });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({
      starts_on: '2026-11-01',
      source: 'partner',
      first_topup_on: '2026-11-20',
    });
    // The history from 2026-11-01 to 2026-11-12 (12 days at 0.50) now debits the balance: 47.50 − 6.00.
    expect((await balance()).balance).toBe('41.500000');
    const cleared = await h.json('PUT', '/v1/phone-numbers/E1/account-start', {
      token: key,
      body: { starts_on: null },
    });
    expect(cleared.body).toMatchObject({ starts_on: '2026-11-20', source: 'first_topup', set_on: null });
    expect((await balance()).balance).toBe('47.500000');
    const audit = await h.json('GET', '/v1/phone-numbers/E1/audit', { token: key });
    expect(audit.body.entries.filter((e: any) => e.action === 'account_start')).toHaveLength(2);
  });

  it('is read with read-balance and set only with an API key', async () => {
    const embed = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['E1'], scopes: ['read-balance', 'add-funds'] },
    });
    const read = await h.json('GET', '/v1/phone-numbers/E1/account-start', { token: embed.body.token });
    expect(read.status).toBe(200);
    expect(read.body.starts_on).toBe('2026-11-20');
    const write = await h.json('PUT', '/v1/phone-numbers/E1/account-start', {
      token: embed.body.token,
      body: { starts_on: '2026-11-01' },
    });
    expect(write.status).toBe(403);
  });
});
