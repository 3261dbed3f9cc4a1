/**
 * One store kind's stage for the cross-store money scenarios: the money plane (the DuckDB store itself, PGlite in
 * memory or the file's Postgres server, migrated as the service migrates them), the analytics plane beside it (a
 * DuckDB of its own for the Postgres-SQL stores: usage rollups and the tenancy mirror), seeded tenancy, a manual
 * clock, and the steps the scenarios repeat, each a real domain function in a real transaction.
 */
import { ManualClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import type { Db } from '../../worker/db/db.js';
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import { planesOf, type Planes } from '../../worker/db/planes.js';
import { saveAutoRenewal, type AutoRenewalInput } from '../../worker/funding/auto-renewal.js';
import { confirmTopUp, type ConfirmAnswer } from '../../worker/funding/confirm-topup.js';
import { createQuote } from '../../worker/funding/quotes.js';
import { settleDueTopUps, type FundingJobDeps } from '../../worker/funding/settle-due.js';
import type { DomainContext } from '../../worker/kernel/domain-context.js';
import { openStore as openDuckDb } from '../../worker/pricing/open-store.js';
import { postDayCharges, seedTenancy, type DayCharge } from './money-scenario.js';
import { fileServer, type StoreKind } from './store-kinds.js';

export const SCENARIO_START = '2026-03-10T12:00:00Z';

export interface Stage {
  readonly db: Db;
  readonly analytics: Db;
  readonly clock: ManualClock;
  readonly config: ReturnType<typeof normalizeConfig>;
  readonly ctx: DomainContext;
  /** Effects that failed after a commit (none is expected). */
  readonly errors: unknown[];
  /** A money transaction and the planes it sees (usage read from the analytics plane). */
  inMoney<T>(fn: (p: Planes) => Promise<T>): Promise<T>;
  jobs(cardLimit?: string | null): FundingJobDeps;
  /** Σ settled movements that count, as the ledger's decimal text. */
  balance(phone: string): Promise<string>;
  quoteAndConfirm(phone: string, amount: string, method: string, key: string): Promise<ConfirmAnswer>;
  renewal(phone: string, s: AutoRenewalInput): Promise<unknown>;
  /** Moves the clock past the settlement delay and runs the simulated processor. */
  settleDue(cardLimit?: string | null): Promise<number>;
  charge(wabaId: string, charges: readonly DayCharge[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function openStage(kind: StoreKind): Promise<Stage> {
  const errors: unknown[] = [];
  const onEffectError = (e: unknown) => errors.push(e);
  const clock = new ManualClock(SCENARIO_START);
  const config = normalizeConfig({ DB_PATH: ':memory:', DEMO_DATA: 'false' });
  const ctx: DomainContext = { now: () => clock.now(), config };
  const analytics = await openDuckDb({ path: ':memory:', onEffectError }, clock.now());
  let db: Db = analytics;
  if (kind !== 'duckdb') {
    const moneyStore =
      kind === 'pglite'
        ? ({ kind: 'pglite', dir: null } as const)
        : ({ kind: 'postgres', url: (await fileServer()).url } as const);
    db = await openMoneyStore({ moneyStore }, { onEffectError });
    await seedTenancy(analytics, clock.now());
  }
  await seedTenancy(db, clock.now());
  const inMoney = <T>(fn: (p: Planes) => Promise<T>) =>
    db.transaction((tx) => fn(planesOf({ db: analytics, money: db }, tx)));
  const jobs = (limit: string | null = null): FundingJobDeps => ({
    db: analytics,
    money: db,
    domain: ctx,
    config: { simulatedCardLimit: limit },
  });
  return {
    db,
    analytics,
    clock,
    config,
    ctx,
    errors,
    inMoney,
    jobs,
    async balance(p) {
      const [r] = await db.all<{ b: string }>(
        `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS b FROM ledger_movements
          WHERE phone_number_id = $p AND status = 'settled' AND affects_balance`,
        { p },
      );
      return r!.b;
    },
    async quoteAndConfirm(p, amount, method, key) {
      const q = await inMoney((tx) =>
        createQuote(tx, p, { mode: 'one_time', amount, payment_method: method }, ctx),
      );
      return inMoney((tx) =>
        confirmTopUp(
          tx,
          { owner: 'p1', idempotencyKey: key, phoneNumberId: p, quoteId: q.quote_id, actor: 'user:test' },
          ctx,
        ),
      );
    },
    renewal: (p, s) => db.transaction((tx) => saveAutoRenewal(tx, p, s, 'user:test', clock.now())),
    settleDue(limit = null) {
      clock.advance(config.settlementDelayMs + 1000);
      return settleDueTopUps(jobs(limit));
    },
    charge: (wabaId, charges) => postDayCharges({ analytics, money: db }, ctx, wabaId, charges),
    async close() {
      if (db !== analytics) await db.close();
      await analytics.close();
    },
  };
}
