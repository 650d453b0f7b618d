-- sdbc 0.2.0 → 0.3.0, the hand-written part: what changed in the files that
-- 0.2.0 already had (docs/upgrades.md).  The files new in 0.3.0 follow it in
-- the built script (UPDATE_NEW in the Makefile).
\echo Use "ALTER EXTENSION sdbc UPDATE TO '0.3.0'" to load this file. \quit

-- h-forgery: what the engine records is the engine's (issue 13, sections 3
-- and 4; src/engine_ids.c, docs/security.md).  Ids drawn by the identity
-- default only (SD340), decided_at and paid_at set by the triggers, the day
-- of a submission within policy (SD341-SD343, new keys
-- expense.backdate.max_days and service.backdate.max_days), the split test
-- serialised (in the library), and column privileges instead of table-level
-- INSERT/UPDATE on the engine's tables.
CREATE FUNCTION sdbc.require_engine_id(tbl regclass, id_column text, id bigint) RETURNS void
  AS 'MODULE_PATHNAME', 'require_engine_id' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION sdbc.require_engine_id(regclass, text, bigint) IS
  'SD340 unless id is the value the identity sequence of tbl.id_column just drew in this session for this row (no OVERRIDING SYSTEM VALUE, no id in COPY): the engine numbers what it records 编号由系统生成 (R3.2, R3.3, R4.2)';
