/** HTTP surface of alerts: the feed and webhook subscriptions (deliveries are signed; see deliver-alerts). */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireManager, requireScope } from '../auth/access.js';
import { randomToken } from '../auth/crypto.js';
import type { AppEnv } from '../env.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { csvList, idParam } from '../http/params.js';
import { parseJsonBody, validate } from '../http/validate.js';
import { ALERT_KINDS } from '../funding/alerts.js';
import { checkWebhookUrl } from '../funding/webhook-target.js';

const feedQuery = z.object({
  partner_id: idParam.optional(),
  waba_id: csvList.optional(),
  phone_number_id: csvList.optional(),
  kind: csvList.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const alertRoutes = new Hono<AppEnv>()
  .get('/alerts', validate('query', feedQuery), async (c) => {
    const p = c.var.principal;
    requireScope(p, 'read-balance');
    const q = c.req.valid('query');
    const kinds = q.kind ?? [];
    const bad = kinds.filter((k) => !(ALERT_KINDS as readonly string[]).includes(k));
    if (bad.length)
      throw new ValidationError('Unknown alert kind.', [{ column: 'kind', reason: bad.join(', ') }]);
    const partner = p.kind === 'admin' ? (q.partner_id ?? null) : p.partnerId;
    let phones = q.phone_number_id ?? [];
    if (p.kind === 'embed')
      phones = phones.length ? phones.filter((x) => p.phoneNumberIds.includes(x)) : [...p.phoneNumberIds];
    const rows = await c.var.deps.db.all<Record<string, unknown> & { data: string }>(
      `SELECT alert_id, partner_id, waba_id, phone_number_id, kind, message, data,
              strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at
         FROM alerts
        WHERE ($partner IS NULL OR partner_id = $partner)
          AND (len($wabas) = 0 OR list_contains($wabas, waba_id))
          AND (len($phones) = 0 OR list_contains($phones, phone_number_id))
          AND (len($kinds) = 0 OR list_contains($kinds, kind))
          AND ($since IS NULL OR created_at >= $since::TIMESTAMPTZ)
        ORDER BY seq DESC LIMIT $limit`,
      { partner, wabas: q.waba_id ?? [], phones, kinds, since: q.since ?? null, limit: q.limit },
    );
    if (p.kind === 'embed' && phones.length === 0) return c.json({ alerts: [] });
    return c.json({ alerts: rows.map((r) => ({ ...r, data: JSON.parse(r.data) as unknown })) });
  })
  .post('/alert-subscriptions', async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const input = await parseJsonBody(
      c,
      z.object({
        url: z.string().max(2048),
        secret: z.string().min(16).max(200).optional(),
        partner_id: idParam.optional(),
      }),
    );
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
    await c.var.deps.db.transaction((tx) =>
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
  })
  .get('/alert-subscriptions', async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const rows = await c.var.deps.db.all(
      `SELECT subscription_id, partner_id, url, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at
         FROM alert_subscriptions WHERE deleted_at IS NULL AND ($p IS NULL OR partner_id = $p)
        ORDER BY created_at, subscription_id`,
      { p: p.kind === 'admin' ? null : p.partnerId },
    );
    return c.json({ subscriptions: rows });
  })
  .delete('/alert-subscriptions/:id', async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const { db, clock } = c.var.deps;
    const id = c.req.param('id');
    const rows = await db.all<{ partner_id: string }>(
      'SELECT partner_id FROM alert_subscriptions WHERE subscription_id = $id AND deleted_at IS NULL',
      { id },
    );
    if (!rows[0] || (p.kind !== 'admin' && rows[0].partner_id !== p.partnerId)) {
      throw new NotFoundError(`Subscription ${id}`);
    }
    await db.transaction((tx) =>
      tx.run('UPDATE alert_subscriptions SET deleted_at = $now::TIMESTAMPTZ WHERE subscription_id = $id', {
        id,
        now: clock.now().toISOString(),
      }),
    );
    return c.body(null, 204);
  });
