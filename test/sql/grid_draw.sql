-- Drawing grids (R7.1) and classing them (R7.2): bounds, contiguity, exact
-- tiling, households placed, codes kept on redraw and never reused, reasons
-- when bounds cannot be met, reclassification history.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道');
-- An L-shaped community (concave), a small one, and one with a tower.
INSERT INTO division (code, name, boundary) VALUES
  ('652901001001', 'L形社区', ST_Multi(ST_GeomFromText('POLYGON((80.250 41.160, 80.270 41.160, 80.270 41.168, 80.262 41.168, 80.262 41.175, 80.250 41.175, 80.250 41.160))', 4490))),
  ('652901001002', '小社区',  ST_Multi(ST_GeomFromText('POLYGON((80.270 41.160, 80.275 41.160, 80.275 41.165, 80.270 41.165, 80.270 41.160))', 4490))),
  ('652901001003', '高楼社区', ST_Multi(ST_GeomFromText('POLYGON((80.275 41.160, 80.280 41.160, 80.280 41.165, 80.275 41.165, 80.275 41.160))', 4490)));

-- Buildings on a jittered lattice: 60 % bungalows (1-2 households),
-- 30 % walk-ups (6-36), 10 % towers (60-140); deterministic.
INSERT INTO building (community, address, households, location)
SELECT '652901001001', format('%s-%s', i, j),
       CASE WHEN (i * 7 + j * 13) % 10 < 6 THEN 1 + (i + j) % 2
            WHEN (i * 7 + j * 13) % 10 < 9 THEN 6 + (i * 31 + j * 17) % 31
            ELSE 60 + (i * 53 + j * 29) % 81 END,
       ST_SetSRID(ST_MakePoint(80.2502 + i * 0.0005 + ((i * j) % 7) * 0.00003,
                               41.1602 + j * 0.0005 + ((i + j) % 5) * 0.00003), 4490)
  FROM generate_series(0, 39) i, generate_series(0, 29) j
 WHERE ST_Intersects((SELECT boundary FROM division WHERE code = '652901001001'),
                     ST_SetSRID(ST_MakePoint(80.2502 + i * 0.0005 + ((i * j) % 7) * 0.00003,
                                             41.1602 + j * 0.0005 + ((i + j) % 5) * 0.00003), 4490));
-- two buildings at one address point form one site
INSERT INTO building (community, address, households, location)
  VALUES ('652901001001', '同址二号', 3, (SELECT location FROM building WHERE address = '0-0'));
INSERT INTO building (community, address, households, location)
SELECT '652901001002', 'S' || i, 5, ST_SetSRID(ST_MakePoint(80.271 + i * 0.001, 41.162), 4490) FROM generate_series(0, 3) i;
INSERT INTO building (community, address, households, location) VALUES
  ('652901001003', '塔楼', 420, ST_SetSRID(ST_MakePoint(80.2775, 41.1625), 4490)),
  ('652901001003', '平房', 2, ST_SetSRID(ST_MakePoint(80.2760, 41.1610), 4490));
INSERT INTO household (building_id) SELECT b.building_id FROM building b, generate_series(1, b.households);
SELECT community, count(*) AS buildings, sum(households) AS households FROM building GROUP BY 1 ORDER BY 1;

-- Draw every community of the street.
SELECT community, buildings, households, grids, in_bounds, pieces, codes_kept, reasons
  FROM grid_draw_all('652901001', '2024-01-01') ORDER BY community;

-- Every grid of the L-shaped community within 200–300 and in one piece.
SELECT bounds, count(*) FROM grid_size WHERE community = '652901001001' GROUP BY bounds;
SELECT count(*) AS multipart FROM grid WHERE ST_NumGeometries(boundary) <> 1;
-- Exact tiling: no gap, no overlap, areas add up.
SELECT count(*) AS gaps FROM community_coverage_gap;
SELECT count(*) AS overlapping_pairs
  FROM grid a JOIN grid b ON a.community = b.community AND a.grid_code < b.grid_code
   AND a.valid_to IS NULL AND b.valid_to IS NULL AND ST_Relate(a.boundary, b.boundary, '2********')
   AND area_m2(ST_Intersection(a.boundary, b.boundary)) > 1;
