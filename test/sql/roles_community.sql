-- Who sees and changes the rest of a community's data (issue 8, second
-- part, sql/security/community_rls.sql): grids and their history, squads, drills,
-- joint defence, party organisation, evaluation scores and ratings,
-- allocations, platforms, premises, themes, activities, street offices; and
-- the caller-rights views of sdbc_scoped.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE grid_incident_incident_id_seq RESTART;
ALTER SEQUENCE joint_defence_group_group_id_seq RESTART;
ALTER SEQUENCE joint_defence_shop_shop_id_seq RESTART;
ALTER SEQUENCE party_committee_committee_id_seq RESTART;
ALTER SEQUENCE party_branch_branch_id_seq RESTART;
ALTER SEQUENCE party_group_group_id_seq RESTART;
ALTER SEQUENCE premises_premises_id_seq RESTART;
ALTER SEQUENCE drill_drill_id_seq RESTART;
ALTER SEQUENCE activity_activity_id_seq RESTART;
ALTER SEQUENCE street_office_street_office_id_seq RESTART;
ALTER SEQUENCE task_assignment_assignment_id_seq RESTART;

-- The tables under row-level security now, with their policies.
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
       string_agg(p.polname || ':' || p.polcmd::text, ' ' ORDER BY p.polname) AS policies
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc'
  LEFT JOIN pg_policy p ON p.polrelid = c.oid
 WHERE c.relkind = 'r' AND c.relname IN ('grid', 'grid_class_history', 'grid_incident', 'grid_draw_report',
         'squad_member', 'drill', 'joint_defence_group', 'joint_defence_shop', 'party_committee',
         'party_member_unit', 'party_branch', 'party_group', 'community_score', 'street_score',
         'department_rating', 'street_allocation', 'community_allocation', 'community_platform',
         'premises', 'premises_room', 'monthly_theme', 'activity', 'street_office')
 GROUP BY 1, 2, 3 ORDER BY 1;
-- Tables of sdbc with a division (or hanging off one) still without
-- row-level security: reference data, policy and the internal lock rows
-- (docs/security.md says why).
SELECT c.relname AS without_rls
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc'
 WHERE c.relkind = 'r' AND NOT c.relrowsecurity
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND (a.atttypid = 'sdbc.divcode'::regtype
                       OR a.attname IN ('grid_code', 'building_id', 'household_id', 'staff_id', 'committee_id',
                                        'branch_id', 'group_id', 'premises_id', 'account_id', 'case_id')))
 ORDER BY 1;

-- Two streets of 阿克苏市: 兰干 (前进 001, 友谊 002, 团结 003 without data)
-- and 新城 (新城社区 001).  Every community with data has a grid, a
-- building, staff, a squad, a drill, a joint-defence group with a shop, a
-- party committee with a member unit, branch and group, scores, a rating,
-- allocations, a platform, premises, a theme and an activity.
INSERT INTO division (code, name, boundary) VALUES
  ('65', '新疆', NULL), ('6529', '阿克苏地区', NULL), ('652901', '阿克苏市', NULL),
  ('652901001', '兰干街道', NULL), ('652901002', '新城街道', NULL),
  ('652901001001', '前进社区', ST_Multi(ST_MakeEnvelope(80.20, 41.15, 80.22, 41.17, 4490))),
  ('652901001002', '友谊社区', ST_Multi(ST_MakeEnvelope(80.22, 41.15, 80.24, 41.17, 4490))),
  ('652901001003', '团结社区', NULL),
  ('652901002001', '新城社区', ST_Multi(ST_MakeEnvelope(80.24, 41.15, 80.26, 41.17, 4490)));
INSERT INTO grid (grid_code, community, name, boundary) VALUES
  (652901001001001, '652901001001', '前进一网格', ST_MakeEnvelope(80.200, 41.15, 80.210, 41.17, 4490)),
  (652901001001002, '652901001001', '前进二网格', ST_MakeEnvelope(80.210, 41.15, 80.215, 41.17, 4490)),
  (652901001002001, '652901001002', '友谊一网格', ST_MakeEnvelope(80.22, 41.15, 80.24, 41.17, 4490)),
  (652901002001001, '652901002001', '新城一网格', ST_MakeEnvelope(80.24, 41.15, 80.26, 41.17, 4490));
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路1号', 1, ST_SetSRID(ST_MakePoint(80.205, 41.16), 4490)),
  ('652901001001', '前进路2号', 1, ST_SetSRID(ST_MakePoint(80.206, 41.16), 4490)),
  ('652901001002', '友谊路1号', 1, ST_SetSRID(ST_MakePoint(80.23, 41.16), 4490)),
  ('652901002001', '新城路1号', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490));
