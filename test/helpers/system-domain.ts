/**
 * The domain context of code run without an app (ingest and recompute called directly by tests and benchmarks):
 * the system clock and the default configuration, passed explicitly where a host would pass its own.
 */
import { systemClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import { domainContextOf, type DomainContext } from '../../worker/kernel/domain-context.js';

export function systemDomain(): DomainContext {
  return domainContextOf({ clock: systemClock, config: normalizeConfig({}) });
}
