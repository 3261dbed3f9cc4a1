/**
 * Why a fetch to the service failed. A browser reports a CORS refusal, a wrong api-base and a dead host as the
 * same TypeError, so the widget asks the service once more with a request that needs no CORS permission (a
 * POST of text/plain, answered with `Access-Control-Allow-Origin: *`): the service says whether this page's
 * origin is allowed for the token's partner and whether the token has expired.
 */
import { ApiError } from './api-error.js';

interface OriginCheck {
  readonly origin: string | null;
  readonly origin_allowed: boolean;
  readonly token: 'valid' | 'expired' | 'invalid';
}

/** The error to show after a fetch to `apiBase` threw a network error. */
export async function diagnoseUnreachable(apiBase: string, token: string): Promise<ApiError> {
  const origin = location.origin;
  const base = apiBase.replace(/\/+$/, '');
  const params = { apiBase: base, origin };
  let check: OriginCheck;
  try {
    const res = await fetch(`${base}/v1/embed-tokens/origin-check`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: token,
      credentials: 'omit',
    });
    if (!res.ok) return new ApiError(0, 'cors', 'corsBlocked', params);
    check = (await res.json()) as OriginCheck;
  } catch {
    return new ApiError(0, 'network', sameOrigin(base) ? 'network' : 'unreachable', params);
  }
  if (check.token === 'expired') return new ApiError(401, 'token_expired', 'expired', params);
  if (!check.origin_allowed) return new ApiError(403, 'origin_not_allowed', 'originNotAllowed', params);
  return new ApiError(0, 'cors', 'corsBlocked', params);
}

function sameOrigin(base: string): boolean {
  try {
    return new URL(base, location.href).origin === location.origin;
  } catch {
    return false;
  }
}
