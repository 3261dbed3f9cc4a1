/**
 * The continuous intake: POST /v1/intake/webhooks answers 202 as soon as the events are durable (what a BSP's
 * webhook sender expects: a fast 2xx), GET /v1/intake says how far their derivation has come. POST /v1/ingest
 * stays the synchronous path for callers that need the whole answer.
 */
import { z } from 'zod';
import { ServiceUnavailableError, UnsupportedMediaTypeError } from '../errors.js';
import { CONTENT_TYPES, INGEST_FORMATS, formatFromContentType } from '../ingest/ingest-format.js';
import { acceptRecords } from '../intake/accept-records.js';
import { acceptWebhooks } from '../intake/accept-webhooks.js';
import type { ContinuousIntake } from '../intake/continuous-intake.js';
import { defineRoute, routeApp } from './define-route.js';
import { errors, ok } from './doc-schemas.js';
import { admin, ingestAtWriter, manager } from './guards.js';
import { recordBodies } from './ingest.js';

const RECORD_FORMATS = INGEST_FORMATS.filter((f) => f !== 'webhooks');

const recordsQuery = z.object({
  format: z
    .enum(RECORD_FORMATS, { error: `must be one of ${RECORD_FORMATS.join(', ')}` })
    .optional()
    .meta({ description: 'Overrides Content-Type' }),
});

const recordsAccepted = z.object({
  intake_id: z
    .string()
    .nullable()
    .meta({ description: 'The accepted entry; null when every record was known' }),
  rows: z.int().meta({ description: 'Records in the body' }),
  accepted: z.int().meta({ description: 'Records new to the intake, derived within seconds' }),
  duplicates: z.int().meta({
    description: 'Records accepted before with the same fields (acknowledged, never counted twice)',
  }),
});

const accepted = z.object({
  intake_id: z
    .string()
    .nullable()
    .meta({ description: 'The accepted entry; null when every event was known' }),
  rows: z.int().meta({ description: 'Envelopes in the body' }),
  accepted: z.int().meta({ description: 'Events new to the intake, derived within seconds' }),
  duplicates: z
    .int()
    .meta({ description: 'Events already accepted before (acknowledged, never counted twice)' }),
});

const status = z.object({
  log_id: z.string(),
  pending_entries: z.int(),
  pending_events: z.int().meta({ description: 'Accepted, not derived yet' }),
  accepted_events: z.int().meta({ description: 'Since the process started' }),
  duplicate_events: z.int().meta({ description: 'Since the process started' }),
  refused_entries: z.int().meta({ description: 'Accepted, then refused when derived (logged); since start' }),
  derived_through: z.int().meta({ description: 'The last log position derived' }),
  last_accepted_at: z.iso.datetime().nullable(),
  last_derived_at: z.iso.datetime().nullable(),
  lag_ms: z.int().meta({ description: 'Age of the oldest event not derived yet (0 when none waits)' }),
  last_error: z.string().nullable().meta({ description: 'Why the last derivation pass failed (retried)' }),
});

function intakeOf(services: { readonly intake?: ContinuousIntake }): ContinuousIntake {
  if (!services.intake)
    throw new ServiceUnavailableError('This host runs no continuous intake (INTAKE_DIR).');
  return services.intake;
}

/**
 * A JSON body is one envelope, possibly spread over lines; otherwise the body is NDJSON as in /v1/ingest. A body
 * of one line is that line already (what senders post): it is not parsed and written again here.
 */
