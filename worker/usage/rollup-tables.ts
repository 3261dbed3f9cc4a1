/**
 * Which tables a usage answer reads: this store's own rollups, or the copy of the rollups the usage source
 * published (a replica that is not the source holds no units, so its own rollups are empty; see
 * ledger/published-usage-copy.ts). Both sets have the same columns, so one query text serves both; the names
 * come from these two constants only, never from a request.
 */
export interface RollupTables {
  readonly daily: string;
  readonly monthly: string;
  readonly feed: string;
}

export const OWN_ROLLUPS: RollupTables = {
  daily: 'usage_daily',
  monthly: 'usage_monthly',
  feed: 'data_feed',
};

export const PUBLISHED_ROLLUPS: RollupTables = {
  daily: 'published_usage_daily',
  monthly: 'published_usage_monthly',
  feed: 'published_data_feed',
};
