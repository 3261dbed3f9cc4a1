/**
 * Short-lived embed tokens: a signed, stateless claim set that a partner's back end mints with its API key and
 * hands to widgets in the browser. Format: `et_<base64url(json)>.<hex hmac>`.
 */
import { base64url, fromBase64url, hmacSha256Hex, timingSafeEqual } from './crypto.js';
import { ALL_SCOPES, type Principal, type Scope } from './principal.js';

export const EMBED_TOKEN_PREFIX = 'et_';
export const MAX_EMBED_TTL_SECONDS = 3600;

export interface EmbedClaims {
  readonly partner_id: string;
  readonly phone_number_ids: readonly string[];
  readonly scopes: readonly Scope[];
  /** Expiry, UNIX seconds. */
  readonly exp: number;
}

export async function signEmbedToken(secret: string, claims: EmbedClaims): Promise<string> {
  const body = base64url(new TextEncoder().encode(JSON.stringify(claims)));
  return `${EMBED_TOKEN_PREFIX}${body}.${await hmacSha256Hex(secret, body)}`;
}

export type EmbedVerdict =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'malformed' | 'bad_signature' }
  /** A genuine token past its expiry still names its partner (for CORS decisions on the 401). */
  | { ok: false; reason: 'expired'; partnerId: string };

export async function verifyEmbedToken(
  secret: string | null,
  token: string,
  now: Date,
): Promise<EmbedVerdict> {
  // Without a configured secret nothing verifies (there is no default to fall back on).
  if (secret === null) return { ok: false, reason: 'bad_signature' };
  const rest = token.slice(EMBED_TOKEN_PREFIX.length);
  const dot = rest.lastIndexOf('.');
  if (!token.startsWith(EMBED_TOKEN_PREFIX) || dot < 1) return { ok: false, reason: 'malformed' };
  const body = rest.slice(0, dot);
  const sig = rest.slice(dot + 1);
  if (!timingSafeEqual(sig, await hmacSha256Hex(secret, body))) return { ok: false, reason: 'bad_signature' };
  let claims: EmbedClaims;
  try {
    claims = JSON.parse(new TextDecoder().decode(fromBase64url(body))) as EmbedClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    typeof claims.partner_id !== 'string' ||
    !Array.isArray(claims.phone_number_ids) ||
    !Array.isArray(claims.scopes) ||
    !claims.scopes.every((s) => ALL_SCOPES.includes(s)) ||
    typeof claims.exp !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.exp * 1000 <= now.getTime())
    return { ok: false, reason: 'expired', partnerId: claims.partner_id };
  return {
    ok: true,
    principal: {
      kind: 'embed',
      partnerId: claims.partner_id,
      phoneNumberIds: claims.phone_number_ids,
      scopes: claims.scopes,
      expiresAt: claims.exp,
    },
  };
}
