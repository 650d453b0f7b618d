-- People in posts (R7.3, R7.4) and household visits (R12.2): grid leaders
-- from the grid's own community, A and B different people and never absent
-- together, B holding the post while A is absent, visits and their reports.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE post_post_id_seq RESTART;
ALTER SEQUENCE absence_absence_id_seq RESTART;
ALTER SEQUENCE household_visit_visit_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道');
INSERT INTO division (code, name, boundary) VALUES
  ('652901001001', '前进社区', ST_Multi(ST_GeomFromText('POLYGON((80.250 41.160, 80.260 41.160, 80.260 41.170, 80.250 41.170, 80.250 41.160))', 4490))),
  ('652901001002', '友谊社区', ST_Multi(ST_GeomFromText('POLYGON((80.260 41.160, 80.270 41.160, 80.270 41.170, 80.260 41.170, 80.260 41.160))', 4490)));
-- 前进 has two grids (west, east), 友谊 one.
INSERT INTO grid (grid_code, community, boundary, valid_from) VALUES
  (652901001001001, '652901001001', ST_GeomFromText('POLYGON((80.250 41.160, 80.255 41.160, 80.255 41.170, 80.250 41.170, 80.250 41.160))', 4490), '2020-01-01'),
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.170, 80.255 41.160))', 4490), '2020-01-01'),
  (652901001002001, '652901001002', ST_GeomFromText('POLYGON((80.260 41.160, 80.270 41.160, 80.270 41.170, 80.260 41.170, 80.260 41.160))', 4490), '2020-01-01');
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '西1号楼', 2, ST_SetSRID(ST_MakePoint(80.252, 41.165), 4490)),
  ('652901001001', '东1号楼', 2, ST_SetSRID(ST_MakePoint(80.258, 41.165), 4490)),
  ('652901001002', '友1号楼', 1, ST_SetSRID(ST_MakePoint(80.265, 41.165), 4490));
INSERT INTO household (building_id) SELECT building_id FROM building, generate_series(1, households) ORDER BY building_id;
-- household 1 (west) and 5 (友谊) have key population (R12.1)
INSERT INTO resident (household_id, name, key_population, key_reason)
SELECT household_id, '居民' || household_id, household_id IN (1, 5), CASE WHEN household_id IN (1, 5) THEN '社区矫正' END
  FROM household;
SELECT b.address, b.grid_code, count(h.household_id) AS households
  FROM building b JOIN household h USING (building_id) GROUP BY 1, 2 ORDER BY 2;

-- Staff: 1–4 of 前进, 5 of 友谊; 6 was sent down from the street to 前进 on 2016-03-01.
INSERT INTO staff (name, division) VALUES ('前进甲', '652901001001'), ('前进乙', '652901001001'),
  ('前进丙', '652901001001'), ('前进丁', '652901001001'), ('友谊甲', '652901001002'), ('下沉干部', '652901001');
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (6, '2016-03-01', 'sent_down', '652901001', '652901001001');

-- Every grid needs a leader post (R7.3, R7.4): none yet.
SELECT * FROM grid_without_leader ORDER BY grid_code;

-- Grid leaders: A and B of the grid's community.
INSERT INTO post (office, division, grid_code, principal, backup) VALUES
  ('grid_leader', '652901001001', 652901001001001, 1, 2),
  ('grid_leader', '652901001001', 652901001001002, 3, 6);
SELECT * FROM grid_without_leader ORDER BY grid_code;

-- Bad posts, each refused, nothing written:
-- a grid leader from another community (SD507), as A or as B;
INSERT INTO post (office, division, grid_code, principal, backup) VALUES ('grid_leader', '652901001002', 652901001002001, 1, 5);
INSERT INTO post (office, division, grid_code, principal, backup) VALUES ('grid_leader', '652901001002', 652901001002001, 5, 4);
-- the post filed under another community than its grid's (SD507);
INSERT INTO post (office, division, grid_code, principal, backup) VALUES ('grid_leader', '652901001001', 652901001002001, 1, 2);
-- A equal to B (SD506, R7.3);
INSERT INTO post (office, division, grid_code, principal, backup) VALUES ('grid_leader', '652901001002', 652901001002001, 5, 5);
UPDATE post SET backup = 1 WHERE post_id = 1;
-- a grid leader post without its grid, a second leader post for a grid (constraints).
INSERT INTO post (office, division, principal, backup) VALUES ('grid_leader', '652901001001', 1, 2);
INSERT INTO post (office, division, grid_code, principal, backup) VALUES ('grid_leader', '652901001001', 652901001001001, 3, 4);
SELECT count(*) AS posts FROM post;

