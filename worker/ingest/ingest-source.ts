/**
 * One ingest of one source in any format, the same steps for POST /v1/ingest and `npm run ingest`: webhook
 * envelopes are parsed as text, Arrow IPC is decoded in memory, CSV, NDJSON and Parquet are read by DuckDB from
 * a path (a CSV's header first, so DuckDB need not sniff it). After a webhook batch commits, the send gate learns
 * the windows it opened. Where the bytes come from (a request body, a file) is the caller's IngestSource.
 */
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import type { GateStateStore } from '../gate/gate-state-store.js';
import { learnWindows, type WindowSignals } from '../gate/learn-windows.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import { CSV_HEAD_BYTES, readCsvHeader } from './csv-header.js';
import { decodeArrowColumns } from './decode-arrow.js';
import type { Recompute } from '../usage/recompute-plan.js';
import type { IngestFormat } from './ingest-format.js';
import { ingestUnits, type IngestUnitsInput } from './ingest-units.js';
import { ingestWebhooks } from './ingest-webhooks.js';
import type { IngestResult } from './record-batch.js';

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
  /** The calling partner; null = admin or operator (any existing WABA). */
  readonly partnerId: string | null;
  readonly now: Date;
  /** The whole-month recompute the ingest ends with (billing/recompute.ts). */
  readonly recompute: Recompute;
  readonly lake?: IngestLake;
  readonly onPhase?: IngestUnitsInput['onPhase'];
  readonly onDeriveStep?: IngestUnitsInput['onDeriveStep'];
  /** The send gate to teach after a webhook batch commits; `flush` where no background job writes its state. */
  readonly gate?: {
    readonly state: GateStateStore;
    readonly log: Logger;
    readonly flush: boolean;
  };
}

const EXTENSIONS = { csv: 'csv', ndjson: 'ndjson', parquet: 'parquet' } as const;

export async function ingestSource(db: Db, input: IngestSourceInput): Promise<IngestResult> {
  const base = {
    partnerId: input.partnerId,
    now: input.now,
    recompute: input.recompute,
    ...(input.lake ? { lake: input.lake } : {}),
  };
  const unitsBase = {
    ...base,
    ...(input.onPhase ? { onPhase: input.onPhase } : {}),
    ...(input.onDeriveStep ? { onDeriveStep: input.onDeriveStep } : {}),
  };
  const gate = input.gate;
  if (input.format === 'webhooks')
    return ingestWebhooks(db, {
      ...base,
      text: new TextDecoder().decode(await input.source.bytes()),
      ...(gate ? { onWindows: (signals: WindowSignals) => teachGate(gate, signals, input.now) } : {}),
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

/** The batch is committed by now: a failure here is logged, and the gate keeps what it knew. */
async function teachGate(
  gate: NonNullable<IngestSourceInput['gate']>,
  signals: WindowSignals,
  now: Date,
): Promise<void> {
  try {
    await learnWindows(gate.state, signals, now.getTime());
    if (gate.flush) await gate.state.flush();
  } catch (err) {
    gate.log.warn('gate did not learn from webhooks', { error: String(err) });
  }
}
