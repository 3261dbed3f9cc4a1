-- The ingest-lake batches this store holds by replay (a restore, a rebuild, or an elected writer catching up
-- with what another writer archived): a replayed batch is ingested under a new batch id, so its lake id is
-- kept here and the next catch-up replays only what the store lacks.
CREATE TABLE lake_replayed (
  batch_id    VARCHAR PRIMARY KEY,
  seq         BIGINT NOT NULL,
  kind        VARCHAR NOT NULL,
  replayed_at TIMESTAMPTZ NOT NULL
);
