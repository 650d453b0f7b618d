-- national_breakdown.sql — optional second part of national_load.sh
-- (BREAKDOWN=1): where does the extra time of load (a) over (b) go?
-- Runs in the same database after national_load.sql (staging is filled).
--
-- The same INSERT … SELECT … ON CONFLICT DO NOTHING into tables that each
-- drop one feature of sdbc.division, alternating, :reps times, median:
--   shipped  LIKE sdbc.division INCLUDING ALL + both foreign keys: (a) again
--   no_fk    as shipped, but kind checked by CHECK (kind IN (…the 10 kinds…))
--            instead of a foreign key to sdbc.division_kind
--   no_fk_pg as no_fk, and the GiST index on boundary partial
--            (WHERE boundary IS NOT NULL), so that NULL boundaries are not indexed
--   no_fk_pg_ck  as no_fk_pg, without the unique constraints other than the
--            primary key (UNIQUE (code, kind), the target of composite FKs)
--   bare     divcode primary key only, columns as bench_plain (no generated
--            kind, no CHECKs, no GiST, no foreign keys)
--   plain_li bench_plain's columns, bigint, but its unique index uses an
--            operator class whose functions are LANGUAGE internal with
--            non-built-in OIDs ('int8eq', 'btint8cmp'…), as sdbc.divcode's are
--   plain    bench_plain's definition: (b) again
\set ON_ERROR_STOP on
SET search_path = sdbc, public;
SET client_min_messages = warning;

CREATE SCHEMA bd;
CREATE TABLE bd.shipped (LIKE sdbc.division INCLUDING ALL);
ALTER TABLE bd.shipped ADD FOREIGN KEY (kind) REFERENCES sdbc.division_kind,
                    ADD FOREIGN KEY (urban_rural_class) REFERENCES sdbc.urban_rural_class;
CREATE TABLE bd.no_fk (LIKE sdbc.division INCLUDING ALL);
SELECT format('ALTER TABLE bd.no_fk ADD CHECK (kind IN (%s)), '
              'ADD FOREIGN KEY (urban_rural_class) REFERENCES sdbc.urban_rural_class',
              string_agg(quote_literal(kind), ', ' ORDER BY kind))
FROM sdbc.division_kind \gexec
CREATE TABLE bd.no_fk_pg (LIKE bd.no_fk INCLUDING ALL);
ALTER TABLE bd.no_fk_pg ADD FOREIGN KEY (urban_rural_class) REFERENCES sdbc.urban_rural_class;
-- the GiST index on boundary: partial instead of full
SELECT format('DROP INDEX bd.%I', c.relname)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
WHERE i.indrelid = 'bd.no_fk_pg'::regclass AND a.amname = 'gist' \gexec
CREATE INDEX ON bd.no_fk_pg USING gist (boundary) WHERE boundary IS NOT NULL;
CREATE TABLE bd.no_fk_pg_ck (LIKE bd.no_fk_pg INCLUDING ALL);
ALTER TABLE bd.no_fk_pg_ck ADD FOREIGN KEY (urban_rural_class) REFERENCES sdbc.urban_rural_class;
-- unique indexes other than the primary key (sdbc has UNIQUE (code, kind)
-- as a target for composite foreign keys)
SELECT format('ALTER TABLE bd.no_fk_pg_ck DROP CONSTRAINT %I', conname)
FROM pg_constraint WHERE conrelid = 'bd.no_fk_pg_ck'::regclass AND contype = 'u' \gexec
CREATE TABLE bd.bare (
    code sdbc.divcode PRIMARY KEY, name text NOT NULL, kind text, urban_rural_class smallint,
    valid_from date, valid_to date, key_complex boolean NOT NULL DEFAULT false,
    boundary geometry(MultiPolygon, 4490));