function envelopeLines(text: string, contentType: string | undefined): string {
  if (!contentType?.toLowerCase().startsWith('application/json')) return text;
  if (!text.includes('\n') && !text.includes('\r')) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

export const intakeRoutes = routeApp();

defineRoute(
  intakeRoutes,
  {
    method: 'post',
    path: '/webhooks',
    summary: 'Accept Cloud API webhook envelopes into the durable intake; derived within seconds (202)',
    description:
      'Partner API key (own WABAs) or admin token. The body is one webhook payload (application/json) or ' +
      'several, one per line (application/vnd.whatsapp.webhooks+x-ndjson). Checked exactly as POST /v1/ingest ' +
      'checks webhooks (a bad line refuses the whole body with the same 422 and nothing is accepted); the ' +
      'answer comes once the new events are synced to the intake log, before they are derived. An event ' +
      '(a status by wamid, status and timestamp; an inbound message by wamid) accepted before is acknowledged ' +
      'in duplicates and never counted twice. GET /v1/intake shows the derivation’s progress.',
    middleware: [manager, ingestAtWriter],
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: { type: 'object', description: 'One webhook payload (§6.1–6.3)' } },
          'application/vnd.whatsapp.webhooks+x-ndjson': {
            schema: { type: 'object', description: 'One webhook payload per line' },
          },
        },
      },
    },
    responses: { ...ok('Accepted', accepted, '202'), ...errors(401, 403, 409, 413, 422, 503) },
  },
  async (c) => {
    const intake = intakeOf(c.var.deps.services);
    const p = c.var.principal;
    const text = envelopeLines(await c.req.text(), c.req.header('content-type'));
    const answer = await acceptWebhooks(intake, c.var.deps.db, {
      text,
      partnerId: p.kind === 'partner' ? p.partnerId : null,
      now: c.var.deps.clock.now(),
    });
    return c.json(answer, 202);
  },
);

defineRoute(
  intakeRoutes,
  {
    method: 'post',
    path: '/records',
    summary:
      'Accept a small batch of billing-unit records into the durable intake; derived within seconds (202)',
    description:
      'Partner API key (own WABAs) or admin token. The same records and formats as POST /v1/ingest (Content-Type ' +
      'or `?format=`), read and checked by the same validation: a single bad row refuses the whole batch with the ' +
      'same 422 naming line, column and reason, and nothing is accepted. Small batches only (INTAKE_MAX_RECORDS ' +
      'records, INTAKE_MAX_RECORD_BYTES bytes; default 1000 and 1 MiB): above, 413 intake_batch_too_large ' +
      'points to POST /v1/ingest. The answer comes once the new records are synced to the intake log, before ' +
      'they are derived; they show in usage and charges within seconds (GET /v1/intake). A record accepted ' +
      'before with the same unit_id and fields is acknowledged in duplicates and never counted twice; a changed ' +
      'record of a known unit_id is accepted and updates the unit as POST /v1/ingest does.',
    middleware: [manager, ingestAtWriter],
    request: {
      query: recordsQuery,
      body: {
        required: true,
        content: recordBodies,
      },
    },
    responses: {
      ...ok('Accepted', recordsAccepted, '202'),
      ...errors(400, 401, 403, 409, 413, 415, 422, 503),
    },
  },
  async (c) => {
    const intake = intakeOf(c.var.deps.services);
    const p = c.var.principal;
    const format = c.req.valid('query').format ?? formatFromContentType(c.req.header('content-type'));
    if (!format || format === 'webhooks')
      throw new UnsupportedMediaTypeError(
        c.req.header('content-type') ?? '(none)',
        Object.keys(CONTENT_TYPES).filter((t) => CONTENT_TYPES[t] !== 'webhooks'),
      );
    const { db, host, clock } = c.var.deps;
    const answer = await acceptRecords(
      intake,
      { db, ...(host.withTempFile ? { withTempFile: host.withTempFile.bind(host) } : {}) },
      {
        format,
        bytes: new Uint8Array(await c.req.arrayBuffer()),
        partnerId: p.kind === 'partner' ? p.partnerId : null,
        now: clock.now(),
      },
    );
    return c.json(answer, 202);
  },
);

defineRoute(
  intakeRoutes,
  {
    method: 'get',
    path: '/',
    summary: 'Progress of the continuous intake: backlog, last derivation, lag (admin)',
    middleware: [admin],
    responses: { ...ok('Intake status', status), ...errors(401, 403, 503) },
  },
  (c) => c.json(intakeOf(c.var.deps.services).status(c.var.deps.clock.now())),
);
