/** Shared set-up for balance and funding tests: a partner with one EUR WABA, usage rows, signed webhooks. */
import { normalizeConfig, type Config } from '../../worker/config.js';
import { postUsageCharges } from '../../worker/funding/post-usage-charges.js';
import { appendMovement, checkUsageDiffs } from '../../worker/ledger/ledger.js';
import { usageDiffs } from '../../worker/ledger/sync-charges.js';
import { domainContextOf, type DomainContext } from '../../worker/kernel/domain-context.js';
import type { FundingJobDeps } from '../../worker/funding/settle-due.js';
import { signPayload } from '../../worker/funding/payment-signature.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { inMoneyTx } from '../helpers/planes.js';

export const ENV = { SETTLEMENT_DELAY_MS: String(30 * 60 * 1000), SIGNING_SECRET: 'test-signing-secret' };

export interface Fixture {
  readonly h: Harness;
  readonly key: string;
  readonly config: Config;
  /** Registers the harness clock/config as the funding context (what a request or job run does). */
  ctx(): DomainContext;
  /** What the funding jobs run with outside an app: the store, the configuration, its domain context. */
  readonly jobDeps: FundingJobDeps;
  /** Adds a usage_daily row (a paid amount for the day) and syncs the month's charges. */
  charge(phone: string, day: string, amount: string): Promise<void>;
  /** Puts a settled opening balance on a number (an adjustment movement). */
  fund(phone: string, amount: string): Promise<void>;
  webhook(body: unknown, secret?: string): Promise<{ status: number; body: any }>;
  json: Harness['json'];
}

export async function createFixture(
  phones: string[] = ['P1', 'P2'],
  now = '2025-08-15T12:00:00Z',
  env: Record<string, string> = {},
): Promise<Fixture> {
  const h = await createHarness({ env: { ...ENV, ...env }, now });
  const config = normalizeConfig({ ...ENV, ...env, DB_PATH: ':memory:' });
  const key = await h.partner('acme');
  await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin', currency: 'EUR' }, phones);
  // These accounts run from before any usage the tests post, so every charge debits them.
  for (const p of phones)
    await h.money.run(`INSERT INTO balance_starts VALUES ($p, DATE '2025-01-01', now(), 'test')`, { p });
  const ctx = () => domainContextOf({ clock: h.clock, config, gateBalances: h.services.gate.balances });
  const jobDeps = { db: h.db, money: h.money, config, domain: domainContextOf({ clock: h.clock, config }) };
  return {
    h,
    key,
    config,
    ctx,
    jobDeps,
    json: (m, p, o) => h.json(m, p, { token: key, ...o }),
    async charge(phone, day, amount) {
      const c = ctx();
      const scope = [{ waba_id: 'W1', month: `${day.slice(0, 7)}-01` }];
      await h.db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
             pricing_type, unit, currency, n_all, n_free, n_paid, amount)
           VALUES ('W1', $p, $day::DATE, CAST(date_trunc('month', $day::DATE) AS DATE),
             'marketing', 'DE', 'Germany', 'regular', 'message', 'EUR', 1, 0, 1, CAST($amt AS DECIMAL(38, 6)))`,
          { p: phone, day, amt: amount },
        );
        // As the service's recompute: a day the ledger would refuse is refused before its usage commits.
        checkUsageDiffs(await usageDiffs({ analytics: tx, money: h.money }, scope));
      });
      await inMoneyTx(h, (planes) => postUsageCharges(planes, scope, c));
    },
    async fund(phone, amount) {
      await h.money.transaction((tx) =>
        appendMovement(tx, {
          phone_number_id: phone,
          kind: 'adjustment',
          amount,
          currency: 'EUR',
          status: 'settled',
          requested_at: h.clock.now(),
          ref: 'opening balance',
        }),
      );
    },
    async webhook(body, secret = ENV.SIGNING_SECRET) {
      const raw = JSON.stringify(body);
      const res = await h.call('POST', '/v1/payments/webhook', {
        body: raw,
        headers: { 'content-type': 'application/json', 'x-signature': await signPayload(secret, raw) },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

export async function topups(h: Harness, phone: string) {
  return h.money.all<{
    topup_id: string;
    kind: string;
    status: string;
    amount: string;
    fee: string;
    total: string;
  }>(
    `SELECT topup_id, kind, status, amount::VARCHAR AS amount, fee::VARCHAR AS fee, total::VARCHAR AS total
       FROM topups WHERE phone_number_id = $p ORDER BY requested_at, topup_id`,
    { p: phone },
  );
}
