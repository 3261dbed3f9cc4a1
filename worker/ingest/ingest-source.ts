/**
 * One ingest of one source in every format, the same steps for POST /v1/ingest and `npm run ingest`: webhook
 * envelopes are parsed as text, Arrow IPC is decoded in memory, CSV, NDJSON and Parquet are read by DuckDB from
 * a path (a CSV's header first, so DuckDB need not sniff it). After a webhook batch commits, the caller's
 * onWindows learns the windows it opened (the send gate). Where the bytes come from (a request body, a file) is the caller's IngestSource.
 */
import type { Db } from '../db/db.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import { CSV_HEAD_BYTES, readCsvHeader } from './csv-header.js';
import { decodeArrowColumns } from './decode-arrow.js';
import type { Recompute } from '../usage/recompute-plan.js';
import type { IngestFormat } from './ingest-format.js';
import { ingestUnits, type IngestUnitsInput } from './ingest-units.js';
import { ingestWebhooks } from './ingest-webhooks.js';
import type { IngestResult } from './record-batch.js';
import type { OnWindows } from './window-signals.js';

/** The bytes of one batch, wherever they are. */
export interface IngestSource {
  /** Size in bytes. */
  readonly size: number;
  /** Up to the first `n` bytes. */
  head(n: number): Promise<Uint8Array>;
  /** Every byte. */
  bytes(): Promise<Uint8Array>;
  /** Runs `fn` with a path DuckDB can read the source from. */
  withPath<T>(extension: string, fn: (path: string) => Promise<T>): Promise<T>;
}

export interface IngestSourceInput {
  readonly format: IngestFormat;
  readonly source: IngestSource;
  /** The calling partner; null = admin or operator (every existing WABA). */
  readonly partnerId: string | null;
  readonly now: Date;
  /** The whole-month recompute the ingest ends with (billing/recompute.ts). */
  readonly recompute: Recompute;
  /** The money plane, when it is a store of its own (numbers the ingest registers go there too). */
  readonly money?: Db;
  readonly lake?: IngestLake;
  readonly onPhase?: IngestUnitsInput['onPhase'];
  readonly onDeriveStep?: IngestUnitsInput['onDeriveStep'];
  /** Webhooks only: runs after the batch committed (the caller's gate learns the windows it opened). */
  readonly onWindows?: OnWindows;
}

const EXTENSIONS = { csv: 'csv', ndjson: 'ndjson', parquet: 'parquet' } as const;

export async function ingestSource(db: Db, input: IngestSourceInput): Promise<IngestResult> {
  const base = {
    partnerId: input.partnerId,
    now: input.now,
    recompute: input.recompute,
    ...(input.money ? { money: input.money } : {}),
    ...(input.lake ? { lake: input.lake } : {}),
  };
  const unitsBase = {
    ...base,
    ...(input.onPhase ? { onPhase: input.onPhase } : {}),
    ...(input.onDeriveStep ? { onDeriveStep: input.onDeriveStep } : {}),
  };
  if (input.format === 'webhooks')
    return ingestWebhooks(db, {
      ...base,
      text: new TextDecoder().decode(await input.source.bytes()),
      ...(input.onWindows ? { onWindows: input.onWindows } : {}),
    });
  if (input.format === 'arrow') {
    const { columns } = decodeArrowColumns(await input.source.bytes());
    return ingestUnits(db, { ...unitsBase, format: 'arrow', source: { kind: 'columns', columns } });
  }
  const format = input.format;
  const csvHeader =
    format === 'csv'
      ? readCsvHeader(await input.source.head(CSV_HEAD_BYTES), input.source.size <= CSV_HEAD_BYTES)
      : undefined;
  return input.source.withPath(EXTENSIONS[format], (path) =>
    ingestUnits(db, {
      ...unitsBase,
      format,
      source: csvHeader ? { kind: 'file', path, csvHeader } : { kind: 'file', path },
    }),
  );
}