INSERT INTO household (building_id) VALUES (1), (3), (4);
INSERT INTO staff (name, division) VALUES ('前进甲', '652901001001'), ('友谊乙', '652901001002'),
  ('新城丙', '652901002001'), ('兰干丁', '652901001');
INSERT INTO grid_class_history (grid_code, from_class, to_class, indicators)
  SELECT grid_code, NULL, 'routine', '{}' FROM grid;
INSERT INTO grid_incident (grid_code, reported_on, kind)
  SELECT grid_code, '2024-03-01', 'dispute' FROM grid;
INSERT INTO grid_draw_report (community, buildings, households, grids, in_bounds, pieces, codes_kept, reasons)
  SELECT DISTINCT community, 1, 1, 1, 0, 0, 0, '{community_below_min}'::text[] FROM grid;
INSERT INTO squad_member (community, name, staff_id, joined_on) VALUES
  ('652901001001', '前进甲', 1, '2024-01-01'), ('652901001001', '保安甲', NULL, '2024-01-01'),
  ('652901001002', '友谊乙', 2, '2024-01-01'), ('652901002001', '新城丙', 3, '2024-01-01');
INSERT INTO drill (community, held_on, kind, participants) VALUES
  ('652901001001', '2024-03-05', 'fire', 10), ('652901001002', '2024-03-05', 'fire', 8),
  ('652901002001', '2024-03-05', 'fire', 9);
INSERT INTO joint_defence_group (community, name) VALUES
  ('652901001001', '前进路联防组'), ('652901001002', '友谊路联防组'), ('652901002001', '新城路联防组'),
  ('652901001001', '前进空组');
INSERT INTO joint_defence_shop (group_id, name, building_id) VALUES
  (1, '前进商店', 1), (2, '友谊商店', 3), (3, '新城商店', 4);
INSERT INTO party_committee (community, name) VALUES
  ('652901001001', '前进社区大党委'), ('652901001002', '友谊社区大党委'), ('652901002001', '新城社区大党委');
INSERT INTO party_member_unit (committee_id, unit_name) VALUES (1, '第一小学'), (2, '人民医院'), (3, '新城中学');
INSERT INTO party_branch (committee_id, grid_code, name) VALUES
  (1, 652901001001001, '前进一网格党支部'), (2, 652901001002001, '友谊一网格党支部'), (3, 652901002001001, '新城一网格党支部');
INSERT INTO party_group (branch_id, building_id, name) VALUES (1, 1, '前进1号楼党小组'), (2, 3, '友谊1号楼党小组'), (3, 4, '新城1号楼党小组');
INSERT INTO evaluation_period (period_code, kind, starts_on, ends_on, name_zh) VALUES
  ('rc2024', 'year_end', '2024-01-01', '2024-12-31', '2024年度'), ('rc2024h1', 'routine', '2024-01-01', '2024-06-30', '2024上半年'),
  ('rc2023', 'year_end', '2023-01-01', '2023-12-31', '2023年度');
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership) VALUES
  ('rc2024', '652901001001', 90, 80, 85), ('rc2024', '652901001002', 70, 75, 80), ('rc2024', '652901002001', 88, 90, 92);
INSERT INTO street_score (period_code, street, own_score) VALUES ('rc2024', '652901001', 90), ('rc2024', '652901002', 80);
INSERT INTO task_assignment (department, community, task_code, handed_on)
  SELECT o, c::divcode, 'regress_unlisted', '2024-03-01'
    FROM unnest(ARRAY['county_civil_affairs', 'county_organization']) o,
         unnest(ARRAY['652901001001', '652901001002', '652901002001']) c ORDER BY 1, 2;
INSERT INTO department_rating (period_code, community, department, rating) VALUES
  ('rc2024', '652901001001', 'county_civil_affairs', 60), ('rc2024', '652901001002', 'county_civil_affairs', 70),
  ('rc2024', '652901002001', 'county_civil_affairs', 80);
INSERT INTO street_allocation (street, year, amount) VALUES ('652901001', 2024, 1000000), ('652901002', 2024, 800000);
INSERT INTO community_allocation (community, year, fund, amount) VALUES
  ('652901001001', 2024, 'working', 120000), ('652901001002', 2024, 'working', 100000),
  ('652901002001', 2024, 'working', 150000);
