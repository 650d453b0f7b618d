-- Duty and safety (R8.1, R12.3) and party organisation by area (R6.1):
-- 24-hour duty without gaps, emergency squads and monthly drills,
-- ten-shop joint defence, big committee → grid branch → building group.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE party_committee_committee_id_seq RESTART;
ALTER SEQUENCE party_branch_branch_id_seq RESTART;
ALTER SEQUENCE party_group_group_id_seq RESTART;
ALTER SEQUENCE joint_defence_group_group_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652902', '库车市'), ('652902001', '热斯坦街道');
INSERT INTO division (code, name, boundary) VALUES
  ('652901001001', '前进社区', ST_Multi(ST_GeomFromText('POLYGON((80.250 41.160, 80.260 41.160, 80.260 41.170, 80.250 41.170, 80.250 41.160))', 4490))),
  ('652901001002', '友谊社区', ST_Multi(ST_GeomFromText('POLYGON((80.260 41.160, 80.270 41.160, 80.270 41.170, 80.260 41.170, 80.260 41.160))', 4490))),
  ('652902001001', '团结社区', ST_Multi(ST_GeomFromText('POLYGON((82.960 41.720, 82.970 41.720, 82.970 41.730, 82.960 41.730, 82.960 41.720))', 4490)));
INSERT INTO grid (grid_code, community, boundary, valid_from) VALUES
  (652901001001001, '652901001001', ST_GeomFromText('POLYGON((80.250 41.160, 80.255 41.160, 80.255 41.170, 80.250 41.170, 80.250 41.160))', 4490), '2020-01-01'),
  (652901001001002, '652901001001', ST_GeomFromText('POLYGON((80.255 41.160, 80.260 41.160, 80.260 41.170, 80.255 41.170, 80.255 41.160))', 4490), '2020-01-01'),
  (652901001002001, '652901001002', ST_GeomFromText('POLYGON((80.260 41.160, 80.270 41.160, 80.270 41.170, 80.260 41.170, 80.260 41.160))', 4490), '2020-01-01'),
  (652902001001001, '652902001001', ST_GeomFromText('POLYGON((82.960 41.720, 82.970 41.720, 82.970 41.730, 82.960 41.730, 82.960 41.720))', 4490), '2020-01-01');
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '西1号楼', 10, ST_SetSRID(ST_MakePoint(80.252, 41.165), 4490)),
  ('652901001001', '西2号楼', 10, ST_SetSRID(ST_MakePoint(80.253, 41.166), 4490)),
  ('652901001001', '东1号楼', 10, ST_SetSRID(ST_MakePoint(80.258, 41.165), 4490)),
  ('652901001002', '友1号楼', 10, ST_SetSRID(ST_MakePoint(80.265, 41.165), 4490));
INSERT INTO staff (name, division) VALUES ('前进甲', '652901001001'), ('前进乙', '652901001001'),
  ('前进丙', '652901001001'), ('友谊甲', '652901001002');

-- ------------------------------------------------------------ 24-hour duty (R8.1)
-- Week of Monday 2024-03-04 in 前进: three 8-hour shifts a day, except a gap
-- on Wednesday 02:00–06:00 and Sunday night after 22:00.
INSERT INTO duty_shift (community, staff_id, during, kind)
SELECT '652901001001', 1 + (d * 3 + s) % 3,
       tsrange(timestamp '2024-03-04' + d * interval '1 day' + s * interval '8 hours',
               timestamp '2024-03-04' + d * interval '1 day' + (s + 1) * interval '8 hours'), 'inside'
  FROM generate_series(0, 6) d, generate_series(0, 2) s
 WHERE NOT (d = 2 AND s = 0) AND NOT (d = 6 AND s = 2);
INSERT INTO duty_shift (community, staff_id, during, kind) VALUES
  ('652901001001', 1, '[2024-03-06 00:00, 2024-03-06 02:00)', 'outside'),
  ('652901001001', 2, '[2024-03-06 06:00, 2024-03-06 08:00)', 'outside'),
  ('652901001001', 3, '[2024-03-10 16:00, 2024-03-10 22:00)', 'outside');
SELECT * FROM duty_gaps('652901001001', '2024-03-04');
-- Every community with a live grid is reported, also 友谊 and 团结 with no
-- roster at all: 168 hours uncovered (R8.1).
SELECT * FROM duty_week_report('2024-03-04');
SELECT * FROM duty_week_report('2024-03-04', '652902');
-- Filled: the week is covered; the next week has no roster at all.
INSERT INTO duty_shift (community, staff_id, during) VALUES
  ('652901001001', 2, '[2024-03-06 02:00, 2024-03-06 06:00)'), ('652901001001', 3, '[2024-03-10 22:00, 2024-03-11 00:00)');
SELECT * FROM duty_gaps('652901001001', '2024-03-04');
SELECT * FROM duty_week_report('2024-03-04');
SELECT * FROM duty_gaps('652901001001', '2024-03-11');
-- A shift kept by staff of another community is refused (SD511); an open-ended one by the constraint.
INSERT INTO duty_shift (community, staff_id, during) VALUES ('652901001001', 4, '[2024-03-11 00:00, 2024-03-11 08:00)');
INSERT INTO duty_shift (community, staff_id, during) VALUES ('652901001001', 1, '[2024-03-11 00:00,)');

