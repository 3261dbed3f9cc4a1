-- Tenancy: partners own WABAs, WABAs own phone numbers. Keys are stored as SHA-256 hashes only.
CREATE TABLE partners (
  partner_id      VARCHAR PRIMARY KEY,
  name            VARCHAR NOT NULL,
  allowed_origins VARCHAR[] NOT NULL DEFAULT [],
  created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
  key_id     VARCHAR PRIMARY KEY,
  partner_id VARCHAR NOT NULL REFERENCES partners (partner_id),
  key_hash   VARCHAR NOT NULL UNIQUE,
  label      VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

CREATE TABLE wabas (
  waba_id    VARCHAR PRIMARY KEY,
  partner_id VARCHAR NOT NULL REFERENCES partners (partner_id),
  name       VARCHAR NOT NULL,
  timezone   VARCHAR NOT NULL,          -- IANA zone; months and days are bucketed in it
  currency   VARCHAR NOT NULL,          -- ISO 4217; rate card and balance currency
  -- Regime overrides (DOMAIN.md §1 R3a/R4): local date from which PMP applies.
  pmp_from   DATE NOT NULL DEFAULT DATE '2025-07-01',
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE phone_numbers (
  phone_number_id      VARCHAR PRIMARY KEY,
  waba_id              VARCHAR NOT NULL REFERENCES wabas (waba_id),
  display_phone_number VARCHAR,
  label                VARCHAR,
  created_at           TIMESTAMPTZ NOT NULL
);

-- Billing units (DOMAIN.md §9.2): one conversation (CBP) or one delivered message (PMP) per row.
-- Input columns first, then the derived ones written by usage/derive (regime, free/paid, buckets).
CREATE TABLE units (
  unit_id           VARCHAR PRIMARY KEY,
  pricing_model     VARCHAR NOT NULL,   -- CBP | PMP | NBP
  unit              VARCHAR NOT NULL,   -- conversation | message
  waba_id           VARCHAR NOT NULL,
  phone_number_id   VARCHAR NOT NULL,
  recipient_wa_id   VARCHAR NOT NULL,
  recipient_country VARCHAR,
  market            VARCHAR,
  category          VARCHAR NOT NULL,
  pricing_type_in   VARCHAR,            -- pricing_type as reported by the source, if any
  direction         VARCHAR,
  billable_reported BOOLEAN,
  opened_at         TIMESTAMPTZ NOT NULL,
  expires_at        TIMESTAMPTZ,
  template_name     VARCHAR,
  is_template       BOOLEAN,
  in_csw            BOOLEAN,
  in_fep            BOOLEAN,
  status_final      VARCHAR,
  rate_in           DECIMAL(18, 6),
  cost_in           DECIMAL(18, 6),
  tier_in           VARCHAR,
  source            VARCHAR,
  ingested_at       TIMESTAMPTZ NOT NULL,
  -- derived
  local_day         DATE,               -- opened_at's date in the WABA time zone
  local_month       DATE,               -- first day of that month
  regime            VARCHAR,            -- R0 | R1 | R2 | R3 | R4
  pricing_type      VARCHAR,            -- regular | free_tier | free_entry_point | free_customer_service | not_delivered
  is_counted        BOOLEAN,            -- false for failed / undelivered units
  is_free           BOOLEAN,
  is_paid           BOOLEAN,
  -- priced by worker/pricing (approximate charge of a paid unit, in the WABA currency)
  rate              DECIMAL(18, 6),
  amount            DECIMAL(18, 6),
  rate_card_id      VARCHAR,
  tier              VARCHAR
);

-- Raw webhook status events (DOMAIN.md §9.3), deduplicated on (wamid, status, status_ts).
CREATE TABLE status_events (
  wamid                      VARCHAR NOT NULL,
  status                     VARCHAR NOT NULL,
  status_ts                  TIMESTAMPTZ NOT NULL,
  waba_id                    VARCHAR NOT NULL,
  phone_number_id            VARCHAR NOT NULL,
  recipient_wa_id            VARCHAR,
  conversation_id            VARCHAR,
  conversation_origin_type   VARCHAR,
  conversation_expiration_ts TIMESTAMPTZ,
  pricing_model              VARCHAR,
  pricing_billable           BOOLEAN,
  pricing_type               VARCHAR,
  pricing_category           VARCHAR,
  error_codes                INTEGER[],
  received_at                TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (wamid, status, status_ts)
);

-- Inbound user messages from webhooks: they open customer service windows and free entry points.
CREATE TABLE inbound_messages (
  wamid            VARCHAR PRIMARY KEY,
  waba_id          VARCHAR NOT NULL,
  phone_number_id  VARCHAR NOT NULL,
  from_wa_id       VARCHAR NOT NULL,
  ts               TIMESTAMPTZ NOT NULL,
  referral_source  VARCHAR,             -- ad | post | NULL
  received_at      TIMESTAMPTZ NOT NULL
);

-- Ingest batches: what came in, when, and what it changed.
CREATE TABLE ingest_batches (
  batch_id     VARCHAR PRIMARY KEY,
  partner_id   VARCHAR,
  format       VARCHAR NOT NULL,
  rows_in      BIGINT NOT NULL,
  rows_new     BIGINT NOT NULL,
  rows_dup     BIGINT NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL
);
