/**
 * The runway of a phone number: when its settled balance reaches zero (P10 / P50 / P90 of the day), without
 * and with auto-renewal, from the daily spend forecast, plus recommended renewal settings. Estimates, not a
 * promise: the forecast is statistical and charges reach the ledger after delivery.
 *
 * Missing is not zero: spend is known through the number's last day with data (`spend_through`; the answer's `data_through` is the latest unit's time). When the feed is
 * behind, the days since then are forecast too and their spend comes off the balance first (it happened, the
 * ledger has not seen it yet), so a stopped feed shortens the runway and widens its range instead of stretching
 * it; the answer says so (`stale`, `unseen_days`, `unseen_spend`).
 */
import type { Queryable } from '../db/db.js';
import { asPlanes, type Planes } from '../db/planes.js';
import { getAutoRenewal } from '../funding/auto-renewal.js';
import { localDayOf } from '../kernel/local-time.js';
import { settledBalance } from '../ledger/ledger.js';
import { minorDigits } from '../kernel/money.js';
import { addDays } from '../kernel/calendar.js';
import { OWN_ROLLUPS, type RollupTables } from '../usage/rollup-tables.js';
import { forecastDailySpend } from './runway-forecast.js';
import { loadDailySpend } from './runway-history.js';
import { recommendRenewal, type Recommendation } from './runway-recommend.js';
import {
  runOutQuantiles,
  sampleSpendPaths,
  seedOf,
  type RenewalPlan,
  type RunOut,
} from './runway-simulate.js';

export interface RunwayInput {
  readonly phoneNumberId: string;
  readonly timezone: string;
  readonly currency: string;
  readonly horizonDays: number;
  readonly now: Date;
  readonly settlementDelayMs: number;
  /** Sample paths (default 1000). */
  readonly paths?: number;
  /** The rollups this replica answers usage from (ledger/usage-view.ts); default its own. */
  readonly rollups?: RollupTables;
}

export interface Runway {
  readonly phone_number_id: string;
  readonly currency: string;
  readonly balance: string;
  readonly as_of: string;
  readonly estimate: true;
  readonly horizon_days: number;
  readonly method: string;
  readonly seasonality: { readonly weekly: true; readonly yearly: boolean };
  /** Scale applied to the daily forecast's 80 % band after a four-week backtest (null: too little history). */
  readonly interval_calibration: number | null;
  readonly runs_out: {
    readonly without_renewal: RunOut;
    readonly with_renewal: RunOut | null;
  };
  /** Which settings the with-renewal simulation used: the saved ones, or the recommendation when none. */
  readonly renewal_simulated:
    | (Omit<RenewalPlan, 'delayDays' | 'threshold' | 'amount' | 'monthlyCap'> & {
        readonly source: 'saved' | 'recommended';
        readonly enabled: boolean;
        readonly threshold: string;
        readonly amount: string;
        readonly monthly_cap: string | null;
        readonly settlement_delay_minutes: number;
      })
    | null;
  readonly daily_spend_history: { readonly day: string; readonly amount: string }[];
  readonly daily_spend_forecast: {
    readonly day: string;
    readonly mean: string;
    readonly lower_80: string;
    readonly upper_80: string;
  }[];
  readonly recommended: Recommendation | null;
  /** Last local day with data for this number (null without any). */
  readonly spend_through: string | null;
  /** The feed is more than a day behind: the run-out range includes spend not yet seen. */
  readonly stale: boolean;
  readonly unseen_days: number;
  readonly unseen_spend: {
    readonly mean: string;
    readonly lower_80: string;
    readonly upper_80: string;
  } | null;
}

/** Complete days without data after which the answer is stale (a day of delay is a normal export cadence). */
const STALE_AFTER_DAYS = 2;