-- ------------------------------------------------------------ squads and drills (R12.3)
INSERT INTO squad_member (community, name, staff_id, role, joined_on) VALUES
  ('652901001001', '前进甲', 1, 'leader', '2024-01-01'), ('652901001001', '保安王', NULL, 'member', '2024-01-01'),
  ('652901001002', '民兵李', NULL, 'member', '2024-02-15');
INSERT INTO drill (community, held_on, kind, participants) VALUES
  ('652901001001', '2024-01-20', '消防', 12), ('652901001001', '2024-02-18', '处突', 15),
  ('652901001002', '2024-02-25', '消防', 8);
-- January: 友谊 and 团结 missed (团结 has grids but no squad yet); February: 团结 only.
SELECT * FROM drill_missed('2024-01-01');
SELECT * FROM drill_missed('2024-02-10');
SELECT * FROM drill_missed('2024-02-10', '652901');
-- 库车 asks for two drills a month (R14.1).
INSERT INTO policy (key, division, valid_from, value) VALUES ('drill.monthly.min', '652902', '2024-01-01', 2);
INSERT INTO drill (community, held_on, kind, participants) VALUES ('652902001001', '2024-02-05', '消防', 9);
SELECT community, drills, required FROM drill_missed('2024-02-01');
INSERT INTO drill (community, held_on, kind, participants) VALUES ('652901001001', '2024-03-01', '消防', 0);

-- Ten-shop joint defence 十铺联防 (R12.3).
INSERT INTO joint_defence_group (community, name) VALUES ('652901001001', '解放路联防组'), ('652901001001', '新华路联防组');
INSERT INTO joint_defence_shop (group_id, name, building_id)
SELECT 1, '商铺' || i, CASE WHEN i <= 3 THEN 1 END FROM generate_series(1, 10) i;
INSERT INTO joint_defence_shop (group_id, name) SELECT 2, '小店' || i FROM generate_series(1, 6) i;
SELECT * FROM joint_defence_group_size ORDER BY group_id;

-- ------------------------------------------------------------ party organisation (R6.1)
INSERT INTO party_committee (community, name, founded_on) VALUES
  ('652901001001', '前进社区大党委', '2016-05-01'), ('652901001002', '友谊社区大党委', '2016-06-01');
INSERT INTO party_member_unit (committee_id, unit_name) VALUES (1, '第一中学'), (1, '地区医院'), (2, '供电公司');
INSERT INTO party_branch (committee_id, grid_code, name) VALUES
  (1, 652901001001001, '西网格党支部'), (1, 652901001001002, '东网格党支部'), (2, 652901001002001, '友谊网格党支部');
INSERT INTO party_group (branch_id, building_id, name) VALUES (1, 1, '西1号楼党小组'), (1, 2, '西2号楼党小组'),
  (2, 3, '东1号楼党小组');
-- A branch for a grid of another community (SD512); a group for a building of another grid (SD513).
INSERT INTO party_branch (committee_id, grid_code, name) VALUES (1, 652902001001001, '团结网格党支部');
INSERT INTO party_group (branch_id, building_id, name) VALUES (2, 4, '友1号楼党小组');
INSERT INTO party_group (branch_id, building_id, name) VALUES (1, 3, '东1号楼党小组二');
-- a second committee for a community, a committee for a street (constraints).
INSERT INTO party_committee (community, name) VALUES ('652901001001', '前进社区第二党委');
INSERT INTO party_committee (community, name) VALUES ('652901001', '兰干街道党委');
-- A committee with branches keeps its community (SD512): moving it would put
-- 前进's grid branches under 团结; renaming it is fine.
UPDATE party_committee SET community = '652902001001' WHERE committee_id = 1;
UPDATE party_committee SET name = '前进社区大党委(联合)' WHERE committee_id = 1;
SELECT committee_id, community, name FROM party_committee ORDER BY committee_id;
SELECT * FROM party_by_community ORDER BY community;
SELECT * FROM party_totals();
SELECT * FROM party_totals('652902');
SELECT * FROM party_group_misplaced;

-- The SQLSTATEs, as an application catches them.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT what, pg_temp.sqlstate_of(stmt) AS sqlstate FROM (VALUES
  (1, 'duty by another community', $$INSERT INTO sdbc.duty_shift (community, staff_id, during) VALUES ('652901001001', 4, '[2024-03-11 00:00, 2024-03-11 08:00)')$$),
  (2, 'branch of another grid',    $$INSERT INTO sdbc.party_branch (committee_id, grid_code, name) VALUES (1, 652902001001001, 'x')$$),
  (3, 'group outside the grid',    $$INSERT INTO sdbc.party_group (branch_id, building_id, name) VALUES (2, 4, 'x')$$),
  (4, 'committee moved off its branches', $$UPDATE sdbc.party_committee SET community = '652902001001' WHERE committee_id = 2$$)
) v(n, what, stmt) ORDER BY n;

-- Leave the database as the next test expects it.
DELETE FROM party_group; DELETE FROM party_branch; DELETE FROM party_member_unit; DELETE FROM party_committee;
DELETE FROM joint_defence_shop; DELETE FROM joint_defence_group; DELETE FROM drill; DELETE FROM squad_member;
DELETE FROM duty_shift; DELETE FROM staff;
DELETE FROM building;
ALTER TABLE grid DISABLE TRIGGER grid_no_delete; DELETE FROM grid; ALTER TABLE grid ENABLE TRIGGER grid_no_delete;
DELETE FROM grid_write_lock;
DELETE FROM policy WHERE NOT builtin;
DELETE FROM division;
