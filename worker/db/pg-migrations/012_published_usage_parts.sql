-- The published daily rows travel as Parquet (worker/ledger/publish-usage.ts): one file per publication, its
-- "part", holding the daily rows of every month that publication stamped, written by DuckDB on the source and
-- read by DuckDB on each replica (worker/ledger/published-usage-copy.ts). A month's rows are those of the part
-- whose version is the month's own; a part no month points to any more is deleted by the publication that
-- leaves it so. One row per part instead of one per daily row: the 123,246 daily rows of 1 M units are one
-- insert of about 590 KB instead of 123,246 table and index writes.
DROP TABLE published_usage_daily;
CREATE TABLE published_usage_parts (
  version BIGINT PRIMARY KEY,
  rows    INTEGER NOT NULL,
  parquet BYTEA NOT NULL
);
-- Parquet is compressed already: stored as it is, not compressed again.
ALTER TABLE published_usage_parts ALTER COLUMN parquet SET STORAGE EXTERNAL;
-- The rows published before this change are gone: the source finds the head not its own, so its next
-- publication empties every month and publishes those it holds again under higher versions.
UPDATE published_usage_head SET analytics_id = '';
UPDATE published_usage_months SET analytics_id = '';