INSERT INTO community_platform (community, since, cost) VALUES
  ('652901001001', '2016-01-01', 50000), ('652901001002', '2017-01-01', 40000), ('652901002001', '2018-01-01', 60000);
INSERT INTO premises (community, area_m2) VALUES ('652901001001', 1200), ('652901001002', 900), ('652901002001', 1100),
  ('652901001001', 80);
INSERT INTO premises_room (premises_id, room_kind) VALUES (1, 'service_hall'), (2, 'service_hall'), (3, 'service_hall');
INSERT INTO monthly_theme (community, month, theme) VALUES
  ('652901001001', '2024-03-01', '学雷锋'), ('652901001002', '2024-03-01', '学雷锋'), ('652901002001', '2024-03-01', '学雷锋');
INSERT INTO activity (community, held_on, title) VALUES
  ('652901001001', '2024-03-05', '义诊'), ('652901001002', '2024-03-05', '义诊'), ('652901002001', '2024-03-05', '义诊');
INSERT INTO street_office (street, name, general) VALUES ('652901001', '综合办', true), ('652901002', '综合办', true);

-- Login roles, each tied to what it serves.
CREATE ROLE regress_rc_qianjin LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_rc_youyi LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_rc_langan LOGIN IN ROLE sdbc_street_office;
CREATE ROLE regress_rc_xincheng LOGIN IN ROLE sdbc_street_office;
CREATE ROLE regress_rc_org LOGIN IN ROLE sdbc_county_department;
CREATE ROLE regress_rc_civil LOGIN IN ROLE sdbc_county_department;
CREATE ROLE regress_rc_aksu LOGIN IN ROLE sdbc_prefecture_admin;
INSERT INTO role_division (role_name, division, office) VALUES
  ('regress_rc_qianjin', '652901001001', NULL), ('regress_rc_youyi', '652901001002', NULL),
  ('regress_rc_langan', '652901001', NULL), ('regress_rc_xincheng', '652901002', NULL),
  ('regress_rc_org', '652901', 'county_organization'), ('regress_rc_civil', '652901', 'county_civil_affairs'),
  ('regress_rc_aksu', '6529', NULL);

