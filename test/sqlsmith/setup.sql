-- test/sqlsmith/setup.sql — the database SQLsmith runs against (test/run.sh,
-- phase sqlsmith; issue 13 §1: no statement crashes the server).  Small, so
-- that it loads in seconds: the Aksu division tree (test/data), a community
-- with a boundary and a grid, staff in offices, accounts with money,
-- expenses with their cases and decisions, a building, households and
-- residents; and the hostile login sdbc_smith_staff (a community handler,
-- mapped to one staff member) that the second run connects as.
-- Run with psql from the top of the tree, as a superuser, in the new database.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sdbc CASCADE;
\set csv test/data/aksu_divisions.csv
\ir ../data/load_divisions.sql
SET search_path = sdbc, public;
UPDATE division SET boundary = ST_Multi(ST_GeomFromText('POLYGON((80.250 41.160, 80.260 41.160, 80.260 41.170, 80.250 41.170, 80.250 41.160))', 4490))
 WHERE code OPERATOR(sdbc.=) '652901001001';
INSERT INTO grid (grid_code, community, boundary, valid_from) VALUES
  (652901001001001, '652901001001', ST_GeomFromText('POLYGON((80.250 41.160, 80.255 41.160, 80.255 41.170, 80.250 41.170, 80.250 41.160))', 4490), '2020-01-01'),
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.170, 80.255 41.160))', 4490), '2020-01-01');
INSERT INTO building (community, address, households, location)
  SELECT '652901001001', i || '号楼', 3, ST_SetSRID(ST_MakePoint(80.251 + i * 0.002, 41.165), 4490) FROM generate_series(1, 4) i;
INSERT INTO household (building_id) SELECT building_id FROM building, generate_series(1, 3) ORDER BY building_id;
INSERT INTO resident (household_id, id_number, name)
  SELECT household_id, idcard_make('652901', date '1960-01-01' + household_id::int * 97, household_id::int), '居民' || household_id
    FROM household;
INSERT INTO staff (name, division) VALUES
  ('经办甲', '652901001001'), ('经办乙', '652901001001'), ('经办丙', '652901001001'),
  ('财务丁', '652901001001'), ('街财戊', '652901001'), ('党工委己', '652901001'), ('外人', '652901001003');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
  (5, 'street_finance_office', '652901001', '2020-01-01'), (6, 'street_party_committee', '652901001', '2020-01-01'),
  (7, 'community_handler', '652901001003', '2020-01-01');
INSERT INTO account (community, kind, purpose, name) VALUES
  ('652901001001', 'working', NULL, '工作经费'), ('652901001001', 'earmarked', '老年食堂', '老年食堂专项'),
  ('652901001003', 'working', NULL, '友谊工作经费');
SELECT credit(1, 60000, '拨款'), credit(2, 500, '专项'), credit(3, 1000, '拨款');
SELECT submit_expense(1, '办公', '文具店', 4000, 1), submit_expense(1, '宣传', '印刷厂', 300, 2),
       submit_expense(2, '老年食堂', '菜场', 200, 1), submit_expense(1, '维修', '工程队', 12000, 3);
SELECT sign(1, 2), sign(1, 3);
SELECT decide((SELECT case_id FROM expense WHERE expense_id = 2), 3, 'send_back', '缺单据', 0);

-- The hostile login: a community handler of 前进 who is 经办丙 (3).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sdbc_smith_staff') THEN
    CREATE ROLE sdbc_smith_staff LOGIN IN ROLE sdbc_community_staff;
  END IF;
END $$;
INSERT INTO role_division (role_name, division, office) VALUES ('sdbc_smith_staff', '652901001001', NULL);
INSERT INTO role_staff (role_name, staff_id) VALUES ('sdbc_smith_staff', 3);
ANALYZE;
