/**
 * `npm run export -- --from 2026-01 --to 2026-12 --format parquet --out lake/ [--tables units,ledger]
 * [--partner id] [--waba id] [--db path]`: writes units and ledger movements (or any of the tables the lake
 * export takes) of every number (or one partner's, or one WABA's) as Hive-partitioned files,
 * <out>/<table>/month=YYYY-MM/data.<format>, with a progress line per file on stderr and a one-line JSON summary
 * on stdout. The range takes months or days, checked by the same rules as the HTTP exports; exit code 2 for bad
 * arguments. The tables read what the HTTP exports read (tenant-scope.ts): the money plane's numbers and ledger,
 * the published rollups when the file is not the usage source, whose units are refused (exit code 1, the
 * problem naming the source) before any file is written.
 */
import { z } from 'zod';
import { normalizeConfig } from '../config.js';
import { openMoneyPlane } from '../db/open-money-store.js';
import { AppError } from '../errors.js';
import { openStore } from '../pricing/open-store.js';
import { writeLake } from '../exports/lake-export.js';
import { LAKE_DEFAULT_TABLES, LAKE_TABLES } from '../exports/lake-types.js';
import { tenantScope } from '../exports/tenant-scope.js';
import { monthOrDayParam, resolveDayRange } from '../http/day-range.js';
import { csvList, idParam } from '../http/params.js';
import { issuesOf } from '../http/validate.js';
import { badArguments, readOptions, runCli } from './cli-main.js';

const argsSchema = z.object({
  from: monthOrDayParam,
  to: monthOrDayParam,
  format: z.enum(['parquet', 'csv']).default('parquet'),
  out: z.string().min(1),
  tables: csvList.pipe(z.array(z.enum(LAKE_TABLES)).min(1)).default([...LAKE_DEFAULT_TABLES]),
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
        `[--tables ${LAKE_TABLES.join(',')}] [--partner id] [--waba id] [--db path]`,
      issues.map((i) => `--${i.column ?? '?'} ${i.reason}`),
    );
  }
  const args = parsed.data;
  const config = normalizeConfig(args.db ? { ...process.env, DB_PATH: args.db } : process.env);
  const store = await openStore({ path: config.dbPath }, new Date());
  const money = await openMoneyPlane(config, store).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  try {
    // The numbers as the money plane, the truth of the tenancy, holds them.
    const phones = await money.all<{ phone_number_id: string }>(
      `SELECT p.phone_number_id FROM phone_numbers p JOIN wabas w USING (waba_id)
        WHERE (CAST($partner AS VARCHAR) IS NULL OR w.partner_id = CAST($partner AS VARCHAR))
          AND (CAST($waba AS VARCHAR) IS NULL OR p.waba_id = CAST($waba AS VARCHAR))
        ORDER BY 1`,
      { partner: args.partner ?? null, waba: args.waba ?? null },
    );
    const scope = await tenantScope(
      { db: store, money, clock: { now: () => new Date() } },
      { phoneNumberIds: phones.map((p) => p.phone_number_id), fromDay: range.fromDay, toDay: range.toDay },
      args.tables,
    );
    const t0 = performance.now();
    process.stderr.write(
      `exporting ${args.tables.join(', ')} of ${phones.length} numbers, ${range.fromDay} … ${range.toDay}, to ${args.out}\n`,
    );
    const files = await writeLake(store.instance, {
      ...scope,
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
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    process.stderr.write(`refused: ${err.message}\n${JSON.stringify(err.detail, null, 2)}\n`);
    return 1;
  } finally {
    if (money !== store) await money.close();
    await store.close();
  }
}

await runCli(main);
