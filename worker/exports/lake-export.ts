/**
 * Writes a tenant's tables (units, ledger movements, rollups) as a Hive-partitioned lake (<table>/month=YYYY-MM/data.parquet),
 * one COPY per month so progress is visible and a month can be re-exported on its own. Each file is written
 * beside its final name and renamed into place, so a reader never sees half a file; a month that now has no rows
 * loses its old file.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lastDayOfMonth, monthsBetween } from '../kernel/calendar.js';
import { copyToFile } from './file-export.js';
import type { LakeFile, LakeRequest } from './lake-types.js';
import { tenantTableQuery } from './tenant-tables.js';

export async function writeLake(instance: DuckDBInstance, req: LakeRequest): Promise<LakeFile[]> {
  const months = monthsBetween(req.fromDay, req.toDay);
  const total = months.length * req.tables.length;
  const files: LakeFile[] = [];
  let done = 0;
  let rows = 0;
  for (const table of req.tables) {
    for (const month of months) {
      const fromDay = `${month}-01` < req.fromDay ? req.fromDay : `${month}-01`;
      const toDay = lastDayOfMonth(month) > req.toDay ? req.toDay : lastDayOfMonth(month);
      const { sql, params } = tenantTableQuery(table, {
        phoneNumberIds: req.phoneNumberIds,
        fromDay,
        toDay,
        ...(req.ledgerRows !== undefined ? { ledgerRows: req.ledgerRows } : {}),
        ...(req.rollups ? { rollups: req.rollups } : {}),
      });
      const rel = join(table, `month=${month}`, `data.${req.format}`);
      const dir = join(req.outDir, table, `month=${month}`);
      await mkdir(dir, { recursive: true });
      const final = join(req.outDir, rel);
      const partial = `${final}.partial`;
      const n = await copyToFile(instance, sql, params, partial, req.format, {
        table,
        month,
        from: fromDay,
        to: toDay,
      });
      if (n > 0) {
        await rename(partial, final);
        files.push({ table, month, path: rel, rows: n });
      } else {
        await rm(partial, { force: true });
        await rm(final, { force: true });
      }
      done += 1;
      rows += n;
      req.onProgress?.({ table, month, filesDone: done, filesTotal: total, rows });
    }
  }
  return files;
}
