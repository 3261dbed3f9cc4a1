-- Prepaid balance per phone number (DOMAIN.md §7.2, §9.5): ledger, top-ups, quotes, idempotency, auto-renewal,
-- audit log and alerts. Money is DECIMAL(18,6) in the WABA currency.

-- The ledger. Rows are never deleted and their amounts never change; the only update is a top-up's (and its fee
-- row's) single status move from pending to settled or failed. Balance = Σ amount of settled rows that
-- affect the balance. Fee rows record what the customer paid on top of a top-up and do not affect the balance.
CREATE TABLE ledger_movements (
  movement_id     VARCHAR PRIMARY KEY,
  seq             BIGINT NOT NULL,          -- global append order (statement order)
  phone_number_id VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL,         -- topup_one_time | topup_auto | topup_emergency | charge | fee | refund | adjustment
  amount          DECIMAL(18, 6) NOT NULL,  -- signed effect on the balance (fee rows: the fee paid, effect 0)
  affects_balance BOOLEAN NOT NULL,
  currency        VARCHAR NOT NULL,
  status          VARCHAR NOT NULL,         -- pending | settled | failed
  requested_at    TIMESTAMPTZ NOT NULL,
  available_at    TIMESTAMPTZ,              -- when the money is (expected to be) available
  settled_at      TIMESTAMPTZ,
  local_day       DATE,                     -- usage charges/adjustments: the WABA-local day they cover
  topup_id        VARCHAR,                  -- top-up and fee rows
  ref             VARCHAR,                  -- free reference (usage day, refund reason, …)
  note            VARCHAR
);
CREATE SEQUENCE ledger_seq START 1;
CREATE INDEX ledger_phone_idx ON ledger_movements (phone_number_id);

-- Payment lifecycle of a top-up; its ledger rows carry the same topup_id.
CREATE TABLE topups (
  topup_id        VARCHAR PRIMARY KEY,
  phone_number_id VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL,         -- one_time | auto | emergency
  amount          DECIMAL(18, 6) NOT NULL,  -- what becomes available
  fee             DECIMAL(18, 6) NOT NULL,  -- paid on top
  total           DECIMAL(18, 6) NOT NULL,  -- amount + fee, what the customer pays
  currency        VARCHAR NOT NULL,
  payment_method  VARCHAR NOT NULL,
  status          VARCHAR NOT NULL,         -- pending | settled | failed
  quote_id        VARCHAR,
  requested_at    TIMESTAMPTZ NOT NULL,
  available_at    TIMESTAMPTZ NOT NULL,     -- simulated processor settles at this time
  settled_at      TIMESTAMPTZ,
  failed_at       TIMESTAMPTZ,
  failure_reason  VARCHAR
);

CREATE TABLE funding_quotes (
  quote_id        VARCHAR PRIMARY KEY,
  phone_number_id VARCHAR NOT NULL,
  mode            VARCHAR NOT NULL,         -- one_time | auto_renewal
  amount          DECIMAL(18, 6) NOT NULL,
  fee             DECIMAL(18, 6) NOT NULL,
  total           DECIMAL(18, 6) NOT NULL,
  currency        VARCHAR NOT NULL,
  payment_method  VARCHAR NOT NULL,
  basis           VARCHAR NOT NULL,         -- JSON: how the amount was chosen (amount | days + daily spend)
  auto_renewal    VARCHAR,                  -- JSON settings applied on confirm (mode auto_renewal)
  created_at      TIMESTAMPTZ NOT NULL,
  expires_at      TIMESTAMPTZ NOT NULL,
  topup_id        VARCHAR                   -- set once confirmed
);

CREATE TABLE idempotency_keys (
  owner         VARCHAR NOT NULL,           -- the partner (or admin) the key belongs to
  idem_key      VARCHAR NOT NULL,
  request_hash  VARCHAR NOT NULL,
  status        INTEGER NOT NULL,
  response      VARCHAR NOT NULL,           -- JSON body answered the first time
  created_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (owner, idem_key)
);

CREATE TABLE auto_renewals (
  phone_number_id       VARCHAR PRIMARY KEY,
  enabled               BOOLEAN NOT NULL,
  threshold             DECIMAL(18, 6) NOT NULL,
  mode                  VARCHAR NOT NULL,   -- fixed | target
  amount                DECIMAL(18, 6) NOT NULL,
  monthly_cap           DECIMAL(18, 6),     -- NULL = no cap
  payment_method        VARCHAR NOT NULL,
  low_balance_threshold DECIMAL(18, 6),     -- low_balance alert level; NULL = no alert
  consecutive_failures  INTEGER NOT NULL DEFAULT 0,
  disabled_reason       VARCHAR,            -- payment_failures when it turned itself off
  updated_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE funding_audit (
  audit_id        VARCHAR PRIMARY KEY,
  seq             BIGINT NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  actor           VARCHAR NOT NULL,
  action          VARCHAR NOT NULL,
  changed_at      TIMESTAMPTZ NOT NULL,
  before_json     VARCHAR,                  -- JSON or NULL
  after_json      VARCHAR                   -- JSON or NULL
);
CREATE SEQUENCE funding_audit_seq START 1;

CREATE TABLE alerts (
  alert_id        VARCHAR PRIMARY KEY,
  seq             BIGINT NOT NULL,
  partner_id      VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL,         -- low_balance | runway_short | renewal_failed | renewal_disabled
  message         VARCHAR NOT NULL,
  data            VARCHAR NOT NULL,         -- JSON
  created_at      TIMESTAMPTZ NOT NULL
);
CREATE SEQUENCE alerts_seq START 1;

-- Once per crossing: a (number, kind) stays active until cleared (recovery re-arms it).
CREATE TABLE alert_states (
  phone_number_id VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL,
  active          BOOLEAN NOT NULL,
  changed_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (phone_number_id, kind)
);

CREATE TABLE alert_subscriptions (
  subscription_id VARCHAR PRIMARY KEY,
  partner_id      VARCHAR NOT NULL,
  url             VARCHAR NOT NULL,
  secret          VARCHAR NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  deleted_at      TIMESTAMPTZ
);

CREATE TABLE alert_deliveries (
  delivery_id     VARCHAR PRIMARY KEY,
  alert_id        VARCHAR NOT NULL,
  subscription_id VARCHAR NOT NULL,
  status          VARCHAR NOT NULL,         -- pending | delivered | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  last_error      VARCHAR,
  delivered_at    TIMESTAMPTZ
);
