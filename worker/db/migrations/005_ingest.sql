-- Ingest (owner: worker/ingest): batches also count the units a late record changed.
ALTER TABLE ingest_batches ADD COLUMN rows_updated BIGINT DEFAULT 0;
