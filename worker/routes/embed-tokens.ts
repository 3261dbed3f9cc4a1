/**
 * Embed tokens: a partner's back end trades its API key for a short-lived token that widgets carry in the
 * browser. The token names the phone numbers and scopes it may use; the service checks both on every call.
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { visiblePhoneNumbers } from '../auth/access.js';
import { MAX_EMBED_TTL_SECONDS, signEmbedToken } from '../auth/embed-token.js';
import { ALL_SCOPES, type Scope } from '../auth/principal.js';
import { requireSigningSecret } from '../auth/signing-secret.js';
import type { AppDeps, AppEnv } from '../app-deps.js';
import { ForbiddenError } from '../errors.js';
import { idParam } from '../http/params.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, jsonBody, ok } from './doc-schemas.js';

export const DEFAULT_EMBED_TTL_SECONDS = 900;

export const embedTokenRequestSchema = z.object({
  phone_number_ids: z
    .array(idParam)
    .min(1)
    .max(500)
    .meta({ description: "The partner's own phone numbers the token may read or fund" }),
  scopes: z
    .array(z.enum(ALL_SCOPES as [Scope, ...Scope[]]))
    .min(1)
    .transform((s) => [...new Set(s)]),
  ttl_seconds: z.number().int().min(1).max(MAX_EMBED_TTL_SECONDS).default(DEFAULT_EMBED_TTL_SECONDS),
});

const tokenAnswer = z.object({
  token: z.string().meta({ example: 'et_eyJ…' }),
  expires_at: z.iso.datetime(),
  phone_number_ids: z.array(z.string()),
  scopes: z.array(z.enum(ALL_SCOPES as [Scope, ...Scope[]])),
});

/** Only a partner key mints: an embed token cannot widen itself, and admin belongs to no partner. */
const partnerKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.principal.kind !== 'partner')
    throw new ForbiddenError('Only a partner API key can mint embed tokens.');
  await next();
};
export type EmbedTokenRequest = z.output<typeof embedTokenRequestSchema>;

export const embedTokensRoutes = routeApp();

defineRoute(
  embedTokensRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Mint a short-lived embed token for widgets (partner API key only)',
    middleware: [partnerKey],
    request: { body: jsonBody(embedTokenRequestSchema) },
    responses: { ...ok('Token minted', tokenAnswer, '201'), ...errors(400, 401, 403, 404) },
  },
  async (c) => {
    const p = c.var.principal;
    if (p.kind !== 'partner') throw new ForbiddenError('Only a partner API key can mint embed tokens.');
    const input = c.req.valid('json');
    const { money, clock, config } = c.var.deps;
    // Each named number must be the partner's own; others answer 404 like every tenant check.
    const phones = await visiblePhoneNumbers(money, p, { phoneNumberIds: input.phone_number_ids });
    const exp = Math.floor(clock.now().getTime() / 1000) + input.ttl_seconds;
    const token = await signEmbedToken(requireSigningSecret(config), {
      partner_id: p.partnerId,
      phone_number_ids: phones.map((r) => r.phone_number_id),
      scopes: input.scopes,
      exp,
    });
    return c.json(
      {
        token,
        expires_at: new Date(exp * 1000).toISOString(),
        phone_number_ids: phones.map((r) => r.phone_number_id),
        scopes: input.scopes,
      },
      201,
    );
  },
);

/**
 * DEMO ONLY (mounted by worker/node.ts in demo mode with demo data): mints a token for the demo partner's
 * numbers so the demo portal works without a partner back end. It mints for the named demo partner only, never
 * for any other partner, and answers null when that partner does not exist. A real deployment runs without demo
 * mode: partners mint tokens server-side with their API key through POST /v1/embed-tokens.
 */
export async function mintDemoEmbedToken(
  deps: Pick<AppDeps, 'money' | 'clock' | 'config'>,
  demoPartnerId: string,
): Promise<{ token: string; expires_at: string; phone_number_ids: string[] } | null> {
  const phones = await deps.money.all<{ phone_number_id: string }>(
    `SELECT p.phone_number_id FROM phone_numbers p JOIN wabas w USING (waba_id)
      WHERE w.partner_id = $p ORDER BY p.phone_number_id`,
    { p: demoPartnerId },
  );
  if (phones.length === 0) return null;
  const ids = phones.map((r) => r.phone_number_id);
  const exp = Math.floor(deps.clock.now().getTime() / 1000) + DEFAULT_EMBED_TTL_SECONDS;
  const token = await signEmbedToken(requireSigningSecret(deps.config), {
    partner_id: demoPartnerId,
    phone_number_ids: ids,
    scopes: [...ALL_SCOPES],
    exp,
  });
  return { token, expires_at: new Date(exp * 1000).toISOString(), phone_number_ids: ids };
}
