/**
 * JSON and CSV tables written as their rows come out of the store, so a large page costs about one chunk of
 * memory rather than the page. The bytes are respondTable's, except that JSON fields known only once the last
 * row is read (`next_cursor`) follow `rows`. A failure before the first chunk (the query itself) throws to the
 * caller and answers problem+json; a later one can only abort the body: it is logged and the stream errors, so
 * the client sees a cut connection, never a well-formed but short table.
 */
import type { Context } from 'hono';
import type { ColumnarStream, Row } from '../db/db.js';
import type { AppEnv } from '../app-deps.js';
import { CSV_TYPE, csvHeader, csvLine } from './table-response.js';
import { metadataHeaders, tableMetadata } from './table-meta.js';

export interface StreamedTableOptions {
  readonly format: 'json' | 'csv';
  readonly filename: string;
  /** JSON fields before `rows`; for CSV, the metadata sent as X-Table-* headers. */
  readonly meta: Readonly<Record<string, unknown>>;
  /** Rows written at most; a row read beyond them tells that another page follows (null = all rows). */
  readonly limit: number | null;
  /** JSON fields after `rows`, given whether a row followed the page. */
  readonly tail?: (more: boolean) => Readonly<Record<string, unknown>>;
  /** The JSON spelling of a row when it differs from the typed one. */
  readonly jsonRow?: (row: Row) => Row;
}

/** Reads the first chunk now (its errors are the caller's), then answers with a body fed by the rest. */
export async function streamTable(
  c: Context<AppEnv>,
  src: ColumnarStream,
  opts: StreamedTableOptions,
): Promise<Response> {
  let pending: readonly Row[] | null;
  try {
    pending = await src.next();
  } catch (err) {
    src.close();
    throw err;
  }
  const json = opts.format === 'json';
  const jsonRow = opts.jsonRow ?? ((r: Row) => r);
  const encoder = new TextEncoder();
  let head: string;
  if (json) {
    const fields = JSON.stringify(opts.meta).slice(1, -1);
    head = `{${fields}${fields ? ',' : ''}"rows":[`;
  } else head = `${csvHeader(src.names)}\n`;
  const tail = (more: boolean): string => {
    if (!json) return '';
    const fields = JSON.stringify(opts.tail?.(more) ?? {}).slice(1, -1);
    return `]${fields ? ',' : ''}${fields}}`;
  };
  let written = 0;
  let started = false;
  const { log } = c.var.deps;
  const requestId = c.var.requestId;

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let text = started ? '' : head;
        started = true;
        // Loops until there is something to send: a chunk may be empty.
        while (text === '') {
          const rows = pending ?? (await src.next());
          pending = null;
          if (rows === null) {
            src.close();
            controller.enqueue(encoder.encode(tail(false)));
            controller.close();
            return;
          }
          for (const r of rows) {
            if (opts.limit !== null && written === opts.limit) {
              src.close();
              controller.enqueue(encoder.encode(text + tail(true)));
              controller.close();
              return;
            }
            if (json) text += `${written === 0 ? '' : ','}${JSON.stringify(jsonRow(r))}`;
            else text += `${csvLine(src.names, r)}\n`;
            written++;
          }
        }
        controller.enqueue(encoder.encode(text));
      } catch (err) {
        src.close();
        log.error('table stream failed', {
          request_id: requestId,
          rows_written: written,
          error: err instanceof Error ? err.message : String(err),
        });
        controller.error(err);
      }
    },
    cancel() {
      src.close();
    },
  });

  c.header('Vary', 'Accept');
  if (json) return c.body(body, 200, { 'Content-Type': 'application/json' });
  const metadata = tableMetadata(opts.meta, src);
  for (const [k, v] of Object.entries(metadataHeaders(metadata))) c.header(k, v);
  c.header('Content-Disposition', `inline; filename="${opts.filename}.csv"`);
  return c.body(body, 200, { 'Content-Type': CSV_TYPE });
}