-- Absences: A and B of a post are never absent at overlapping times (R7.3).
INSERT INTO absence (staff_id, during, reason) VALUES (1, '[2024-03-04, 2024-03-09)', 'leave');
INSERT INTO absence (staff_id, during, reason) VALUES (2, '[2024-03-08, 2024-03-12)', 'training');   -- overlaps 1: SD508
INSERT INTO absence (staff_id, during, reason) VALUES (2, '[2024-03-09, 2024-03-12)', 'training');   -- adjacent: fine
UPDATE absence SET during = '[2024-03-04, 2024-03-10)' WHERE absence_id = 1;                         -- made to overlap: SD508
-- 4 is in no post: any absence; 6 is B of the east grid: not while 3 is absent.
INSERT INTO absence (staff_id, during, reason) VALUES (4, '[2024-03-01, 2024-04-01)', 'sickness'), (3, '[2024-03-20, 2024-03-22)', 'leave');
INSERT INTO absence (staff_id, during, reason) VALUES (6, '[2024-03-21, 2024-03-23)', 'sickness');
SELECT absence_id, staff_id, during, reason FROM absence ORDER BY absence_id;
-- A post whose A and B already have overlapping absences cannot be created (SD508).
INSERT INTO post (office, division, principal, backup) VALUES ('community_handler', '652901001001', 3, 4);

-- Who holds each post (R7.3): A, or B acting for A while A is absent.
SELECT post_id, grid_code, principal, backup, principal_absent, holder FROM post_holder('2024-03-05') ORDER BY post_id;
SELECT post_id, grid_code, principal, backup, principal_absent, holder FROM post_holder('2024-03-10') ORDER BY post_id;
SELECT post_id, grid_code, principal, backup, principal_absent, holder FROM post_holder('2024-03-21') ORDER BY post_id;

-- Visits 入户走访 (R12.2): by staff of the household's community, never in the future.
INSERT INTO household_visit (household_id, staff_id, visited_on, note) VALUES
  (1, 1, '2024-03-01', '正常'), (3, 3, '2024-03-01', '正常'), (5, 5, '2024-03-01', '正常'),
  (2, 2, '2024-03-02', '正常'),
  (1, 2, '2024-03-05', 'B 代 A 走访'), (5, 5, '2024-03-20', '正常');
-- a sent-down cadre visits 前进 after his move, but not before it (SD510);
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (3, 6, '2016-03-01');
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (3, 6, '2016-02-29');
-- staff of another community (SD510); a visit dated in the future (SD509; its
-- message names the date, so it is shown without it).
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (1, 5, '2024-03-03');
DO $$
BEGIN
  INSERT INTO sdbc.household_visit (household_id, staff_id, visited_on) VALUES (1, 1, CURRENT_DATE + 1);
EXCEPTION WHEN SQLSTATE 'SD509' THEN
  RAISE NOTICE 'SD509: %', replace(SQLERRM, (CURRENT_DATE + 1)::text, 'tomorrow');
END $$;
SELECT count(*) AS visits FROM household_visit;

-- Grids where nobody visited a household on the day (R12.2).
SELECT * FROM grid_not_visited('2024-03-01');
SELECT * FROM grid_not_visited('2024-03-02');
SELECT * FROM grid_not_visited('2024-03-02', '652901001002');
-- Key-population households not visited within policy visit.key_population.max_days (7).
SELECT * FROM key_household_unvisited('2024-03-12');
SELECT * FROM key_household_unvisited('2024-03-13');
-- 友谊 visits them every 3 days at most (R14.1): 5 is overdue by 2024-03-24.
INSERT INTO policy (key, division, valid_from, value) VALUES ('visit.key_population.max_days', '652901001002', '2024-01-01', 3);
SELECT household_id, last_visit, max_days FROM key_household_unvisited('2024-03-24');
-- A household never visited is listed too.
SELECT household_id, last_visit FROM key_household_unvisited('2024-02-29');

