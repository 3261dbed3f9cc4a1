-- Pricing from 2026 (docs/pricing-rules.md): card provenance, business portfolios for volume tiers, the R5 regime
-- and the Meta Business Agent category.

-- A card's sources, confidence and known gaps (JSON text), as shipped or uploaded; never used to price.
ALTER TABLE rate_cards ADD COLUMN provenance VARCHAR;

-- Volume tiers count across the WABAs of one business portfolio (NULL = the WABA alone).
ALTER TABLE wabas ADD COLUMN portfolio_id VARCHAR;

-- DuckDB cannot add a value to an ENUM in place: the column moves to a new type and back under the old name, so
-- the code keeps naming unit_category / unit_regime. Appended values keep every existing enum_code.
CREATE TYPE unit_category_next AS ENUM ('business_initiated', 'user_initiated', 'marketing', 'utility',
  'authentication', 'authentication_international', 'service', 'marketing_lite', 'referral_conversion',
  'group_marketing', 'group_utility', 'group_service', 'business_agent');
ALTER TABLE units ALTER category TYPE unit_category_next;
DROP TYPE unit_category;
CREATE TYPE unit_category AS ENUM ('business_initiated', 'user_initiated', 'marketing', 'utility',
  'authentication', 'authentication_international', 'service', 'marketing_lite', 'referral_conversion',
  'group_marketing', 'group_utility', 'group_service', 'business_agent');
ALTER TABLE units ALTER category TYPE unit_category;
DROP TYPE unit_category_next;

CREATE TYPE unit_regime_next AS ENUM ('R0', 'R1', 'R2', 'R3', 'R4', 'R5');
ALTER TABLE units ALTER regime TYPE unit_regime_next;
DROP TYPE unit_regime;
CREATE TYPE unit_regime AS ENUM ('R0', 'R1', 'R2', 'R3', 'R4', 'R5');
ALTER TABLE units ALTER regime TYPE unit_regime;
DROP TYPE unit_regime_next;
