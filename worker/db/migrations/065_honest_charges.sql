-- Charges a business can be billed by, balances that start somewhere, data that says how fresh it is.

-- Unpriced paid units: a paid unit no card or record prices keeps amount NULL; the rollups count them apart so
-- the charges answers can say how many could not be priced instead of adding nothing for them.
ALTER TABLE usage_daily ADD COLUMN n_unpriced BIGINT DEFAULT 0;
ALTER TABLE usage_monthly ADD COLUMN n_unpriced BIGINT DEFAULT 0;
UPDATE usage_daily d SET n_unpriced = x.n
  FROM (SELECT waba_id, phone_number_id, local_day, category::VARCHAR AS category, recipient_country, market,
               pricing_type::VARCHAR AS pricing_type, unit::VARCHAR AS unit, count(*) AS n
          FROM units WHERE is_counted AND is_paid AND amount IS NULL GROUP BY ALL) x
 WHERE d.waba_id = x.waba_id AND d.phone_number_id = x.phone_number_id AND d.local_day = x.local_day
   AND d.category = x.category AND d.country IS NOT DISTINCT FROM x.recipient_country
   AND d.market IS NOT DISTINCT FROM x.market AND d.pricing_type = x.pricing_type AND d.unit = x.unit;
UPDATE usage_monthly m SET n_unpriced = x.n
  FROM (SELECT waba_id, phone_number_id, local_month, category, country, market, pricing_type, unit,
               sum(n_unpriced) AS n
          FROM usage_daily WHERE n_unpriced > 0 GROUP BY ALL) x
 WHERE m.waba_id = x.waba_id AND m.phone_number_id = x.phone_number_id AND m.local_month = x.local_month
   AND m.category = x.category AND m.country IS NOT DISTINCT FROM x.country
   AND m.market IS NOT DISTINCT FROM x.market AND m.pricing_type = x.pricing_type AND m.unit = x.unit;

-- The recipient's number decides the market; a record that named another one keeps it here (NULL otherwise).
ALTER TABLE units ADD COLUMN market_reported VARCHAR;

-- Alerts about a WABA (unpriced units of a month, a silent feed) name the WABA and no number.
ALTER TABLE alerts ALTER COLUMN phone_number_id DROP NOT NULL;
ALTER TABLE alerts ADD COLUMN waba_id VARCHAR;
UPDATE alerts a SET waba_id = p.waba_id FROM phone_numbers p WHERE p.phone_number_id = a.phone_number_id;

-- Once-only state of WABA alerts: scope_key is the month for unpriced_units ('' for stale_data); active stays
-- true until the condition clears (stale_data re-arms when data arrives; unpriced_units never re-fires).
CREATE TABLE waba_alert_states (
  waba_id    VARCHAR NOT NULL,
  kind       VARCHAR NOT NULL,
  scope_key  VARCHAR NOT NULL,
  active     BOOLEAN NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (waba_id, kind, scope_key)
);

-- The start of a number's prepaid account set by the partner (WABA-local day). Without one the account starts
-- on the local day of its first top-up; usage charges of days before the start never reach the balance.
CREATE TABLE balance_starts (
  phone_number_id VARCHAR PRIMARY KEY,
  starts_on       DATE NOT NULL,
  set_at          TIMESTAMPTZ NOT NULL,
  set_by          VARCHAR NOT NULL
);

-- Freshness per number: the latest opened_at of its units (data_through) and when the store last received one.
CREATE TABLE data_feed (
  phone_number_id VARCHAR PRIMARY KEY,
  waba_id         VARCHAR NOT NULL,
  data_through    TIMESTAMPTZ NOT NULL,
  received_at     TIMESTAMPTZ NOT NULL
);
INSERT INTO data_feed
SELECT phone_number_id, arg_max(waba_id, opened_at), max(opened_at), max(ingested_at) FROM units GROUP BY 1;
