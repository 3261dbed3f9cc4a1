/** Streams generated records to a CSV file (Node only), reporting progress; used by gen:units and the bench. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEMO_COLUMNS, generateUnits, type GenerateOptions } from './generate-units.js';

/** Writes the CSV and returns the number of data rows written. */
export async function writeUnitsCsv(
  path: string,
  opts: GenerateOptions,
  onProgress?: (rows: number) => void,
): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(s)) resolve();
      else out.once('drain', resolve).once('error', reject);
    });
  await write(DEMO_COLUMNS.join(',') + '\n');
  let rows = 0;
  let buf: string[] = [];
  const cap = opts.units;
  for (const { row } of generateUnits(opts)) {
    if (cap !== undefined && rows >= cap) break;
    // Generated values never contain commas, quotes or newlines, so no quoting is needed.
    buf.push(row.join(','));
    rows++;
    if (buf.length === 20_000) {
      await write(buf.join('\n') + '\n');
      buf = [];
      onProgress?.(rows);
    }
  }
  if (buf.length) await write(buf.join('\n') + '\n');
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  onProgress?.(rows);
  return rows;
}
