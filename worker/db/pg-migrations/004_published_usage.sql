-- The usage rollups the usage source publishes for the replicas that are not it (worker/ledger/publish-usage.ts):
-- every replica keeps its own analytics DuckDB, and only the source's holds the units. The unit of publication
-- is the unit of recompute, a (WABA, local month): its daily rollup rows are replaced whole, in one transaction
-- that stamps the month with the next version of the head row. The head's row lock orders publishers, so
-- versions commit in increasing order and a reader that has copied everything up to version V only ever needs
-- the months stamped above V (worker/ledger/published-usage-copy.ts).
CREATE TABLE published_usage_head (
  one          BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
  version      BIGINT NOT NULL,
  analytics_id TEXT NOT NULL,
  published_at TIMESTAMPTZ NOT NULL
);

-- One row per published (WABA, local month), kept when its rows are gone (a month no longer held is published
-- with no rows and a new version, so readers drop their copy of it).
CREATE TABLE published_usage_months (
  waba_id      TEXT NOT NULL,
  local_month  DATE NOT NULL,
  version      BIGINT NOT NULL,
  analytics_id TEXT NOT NULL,
  published_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (waba_id, local_month)
);
CREATE INDEX published_usage_months_version ON published_usage_months (version);

-- usage_daily of the source as it stood at the month's version (the monthly rollup is their sum per month).
CREATE TABLE published_usage_daily (
  waba_id         TEXT NOT NULL,
  phone_number_id TEXT NOT NULL,
  local_day       DATE NOT NULL,
  local_month     DATE NOT NULL,
  category        TEXT NOT NULL,
  country         TEXT,
  market          TEXT,
  pricing_type    TEXT NOT NULL,
  unit            TEXT NOT NULL,
  currency        TEXT NOT NULL,
  n_all           BIGINT NOT NULL,
  n_free          BIGINT NOT NULL,
  n_paid          BIGINT NOT NULL,
  n_unpriced      BIGINT NOT NULL,
  amount          NUMERIC(38, 6) NOT NULL
);
CREATE INDEX published_usage_daily_month ON published_usage_daily (waba_id, local_month);

-- data_feed of the source: each number's data_through, stamped with the version that last moved it.
CREATE TABLE published_data_feed (
  phone_number_id TEXT PRIMARY KEY,
  waba_id         TEXT NOT NULL,
  data_through    TIMESTAMPTZ NOT NULL,
  received_at     TIMESTAMPTZ NOT NULL,
  version         BIGINT NOT NULL
);
CREATE INDEX published_data_feed_version ON published_data_feed (version);
