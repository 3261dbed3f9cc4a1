-- Send gate state (worker/gate): per phone number and customer, the end of each window and open CBP
-- conversation. NULL = none. The gate keeps a copy in memory and writes through here before answering.
CREATE TABLE gate_customer_state (
  phone_number_id      VARCHAR NOT NULL,
  customer_wa_id       VARCHAR NOT NULL,
  csw_until            TIMESTAMPTZ,       -- customer service window end (last inbound + 24 h)
  referral_until       TIMESTAMPTZ,       -- a qualifying CTWA/CTA inbound awaits the business's answer until
  fep_until            TIMESTAMPTZ,       -- free entry point window end (answer + 72 h)
  marketing_until      TIMESTAMPTZ,       -- open CBP conversations by category
  utility_until        TIMESTAMPTZ,
  authentication_until TIMESTAMPTZ,
  service_until        TIMESTAMPTZ,
  updated_at           TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (phone_number_id, customer_wa_id)
);
