/**
 * Markets and rate cards (DOMAIN.md §2.5, §3): GET /v1/markets?number=, GET /v1/rate-cards, GET
 * /v1/rate-cards/{id}, POST /v1/rate-cards (admin; JSON or CSV). An upload re-prices the months it affects.
 */
import { z } from 'zod';
import { UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { currencyParam, dayParam } from '../http/params.js';
import { archiveReference } from '../lake/archive-reference.js';
import { lookupMarket } from '../pricing/market-sql.js';
import { repriceForCard } from '../billing/reprice-for-card.js';
import { getRateCard, insertRateCard, listRateCards } from '../pricing/store-rate-card.js';
import { validateRateCardCsv, validateRateCardJson } from '../pricing/validate-rate-card.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, idPath, ok } from './doc-schemas.js';
import { admin, scope } from './guards.js';

const marketQuery = z.object({
  number: z
    .string()
    .regex(/^\+?[\d\s().-]{1,32}$/, 'must be a phone number in E.164 digits')
    .meta({ description: 'Recipient number, E.164 digits' }),
  date: dayParam.optional().meta({ description: 'Local date for dated remaps (default today, UTC)' }),
});

const listQuery = z.object({
  currency: currencyParam.optional().meta({ description: 'ISO 4217' }),
  effective: dayParam.optional().meta({ description: 'Only cards in force on this local date' }),
});

const csvOnly = (description = 'CSV only') => z.string().optional().meta({ description });
const uploadQuery = z.object({
  card_id: csvOnly(),
  effective_from: csvOnly(),
  currency: csvOnly(),
  pricing_model: csvOnly('CSV only: CBP | PMP'),
  description: csvOnly(),
  source: csvOnly(),
  replace: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true to replace a card with the same id' }),
});

/** What a JSON rate card holds; validate-rate-card.ts checks it (and the CSV form) line by line. */
const rateEntry = z.object({
  market: z.string().meta({ example: 'Rest of Western Europe' }),
  category: z.string().meta({ example: 'utility' }),
  rate: z.string().optional().meta({ example: '0.0171', description: 'Decimal ≥ 0, at most 6 decimals' }),
  marginal: z.boolean().optional().meta({ default: true }),
  tiers: z
    .array(z.object({ lower: z.int(), upper: z.int().nullable(), rate: z.string() }))
    .optional()
    .meta({ description: 'PMP utility/authentication only: contiguous, non-overlapping, last one open' }),
});

const rateCardDocument = z.object({
  card_id: z.string(),
  effective_from: z.iso.date(),
  currency: z.string(),
  pricing_model: z.enum(['CBP', 'PMP']),
  rates: z.array(rateEntry),
  replace: z.boolean().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  confidence: z
    .string()
    .optional()
    .meta({ description: 'How far the sources are trusted (kept, not used to price)' }),
  sources: z
    .array(z.object({ key: z.string(), what: z.string() }))
    .max(50)
    .optional(),
  gaps: z.array(z.string()).max(50).optional().meta({
    description: 'Cells or tables the card is known to lack: a cell Meta marks "n/a" is absent, never 0',
  }),
  notes: z.array(z.string()).max(50).optional(),
});

export const pricingRoutes = routeApp();

defineRoute(
  pricingRoutes,
  {
    method: 'get',
    path: '/markets',
    summary: 'Rate market and ISO country of a recipient number (longest calling-code prefix)',
    middleware: [scope('read-usage')],
    request: { query: marketQuery },
    responses: { ...ok('Market'), ...errors(400, 401) },
  },
  async (c) => {
    const { db, clock } = c.var.deps;
    const q = c.req.valid('query');
    const m = await lookupMarket(db, q.number, q.date ?? clock.now().toISOString().slice(0, 10));
    if (m.digits.length === 0)
      throw new ValidationError('number has no digits.', [{ column: 'number', reason: 'no digits' }]);
    return c.json(m);
  },
);

defineRoute(
  pricingRoutes,
  {
    method: 'get',
    path: '/rate-cards',
    summary: 'Rate cards with their validity',
    middleware: [scope('read-usage')],
    request: { query: listQuery },
    responses: { ...ok('Rate cards'), ...errors(400, 401) },
  },
  async (c) => {
    const { db } = c.var.deps;
    const q = c.req.valid('query');
    return c.json({
      rate_cards: await listRateCards(db, { currency: q.currency, effectiveOn: q.effective }),
    });
  },
);

defineRoute(
  pricingRoutes,
  {
    method: 'get',
    path: '/rate-cards/{id}',
    summary: 'One rate card with rates, tiers and provenance (confidence, sources, gaps, notes)',
    middleware: [scope('read-usage')],
    request: { params: idPath() },
    responses: { ...ok('Rate card'), ...errors(401, 404) },
  },
  async (c) => {
    const { db } = c.var.deps;
    const card = await getRateCard(db, c.req.valid('param').id);
    const { rates_detail, ...head } = card;
    return c.json({ ...head, rates: rates_detail });
  },
);

defineRoute(
  pricingRoutes,
  {
    method: 'post',
    path: '/rate-cards',
    summary: 'Upload a rate card (admin); re-prices the affected WABA months',
    description:
      'JSON `{ card_id, effective_from, currency, pricing_model, rates: [...] , replace? }`, or text/csv with ' +
      'columns `market,category,rate[,tier_lower,tier_upper,marginal]` and the card fields in the query string.',
    middleware: [admin],
    request: {
      query: uploadQuery,
      body: {
        required: true,
        content: {
          'application/json': { schema: rateCardDocument },
          'text/csv': {
            schema: { type: 'string', description: 'market,category,rate[,tier_lower,tier_upper,marginal]' },
          },
        },
      },
    },
    responses: { ...ok('Stored card', {}, '201'), ...errors(400, 401, 403, 409, 415) },
  },
  async (c) => {
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
      const months = await repriceForCard(tx, card, from, c.var.deps.domain, c.var.deps);
      const keys = [card.card_id];
      const tables = (['rate_cards', 'rate_card_rates', 'rate_card_tiers'] as const).map((table) => ({
        table,
        keys,
      }));
      const effect = { kind: 'reprice_card', card_id: card.card_id, from } as const;
      await archiveReference(tx, c.var.deps.host.ingestLake, { tables, effect }, clock.now());
      return months;
    });
    const saved = await getRateCard(db, card.card_id);
    const { rates_detail, ...head } = saved;
    return c.json({ ...head, rates: rates_detail, repriced_months: result }, 201);
  },
);
