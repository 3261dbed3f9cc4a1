-- The browser origins allowed to call the API with a partner's embed tokens (CORS), one row each.
-- They live apart from `partners` because DuckDB runs an UPDATE of a row that other tables reference by
-- foreign key (api_keys, wabas) as delete + insert, which the reference refuses: a partner row is never
-- updated. `partners.allowed_origins` held them before; it stays (DuckDB cannot drop a column of a
-- referenced table) but is no longer read or written.
CREATE TABLE partner_origins (
  partner_id VARCHAR NOT NULL REFERENCES partners (partner_id),
  origin     VARCHAR NOT NULL,
  PRIMARY KEY (partner_id, origin)
);

INSERT INTO partner_origins
SELECT DISTINCT partner_id, o FROM (SELECT partner_id, unnest(allowed_origins) AS o FROM partners);