-- The role matrix.  Every write runs in a subtransaction that is rolled
-- back, so the data stay the same for every role.  A cell is
-- seen(of 前进)/insert/update/delete: rows seen in all (of them, 前进's —
-- for the street tables street_score, street_allocation and street_office,
-- 兰干's); ok, rls (row-level security refused the new row), - (no
-- privilege) or the SQLSTATE of a rule; rows updated / deleted.  Writes aim
-- at 前进's rows (兰干's for the street tables).
CREATE TABLE public.regress_ops (tbl text PRIMARY KEY, mine text, ins text, upd text, del text);
INSERT INTO public.regress_ops VALUES
  ('grid', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.grid (grid_code, community, name, boundary) VALUES (652901001001003, '652901001001', '前进三网格', ST_MakeEnvelope(80.215, 41.15, 80.22, 41.17, 4490))$$,
   $$UPDATE sdbc.grid SET name = name || '*' WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.grid WHERE grid_code = 652901001001002$$),
  ('grid_class_history', $$grid_code / 1000 = 652901001001$$,
   $$INSERT INTO sdbc.grid_class_history (grid_code, from_class, to_class, indicators) VALUES (652901001001001, 'routine', 'key_attention', '{}')$$,
   $$UPDATE sdbc.grid_class_history SET indicators = '{"x": 1}' WHERE grid_code = 652901001001001$$,
   $$DELETE FROM sdbc.grid_class_history WHERE grid_code = 652901001001001$$),
  ('grid_incident', $$grid_code / 1000 = 652901001001$$,
   $$INSERT INTO sdbc.grid_incident (grid_code, reported_on, kind) VALUES (652901001001001, '2024-03-02', 'safety')$$,
   $$UPDATE sdbc.grid_incident SET note = '已调解' WHERE grid_code = 652901001001001$$,
   $$DELETE FROM sdbc.grid_incident WHERE grid_code = 652901001001001$$),
  ('grid_draw_report', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.grid_draw_report (community, buildings, households, grids, in_bounds, pieces, codes_kept, reasons) VALUES ('652901001001', 2, 1, 2, 0, 0, 1, '{}')$$,
   $$UPDATE sdbc.grid_draw_report SET reasons = '{}' WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.grid_draw_report WHERE community = '652901001001'$$),
  ('squad_member', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.squad_member (community, name, joined_on) VALUES ('652901001001', '民兵甲', '2024-02-01')$$,
   $$UPDATE sdbc.squad_member SET role = 'leader' WHERE community = '652901001001' AND name = '保安甲'$$,
   $$DELETE FROM sdbc.squad_member WHERE community = '652901001001' AND name = '保安甲'$$),
  ('drill', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.drill (community, held_on, kind, participants) VALUES ('652901001001', '2024-04-05', 'riot', 12)$$,
   $$UPDATE sdbc.drill SET participants = 11 WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.drill WHERE community = '652901001001'$$),
  ('joint_defence_group', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.joint_defence_group (community, name) VALUES ('652901001001', '前进二路联防组')$$,
   $$UPDATE sdbc.joint_defence_group SET name = name || '*' WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.joint_defence_group WHERE name = '前进空组'$$),
  ('joint_defence_shop', $$group_id IN (1, 4)$$,
   $$INSERT INTO sdbc.joint_defence_shop (group_id, name, building_id) VALUES (1, '前进饭店', 2)$$,
   $$UPDATE sdbc.joint_defence_shop SET address = '前进路1号' WHERE group_id = 1$$,
   $$DELETE FROM sdbc.joint_defence_shop WHERE group_id = 1$$),
  ('party_committee', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.party_committee (community, name) VALUES ('652901001003', '团结社区大党委')$$,
   $$UPDATE sdbc.party_committee SET founded_on = '2015-07-01' WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.party_committee WHERE community = '652901001001'$$),
  ('party_member_unit', $$committee_id = 1$$,
   $$INSERT INTO sdbc.party_member_unit (committee_id, unit_name) VALUES (1, '供电所')$$,
   $$UPDATE sdbc.party_member_unit SET unit_name = '第一小学(本部)' WHERE committee_id = 1$$,
   $$DELETE FROM sdbc.party_member_unit WHERE committee_id = 1$$),
  ('party_branch', $$committee_id = 1$$,
   $$INSERT INTO sdbc.party_branch (committee_id, grid_code, name) VALUES (1, 652901001001002, '前进二网格党支部')$$,
   $$UPDATE sdbc.party_branch SET name = name || '*' WHERE committee_id = 1$$,
   $$DELETE FROM sdbc.party_branch WHERE committee_id = 1$$),
  ('party_group', $$branch_id = 1$$,
   $$INSERT INTO sdbc.party_group (branch_id, building_id, name) VALUES (1, 2, '前进2号楼党小组')$$,
   $$UPDATE sdbc.party_group SET name = name || '*' WHERE branch_id = 1$$,
   $$DELETE FROM sdbc.party_group WHERE branch_id = 1$$),
  ('community_score', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.community_score (period_code, community, indicator, satisfaction, leadership) VALUES ('rc2024h1', '652901001001', 85, 85, 85)$$,
   $$UPDATE sdbc.community_score SET merit = 2 WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.community_score WHERE community = '652901001001'$$),
  ('street_score', $$street = '652901001'$$,
   $$INSERT INTO sdbc.street_score (period_code, street, own_score) VALUES ('rc2023', '652901001', 85)$$,
   $$UPDATE sdbc.street_score SET own_score = 95 WHERE street = '652901001'$$,
   $$DELETE FROM sdbc.street_score WHERE street = '652901001'$$),
  ('department_rating', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.department_rating (period_code, community, department, rating) VALUES ('rc2024', '652901001001', 'county_organization', 75)$$,
   $$UPDATE sdbc.department_rating SET rating = 65 WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.department_rating WHERE community = '652901001001'$$),
  ('street_allocation', $$street = '652901001'$$,
   $$INSERT INTO sdbc.street_allocation (street, year, amount) VALUES ('652901001', 2023, 900000)$$,
   $$UPDATE sdbc.street_allocation SET amount = 1100000 WHERE street = '652901001'$$,
   $$DELETE FROM sdbc.street_allocation WHERE street = '652901001'$$),
  ('community_allocation', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.community_allocation (community, year, fund, amount) VALUES ('652901001001', 2024, 'service', 200000)$$,
   $$UPDATE sdbc.community_allocation SET amount = 130000 WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.community_allocation WHERE community = '652901001001'$$),
  ('community_platform', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.community_platform (community, since, cost) VALUES ('652901001003', '2024-01-01', 30000)$$,
   $$UPDATE sdbc.community_platform SET cost = 55000 WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.community_platform WHERE community = '652901001001'$$),
  ('premises', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.premises (community, area_m2) VALUES ('652901001001', 300)$$,
   $$UPDATE sdbc.premises SET built_on = '2016-06-01' WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.premises WHERE premises_id = 4$$),
  ('premises_room', $$premises_id IN (1, 4)$$,
   $$INSERT INTO sdbc.premises_room (premises_id, room_kind) VALUES (1, 'library')$$,
   $$UPDATE sdbc.premises_room SET room_kind = 'clinic' WHERE premises_id = 1$$,
   $$DELETE FROM sdbc.premises_room WHERE premises_id = 1$$),
  ('monthly_theme', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.monthly_theme (community, month, theme) VALUES ('652901001001', '2024-04-01', '植树')$$,
   $$UPDATE sdbc.monthly_theme SET theme = '学雷锋月' WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.monthly_theme WHERE community = '652901001001'$$),
  ('activity', $$community = '652901001001'$$,
   $$INSERT INTO sdbc.activity (community, held_on, title, participants) VALUES ('652901001001', '2024-03-12', '植树', 30)$$,
   $$UPDATE sdbc.activity SET participants = 40 WHERE community = '652901001001'$$,
   $$DELETE FROM sdbc.activity WHERE community = '652901001001'$$),
  ('street_office', $$street = '652901001'$$,
   $$INSERT INTO sdbc.street_office (street, name) VALUES ('652901001', '财务办')$$,
   $$UPDATE sdbc.street_office SET general = general WHERE street = '652901001'$$,
   $$DELETE FROM sdbc.street_office WHERE street = '652901001'$$);
