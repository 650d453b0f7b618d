-- The reporting schema sdbc_report (BI tools): plain types, comments, no
-- personal data, the key figures (R9.1 …), premises (R10.1), activities
-- (R11.1), and the role sdbc_reader that reads it and nothing else.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE premises_premises_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区'),
  ('652901002', '英巴扎街道'), ('652901002001', '英巴扎社区');
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路1号', 3, ST_SetSRID(ST_MakePoint(80.26, 41.17), 4490)),
  ('652901001002', '友谊路1号', 1, ST_SetSRID(ST_MakePoint(80.27, 41.17), 4490));
INSERT INTO household (building_id, community) SELECT 1, '652901001001' FROM generate_series(1, 3);
INSERT INTO household (building_id, community) VALUES (2, '652901001002');
INSERT INTO resident (household_id, name) VALUES (1, '甲'), (1, '乙'), (2, '丙'), (4, '丁');
INSERT INTO staff (name, division, category, sex, education) VALUES
  ('张', '652901001001', 'administrative', 'male', 'bachelor'),
  ('王', '652901001001', 'contract', 'female', 'secondary'),
  ('李', '652901001002', 'institutional', 'female', 'associate'),
  ('赵', '652901002001', 'public_welfare', 'male', 'associate');
INSERT INTO community_platform (community, since, cost) VALUES ('652901001001', '2016-05-01', 52000), ('652901002001', '2017-01-01', 50000);
INSERT INTO premises (community, area_m2) VALUES ('652901001001', 800), ('652901001001', 400), ('652901001002', 900);
INSERT INTO premises_room (premises_id, room_kind) VALUES (1, 'service_hall'), (1, 'library'), (2, 'clinic'), (3, 'service_hall');

-- Every column is of a plain type, and none holds personal data.
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc_report'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE a.atttypid NOT IN ('text'::regtype, 'integer'::regtype, 'bigint'::regtype, 'numeric'::regtype, 'date'::regtype, 'boolean'::regtype)
   AND NOT (a.attname = 'refreshed_at' AND a.atttypid = 'timestamptz'::regtype)
    OR a.attname ~ '(^name$|_name$|id_number|address|payee|^title$)' AND a.attname !~ '^(division|community|street|county)_name$';  -- names of divisions are no personal data
-- Every view and column explains itself, with a Chinese term.
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc_report'
 WHERE obj_description(c.oid, 'pg_class') IS NULL OR obj_description(c.oid, 'pg_class') !~ '[一-龥]';
SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc_report'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE col_description(c.oid, a.attnum) IS NULL OR col_description(c.oid, a.attnum) !~ '[一-龥]';
SELECT count(*) AS report_views FROM pg_views WHERE schemaname = 'sdbc_report';

-- Key figures: a snapshot, empty until sdbc.report_refresh() takes it.
SELECT count(*) AS snapshot_rows FROM sdbc_report.key_figures;
SELECT sdbc.report_refresh() IS NOT NULL AS refreshed;
SELECT count(*) AS snapshot_rows, count(DISTINCT refreshed_at) AS snapshot_times FROM sdbc_report.key_figures;
-- The snapshot equals the live figures.
SELECT count(*) AS differences FROM (
  (SELECT division_code, position, value, share_pct FROM sdbc_report.key_figures
   EXCEPT SELECT division_code, position, value, share_pct FROM sdbc_report.key_figures_live)
  UNION ALL
  (SELECT division_code, position, value, share_pct FROM sdbc_report.key_figures_live
   EXCEPT SELECT division_code, position, value, share_pct FROM sdbc_report.key_figures)) d;
-- Key figures for the prefecture, a county and a street.
SELECT division_code, position, measure, label_zh, value, share_pct FROM sdbc_report.key_figures
 WHERE division_code = '652900000000' ORDER BY position;
SELECT division_code, division_kind, measure, value, share_pct FROM sdbc_report.key_figures
 WHERE division_code IN ('652901000000', '652901001000') AND position IN (1, 2, 3, 4, 5, 6, 17, 18) ORDER BY division_code, position;

-- A change shows at once in key_figures_live, in key_figures after the next
-- refresh, whose refreshed_at is later.
SELECT refreshed_at AS before_refresh FROM sdbc_report.key_figures LIMIT 1 \gset
INSERT INTO household (building_id, community) VALUES (2, '652901001002');
SELECT (SELECT value FROM sdbc_report.key_figures_live WHERE division_code = '652901001000' AND position = 3) AS live,
       (SELECT value FROM sdbc_report.key_figures WHERE division_code = '652901001000' AND position = 3) AS snapshot;
SELECT sdbc.report_refresh() > :'before_refresh' AS later;
SELECT (SELECT value FROM sdbc_report.key_figures_live WHERE division_code = '652901001000' AND position = 3) AS live,
       (SELECT value FROM sdbc_report.key_figures WHERE division_code = '652901001000' AND position = 3) AS snapshot,
       (SELECT count(DISTINCT refreshed_at) FROM sdbc_report.key_figures WHERE refreshed_at > :'before_refresh') AS new_snapshot;

