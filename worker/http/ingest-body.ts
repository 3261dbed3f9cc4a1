/**
 * One HTTP body as an ingest source (ingest-source.ts): held in memory, and written to the host's temp file
 * when DuckDB reads it from a path.
 */
import type { AppDeps } from '../app-deps.js';
import { ServiceUnavailableError } from '../errors.js';
import { gateTeacher } from '../gate/teach-gate.js';
import type { IngestFormat } from '../ingest/ingest-format.js';
import { ingestSource, type IngestSource } from '../ingest/ingest-source.js';
import type { IngestResult } from '../ingest/record-batch.js';
import type { Recompute } from '../usage/recompute-plan.js';

export interface IngestBodyInput {
  readonly format: IngestFormat;
  readonly bytes: Uint8Array;
  readonly partnerId: string | null;
  /** The whole-month recompute the ingest ends with (billing/recompute.ts). */
  readonly recompute: Recompute;
}

export async function ingestBody(deps: AppDeps, input: IngestBodyInput): Promise<IngestResult> {
  const { db, clock, host } = deps;
  const now = clock.now();
  return ingestSource(db, {
    format: input.format,
    source: bodySource(input.bytes, host.withTempFile?.bind(host)),
    partnerId: input.partnerId,
    now,
    recompute: input.recompute,
    money: deps.money,
    ...(host.ingestLake ? { lake: host.ingestLake } : {}),
    // The service's gate job writes the learnt state behind.
    onWindows: gateTeacher({ state: deps.services.gate.state, log: deps.log, flush: false }, now),
  });
}

function bodySource(bytes: Uint8Array, withTempFile: AppDeps['host']['withTempFile']): IngestSource {
  return {
    size: bytes.length,
    head: async (n) => bytes.subarray(0, n),
    bytes: async () => bytes,
    withPath: (extension, fn) => {
      if (!withTempFile) throw new ServiceUnavailableError(`This host cannot load ${extension} files.`);
      return withTempFile(bytes, extension, fn);
    },
  };
}
