/**
 * The secret that signs embed tokens and payment events. Outside demo mode there is no fallback: without
 * SIGNING_SECRET nothing can be signed (503) and nothing signed verifies, so the published development value
 * can never open anything in production.
 */
import type { Config } from '../config.js';
import { ServiceUnavailableError } from '../errors.js';

/** The configured secret, or a 503 naming what to configure. */
export function requireSigningSecret(config: Pick<Config, 'signingSecret'>): string {
  if (config.signingSecret === null)
    throw new ServiceUnavailableError(
      'Signing is not configured on this service (SIGNING_SECRET is not set).',
    );
  return config.signingSecret;
}
