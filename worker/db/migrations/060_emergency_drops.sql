-- At most one emergency top-up per drop below zero (DOMAIN.md §7.2): a row records that the current drop of a
-- number already had its emergency top-up; it is removed when the settled balance is positive again.
CREATE TABLE emergency_drops (
  phone_number_id VARCHAR PRIMARY KEY,
  topup_id        VARCHAR NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL
);
