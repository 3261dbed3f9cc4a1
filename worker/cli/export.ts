/**
 * `npm run export -- --from 2026-01 --to 2026-12 --format parquet --out lake/ [--tables units,ledger]
 * [--partner id] [--waba id] [--db path]`: writes units and ledger movements of every number (or one partner's, or
 * one WABA's) as Hive-partitioned files, <out>/<table>/month=YYYY-MM/data.<format>, with a progress line per
 * file on stderr and a one-line JSON summary on stdout. The range takes months or days, checked by the same rules
 * as the HTTP exports; exit code 2 for bad arguments.
 */
import { z } from 'zod';
import { normalizeConfig } from '../config.js';
import { openStore } from '../pricing/open-store.js';
import { writeLake } from '../exports/lake-export.js';
import { LAKE_TABLES } from '../exports/lake-types.js';
import { monthOrDayParam, resolveDayRange } from '../http/day-range.js';
import { csvList, idParam } from '../http/params.js';
import { issuesOf } from '../http/validate.js';
import { badArguments, readOptions, runCli } from './cli-main.js';

const argsSchema = z.object({
  from: monthOrDayParam,
  to: monthOrDayParam,
  format: z.enum(['parquet', 'csv']).default('parquet'),
  out: z.string().min(1),
  tables: csvList.pipe(z.array(z.enum(LAKE_TABLES)).min(1)).default([...LAKE_TABLES]),
  partner: idParam.optional(),
  waba: idParam.optional(),
  db: z.string().min(1).optional(),
});

async function main(): Promise<number> {
  const values = readOptions(['from', 'to', 'format', 'out', 'tables', 'partner', 'waba', 'db']);
  const parsed = argsSchema.safeParse(values);
  const range = parsed.success ? resolveDayRange(parsed.data.from, parsed.data.to, new Date()) : null;
  const issues = parsed.success ? (range?.issues ?? []) : issuesOf(parsed.error);
  if (!parsed.success || !range || issues.length > 0) {
    return badArguments(
      'npm run export -- --from YYYY-MM[-DD] --to YYYY-MM[-DD] --out dir/ [--format parquet|csv] ' +
        '[--tables units,ledger] [--partner id] [--waba id] [--db path]',
      issues.map((i) => `--${i.column ?? '?'} ${i.reason}`),
    );
  }
  const args = parsed.data;
  const store = await openStore({ path: args.db ?? normalizeConfig(process.env).dbPath }, new Date());
  try {
    const phones = await store.all<{ phone_number_id: string }>(
      `SELECT p.phone_number_id FROM phone_numbers p JOIN wabas w USING (waba_id)
        WHERE ($partner IS NULL OR w.partner_id = $partner) AND ($waba IS NULL OR p.waba_id = $waba)
        ORDER BY 1`,
      { partner: args.partner ?? null, waba: args.waba ?? null },
    );
    const t0 = performance.now();
    process.stderr.write(
      `exporting ${args.tables.join(', ')} of ${phones.length} numbers, ${range.fromDay} … ${range.toDay}, to ${args.out}\n`,
    );
    const files = await writeLake(store.instance, {
      phoneNumberIds: phones.map((p) => p.phone_number_id),
      fromDay: range.fromDay,
      toDay: range.toDay,
      tables: args.tables,
      format: args.format,
      outDir: args.out,
      onProgress: (p) => {
        const secs = (performance.now() - t0) / 1000;
        const pct = Math.round((p.filesDone / p.filesTotal) * 100);
        const bar = '#'.repeat(Math.round(pct / 5)).padEnd(20, '-');
        process.stderr.write(
          `\r[${bar}] ${String(pct).padStart(3)} % ${p.table} ${p.month}  ${p.rows.toLocaleString('en-US')} rows  ` +
            `${(p.rows / Math.max(secs, 1e-3)).toFixed(0)} rows/s  ${secs.toFixed(1)} s `,
        );
      },
    });
    const secs = (performance.now() - t0) / 1000;
    const rows = files.reduce((s, f) => s + f.rows, 0);
    process.stderr.write(`\n${files.length} files, ${rows} rows in ${secs.toFixed(1)} s\n`);
    process.stdout.write(
      JSON.stringify({ out: args.out, files, rows, seconds: Number(secs.toFixed(3)) }) + '\n',
    );
    return 0;
  } finally {
    await store.close();
  }
}

await runCli(main);
