/**
 * What domain code needs beyond the transaction: the time, the part of the configuration money rules read, and
 * the gate's balance cache to empty after a balance changed. The host (node.ts, the CLI, the test harness) builds
 * it once from its clock and configuration and passes it down; domain code never makes one up.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';

export interface DomainContext {
  now(): Date;
  /** The gate's balance cache of the app, emptied for a number after its balance changed; none for jobs run alone. */
  readonly gateBalances?: { invalidate(phoneNumberId?: string): void };
  readonly config: Pick<
    Config,
    'settlementDelayMs' | 'feeSchedule' | 'paymentMethodCurrencies' | 'signingSecret'
  >;
}

/** The domain context of a host's clock and configuration (and, in an app, its gate's balance cache). */
export function domainContextOf(host: {
  readonly clock: Clock;
  readonly config: Config;
  readonly gateBalances?: DomainContext['gateBalances'];
}): DomainContext {
  const { clock, config, gateBalances } = host;
  return { now: () => clock.now(), config, ...(gateBalances ? { gateBalances } : {}) };
}
