/**
 * One accepted request of the continuous intake as the log keeps it: one JSON line ending in a newline, so a
 * line cut short by a crash (never acknowledged: the answer waits for its fsync) is recognised and dropped.
 */
import { INGEST_FORMATS, type IngestFormat } from '../ingest/ingest-format.js';

export interface IntakeEntry {
  /** Position in the log, from 1; the micro-batcher derives entries in this order. */
  readonly seq: number;
  /** When it was accepted (ISO). */
  readonly at: string;
  /** The calling partner; null = the admin token. */
  readonly partnerId: string | null;
  /** webhooks: envelopes; any other: billing-unit records, checked and staged (record-columns.ts). */
  readonly format: IngestFormat;
  /**
   * The event keys this entry brought first (status: wamid, status, timestamp; inbound: wamid; record: unit_id
   * and the digest of its fields).
   */
  readonly keys: readonly string[];
  /**
   * Webhooks: the request body as accepted (its events already known are dropped again when it is derived).
   * Records: the new records as columns of text (RecordColumns as JSON).
   */
  readonly text: string;
}

/** The log line of an entry (with its newline). */
export function entryLine(e: IntakeEntry): string {
  return `${JSON.stringify({ seq: e.seq, at: e.at, partner: e.partnerId, format: e.format, keys: e.keys, text: e.text })}\n`;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The entry of one complete line, or null when the line is not one the log wrote. */
export function parseEntryLine(line: string): IntakeEntry | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.seq !== 'number' || typeof o.at !== 'string' || typeof o.text !== 'string') return null;
  const format = INGEST_FORMATS.find((f) => f === o.format);
  if (!format || !isStrings(o.keys)) return null;
  if (o.partner !== null && typeof o.partner !== 'string') return null;
  return { seq: o.seq, at: o.at, partnerId: o.partner, format, keys: o.keys, text: o.text };
}
