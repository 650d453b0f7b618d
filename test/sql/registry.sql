-- Registry (R7, R12.1): buildings, households, residents; households placed in
-- the grid of their building (R7.4); bad input refused with nothing half-written.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
-- (identities start afresh, so that row numbers in messages do not depend on earlier tests)
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE resident_resident_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道');
INSERT INTO division (code, name, boundary) VALUES
  ('652901001001', '前进社区', ST_Multi(ST_GeomFromText('POLYGON((80.250 41.160, 80.260 41.160, 80.260 41.170, 80.250 41.170, 80.250 41.160))', 4490))),
  ('652901001002', '另一社区', ST_Multi(ST_GeomFromText('POLYGON((80.260 41.160, 80.270 41.160, 80.270 41.170, 80.260 41.170, 80.260 41.160))', 4490)));

-- Two grids split the first community west | east.
INSERT INTO grid (grid_code, community, boundary, valid_from) VALUES
  (652901001001001, '652901001001', ST_GeomFromText('POLYGON((80.250 41.160, 80.255 41.160, 80.255 41.170, 80.250 41.170, 80.250 41.160))', 4490), '2024-01-01'),
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.170, 80.255 41.160))', 4490), '2024-01-01');

-- A building is placed in the grid that contains it; one outside every grid is kept with no grid.
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '西楼 1号', 3, ST_SetSRID(ST_MakePoint(80.252, 41.165), 4490)),
  ('652901001001', '东楼 2号', 2, ST_SetSRID(ST_MakePoint(80.258, 41.165), 4490)),
  ('652901001002', '另一社区 3号', 1, ST_SetSRID(ST_MakePoint(80.265, 41.165), 4490));
SELECT address, grid_code FROM building ORDER BY building_id;

-- Households take the community of their building, whatever the client
-- writes, and belong to the building's grid.
INSERT INTO household (building_id, unit, registration, rental, community)
SELECT b.building_id, 'u' || s, CASE WHEN s = 1 THEN 'floating' ELSE 'registered' END, s = 2, '652902'
  FROM building b, generate_series(1, b.households) s;
SELECT b.address, h.unit, h.community, p.grid_code, h.registration, h.rental
  FROM household h JOIN building b USING (building_id) JOIN household_placed p USING (household_id)
 ORDER BY h.household_id;
SELECT household_id, community, address FROM household_outside_grid ORDER BY household_id;

-- Moving a building moves its households to the new grid in the same statement.
UPDATE building SET location = ST_SetSRID(ST_MakePoint(80.257, 41.161), 4490) WHERE address = '西楼 1号';
SELECT b.address, b.grid_code, array_agg(DISTINCT p.grid_code) AS household_grids
  FROM building b JOIN household_placed p USING (building_id) GROUP BY b.address, b.grid_code ORDER BY b.address;
-- A building moved to another community takes its households along.
UPDATE building SET community = '652901001002', location = ST_SetSRID(ST_MakePoint(80.265, 41.163), 4490) WHERE address = '东楼 2号';
SELECT b.address, array_agg(DISTINCT h.community) AS household_communities
  FROM building b JOIN household h USING (building_id) GROUP BY b.address ORDER BY b.address;
UPDATE building SET community = '652901001001', location = ST_SetSRID(ST_MakePoint(80.258, 41.165), 4490) WHERE address = '东楼 2号';

-- Residents: identity numbers checked; key population needs a reason.
INSERT INTO resident (household_id, id_number, name, key_population, key_reason, floating)
SELECT min(household_id), '652901198001010011', '艾力', false, NULL, false FROM household;
INSERT INTO resident (household_id, id_number, name, key_population, key_reason)
SELECT min(household_id), '11010519491231002X', '王芳', true, '社区矫正' FROM household;
SELECT name, idcard_mask(id_number) AS id_masked, idcard_sex(id_number) AS sex,
       idcard_birth_date(id_number) AS born, key_population, key_reason
  FROM resident ORDER BY resident_id;
SELECT idcard_make('652901', '1990-05-17', 123) AS made, idcard_make('652901', '1990-05-17', 124) AS made_female;

-- Bad input: each refused, nothing written.
INSERT INTO building (community, address, households, location)
  VALUES ('652901001001', '负数楼', -1, ST_SetSRID(ST_MakePoint(80.252, 41.165), 4490));
INSERT INTO building (community, address, households, location)
  VALUES ('652901001', '街道不是社区', 1, ST_SetSRID(ST_MakePoint(80.252, 41.165), 4490));
INSERT INTO building (community, address, households, location)
  VALUES ('652901001001', '坐标系错', 1, ST_SetSRID(ST_MakePoint(80.252, 41.165), 4326));
INSERT INTO building (community, address, households, location)
  VALUES ('652901001001', '空点', 1, ST_GeomFromText('POINT EMPTY', 4490));
INSERT INTO household (building_id) VALUES (999999);
INSERT INTO household (building_id, registration) SELECT min(building_id), 'tourist' FROM building;
INSERT INTO resident (household_id, id_number, name) SELECT min(household_id), '652901198001010012', '坏号' FROM household;
INSERT INTO resident (household_id, id_number, name) SELECT min(household_id), '652901198001010011', '重复' FROM household;
INSERT INTO resident (household_id, name, key_population) SELECT min(household_id), '无原因', true FROM household;
SELECT idcard_make('652901001', '1990-05-17', 1);
SELECT idcard_make('652901', '1990-05-17', 1000);
SELECT idcard_make('652901', current_date + 1, 1);
-- a multi-row insert with one bad row leaves nothing
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '好楼', 5, ST_SetSRID(ST_MakePoint(80.251, 41.161), 4490)),
  ('652901001001', '坏楼', -5, ST_SetSRID(ST_MakePoint(80.251, 41.162), 4490));
SELECT count(*) AS buildings, (SELECT count(*) FROM household) AS households, (SELECT count(*) FROM resident) AS residents FROM building;

-- Leave the database as the next test expects it.
DELETE FROM resident; DELETE FROM household; DELETE FROM building;
ALTER TABLE grid DISABLE TRIGGER grid_no_delete; DELETE FROM grid; ALTER TABLE grid ENABLE TRIGGER grid_no_delete;
DELETE FROM division;
