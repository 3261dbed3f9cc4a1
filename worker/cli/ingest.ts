/**
 * `npm run ingest -- --file big.csv [--format csv|ndjson|parquet|arrow|webhooks] [--db path] [--partner id]
 * [--demo-tenancy]`: loads a file straight into the DuckDB file as one atomic batch, with progress on stderr and
 * a one-line JSON summary on stdout. Exit code 1 when the batch is rejected (the issues are printed).
 */
import { stat } from 'node:fs/promises';
import { systemClock } from '../clock.js';
import { normalizeConfig } from '../config.js';
import { domainContextOf } from '../kernel/domain-context.js';
import { GateStateStore, gateStoreOptions } from '../gate/gate-state-store.js';
import { openMoneyPlane } from '../db/open-money-store.js';
import { requireUsageSource } from '../ledger/usage-source.js';
import { openStore } from '../pricing/open-store.js';
import { AppError } from '../errors.js';
import { ensureDemoTenancy } from '../demo/demo-tenancy.js';
import { INGEST_FORMATS, formatFromFileName, type IngestFormat } from '../ingest/ingest-format.js';
import { ingestFile } from './ingest-file.js';
import { openIngestLake } from '../lake/open-ingest-lake.js';
import { progressLine } from './progress-line.js';
import { badArguments, readOptions, runCli } from './cli-main.js';

const cliLogger = {
  info: () => {},
  warn: (msg: string, f?: Record<string, unknown>) =>
    process.stderr.write(`\n${msg} ${JSON.stringify(f ?? {})}\n`),
  error: (msg: string, f?: Record<string, unknown>) =>
    process.stderr.write(`\n${msg} ${JSON.stringify(f ?? {})}\n`),
};

async function main(): Promise<number> {
  const values = readOptions(['file', 'format', 'db', 'partner'], ['demo-tenancy']);
  if (!values.file)
    return badArguments('npm run ingest -- --file <path> [--format …] [--db path] [--partner id]');
  const format = (values.format ?? formatFromFileName(values.file)) as IngestFormat | null;
  if (!format || !(INGEST_FORMATS as readonly string[]).includes(format)) {
    process.stderr.write(`--format must be one of ${INGEST_FORMATS.join(', ')}\n`);
    return 2;
  }
  const size = (await stat(values.file)).size;
  // --db moves the default ingest lake along with the file (beside it).
  const config = normalizeConfig(values.db ? { ...process.env, DB_PATH: values.db } : process.env);
  const dbPath = config.dbPath;
  const store = await openStore({ path: dbPath }, new Date());
  const money = await openMoneyPlane(config, store).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  // Progress is tracked per connection, silently (DuckDB's own bar would print over ours).
  await store.writeExclusive(async (conn) => {
    await conn.run('SET enable_progress_bar = true');
    await conn.run('SET enable_progress_bar_print = false');
    await conn.run('SET progress_bar_time = 0');
  });
  const t0 = performance.now();
  const lake = openIngestLake(config, cliLogger);
  try {
    // A money plane shared by replicas takes usage from one analytics store only: refused before any write.
    await requireUsageSource({ db: store, money }, config.replicaId, new Date());
    if (values['demo-tenancy']) await ensureDemoTenancy({ db: store, money }, new Date(), lake);
    process.stderr.write(
      `ingesting ${values.file} (${(size / 1e6).toFixed(1)} MB, ${format}) into ${dbPath}\n`,
    );
    const result = await ingestFile(store, {
      file: values.file,
      format,
      partnerId: values.partner ?? null,
      now: new Date(),
      domain: domainContextOf({ clock: systemClock, config }),
      money,
      ...(lake ? { lake } : {}),
      // The gate's state lives on the money plane, and no job writes it behind: it is flushed once learnt.
      gate: { state: new GateStateStore(money, gateStoreOptions(config)), log: cliLogger, flush: true },
      onProgress: (phase, pct) =>
        process.stderr.write(`\r${progressLine(phase, pct, performance.now() - t0)}`),
    });
    const secs = (performance.now() - t0) / 1000;
    process.stderr.write(`\r${progressLine('done', 100, performance.now() - t0)}\n`);
    process.stderr.write(
      `${result.rows} rows: ${result.inserted} inserted, ${result.updated} updated, ${result.duplicates} duplicates, ` +
        `${result.months_recomputed.length} WABA-months recomputed in ${secs.toFixed(1)} s\n`,
    );
    process.stdout.write(
      JSON.stringify({
        ...result,
        months_recomputed: result.months_recomputed.length,
        seconds: Number(secs.toFixed(3)),
      }) + '\n',
    );
    return 0;
  } catch (err) {
    process.stderr.write('\n');
    if (err instanceof AppError) {
      process.stderr.write(`rejected: ${err.message}\n${JSON.stringify(err.detail, null, 2)}\n`);
      return 1;
    }
    throw err;
  } finally {
    if (money !== store) await money.close();
    await store.close();
  }
}

await runCli(main);
