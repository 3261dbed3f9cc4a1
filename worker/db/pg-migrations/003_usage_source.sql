-- The one analytics store whose usage the ledger's charges follow (worker/ledger/usage-source.ts). Every replica
-- has its own analytics DuckDB; a charge is posted as the difference between that store's usage and the ledger,
-- so a second store would post adjustments undoing the first one's charges. One row: the first replica to start
-- claims it, CLAIM_USAGE_SOURCE=true takes it over.
CREATE TABLE usage_source (
  one          BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
  analytics_id TEXT NOT NULL,
  claimed_at   TIMESTAMPTZ NOT NULL,
  claimed_by   TEXT NOT NULL
);
