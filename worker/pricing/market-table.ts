/**
 * The shipped calling-code → market table (data/markets/markets.json, DOMAIN.md §2.5). Imported as JSON so the
 * data has one source whichever host runs the code.
 */
import markets from '../../data/markets/markets.json' with { type: 'json' };

export interface MarketPrefix {
  readonly prefix: string;
  readonly country: string | null;
  readonly market: string;
  /** Local date from which the row applies; null = always. */
  readonly effective_from: string | null;
  /** Local date from which the row no longer applies (exclusive); null = open. */
  readonly effective_to: string | null;
}

export const MARKET_PREFIXES: readonly MarketPrefix[] = markets as MarketPrefix[];

/** The market every unknown prefix falls into. */
export const OTHER_MARKET = 'Other';

/** Every market name a rate card may use. */
export const KNOWN_MARKETS: ReadonlySet<string> = new Set([
  OTHER_MARKET,
  ...MARKET_PREFIXES.map((m) => m.market),
]);
