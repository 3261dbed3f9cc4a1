/**
 * What funding code needs beyond the transaction: the time and the payment configuration. Callers build it from
 * their deps and pass it down (the derivation pipeline carries it in its options to the charge sync); code run
 * without deps (scripts) gets the system clock and the default configuration.
 */
import type { Clock } from '../clock.js';
import type { GateBalanceCache } from '../gate/balance-cache.js';
import { normalizeConfig, type Config } from '../config.js';

export interface FundingContext {
  now(): Date;
  /** The gate's balance cache of the app, emptied for a number after its balance changed; none for jobs run alone. */
  readonly gateBalances?: Pick<GateBalanceCache, 'invalidate'>;
  readonly config: Pick<
    Config,
    'settlementDelayMs' | 'feeSchedule' | 'paymentMethodCurrencies' | 'signingSecret'
  >;
}

/** The funding context of an app's (or a job's) dependencies. */
export function fundingContextOf(deps: {
  readonly clock: Clock;
  readonly config: Config;
  readonly services?: { readonly gate: { readonly balances: GateBalanceCache } };
}): FundingContext {
  const gateBalances = deps.services?.gate.balances;
  return { now: () => deps.clock.now(), config: deps.config, ...(gateBalances ? { gateBalances } : {}) };
}

/** The system clock with the default configuration, for callers without deps. */
export function defaultFundingContext(): FundingContext {
  return { now: () => new Date(), config: normalizeConfig({}) };
}