-- Premises against the 1,000 m² norm (R10.1): 前进 1,200 (two sites), 友谊 900.
SELECT community_code, sites, area_m2, min_area_m2, meets_norm, room_kinds, rooms FROM sdbc_report.premises ORDER BY community_code;

-- Names beside the codes (issue 15 §6): every view with a community, street
-- or county code carries the names (none missing: the query lists the gaps),
-- appended after the columns it had.
SELECT c.relname, code.attname AS code_column, want.name AS missing_name_column
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc_report'
  JOIN pg_attribute code ON code.attrelid = c.oid AND code.attname IN ('community_code', 'street_code', 'county_code', 'division_code')
  JOIN (VALUES ('community_code', 'community_name'), ('community_code', 'street_name'), ('community_code', 'county_name'),
               ('street_code', 'street_name'), ('street_code', 'county_name'), ('county_code', 'county_name'),
               ('division_code', 'division_name'), ('division_code', 'county_name')) want(code, name) ON want.code = code.attname
 WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = want.name AND a.attnum > code.attnum)
 ORDER BY 1, 2, 3;
SELECT community_code, community_name, street_name, county_name FROM sdbc_report.premises ORDER BY community_code;
SELECT division_code, division_kind, division_name, street_name, county_name FROM sdbc_report.key_figures
 WHERE position = 1 ORDER BY division_code;
SELECT division_code, division_name, street_name, county_name FROM sdbc_report.key_figures_live
 WHERE position = 1 ORDER BY division_code;

-- Activities (R11.1): March 2024 (Mondays 4, 11, 18, 25): 前进 has a theme and
-- activities in three of the four weeks; 友谊 no theme, one week.
INSERT INTO monthly_theme (community, month, theme) VALUES ('652901001001', '2024-03-01', '学雷锋志愿服务月');
INSERT INTO activity (community, held_on, title) VALUES
  ('652901001001', '2024-03-05', '义诊'), ('652901001001', '2024-03-12', '读书会'), ('652901001001', '2024-03-13', '清扫'),
  ('652901001001', '2024-03-28', '文艺汇演'), ('652901001002', '2024-03-20', '法律咨询');
SELECT community_code, month, themes, weeks, weeks_without_activity, missed_theme
  FROM sdbc_report.activities_missed WHERE month = '2024-03-01' ORDER BY community_code;
-- A week with an activity before its Monday belongs to the month of that Monday: 2024-04-01 is a Monday.
INSERT INTO activity (community, held_on, title) VALUES ('652901001002', '2024-04-02', '植树');
SELECT community_code, month, weeks, weeks_without_activity FROM sdbc_report.activities_missed
 WHERE month = '2024-04-01' ORDER BY community_code;

-- The reader reads every report view, and no table of sdbc with personal data.
SET ROLE sdbc_reader;
DO $$
DECLARE v text; n bigint;
BEGIN
  FOR v IN SELECT viewname FROM pg_views WHERE schemaname = 'sdbc_report' ORDER BY 1 LOOP
    EXECUTE format('SELECT count(*) FROM sdbc_report.%I', v) INTO n;
  END LOOP;
  RAISE NOTICE 'sdbc_reader read every report view';
END $$;
SELECT measure, value FROM sdbc_report.key_figures WHERE division_code = '652901001000' AND position = 4;
SELECT count(*) FROM sdbc.resident;
SELECT count(*) FROM sdbc.staff;
SELECT count(*) FROM sdbc.household;
SELECT sdbc.report_staff_compliance() LIMIT 0;
SELECT sdbc.report_refresh();
RESET ROLE;
-- Others may not call the helpers that run with the owner's rights.
SELECT has_function_privilege('public', 'sdbc.report_staff_compliance()', 'EXECUTE') AS public_may_call,
       has_function_privilege('sdbc_reader', 'sdbc.report_staff_compliance()', 'EXECUTE') AS reader_may_call,
       has_function_privilege('public', 'sdbc.report_refresh()', 'EXECUTE') AS public_may_refresh,
       has_function_privilege('sdbc_reader', 'sdbc.report_refresh()', 'EXECUTE') AS reader_may_refresh;

-- Leave the database as the next test expects it.
DELETE FROM activity; DELETE FROM monthly_theme; DELETE FROM premises_room; DELETE FROM premises; DELETE FROM community_platform;
-- (R2.4 would refuse taking the last cadres out: report instead, for the cleanup)
INSERT INTO policy (key, division, valid_from, value) VALUES ('community.national_staff.hard', '652901', '2016-01-01', 0);
DELETE FROM staff; DELETE FROM policy WHERE NOT builtin AND division = '652901';
DELETE FROM resident; DELETE FROM household; DELETE FROM building; DELETE FROM division;
SELECT sdbc.report_refresh() IS NOT NULL AS refreshed;
SELECT count(*) AS snapshot_rows FROM sdbc_report.key_figures;
