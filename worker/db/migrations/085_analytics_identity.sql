-- The identity of this analytics store: made once per file, so a rebuilt or copied-over file is another store.
-- A money plane shared by replicas takes usage from one analytics store only (usage_source on the money plane).
CREATE TABLE analytics_identity (
  id         VARCHAR PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL
);
INSERT INTO analytics_identity SELECT CAST(gen_random_uuid() AS VARCHAR), now();
