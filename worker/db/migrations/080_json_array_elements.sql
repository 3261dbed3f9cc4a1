-- Postgres's json_array_elements(json) as a DuckDB table macro: the elements of a JSON array, one row each, in a
-- column named value. The money plane's SQL is one text for DuckDB and Postgres, and a batch bound as one JSON
-- array (the send gate's state changes) is read through this one function on both; the array is parsed once.
CREATE MACRO json_array_elements(j) AS TABLE SELECT unnest(CAST(j AS JSON[])) AS value;
