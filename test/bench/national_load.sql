-- national_load.sql — run by national_load.sh (see there), in a fresh database,
-- with psql variables csv, reps and query_runs.
--
-- (a) INSERT … SELECT of the staged national CSV into sdbc.division
--     (divcode primary key, generated kind), the same statement shape as
--     test/data/load_divisions.sql;
-- (b) the same into bench_plain, the code parsed as bigint (right-padded to
--     12 digits in SQL);
--     each load timed around the statement (autocommit, so the commit is
--     in), (a) and (b) alternating, :reps times. Before each load the target
--     is emptied to a fresh state and a CHECKPOINT taken: bench_plain by
--     TRUNCATE; sdbc.division cannot be truncated (sdbc.policy references
--     it and refuses TRUNCATE itself), so DELETE + VACUUM FULL, which leaves
--     it with new, empty heap and index files just the same;
-- (c) count(*) of one county's descendants, EXPLAIN (ANALYZE, BUFFERS) shown,
--     Execution Time median over :query_runs runs after one warm-up run,
--     both tables VACUUM ANALYZEd first.
\set ON_ERROR_STOP on
\pset footer off

SET client_min_messages = warning;
CREATE EXTENSION sdbc CASCADE;
RESET client_min_messages;
-- The divcode operators (<@, =) live in schema sdbc.
SET search_path = sdbc, public;

CREATE UNLOGGED TABLE staging (code text, name text);
\set copy_cmd '\\copy staging (code, name) FROM ' :'csv' ' WITH (FORMAT csv, HEADER true)'
:copy_cmd
VACUUM ANALYZE staging;

CREATE TABLE bench_plain (
    code              bigint PRIMARY KEY,
    name              text NOT NULL,
    kind              text,
    urban_rural_class smallint,
    valid_from        date,
    valid_to          date,
    key_complex       boolean NOT NULL DEFAULT false,
    boundary          geometry(MultiPolygon, 4490)
);

CREATE TABLE bench_result (test text, rep int, ms numeric, cpu_ms numeric, wait_ms numeric, rows bigint);
\ir bench_timer.sql

-- The loads, generated: each cell below is sent as its own top-level statement.
SELECT
    reset_sql,
    CASE WHEN test = 'a' THEN 'VACUUM FULL sdbc.division' END,   -- NULL: skipped
    'CHECKPOINT',
    'DO $d$ BEGIN PERFORM pg_temp.bench_mark(); END $d$',
    load_sql,
    format($f$INSERT INTO bench_result
              SELECT %L, %s, t.wall_ms, t.cpu_ms, t.wait_ms, (SELECT count(*) FROM %s)
              FROM pg_temp.bench_since() t$f$, test, rep, tbl)
FROM generate_series(1, :reps) AS rep,
     (VALUES
        ('a', 'sdbc.division', 'DELETE FROM sdbc.division', $q$
            INSERT INTO sdbc.division (code, name)
            SELECT DISTINCT ON (code::sdbc.divcode) code::sdbc.divcode, name
            FROM staging
            ORDER BY code::sdbc.divcode, length(code) DESC, name
            ON CONFLICT (code) DO NOTHING $q$),
        ('b', 'bench_plain', 'TRUNCATE bench_plain', $q$
            INSERT INTO bench_plain (code, name)
            SELECT DISTINCT ON (rpad(code, 12, '0')::bigint) rpad(code, 12, '0')::bigint, name
            FROM staging
            ORDER BY rpad(code, 12, '0')::bigint, length(code) DESC, name
            ON CONFLICT (code) DO NOTHING $q$)
     ) AS t(test, tbl, reset_sql, load_sql)
ORDER BY rep, test
\gexec

VACUUM ANALYZE sdbc.division;
VACUUM ANALYZE bench_plain;