CREATE TABLE public.regress_matrix (who text, tbl text, cell text);
GRANT SELECT ON public.regress_ops TO PUBLIC;
GRANT INSERT ON public.regress_matrix TO PUBLIC;
-- Run a statement in a subtransaction, undo it, and say how it went.
CREATE FUNCTION public.regress_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint; result text; m text[];
BEGIN
  BEGIN
    -- staff delete through sdbc.delete_rows (issue 13 section 5: no staff
    -- role holds DELETE, which would let it lock the table)
    m := regexp_match(stmt, '^DELETE FROM (sdbc\.\w+) WHERE (.*)$');
    IF m IS NOT NULL THEN
      EXECUTE 'SELECT sdbc.delete_rows($1::regclass, $2)' INTO n USING m[1], m[2];
    ELSE
      EXECUTE stmt;
      GET DIAGNOSTICS n = ROW_COUNT;
    END IF;
    result := CASE WHEN stmt LIKE 'INSERT%' THEN 'ok' ELSE n::text END;
    RAISE EXCEPTION USING ERRCODE = 'SDZ99', MESSAGE = 'undo';
  EXCEPTION WHEN OTHERS THEN
    IF SQLSTATE = 'SDZ99' THEN RETURN result; END IF;
    IF SQLSTATE = '42501' AND SQLERRM LIKE '%row-level security%' THEN RETURN 'rls'; END IF;
    IF SQLSTATE = '42501' THEN RETURN '-'; END IF;
    RETURN SQLSTATE;
  END;