SELECT d.code, round((sum(area_m2(g.boundary)) / area_m2(d.boundary))::numeric, 4) AS covered_share
  FROM division d JOIN grid g ON g.community = d.code AND g.valid_to IS NULL
 GROUP BY d.code, d.boundary ORDER BY d.code;
-- Every household placed, and placed where its building lies.
SELECT count(*) AS outside FROM household_outside_grid;
SELECT count(*) AS misplaced FROM household_placed h JOIN building b USING (building_id) JOIN grid g ON g.grid_code = h.grid_code
 WHERE NOT ST_Intersects(g.boundary, b.location);
-- Codes: community code + 001.., first row in the north.
SELECT min(grid_code) AS first_code, max(grid_code) AS last_code, count(*) AS grids
  FROM grid WHERE community = '652901001001' AND valid_to IS NULL;
SELECT ST_Y(ST_Centroid(boundary)) >= (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ST_Y(ST_Centroid(boundary)))
                                        FROM grid WHERE community = '652901001001') AS first_grid_in_north_half
  FROM grid WHERE grid_code = 652901001001001;
-- Compactness (Polsby-Popper 4πA/P², 1 for a circle), on the ellipsoid.
SELECT round(avg(4 * pi() * ST_Area(boundary::geography) / ST_Perimeter(boundary::geography) ^ 2)::numeric, 1) >= 0.4 AS compact
  FROM (SELECT ST_SetSRID(boundary, 4326) AS boundary FROM grid WHERE community = '652901001001') g;

-- Redraw with the same data: every code kept, nothing retired.
SELECT grids, codes_kept, reasons FROM grid_draw('652901001001', '2024-06-01');
SELECT count(*) FILTER (WHERE valid_to IS NULL) AS live, count(*) FILTER (WHERE valid_to IS NOT NULL) AS retired
  FROM grid WHERE community = '652901001001';

-- The community lowers its maximum: the redraw needs more grids; new codes
-- come after the highest ever used, retired codes are never reused.
INSERT INTO policy (key, division, valid_from, value) VALUES ('grid.households.max', '652901001001', '2025-01-01', 240),
                                                            ('grid.households.min', '652901001001', '2025-01-01', 160);
CREATE TEMP TABLE before_codes AS SELECT grid_code FROM grid WHERE community = '652901001001';
-- (a band of 160–240 with towers of up to 140 is tight: the kernel may leave
-- a few grids outside, and then says so)
SELECT grids > (SELECT count(*) FROM before_codes) AS more_grids,
       in_bounds >= grids - 3 AS nearly_all_in_bounds,
       (in_bounds = grids) = (reasons = '{}') AS reasons_iff_out_of_bounds, pieces
  FROM grid_draw('652901001001', '2025-01-01');
SELECT count(*) AS new_codes_not_above_old_max
  FROM grid WHERE community = '652901001001' AND grid_code NOT IN (SELECT grid_code FROM before_codes)
   AND grid_code <= (SELECT max(grid_code) FROM before_codes);
SELECT count(*) AS old_codes_still_recorded, count(*) FILTER (WHERE g.valid_to IS NULL) + count(*) FILTER (WHERE g.valid_to = '2025-01-01') AS kept_or_retired_now
  FROM before_codes b JOIN grid g USING (grid_code);
SELECT count(*) FILTER (WHERE households BETWEEN 160 AND 240) >= count(*) - 3 AS sizes_follow_new_policy
  FROM grid_size WHERE community = '652901001001';
SELECT count(*) AS outside FROM household_outside_grid;