/** Computes the runway of one number: the spend from usage (analytics), balance and renewal from the ledger (money). */
export async function computeRunway(planes: Queryable | Planes, input: RunwayInput): Promise<Runway> {
  const { analytics, money: ledger } = asPlanes(planes);
  const digits = minorDigits(input.currency);
  const money = (x: number) => x.toFixed(digits);
  const today = localDayOf(input.now.getTime(), input.timezone);
  const [balanceText, spend, saved] = await Promise.all([
    settledBalance(ledger, input.phoneNumberId),
    loadDailySpend(analytics, input.phoneNumberId, today, (input.rollups ?? OWN_ROLLUPS).daily),
    getAutoRenewal(ledger, input.phoneNumberId),
  ]);
  const balance = Number(balanceText);
  const history = spend.days;
  const gap = history.length > 0 ? spend.unseenDays : 0;
  const firstDay = gap > 0 ? addDays(today, -gap) : today;
  const fc = forecastDailySpend(history, firstDay, gap + input.horizonDays);
  const recommended = recommendRenewal(
    history.map((h) => h.amount),
    fc.upper80.slice(gap),
    input.settlementDelayMs,
    digits,
  );
  const paths = sampleSpendPaths(
    fc.mean,
    fc.lower80,
    fc.upper80,
    input.paths ?? 1000,
    seedOf(`${input.phoneNumberId}|${today}`),
  );
  // A path that runs out during the unseen days has run out by today.
  const outDays = fc.days.map((d, i) => (i < gap ? today : d));
  const sum = (a: readonly number[]) => a.slice(0, gap).reduce((x, y) => x + y, 0);
  const delayDays = input.settlementDelayMs / 86_400_000;
  let plan: RenewalPlan | null = null;
  let simulated: Runway['renewal_simulated'] = null;
  if (saved) {
    plan = {
      threshold: Number(saved.threshold),
      amount: Number(saved.amount),
      mode: saved.mode,
      monthlyCap: saved.monthly_cap === null ? null : Number(saved.monthly_cap),
      delayDays,
    };
    simulated = {
      source: 'saved',
      enabled: saved.enabled,
      threshold: saved.threshold,
      amount: saved.amount,
      mode: saved.mode,
      monthly_cap: saved.monthly_cap,
      settlement_delay_minutes: input.settlementDelayMs / 60_000,
    };
  } else if (recommended) {
    plan = {
      threshold: Number(recommended.threshold),
      amount: Number(recommended.amount),
      mode: 'fixed',
      monthlyCap: null,
      delayDays,
    };
    simulated = {
      source: 'recommended',
      enabled: false,
      threshold: recommended.threshold,
      amount: recommended.amount,
      mode: 'fixed',
      monthly_cap: null,
      settlement_delay_minutes: input.settlementDelayMs / 60_000,
    };
  }
  return {
    phone_number_id: input.phoneNumberId,
    currency: input.currency,
    balance: balanceText,
    as_of: input.now.toISOString(),
    estimate: true,
    horizon_days: input.horizonDays,
    method: fc.method,
    seasonality: { weekly: true, yearly: fc.yearly },
    interval_calibration: fc.calibration,
    runs_out: {
      without_renewal: runOutQuantiles(paths, balance, null, outDays),
      with_renewal: plan ? runOutQuantiles(paths, balance, plan, outDays) : null,
    },
    renewal_simulated: simulated,
    daily_spend_history: history.slice(-90).map((h) => ({ day: h.day, amount: money(h.amount) })),
    daily_spend_forecast: fc.days.slice(gap).map((day, k) => ({
      day,
      mean: money(fc.mean[gap + k] ?? 0),
      lower_80: money(fc.lower80[gap + k] ?? 0),
      upper_80: money(fc.upper80[gap + k] ?? 0),
    })),
    recommended,
    spend_through: spend.dataThrough,
    stale: spend.unseenDays >= STALE_AFTER_DAYS,
    unseen_days: spend.unseenDays,
    unseen_spend:
      gap > 0
        ? { mean: money(sum(fc.mean)), lower_80: money(sum(fc.lower80)), upper_80: money(sum(fc.upper80)) }
        : null,
  };
}