END $$;
CREATE FUNCTION public.regress_row(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE o record; n text; m text;
BEGIN
  FOR o IN SELECT * FROM public.regress_ops LOOP
    BEGIN
      EXECUTE format('SELECT count(*), count(*) FILTER (WHERE %s) FROM sdbc.%I', o.mine, o.tbl) INTO n, m;
      n := format('%s(%s)', n, m);
    EXCEPTION WHEN insufficient_privilege THEN n := '-';
    END;
    INSERT INTO public.regress_matrix VALUES (who, o.tbl,
      concat_ws('/', n, public.regress_try(o.ins), public.regress_try(o.upd), public.regress_try(o.del)));
  END LOOP;
END $$;
SET ROLE regress_rc_qianjin;   SELECT public.regress_row('前进');
SET ROLE regress_rc_youyi;     SELECT public.regress_row('友谊');
SET ROLE regress_rc_langan;    SELECT public.regress_row('兰干');
SET ROLE regress_rc_xincheng;  SELECT public.regress_row('新城');
SET ROLE regress_rc_org;       SELECT public.regress_row('组织部');
SET ROLE regress_rc_civil;     SELECT public.regress_row('民政');
SET ROLE regress_rc_aksu;      SELECT public.regress_row('地区');
SET ROLE sdbc_reader;          SELECT public.regress_row('BI');
RESET ROLE;
SELECT tbl AS "table",
       max(cell) FILTER (WHERE who = '前进') AS "前进 community",
       max(cell) FILTER (WHERE who = '友谊') AS "友谊 community",
       max(cell) FILTER (WHERE who = '兰干') AS "兰干 street",
       max(cell) FILTER (WHERE who = '新城') AS "新城 street",
       max(cell) FILTER (WHERE who = '组织部') AS "county org. dept",
       max(cell) FILTER (WHERE who = '民政') AS "county civil aff.",
       max(cell) FILTER (WHERE who = '地区') AS "prefecture",
       max(cell) FILTER (WHERE who = 'BI') AS "BI reader"
  FROM public.regress_matrix GROUP BY tbl ORDER BY tbl;

-- Across communities and streets, one write per family, with the error a
-- login gets: 友谊 moves its own rows into 前进, points its rows at 前进's
-- grid, building or staff; 兰干 writes into 新城.
SET ROLE regress_rc_youyi;
UPDATE drill SET community = '652901001001' WHERE community = '652901001002';            -- safety
UPDATE activity SET community = '652901001001' WHERE community = '652901001002';         -- activities
INSERT INTO grid_incident (grid_code, reported_on, kind) VALUES (652901001001001, '2024-03-03', 'dispute');   -- grids
INSERT INTO joint_defence_shop (group_id, name, building_id) VALUES (2, '越界商店', 1);  -- own group, 前进's building
INSERT INTO squad_member (community, name, staff_id, joined_on) VALUES ('652901001002', '前进甲', 1, '2024-02-01');   -- 前进's staff
-- (where a trigger reads the related row first, it does not find it and refuses with its own error)
INSERT INTO party_group (branch_id, building_id, name) VALUES (2, 1, '越界党小组');       -- party: SD513
INSERT INTO department_rating (period_code, community, department, rating)
  VALUES ('rc2024', '652901001001', 'county_organization', 10);                          -- evaluation: SD605
SELECT count(*) AS qianjin_rows_seen FROM (
  SELECT community FROM drill UNION ALL SELECT community FROM squad_member UNION ALL SELECT community FROM activity
  UNION ALL SELECT community FROM community_score UNION ALL SELECT community FROM community_allocation
  UNION ALL SELECT community FROM premises UNION ALL SELECT community FROM party_committee) x
 WHERE community = '652901001001';
UPDATE party_member_unit SET unit_name = '改名' WHERE committee_id = 1;   -- 0 rows: not visible
SET ROLE regress_rc_langan;
INSERT INTO street_office (street, name) VALUES ('652901002', '越界办');                    -- a street's own offices
INSERT INTO community_allocation (community, year, fund, amount) VALUES ('652901002001', 2024, 'service', 1);   -- money
UPDATE premises SET community = '652901002001' WHERE premises_id = 1;                       -- facilities
INSERT INTO party_branch (committee_id, grid_code, name) VALUES (1, 652901002001001, '越界支部');   -- 新城's grid
SELECT street, year, amount FROM street_allocation;
SELECT period_code, street, own_score FROM street_score;
-- A street does not score its communities, nor itself (R5.2, R5.4); the community does not score itself.
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership) VALUES ('rc2024h1', '652901001001', 99, 99, 99);
SET ROLE regress_rc_qianjin;
UPDATE community_score SET indicator = 100 WHERE community = '652901001001';
RESET ROLE;

