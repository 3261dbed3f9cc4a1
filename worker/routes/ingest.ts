/** POST /v1/ingest: billing-unit records (CSV, NDJSON, Parquet, Arrow IPC) or raw webhook envelopes. */
import { recomputer } from '../billing/recompute.js';
import { z } from 'zod';
import { UnsupportedMediaTypeError } from '../errors.js';
import { idParam } from '../http/params.js';
import { ingestBody } from '../http/ingest-body.js';
import { CONTENT_TYPES, INGEST_FORMATS, formatFromContentType } from '../ingest/ingest-format.js';
import { listBatches } from '../ingest/record-batch.js';
import { ENUMS, REQUIRED_COLUMNS } from '../ingest/unit-columns.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, ok } from './doc-schemas.js';
import { ingestAtWriter, manager } from './guards.js';

const batchesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: '1–500, default 50' }),
  before: idParam.optional().meta({
    description: 'Only batches received before this batch_id (next_before of the previous page)',
  }),
});

const ingestQuery = z.object({
  format: z
    .enum(INGEST_FORMATS, { error: `must be one of ${INGEST_FORMATS.join(', ')}` })
    .optional()
    .meta({ description: 'Overrides Content-Type' }),
});

/** One record as NDJSON carries it (the columns of DOMAIN.md §9.2; CSV, Parquet and Arrow name the same). */
const recordFields: Record<string, z.ZodType> = {
  unit_id: z.string().meta({ description: 'Dedupe key: conversation id (CBP) or wamid (PMP)' }),
  pricing_model: z.enum(ENUMS.pricing_model),
  unit: z.enum(ENUMS.unit),
  waba_id: z.string().meta({ description: "One of the caller's WABAs" }),
  waba_timezone: z.string().meta({ description: "Optional; must equal the WABA's time zone" }),
  currency: z.string().meta({ description: "Optional; must equal the WABA's currency" }),
  phone_number_id: z.string().meta({ description: 'Registered under the WABA when unknown' }),
  display_phone_number: z.string(),
  recipient_wa_id: z.string().meta({ description: 'Digits of the customer number' }),
  recipient_country: z.string(),
  market: z.string(),
  category: z.enum(ENUMS.category),
  pricing_type: z.enum(ENUMS.pricing_type),
  direction: z.enum(ENUMS.direction),
  billable_reported: z.boolean(),
  opened_at: z.string().meta({ description: 'RFC 3339 (no zone = UTC) or epoch seconds' }),
  expires_at: z.string(),
  template_name: z.string(),
  is_template: z.boolean(),
  in_csw: z.boolean(),
  in_fep: z.boolean(),
  status_final: z.enum(ENUMS.status_final),
  rate: z.string().meta({ description: 'Decimal' }),
  cost: z.string().meta({ description: 'Decimal' }),
  tier: z.string().meta({ example: '0:750000' }),
  source: z.enum(ENUMS.source),
};
export const record = z.object(
  Object.fromEntries(
    Object.entries(recordFields).map(([k, s]) => [
      k,
      (REQUIRED_COLUMNS as readonly string[]).includes(k) ? s : s.optional(),
    ]),
  ),
);

/** The record formats a body may take, by content type (shared with the intake's record door). */
export const recordBodies = {
  'text/csv': { schema: { type: 'string', description: 'Header line with the §9.2 column names' } },
  'application/x-ndjson': { schema: record },
  'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
  'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
} as const;

const batchAnswer = z.object({
  batch_id: z.string(),
  format: z.string(),
  rows: z.int().meta({ description: 'Data lines (records or envelopes)' }),
  inserted: z.int(),
  updated: z.int(),
  duplicates: z.int(),
  months_recomputed: z.array(
    z.object({ waba_id: z.string(), month: z.string().meta({ example: '2024-06-01' }) }),
  ),
  status_events: z.int().optional().meta({ description: 'Webhooks: new status events stored' }),
  inbound_messages: z.int().optional().meta({ description: 'Webhooks: new inbound messages stored' }),
  phone_numbers_registered: z.int(),
  market_mismatch: z.int().meta({
    description:
      'Records whose market disagreed with the market of their recipient’s number: the number decides ' +
      '(webhooks: always 0)',
  }),
  stale: z.int().meta({
    description:
      'Records: changed records whose ingested_at is older than the stored unit’s (kept out; also in duplicates)',
  }),
});

const batchesAnswer = z.object({
  batches: z.array(
    z.object({
      batch_id: z.string(),
      partner_id: z.string().nullable(),
      format: z.string(),
      rows: z.int(),
      inserted: z.int(),
      updated: z.int(),
      duplicates: z.int(),
      received_at: z.iso.datetime(),
      status: z.enum(['done', 'landing']),
    }),
  ),
  next_before: z.string().nullable(),
});

export const ingestRoutes = routeApp();

defineRoute(
  ingestRoutes,
  {
    method: 'get',
    path: '/batches',
    summary: 'The batches loaded so far, latest first (a partner sees its own, the admin every partner’s)',
    middleware: [manager],
    request: { query: batchesQuery },
    responses: { ...ok('Batches', batchesAnswer), ...errors(400, 401, 403) },
  },
  async (c) => {
    const p = c.var.principal;
    const q = c.req.valid('query');
    const batches = await listBatches(c.var.deps.db, {
      partnerId: p.kind === 'partner' ? p.partnerId : null,
      limit: q.limit,
      before: q.before ?? null,
    });
    return c.json({ batches, next_before: batches.length === q.limit ? batches.at(-1)?.batch_id : null });
  },
);

defineRoute(
  ingestRoutes,
  {
    method: 'post',
    path: '/',
    summary: 'Load a batch of billing-unit records (DOMAIN.md §9.2) or raw webhook envelopes, atomically',
    description:
      'Partner API key (own WABAs) or admin token; embed tokens are refused. The format comes from ' +
      'Content-Type or `?format=`. Idempotent: a known unit_id with the same fields is a duplicate, with ' +
      'changed fields an update (late event) whose old and new months are recomputed; within a batch the last ' +
      'record of a unit_id wins; a unit_id recorded under another partner’s WABA is refused. Any bad row ' +
      'rejects the whole batch with 422 naming line, column and reason (first 100 issues, and the total); ' +
      'nothing of a refused batch is written. Webhook batches also update the send gate’s windows (inbound ' +
      'messages, referrals, conversation expirations).',
    middleware: [manager, ingestAtWriter],
    request: {
      query: ingestQuery,
      body: {
        required: true,
        content: {
          ...recordBodies,
          'application/vnd.whatsapp.webhooks+x-ndjson': {
            schema: { type: 'object', description: 'One Cloud API webhook payload per line (§6.1–6.3)' },
          },
        },
      },
    },
    responses: { ...ok('Batch stored', batchAnswer), ...errors(400, 401, 403, 409, 413, 415, 422, 503) },
  },
  async (c) => {
    const p = c.var.principal;
    const format = c.req.valid('query').format ?? formatFromContentType(c.req.header('content-type'));
    if (!format)
      throw new UnsupportedMediaTypeError(
        c.req.header('content-type') ?? '(none)',
        Object.keys(CONTENT_TYPES),
      );
    // Admin may ingest for any partner's WABAs; a partner key only for its own.
    const partnerId = p.kind === 'partner' ? p.partnerId : null;
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const recompute = recomputer(c.var.deps.domain, c.var.deps);
    return c.json(await ingestBody(c.var.deps, { format, bytes, partnerId, recompute }));
  },
);
