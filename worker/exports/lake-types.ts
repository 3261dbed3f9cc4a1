/** What a lake export writes: one file per table and WABA-local month, Hive-partitioned as month=YYYY-MM. */
export const LAKE_TABLES = ['units', 'ledger'] as const;
export type LakeTable = (typeof LAKE_TABLES)[number];

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
