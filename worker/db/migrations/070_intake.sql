-- The continuous intake: how far each intake log has been derived. Written in the same transaction as the
-- derived events, so a crash between the two can neither lose an accepted event nor derive it twice.
CREATE TABLE intake_cursor (
  log_id VARCHAR PRIMARY KEY,
  derived_through BIGINT NOT NULL,
  derived_at TIMESTAMPTZ NOT NULL
);
