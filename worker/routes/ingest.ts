/** POST /v1/ingest: billing-unit records (CSV, NDJSON, Parquet, Arrow IPC) or raw webhook envelopes. */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireManager } from '../auth/access.js';
import type { AppEnv } from '../env.js';
import { UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import {
  CONTENT_TYPES,
  INGEST_FORMATS,
  formatFromContentType,
  type IngestFormat,
} from '../ingest/ingest-format.js';
import { recomputer } from '../billing/recompute.js';
import { fundingContextOf } from '../funding/context.js';
import { ingestBody } from '../ingest/ingest-body.js';
import { listBatches } from '../ingest/record-batch.js';
import { idParam } from '../http/params.js';
import { validate } from '../http/validate.js';

const batchesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Only batches received before this one (the last batch_id of the previous page). */
  before: idParam.optional(),
});

export const ingestRoutes = new Hono<AppEnv>()
  .get('/batches', validate('query', batchesQuery), async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const q = c.req.valid('query');
    const batches = await listBatches(c.var.deps.db, {
      partnerId: p.kind === 'partner' ? p.partnerId : null,
      limit: q.limit,
      before: q.before ?? null,
    });
    return c.json({ batches, next_before: batches.length === q.limit ? batches.at(-1)?.batch_id : null });
  })
  .post('/', async (c) => {
    const p = c.var.principal;
    requireManager(p);
    const named = c.req.query('format');
    let format: IngestFormat | null;
    if (named !== undefined) {
      if (!(INGEST_FORMATS as readonly string[]).includes(named))
        throw new ValidationError('Unknown format.', [
          { column: 'format', reason: `must be one of ${INGEST_FORMATS.join(', ')}` },
        ]);
      format = named as IngestFormat;
    } else format = formatFromContentType(c.req.header('content-type'));
    if (!format)
      throw new UnsupportedMediaTypeError(
        c.req.header('content-type') ?? '(none)',
        Object.keys(CONTENT_TYPES),
      );
    // Admin may ingest for any partner's WABAs; a partner key only for its own.
    const partnerId = p.kind === 'partner' ? p.partnerId : null;
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const recompute = recomputer(fundingContextOf(c.var.deps));
    return c.json(await ingestBody(c.var.deps, { format, bytes, partnerId, recompute }));
  });
