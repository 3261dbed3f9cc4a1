/** The environment names normalizeConfig reads, observed by handing it a recording environment. */
import { normalizeConfig, type ConfigInput } from '../../worker/config.js';

export function namesRead(env: ConfigInput = {}): Set<string> {
  const seen = new Set<string>();
  const recorder = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return Reflect.get(target, name) as unknown;
    },
  });
  normalizeConfig(recorder);
  return seen;
}
