-- The schema that worker/db/migrations/*.sql build, in one file for reading (generated and checked by
-- test/db/schema.test.ts; a change goes in a new migration, then this file is regenerated).

CREATE TYPE unit_category AS ENUM ('business_initiated', 'user_initiated', 'marketing', 'utility', 'authentication', 'authentication_international', 'service', 'marketing_lite', 'referral_conversion', 'group_marketing', 'group_utility', 'group_service', 'business_agent');
CREATE TYPE unit_direction AS ENUM ('business_initiated', 'user_initiated', 'unknown');
CREATE TYPE unit_kind AS ENUM ('conversation', 'message');
CREATE TYPE unit_pricing_model AS ENUM ('CBP', 'PMP', 'NBP');
CREATE TYPE unit_pricing_type AS ENUM ('regular', 'free_tier', 'free_entry_point', 'free_customer_service', 'not_delivered');
CREATE TYPE unit_regime AS ENUM ('R0', 'R1', 'R2', 'R3', 'R4', 'R5');
CREATE TYPE unit_reported_pricing_type AS ENUM ('regular', 'free_customer_service', 'free_entry_point', 'free_tier', 'free_group_customer_service');
CREATE TYPE unit_source AS ENUM ('webhook', 'meta_analytics', 'bsp_export', 'synthetic');
CREATE TYPE unit_status AS ENUM ('sent', 'delivered', 'read', 'failed');

CREATE TABLE alert_deliveries (
  delivery_id VARCHAR NOT NULL,
  alert_id VARCHAR NOT NULL,
  subscription_id VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_error VARCHAR,
  delivered_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY(delivery_id)
);

CREATE TABLE alert_states (
  phone_number_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  active BOOLEAN NOT NULL,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(phone_number_id, kind)
);

CREATE TABLE alert_subscriptions (
  subscription_id VARCHAR NOT NULL,
  partner_id VARCHAR NOT NULL,
  url VARCHAR NOT NULL,
  secret VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  deleted_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY(subscription_id)
);

CREATE TABLE alerts (
  alert_id VARCHAR NOT NULL,
  seq BIGINT NOT NULL,
  partner_id VARCHAR NOT NULL,
  phone_number_id VARCHAR,
  kind VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  data VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  waba_id VARCHAR,
  PRIMARY KEY(alert_id)
);

CREATE TABLE analytics_identity (
  id VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(id)
);

CREATE TABLE api_keys (
  key_id VARCHAR NOT NULL,
  partner_id VARCHAR NOT NULL,
  key_hash VARCHAR NOT NULL,
  label VARCHAR,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE,
  FOREIGN KEY (partner_id) REFERENCES partners(partner_id),
  PRIMARY KEY(key_id),
  UNIQUE(key_hash)
);

CREATE TABLE auto_renewals (
  phone_number_id VARCHAR NOT NULL,
  enabled BOOLEAN NOT NULL,
  threshold DECIMAL(18,6) NOT NULL,
  mode VARCHAR NOT NULL,
  amount DECIMAL(18,6) NOT NULL,
  monthly_cap DECIMAL(18,6),
  payment_method VARCHAR NOT NULL,
  low_balance_threshold DECIMAL(18,6),
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  disabled_reason VARCHAR,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE balance_starts (
  phone_number_id VARCHAR NOT NULL,
  starts_on DATE NOT NULL,
  set_at TIMESTAMP WITH TIME ZONE NOT NULL,
  set_by VARCHAR NOT NULL,
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE data_feed (
  phone_number_id VARCHAR NOT NULL,
  waba_id VARCHAR NOT NULL,
  data_through TIMESTAMP WITH TIME ZONE NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE emergency_drops (
  phone_number_id VARCHAR NOT NULL,
  topup_id VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE funding_audit (
  audit_id VARCHAR NOT NULL,
  seq BIGINT NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  actor VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  before_json VARCHAR,
  after_json VARCHAR,
  PRIMARY KEY(audit_id)
);

CREATE TABLE funding_quotes (
  quote_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  mode VARCHAR NOT NULL,
  amount DECIMAL(18,6) NOT NULL,
  fee DECIMAL(18,6) NOT NULL,
  total DECIMAL(18,6) NOT NULL,
  currency VARCHAR NOT NULL,
  payment_method VARCHAR NOT NULL,
  basis VARCHAR NOT NULL,
  auto_renewal VARCHAR,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  topup_id VARCHAR,
  PRIMARY KEY(quote_id)
);

CREATE TABLE gate_customer_state (
  phone_number_id VARCHAR NOT NULL,
  customer_wa_id VARCHAR NOT NULL,
  csw_until TIMESTAMP WITH TIME ZONE,
  referral_until TIMESTAMP WITH TIME ZONE,
  fep_until TIMESTAMP WITH TIME ZONE,
  marketing_until TIMESTAMP WITH TIME ZONE,
  utility_until TIMESTAMP WITH TIME ZONE,
  authentication_until TIMESTAMP WITH TIME ZONE,
  service_until TIMESTAMP WITH TIME ZONE,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(phone_number_id, customer_wa_id)
);

CREATE TABLE gate_hold_locks (
  phone_number_id VARCHAR NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE gate_holds (
  hold_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  holder VARCHAR NOT NULL,
  amount DECIMAL(18,6) NOT NULL,
  used DECIMAL(18,6) NOT NULL,
  exact BOOLEAN NOT NULL,
  closed BOOLEAN NOT NULL,
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  PRIMARY KEY(hold_id)
);

CREATE TABLE gate_state_log (
  seq BIGINT NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  customer_wa_id VARCHAR NOT NULL,
  csw_until BIGINT,
  referral_until BIGINT,
  fep_until BIGINT,
  marketing_until BIGINT,
  utility_until BIGINT,
  authentication_until BIGINT,
  service_until BIGINT,
  logged_at BIGINT NOT NULL
);

CREATE TABLE gate_usage_marks (
  phone_number_id VARCHAR NOT NULL,
  posted_through_ms BIGINT NOT NULL,
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE idempotency_keys (
  owner VARCHAR NOT NULL,
  idem_key VARCHAR NOT NULL,
  request_hash VARCHAR NOT NULL,
  status INTEGER NOT NULL,
  response VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY("owner", idem_key)
);

CREATE TABLE inbound_messages (
  wamid VARCHAR NOT NULL,
  waba_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  from_wa_id VARCHAR NOT NULL,
  ts TIMESTAMP WITH TIME ZONE NOT NULL,
  referral_source VARCHAR,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(wamid)
);

CREATE TABLE ingest_batches (
  batch_id VARCHAR NOT NULL,
  partner_id VARCHAR,
  format VARCHAR NOT NULL,
  rows_in BIGINT NOT NULL,
  rows_new BIGINT NOT NULL,
  rows_dup BIGINT NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  rows_updated BIGINT DEFAULT 0,
  seq BIGINT,
  status VARCHAR DEFAULT 'done',
  PRIMARY KEY(batch_id)
);

CREATE TABLE intake_cursor (
  log_id VARCHAR NOT NULL,
  derived_through BIGINT NOT NULL,
  derived_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(log_id)
);

CREATE TABLE lake_reference_changes (
  change_id VARCHAR NOT NULL,
  seq BIGINT NOT NULL,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  pricing_version VARCHAR,
  PRIMARY KEY(change_id)
);

CREATE TABLE lake_replayed (
  batch_id VARCHAR NOT NULL,
  seq BIGINT NOT NULL,
  kind VARCHAR NOT NULL,
  replayed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(batch_id)
);

CREATE TABLE ledger_movements (
  movement_id VARCHAR NOT NULL,
  seq BIGINT NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  amount DECIMAL(18,6) NOT NULL,
  affects_balance BOOLEAN NOT NULL,
  currency VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
  available_at TIMESTAMP WITH TIME ZONE,
  settled_at TIMESTAMP WITH TIME ZONE,
  local_day DATE,
  topup_id VARCHAR,
  ref VARCHAR,
  note VARCHAR,
  PRIMARY KEY(movement_id)
);

CREATE TABLE market_prefixes (
  prefix VARCHAR NOT NULL,
  country VARCHAR,
  market VARCHAR NOT NULL,
  effective_from DATE,
  effective_to DATE
);

CREATE TABLE partner_origins (
  partner_id VARCHAR NOT NULL,
  origin VARCHAR NOT NULL,
  FOREIGN KEY (partner_id) REFERENCES partners(partner_id),
  PRIMARY KEY(partner_id, origin)
);

CREATE TABLE partners (
  partner_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  allowed_origins VARCHAR[] NOT NULL DEFAULT main.list_value(),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(partner_id)
);

CREATE TABLE phone_numbers (
  phone_number_id VARCHAR NOT NULL,
  waba_id VARCHAR NOT NULL,
  display_phone_number VARCHAR,
  label VARCHAR,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  FOREIGN KEY (waba_id) REFERENCES wabas(waba_id),
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE pricing_seed (
  version VARCHAR NOT NULL,
  loaded_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE published_data_feed (
  phone_number_id VARCHAR NOT NULL,
  waba_id VARCHAR NOT NULL,
  data_through TIMESTAMP WITH TIME ZONE NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(phone_number_id)
);

CREATE TABLE published_usage_copy (
  one BOOLEAN NOT NULL DEFAULT CAST('t' AS BOOLEAN),
  version BIGINT NOT NULL,
  analytics_id VARCHAR NOT NULL,
  copied_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CHECK(one),
  PRIMARY KEY(one)
);

CREATE TABLE published_usage_daily (
  waba_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  local_day DATE NOT NULL,
  local_month DATE NOT NULL,
  category VARCHAR NOT NULL,
  country VARCHAR,
  market VARCHAR,
  pricing_type VARCHAR NOT NULL,
  unit VARCHAR NOT NULL,
  currency VARCHAR NOT NULL,
  n_all BIGINT NOT NULL,
  n_free BIGINT NOT NULL,
  n_paid BIGINT NOT NULL,
  n_unpriced BIGINT NOT NULL,
  amount DECIMAL(38,6) NOT NULL
);

CREATE TABLE published_usage_monthly (
  waba_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  local_month DATE NOT NULL,
  category VARCHAR NOT NULL,
  country VARCHAR,
  market VARCHAR,
  pricing_type VARCHAR NOT NULL,
  unit VARCHAR NOT NULL,
  currency VARCHAR NOT NULL,
  n_all BIGINT NOT NULL,
  n_free BIGINT NOT NULL,
  n_paid BIGINT NOT NULL,
  n_unpriced BIGINT NOT NULL,
  amount DECIMAL(38,6) NOT NULL
);

CREATE TABLE rate_card_rates (
  card_id VARCHAR NOT NULL,
  market VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  rate DECIMAL(18,6) NOT NULL,
  PRIMARY KEY(card_id, market, category)
);

CREATE TABLE rate_card_tiers (
  card_id VARCHAR NOT NULL,
  market VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  tier_lower BIGINT NOT NULL,
  tier_upper BIGINT,
  rate DECIMAL(18,6) NOT NULL,
  marginal BOOLEAN NOT NULL,
  PRIMARY KEY(card_id, market, category, tier_lower)
);

CREATE TABLE rate_cards (
  card_id VARCHAR NOT NULL,
  effective_from DATE NOT NULL,
  currency VARCHAR NOT NULL,
  pricing_model VARCHAR NOT NULL,
  description VARCHAR,
  source VARCHAR,
  origin VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  provenance VARCHAR,
  PRIMARY KEY(card_id),
  UNIQUE(currency, pricing_model, effective_from)
);

CREATE TABLE rollup_changes (
  waba_id VARCHAR NOT NULL,
  local_month DATE NOT NULL,
  change BIGINT NOT NULL,
  PRIMARY KEY(waba_id, local_month)
);

CREATE TABLE schema_migrations (
  name VARCHAR NOT NULL,
  applied_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY("name")
);

CREATE TABLE status_events (
  wamid VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  status_ts TIMESTAMP WITH TIME ZONE NOT NULL,
  waba_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  recipient_wa_id VARCHAR,
  conversation_id VARCHAR,
  conversation_origin_type VARCHAR,
  conversation_expiration_ts TIMESTAMP WITH TIME ZONE,
  pricing_model VARCHAR,
  pricing_billable BOOLEAN,
  pricing_type VARCHAR,
  pricing_category VARCHAR,
  error_codes INTEGER[],
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(wamid, status, status_ts)
);

CREATE TABLE topups (
  topup_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  amount DECIMAL(18,6) NOT NULL,
  fee DECIMAL(18,6) NOT NULL,
  total DECIMAL(18,6) NOT NULL,
  currency VARCHAR NOT NULL,
  payment_method VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  quote_id VARCHAR,
  requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
  available_at TIMESTAMP WITH TIME ZONE NOT NULL,
  settled_at TIMESTAMP WITH TIME ZONE,
  failed_at TIMESTAMP WITH TIME ZONE,
  failure_reason VARCHAR,
  PRIMARY KEY(topup_id)
);

CREATE TABLE units (
  unit_id VARCHAR NOT NULL,
  pricing_model ENUM('CBP', 'PMP', 'NBP') NOT NULL,
  unit ENUM('conversation', 'message') NOT NULL,
  waba_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  recipient_wa_id VARCHAR NOT NULL,
  recipient_country VARCHAR,
  market VARCHAR,
  category ENUM('business_initiated', 'user_initiated', 'marketing', 'utility', 'authentication', 'authentication_international', 'service', 'marketing_lite', 'referral_conversion', 'group_marketing', 'group_utility', 'group_service', 'business_agent') NOT NULL,
  pricing_type_in ENUM('regular', 'free_customer_service', 'free_entry_point', 'free_tier', 'free_group_customer_service'),
  direction ENUM('business_initiated', 'user_initiated', 'unknown'),
  billable_reported BOOLEAN,
  opened_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE,
  template_name VARCHAR,
  is_template BOOLEAN,
  in_csw BOOLEAN,
  in_fep BOOLEAN,
  status_final ENUM('sent', 'delivered', 'read', 'failed'),
  rate_in DECIMAL(18,6),
  cost_in DECIMAL(18,6),
  tier_in VARCHAR,
  source ENUM('webhook', 'meta_analytics', 'bsp_export', 'synthetic'),
  ingested_at TIMESTAMP WITH TIME ZONE NOT NULL,
  local_day DATE,
  local_month DATE,
  regime ENUM('R0', 'R1', 'R2', 'R3', 'R4', 'R5'),
  pricing_type ENUM('regular', 'free_tier', 'free_entry_point', 'free_customer_service', 'not_delivered'),
  is_counted BOOLEAN,
  is_free BOOLEAN,
  is_paid BOOLEAN,
  rate DECIMAL(18,6),
  amount DECIMAL(18,6),
  rate_card_id VARCHAR,
  tier VARCHAR,
  batch_seq BIGINT,
  display_phone_number VARCHAR,
  reported_at TIMESTAMP WITH TIME ZONE,
  market_reported VARCHAR
);

CREATE TABLE usage_daily (
  waba_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  local_day DATE NOT NULL,
  local_month DATE NOT NULL,
  category VARCHAR NOT NULL,
  country VARCHAR,
  market VARCHAR,
  pricing_type VARCHAR NOT NULL,
  unit VARCHAR NOT NULL,
  currency VARCHAR NOT NULL,
  n_all BIGINT NOT NULL,
  n_free BIGINT NOT NULL,
  n_paid BIGINT NOT NULL,
  amount DECIMAL(38,6) NOT NULL,
  n_unpriced BIGINT DEFAULT 0
);

CREATE TABLE usage_monthly (
  waba_id VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  local_month DATE NOT NULL,
  category VARCHAR NOT NULL,
  country VARCHAR,
  market VARCHAR,
  pricing_type VARCHAR NOT NULL,
  unit VARCHAR NOT NULL,
  currency VARCHAR NOT NULL,
  n_all BIGINT NOT NULL,
  n_free BIGINT NOT NULL,
  n_paid BIGINT NOT NULL,
  amount DECIMAL(38,6) NOT NULL,
  n_unpriced BIGINT DEFAULT 0
);

CREATE TABLE waba_alert_states (
  waba_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  scope_key VARCHAR NOT NULL,
  active BOOLEAN NOT NULL,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(waba_id, kind, scope_key)
);

CREATE TABLE wabas (
  waba_id VARCHAR NOT NULL,
  partner_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  timezone VARCHAR NOT NULL,
  currency VARCHAR NOT NULL,
  pmp_from DATE NOT NULL DEFAULT CAST('2025-07-01' AS "DATE"),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  portfolio_id VARCHAR,
  FOREIGN KEY (partner_id) REFERENCES partners(partner_id),
  PRIMARY KEY(waba_id)
);

CREATE INDEX gate_holds_number ON gate_holds(phone_number_id);
CREATE INDEX ledger_phone_idx ON ledger_movements(phone_number_id);
