-- Usage rollups (owner: worker/usage). Counted units only (is_counted); amount = Σ units.amount of paid units.
-- Rebuilt per (WABA, local month) by worker/usage/derive.ts, never edited by hand.
CREATE TABLE usage_daily (
  waba_id         VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  local_day       DATE NOT NULL,
  local_month     DATE NOT NULL,
  category        VARCHAR NOT NULL,
  country         VARCHAR,
  market          VARCHAR,
  pricing_type    VARCHAR NOT NULL,
  unit            VARCHAR NOT NULL,
  currency        VARCHAR NOT NULL,
  n_all           BIGINT NOT NULL,
  n_free          BIGINT NOT NULL,
  n_paid          BIGINT NOT NULL,
  amount          DECIMAL(38, 6) NOT NULL
);

-- The same without the day: the monthly usage/charges queries read this (about 30× fewer rows than daily).
CREATE TABLE usage_monthly (
  waba_id         VARCHAR NOT NULL,
  phone_number_id VARCHAR NOT NULL,
  local_month     DATE NOT NULL,
  category        VARCHAR NOT NULL,
  country         VARCHAR,
  market          VARCHAR,
  pricing_type    VARCHAR NOT NULL,
  unit            VARCHAR NOT NULL,
  currency        VARCHAR NOT NULL,
  n_all           BIGINT NOT NULL,
  n_free          BIGINT NOT NULL,
  n_paid          BIGINT NOT NULL,
  amount          DECIMAL(38, 6) NOT NULL
);
