-- The real calendar (issue 15 §2, R8.1, R14.1): the State Council's
-- published arrangements ship as built-in rows; Xinjiang's regional holidays
-- belong to division 65 and hold for every division under it; a county may
-- keep days of its own; deadlines use the calendar of the case's division;
-- built-in rows are read-only (SD110) and not dumped.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never

-- What ships: every year from 2024, national and Xinjiang's.
SELECT extract(year FROM day) AS year, division::text, count(*) FILTER (WHERE NOT working) AS days_off,
       count(*) FILTER (WHERE working) AS make_up_days
  FROM calendar_day WHERE builtin GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST;

-- 2025: National Day and Mid-Autumn 10-01 … 10-08 off; Sun 09-28 and Sat 10-11 worked.
SELECT d::date AS day, to_char(d, 'Dy') AS dow, is_working_day(d::date) AS working
  FROM generate_series('2025-09-27'::date, '2025-10-12'::date, interval '1 day') d ORDER BY 1;
-- 2024 and 2026 National Day; 2026 Spring Festival with its make-up Saturdays.
SELECT is_working_day('2024-10-01') AS "2024-10-01", is_working_day('2024-10-12') AS "2024-10-12 Sat",
       is_working_day('2026-10-01') AS "2026-10-01", is_working_day('2026-02-14') AS "2026-02-14 Sat",
       is_working_day('2026-02-23') AS "2026-02-23 Mon", is_working_day('2026-02-24') AS "2026-02-24 Tue";
-- 10 working days from Fri 2025-09-26: the holiday week does not count, the make-up days do.
SELECT add_working_days('2025-09-26', 10) AS national, working_days_between('2025-09-26', '2025-10-17') AS between_national;

-- Regional: Xinjiang's 肉孜节 2025 (Sat 03-29 … Mon 03-31) holds in Aksu, not in Guangdong.
SELECT is_working_day('2025-03-31') AS nation, is_working_day('2025-03-31', '652901001001') AS aksu_community,
       is_working_day('2025-03-31', '65') AS xinjiang, is_working_day('2025-03-31', '44') AS guangdong;
SELECT add_working_days('2025-06-05', 1) AS nation, add_working_days('2025-06-05', 1, '652901') AS aksu_city;
-- the national days still hold in Xinjiang
SELECT is_working_day('2025-10-01', '652901') AS aksu_national_day, is_working_day('2025-09-28', '652901') AS aksu_make_up;

-- A county keeps a day of its own (R14.1): Aksu city works on Mon 2025-03-31
-- (overriding the region's), and takes Fri 2025-07-04 off; Kuqa is unaffected.
INSERT INTO calendar_day (day, working, name, division) VALUES
  ('2025-03-31', true, '县内调整 county adjustment', '652901'),
  ('2025-07-04', false, '县内假日 county holiday', '652901');
SELECT is_working_day('2025-03-31', '652901001001') AS aksu_0331, is_working_day('2025-03-31', '652902') AS kuqa_0331,
       is_working_day('2025-07-04', '652901') AS aksu_0704, is_working_day('2025-07-04', '652902') AS kuqa_0704,
       is_working_day('2025-07-04') AS nation_0704;
-- two rows for one day and division are refused
INSERT INTO calendar_day (day, working, name, division) VALUES ('2025-07-04', true, 'again', '652901');
INSERT INTO calendar_day (day, working, name) VALUES ('2025-10-01', true, 'national day twice');
-- infinite days are refused
INSERT INTO calendar_day (day, working, name) VALUES ('infinity', false, 'never');

-- Deadlines use the case's division: a step of 3 working days opened on Fri
-- 2025-03-28 falls due on Thu 04-03 in Kuqa (肉孜节 Mon 03-31 off; Aksu city
-- works that day, above) and on Wed 04-02 in Dongguan.  The cases are
-- written as a restore writes them (a superuser with row_security off), so
-- that the step opened on that day.
CREATE TEMP TABLE divisions_before AS SELECT code FROM division;
INSERT INTO division (code, name) VALUES ('44', '广东省'), ('4419', '东莞市'), ('441900', '东莞市'),
  ('441900003', '东城街道'), ('441900003001', '某社区'),
  ('65', '新疆维吾尔自治区'), ('6529', '阿克苏地区'), ('652902', '库车市'), ('652902001', '热斯坦街道'),
  ('652902001001', '某社区')
  ON CONFLICT DO NOTHING;
INSERT INTO route (route_code, version, name_zh, name_en, case_kind) VALUES ('regress_cal', 1, '测试', 'calendar test', 'service');
INSERT INTO route_step (route_code, version, step_no, office, action, quorum, time_limit_days, name_zh, name_en)
  VALUES ('regress_cal', 1, 1, 'community_service_hall', 'accept', 'any', 3, '受理', 'accept');
INSERT INTO staff (name, division) VALUES ('库车经办', '652902001001'), ('东莞经办', '441900003001');
SET row_security = off;
INSERT INTO approval_case (case_kind, division, route_code, route_version, submitted_by, step_started_on)
SELECT 'service', s.division, 'regress_cal', 1, s.staff_id, '2025-03-28' FROM staff s WHERE s.name IN ('库车经办', '东莞经办');
RESET row_security;
SELECT division::text, step_started_on, due_on, to_char(due_on, 'Dy') AS dow, overdue
  FROM case_step_open WHERE route_code = 'regress_cal' ORDER BY 1;

-- Built-in rows are read-only (SD110), whoever asks; none can be added.
UPDATE calendar_day SET working = true WHERE day = '2025-10-01' AND builtin;
DELETE FROM calendar_day WHERE day = '2025-10-01';
INSERT INTO calendar_day (day, working, name, builtin) VALUES ('2031-10-01', false, '国庆节', true);
TRUNCATE calendar_day;
-- the user's rows are changed freely
UPDATE calendar_day SET name = '县内假日 county holiday (moved)' WHERE day = '2025-07-04' AND division = '652901';
DELETE FROM calendar_day WHERE NOT builtin;
-- Dumped rows: only the user's (the built-in ones come with the extension).
SELECT c.relname, x.cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x (oid, cond)
  JOIN pg_class c ON c.oid = x.oid WHERE e.extname = 'sdbc' AND c.relname = 'calendar_day';
-- A change reaches an open session's cache: the national calendar after a
-- regional row is added and removed (the cache holds one merged calendar per layer set).
SELECT is_working_day('2025-12-12', '652901') AS before;
INSERT INTO calendar_day (day, working, name, division) VALUES ('2025-12-12', false, '地区假日', '6529');
SELECT is_working_day('2025-12-12', '652901') AS aksu_after, is_working_day('2025-12-12', '652902') AS kuqa_after,
       is_working_day('2025-12-12', '44') AS guangdong_after;
DELETE FROM calendar_day WHERE NOT builtin;
SELECT is_working_day('2025-12-12', '652901') AS aksu_removed;
SET row_security = off;
DELETE FROM approval_case WHERE route_code = 'regress_cal';
RESET row_security;
DELETE FROM staff WHERE name IN ('库车经办', '东莞经办');
DELETE FROM route_step WHERE route_code = 'regress_cal';
DELETE FROM route WHERE route_code = 'regress_cal';
DELETE FROM division d WHERE NOT EXISTS (SELECT 1 FROM divisions_before b WHERE b.code = d.code);
