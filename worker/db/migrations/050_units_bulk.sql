-- Units for bulk ingest (owner: worker/ingest). A batch is landed with every derived column computed while it is
-- read, in one INSERT, then settled (duplicates, free-tier ranking, volume tiers, rollups) in a second
-- transaction; see worker/ingest/ingest-units.ts. For that:
-- * no PRIMARY KEY on unit_id: the ART index cost about twice DuckDB's own CSV load on 5 M rows; unit_id stays
--   unique because settling removes superseded and duplicate rows, and only the ingest writes units;
-- * closed value sets are ENUMs: DuckDB writes a VARCHAR column about 3x slower than an ENUM one;
-- * batch_seq names the batch a row came in (NULL for rows from before this migration and webhook units);
-- * reported_at is the record's own ingested_at: a changed record older than the stored one is a stale replay;
-- * display_phone_number is kept only for numbers the store did not know when the batch landed (to register
--   them); it is NULL otherwise.
CREATE TYPE unit_pricing_model AS ENUM ('CBP', 'PMP', 'NBP');
CREATE TYPE unit_kind AS ENUM ('conversation', 'message');
CREATE TYPE unit_category AS ENUM ('business_initiated', 'user_initiated', 'marketing', 'utility', 'authentication',
  'authentication_international', 'service', 'marketing_lite', 'referral_conversion', 'group_marketing',
  'group_utility', 'group_service');
CREATE TYPE unit_reported_pricing_type AS ENUM ('regular', 'free_customer_service', 'free_entry_point', 'free_tier',
  'free_group_customer_service');
CREATE TYPE unit_direction AS ENUM ('business_initiated', 'user_initiated', 'unknown');
CREATE TYPE unit_status AS ENUM ('sent', 'delivered', 'read', 'failed');
CREATE TYPE unit_source AS ENUM ('webhook', 'meta_analytics', 'bsp_export', 'synthetic');
CREATE TYPE unit_regime AS ENUM ('R0', 'R1', 'R2', 'R3', 'R4');
CREATE TYPE unit_pricing_type AS ENUM ('regular', 'free_tier', 'free_entry_point', 'free_customer_service',
  'not_delivered');

CREATE TABLE units_v2 (
  unit_id           VARCHAR NOT NULL,
  pricing_model     unit_pricing_model NOT NULL,
  unit              unit_kind NOT NULL,
  waba_id           VARCHAR NOT NULL,
  phone_number_id   VARCHAR NOT NULL,
  recipient_wa_id   VARCHAR NOT NULL,
  recipient_country VARCHAR,
  market            VARCHAR,
  category          unit_category NOT NULL,
  pricing_type_in   unit_reported_pricing_type,
  direction         unit_direction,
  billable_reported BOOLEAN,
  opened_at         TIMESTAMPTZ NOT NULL,
  expires_at        TIMESTAMPTZ,
  template_name     VARCHAR,
  is_template       BOOLEAN,
  in_csw            BOOLEAN,
  in_fep            BOOLEAN,
  status_final      unit_status,
  rate_in           DECIMAL(18, 6),
  cost_in           DECIMAL(18, 6),
  tier_in           VARCHAR,
  source            unit_source,
  ingested_at       TIMESTAMPTZ NOT NULL,
  local_day         DATE,
  local_month       DATE,
  regime            unit_regime,
  pricing_type      unit_pricing_type,
  is_counted        BOOLEAN,
  is_free           BOOLEAN,
  is_paid           BOOLEAN,
  rate              DECIMAL(18, 6),
  amount            DECIMAL(18, 6),
  rate_card_id      VARCHAR,
  tier              VARCHAR,
  batch_seq         BIGINT,
  display_phone_number VARCHAR,
  reported_at       TIMESTAMPTZ         -- the record's own ingested_at (when its source exported it), if given
);

INSERT INTO units_v2 SELECT *, NULL, NULL, NULL FROM units;
DROP TABLE units;
ALTER TABLE units_v2 RENAME TO units;

-- A batch is 'landing' between its two transactions; a landing batch found later was interrupted, and its rows
-- are removed (worker/ingest/recover-batches.ts).
CREATE SEQUENCE ingest_batch_seq START 1;
ALTER TABLE ingest_batches ADD COLUMN seq BIGINT;
ALTER TABLE ingest_batches ADD COLUMN status VARCHAR DEFAULT 'done';
