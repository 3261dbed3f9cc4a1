-- Send gate change log (worker/gate): every flush appends the changed customer states here (appending is several
-- times cheaper for DuckDB than upserting into gate_customer_state), and compaction folds the log into
-- gate_customer_state (latest seq per customer wins) and deletes what it folded. Loading a number reads the
-- snapshot, then applies its log rows in seq order. Times are epoch milliseconds (UTC); NULL = none.
CREATE SEQUENCE gate_state_seq START 1;
CREATE TABLE gate_state_log (
  seq                  BIGINT NOT NULL,
  phone_number_id      VARCHAR NOT NULL,
  customer_wa_id       VARCHAR NOT NULL,
  csw_until            BIGINT,
  referral_until       BIGINT,
  fep_until            BIGINT,
  marketing_until      BIGINT,
  utility_until        BIGINT,
  authentication_until BIGINT,
  service_until        BIGINT,
  logged_at            BIGINT NOT NULL
);
