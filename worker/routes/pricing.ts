/**
 * Markets and rate cards (DOMAIN.md §2.5, §3): GET /v1/markets?number=, GET /v1/rate-cards, GET
 * /v1/rate-cards/{id}, POST /v1/rate-cards (admin; JSON or CSV). An upload re-prices the months it affects.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAdmin, requireScope } from '../auth/access.js';
import type { AppEnv } from '../env.js';
import { UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { currencyParam, dayParam } from '../http/params.js';
import { validate } from '../http/validate.js';
import { lookupMarket } from '../pricing/market-sql.js';
import { fundingContextOf } from '../funding/context.js';
import { repriceForCard } from '../billing/reprice-for-card.js';
import { getRateCard, insertRateCard, listRateCards } from '../pricing/store-rate-card.js';
import { validateRateCardCsv, validateRateCardJson } from '../pricing/validate-rate-card.js';

const marketQuery = z.object({
  number: z.string().regex(/^\+?[\d\s().-]{1,32}$/, 'must be a phone number in E.164 digits'),
  date: dayParam.optional(),
});

const listQuery = z.object({ currency: currencyParam.optional(), effective: dayParam.optional() });

const uploadQuery = z.object({
  card_id: z.string().optional(),
  effective_from: z.string().optional(),
  currency: z.string().optional(),
  pricing_model: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  replace: z.enum(['true', 'false']).optional(),
});

export const pricingRoutes = new Hono<AppEnv>()
  .get('/markets', validate('query', marketQuery), async (c) => {
    requireScope(c.var.principal, 'read-usage');
    const { db, clock } = c.var.deps;
    const q = c.req.valid('query');
    const m = await lookupMarket(db, q.number, q.date ?? clock.now().toISOString().slice(0, 10));
    if (m.digits.length === 0)
      throw new ValidationError('number has no digits.', [{ column: 'number', reason: 'no digits' }]);
    return c.json(m);
  })
  .get('/rate-cards', validate('query', listQuery), async (c) => {
    requireScope(c.var.principal, 'read-usage');
    const { db } = c.var.deps;
    const q = c.req.valid('query');
    return c.json({
      rate_cards: await listRateCards(db, { currency: q.currency, effectiveOn: q.effective }),
    });
  })
  .get('/rate-cards/:id', async (c) => {
    requireScope(c.var.principal, 'read-usage');
    const { db } = c.var.deps;
    const card = await getRateCard(db, c.req.param('id'));
    const { rates_detail, ...head } = card;
    return c.json({ ...head, rates: rates_detail });
  })
  .post('/rate-cards', validate('query', uploadQuery), async (c) => {
    requireAdmin(c.var.principal);
    const { db, clock } = c.var.deps;
    const q = c.req.valid('query');
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    let replace = q.replace === 'true';
    let card;
    if (type === 'application/json') {
      let doc: unknown;
      try {
        doc = await c.req.json();
      } catch {
        throw new ValidationError('The request body is not valid JSON.');
      }
      card = validateRateCardJson(doc);
      if (doc && typeof doc === 'object' && (doc as { replace?: unknown }).replace === true) replace = true;
    } else if (type === 'text/csv') {
      card = validateRateCardCsv(await c.req.text(), q);
    } else throw new UnsupportedMediaTypeError(type, ['application/json', 'text/csv']);
    const result = await db.transaction(async (tx) => {
      const old = await tx.all<{ from: string }>(
        `SELECT strftime(effective_from, '%Y-%m-%d') AS "from" FROM rate_cards WHERE card_id = $id`,
        { id: card.card_id },
      );
      await insertRateCard(tx, card, { origin: 'upload', now: clock.now(), replace });
      const from = [card.effective_from, ...old.map((o) => o.from)].sort()[0]!;
      return repriceForCard(tx, card, from, fundingContextOf(c.var.deps));
    });
    const saved = await getRateCard(db, card.card_id);
    const { rates_detail, ...head } = saved;
    return c.json({ ...head, rates: rates_detail, repriced_months: result }, 201);
  });
