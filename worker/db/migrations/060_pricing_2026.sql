-- Pricing from 2026 (docs/pricing-rules.md): card provenance, business portfolios for volume tiers, the R5 regime
-- and the Meta Business Agent category.

-- A card's sources, confidence and known gaps (JSON text), as shipped or uploaded; never used to price.
ALTER TABLE rate_cards ADD COLUMN provenance VARCHAR;

-- Volume tiers count across the WABAs of one business portfolio (NULL = the WABA alone).
ALTER TABLE wabas ADD COLUMN portfolio_id VARCHAR;

-- New ENUM values (category business_agent, regime R5). DuckDB cannot add a value to an ENUM in place, and an
-- ALTER COLUMN TYPE to a user type does not replay from the WAL, so units is copied out with those two columns as
-- text and back with the widened types (SELECT * keeps every other column as it is). Appended values keep every
-- existing enum_code. CREATE TABLE AS drops NOT NULL, so the constraints of 050 are set again.
CREATE TABLE units_next AS
  SELECT * REPLACE (CAST(category AS VARCHAR) AS category, CAST(regime AS VARCHAR) AS regime) FROM units;
DROP TABLE units;
DROP TYPE unit_category;
DROP TYPE unit_regime;
CREATE TYPE unit_category AS ENUM ('business_initiated', 'user_initiated', 'marketing', 'utility', 'authentication',
  'authentication_international', 'service', 'marketing_lite', 'referral_conversion', 'group_marketing',
  'group_utility', 'group_service', 'business_agent');
CREATE TYPE unit_regime AS ENUM ('R0', 'R1', 'R2', 'R3', 'R4', 'R5');
CREATE TABLE units AS
  SELECT * REPLACE (CAST(category AS unit_category) AS category, CAST(regime AS unit_regime) AS regime)
    FROM units_next;
DROP TABLE units_next;
ALTER TABLE units ALTER COLUMN unit_id SET NOT NULL;
ALTER TABLE units ALTER COLUMN pricing_model SET NOT NULL;
ALTER TABLE units ALTER COLUMN unit SET NOT NULL;
ALTER TABLE units ALTER COLUMN waba_id SET NOT NULL;
ALTER TABLE units ALTER COLUMN phone_number_id SET NOT NULL;
ALTER TABLE units ALTER COLUMN recipient_wa_id SET NOT NULL;
ALTER TABLE units ALTER COLUMN category SET NOT NULL;
ALTER TABLE units ALTER COLUMN opened_at SET NOT NULL;
ALTER TABLE units ALTER COLUMN ingested_at SET NOT NULL;
