/**
 * The webhook entries of one derivation parsed as parseWebhooks parses their text joined by newlines, entry by
 * entry with a turn of the event loop every few milliseconds: a batch of 20,000 events parsed at once held the
 * loop for ~100 ms, and every acceptance waiting behind it with it. An entry whose text acceptance parsed just
 * before (`parsedOf`) is not parsed again.
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

/** Appends every column of `part` to `out`, its line numbers moved by `offset`. */
function append(out: Record<string, string[]>, part: Readonly<Record<string, string[]>>, offset: number) {
  for (const k of Object.keys(part)) {
    const from = part[k]!;
    const to = (out[k] ??= []);
    if (k === 'line' && offset !== 0) for (const l of from) to.push(String(Number(l) + offset));
    else for (const v of from) to.push(v);
  }
}

/** Equal to parseWebhooks(entries.map((e) => e.text).join('\n')). */
export async function parseEntries(
  entries: readonly IntakeEntry[],
  parsedOf: (e: IntakeEntry) => ParsedWebhooks | undefined = () => undefined,
): Promise<ParsedWebhooks> {
  const out = parseWebhooks('');
  const events: Record<string, string[]> = out.events;
  const inbound: Record<string, string[]> = out.inbound;
  let lines = 0;
  let offset = 0;
  let since = performance.now();
  for (const e of entries) {
    const p = parsedOf(e) ?? parseWebhooks(e.text);
    lines += p.lines;
    append(events, p.events, offset);
    append(inbound, p.inbound, offset);
    for (const i of p.issues) out.issues.push(i.line === undefined ? i : { ...i, line: i.line + offset });
    offset += physicalLines(e.text);
    if (performance.now() - since > SLICE_MS) {
      await turn();
      since = performance.now();
    }
  }
  return { ...out, lines };
}
