-- The reference changes (partners, WABAs, numbers, markets, rate cards) archived in the ingest lake, one row per
-- change, written in the change's own transaction: a spooled change left by a crash is published at the next
-- start when its row is here and dropped when it is not (worker/lake/recover-lake.ts). pricing_version is the
-- shipped pricing data in force at the change, so a store that loaded newer data archives it before using it.
CREATE TABLE lake_reference_changes (
  change_id       VARCHAR PRIMARY KEY,
  seq             BIGINT NOT NULL,
  changed_at      TIMESTAMPTZ NOT NULL,
  pricing_version VARCHAR
);
