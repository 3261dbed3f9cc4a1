/**
 * `npm run rebuild -- --out rebuilt.duckdb [--lake dir] [--reference store.duckdb]`: builds a fresh DuckDB file
 * from the ingest lake alone (its object-store copy fetched first when INGEST_LAKE_URL is set): its reference changes (partners, WABAs, numbers, markets, rate cards) and batches
 * are replayed in the order they committed. `--reference` first copies the tenancy and pricing tables of a store
 * (stop the server first, DuckDB allows one process per file, or point at a copy), for a lake begun before
 * reference changes were archived. A progress line on stderr, a one-line JSON summary on stdout; exit 1 with one
 * line saying what failed (the half-built file is removed), 2 for bad arguments.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { normalizeConfig } from '../config.js';
import { domainContextOf } from '../kernel/domain-context.js';
import { openStore } from '../pricing/open-store.js';
import { s3ObjectStore } from '../lake/s3-object-store.js';
import { downloadMissing } from '../lake/sync-lake.js';
import { copyReference } from './copy-reference.js';
import { progressLine } from './progress-line.js';
import { replayLake } from './replay-lake.js';
import { badArguments, readOptions, runCli } from './cli-main.js';

async function main(): Promise<number> {
  const values = readOptions(['out', 'lake', 'reference']);
  const config = normalizeConfig(process.env);
  const lake = values.lake ?? config.ingestLakeDir;
  const reference = values.reference;
  if (!values.out || !lake)
    return badArguments('npm run rebuild -- --out <new.duckdb> [--lake <dir>] [--reference <store.duckdb>]');
  const out = values.out;
  if (existsSync(out)) {
    process.stderr.write(`rebuild: ${out} exists; the rebuild writes a fresh file\n`);
    return 2;
  }
  if (reference !== undefined && (resolve(out) === resolve(reference) || !existsSync(reference))) {
    process.stderr.write(
      `rebuild: the reference store ${reference} must be an existing file other than --out\n`,
    );
    return 2;
  }
  // The local folder first catches up with the lake's object-store copy (a lost disk, or another machine).
  if (config.ingestLakeRemote && lake === config.ingestLakeDir) {
    const { downloaded } = await downloadMissing(s3ObjectStore(config.ingestLakeRemote), lake);
    process.stderr.write(`rebuild: ${downloaded} file(s) fetched from ${config.ingestLakeRemote.url}\n`);
  }
  const t0 = performance.now();
  const tick = (phase: string, pct: number) =>
    process.stderr.write(`\r${progressLine(phase, pct, performance.now() - t0)}`);
  const store = await openStore({ path: out }, new Date());
  try {
    tick('reference', -1);
    const tables = reference ? await copyReference(store, reference) : null;
    const summary = await replayLake(store, lake, domainContextOf({ clock: systemClock, config }), {
      referenceCopied: tables !== null,
      onProgress: (p) => tick('replaying', (100 * p.done) / p.total),
    });
    const [counts] = await store.all<{ wabas: number; phone_numbers: number }>(
      `SELECT (SELECT count(*) FROM wabas)::INTEGER AS wabas,
              (SELECT count(*) FROM phone_numbers)::INTEGER AS phone_numbers`,
    );
    tick('done', 100);
    process.stderr.write('\n');
    process.stdout.write(
      JSON.stringify({
        out,
        lake,
        reference: reference ?? null,
        ...summary,
        ...counts,
        seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
      }) + '\n',
    );
    await store.close();
    return 0;
  } catch (err) {
    await store.close().catch(() => undefined);
    await rm(out, { force: true });
    await rm(`${out}.wal`, { force: true });
    process.stderr.write(`\nrebuild failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

await runCli(main);
