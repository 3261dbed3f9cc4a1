/** The rate-card shapes shared by the shipped data, uploads, storage and pricing. */

export type PricingModel = 'CBP' | 'PMP';

/** One volume tier: units numbered lower..upper (inclusive, upper null = MAX) in the month are at `rate`. */
export interface RateTier {
  readonly lower: number;
  readonly upper: number | null;
  readonly rate: string;
}

export interface RateEntry {
  readonly market: string;
  readonly category: string;
  /** Decimal string; for a tiered pair, the first tier's rate. */
  readonly rate: string;
  readonly tiers: readonly RateTier[];
  /** Marginal tiers price each unit at the tier it falls in; otherwise the month's total picks one tier. */
  readonly marginal: boolean;
}

export interface RateCard {
  readonly card_id: string;
  /** Local date (WABA time zone) from which the card is in force. */
  readonly effective_from: string;
  readonly currency: string;
  readonly pricing_model: PricingModel;
  readonly description: string | null;
  readonly source: string | null;
  /** Where the rates come from and what is known to be missing: kept with the card, never used to price. */
  readonly provenance: CardProvenance | null;
  readonly rates: readonly RateEntry[];
}

/** A card's evidence: its sources, how far they are trusted, and the cells or tables they lack. */
export interface CardProvenance {
  readonly confidence: string | null;
  readonly sources: readonly { readonly key: string; readonly what: string }[];
  readonly gaps: readonly string[];
  readonly notes: readonly string[];
}

/** Categories a card may price (referral_conversion is always free, so it has no rate). */
export const RATE_CATEGORIES = [
  'business_initiated',
  'user_initiated',
  'marketing',
  'marketing_lite',
  'utility',
  'authentication',
  'authentication_international',
  'service',
] as const;

/**
 * SQL: the category whose rate prices `category` when a card (of pricing model `model`) has no rate of its own
 * for it — authentication_international the domestic authentication rate (North America has no international
 * rate: "n/a" on Meta's cards), a Groups API category its one-to-one category, and under per-message pricing a
 * service message the market's utility rate (R5: service is charged at the utility rate where the card has no
 * service row) — or NULL.
 */
export function fallbackRateCategorySql(category: string, model: string): string {
  return `CASE WHEN ${category} = 'authentication_international' THEN 'authentication'
               WHEN ${category} = 'service' AND ${model} = 'PMP' THEN 'utility'
               WHEN ${category} IN ('group_marketing', 'group_utility', 'group_service') THEN substr(${category}, 7) END`;
}

/** Categories that carry PMP volume tiers (DOMAIN.md §4.3: marketing has none). */
export const TIERED_CATEGORIES: readonly string[] = [
  'utility',
  'authentication',
  'authentication_international',
];

/** The tier label in Meta's notation, "lower:upper" with "MAX" for an open top tier. */
export function tierLabel(t: RateTier): string {
  return `${t.lower}:${t.upper ?? 'MAX'}`;
}
