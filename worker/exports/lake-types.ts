import type { RollupTables } from '../usage/rollup-tables.js';

/**
 * What an export writes (a stream, or one lake file per table and WABA-local month, Hive-partitioned as
 * month=YYYY-MM): the units and ledger movements, and the daily and monthly rollups and the charges in them, the
 * tables every replica can answer (tenant-tables.ts).
 */
export const LAKE_TABLES = ['units', 'ledger', 'usage_daily', 'usage_monthly', 'charges'] as const;
export type LakeTable = (typeof LAKE_TABLES)[number];
/** What a lake export writes when no tables are named. */
export const LAKE_DEFAULT_TABLES: readonly LakeTable[] = ['units', 'ledger'];

export interface LakeRequest {
  readonly phoneNumberIds: readonly string[];
  /** Inclusive range of WABA-local days, 'YYYY-MM-DD'. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly tables: readonly LakeTable[];
  /** Root folder; files go to <outDir>/<table>/month=YYYY-MM/data.<format>. */
  readonly outDir: string;
  readonly format: 'csv' | 'parquet';
  /** The ledger read on the money plane when it is a store of its own (money-ledger.ts). */
  readonly ledgerRows?: string;
  /** The rollups the rollup tables read (tenant-scope.ts); absent = the store's own. */
  readonly rollups?: RollupTables;
  /** Called after each file with the running totals (for progress bars). */
  readonly onProgress?: (p: LakeProgress) => void;
}

export interface LakeFile {
  readonly table: LakeTable;
  readonly month: string;
  /** Path relative to the request's outDir. */
  readonly path: string;
  readonly rows: number;
}

export interface LakeProgress {
  readonly table: LakeTable;
  readonly month: string;
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly rows: number;
}