-- A grid leader stays in the grid's community (SD507, R7.4): 6, B of the east
-- grid, may not be transferred to 友谊, nor 1, A of the west grid (no moves),
-- corrected to 友谊 directly; once the east post names 7 as B, 6 may go.
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (6, '2024-04-01', 'transfer', '652901001001', '652901001002');
UPDATE staff SET division = '652901001002' WHERE staff_id = 1;
INSERT INTO staff (name, division) VALUES ('前进戊', '652901001001');
UPDATE post SET backup = 7 WHERE post_id = 2;
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (6, '2024-04-01', 'transfer', '652901001001', '652901001002');
SELECT s.staff_id, s.division, p.post_id, p.principal, p.backup
  FROM staff s LEFT JOIN post p ON s.staff_id IN (p.principal, p.backup)
 WHERE s.staff_id IN (1, 6, 7) ORDER BY s.staff_id;

-- A restore (a superuser writing rows with their ids) skips the checks that
-- compare with other tables (SD510 here), never the self-contained ones: a
-- restored visit dated in the future is refused (SD509), a restored post
-- with A equal to B too (SD506).
SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user;
DO $$
BEGIN
  INSERT INTO sdbc.household_visit (visit_id, household_id, staff_id, visited_on) OVERRIDING SYSTEM VALUE
    VALUES (1000, 1, 1, CURRENT_DATE + 1);
EXCEPTION WHEN SQLSTATE 'SD509' THEN
  RAISE NOTICE 'SD509: %', replace(SQLERRM, (CURRENT_DATE + 1)::text, 'tomorrow');
END $$;
INSERT INTO post (post_id, office, division, principal, backup) OVERRIDING SYSTEM VALUE
  VALUES (1000, 'community_handler', '652901001001', 3, 3);
INSERT INTO household_visit (visit_id, household_id, staff_id, visited_on) OVERRIDING SYSTEM VALUE
  VALUES (1001, 1, 5, '2024-03-03');
SELECT visit_id, household_id, staff_id, visited_on FROM household_visit WHERE visit_id >= 1000;
DELETE FROM household_visit WHERE visit_id = 1001;

-- The SQLSTATEs, as an application catches them.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT what, pg_temp.sqlstate_of(stmt) AS sqlstate FROM (VALUES
  (1, 'A equal to B',                 $$INSERT INTO sdbc.post (office, division, principal, backup) VALUES ('community_handler', '652901001001', 1, 1)$$),
  (2, 'leader of another community',  $$INSERT INTO sdbc.post (office, division, grid_code, principal, backup) VALUES ('grid_leader', '652901001002', 652901001002001, 1, 5)$$),
  (3, 'A and B absent together',      $$INSERT INTO sdbc.absence (staff_id, during, reason) VALUES (2, '[2024-03-05, 2024-03-06)', 'leave')$$),
  (4, 'visit dated in the future',    $$INSERT INTO sdbc.household_visit (household_id, staff_id, visited_on) VALUES (1, 1, CURRENT_DATE + 1)$$),
  (5, 'visit by another community',   $$INSERT INTO sdbc.household_visit (household_id, staff_id, visited_on) VALUES (1, 5, '2024-03-03')$$)
) v(n, what, stmt) ORDER BY n;

-- Leave the database as the next test expects it.
DELETE FROM household_visit; DELETE FROM absence; DELETE FROM post; DELETE FROM staff_absence_lock;
ALTER TABLE staff_move DISABLE TRIGGER staff_move_insert_only;
DELETE FROM staff_move;
ALTER TABLE staff_move ENABLE TRIGGER staff_move_insert_only;
DELETE FROM staff;
DELETE FROM resident; DELETE FROM household; DELETE FROM building;
ALTER TABLE grid DISABLE TRIGGER grid_no_delete; DELETE FROM grid; ALTER TABLE grid ENABLE TRIGGER grid_no_delete;
DELETE FROM grid_write_lock;
DELETE FROM policy WHERE NOT builtin;
DELETE FROM division;