-- Caller-rights views.  Per login, the rows of each view of sdbc_scoped
-- (- : no privilege); the owner sees all (row-level security does not
-- filter it).
CREATE TABLE public.regress_views (who text, view text, cell text);
GRANT INSERT ON public.regress_views TO PUBLIC;
CREATE FUNCTION public.regress_view_row(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v record; n text;
BEGIN
  FOR v IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'sdbc_scoped'::regnamespace ORDER BY 1 LOOP
    BEGIN
      EXECUTE format('SELECT count(*) FROM sdbc_scoped.%I', v.relname) INTO n;
    EXCEPTION WHEN insufficient_privilege THEN n := '-';
    END;
    INSERT INTO public.regress_views VALUES (who, v.relname, n);
  END LOOP;
END $$;
SELECT public.regress_view_row('owner');
SET ROLE regress_rc_qianjin;   SELECT public.regress_view_row('前进');
SET ROLE regress_rc_youyi;     SELECT public.regress_view_row('友谊');
SET ROLE regress_rc_langan;    SELECT public.regress_view_row('兰干');
SET ROLE regress_rc_xincheng;  SELECT public.regress_view_row('新城');
SET ROLE regress_rc_org;       SELECT public.regress_view_row('组织部');
SET ROLE regress_rc_civil;     SELECT public.regress_view_row('民政');
SET ROLE regress_rc_aksu;      SELECT public.regress_view_row('地区');
SET ROLE sdbc_reader;          SELECT public.regress_view_row('BI');
RESET ROLE;
SELECT view AS "sdbc_scoped view",
       max(cell) FILTER (WHERE who = 'owner') AS "owner",
       max(cell) FILTER (WHERE who = '前进') AS "前进",
       max(cell) FILTER (WHERE who = '友谊') AS "友谊",
       max(cell) FILTER (WHERE who = '兰干') AS "兰干",
       max(cell) FILTER (WHERE who = '新城') AS "新城",
       max(cell) FILTER (WHERE who = '组织部') AS "org. dept",
       max(cell) FILTER (WHERE who = '民政') AS "civil aff.",
       max(cell) FILTER (WHERE who = '地区') AS "prefecture",
       max(cell) FILTER (WHERE who = 'BI') AS "BI"
  FROM public.regress_views GROUP BY view ORDER BY view;

-- What a community login reads through them: its own grids, households,
-- evaluation and funds; the street: its communities; the prefecture: all.
SET ROLE regress_rc_qianjin;
SELECT grid_code, community, households, bounds FROM sdbc_scoped.grid_size ORDER BY grid_code;
SELECT community, working_funds, below_minimum FROM sdbc_scoped.community_min_funds ORDER BY community;
-- (ranks are among the rows the caller sees: the county's ranking is in sdbc_report.community_evaluations)
SELECT community, composite, county_rank FROM sdbc_scoped.community_evaluation ORDER BY community;
SELECT community, committee_id, member_units, branches, groups FROM sdbc_scoped.party_by_community;
SELECT community FROM sdbc_scoped.community_coverage_gap;
SELECT count(*) FROM sdbc.grid_size;   -- the owner-rights views of sdbc stay closed to staff
SET ROLE regress_rc_langan;
SELECT community, composite, county_rank FROM sdbc_scoped.community_evaluation ORDER BY community;
SELECT street, communities, communities_scored, community_average, own_score, grade_score, band FROM sdbc_scoped.street_grade;
SELECT street, allocated, passed_on, share, keeps_too_much FROM sdbc_scoped.street_funds_passed_on;
SELECT period_code, department, communities_assigned, communities_rated, average_rating FROM sdbc_scoped.department_evaluation ORDER BY 1, 2;
SET ROLE regress_rc_org;
SELECT community, member_units, branches, groups FROM sdbc_scoped.party_by_community ORDER BY community;
SELECT department, county, tasks FROM sdbc_scoped.task_by_department ORDER BY 1;
SET ROLE regress_rc_aksu;
SELECT street, communities_scored, grade_score, band, county_rank FROM sdbc_scoped.street_grade ORDER BY street;
-- Functions that run as the caller report its jurisdiction only.
SET ROLE regress_rc_qianjin;
SELECT * FROM party_totals();
SELECT community, squad_members, drills, required FROM drill_missed('2024-04-01') ORDER BY community;
SET ROLE regress_rc_aksu;
SELECT * FROM party_totals();
SELECT community, squad_members, drills, required FROM drill_missed('2024-04-01') ORDER BY community;
-- The reporting schema is unchanged for the BI reader: all communities, no
-- personal data; sdbc_scoped is not for it.
SET ROLE sdbc_reader;
SELECT community_code, households, bounds FROM sdbc_report.grid_sizes ORDER BY grid_code;
SELECT community_code, composite, county_rank FROM sdbc_report.community_evaluations ORDER BY community_code;
SELECT community_code, sites, area_m2, meets_norm FROM sdbc_report.premises ORDER BY community_code;
SELECT count(*) FROM sdbc_scoped.grid_size;
RESET ROLE;

-- Every copy is a caller-rights view, reads no owner-rights view of sdbc,
-- and carries the comments of its original.
SELECT count(*) AS copies,
       count(*) FILTER (WHERE c.reloptions @> '{security_invoker=true}') AS caller_rights,
       count(*) FILTER (WHERE obj_description(c.oid, 'pg_class') LIKE 'sdbc.' || c.relname || ' with the caller''s rights%') AS commented
  FROM pg_class c WHERE c.relnamespace = 'sdbc_scoped'::regnamespace;
SELECT DISTINCT v.relname AS copy, r.relname AS reads_owner_rights_view
  FROM pg_class v JOIN pg_rewrite w ON w.ev_class = v.oid
  JOIN pg_depend d ON d.objid = w.oid AND d.classid = 'pg_rewrite'::regclass
  JOIN pg_class r ON r.oid = d.refobjid AND r.relkind = 'v' AND r.relnamespace = 'sdbc'::regnamespace
 WHERE v.relnamespace = 'sdbc_scoped'::regnamespace;
-- The views of sdbc without a copy: public reference data, the masked views
-- and the grid layer for GIS clients (itself caller-rights).
SELECT c.relname AS not_copied FROM pg_class c
 WHERE c.relnamespace = 'sdbc'::regnamespace AND c.relkind = 'v'
   AND NOT EXISTS (SELECT 1 FROM pg_class s WHERE s.relnamespace = 'sdbc_scoped'::regnamespace AND s.relname = c.relname)
 ORDER BY 1;
-- The grid layer (issue 15 §6) shows each login the live grids it sees in
-- sdbc.grid, as the other layers do (- : no privilege, as on sdbc.grid).
CREATE FUNCTION public.regress_layer(who text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE layer text; grids text;
BEGIN
  BEGIN
    SELECT count(*) INTO layer FROM sdbc.grid_layer;
  EXCEPTION WHEN insufficient_privilege THEN layer := '-';
  END;
  BEGIN
    SELECT count(*) INTO grids FROM sdbc.grid WHERE valid_to IS NULL;
  EXCEPTION WHEN insufficient_privilege THEN grids := '-';
  END;
  RETURN format('%s: grid_layer %s, live grids %s', who, layer, grids);
END $$;
SELECT public.regress_layer('owner');
SET ROLE regress_rc_qianjin;   SELECT public.regress_layer('前进');
SET ROLE regress_rc_langan;    SELECT public.regress_layer('兰干');
SET ROLE regress_rc_xincheng;  SELECT public.regress_layer('新城');
SET ROLE regress_rc_civil;     SELECT public.regress_layer('民政');
SET ROLE regress_rc_aksu;      SELECT public.regress_layer('地区');
SET ROLE sdbc_reader;          SELECT public.regress_layer('BI');
RESET ROLE;
DROP FUNCTION public.regress_layer(text);

-- Leave the database as the next test expects it.
DROP FUNCTION public.regress_row(text), public.regress_try(text), public.regress_view_row(text);
DROP TABLE public.regress_ops, public.regress_matrix, public.regress_views;
DELETE FROM role_division WHERE role_name LIKE 'regress\_rc\_%';
DROP OWNED BY regress_rc_qianjin, regress_rc_youyi, regress_rc_langan, regress_rc_xincheng, regress_rc_org, regress_rc_civil, regress_rc_aksu;
DROP ROLE regress_rc_qianjin, regress_rc_youyi, regress_rc_langan, regress_rc_xincheng, regress_rc_org, regress_rc_civil, regress_rc_aksu;
ALTER TABLE grid_class_history DISABLE TRIGGER grid_class_history_insert_only;
DELETE FROM grid_class_history;
ALTER TABLE grid_class_history ENABLE TRIGGER grid_class_history_insert_only;
DELETE FROM street_office; DELETE FROM activity; DELETE FROM monthly_theme; DELETE FROM premises_room; DELETE FROM premises;
DELETE FROM community_platform; DELETE FROM community_allocation; DELETE FROM street_allocation;
DELETE FROM department_rating; DELETE FROM task_assignment; DELETE FROM street_score; DELETE FROM community_score;
DELETE FROM evaluation_period WHERE period_code LIKE 'rc20%';
DELETE FROM party_group; DELETE FROM party_branch; DELETE FROM party_member_unit; DELETE FROM party_committee;
DELETE FROM joint_defence_shop; DELETE FROM joint_defence_group; DELETE FROM drill; DELETE FROM squad_member;
DELETE FROM grid_draw_report; DELETE FROM grid_incident;
DELETE FROM household; DELETE FROM building;
INSERT INTO policy (key, division, valid_from, value) VALUES ('community.national_staff.hard', '652901', '2016-01-01', 0);
DELETE FROM staff; DELETE FROM policy WHERE NOT builtin AND division = '652901';
ALTER TABLE grid DISABLE TRIGGER grid_no_delete;
DELETE FROM grid;
ALTER TABLE grid ENABLE TRIGGER grid_no_delete;
DELETE FROM grid_write_lock;
DELETE FROM division;
SELECT count(*) AS regress_roles_left FROM pg_roles WHERE rolname LIKE 'regress\_rc\_%';