CREATE FUNCTION pg_temp.exec_ms(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
    RETURN (plan -> 0 ->> 'Execution Time')::numeric;
END $$;

\set q_c 'SELECT count(*) FROM sdbc.division WHERE code <@ ''652901'''
\set q_d 'SELECT count(*) FROM bench_plain WHERE code BETWEEN 652901000000 AND 652901999999'

SELECT pg_temp.exec_ms(:'q_c'), pg_temp.exec_ms(:'q_d') \gset warmup_
INSERT INTO bench_result (test, rep, ms, rows)
SELECT 'c', g, pg_temp.exec_ms(:'q_c'), (SELECT count(*) FROM sdbc.division WHERE code <@ '652901')
FROM generate_series(1, :query_runs) g;
INSERT INTO bench_result (test, rep, ms, rows)
SELECT 'd', g, pg_temp.exec_ms(:'q_d'), (SELECT count(*) FROM bench_plain WHERE code BETWEEN 652901000000 AND 652901999999)
FROM generate_series(1, :query_runs) g;

\echo '## (c) descendant query on sdbc.division'
\echo
EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM sdbc.division WHERE code <@ '652901';
\echo '## (c'') the same on bench_plain'
\echo
EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM bench_plain WHERE code BETWEEN 652901000000 AND 652901999999;

CREATE FUNCTION pg_temp.plan_nodes(q text)
RETURNS TABLE (node text, index_name text, index_cond text) LANGUAGE plpgsql AS $$
DECLARE plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO plan;
    RETURN QUERY
    SELECT n ->> 'Node Type', n ->> 'Index Name', n ->> 'Index Cond'
    FROM jsonb_path_query(plan, 'strict $.**  ? (exists (@."Node Type"))') AS n;
END $$;

\echo '## Plan nodes of (c) and (c'') (an index range scan has an Index Cond with >= and <=)'
\echo
SELECT '(c)' AS q, * FROM pg_temp.plan_nodes(:'q_c')
UNION ALL
SELECT '(c'')', * FROM pg_temp.plan_nodes(:'q_d');

\echo '## Sizes after the load'
\echo
SELECT c.relname AS relation,
       coalesce(a.amname, 'table') AS kind,
       pg_size_pretty(pg_relation_size(c.oid)) AS size,
       c.reltuples::bigint AS rows
FROM pg_class c
LEFT JOIN pg_am a ON a.oid = c.relam AND c.relkind = 'i'
WHERE c.oid IN ('sdbc.division'::regclass, 'bench_plain'::regclass)
   OR c.oid IN (SELECT indexrelid FROM pg_index
                WHERE indrelid IN ('sdbc.division'::regclass, 'bench_plain'::regclass))
ORDER BY c.relkind DESC, c.relname;

\echo '## Results (ms; median of the runs, min and max beside it; for the loads'
\echo '## also the backend''s CPU time and its wait for a CPU, medians)'
\echo
SELECT CASE bench_result.test
         WHEN 'a' THEN '(a) load into sdbc.division'
         WHEN 'b' THEN '(b) load into bench_plain (bigint)'
         WHEN 'c' THEN '(c) <@ ''652901'', execution'
         WHEN 'd' THEN '(c'') bigint BETWEEN, execution'
       END AS test,
       count(*) AS runs,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS median_ms,
       round(min(ms), 3) AS min_ms,
       round(max(ms), 3) AS max_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms)::numeric) AS cpu_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_ms)::numeric) AS cpu_wait_ms,
       string_agg(DISTINCT rows::text, '/') AS rows
FROM bench_result
GROUP BY bench_result.test
ORDER BY bench_result.test;

WITH m AS (
    SELECT test,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS med,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) AS cpu
    FROM bench_result GROUP BY test
), r AS (
    SELECT (SELECT med FROM m WHERE test = 'a') / (SELECT med FROM m WHERE test = 'b') AS wall,
           (SELECT cpu FROM m WHERE test = 'a') / (SELECT cpu FROM m WHERE test = 'b') AS cpu,
           (SELECT med FROM m WHERE test = 'c') AS c_ms
)
SELECT round(wall::numeric, 2) AS "ratio (a)/(b)",
       round(cpu::numeric, 2) AS "same, CPU time",
       CASE WHEN wall <= 1.5 THEN 'met' ELSE 'MISSED' END AS "target (a) <= 1.5 x (b)",
       round(c_ms::numeric, 3) AS "(c) median ms",
       CASE WHEN c_ms < 1 THEN 'met' ELSE 'MISSED' END AS "target (c) < 1 ms"
FROM r;