CREATE FUNCTION bd.eq(int8, int8) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'int8eq';
CREATE FUNCTION bd.lt(int8, int8) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'int8lt';
CREATE FUNCTION bd.le(int8, int8) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'int8le';
CREATE FUNCTION bd.gt(int8, int8) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'int8gt';
CREATE FUNCTION bd.ge(int8, int8) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'int8ge';
CREATE FUNCTION bd.cmp(int8, int8) RETURNS int LANGUAGE internal IMMUTABLE STRICT AS 'btint8cmp';
CREATE OPERATOR bd.<  (LEFTARG = int8, RIGHTARG = int8, FUNCTION = bd.lt);
CREATE OPERATOR bd.<= (LEFTARG = int8, RIGHTARG = int8, FUNCTION = bd.le);
CREATE OPERATOR bd.=  (LEFTARG = int8, RIGHTARG = int8, FUNCTION = bd.eq);
CREATE OPERATOR bd.>= (LEFTARG = int8, RIGHTARG = int8, FUNCTION = bd.ge);
CREATE OPERATOR bd.>  (LEFTARG = int8, RIGHTARG = int8, FUNCTION = bd.gt);
CREATE OPERATOR CLASS bd.int8_internal_ops FOR TYPE int8 USING btree AS
    OPERATOR 1 bd.<, OPERATOR 2 bd.<=, OPERATOR 3 bd.=, OPERATOR 4 bd.>=, OPERATOR 5 bd.>,
    FUNCTION 1 bd.cmp(int8, int8), FUNCTION 2 btint8sortsupport(internal);
CREATE TABLE bd.plain_li (
    code bigint NOT NULL, name text NOT NULL, kind text, urban_rural_class smallint,
    valid_from date, valid_to date, key_complex boolean NOT NULL DEFAULT false,
    boundary geometry(MultiPolygon, 4490));
CREATE UNIQUE INDEX ON bd.plain_li (code bd.int8_internal_ops);
CREATE TABLE bd.plain (LIKE bench_plain INCLUDING ALL);
CREATE TABLE bd.result (variant text, ord int, rep int, ms numeric, cpu_ms numeric, wait_ms numeric);
\ir bench_timer.sql
RESET client_min_messages;

SELECT
    format('TRUNCATE bd.%I', v),
    'CHECKPOINT',
    'DO $d$ BEGIN PERFORM pg_temp.bench_mark(); END $d$',
    CASE WHEN v LIKE 'plain%' THEN format($q$
        INSERT INTO bd.%I (code, name)
        SELECT DISTINCT ON (rpad(code, 12, '0')::bigint) rpad(code, 12, '0')::bigint, name
        FROM staging
        ORDER BY rpad(code, 12, '0')::bigint, length(code) DESC, name
        ON CONFLICT (code %s) DO NOTHING $q$, v,
        CASE v WHEN 'plain_li' THEN 'bd.int8_internal_ops' ELSE '' END)
    ELSE format($q$
        INSERT INTO bd.%I (code, name)
        SELECT DISTINCT ON (code::sdbc.divcode) code::sdbc.divcode, name
        FROM staging
        ORDER BY code::sdbc.divcode, length(code) DESC, name
        ON CONFLICT (code) DO NOTHING $q$, v)
    END,
    format($f$INSERT INTO bd.result
              SELECT %L, %s, %s, t.wall_ms, t.cpu_ms, t.wait_ms
              FROM pg_temp.bench_since() t$f$, v, o, rep)
FROM generate_series(1, :reps) AS rep,
     unnest('{shipped,no_fk,no_fk_pg,no_fk_pg_ck,bare,plain_li,plain}'::text[]) WITH ORDINALITY AS u(v, o)
ORDER BY rep, o
\gexec

\echo '## Breakdown of (a) − (b): the same load into variants (medians; CPU = the'
\echo '## backend''s CPU time, which other work on the machine disturbs less than wall time)'
\echo
WITH m AS (
    SELECT variant, min(ord) AS ord,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS med,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) AS cpu
    FROM bd.result GROUP BY variant
)
SELECT variant,
       CASE variant
         WHEN 'shipped'     THEN 'sdbc.division as shipped'
         WHEN 'no_fk'       THEN 'kind: CHECK instead of FK to division_kind'
         WHEN 'no_fk_pg'    THEN '+ GiST on boundary partial (NOT NULL)'
         WHEN 'no_fk_pg_ck' THEN '+ no UNIQUE (code, kind)'
         WHEN 'bare'        THEN 'divcode pkey only, bench_plain columns'
         WHEN 'plain_li'    THEN 'bigint, opclass of internal-language fns'
         WHEN 'plain'       THEN 'bench_plain (b)'
       END AS what,
       round(med::numeric) AS wall_ms,
       round(cpu::numeric) AS cpu_ms,
       round((cpu / (SELECT cpu FROM m WHERE variant = 'plain'))::numeric, 2) AS "CPU × (b)",
       round((cpu - lead(cpu) OVER (ORDER BY ord))::numeric) AS "CPU ms more than next line"
FROM m ORDER BY ord;
