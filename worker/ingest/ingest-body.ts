/**
 * One HTTP body of any ingest format to an IngestResult: files DuckDB reads go through the host's temp file,
 * Arrow IPC is decoded in memory, webhooks are parsed as text.
 */
import type { AppDeps } from '../env.js';
import { fundingContextOf } from '../funding/context.js';
import { ServiceUnavailableError } from '../errors.js';
import { learnWindows } from '../gate/learn-windows.js';
import { CSV_HEAD_BYTES, readCsvHeader } from './csv-header.js';
import { decodeArrowColumns } from './decode-arrow.js';
import type { IngestFormat } from './ingest-format.js';
import { ingestUnits } from './ingest-units.js';
import { ingestWebhooks } from './ingest-webhooks.js';
import type { IngestResult } from './record-batch.js';

export interface IngestBodyInput {
  readonly format: IngestFormat;
  readonly bytes: Uint8Array;
  readonly partnerId: string | null;
}

const EXTENSIONS = { csv: 'csv', ndjson: 'ndjson', parquet: 'parquet' } as const;

export async function ingestBody(deps: AppDeps, input: IngestBodyInput): Promise<IngestResult> {
  const { db, clock, host } = deps;
  const now = clock.now();
  const base = {
    partnerId: input.partnerId,
    now,
    funding: fundingContextOf(deps),
    ...(host.ingestLake ? { lake: host.ingestLake } : {}),
  };
  if (input.format === 'webhooks')
    return ingestWebhooks(db, {
      ...base,
      text: new TextDecoder().decode(input.bytes),
      // The batch is committed by then: a failure here is logged, and the gate keeps what it knew.
      onWindows: (signals) =>
        learnWindows(db, deps.config, signals, clock.now().getTime()).then(
          () => undefined,
          (err: unknown) => deps.log.warn('gate did not learn from webhooks', { error: String(err) }),
        ),
    });
  if (input.format === 'arrow') {
    const { columns } = decodeArrowColumns(input.bytes);
    return ingestUnits(db, { ...base, format: 'arrow', source: { kind: 'columns', columns } });
  }
  const format = input.format;
  if (!host.withTempFile) throw new ServiceUnavailableError(`This host cannot load ${format} files.`);
  const csvHeader =
    format === 'csv'
      ? readCsvHeader(input.bytes.subarray(0, CSV_HEAD_BYTES), input.bytes.length <= CSV_HEAD_BYTES)
      : undefined;
  return host.withTempFile(input.bytes, EXTENSIONS[format], (path) =>
    ingestUnits(db, {
      ...base,
      format,
      source: csvHeader ? { kind: 'file', path, csvHeader } : { kind: 'file', path },
    }),
  );
}
