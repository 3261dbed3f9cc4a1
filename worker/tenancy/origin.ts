/**
 * Browser origins a partner allows (CORS): the one rule for what counts as an origin, shared by the admin API
 * and the CLI. An origin is a scheme, a host and an optional port, exactly as a browser sends it in the
 * `Origin` header: lower case, no path, no trailing slash, no default port, no wildcard.
 */
import { z } from 'zod';

export const MAX_ORIGINS = 50;

/** The origin as a browser would send it, or a reason why the text is not one. */
export function parseOrigin(text: string): { ok: true; origin: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'must be an origin such as https://portal.example.com' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'must use https (or http for local development)' };
  if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
  if (url.hostname.includes('*')) return { ok: false, reason: 'must name one host (no wildcards)' };
  const rest = text.slice(text.indexOf('//') + 2);
  if (/[/?#]/.test(rest)) return { ok: false, reason: 'must not have a path, query or fragment' };
  if (url.origin !== text)
    return { ok: false, reason: `must be written as the browser sends it: ${url.origin}` };
  return { ok: true, origin: url.origin };
}

/** One origin, validated with parseOrigin. */
export const originSchema = z.string().superRefine((v, ctx) => {
  const r = parseOrigin(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
});

/** A partner's list of origins: each valid, no repeats, at most MAX_ORIGINS. */
export const originListSchema = z
  .array(originSchema)
  .max(MAX_ORIGINS)
  .refine((list) => new Set(list).size === list.length, 'must not repeat an origin');
