-- The money plane in Postgres SQL: the tables of worker/db/migrations/ that hold tenancy, the prepaid ledger,
-- funding, alerts and the send gate's state, in the shape those migrations leave them (the DuckDB columns that are
-- no longer read or written, partners.allowed_origins, are left out). Money is NUMERIC(18,6) in the WABA currency
-- exactly where the DuckDB schema has DECIMAL(18,6); the gate's log keeps epoch milliseconds as BIGINT.

-- Tenancy: partners own WABAs, WABAs own phone numbers. Keys are stored as SHA-256 hashes only.
CREATE TABLE partners (
  partner_id TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

-- The browser origins allowed to call the API with a partner's embed tokens (CORS), one row each.
CREATE TABLE partner_origins (
  partner_id TEXT NOT NULL REFERENCES partners (partner_id),
  origin     TEXT NOT NULL,
  PRIMARY KEY (partner_id, origin)
);

CREATE TABLE api_keys (
  key_id     TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL REFERENCES partners (partner_id),
  key_hash   TEXT NOT NULL UNIQUE,
  label      TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

CREATE TABLE wabas (
  waba_id      TEXT PRIMARY KEY,
  partner_id   TEXT NOT NULL REFERENCES partners (partner_id),
  name         TEXT NOT NULL,
  timezone     TEXT NOT NULL,                  -- IANA zone; months and days are bucketed in it
  currency     TEXT NOT NULL,                  -- ISO 4217; rate card and balance currency
  pmp_from     DATE NOT NULL DEFAULT DATE '2025-07-01',
  created_at   TIMESTAMPTZ NOT NULL,
  portfolio_id TEXT                            -- volume tiers count across a business portfolio's WABAs
);

CREATE TABLE phone_numbers (
  phone_number_id      TEXT PRIMARY KEY,
  waba_id              TEXT NOT NULL REFERENCES wabas (waba_id),
  display_phone_number TEXT,
  label                TEXT,
  created_at           TIMESTAMPTZ NOT NULL
);

-- The start of a number's prepaid account set by the partner (WABA-local day).
CREATE TABLE balance_starts (
  phone_number_id TEXT PRIMARY KEY,
  starts_on       DATE NOT NULL,
  set_at          TIMESTAMPTZ NOT NULL,
  set_by          TEXT NOT NULL
);

-- The ledger. Rows are never deleted and their amounts never change; the only update is a top-up's (and its fee
-- row's) single status move from pending to settled or failed. Balance = sum of settled rows that affect it.
CREATE SEQUENCE ledger_seq START 1;
CREATE TABLE ledger_movements (
  movement_id     TEXT PRIMARY KEY,
  seq             BIGINT NOT NULL,             -- global append order
  phone_number_id TEXT NOT NULL,
  kind            TEXT NOT NULL,               -- topup_one_time | topup_auto | topup_emergency | charge | fee | refund | adjustment
  amount          NUMERIC(18, 6) NOT NULL,     -- signed effect on the balance (fee rows: the fee paid, effect 0)
  affects_balance BOOLEAN NOT NULL,
  currency        TEXT NOT NULL,
  status          TEXT NOT NULL,               -- pending | settled | failed
  requested_at    TIMESTAMPTZ NOT NULL,
  available_at    TIMESTAMPTZ,
  settled_at      TIMESTAMPTZ,
  local_day       DATE,                        -- usage charges/adjustments: the WABA-local day they cover
  topup_id        TEXT,
  ref             TEXT,
  note            TEXT
);
CREATE INDEX ledger_phone_idx ON ledger_movements (phone_number_id);

-- Payment lifecycle of a top-up; its ledger rows carry the same topup_id.
CREATE TABLE topups (
  topup_id        TEXT PRIMARY KEY,
  phone_number_id TEXT NOT NULL,
  kind            TEXT NOT NULL,               -- one_time | auto | emergency
  amount          NUMERIC(18, 6) NOT NULL,     -- what becomes available
  fee             NUMERIC(18, 6) NOT NULL,     -- paid on top
  total           NUMERIC(18, 6) NOT NULL,     -- amount + fee, what the customer pays
  currency        TEXT NOT NULL,
  payment_method  TEXT NOT NULL,
  status          TEXT NOT NULL,               -- pending | settled | failed
  quote_id        TEXT,
  requested_at    TIMESTAMPTZ NOT NULL,
  available_at    TIMESTAMPTZ NOT NULL,
  settled_at      TIMESTAMPTZ,
  failed_at       TIMESTAMPTZ,
  failure_reason  TEXT
);

CREATE TABLE funding_quotes (
  quote_id        TEXT PRIMARY KEY,
  phone_number_id TEXT NOT NULL,
  mode            TEXT NOT NULL,               -- one_time | auto_renewal
  amount          NUMERIC(18, 6) NOT NULL,
  fee             NUMERIC(18, 6) NOT NULL,
  total           NUMERIC(18, 6) NOT NULL,
  currency        TEXT NOT NULL,
  payment_method  TEXT NOT NULL,
  basis           TEXT NOT NULL,               -- JSON: how the amount was chosen
  auto_renewal    TEXT,                        -- JSON settings applied on confirm (mode auto_renewal)
  created_at      TIMESTAMPTZ NOT NULL,
  expires_at      TIMESTAMPTZ NOT NULL,
  topup_id        TEXT                         -- set once confirmed
);

CREATE TABLE idempotency_keys (
  owner        TEXT NOT NULL,                  -- the partner (or admin) the key belongs to
  idem_key     TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  response     TEXT NOT NULL,                  -- JSON body answered the first time
  created_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (owner, idem_key)
);

CREATE TABLE auto_renewals (
  phone_number_id       TEXT PRIMARY KEY,
  enabled               BOOLEAN NOT NULL,
  threshold             NUMERIC(18, 6) NOT NULL,
  mode                  TEXT NOT NULL,         -- fixed | target
  amount                NUMERIC(18, 6) NOT NULL,
  monthly_cap           NUMERIC(18, 6),        -- NULL = no cap
  payment_method        TEXT NOT NULL,
  low_balance_threshold NUMERIC(18, 6),        -- low_balance alert level; NULL = no alert
  consecutive_failures  INTEGER NOT NULL DEFAULT 0,
  disabled_reason       TEXT,
  updated_at            TIMESTAMPTZ NOT NULL
);

-- At most one emergency top-up per drop below zero; removed when the settled balance is positive again.
CREATE TABLE emergency_drops (
  phone_number_id TEXT PRIMARY KEY,
  topup_id        TEXT NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE funding_audit_seq START 1;
CREATE TABLE funding_audit (
  audit_id        TEXT PRIMARY KEY,
  seq             BIGINT NOT NULL,
  phone_number_id TEXT NOT NULL,
  actor           TEXT NOT NULL,
  action          TEXT NOT NULL,
  changed_at      TIMESTAMPTZ NOT NULL,
  before_json     TEXT,
  after_json      TEXT
);

-- Alerts name a number, or a WABA and no number (unpriced units of a month, a silent feed).
CREATE SEQUENCE alerts_seq START 1;
CREATE TABLE alerts (
  alert_id        TEXT PRIMARY KEY,
  seq             BIGINT NOT NULL,
  partner_id      TEXT NOT NULL,
  phone_number_id TEXT,
  kind            TEXT NOT NULL,               -- low_balance | runway_short | renewal_failed | renewal_disabled | …
  message         TEXT NOT NULL,
  data            TEXT NOT NULL,               -- JSON
  created_at      TIMESTAMPTZ NOT NULL,
  waba_id         TEXT
);

-- Once per crossing: a (number, kind) stays active until cleared (recovery re-arms it).
CREATE TABLE alert_states (
  phone_number_id TEXT NOT NULL,
  kind            TEXT NOT NULL,
  active          BOOLEAN NOT NULL,
  changed_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (phone_number_id, kind)
);

CREATE TABLE alert_subscriptions (
  subscription_id TEXT PRIMARY KEY,
  partner_id      TEXT NOT NULL,
  url             TEXT NOT NULL,
  secret          TEXT NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  deleted_at      TIMESTAMPTZ
);

CREATE TABLE alert_deliveries (
  delivery_id     TEXT PRIMARY KEY,
  alert_id        TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  status          TEXT NOT NULL,               -- pending | delivered | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  last_error      TEXT,
  delivered_at    TIMESTAMPTZ
);

-- Once-only state of WABA alerts: scope_key is the month for unpriced_units ('' for stale_data).
CREATE TABLE waba_alert_states (
  waba_id    TEXT NOT NULL,
  kind       TEXT NOT NULL,
  scope_key  TEXT NOT NULL,
  active     BOOLEAN NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (waba_id, kind, scope_key)
);

-- Send gate state per phone number and customer: the end of each window and open CBP conversation (NULL = none).
CREATE TABLE gate_customer_state (
  phone_number_id      TEXT NOT NULL,
  customer_wa_id       TEXT NOT NULL,
  csw_until            TIMESTAMPTZ,
  referral_until       TIMESTAMPTZ,
  fep_until            TIMESTAMPTZ,
  marketing_until      TIMESTAMPTZ,
  utility_until        TIMESTAMPTZ,
  authentication_until TIMESTAMPTZ,
  service_until        TIMESTAMPTZ,
  updated_at           TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (phone_number_id, customer_wa_id)
);

-- The gate's change log, folded into gate_customer_state by compaction. Times are epoch milliseconds (UTC).
CREATE SEQUENCE gate_state_seq START 1;
CREATE TABLE gate_state_log (
  seq                  BIGINT NOT NULL,
  phone_number_id      TEXT NOT NULL,
  customer_wa_id       TEXT NOT NULL,
  csw_until            BIGINT,
  referral_until       BIGINT,
  fep_until            BIGINT,
  marketing_until      BIGINT,
  utility_until        BIGINT,
  authentication_until BIGINT,
  service_until        BIGINT,
  logged_at            BIGINT NOT NULL
);
