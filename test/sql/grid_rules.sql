-- Grid rules (R7.1): a grid lies inside its community, live grids of a
-- community do not overlap, codes are retired and never reused; bad
-- geometry refused.  Each with its SQLSTATE and nothing half-written.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001009', '无边界社区');
INSERT INTO division (code, name, boundary) VALUES
  ('652901001001', '前进社区', ST_Multi(ST_GeomFromText('POLYGON((80.250 41.160, 80.260 41.160, 80.260 41.170, 80.250 41.170, 80.250 41.160))', 4490)));

-- SQLSTATE of a statement, for the checks below.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;

INSERT INTO grid (grid_code, community, boundary, valid_from) VALUES
  (652901001001001, '652901001001', ST_GeomFromText('POLYGON((80.250 41.160, 80.255 41.160, 80.255 41.170, 80.250 41.170, 80.250 41.160))', 4490), '2024-01-01');

-- SD201: a grid reaching outside its community.
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.262 41.160, 80.262 41.170, 80.255 41.170, 80.255 41.160))', 4490));
-- SD202: a grid overlapping a live grid.
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.254 41.160, 80.260 41.160, 80.260 41.170, 80.254 41.170, 80.254 41.160))', 4490));
-- SD203: a community with no boundary.
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001009001, '652901001009', ST_GeomFromText('POLYGON((80.254 41.160, 80.260 41.160, 80.260 41.170, 80.254 41.170, 80.254 41.160))', 4490));
-- SD204: grids are retired, not deleted.
DELETE FROM grid WHERE grid_code = 652901001001001;
-- SD205: grids are drawn only in communities.
SELECT grid_draw('652901001');
-- Core errors: a code not under its community, a self-intersecting boundary,
-- another SRID, an empty polygon, an unknown class.
\set VERBOSITY terse
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001002001, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.170, 80.255 41.160))', 4490));
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.170, 80.260 41.160, 80.255 41.170, 80.255 41.160))', 4490));
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.160))', 4326));
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON EMPTY', 4490));
INSERT INTO grid (grid_code, community, boundary, class) VALUES
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.170, 80.255 41.160))', 4490), 'unknown');
\set VERBOSITY default

SELECT s, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
  ('outside', $$INSERT INTO sdbc.grid (grid_code, community, boundary) VALUES (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.262 41.160, 80.262 41.170, 80.255 41.170, 80.255 41.160))', 4490))$$),
  ('overlap', $$INSERT INTO sdbc.grid (grid_code, community, boundary) VALUES (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.254 41.160, 80.260 41.160, 80.260 41.170, 80.254 41.170, 80.254 41.160))', 4490))$$),
  ('no boundary', $$INSERT INTO sdbc.grid (grid_code, community, boundary) VALUES (652901001009001, '652901001009', ST_GeomFromText('POLYGON((80.254 41.160, 80.260 41.160, 80.260 41.170, 80.254 41.170, 80.254 41.160))', 4490))$$),
  ('delete', $$DELETE FROM sdbc.grid WHERE grid_code = 652901001001001$$),
  ('draw a street', $$SELECT sdbc.grid_draw('652901001')$$)) AS t(s, q);

-- A grid that only touches its neighbour along an edge is fine.
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.170, 80.255 41.160))', 4490));
SELECT grid_code, class, valid_to FROM grid ORDER BY grid_code;

-- An overlap check in one statement: the bad row rolls back the whole UPDATE.
UPDATE grid SET boundary = ST_GeomFromText('POLYGON((80.250 41.160, 80.256 41.160, 80.256 41.170, 80.250 41.170, 80.250 41.160))', 4490)
 WHERE grid_code = 652901001001001;
SELECT grid_code, ST_AsText(boundary) FROM grid ORDER BY grid_code;

-- Retiring a grid frees its area: its buildings fall out of every grid, reported.
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '一号楼', 4, ST_SetSRID(ST_MakePoint(80.252, 41.165), 4490));
INSERT INTO household (building_id) SELECT building_id FROM building, generate_series(1, 4);
UPDATE grid SET valid_to = '2025-01-01' WHERE grid_code = 652901001001001;
SELECT count(*) AS households_outside_any_grid FROM household_outside_grid;
SELECT community, round(gap_m2) AS gap_m2 FROM community_coverage_gap;
-- the retired code is not reused: a new overlapping grid needs a new code
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001001, '652901001001', ST_GeomFromText('POLYGON((80.250 41.160, 80.255 41.160, 80.255 41.170, 80.250 41.170, 80.250 41.160))', 4490));
INSERT INTO grid (grid_code, community, boundary) VALUES
  (652901001001003, '652901001001', ST_GeomFromText('POLYGON((80.250 41.160, 80.255 41.160, 80.255 41.170, 80.250 41.170, 80.250 41.160))', 4490));
SELECT grid_code, households FROM grid_size ORDER BY grid_code;
SELECT count(*) AS households_outside_any_grid FROM household_outside_grid;

-- Leave the database as the next test expects it.
DELETE FROM household; DELETE FROM building;
ALTER TABLE grid DISABLE TRIGGER grid_no_delete; DELETE FROM grid; ALTER TABLE grid ENABLE TRIGGER grid_no_delete;
DELETE FROM division;
