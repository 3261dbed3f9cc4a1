-- The elected ingest writer (worker/election/): the claim made under the writer lease names the lease's token, so
-- a posting checks that this very lease is still held and unexpired (a writer stalled past its lease posts
-- nothing), and where the writer is reached. Both NULL for a claim made by hand (CLAIM_USAGE_SOURCE).
ALTER TABLE usage_source ADD COLUMN lease_token BIGINT;
ALTER TABLE usage_source ADD COLUMN writer_url TEXT;
