/** Paths of the ingest area: loading billing-unit records and raw webhook envelopes. */
import { ENUMS, REQUIRED_COLUMNS } from '../ingest/unit-columns.js';
import { errors, ok, queryParam } from './helpers.js';

const UNIT_FIELDS = {
  unit_id: { type: 'string', description: 'Dedupe key: conversation id (CBP) or wamid (PMP)' },
  pricing_model: { type: 'string', enum: ENUMS.pricing_model },
  unit: { type: 'string', enum: ENUMS.unit },
  waba_id: { type: 'string', description: "One of the caller's WABAs" },
  waba_timezone: { type: 'string', description: "Optional; must equal the WABA's time zone" },
  currency: { type: 'string', description: "Optional; must equal the WABA's currency" },
  phone_number_id: { type: 'string', description: 'Registered under the WABA when unknown' },
  display_phone_number: { type: 'string' },
  recipient_wa_id: { type: 'string', description: 'Digits of the customer number' },
  recipient_country: { type: 'string' },
  market: { type: 'string' },
  category: { type: 'string', enum: ENUMS.category },
  pricing_type: { type: 'string', enum: ENUMS.pricing_type },
  direction: { type: 'string', enum: ENUMS.direction },
  billable_reported: { type: 'boolean' },
  opened_at: { type: 'string', description: 'RFC 3339 (no zone = UTC) or epoch seconds' },
  expires_at: { type: 'string' },
  template_name: { type: 'string' },
  is_template: { type: 'boolean' },
  in_csw: { type: 'boolean' },
  in_fep: { type: 'boolean' },
  status_final: { type: 'string', enum: ENUMS.status_final },
  rate: { type: 'string', description: 'Decimal' },
  cost: { type: 'string', description: 'Decimal' },
  tier: { type: 'string', example: '0:750000' },
  source: { type: 'string', enum: ENUMS.source },
};

const record = {
  type: 'object',
  required: REQUIRED_COLUMNS,
  properties: UNIT_FIELDS,
};

export const ingestPaths: Record<string, unknown> = {
  '/v1/ingest': {
    post: {
      summary: 'Load a batch of billing-unit records (DOMAIN.md §9.2) or raw webhook envelopes, atomically',
      description:
        'Partner API key (own WABAs) or admin token; embed tokens are refused. The format comes from ' +
        'Content-Type or `?format=`. Idempotent: a known unit_id with the same fields is a duplicate, with ' +
        'changed fields an update (late event) whose old and new months are recomputed; within a batch the last ' +
        'record of a unit_id wins; a unit_id recorded under another partner’s WABA is refused. Any bad row ' +
        'rejects the whole batch with 422 naming line, column and reason (first 100 issues, and the total); ' +
        'nothing of a refused batch is written. Webhook batches also update the send gate’s windows (inbound ' +
        'messages, referrals, conversation expirations).',
      parameters: [
        queryParam('format', 'Overrides Content-Type', {
          type: 'string',
          enum: ['csv', 'ndjson', 'parquet', 'arrow', 'webhooks'],
        }),
      ],
      requestBody: {
        required: true,
        content: {
          'text/csv': { schema: { type: 'string', description: 'Header line with the §9.2 column names' } },
          'application/x-ndjson': { schema: record },
          'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
          'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
          'application/vnd.whatsapp.webhooks+x-ndjson': {
            schema: { type: 'object', description: 'One Cloud API webhook payload per line (§6.1–6.3)' },
          },
        },
      },
      responses: {
        ...ok('Batch stored', {
          type: 'object',
          properties: {
            batch_id: { type: 'string' },
            format: { type: 'string' },
            rows: { type: 'integer', description: 'Data lines (records or envelopes)' },
            inserted: { type: 'integer' },
            updated: { type: 'integer' },
            duplicates: { type: 'integer' },
            months_recomputed: {
              type: 'array',
              items: {
                type: 'object',
                properties: { waba_id: { type: 'string' }, month: { type: 'string', example: '2024-06-01' } },
              },
            },
            status_events: { type: 'integer', description: 'Webhooks: new status events stored' },
            inbound_messages: { type: 'integer', description: 'Webhooks: new inbound messages stored' },
            phone_numbers_registered: { type: 'integer' },
            market_mismatch: {
              type: 'integer',
              description:
                'Records whose market disagreed with the market of their recipient’s number: the number decides ' +
                '(webhooks: always 0)',
            },
            stale: {
              type: 'integer',
              description:
                'Records: changed records whose ingested_at is older than the stored unit’s (kept out; also in duplicates)',
            },
          },
        }),
        ...errors(400, 401, 403, 413, 415, 422),
      },
    },
  },
  '/v1/ingest/batches': {
    get: {
      summary: 'The batches loaded so far, latest first (a partner sees its own, the admin every partner’s)',
      parameters: [
        queryParam('limit', '1–500, default 50', { type: 'integer', minimum: 1, maximum: 500 }),
        queryParam(
          'before',
          'Only batches received before this batch_id (next_before of the previous page)',
          {
            type: 'string',
          },
        ),
      ],
      responses: {
        ...ok('Batches', {
          type: 'object',
          properties: {
            batches: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  batch_id: { type: 'string' },
                  partner_id: { type: 'string', nullable: true },
                  format: { type: 'string' },
                  rows: { type: 'integer' },
                  inserted: { type: 'integer' },
                  updated: { type: 'integer' },
                  duplicates: { type: 'integer' },
                  received_at: { type: 'string', format: 'date-time' },
                  status: { type: 'string', enum: ['done', 'landing'] },
                },
              },
            },
            next_before: { type: 'string', nullable: true },
          },
        }),
        ...errors(400, 401, 403),
      },
    },
  },
};
