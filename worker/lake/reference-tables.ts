/**
 * The reference data the ingest lake archives beside the batches: what a rebuild needs to count and price the
 * replayed units as the live store did. Each table is written as its own Parquet files, with the columns it has
 * in the store, so a reader of the lake sees the history of, say, the WABAs without knowing the store.
 *
 * Left out on purpose: API keys (their hashes are secrets, and a rebuilt analytics store is served with keys
 * issued for it), partners' allowed origins (browser CORS, no bearing on usage or charges), and the money tables
 * (balances, their start days, top-ups), which a rebuild never restores.
 */

/**
 * How a change of a table is applied on replay: `upsert` rows by their key (these tables are referenced by
 * foreign keys and never lose a row in the product), `replace` the rows of the listed keys (or the whole table).
 */
export type ReferenceApply = 'upsert' | 'replace';

export interface ReferenceTable {
  readonly name: ReferenceTableName;
  /** The column a change lists its rows by; null = a change always writes the whole table. */
  readonly key: string | null;
  readonly apply: ReferenceApply;
  /** The rows as archived (the SELECT a change filters by its keys). */
  readonly select: string;
  /** For `upsert`: the columns a later change may set (the key and foreign keys stay). */
  readonly updatable?: readonly string[];
}

export type ReferenceTableName =
  | 'partners'
  | 'wabas'
  | 'phone_numbers'
  | 'market_prefixes'
  | 'rate_cards'
  | 'rate_card_rates'
  | 'rate_card_tiers'
  | 'pricing_seed';

/** In the order their foreign keys need, which is also the order a change applies them. */
export const REFERENCE_LAKE_TABLES: readonly ReferenceTable[] = [
  {
    name: 'partners',
    key: 'partner_id',
    apply: 'upsert',
    select: 'SELECT partner_id, name, created_at FROM partners',
    updatable: ['name'],
  },
  {
    name: 'wabas',
    key: 'waba_id',
    apply: 'upsert',
    select: `SELECT waba_id, partner_id, name, timezone, currency, pmp_from, portfolio_id, created_at FROM wabas`,
    updatable: ['name', 'timezone', 'currency', 'pmp_from', 'portfolio_id'],
  },
  {
    name: 'phone_numbers',
    key: 'phone_number_id',
    apply: 'upsert',
    select: 'SELECT phone_number_id, waba_id, display_phone_number, label, created_at FROM phone_numbers',
    updatable: ['display_phone_number', 'label'],
  },
  { name: 'market_prefixes', key: null, apply: 'replace', select: 'SELECT * FROM market_prefixes' },
  { name: 'rate_cards', key: 'card_id', apply: 'replace', select: 'SELECT * FROM rate_cards' },
  { name: 'rate_card_rates', key: 'card_id', apply: 'replace', select: 'SELECT * FROM rate_card_rates' },
  { name: 'rate_card_tiers', key: 'card_id', apply: 'replace', select: 'SELECT * FROM rate_card_tiers' },
  { name: 'pricing_seed', key: null, apply: 'replace', select: 'SELECT * FROM pricing_seed' },
];

export const PRICING_TABLES: readonly ReferenceTableName[] = [
  'market_prefixes',
  'rate_cards',
  'rate_card_rates',
  'rate_card_tiers',
  'pricing_seed',
];

export function referenceTable(name: string): ReferenceTable | undefined {
  return REFERENCE_LAKE_TABLES.find((t) => t.name === name);
}

/**
 * A re-pricing the live store ran in the change's transaction, run again on replay right after the rows (a new
 * rate card re-prices the months from its start; a portfolio move re-prices the volume tiers of the WABAs).
 */
export type ReferenceEffect =
  | { readonly kind: 'reprice_card'; readonly card_id: string; readonly from: string }
  | { readonly kind: 'reprice_wabas'; readonly waba_ids: readonly string[] };

/** One change: per table, the keys of the rows it wrote ('all' = the whole table), and its re-pricing. */
export interface ReferenceChange {
  readonly tables: readonly {
    readonly table: ReferenceTableName;
    readonly keys: readonly string[] | 'all';
  }[];
  readonly effect?: ReferenceEffect | undefined;
}
