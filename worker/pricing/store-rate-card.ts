/** Writes and reads rate cards in the rate_cards / rate_card_rates / rate_card_tiers tables. */
import type { Queryable } from '../db/db.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { tierLabel, type CardProvenance, type RateCard, type RateEntry } from './rate-card.js';

/** Inserts a card (replacing the same card_id when `replace`); 409 on an id or effective-date clash. */
export async function insertRateCard(
  tx: Queryable,
  card: RateCard,
  opts: { origin: 'shipped' | 'upload'; now: Date; replace?: boolean },
): Promise<void> {
  const same = await tx.all<{ card_id: string }>(
    `SELECT card_id FROM rate_cards
      WHERE card_id = $id OR (currency = $cur AND pricing_model = $model AND effective_from = CAST($from AS DATE))`,
    { id: card.card_id, cur: card.currency, model: card.pricing_model, from: card.effective_from },
  );
  const other = same.find((r) => r.card_id !== card.card_id);
  if (other)
    throw new ConflictError(
      `Card ${other.card_id} already starts on ${card.effective_from} for ${card.currency} ${card.pricing_model}.`,
      { card_id: other.card_id },
    );
  if (same.length > 0 && !opts.replace)
    throw new ConflictError(`Rate card ${card.card_id} exists; send replace=true to replace it.`, {
      card_id: card.card_id,
    });
  await deleteRateCard(tx, card.card_id);
  await tx.run(
    `INSERT INTO rate_cards (card_id, effective_from, currency, pricing_model, description, source, origin,
                             created_at, provenance)
     VALUES ($id, CAST($from AS DATE), $cur, $model, $descr, $src, $origin, $now, $prov)`,
    {
      id: card.card_id,
      from: card.effective_from,
      cur: card.currency,
      model: card.pricing_model,
      descr: card.description,
      src: card.source,
      origin: opts.origin,
      now: opts.now.toISOString(),
      prov: card.provenance === null ? null : JSON.stringify(card.provenance),
    },
  );
  // One statement per table: arrays unnest side by side.
  const r = card.rates;
  await tx.run(
    `INSERT INTO rate_card_rates
       SELECT $id, unnest($markets), unnest($cats), CAST(unnest($rates) AS DECIMAL(18, 6))`,
    {
      id: card.card_id,
      markets: r.map((e) => e.market),
      cats: r.map((e) => e.category),
      rates: r.map((e) => e.rate),
    },
  );
  const tiers = r.flatMap((e) => e.tiers.map((t) => ({ e, t })));
  if (tiers.length === 0) return;
  await tx.run(
    `INSERT INTO rate_card_tiers
       SELECT $id, unnest($markets), unnest($cats), CAST(unnest($lowers) AS BIGINT),
              CAST(NULLIF(unnest($uppers), '') AS BIGINT), CAST(unnest($rates) AS DECIMAL(18, 6)),
              unnest($marginal) = 'true'`,
    {
      id: card.card_id,
      markets: tiers.map((x) => x.e.market),
      cats: tiers.map((x) => x.e.category),
      lowers: tiers.map((x) => String(x.t.lower)),
      uppers: tiers.map((x) => (x.t.upper === null ? '' : String(x.t.upper))),
      rates: tiers.map((x) => x.t.rate),
      marginal: tiers.map((x) => String(x.e.marginal)),
    },
  );
}

export async function deleteRateCard(tx: Queryable, cardId: string): Promise<void> {
  for (const table of ['rate_card_tiers', 'rate_card_rates', 'rate_cards'])
    await tx.run(`DELETE FROM ${table} WHERE card_id = $id`, { id: cardId });
}

export interface RateCardSummary {
  readonly card_id: string;
  readonly effective_from: string;
  /** The day the next card of the same currency and model starts, or null while it is the latest. */
  readonly effective_to: string | null;
  readonly currency: string;
  readonly pricing_model: string;
  readonly description: string | null;
  readonly source: string | null;
  readonly origin: string;
  readonly rates: number;
  readonly provenance: CardProvenance | null;
}

const SUMMARY_SQL = `
  SELECT c.card_id, strftime(c.effective_from, '%Y-%m-%d') AS effective_from,
         strftime(lead(c.effective_from) OVER (PARTITION BY c.currency, c.pricing_model ORDER BY c.effective_from),
                  '%Y-%m-%d') AS effective_to,
         c.currency, c.pricing_model, c.description, c.source, c.origin, c.provenance,
         (SELECT count(*) FROM rate_card_rates r WHERE r.card_id = c.card_id)::INTEGER AS rates
    FROM rate_cards c`;

type SummaryRow = Omit<RateCardSummary, 'provenance'> & { provenance: string | null };

const withProvenance = (r: SummaryRow): RateCardSummary => ({
  ...r,
  provenance: r.provenance === null ? null : (JSON.parse(r.provenance) as CardProvenance),
});

/** Cards, optionally only one currency and only those in force on `effectiveOn` (a local date). */
export async function listRateCards(
  db: Queryable,
  f: { currency?: string | undefined; effectiveOn?: string | undefined },
): Promise<RateCardSummary[]> {
  const rows = await db.all<SummaryRow>(
    `SELECT * FROM (${SUMMARY_SQL}) s
      WHERE ($cur IS NULL OR currency = $cur)
        AND ($on IS NULL OR (effective_from <= $on AND (effective_to IS NULL OR effective_to > $on)))
      ORDER BY currency, pricing_model, effective_from`,
    { cur: f.currency ?? null, on: f.effectiveOn ?? null },
  );
  return rows.map(withProvenance);
}

/** One card with its rates and tiers. */
export async function getRateCard(
  db: Queryable,
  cardId: string,
): Promise<RateCardSummary & { rates_detail: RateEntry[] }> {
  const row = (
    await db.all<SummaryRow>(`SELECT * FROM (${SUMMARY_SQL}) s WHERE card_id = $id`, { id: cardId })
  )[0];
  if (!row) throw new NotFoundError(`Rate card ${cardId}`);
  const head = withProvenance(row);
  const rates = await db.all<{ market: string; category: string; rate: string }>(
    'SELECT market, category, rate FROM rate_card_rates WHERE card_id = $id ORDER BY market, category',
    { id: cardId },
  );
  const tiers = await db.all<{
    market: string;
    category: string;
    lower: string;
    upper: string | null;
    rate: string;
    marginal: boolean;
  }>(
    `SELECT market, category, tier_lower AS lower, tier_upper AS upper, rate, marginal
       FROM rate_card_tiers WHERE card_id = $id ORDER BY market, category, tier_lower`,
    { id: cardId },
  );
  const detail = rates.map((r) => {
    const own = tiers.filter((t) => t.market === r.market && t.category === r.category);
    const list = own.map((t) => ({
      lower: Number(t.lower),
      upper: t.upper === null ? null : Number(t.upper),
      rate: t.rate,
    }));
    return {
      ...r,
      marginal: own[0]?.marginal ?? true,
      tiers: list.map((t) => ({ ...t, label: tierLabel(t) })),
    };
  });
  return { ...head, rates_detail: detail };
}