-- Classification (R7.2): key population, floating residents, rental homes, incidents.
-- grid 1: incidents; grid 2: one key person in ten households; grid 3: all residents floating
INSERT INTO resident (household_id, name, key_population, key_reason, floating)
SELECT h.household_id, '居民' || h.household_id, n.n = 2 AND h.household_id % 10 = 0, CASE WHEN n.n = 2 AND h.household_id % 10 = 0 THEN '重点人员' END,
       n.n = 3
  FROM household_placed h JOIN (SELECT grid_code, row_number() OVER (ORDER BY grid_code) AS n
                           FROM grid WHERE community = '652901001001' AND valid_to IS NULL) n USING (grid_code);
INSERT INTO grid_incident (grid_code, reported_on, kind)
SELECT grid_code, date '2025-03-01' + i, 'dispute'
  FROM (SELECT grid_code FROM grid WHERE community = '652901001001' AND valid_to IS NULL ORDER BY grid_code LIMIT 1) g,
       generate_series(1, 12) i;
SELECT n, class_to
  FROM (SELECT row_number() OVER (ORDER BY grid_code) AS n, grid_code FROM grid WHERE community = '652901001001' AND valid_to IS NULL) n
  JOIN (SELECT grid_code, to_class AS class_to FROM grid_reclassify('652901001001', '2025-06-01')) r USING (grid_code)
 ORDER BY n;
SELECT class, count(*) FROM grid WHERE community = '652901001001' AND valid_to IS NULL GROUP BY class ORDER BY class;
SELECT count(*) AS history_rows, count(DISTINCT grid_code) AS grids FROM grid_class_history;
-- nothing changes on a second run
SELECT count(*) AS changed_again FROM grid_reclassify('652901001001', '2025-06-01');
-- history is insert-only
UPDATE grid_class_history SET to_class = 'routine';
DELETE FROM grid_class_history;
-- a threshold raised for the community turns the remediation grid back
INSERT INTO policy (key, division, valid_from, value) VALUES ('grid.class.remediation.min_incidents', '652901001001', '2025-06-01', 50);
SELECT from_class, to_class FROM grid_reclassify('652901001001', '2025-06-02');

-- Codes are never reused (R7.1): once code 999 has been used, a redraw that
-- needs a new grid has no code left (SD206) and changes nothing.
INSERT INTO grid (grid_code, community, boundary, valid_from, valid_to)
SELECT 652901001001999, '652901001001', ST_Buffer(ST_PointOnSurface(boundary), 0.0001, 4), '2020-01-01', '2020-02-01'
  FROM division WHERE code = '652901001001';
INSERT INTO policy (key, division, valid_from, value) VALUES ('grid.households.max', '652901001001', '2026-01-01', 200),
                                                            ('grid.households.min', '652901001001', '2026-01-01', 120);
CREATE TEMP TABLE grids_before AS SELECT grid_code, valid_to FROM grid;
SELECT grids FROM grid_draw('652901001001', '2026-01-01');
SELECT count(*) AS grids_changed FROM grid g FULL JOIN grids_before b USING (grid_code)
 WHERE g.grid_code IS NULL OR b.grid_code IS NULL OR g.valid_to IS DISTINCT FROM b.valid_to;

-- Leave the database as the next test expects it.
ALTER TABLE grid_class_history DISABLE TRIGGER grid_class_history_insert_only;
DELETE FROM grid_class_history;
ALTER TABLE grid_class_history ENABLE TRIGGER grid_class_history_insert_only;
DELETE FROM grid_incident; DELETE FROM resident; DELETE FROM household; DELETE FROM building;
DELETE FROM grid_draw_report;
ALTER TABLE grid DISABLE TRIGGER grid_no_delete; DELETE FROM grid; ALTER TABLE grid ENABLE TRIGGER grid_no_delete;
DELETE FROM policy WHERE NOT builtin;
DELETE FROM division;
