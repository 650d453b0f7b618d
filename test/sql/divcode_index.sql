-- `code <@ x` on a btree-indexed divcode column is a range scan (the planner
-- support function turns it into code >= x AND code <= subtree_last(x)).
SET search_path = sdbc, public;

CREATE TABLE idx_codes (code divcode PRIMARY KEY, n integer);
-- statistics target 1000: ANALYZE reads every row, so the histogram (and
-- the estimate checked below) is the same on every run
ALTER TABLE idx_codes ALTER code SET STATISTICS 1000;
INSERT INTO idx_codes
SELECT (65 * 10000000000::bigint + p * 100000000::bigint + c * 1000000::bigint
        + t * 1000::bigint + v)::divcode, 0
  FROM generate_series(20, 39) p, generate_series(1, 10) c,
       generate_series(1, 30) t, generate_series(0, 20) v;
VACUUM (ANALYZE) idx_codes;

-- The index conditions of a plan, and whether it scans the whole table
-- (whether the scan is index-only or bitmap depends on the visibility map).
CREATE FUNCTION pg_temp.scan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    IF line ~ 'Index Cond|Seq Scan' THEN
      RETURN NEXT regexp_replace(line, '^[ >-]+', '');
    END IF;
  END LOOP;
END $$;

SELECT pg_temp.scan_of($$SELECT count(*) FROM idx_codes WHERE code <@ '652901'$$);
SELECT pg_temp.scan_of($$SELECT count(*) FROM idx_codes WHERE '652901' @> code$$);
SELECT pg_temp.scan_of($$SELECT count(*) FROM idx_codes WHERE code <@ '652901003'$$);
-- a parameter (prepared statement) also gets the range, through subtree_last()
PREPARE under(divcode) AS SELECT count(*) FROM idx_codes WHERE code <@ $1;
SET plan_cache_mode = force_generic_plan;
SELECT pg_temp.scan_of($$EXECUTE under('652901')$$);
EXECUTE under('652901');
RESET plan_cache_mode;

-- The range scan returns exactly what the operator means.
SELECT (SELECT count(*) FROM idx_codes WHERE code <@ '652901') AS via_index,
       (SELECT count(*) FROM idx_codes WHERE divcode_contained_by(code, '652901')) AS via_function,
       (SELECT count(*) FROM idx_codes WHERE code::bigint / 1000000 = 652901) AS by_arithmetic;

-- The estimate follows the histogram: one county of 200 holds 630 rows.
CREATE FUNCTION pg_temp.estimated_rows(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE j json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
  RETURN (j->0->'Plan'->>'Plan Rows')::bigint;
END $$;
SELECT pg_temp.estimated_rows('SELECT * FROM idx_codes WHERE code <@ ''652901''') BETWEEN 300 AND 1300 AS county_estimate_ok,
       pg_temp.estimated_rows('SELECT * FROM idx_codes WHERE code @> ''652901001001''') < 10 AS ancestor_estimate_ok;

-- A hash index cannot answer <@: the planner falls back without error.
CREATE TABLE idx_hash (code divcode);
CREATE INDEX ON idx_hash USING hash (code);
EXPLAIN (COSTS OFF) SELECT * FROM idx_hash WHERE code <@ '652901';

DROP TABLE idx_codes, idx_hash;
