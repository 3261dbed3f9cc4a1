/** /v1/alerts (the feed) and /v1/alert-subscriptions (webhooks; deliveries are signed, see deliver-alerts). */
import { isoMillis } from '../db/instant-text.js';
import { z } from 'zod';
import { randomToken } from '../auth/crypto.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { ALERT_KINDS } from '../alerts/alert-table.js';
import { checkWebhookUrl } from '../funding/webhook-target.js';
import { csvList, idParam, listLimit } from '../http/params.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, idPath, jsonBody, ok } from './doc-schemas.js';
import { manager, scope } from './guards.js';

const idList = (description: string) =>
  csvList.optional().meta({ description, type: 'array', items: { type: 'string' } });

const feedQuery = z.object({
  phone_number_id: idList('Comma-separated ids (WABA alerts have none)'),
  waba_id: idList('Comma-separated WABA ids'),
  kind: csvList.optional().meta({
    description:
      'low_balance, runway_short, renewal_failed, renewal_disabled, stale_data (a number; stale_data once ' +
      'per silence of its feed); unpriced_units (once per WABA and local month)',
    type: 'array',
    items: { type: 'string', enum: [...ALERT_KINDS] },
  }),
  since: z.iso.datetime({ offset: true }).optional().meta({ description: 'ISO timestamp' }),
  limit: listLimit('Alerts'),
  partner_id: idParam.optional().meta({ description: 'Admin only' }),
});

const subscriptionSchema = z.object({
  url: z.string().max(2048).meta({ format: 'uri' }),
  secret: z
    .string()
    .min(16)
    .max(200)
    .optional()
    .meta({ description: 'Generated and shown once when omitted' }),
  partner_id: idParam.optional().meta({ description: 'Admin only: the partner subscribing' }),
});

export const alertRoutes = routeApp();

defineRoute(
  alertRoutes,
  {
    method: 'get',
    path: '/alerts',
    summary: 'Alert feed of the partner, newest first',
    middleware: [scope('read-balance')],
    request: { query: feedQuery },
    responses: { ...ok('Alerts'), ...errors(400, 401, 403) },
  },
  async (c) => {
    const p = c.var.principal;
    const q = c.req.valid('query');
    const kinds = q.kind ?? [];
    const bad = kinds.filter((k) => !(ALERT_KINDS as readonly string[]).includes(k));
    if (bad.length)
      throw new ValidationError('Unknown alert kind.', [{ column: 'kind', reason: bad.join(', ') }]);
    const partner = p.kind === 'admin' ? (q.partner_id ?? null) : p.partnerId;
    let phones = q.phone_number_id ?? [];
    if (p.kind === 'embed')
      phones = phones.length ? phones.filter((x) => p.phoneNumberIds.includes(x)) : [...p.phoneNumberIds];
    const rows = await c.var.deps.money.all<Record<string, unknown> & { data: string; created_at: string }>(
      `SELECT alert_id, partner_id, waba_id, phone_number_id, kind, message, data, created_at
         FROM alerts
        WHERE ($partner::VARCHAR IS NULL OR partner_id = $partner)
          AND ($any_waba OR waba_id = ANY($wabas::VARCHAR[]))
          AND ($any_phone OR phone_number_id = ANY($phones::VARCHAR[]))
          AND ($any_kind OR kind = ANY($kinds::VARCHAR[]))
          AND ($since::TIMESTAMPTZ IS NULL OR created_at >= $since::TIMESTAMPTZ)
        ORDER BY seq DESC LIMIT $limit`,
      {
        partner,
        wabas: q.waba_id ?? [],
        any_waba: (q.waba_id ?? []).length === 0,
        phones,
        any_phone: phones.length === 0,
        kinds,
        any_kind: kinds.length === 0,
        since: q.since ?? null,
        limit: q.limit,
      },
    );
    if (p.kind === 'embed' && phones.length === 0) return c.json({ alerts: [] });
    return c.json({
      alerts: rows.map((r) => ({
        ...r,
        data: JSON.parse(r.data) as unknown,
        created_at: isoMillis(r.created_at),
      })),
    });
  },
);

defineRoute(
  alertRoutes,
  {
    method: 'post',
    path: '/alert-subscriptions',
    summary:
      'Subscribe a URL to alerts; deliveries carry X-Signature: sha256=<HMAC of the body>. Only public ' +
      'http(s) addresses (400 for loopback, private, link-local, unique-local or reserved targets)',
    middleware: [manager],
    request: { body: jsonBody(subscriptionSchema) },
    responses: { ...ok('Created', {}, '201'), ...errors(400, 401, 403) },
  },
  async (c) => {
    const p = c.var.principal;
    const input = c.req.valid('json');
    await checkWebhookUrl(input.url, {
      allowNetworks: c.var.deps.config.alertWebhookAllowNetworks,
      lookup: c.var.deps.host.lookupHost,
    });
    const partner = p.kind === 'admin' ? input.partner_id : p.partnerId;
    if (!partner)
      throw new ValidationError('The admin must name a partner_id.', [
        { column: 'partner_id', reason: 'required' },
      ]);
    const sub = {
      subscription_id: `sub_${crypto.randomUUID()}`,
      partner_id: partner,
      url: input.url,
      secret: input.secret ?? `whsec_${randomToken(24)}`,
      created_at: c.var.deps.clock.now().toISOString(),
    };
    await c.var.deps.money.transaction((tx) =>
      tx.run('INSERT INTO alert_subscriptions VALUES ($id, $p, $url, $secret, $at::TIMESTAMPTZ, NULL)', {
        id: sub.subscription_id,
        p: sub.partner_id,
        url: sub.url,
        secret: sub.secret,
        at: sub.created_at,
      }),
    );
    // The secret is shown once, here; listings never repeat it.
    return c.json(sub, 201);
  },
);

defineRoute(
  alertRoutes,
  {
    method: 'get',
    path: '/alert-subscriptions',
    summary: 'Alert webhook subscriptions',
    middleware: [manager],
    responses: { ...ok('Subscriptions'), ...errors(401, 403) },
  },
  async (c) => {
    const p = c.var.principal;
    const rows = await c.var.deps.money.all<{ created_at: string }>(
      `SELECT subscription_id, partner_id, url, created_at
         FROM alert_subscriptions WHERE deleted_at IS NULL AND ($p::VARCHAR IS NULL OR partner_id = $p)
        ORDER BY created_at, subscription_id`,
      { p: p.kind === 'admin' ? null : p.partnerId },
    );
    return c.json({ subscriptions: rows.map((r) => ({ ...r, created_at: isoMillis(r.created_at) })) });
  },
);

defineRoute(
  alertRoutes,
  {
    method: 'delete',
    path: '/alert-subscriptions/{id}',
    summary: 'Remove a subscription',
    middleware: [manager],
    request: { params: idPath() },
    responses: { '204': { description: 'Removed' }, ...errors(401, 403, 404) },
  },
  async (c) => {
    const p = c.var.principal;
    const { money, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    const rows = await money.all<{ partner_id: string }>(
      'SELECT partner_id FROM alert_subscriptions WHERE subscription_id = $id AND deleted_at IS NULL',
      { id },
    );
    if (!rows[0] || (p.kind !== 'admin' && rows[0].partner_id !== p.partnerId)) {
      throw new NotFoundError(`Subscription ${id}`);
    }
    await money.transaction((tx) =>
      tx.run('UPDATE alert_subscriptions SET deleted_at = $now::TIMESTAMPTZ WHERE subscription_id = $id', {
        id,
        now: clock.now().toISOString(),
      }),
    );
    return c.body(null, 204);
  },
);
