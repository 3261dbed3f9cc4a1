/**
 * Loads the shipped markets and rate cards into DuckDB once per data version: every host opens its store
 * through openStore (open-store.ts), which runs it after the migrations, since migrations are plain SQL and the
 * data lives as JSON the code imports. Neither priceUnits nor the ingest seeds.
 */
import type { Queryable } from '../db/db.js';
import { MARKET_PREFIXES } from './market-table.js';
import { SHIPPED_CARD_DOCUMENTS } from './shipped-cards.js';
import { insertRateCard } from './store-rate-card.js';
import { validateRateCardJson } from './validate-rate-card.js';

/** Bump when data/markets or data/rate-cards change, so existing databases reload them. */
export const PRICING_SEED_VERSION = '2026-12-06.1';

/** Inside a write transaction: (re)loads the shipped data unless this version is already there. */
export async function seedPricingData(tx: Queryable, now: Date): Promise<boolean> {
  const have = await tx.all('SELECT 1 FROM pricing_seed WHERE version = $v', { v: PRICING_SEED_VERSION });
  if (have.length > 0) return false;
  await tx.run('DELETE FROM market_prefixes');
  const m = MARKET_PREFIXES;
  await tx.run(
    `INSERT INTO market_prefixes
       SELECT unnest($p), NULLIF(unnest($c), ''), unnest($m), CAST(NULLIF(unnest($f), '') AS DATE),
              CAST(NULLIF(unnest($t), '') AS DATE)`,
    {
      p: m.map((r) => r.prefix),
      c: m.map((r) => r.country ?? ''),
      m: m.map((r) => r.market),
      f: m.map((r) => r.effective_from ?? ''),
      t: m.map((r) => r.effective_to ?? ''),
    },
  );
  for (const doc of SHIPPED_CARD_DOCUMENTS) {
    const card = validateRateCardJson(doc);
    // A shipped card replaces its older shipped version. An uploaded card with the same id or the same
    // (currency, model, start) wins: the upload is the operator's newer knowledge, and pricing must not fail.
    const taken = await tx.all(
      `SELECT 1 FROM rate_cards WHERE origin = 'upload' AND (card_id = $id OR (currency = $cur
          AND pricing_model = $model AND effective_from = CAST($from AS DATE)))`,
      { id: card.card_id, cur: card.currency, model: card.pricing_model, from: card.effective_from },
    );
    if (taken.length > 0) continue;
    await insertRateCard(tx, card, { origin: 'shipped', now, replace: true });
  }
  await tx.run('DELETE FROM pricing_seed');
  await tx.run('INSERT INTO pricing_seed VALUES ($v, $now)', {
    v: PRICING_SEED_VERSION,
    now: now.toISOString(),
  });
  return true;
}