CREATE FUNCTION sdbc.require_day_in_policy(day date, division sdbc.divcode, tbl regclass, day_column text,
                                           policy_key text, rule text) RETURNS void
  AS 'MODULE_PATHNAME', 'require_day_in_policy' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.require_day_in_policy(date, sdbc.divcode, regclass, text, text, text) IS
  'The day a client names for a submission 申报日期: never in the future or infinite (SD341); earlier than today only for sdbc_street_office, sdbc_prefecture_admin, the table''s owner or a superuser (SD343), and at most policy_key days back (SD342)';

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('expense.backdate.max_days', 'R3.3', 'days', 0, 366,
   'how many days back the street office may date an expense''s submission (submitted_on); community staff submit today only', '支出申报日期最多可补记的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('expense.backdate.max_days', NULL, '2014-01-01', 7, true, 'local default, not in the paper: a late receipt recorded within a week, so that back-dating cannot dodge the split test (R3.3)');
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('service.backdate.max_days', 'R4.2', 'days', 0, 366,
   'how many days back the street office may date an application (applied_on); community staff take applications today only', '办事申请日期最多可补记的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('service.backdate.max_days', NULL, '2014-01-01', 7, true, 'local default, not in the paper: an application taken on paper recorded within a week');

COMMENT ON COLUMN sdbc.expense.submitted_on IS 'day submitted 申报日期: today, or back-dated up to policy expense.backdate.max_days by the street office or the prefecture (SD341-SD343)';
COMMENT ON COLUMN sdbc.expense.paid_at IS 'when paid 支付时间 (set by the database at the payment); NULL while unpaid';
COMMENT ON COLUMN sdbc.decision.decided_at IS 'when 决定时间 (set by the database)';
COMMENT ON COLUMN sdbc.service_application.applied_on IS 'day of application 申请日期: today, or back-dated up to policy service.backdate.max_days by the street office or the prefecture (SD341-SD343)';
COMMENT ON FUNCTION sdbc.expense_check() IS
  'Trigger (C) on sdbc.expense: on insert, an id the identity default drew (SD340), the day submitted within policy (SD341-SD343), account and purpose (R3.4), split detection serialised per community, payee and purpose (40001 at REPEATABLE READ when a concurrent one was missed), route choice (R3.2/R3.3) and the case with its submission; on update, payment only after the route and never overdrawing (R3.4), paid_at set by the database; nothing else changes';
COMMENT ON FUNCTION sdbc.decision_check() IS
  'Trigger (C) on sdbc.decision: the rules of the route (order of steps, office membership, four eyes, one vote per person, A/B acting, send-back, withdraw, reasons), an id the identity default drew (SD340), decided_at set by the database, the hash chain, and the case''s new state';

CREATE OR REPLACE FUNCTION sdbc.service_application_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  m sdbc.service_matter;
  home sdbc.divcode;
  missing text[];
  v_version integer;
  first_step integer;
BEGIN
  IF NEW.case_id IS NOT NULL THEN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
      RETURN NEW;   -- a restore brings its case
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'SD325', MESSAGE = 'an application''s case is set by the database',
      DETAIL = 'Rule R4.2: an application starts its case on the matter''s route when it is taken.',
      HINT = 'Leave case_id out of the INSERT.';
  END IF;
  -- the id and the day are the engine's (SD340-SD343, src/engine_ids.c)
  PERFORM sdbc.require_engine_id('sdbc.service_application', 'application_id', NEW.application_id);
  IF NEW.community IS NOT NULL THEN
    PERFORM sdbc.require_day_in_policy(NEW.applied_on, NEW.community, 'sdbc.service_application', 'applied_on',
                                       'service.backdate.max_days', 'R4.2');
  END IF;
  SELECT * INTO m FROM sdbc.service_matter x WHERE x.matter_code = NEW.matter_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD401', MESSAGE = format('unknown service matter "%s"', NEW.matter_code),
      DETAIL = 'Rule R4.2: applications are taken for the matters of the catalogue.',
      HINT = 'See SELECT matter_code, name_zh FROM sdbc.service_matter.';
  END IF;
  SELECT h.community INTO home FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
   WHERE r.resident_id = NEW.applicant;
  IF home IS NULL OR home <> NEW.community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD404',
      MESSAGE = format('resident %s does not live in community %s', NEW.applicant, NEW.community),
      DETAIL = 'Rule R4.1: a resident applies at the service hall of his own community, which holds the preliminary review.',
      HINT = format('Take the application at the hall of community %s.', coalesce(home::text, '(none)'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = NEW.taken_by AND s.division = NEW.community) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD405',
      MESSAGE = format('staff %s does not serve community %s', NEW.taken_by, NEW.community),
      DETAIL = 'Rule R4.1/R8.2: the community''s own staff take applications, also when they handle, visit or petition for a resident.',
      HINT = 'Let a member of the community''s staff take it.';
  END IF;
  missing := ARRAY(SELECT d FROM unnest(m.documents) d WHERE d <> ALL (NEW.documents));
  IF cardinality(missing) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'SD406',
      MESSAGE = format('application for %s lacks %s document(s): %s', m.name_zh, cardinality(missing), array_to_string(missing, '、')),
      DETAIL = 'Rule R4.2/R8.1: the community tells the applicant every missing document at once (一次性告知).',
      HINT = 'Hand in all of: ' || array_to_string(missing, '、');
  END IF;
  IF m.eligibility IS NOT NULL THEN
    IF NOT sdbc.eligibility_holds(m.eligibility, NEW.applicant) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD407',
        MESSAGE = format('resident %s is not eligible for %s', NEW.applicant, m.name_zh),
        DETAIL = format('Rule R4.2: the matter''s eligibility (%s) does not hold for the applicant.', m.eligibility),
        HINT = 'Check the applicant''s registration and age in the registry.';
    END IF;
  END IF;
  SELECT max(r.version) INTO v_version FROM sdbc.route r WHERE r.route_code = m.route_code;
  SELECT min(s.step_no) INTO first_step FROM sdbc.route_step s
   WHERE s.route_code = m.route_code AND s.version = v_version AND s.blocking;
  IF first_step IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'SD311',
      MESSAGE = format('route %s version %s has no blocking step', m.route_code, v_version),
      DETAIL = 'Rule R4.2: a case starts at the first blocking step of the latest version of its matter''s route.',
      HINT = format('Add the steps of version %s to sdbc.route_step, or delete that version.', v_version);
  END IF;
  INSERT INTO sdbc.approval_case (case_kind, division, route_code, route_version, submitted_by, current_step)
  VALUES ('service', NEW.community, m.route_code, v_version, NEW.taken_by, first_step)
  RETURNING case_id INTO NEW.case_id;
  INSERT INTO sdbc.decision (case_id, step_no, actor, verdict) VALUES (NEW.case_id, 0, NEW.taken_by, 'submit');
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.service_application_check() IS
  'Trigger: an application names a catalogued matter (SD401), an applicant of the community (SD404), staff of the community (SD405), every required document (SD406, all missing listed at once), an eligible applicant (SD407), an id the identity default drew (SD340) and a day of application within policy (SD341-SD343); then its case starts on the matter''s route';

REVOKE INSERT, UPDATE ON sdbc.expense, sdbc.approval_case
  FROM sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin, sdbc_county_department;
REVOKE INSERT ON sdbc.decision, sdbc.service_application, sdbc.account_entry
  FROM sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin, sdbc_county_department;
REVOKE INSERT, UPDATE ON sdbc.account FROM sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (account_id, community, purpose, payee, amount, description, submitted_by, submitted_on),
      UPDATE (paid_at, paid_by)
  ON sdbc.expense TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (case_id, case_kind, division, route_code, route_version, submitted_by, current_step)
  ON sdbc.approval_case TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT UPDATE (status, current_step, round, step_started_on, closed_at, reasons_due_on)
  ON sdbc.approval_case TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin, sdbc_county_department;
GRANT INSERT (case_id, step_no, actor, acting_for, verdict, send_back_to, reason)
  ON sdbc.decision TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin, sdbc_county_department;
GRANT INSERT (matter_code, applicant, community, taken_by, proxy, documents, applied_on)
  ON sdbc.service_application TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (account_id, kind, amount, expense_id, source)
  ON sdbc.account_entry TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (community, kind, purpose, name), UPDATE (name, last_paid_at)
  ON sdbc.account TO sdbc_street_office, sdbc_prefecture_admin;
-- The sequences of the engine's tables: the identity defaults draw from them
-- without any right of the caller, and the engine draws a case's id itself;
-- staff may neither burn numbers nor learn from nextval how many expenses,
-- cases or decisions other communities have (issue 13, section 3).
REVOKE USAGE ON SEQUENCE sdbc.expense_expense_id_seq, sdbc.approval_case_case_id_seq,
                         sdbc.decision_decision_id_seq, sdbc.account_account_id_seq,
                         sdbc.account_entry_entry_id_seq, sdbc.service_application_application_id_seq
  FROM sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
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
