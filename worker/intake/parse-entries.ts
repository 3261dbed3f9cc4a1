/**
 * The webhook entries of one derivation parsed as parseWebhooks parses their text joined by newlines, entry by
 * entry with a turn of the event loop every few milliseconds: a batch of 20,000 events parsed at once held the
 * loop for ~100 ms, and every acceptance waiting behind it with it.
 */
import { parseWebhooks, type ParsedWebhooks } from '../ingest/parse-webhooks.js';
import type { IntakeEntry } from './intake-entry.js';

/** Work between two turns of the event loop, ms. */
const SLICE_MS = 4;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lines of a text as parseWebhooks numbers them (split on \n, \r\n included). */
function physicalLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function shifted<T extends { line: string[] }>(columns: T, offset: number): T {
  return offset === 0 ? columns : { ...columns, line: columns.line.map((l) => String(Number(l) + offset)) };
}

function concat<T extends Record<string, string[]>>(parts: readonly T[]): T {
  const first = parts[0]!;
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(first)) out[k] = parts.flatMap((p) => p[k] ?? []);
  return out as T;
}

/** Equal to parseWebhooks(entries.map((e) => e.text).join('\n')). */
export async function parseEntries(entries: readonly IntakeEntry[]): Promise<ParsedWebhooks> {
  const parts: ParsedWebhooks[] = [];
  let offset = 0;
  let since = performance.now();
  for (const e of entries) {
    const p = parseWebhooks(e.text);
    parts.push({
      lines: p.lines,
      events: shifted(p.events, offset),
      inbound: shifted(p.inbound, offset),
      issues: p.issues.map((i) => (i.line === undefined ? i : { ...i, line: i.line + offset })),
    });
    offset += physicalLines(e.text);
    if (performance.now() - since > SLICE_MS) {
      await turn();
      since = performance.now();
    }
  }
  if (parts.length === 0) return parseWebhooks('');
  return {
    lines: parts.reduce((n, p) => n + p.lines, 0),
    events: concat(parts.map((p) => p.events)),
    inbound: concat(parts.map((p) => p.inbound)),
    issues: parts.flatMap((p) => p.issues),
  };
}
