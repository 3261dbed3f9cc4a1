-- Named leases for jobs that must run in one place at a time when several processes share the store (settlement,
-- auto-renewal, alert delivery): worker/db/pg-lease.ts. A lease belongs to `holder` until `expires_at`, by the
-- server's clock; `token` grows by one each time the lease changes hands, so work can be fenced by it.
CREATE TABLE job_leases (
  job         TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  token       BIGINT NOT NULL,
  acquired_at TIMESTAMPTZ NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL
);
