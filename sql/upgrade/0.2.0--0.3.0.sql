-- sdbc 0.2.0 → 0.3.0, the hand-written part: what changed in the files that
-- 0.2.0 already had (docs/upgrades.md).  The files new in 0.3.0 follow it in
-- the built script (UPDATE_NEW in the Makefile).
\echo Use "ALTER EXTENSION sdbc UPDATE TO '0.3.0'" to load this file. \quit

-- h-cal: the calendar by division, with the published arrangements built in
-- (issue 15 §2, R8.1, R14.1; sql/80_people.sql, sql/80_calendar_days.sql).
ALTER TABLE sdbc.calendar_day DROP CONSTRAINT calendar_day_pkey;
ALTER TABLE sdbc.calendar_day ALTER COLUMN day SET NOT NULL;
ALTER TABLE sdbc.calendar_day ADD COLUMN division sdbc.divcode, ADD COLUMN builtin boolean NOT NULL DEFAULT false;
ALTER TABLE sdbc.calendar_day ADD CONSTRAINT calendar_day_finite CHECK (day > '-infinity' AND day < 'infinity');
ALTER TABLE sdbc.calendar_day ADD CONSTRAINT calendar_day_key UNIQUE NULLS NOT DISTINCT (division, day);
COMMENT ON TABLE sdbc.calendar_day IS
  'Exceptions to Monday–Friday working weeks: public holidays (working = false) and make-up working weekend days 调休 (working = true), as the State Council publishes them each year, and a region''s or a county''s own (Xinjiang''s 肉孜节, 古尔邦节), inherited down the division tree (R8.1, R14.1)';
COMMENT ON COLUMN sdbc.calendar_day.name IS 'name, e.g. 国庆节 National Day';
COMMENT ON COLUMN sdbc.calendar_day.division IS
  'whose day it is: NULL for the whole country, else a region, prefecture or county whose divisions below inherit it; on the same day the most specific division''s row holds';
COMMENT ON COLUMN sdbc.calendar_day.builtin IS 'shipped with the extension (a published arrangement): read-only, not dumped (SD110)';
SELECT pg_catalog.pg_extension_config_dump('sdbc.calendar_day', 'WHERE NOT builtin');
-- (A row the user entered before for a day that the built-in arrangement
-- lists is kept as the user's, and the built-in row for that day is not
-- added: sql/80_calendar_days.sql inserts with ON CONFLICT DO NOTHING.)
COMMENT ON FUNCTION sdbc.is_working_day(date) IS 'True on Monday–Friday unless the nation''s calendar lists it as a holiday, and on its make-up weekend days (sdbc.calendar_day rows without a division, cached per backend); a division''s: is_working_day(d, division)';
CREATE FUNCTION sdbc.is_working_day(d date, division sdbc.divcode) RETURNS boolean
  AS 'MODULE_PATHNAME', 'is_working_day_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.is_working_day(date, sdbc.divcode) IS
  'True if d is a working day in the division: its own, its ancestors'' and the nation''s calendar days, the most specific first (R14.1)';
CREATE FUNCTION sdbc.add_working_days(d date, n integer, division sdbc.divcode) RETURNS date
  AS 'MODULE_PATHNAME', 'add_working_days_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.add_working_days(date, integer, sdbc.divcode) IS
  'The n-th working day after d in the division''s calendar (d itself for n <= 0): deadlines of n working days (R4.2, R14.1)';
CREATE FUNCTION sdbc.working_days_between(a date, b date, division sdbc.divcode) RETURNS integer
  AS 'MODULE_PATHNAME', 'working_days_between_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.working_days_between(date, date, sdbc.divcode) IS
  'Working days after a up to and including b in the division''s calendar (0 when b <= a)';
-- deadlines by the case's division (sql/86_money_reports.sql), and the
-- view's caller-rights copy made again from the new definition as
-- sql/98_community_rls.sql makes it
CREATE OR REPLACE VIEW sdbc.case_step_open AS
  SELECT c.case_id, c.case_kind, c.division, c.route_code, c.route_version, c.current_step,
         s.office, s.action, s.name_zh AS step_zh, s.name_en AS step_en,
         c.step_started_on, d.due_on,
         sdbc.working_days_between(CURRENT_DATE, d.due_on, c.division) AS working_days_left,
         d.due_on < CURRENT_DATE AS overdue
    FROM sdbc.approval_case c
    JOIN sdbc.route_step s ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step
    CROSS JOIN LATERAL (SELECT sdbc.add_working_days(c.step_started_on, s.time_limit_days, c.division) AS due_on) d
   WHERE c.status = 'open';
COMMENT ON VIEW sdbc.case_step_open IS 'Open cases at their current step: office, deadline in working days by the calendar of the case''s division (weekends, national and regional holidays off), days left, overdue';
DO $$
DECLARE
  def text;
  saved_path constant text := pg_catalog.current_setting('search_path');
BEGIN
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
  def := pg_catalog.rtrim(pg_catalog.pg_get_viewdef('sdbc.case_step_open'::pg_catalog.regclass), E'; \n');
  PERFORM pg_catalog.set_config('search_path', 'sdbc, pg_catalog', true);
  EXECUTE pg_catalog.format('CREATE OR REPLACE VIEW sdbc_scoped.case_step_open WITH (security_invoker = true) AS %s', def);
  EXECUTE pg_catalog.format('COMMENT ON VIEW sdbc_scoped.case_step_open IS %L',
    'sdbc.case_step_open with the caller''s rights 按权限过滤: the rows of the caller''s jurisdiction (row-level security). '
    || pg_catalog.obj_description('sdbc.case_step_open'::pg_catalog.regclass, 'pg_class'));
  PERFORM pg_catalog.set_config('search_path', saved_path, true);
END $$;
