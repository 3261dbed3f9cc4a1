/**
 * What funding code needs beyond the transaction: the time and the payment configuration. The charge sync is
 * called by the derivation pipeline with (tx, scope) only, so the running app registers its context here (each
 * funding request and each background job run does); without one, the system clock and default config apply.
 */
import type { Clock } from '../clock.js';
import { normalizeConfig, type Config } from '../config.js';

export interface FundingContext {
  now(): Date;
  readonly config: Pick<Config, 'settlementDelayMs' | 'feeSchedule' | 'signingSecret'>;
}

let current: FundingContext | null = null;

/** Makes these deps the context used when a caller does not pass one. */
export function useFundingContext(deps: { readonly clock: Clock; readonly config: Config }): FundingContext {
  current = { now: () => deps.clock.now(), config: deps.config };
  return current;
}

/** The registered context, or the system clock with default configuration. */
export function fundingContext(): FundingContext {
  return current ?? { now: () => new Date(), config: normalizeConfig({}) };
}
