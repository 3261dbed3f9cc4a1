-- Rollups across replicas (worker/ledger/publish-usage.ts, published-usage-copy.ts). On the usage source:
-- rollup_changes names every (WABA, local month) whose rollups changed and are not yet published; it is written
-- in the transaction that rebuilds them, so a stop before the publication leaves the month named, and the next
-- publication (at the latest at the next start) carries it. `change` tells a month changed again during a
-- publication from one published as it was.
CREATE SEQUENCE rollup_change_seq;
CREATE TABLE rollup_changes (
  waba_id     VARCHAR NOT NULL,
  local_month DATE NOT NULL,
  change      BIGINT NOT NULL,
  PRIMARY KEY (waba_id, local_month)
);

-- On a replica that is not the usage source: its copy of what the source published, in the rollups' shape, so
-- the usage and charges queries read it as they read the rollups.
CREATE TABLE published_usage_daily (
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
  n_unpriced      BIGINT NOT NULL,
  amount          DECIMAL(38, 6) NOT NULL
);
CREATE TABLE published_usage_monthly (
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
  n_unpriced      BIGINT NOT NULL,
  amount          DECIMAL(38, 6) NOT NULL
);
CREATE TABLE published_data_feed (
  phone_number_id VARCHAR PRIMARY KEY,
  waba_id         VARCHAR NOT NULL,
  data_through    TIMESTAMPTZ NOT NULL,
  received_at     TIMESTAMPTZ NOT NULL
);
-- The published version the copy holds (none copied: no row).
CREATE TABLE published_usage_copy (
  one          BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
  version      BIGINT NOT NULL,
  analytics_id VARCHAR NOT NULL,
  copied_at    TIMESTAMPTZ NOT NULL
);
