/**
 * The CLI's work, importable by the benchmark: ingests one file into an open store through the same
 * ingestSource as POST /v1/ingest (one atomic batch), reporting phase and DuckDB progress.
 */
import { recomputer } from '../billing/recompute.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { gateTeacher, type GateToTeach } from '../gate/teach-gate.js';
import { readFileSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import type { Db } from '../db/db.js';
import type { DuckDbStore } from '../db/duckdb-store.js';
import type { IngestFormat } from '../ingest/ingest-format.js';
import { ingestSource, type IngestSource, type IngestSourceInput } from '../ingest/ingest-source.js';
import type { IngestResult } from '../ingest/record-batch.js';

export interface IngestFileOptions {
  readonly file: string;
  readonly format: IngestFormat;
  /** Restrict to this partner's WABAs; null = any existing WABA (operator use). */
  readonly partnerId: string | null;
  readonly now: Date;
  /** Called with the current phase and the running statement's percentage (-1 when unknown). */
  readonly onProgress?: (phase: string, percent: number) => void;
  readonly onDeriveStep?: IngestSourceInput['onDeriveStep'];
  /** Clock and payment configuration of the recompute's ledger sync. */
  readonly domain: DomainContext;
  /** The money plane the usage is charged on; none = the store itself (STORE=duckdb). */
  readonly money?: Db;
  /** Webhooks only: the send gate taught after the batch committed. */
  readonly gate?: GateToTeach;
  /** Where the accepted batch is archived (the ingest lake). */
  readonly lake?: IngestSourceInput['lake'];
}

/** A file on disk as an ingest source: DuckDB reads it in place. */
function fileSource(path: string, size: number): IngestSource {
  return {
    size,
    head: async (n) => {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(n);
        const { bytesRead } = await fh.read(buf, 0, n, 0);
        return new Uint8Array(buf.subarray(0, bytesRead));
      } finally {
        await fh.close();
      }
    },
    bytes: async () => new Uint8Array(await readFile(path)),
    withPath: (_extension, fn) => fn(path),
  };
}

/** Bytes this process has read so far (Linux /proc/self/io), or null where that is not available. */
function bytesRead(): number | null {
  try {
    const m = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * How far the running phase is, in percent (-1 when unknown). While a batch is read, DuckDB cannot weigh a file
 * it has not sniffed (it estimates a few dozen rows), so its percentage stays near 0: the bytes the process has
 * read since the start, against the file's size, measure the landing instead.
 */
function progressOf(store: DuckDbStore, phase: string, start: number | null, size: number): number {
  const now = phase === 'reading' && start !== null ? bytesRead() : null;
  if (now === null || start === null || size <= 0) return store.writerProgress();
  return Math.min(99, (100 * (now - start)) / size);
}

export async function ingestFile(store: DuckDbStore, o: IngestFileOptions): Promise<IngestResult> {
  let phase = 'reading';
  const size = (await stat(o.file)).size;
  const start = bytesRead();
  const timer = o.onProgress
    ? setInterval(() => o.onProgress?.(phase, progressOf(store, phase, start, size)), 250)
    : null;
  try {
    const onPhase = (p: string) => {
      phase = p;
      o.onProgress?.(p, -1);
    };
    return await ingestSource(store, {
      format: o.format,
      source: fileSource(o.file, size),
      partnerId: o.partnerId,
      now: o.now,
      onPhase,
      ...(o.onDeriveStep ? { onDeriveStep: o.onDeriveStep } : {}),
      recompute: recomputer(o.domain, { db: store, ...(o.money ? { money: o.money } : {}) }),
      // The numbers the file brings are registered on the money plane too.
      ...(o.money ? { money: o.money } : {}),
      ...(o.lake ? { lake: o.lake } : {}),
      ...(o.gate ? { onWindows: gateTeacher(o.gate, o.now) } : {}),
    });
  } finally {
    if (timer) clearInterval(timer);
  }
}
