-- Pricing (DOMAIN.md §2.5, §3, §4.3). The shipped markets and cards (data/markets, data/rate-cards) are loaded
-- by worker/pricing/seed-pricing-data.ts from the JSON the code imports, so the data has one source.

-- Calling-code prefix → rate market and ISO country; dated rows express remaps (Zimbabwe 2025-10-01).
-- Validity is [effective_from, effective_to) in the unit's local day; NULL = unbounded.
CREATE TABLE market_prefixes (
  prefix         VARCHAR NOT NULL,
  country        VARCHAR,
  market         VARCHAR NOT NULL,
  effective_from DATE,
  effective_to   DATE
);

-- One rate card = one currency and pricing model from a local date (WABA time zone) until the next card.
CREATE TABLE rate_cards (
  card_id        VARCHAR PRIMARY KEY,
  effective_from DATE NOT NULL,
  currency       VARCHAR NOT NULL,
  pricing_model  VARCHAR NOT NULL,      -- CBP | PMP
  description    VARCHAR,
  source         VARCHAR,
  origin         VARCHAR NOT NULL,      -- shipped | upload
  created_at     TIMESTAMPTZ NOT NULL,
  UNIQUE (currency, pricing_model, effective_from)
);

-- Flat rate per (market, category); for tiered pairs it is the first tier's rate.
CREATE TABLE rate_card_rates (
  card_id  VARCHAR NOT NULL,
  market   VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  rate     DECIMAL(18, 6) NOT NULL,
  PRIMARY KEY (card_id, market, category)
);

-- PMP volume tiers: units numbered 1.. per WABA, local month and (market, category) in opened_at order fall in
-- the tier with tier_lower <= n <= tier_upper (NULL upper = MAX). marginal = each unit at its own tier; otherwise
-- every unit of the month at the tier the month's total reaches.
CREATE TABLE rate_card_tiers (
  card_id    VARCHAR NOT NULL,
  market     VARCHAR NOT NULL,
  category   VARCHAR NOT NULL,
  tier_lower BIGINT NOT NULL,
  tier_upper BIGINT,
  rate       DECIMAL(18, 6) NOT NULL,
  marginal   BOOLEAN NOT NULL,
  PRIMARY KEY (card_id, market, category, tier_lower)
);

-- Which version of the shipped data is loaded.
CREATE TABLE pricing_seed (
  version   VARCHAR NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL
);
