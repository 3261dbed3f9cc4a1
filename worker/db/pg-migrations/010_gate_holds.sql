-- Balance held by the send gate (worker/gate/hold-sql.ts; the same tables in migrations/090_gate_holds.sql for a
-- DuckDB money plane). A replica reserves part of a number's settled balance as a hold and spends it locally on
-- paid decisions; another replica may only reserve what the balance leaves after every hold still counted.
-- Times are epoch milliseconds of the replicas' clocks.
CREATE TABLE gate_holds (
  hold_id         TEXT PRIMARY KEY,
  phone_number_id TEXT NOT NULL,
  holder          TEXT NOT NULL,               -- REPLICA_ID of the process that reserved it
  amount          NUMERIC(18, 6) NOT NULL,      -- reserved
  used            NUMERIC(18, 6) NOT NULL,      -- spent on sends (as last recorded)
  exact           BOOLEAN NOT NULL,             -- used is complete: nothing was spent that is not recorded
  closed          BOOLEAN NOT NULL,             -- its holder gave the unused part back
  created_ms      BIGINT NOT NULL,
  expires_ms      BIGINT NOT NULL,              -- the unused part returns by itself from then on
  last_ms         BIGINT NOT NULL               -- the latest paid decision recorded in used
);
CREATE INDEX gate_holds_number ON gate_holds (phone_number_id);

-- One row per number, updated by every reservation and spend record: on Postgres a concurrent one waits on the
-- row (and, SERIALIZABLE, runs again), so two replicas never both reserve the same balance.
CREATE TABLE gate_hold_locks (
  phone_number_id TEXT PRIMARY KEY,
  version         BIGINT NOT NULL
);

-- The latest unit time (epoch ms) whose charges the ledger has posted for a number, written in the transaction that
-- posts them: the spent part of a hold whose decisions are all at or before it is in the balance already.
CREATE TABLE gate_usage_marks (
  phone_number_id   TEXT PRIMARY KEY,
  posted_through_ms BIGINT NOT NULL
);
