-- load_divisions.sql — load a `code,name` CSV of statistical division codes
-- into sdbc.division.
--
--   psql -v csv=test/data/aksu_divisions.csv -f test/data/load_divisions.sql
--   (or, inside a script:  \set csv FILE  then  \ir load_divisions.sql)
--
-- The file is read client-side (\copy), so the path is relative to psql's
-- working directory and no server file access is needed. The rows go through
-- a temporary staging table (dropped at commit), then one INSERT … SELECT:
--   * codes of 2, 4, 6, 9 or 12 digits are parsed as sdbc.divcode, so the
--     forms '4419' (city) and '441900' (area) of a prefecture-level city
--     without counties (东莞, 中山, 儋州) both become 441900000000; exactly
--     one row is kept per divcode (the longest written form wins);
--   * ON CONFLICT (code) DO NOTHING makes the load idempotent: a code already
--     in sdbc.division is left as it is (name included), a second load of the
--     same file inserts nothing.
-- kind is generated from the code; urban_rural_class, valid_from, valid_to
-- and boundary stay null, key_complex false: the CSV does not carry them.
-- All in one transaction: a bad code aborts the whole load. Works whatever
-- the search_path (operators are named with their schema). Prints a short
-- report (test/sql/division_aksu.sql's expected output holds it: keep its
-- wording).

\set ld_saved_on_error_stop :ON_ERROR_STOP
\set ld_saved_quiet :QUIET
\set ON_ERROR_STOP on
\set QUIET on

\if :{?csv}
\else
\echo 'load_divisions.sql: no input file: run with  -v csv=FILE  (or \\set csv FILE first)'
DO $$ BEGIN RAISE EXCEPTION 'load_divisions.sql: psql variable csv is not set'; END $$;
\endif

BEGIN;

CREATE TEMP TABLE division_staging (
    code text,
    name text
) ON COMMIT DROP;

\set ld_copy '\\copy division_staging (code, name) FROM ' :'csv' ' WITH (FORMAT csv, HEADER true)'
:ld_copy

SELECT count(*)                                            AS ld_read,
       count(DISTINCT code::sdbc.divcode)                  AS ld_distinct,
       count(*) - count(DISTINCT code::sdbc.divcode)       AS ld_merged
FROM division_staging \gset

WITH one_per_code AS (
    SELECT DISTINCT ON (code::sdbc.divcode)
           code::sdbc.divcode AS code, name
    FROM division_staging
    ORDER BY code::sdbc.divcode, length(code) DESC, name
), ins AS (
    INSERT INTO sdbc.division (code, name)
    SELECT code, name FROM one_per_code
    ORDER BY code
    ON CONFLICT (code) DO NOTHING
    RETURNING 1
)
SELECT count(*) AS ld_inserted FROM ins \gset

-- Codes that were already there under another name: kept as they were,
-- but counted so that a changed name does not pass unnoticed.
SELECT count(*) AS ld_renamed, count(*) > 0 AS ld_any_renamed
FROM (SELECT code::sdbc.divcode AS code, array_agg(name) AS names
      FROM division_staging GROUP BY 1) s
JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) s.code
WHERE d.name <> ALL (s.names) \gset

ANALYZE sdbc.division;

COMMIT;

\echo 'load_divisions:' :'csv'
\echo '  rows read          ' :ld_read
\echo '  distinct codes     ' :ld_distinct '(' :ld_merged 'rows of the same code merged)'
\echo '  inserted           ' :ld_inserted
SELECT :ld_distinct - :ld_inserted AS ld_present \gset
\echo '  already present    ' :ld_present
\if :ld_any_renamed
\echo '  WARNING:' :ld_renamed 'codes already present under a different name were left unchanged'
\endif

\set ON_ERROR_STOP :ld_saved_on_error_stop
\set QUIET :ld_saved_quiet
