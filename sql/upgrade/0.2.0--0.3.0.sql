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

-- (sdbc.service_application_check: made again at the end, as the files define it)
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
-- h-identity: no function of the extension searches public (issue 13 section 6,
-- docs/security.md "Names are resolved in the extension's schemas only"): a login
-- that can create in public (PostgreSQL <= 14's default, kept by pg_upgrade)
-- planted public.&&(daterange, daterange) and became superuser when an
-- administrator recorded an absence (the CVE-2018-1058 class).  PostGIS is
-- reached schema-qualified (public.ST_..., OPERATOR(public.&&)) in the two
-- functions that use it; the others only lose public from their path.
ALTER FUNCTION sdbc.grid_lock() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_replace_buildings() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.building_place() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.building_move_households() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_draw_all(sdbc.divcode,date) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_reclassify(sdbc.divcode,date) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.community_minimum_check(sdbc.divcode,bigint,date,text) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.staff_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.staff_move_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.post_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.absence_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.household_visit_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.duty_shift_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.party_branch_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.party_committee_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.party_group_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.decide(bigint,bigint,text,text,integer,bigint,integer) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.route_two_levels_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.service_application_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.task_assignment_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.policy_group_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.evaluation_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_no_delete() SET search_path = pg_catalog, sdbc, pg_temp;
ALTER FUNCTION sdbc.history_is_insert_only() SET search_path = pg_catalog, sdbc, pg_temp;
ALTER FUNCTION sdbc.is_restored_row(regclass, bigint) SET search_path = pg_catalog, sdbc, pg_temp;
ALTER FUNCTION sdbc.service_application_fixed() SET search_path = pg_catalog, sdbc, pg_temp;
CREATE OR REPLACE FUNCTION sdbc.grid_check() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  cur record;
  comm_boundary public.geometry;
  tol double precision;
  outside double precision;
  other record;
BEGIN
  SELECT g.* INTO cur FROM sdbc.grid g WHERE g.grid_code = NEW.grid_code;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT d.boundary INTO comm_boundary FROM sdbc.division d WHERE d.code OPERATOR(sdbc.=) cur.community;
  tol := sdbc.policy_value('grid.geometry.tolerance_m2', cur.community, cur.valid_from);
  IF comm_boundary IS NOT NULL AND NOT public.ST_CoveredBy(cur.boundary, comm_boundary) THEN
    outside := sdbc.area_m2(public.ST_Difference(cur.boundary, comm_boundary));
    IF outside > tol THEN
      RAISE EXCEPTION USING ERRCODE = 'SD201',
        MESSAGE = format('grid %s extends %s m² outside community %s', cur.grid_code, round(outside::numeric, 1), cur.community),
        DETAIL = 'Rule R7.1: a grid is a part of one community and lies inside its boundary.',
        HINT = 'Clip the boundary to the community, e.g. ST_Intersection(boundary, community boundary).';
    END IF;
  END IF;
  IF cur.valid_to IS NULL THEN
    FOR other IN
      SELECT g.grid_code, sdbc.area_m2(public.ST_Intersection(g.boundary, cur.boundary)) AS shared
        FROM sdbc.grid g
       WHERE g.community OPERATOR(sdbc.=) cur.community AND g.valid_to IS NULL
         AND g.grid_code <> cur.grid_code AND g.boundary OPERATOR(public.&&) cur.boundary
         AND public.ST_Relate(g.boundary, cur.boundary, '2********')
    LOOP
      IF other.shared > tol THEN
        RAISE EXCEPTION USING ERRCODE = 'SD202',
          MESSAGE = format('grid %s overlaps live grid %s by %s m²', cur.grid_code, other.grid_code, round(other.shared::numeric, 1)),
          DETAIL = 'Rule R7.1: the live grids of a community do not overlap; every household belongs to one grid.',
          HINT = 'Retire or redraw the other grid first (set its valid_to), or use sdbc.grid_draw().';
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
-- (sdbc.grid_draw: made again at the end, as the files define it)

-- h-identity: a login is one person, whatever role it sets (issue 13 section
-- 2, R3.2): the acting login is the session's (sdbc.acting_role(),
-- src/login_staff.c), not current_user after SET ROLE.
CREATE FUNCTION sdbc.acting_role() RETURNS name
  AS 'MODULE_PATHNAME', 'acting_role' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.acting_role() IS
  'The login that acts 操作人 for the session: session_user, or the role set by a superuser or by a trusted connection-pool login (member of sdbc_pool); NULL when a login set another person''s role itself (R3.2: one login, one person)';
CREATE OR REPLACE FUNCTION sdbc.my_staff_id() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT rs.staff_id FROM sdbc.role_staff rs WHERE rs.role_name = sdbc.acting_role() $$;
COMMENT ON FUNCTION sdbc.my_staff_id() IS
  'The staff member 工作人员 the acting login is (sdbc.acting_role(), sdbc.role_staff); NULL without a mapping, for a role that may record anyone, or when a login set another person''s role itself';

-- h-identity: one community cannot hold up the others (issue 13 section 5):
-- the lock rows are written only by the engine's lock functions, with the
-- owner's rights, for what the acting login serves (sql/98_login_safety.sql,
-- run by the update too, revokes the staff roles' privileges on the lock
-- tables and converts table-level UPDATE and DELETE).
CREATE FUNCTION sdbc.grid_write_lock(lock_community sdbc.divcode, add_writes bigint) RETURNS void
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  IF sdbc.engine_writing() OR sdbc.acting_serves(lock_community) THEN
    INSERT INTO sdbc.grid_write_lock AS l (community, writes) VALUES (lock_community, add_writes)
    ON CONFLICT ON CONSTRAINT grid_write_lock_pkey DO UPDATE SET writes = l.writes + add_writes;
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.grid_write_lock(sdbc.divcode, bigint) IS
  'Internal: takes the row lock of a community in sdbc.grid_write_lock (adding writes to its counter) so that writers of its grids queue; with the owner''s rights, only for a community the acting login serves (sdbc.acting_serves)';
CREATE OR REPLACE FUNCTION sdbc.grid_lock() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  -- a row lock, not an advisory one: at REPEATABLE READ a write that began
  -- before another's commit must fail (40001) rather than miss its grid
  PERFORM sdbc.grid_write_lock(NEW.community, 1);
  IF NOT EXISTS (SELECT 1 FROM sdbc.division d
                  WHERE d.code OPERATOR(sdbc.=) NEW.community AND d.boundary IS NOT NULL) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD203',
      MESSAGE = format('community %s has no boundary', NEW.community),
      DETAIL = 'Rule R7.1: a grid lies inside its community''s boundary, so the community must have one.',
      HINT = 'Set sdbc.division.boundary for the community first.';
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION sdbc.staff_limit_lock(division sdbc.divcode) RETURNS void
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  -- with the owner's rights (issue 13 section 5), for a division the acting
  -- login serves or while the engine writes (a staff move)
  IF sdbc.engine_writing() OR sdbc.acting_serves(staff_limit_lock.division) THEN
    INSERT INTO sdbc.staff_limit_lock AS l (division, writes) VALUES (staff_limit_lock.division, 1)
    ON CONFLICT ON CONSTRAINT staff_limit_lock_pkey DO UPDATE SET writes = l.writes + 1;
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.staff_limit_lock(sdbc.divcode) IS
  'Internal: takes the row lock of a street or community in sdbc.staff_limit_lock before its hard staffing limits are counted; with the owner''s rights, only for a division the acting login serves or while the engine writes (sdbc.acting_serves)';
CREATE OR REPLACE FUNCTION sdbc.staff_absence_lock(who bigint[]) RETURNS void
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  -- The engine writes the lock rows with its owner's rights (no staff role
  -- has a privilege on the table, issue 13 section 5); it locks only staff
  -- the acting login serves or their A/B partners, so that a login cannot
  -- hold the rows of another community's staff.
  INSERT INTO sdbc.staff_absence_lock AS l (staff_id, writes)
  SELECT DISTINCT u.id, 1 FROM unnest(who) u(id)
   WHERE u.id IS NOT NULL AND sdbc.acting_may_lock_staff(u.id)
   ORDER BY 1
  ON CONFLICT ON CONSTRAINT staff_absence_lock_pkey DO UPDATE SET writes = l.writes + 1;
END $$;
COMMENT ON FUNCTION sdbc.staff_absence_lock(bigint[]) IS
  'Internal: takes the row locks of the given staff members in sdbc.staff_absence_lock, in ascending staff_id, before A/B absences are compared (R7.3); with the owner''s rights, only for staff the acting login serves and their A/B partners (sdbc.acting_may_lock_staff)';

-- h-rules: issue 13, sections 7 and 8 — rule checks read with the engine's
-- rights (A/B absences, absent actors), errors that name the id, the chain's
-- anchor in the case and the county digest, bounds on amounts, building
-- locations and grid_draw's day (docs/security.md, "Rules hold whoever
-- records the data").
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('expense.amount.max', 'R3.3', 'yuan', 1, NULL,
   'largest single expense or account credit the engine takes (SD353); above it the amount is refused as a mistake', '单笔支出或拨款的最大金额', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('expense.amount.max', NULL, '2014-01-01', 10000000, true, 'local default, not in the paper: 10,000,000 yuan, far above any community expense');
ALTER TABLE sdbc.approval_case
  ADD COLUMN chain_length integer NOT NULL DEFAULT 0,
  ADD COLUMN chain_head bytea;
COMMENT ON COLUMN sdbc.approval_case.chain_length IS 'the chain''s anchor 链长: how many decisions the case has (set by the engine with each decision), so that sdbc.verify_chain() notices decisions removed at its end';
COMMENT ON COLUMN sdbc.approval_case.chain_head IS 'the chain''s anchor 链头: hash of the case''s latest decision (set by the engine; NULL before the first)';
-- the anchors of the cases decided so far: the chains as they stand now
-- (sdbc.verify_chain() checked their links; it cannot tell what was cut before)
UPDATE sdbc.approval_case c SET chain_length = d.n, chain_head = d.head
  FROM (SELECT x.case_id, count(*) AS n,
               (array_agg(x.hash ORDER BY x.decision_id DESC))[1] AS head
          FROM sdbc.decision x GROUP BY x.case_id) d
 WHERE d.case_id = c.case_id;
CREATE OR REPLACE FUNCTION sdbc.verify_chain(case_id bigint)
  RETURNS TABLE (decision_id bigint, problem text)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  c sdbc.approval_case;
  n bigint;
  last_id bigint;
  last_hash bytea;
BEGIN
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = verify_chain.case_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503',
      MESSAGE = format('case %s does not exist', coalesce(verify_chain.case_id::text, 'NULL')),
      DETAIL = 'Rule R3.2/R3.3: a chain of decisions belongs to an existing case (sdbc.approval_case) the login sees.',
      HINT = 'Take the case_id from the expense (sdbc.expense) or the application (sdbc.service_application).';
  END IF;
  RETURN QUERY
  WITH d AS (
    SELECT x.*, lag(x.hash) OVER (ORDER BY x.decision_id) AS expected_prev
      FROM sdbc.decision x WHERE x.case_id = verify_chain.case_id
  )
  SELECT d.decision_id,
         CASE WHEN d.prev_hash IS DISTINCT FROM d.expected_prev THEN 'prev_hash does not match the previous decision'
              ELSE 'hash does not match the row' END
    FROM d
   WHERE d.prev_hash IS DISTINCT FROM d.expected_prev
      OR d.hash <> sdbc.decision_hash(d.prev_hash, d.case_id, d.step_no, d.round, d.actor, d.acting_for,
                                      d.verdict, d.send_back_to, d.reason, d.decided_at)
   ORDER BY d.decision_id
   LIMIT 1;
  IF FOUND THEN
    RETURN;
  END IF;
  SELECT count(*), max(x.decision_id) INTO n, last_id FROM sdbc.decision x WHERE x.case_id = verify_chain.case_id;
  SELECT x.hash INTO last_hash FROM sdbc.decision x WHERE x.decision_id = last_id;
  IF n <> c.chain_length OR last_hash IS DISTINCT FROM c.chain_head THEN
    decision_id := last_id;
    problem := format('the chain does not end at the case''s anchor: %s decisions, the case records %s ending in %s',
                      n, c.chain_length, coalesce(encode(c.chain_head, 'hex'), 'none'));
    RETURN NEXT;
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.verify_chain(bigint) IS 'Checks the hash chain of a case''s decisions and its end against the case''s anchor (chain_head, chain_length); returns the first broken link and why (a removed last decision: the last one left, or NULL), or no row when the chain is intact; 23503 naming a case that does not exist or the caller cannot see 校验决定链';
CREATE FUNCTION sdbc.chain_digest(county sdbc.divcode)
  RETURNS TABLE (county_code text, cases bigint, decisions bigint, digest text)
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT chain_digest.county::text, count(*), coalesce(sum(c.chain_length), 0),
         encode(sha256(convert_to(coalesce(string_agg(concat_ws(':', c.case_id, c.chain_length,
                coalesce(encode(c.chain_head, 'hex'), '-')), '|' ORDER BY c.case_id), ''), 'UTF8')), 'hex')
    FROM sdbc.approval_case c
   WHERE c.division OPERATOR(sdbc.<@) chain_digest.county;
END;
COMMENT ON FUNCTION sdbc.chain_digest(sdbc.divcode) IS
  'SHA-256 over the anchors (case, length, head hash) of every case under a division (a county), with the owner''s rights: the number to publish, so that truncating or rewriting any chain shows as a changed digest 县级决定链摘要';
CREATE FUNCTION sdbc.ab_absence_clash(who bigint, during daterange, absence_id bigint)
  RETURNS TABLE (post_id bigint, office text, division sdbc.divcode, partner bigint, partner_during daterange)
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT p.post_id, p.office, p.division,
         CASE WHEN p.principal = ab_absence_clash.who THEN p.backup ELSE p.principal END,
         a.during
    FROM sdbc.post p
    JOIN sdbc.absence a ON a.staff_id = CASE WHEN p.principal = ab_absence_clash.who THEN p.backup ELSE p.principal END
   WHERE (p.principal = ab_absence_clash.who OR p.backup = ab_absence_clash.who)
     AND a.during OPERATOR(pg_catalog.&&) ab_absence_clash.during
     AND a.absence_id IS DISTINCT FROM ab_absence_clash.absence_id
   ORDER BY p.post_id, lower(a.during)
   LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.ab_absence_clash(bigint, daterange, bigint) IS
  'Internal (trigger sdbc.absence_check): the first A/B post of staff who whose other holder is absent during the range (leaving out absence absence_id), read with the owner''s rights so that a post or absence the caller cannot see still counts (SD508, R7.3) 甲乙岗缺勤冲突';
CREATE FUNCTION sdbc.ab_absences_overlap(principal bigint, backup bigint)
  RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT EXISTS (SELECT 1 FROM sdbc.absence a JOIN sdbc.absence b ON a.during OPERATOR(pg_catalog.&&) b.during
                  WHERE a.staff_id = ab_absences_overlap.principal AND b.staff_id = ab_absences_overlap.backup);
END;
COMMENT ON FUNCTION sdbc.ab_absences_overlap(bigint, bigint) IS
  'Internal (trigger sdbc.post_check): whether the two staff members are ever absent at overlapping times, read with the owner''s rights (SD508, R7.3) 甲乙岗缺勤是否重叠';
CREATE FUNCTION sdbc.ab_backup_post(principal bigint, backup bigint)
  RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT p.post_id FROM sdbc.post p
   WHERE p.principal = ab_backup_post.principal AND p.backup = ab_backup_post.backup
   ORDER BY p.post_id LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.ab_backup_post(bigint, bigint) IS
  'Internal (trigger sdbc.absence_check): the first post on which backup is the B of principal, read with the owner''s rights so that a post the caller cannot see still counts (SD516, R7.3) 甲乙岗查询';
CREATE FUNCTION sdbc.ab_recorded_absence(principal bigint, backup bigint)
  RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT a.absence_id FROM sdbc.absence a
   WHERE a.staff_id = ab_recorded_absence.principal AND a.recorded_by = ab_recorded_absence.backup
     AND (upper_inf(a.during) OR upper(a.during) > CURRENT_DATE)
   ORDER BY a.absence_id LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.ab_recorded_absence(bigint, bigint) IS
  'Internal (trigger sdbc.post_check): a current, coming or open-ended absence of principal that backup recorded, read with the owner''s rights (SD516, R7.3) 乙登记的甲缺勤';
-- (sdbc.post_check: made again at the end, as the files define it)
-- (sdbc.absence_check: made again at the end, as the files define it)
CREATE FUNCTION sdbc.account_entry_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  top numeric;
BEGIN
  IF NEW.kind = 'credit' AND NEW.amount IS NOT NULL AND NOT NEW.amount = 'NaN'::numeric THEN
    IF NEW.amount <= 0 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD352',
        MESSAGE = format('a credit of %s yuan to account %s is not positive', NEW.amount, NEW.account_id),
        DETAIL = 'Rule R3.4: an allocation puts money on an account; it is more than zero.',
        HINT = 'Give the amount as a positive number of yuan with two decimals at most.';
    END IF;
    top := sdbc.policy_value('expense.amount.max',
                             (SELECT a.community FROM sdbc.account a WHERE a.account_id = NEW.account_id),
                             CURRENT_DATE);
    IF NEW.amount > top THEN
      RAISE EXCEPTION USING ERRCODE = 'SD353',
        MESSAGE = format('a credit of %s yuan to account %s is above the largest amount the engine takes, %s yuan',
                         CASE WHEN length(NEW.amount::text) > 40 THEN 'more than 10^40' ELSE NEW.amount::text END,
                         NEW.account_id, top),
        DETAIL = 'Rule R3.4 (policy expense.amount.max, a local bound not in the paper): a larger single allocation is a mistake.',
        HINT = 'Check the amount; the county may raise expense.amount.max in sdbc.policy.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.account_entry_check() IS
  'Trigger on sdbc.account_entry: a credit is positive (SD352) and not above policy expense.amount.max (SD353), R3.4 拨款金额检查';
CREATE TRIGGER account_entry_check BEFORE INSERT ON sdbc.account_entry
  FOR EACH ROW EXECUTE FUNCTION sdbc.account_entry_check();
CREATE FUNCTION sdbc.expense_case(expense_id bigint)
  RETURNS bigint LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  c bigint;
BEGIN
  SELECT e.case_id INTO c FROM sdbc.expense e WHERE e.expense_id = expense_case.expense_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503',
      MESSAGE = format('expense %s does not exist', coalesce(expense_case.expense_id::text, 'NULL')),
      DETAIL = 'Rule R3.2/R3.3: an expense is signed, withdrawn or paid once it is submitted (sdbc.expense), in a community the login serves.',
      HINT = 'Take the expense_id that sdbc.submit_expense() returned.';
  END IF;
  RETURN c;
END $$;
COMMENT ON FUNCTION sdbc.expense_case(bigint) IS
  'The case of an expense the caller sees; 23503 naming the expense when there is none 支出对应的审批案件';
CREATE OR REPLACE FUNCTION sdbc.pay(expense_id bigint, actor bigint)
  RETURNS sdbc.expense LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  e sdbc.expense;
BEGIN
  UPDATE sdbc.expense x SET paid_at = clock_timestamp(), paid_by = pay.actor
   WHERE x.expense_id = pay.expense_id
  RETURNING * INTO e;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503',
      MESSAGE = format('expense %s does not exist', coalesce(pay.expense_id::text, 'NULL')),
      DETAIL = 'Rule R3.4: a payment pays a submitted expense (sdbc.expense) of a community the login serves.',
      HINT = 'Take the expense_id that sdbc.submit_expense() returned.';
  END IF;
  RETURN e;
END $$;
COMMENT ON FUNCTION sdbc.pay(bigint, bigint) IS
  'Pay an expense whose route is complete, from its account, never below zero (R3.2, R3.3, R3.4), by another person than its submitter (SD351); a concurrent payment that no longer fits fails with SD324; an expense that does not exist or the caller cannot see is an error naming it (23503)';
-- (sdbc.grid_draw: made again at the end, as the files define it)
-- (sdbc.grid_reclassify: made again at the end, as the files define it)
-- Numbers that NaN or Infinity would pass (NaN sorts above every number):
-- premises areas (R10.1 averages), platform costs, task funding; days that
-- 'infinity' would pass.  Rows an
-- earlier release let in do not stop the update: the constraint then holds
-- for new rows, and the warning says what to correct before VALIDATE.
ALTER TABLE sdbc.premises ADD CONSTRAINT premises_area_finite CHECK (area_m2 < 'Infinity') NOT VALID;
ALTER TABLE sdbc.community_platform ADD CONSTRAINT community_platform_cost_finite CHECK (cost IS NULL OR cost < 'Infinity') NOT VALID;
ALTER TABLE sdbc.task_assignment ADD CONSTRAINT task_assignment_funding_finite CHECK (funding < 'Infinity') NOT VALID;
-- Days and times that 'infinity' would pass: a duty shift to 'infinity'
-- covered every hour to come (R8.1), a visit or a move on '-infinity'.
ALTER TABLE sdbc.duty_shift ADD CONSTRAINT duty_shift_finite CHECK (isfinite(lower(during)) AND isfinite(upper(during))) NOT VALID;
ALTER TABLE sdbc.staff_move ADD CONSTRAINT staff_move_moved_on_finite CHECK (isfinite(moved_on)) NOT VALID;
ALTER TABLE sdbc.household_visit ADD CONSTRAINT household_visit_visited_on_finite CHECK (isfinite(visited_on)) NOT VALID;
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
      ('sdbc.premises', 'premises_area_finite', $p$area_m2 < 'Infinity'$p$),
      ('sdbc.community_platform', 'community_platform_cost_finite', $p$cost IS NULL OR cost < 'Infinity'$p$),
      ('sdbc.task_assignment', 'task_assignment_funding_finite', $p$funding < 'Infinity'$p$),
      ('sdbc.duty_shift', 'duty_shift_finite', $p$isfinite(lower(during)) AND isfinite(upper(during))$p$),
      ('sdbc.staff_move', 'staff_move_moved_on_finite', $p$isfinite(moved_on)$p$),
      ('sdbc.household_visit', 'household_visit_visited_on_finite', $p$isfinite(visited_on)$p$)
    ) AS t (tbl, con, pred) LOOP
    BEGIN
      EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tbl, c.con);
    EXCEPTION WHEN check_violation THEN
      RAISE WARNING USING
        MESSAGE = format('%s holds rows that break %s (a NaN or infinite number, or an infinite day)', c.tbl, c.con),
        DETAIL = 'Issue 13: 0.3.0 refuses such rows; the constraint is in force for new rows and left NOT VALID for these.',
        HINT = format('Find them with SELECT * FROM %s WHERE NOT (%s); correct them, then ALTER TABLE %s VALIDATE CONSTRAINT %I.',
                      c.tbl, c.pred, c.tbl, c.con);
    END;
  END LOOP;
END $$;

-- h-hard: hostile-login review, session 4 (docs/security.md).
-- Finding 5: a cap on the sites of one grid partition (policy
-- grid.partition.max_sites, a local default), so the kernel reads a policy
-- (STABLE); executable by the roles of sdbc.grid_draw only.
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('grid.partition.max_sites', 'R7.1', 'count', 1, NULL,
   'most building sites one call of sdbc.grid_partition() partitions (a community has far fewer); local default, not from the paper',
   '单次网格划分的楼栋点位上限(本地默认值,非文件规定)', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('grid.partition.max_sites', NULL, '2014-01-01', 50000, true, 'local default, not from the paper: bounds one grid drawing (R7.1)');
ALTER FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer) IS
  'Kernel (C) of grid drawing: sites with coordinates and households, pairs of 1-based sites whose cells share an edge, and the bounds → the grid (1-based) of every site, contiguous, within bounds where possible, with the reasons where not (R7.1); at most policy grid.partition.max_sites sites (SD381), cancellable; for sdbc.grid_draw (street offices and the prefecture)';
REVOKE ALL ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  TO sdbc_street_office, sdbc_prefecture_admin;

-- Finding 3: a debit refers to its expense, with the expense's account and
-- amount; no role writes a debit but through the payment trigger.
ALTER TABLE sdbc.expense ADD CONSTRAINT expense_payment_key UNIQUE (expense_id, account_id, amount);
ALTER TABLE sdbc.account_entry ADD CONSTRAINT account_entry_expense_fkey
  FOREIGN KEY (expense_id, account_id, amount) REFERENCES sdbc.expense (expense_id, account_id, amount);
COMMENT ON CONSTRAINT expense_payment_key ON sdbc.expense IS
  'What a debit refers to (account_entry_expense_fkey): the expense with its account and amount';
COMMENT ON CONSTRAINT account_entry_expense_fkey ON sdbc.account_entry IS
  'A debit 支出 pays an expense from the expense''s account, for the expense''s amount (R3.4); credits name no expense';
CREATE POLICY account_entry_debit_engine_only ON sdbc.account_entry AS RESTRICTIVE FOR INSERT TO PUBLIC
  WITH CHECK (kind <> 'debit' OR sdbc.engine_writing());
COMMENT ON POLICY account_entry_debit_engine_only ON sdbc.account_entry IS
  'Money leaves an account 支出 only through the payment of an expense (the trigger of sdbc.pay), for every role (R3.4)';

-- Finding 6: no sequence rights for the staff roles — revoked by
-- sql/98_rights_hardening.sql, which follows (as in a fresh install).

-- Finding 4: the age (and so eligibility by age) from the number the HR
-- office applied, never from a pending or "held elsewhere" entry.
CREATE OR REPLACE VIEW sdbc.resident_masked WITH (security_barrier) AS
  SELECT r.resident_id, r.household_id, h.community,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN r.id_number::text
              ELSE sdbc.idcard_mask(s.shown) END AS id_number,
         sdbc.idcard_age(r.id_number) AS age,
         r.name, r.floating, r.key_population, r.key_reason
    FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
         -- the number shown to staff: the latest number entered for the
         -- resident while pending or held by another resident, else his own (R9.1)
         CROSS JOIN LATERAL (
           SELECT coalesce((SELECT CASE WHEN a.outcome IN ('pending', 'held_elsewhere') THEN a.id_number END
                              FROM sdbc.id_number_attempt a
                             WHERE a.resident_id = r.resident_id AND a.outcome <> 'resolved'
                             ORDER BY a.attempt_id DESC LIMIT 1), r.id_number) AS shown) s
   WHERE sdbc.sees_all() OR h.community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON COLUMN sdbc.resident_masked.age IS 'age today 年龄, from the identity number the HR office applied (sdbc.resident.id_number; NULL without one, and while an entered number is pending): eligibility reads it (R4.2, R9.1)';
-- (Finding 1: EXECUTE on trigger functions is revoked by sql/98_rights_hardening.sql, which follows.)

-- After every part above: the functions that more than one change of 0.3.0
-- rewrote (search paths, rule checks) end as the files define them.
-- 83_posts_visits.sql
CREATE OR REPLACE FUNCTION sdbc.absence_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  clash record;
  post_id bigint;
  recording boolean := TG_OP = 'INSERT' AND NOT sdbc.is_restored_row('sdbc.absence_absence_id_seq', NEW.absence_id);
BEGIN
  -- who records it: the login's own person (a restored row keeps its recorder)
  IF recording THEN
    IF NEW.recorded_by IS NULL THEN
      NEW.recorded_by := sdbc.my_staff_id();
    END IF;
    PERFORM sdbc.check_login_is('sdbc.absence', NEW.recorded_by, 'record an absence');
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (NEW.staff_id % 2147483647)::integer);
  PERFORM sdbc.staff_absence_lock(NEW.staff_id || ARRAY(
            SELECT CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END
              FROM sdbc.post p WHERE p.principal = NEW.staff_id OR p.backup = NEW.staff_id));

  -- (after the locks: a post written at the same time is seen) not A's
  -- backup, who would then act for A (R7.3)
  IF recording AND NEW.recorded_by IS NOT NULL THEN
    -- (read with the engine's rights, whatever the caller sees)
    post_id := sdbc.ab_backup_post(NEW.staff_id, NEW.recorded_by);
    IF post_id IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s is the backup (B) of staff %s on post %s and cannot record his absence',
                         NEW.recorded_by, NEW.staff_id, post_id),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Let A, the street office or another colleague record the absence.';
    END IF;
  END IF;

  -- the partners' absences, read with the engine's rights (R7.3, whatever the caller sees)
  SELECT c.post_id, c.office, c.division, c.partner, c.partner_during AS during
    INTO clash
    FROM sdbc.ab_absence_clash(NEW.staff_id, NEW.during, NEW.absence_id) c;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD508',
      MESSAGE = format('staff %s would be absent %s while staff %s, the other of post %s (%s, %s), is absent %s',
                       NEW.staff_id, NEW.during, clash.partner, clash.post_id, clash.office, clash.division, clash.during),
      DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time, so that one of them is always on post.',
      HINT = 'Move one of the absences, or name another backup for the post first.';
  END IF;
  RETURN NEW;
END $$;
-- 70_grid_draw.sql
CREATE OR REPLACE FUNCTION sdbc.grid_draw(community sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
  RETURNS sdbc.grid_draw_report
  LANGUAGE plpgsql
  -- JIT would compile the geometry queries afresh for every community (0.5 s each)
  SET jit = off
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  comm public.geometry;
  kind text;
  minh integer;
  maxh integer;
  nsites integer;
  edges integer[];
  part record;
  rep sdbc.grid_draw_report;
  r record;
  next_seq integer;
  band double precision;
  coslat double precision;
BEGIN
  SELECT d.boundary, d.kind INTO comm, kind FROM sdbc.division d WHERE d.code OPERATOR(sdbc.=) grid_draw.community;
  IF kind IS DISTINCT FROM 'residents_committee' THEN
    RAISE EXCEPTION USING ERRCODE = 'SD205',
      MESSAGE = format('%s is not a community', grid_draw.community),
      DETAIL = 'Rule R7.1: grids are drawn inside a community (a residents'' committee division).',
      HINT = 'Give the code of a community, or use sdbc.grid_draw_all() for every community under a division.';
  END IF;
  IF NOT isfinite(on_date) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD209',
      MESSAGE = format('grids cannot be drawn on %s', on_date),
      DETAIL = 'Rule R7.1: a redraw retires the grids it replaces on its day; an infinite day would retire every grid for all time (or before it began).',
      HINT = 'Give a real date, by default today.';
  END IF;
  -- the same row lock that the grid triggers take: one writer per community
  PERFORM sdbc.grid_write_lock(grid_draw.community, 0);
  rep := ROW(grid_draw.community, clock_timestamp(), 0, 0, 0, 0, 0, 0, '{}'::text[]);
  rep.buildings := (SELECT count(*) FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community);
  rep.households := (SELECT coalesce(sum(b.households), 0) FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community);
  IF comm IS NULL THEN
    rep.reasons := '{no_boundary}';
    INSERT INTO sdbc.grid_draw_report SELECT rep.*;
    RETURN rep;
  END IF;
  minh := sdbc.policy_value('grid.households.min', grid_draw.community, on_date);
  maxh := sdbc.policy_value('grid.households.max', grid_draw.community, on_date);
  coslat := cos(radians(public.ST_Y(public.ST_Centroid(comm))));

  -- Sites: buildings at one location are one atomic site; each gets its
  -- Voronoi cell (found through a GiST index, not a nested loop).
  IF to_regclass('pg_temp.sdbc_draw_loc') IS NOT NULL THEN
    DROP TABLE pg_temp.sdbc_draw_loc;
  END IF;
  IF to_regclass('pg_temp.sdbc_draw_voronoi') IS NOT NULL THEN
    DROP TABLE pg_temp.sdbc_draw_voronoi;
  END IF;
  CREATE TEMP TABLE sdbc_draw_loc ON COMMIT DROP AS
  SELECT b.location, sum(b.households)::integer AS households
    FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community
   GROUP BY b.location;
  CREATE TEMP TABLE sdbc_draw_voronoi ON COMMIT DROP AS
  SELECT v.geom AS cell
    FROM (SELECT public.ST_Collect(location) AS pts, count(*) AS n FROM sdbc_draw_loc) c,
         LATERAL public.ST_Dump(CASE WHEN c.n > 1 THEN public.ST_VoronoiPolygons(c.pts, 0, comm) ELSE comm END) v;
  CREATE INDEX ON sdbc_draw_voronoi USING gist (cell);
  ANALYZE sdbc_draw_voronoi;
  CREATE TEMP TABLE sdbc_draw_cell ON COMMIT DROP AS
  WITH owned AS (
    SELECT l.location, l.households, c.cell
      FROM sdbc_draw_loc l JOIN sdbc_draw_voronoi c ON c.cell OPERATOR(public.&&) l.location AND public.ST_Intersects(c.cell, l.location)
  ), parts AS (
    -- a cell clipped to a concave community may fall into pieces: every
    -- piece is a site; pieces without the building weigh nothing
    SELECT o.location, o.households, p.geom AS cell
      FROM owned o, LATERAL public.ST_Dump(public.ST_Intersection(o.cell, comm)) p
     WHERE public.ST_Dimension(p.geom) = 2
  )
  SELECT row_number() OVER (ORDER BY public.ST_X(location), public.ST_Y(location), public.ST_X(public.ST_PointOnSurface(cell)), public.ST_Y(public.ST_PointOnSurface(cell)))::integer AS site,
         cell,
         CASE WHEN public.ST_Intersects(cell, location) THEN households ELSE 0 END AS households,
         CASE WHEN public.ST_Intersects(cell, location) THEN location ELSE public.ST_PointOnSurface(cell) END AS pt
    FROM (SELECT DISTINCT ON (location, cell) * FROM parts) p;
  DROP TABLE sdbc_draw_loc, sdbc_draw_voronoi;
  SELECT count(*), coalesce(sum(households), 0) INTO nsites, rep.households FROM sdbc_draw_cell;
  IF nsites = 0 THEN
    rep.reasons := '{no_buildings}';
    INSERT INTO sdbc.grid_draw_report SELECT rep.*;
    RETURN rep;
  END IF;
  CREATE INDEX ON sdbc_draw_cell USING gist (cell);

  -- Pairs of sites whose cells share an edge.
  SELECT coalesce(array_agg(e ORDER BY a, b, o), '{}') INTO edges
    FROM (SELECT a.site AS a, b.site AS b
            FROM sdbc_draw_cell a JOIN sdbc_draw_cell b
              ON a.site < b.site AND a.cell OPERATOR(public.&&) b.cell AND public.ST_Relate(a.cell, b.cell, '****1****')) p,
         LATERAL unnest(ARRAY[p.a, p.b]) WITH ORDINALITY u(e, o);

  SELECT * INTO part FROM sdbc.grid_partition(
      (SELECT array_agg(public.ST_X(pt) * coslat ORDER BY site) FROM sdbc_draw_cell),
      (SELECT array_agg(public.ST_Y(pt) ORDER BY site) FROM sdbc_draw_cell),
      (SELECT array_agg(households ORDER BY site) FROM sdbc_draw_cell),
      edges, minh, maxh);

  -- The new grids: the union of their sites' cells.
  CREATE TEMP TABLE sdbc_draw_grid ON COMMIT DROP AS
  -- (clipped once more to the community: the union's noding may move an
  -- edge by a hair outside it)
  SELECT u.g AS grp,
         public.ST_CollectionExtract(public.ST_Intersection(public.ST_UnaryUnion(public.ST_Collect(c.cell)), comm), 3) AS shape,
         sum(c.households)::integer AS households,
         NULL::bigint AS grid_code
    FROM sdbc_draw_cell c JOIN unnest(part.grid) WITH ORDINALITY u(g, site) ON u.site = c.site
   GROUP BY u.g;
  rep.grids := part.grids;
  rep.in_bounds := part.in_bounds;
  rep.reasons := part.reasons;
  rep.pieces := (SELECT count(*) FROM sdbc_draw_grid WHERE public.ST_NumGeometries(shape) > 1);

  -- Keep the code of an old grid that a new one mostly (> 50 %) overlaps.
  FOR r IN
    SELECT n.grp, o.grid_code,
           public.ST_Area(public.ST_Intersection(n.shape, o.boundary)) / nullif(public.ST_Area(n.shape), 0) AS share
      FROM sdbc_draw_grid n JOIN sdbc.grid o
        ON o.community OPERATOR(sdbc.=) grid_draw.community AND o.valid_to IS NULL AND o.boundary OPERATOR(public.&&) n.shape
     ORDER BY share DESC, n.grp, o.grid_code
  LOOP
    EXIT WHEN r.share <= 0.5;
    UPDATE sdbc_draw_grid SET grid_code = r.grid_code
     WHERE grp = r.grp AND grid_code IS NULL
       AND NOT EXISTS (SELECT 1 FROM sdbc_draw_grid k WHERE k.grid_code = r.grid_code);
  END LOOP;
  rep.codes_kept := (SELECT count(*) FROM sdbc_draw_grid WHERE grid_code IS NOT NULL);

  -- New codes: after the highest ever used (retired codes are never reused),
  -- numbered north to south in rows of about one grid's height, west to east in a row.
  next_seq := coalesce((SELECT max(g.grid_code % 1000) FROM sdbc.grid g
                         WHERE g.community OPERATOR(sdbc.=) grid_draw.community), 0)::integer;
  band := sqrt(public.ST_Area(comm) / greatest(part.grids, 1));
  FOR r IN
    SELECT grp FROM sdbc_draw_grid WHERE grid_code IS NULL
     ORDER BY floor((public.ST_YMax(comm) - public.ST_Y(public.ST_Centroid(shape))) / nullif(band, 0)), public.ST_X(public.ST_Centroid(shape)), grp
  LOOP
    next_seq := next_seq + 1;
    IF next_seq > 999 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD206',
        MESSAGE = format('community %s has used all 999 grid codes', grid_draw.community),
        DETAIL = 'Rule R7.1 (GB/T 30428.1): a grid code is the community code and a 3-digit sequence, and retired codes are never reused.',
        HINT = 'Redraw with larger grids (policy grid.households.min/max) so that more codes are kept.';
    END IF;
    UPDATE sdbc_draw_grid SET grid_code = grid_draw.community::bigint * 1000 + next_seq WHERE grp = r.grp;
  END LOOP;

  -- Write: retire, reshape, add; check inside/overlap once at the end.
  SET CONSTRAINTS sdbc.grid_check DEFERRED;
  UPDATE sdbc.grid g SET valid_to = on_date
   WHERE g.community OPERATOR(sdbc.=) grid_draw.community AND g.valid_to IS NULL
     AND g.grid_code NOT IN (SELECT grid_code FROM sdbc_draw_grid);
  UPDATE sdbc.grid g
     SET boundary = (SELECT d.geom FROM public.ST_Dump(n.shape) d ORDER BY public.ST_Area(d.geom) DESC LIMIT 1)
    FROM sdbc_draw_grid n WHERE g.grid_code = n.grid_code;
  -- a new grid is named by its sequence, 第N网格 (grid N), for people and GIS labels
  INSERT INTO sdbc.grid (grid_code, community, name, boundary, valid_from)
  SELECT n.grid_code, grid_draw.community, pg_catalog.format('第%s网格', n.grid_code % 1000),
         (SELECT d.geom FROM public.ST_Dump(n.shape) d ORDER BY public.ST_Area(d.geom) DESC LIMIT 1), on_date
    FROM sdbc_draw_grid n
   WHERE NOT EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = n.grid_code)
   ORDER BY n.grid_code;
  SET CONSTRAINTS sdbc.grid_check IMMEDIATE;

  INSERT INTO sdbc.grid_draw_report SELECT rep.*;
  DROP TABLE sdbc_draw_cell, sdbc_draw_grid;
  RETURN rep;
END $$;
-- 70_grid_draw.sql
CREATE OR REPLACE FUNCTION sdbc.grid_reclassify(under sdbc.divcode DEFAULT NULL, on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (grid_code bigint, from_class text, to_class text)
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  IF NOT isfinite(on_date) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD209',
      MESSAGE = format('grids cannot be reclassified on %s', on_date),
      DETAIL = 'Rule R7.2: a grid is classed from its indicators on a day; an infinite day has none.',
      HINT = 'Give a real date, by default today.';
  END IF;
  RETURN QUERY
  WITH ind AS (
    SELECT i.*, sdbc.grid_class_for(i.community, i.households, i.residents, i.key_population,
                                    i.floating_population, i.rental_households, i.incidents, on_date) AS new_class
      FROM sdbc.grid_indicators(on_date) i
     WHERE under IS NULL OR i.community OPERATOR(sdbc.<@) under
  ), changed AS (
    UPDATE sdbc.grid g SET class = ind.new_class
      FROM ind
     WHERE g.grid_code = ind.grid_code AND g.class <> ind.new_class
    RETURNING g.grid_code, ind.class AS from_class, ind.new_class AS to_class,
              jsonb_build_object('households', ind.households, 'residents', ind.residents,
                                 'key_population', ind.key_population,
                                 'floating_population', ind.floating_population,
                                 'rental_households', ind.rental_households,
                                 'incidents', ind.incidents, 'on_date', on_date) AS indicators
  ), logged AS (
    INSERT INTO sdbc.grid_class_history (grid_code, from_class, to_class, indicators)
    SELECT c.grid_code, c.from_class, c.to_class, c.indicators FROM changed c
    RETURNING sdbc.grid_class_history.grid_code, sdbc.grid_class_history.from_class, sdbc.grid_class_history.to_class
  )
  SELECT l.grid_code, l.from_class, l.to_class FROM logged l ORDER BY l.grid_code;
END $$;
-- 83_posts_visits.sql
CREATE OR REPLACE FUNCTION sdbc.post_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  g sdbc.grid;
  who bigint;
BEGIN
  IF NEW.principal = NEW.backup THEN
    RAISE EXCEPTION USING ERRCODE = 'SD506',
      MESSAGE = format('staff %s cannot be both principal (A) and backup (B) of a post', NEW.principal),
      DETAIL = 'R7.3: every post has a principal and a backup, two different people.',
      HINT = 'Name another person as backup.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.post_post_id_seq', NEW.post_id) THEN
    RETURN NEW;   -- a restore: staff moves and absences may not be back yet
  END IF;
  IF NEW.office = 'grid_leader' AND NEW.grid_code IS NOT NULL THEN
    SELECT * INTO g FROM sdbc.grid WHERE grid_code = NEW.grid_code;
    IF FOUND AND g.community <> NEW.division THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('grid %s belongs to community %s, not %s', NEW.grid_code, g.community, NEW.division),
        DETAIL = 'R7.4: a grid leader post is a post of the grid''s community.',
        HINT = format('Set the post''s division to %s.', g.community);
    END IF;
    FOREACH who IN ARRAY ARRAY[NEW.principal, NEW.backup] LOOP
      IF sdbc.staff_division(who, CURRENT_DATE) IS DISTINCT FROM NEW.division THEN
        RAISE EXCEPTION USING ERRCODE = 'SD507',
          MESSAGE = format('staff %s does not serve community %s, the community of grid %s',
                           who, NEW.division, NEW.grid_code),
          DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
          HINT = 'Choose staff of that community, or record the person''s move there first (sdbc.staff_move).';
      END IF;
    END LOOP;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.principal <> OLD.principal OR NEW.backup <> OLD.backup THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (x.id % 2147483647)::integer)
       FROM (SELECT DISTINCT unnest(ARRAY[NEW.principal, NEW.backup]) AS id ORDER BY 1) x;
    PERFORM sdbc.staff_absence_lock(ARRAY[NEW.principal, NEW.backup]);
    -- (after the locks: an absence written at the same time is seen)
    -- B may not be made backup of an A whose absence, current, to come or
    -- open-ended, B recorded himself: he would act for A on it (SD516)
    -- (read with the engine's rights, whatever the caller sees)
    who := sdbc.ab_recorded_absence(NEW.principal, NEW.backup);
    IF who IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s recorded absence %s of staff %s and cannot be his backup (B) while it lasts',
                         NEW.backup, who, NEW.principal),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Name another backup, or let A, the street office or another colleague record the absence again.';
    END IF;
    IF sdbc.ab_absences_overlap(NEW.principal, NEW.backup) THEN   -- with the engine's rights
      RAISE EXCEPTION USING ERRCODE = 'SD508',
        MESSAGE = format('staff %s and %s are absent at overlapping times', NEW.principal, NEW.backup),
        DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time.',
        HINT = 'Choose a backup who is present whenever the principal is absent.';
    END IF;
  END IF;
  RETURN NEW;
END $$;

-- SRID 0 refused (issue 13, section 8): a building's SRID is held by a
-- constraint instead of the column's type modifier, which gave SRID 4490 to
-- a geometry written with SRID 0 before any trigger saw it
-- (sql/50_registry.sql).  The trigger that names the columns is made again
-- around the change of type; the location check (SD208, SD210) is made
-- after it, once.
DROP TRIGGER building_place ON sdbc.building;
ALTER TABLE sdbc.building ALTER COLUMN location TYPE public.geometry(Point),
                          ALTER COLUMN footprint TYPE public.geometry(MultiPolygon);
ALTER TABLE sdbc.building ADD CONSTRAINT building_location_srid CHECK (public.ST_SRID(location) = 4490),
                          ADD CONSTRAINT building_footprint_srid CHECK (public.ST_SRID(footprint) = 4490);
COMMENT ON COLUMN sdbc.building.location IS 'location 位置, a point in CGCS2000 (SRID 4490, held by constraint building_location_srid: SRID 0 is refused, SD210)';
COMMENT ON COLUMN sdbc.building.footprint IS 'footprint 轮廓, optional, in CGCS2000 (SRID 4490)';
CREATE TRIGGER building_place BEFORE INSERT OR UPDATE OF location, community ON sdbc.building
  FOR EACH ROW EXECUTE FUNCTION sdbc.building_place();
CREATE FUNCTION sdbc.building_location_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  x double precision := public.ST_X(NEW.location);
  y double precision := public.ST_Y(NEW.location);
BEGIN
  -- a point written without its SRID (0) or in another system is refused,
  -- not taken as CGCS2000
  IF public.ST_SRID(NEW.location) <> 4490 OR public.ST_SRID(NEW.footprint) <> 4490 THEN
    RAISE EXCEPTION USING ERRCODE = 'SD210',
      MESSAGE = pg_catalog.format('building %s has SRID %s, not 4490 (CGCS2000)',
                                  CASE WHEN public.ST_SRID(NEW.location) <> 4490 THEN 'location' ELSE 'footprint' END,
                                  CASE WHEN public.ST_SRID(NEW.location) <> 4490 THEN public.ST_SRID(NEW.location)
                                       ELSE public.ST_SRID(NEW.footprint) END),
      DETAIL = 'Rule R7.4: buildings are placed in grids drawn in CGCS2000 (SRID 4490); a geometry without an SRID (0) or in another system would be placed by coordinates it does not mean.',
      HINT = 'Give the SRID: ST_SetSRID(ST_MakePoint(longitude, latitude), 4490), or transform: ST_Transform(geom, 4490).';
  END IF;
  -- NaN compares above every number: BETWEEN refuses it as well as the infinities
  IF NOT (x BETWEEN -180 AND 180 AND y BETWEEN -90 AND 90) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD208',
      MESSAGE = format('building location (%s %s) is not a place on earth', x, y),
      DETAIL = 'Rule R7.4: a building is placed in the grid that contains it; its location is a longitude and latitude in CGCS2000 (SRID 4490).',
      HINT = 'Give the location as ST_SetSRID(ST_MakePoint(longitude, latitude), 4490), longitude -180…180, latitude -90…90.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.building_location_check() IS
  'Trigger on sdbc.building: the location and footprint are in CGCS2000, SRID 4490 (SD210), and the location is a finite longitude/latitude (SD208, R7.4) 楼栋位置检查';
CREATE TRIGGER building_location_check BEFORE INSERT OR UPDATE OF location, footprint ON sdbc.building
  FOR EACH ROW WHEN (NEW.location IS NOT NULL) EXECUTE FUNCTION sdbc.building_location_check();

-- sql/89_service_hall.sql: an application without matter, applicant or taker is 23502 naming the column
-- 89_service_hall.sql
CREATE OR REPLACE FUNCTION sdbc.service_application_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  m sdbc.service_matter;
  home sdbc.divcode;
  missing text[];
  v_version integer;
  first_step integer;
BEGIN
  -- the values every check below names: a NULL is 23502 naming the column,
  -- not "resident  does not live in community " (issue 13, section 8)
  IF NEW.matter_code IS NULL OR NEW.applicant IS NULL OR NEW.taken_by IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '23502',
      MESSAGE = pg_catalog.format('null value in column "%s" of relation "service_application" violates not-null constraint',
                                  CASE WHEN NEW.matter_code IS NULL THEN 'matter_code'
                                       WHEN NEW.applicant IS NULL THEN 'applicant' ELSE 'taken_by' END),
      DETAIL = 'Rules R4.1, R4.2: an application names its matter, its applicant and the staff member who takes it at the hall.',
      HINT = 'Give the resident''s id (sdbc.resident) and your own staff id.';
  END IF;
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

-- sql/81_staff_moves.sql: an office's members serve its division (SD356)
-- A member of an office serves the office's division (session-4 review: a
-- street office made its own finance officer a community's handler and
-- finance lead, and staff of another community or street handlers of 前进).
-- Restores bring memberships as they were (sdbc.is_restore_session()).
-- The division a staff member serves, read with the owner's rights (a
-- street office must not pass a member it cannot see).
CREATE FUNCTION sdbc.staff_division_of(staff_id bigint) RETURNS sdbc.divcode
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sdbc, pg_temp
  AS $$ SELECT s.division FROM sdbc.staff s WHERE s.staff_id = staff_division_of.staff_id $$;
COMMENT ON FUNCTION sdbc.staff_division_of(bigint) IS
  'The division a staff member serves, whatever the caller sees (for sdbc.office_member_check)';

CREATE FUNCTION sdbc.office_member_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  serves sdbc.divcode;
BEGIN
  IF TG_OP = 'INSERT' AND sdbc.is_restore_session() THEN
    RETURN NEW;
  END IF;
  serves := sdbc.staff_division_of(NEW.staff_id);
  IF serves IS NOT NULL AND serves OPERATOR(sdbc.<>) NEW.division THEN
    RAISE EXCEPTION USING ERRCODE = 'SD356',
      MESSAGE = pg_catalog.format('staff %s serves division %s and cannot be a member of %s for %s',
                                  NEW.staff_id, serves, NEW.office, NEW.division),
      DETAIL = 'Rules R2.3, R3.2, R3.3: the members of an office serve its division; a street''s officer is not a community''s handler, and a community''s handler not another community''s.',
      HINT = 'Move the person to the division first (sdbc.staff_move), or name a member who serves it.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.office_member_check() IS
  'Trigger on sdbc.office_member: the member serves the office''s division (SD356); restored rows as they were 办公室成员所属检查';
CREATE TRIGGER office_member_check BEFORE INSERT OR UPDATE OF staff_id, division ON sdbc.office_member
  FOR EACH ROW EXECUTE FUNCTION sdbc.office_member_check();

-- sql/89_service_hall.sql: a refusal is dated by the engine and has a reason that is not blank
-- 89_service_hall.sql
CREATE OR REPLACE FUNCTION sdbc.task_assignment_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  t sdbc.task_type;
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- a restored row keeps its status and refusal (its task type may come
    -- back later, and a refusal is a fact of its day, R1.3)
    IF sdbc.is_restored_row('sdbc.task_assignment_assignment_id_seq', NEW.assignment_id) THEN
      RETURN NEW;
    END IF;
    IF NEW.department IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'SD409', MESSAGE = 'a task handed to a community names its department',
        DETAIL = 'Rule R1.1/R5.4: the department that hands a task down answers for it (and is evaluated by the community).',
        HINT = 'Give the county department (an office of level 3).';
    END IF;
    SELECT * INTO t FROM sdbc.task_type x
     WHERE x.county = sdbc.divcode_ancestor(NEW.community, 3) AND x.task_code = NEW.task_code;
    NEW.status := 'accepted';
    NEW.basis := NULL;
    IF NOT FOUND THEN
      NEW.status := 'refusable'; NEW.basis := 'not on the county''s access list (R1.1)';
    ELSIF t.statutory THEN
      NEW.status := 'accepted'; NEW.basis := 'statutory duty';
    ELSIF t.class = 'refuse' THEN
      NEW.status := 'refusable'; NEW.basis := 'classed refuse on the access list (R1.1)';
    ELSIF t.needs_funding AND NEW.funding <= 0 THEN
      NEW.status := 'refusable'; NEW.basis := 'handed down without its funds (R1.2 费随事转)';
    ELSIF t.needs_authority AND NOT NEW.authority_granted THEN
      NEW.status := 'refusable'; NEW.basis := 'handed down without its authority (R1.2 权随责走)';
    END IF;
    NEW.refusal_reason := NULL; NEW.refused_on := NULL; NEW.refused_by := NULL;
    RETURN NEW;
  END IF;
  -- UPDATE: only a refusal of a refusable task, with its reason
  IF OLD.status <> 'refusable' OR NEW.status <> 'refused' OR NEW.refusal_reason IS NULL
     OR btrim(NEW.refusal_reason) = ''
     OR (NEW.department, NEW.community, NEW.task_code, NEW.handed_on, NEW.funding, NEW.authority_granted, NEW.basis)
        IS DISTINCT FROM (OLD.department, OLD.community, OLD.task_code, OLD.handed_on, OLD.funding, OLD.authority_granted, OLD.basis) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD410',
      MESSAGE = format('task %s is %s and cannot be changed that way', OLD.assignment_id, OLD.status),
      DETAIL = 'Rule R1.3: a community may refuse a task that is off the list, classed refuse, or handed down without its funds or authority — with a reason; statutory duties and accepted tasks are not refused.',
      HINT = 'Refuse with sdbc.refuse_task(assignment_id, reason) a task whose status is refusable.';
  END IF;
  -- the day of a refusal is the engine's: the day it is recorded (a client's
  -- date, e.g. before the task was handed down, is not taken)
  NEW.refused_on := CURRENT_DATE;
  -- who refused it: the login's own person (R1.3, sdbc.role_staff)
  NEW.refused_by := CASE WHEN NEW.refused_by IS DISTINCT FROM OLD.refused_by THEN NEW.refused_by
                         ELSE sdbc.my_staff_id() END;
  PERFORM sdbc.check_login_is('sdbc.task_assignment', NEW.refused_by, 'refuse a task');
  RETURN NEW;
END $$;

-- sql/83_posts_visits.sql: a household visit is recorded within policy
-- visit.backdate.max_days of it (SD517; session-4 review)
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('visit.backdate.max_days', 'R12.2', 'days', 0, 366,
   'how many days after a household visit staff may still record it (an older visit recorded now would fake the R12.2 figures)', '入户走访最多可补记的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('visit.backdate.max_days', NULL, '2014-01-01', 7, true, 'local default, not in the paper: a visit is recorded within a week');
-- 83_posts_visits.sql
CREATE OR REPLACE FUNCTION sdbc.household_visit_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  community sdbc.divcode;
BEGIN
  IF NEW.visited_on > CURRENT_DATE THEN
    RAISE EXCEPTION USING ERRCODE = 'SD509',
      MESSAGE = format('a visit dated %s lies in the future', NEW.visited_on),
      DETAIL = 'R12.2: a visit is recorded after it took place.',
      HINT = 'Record the visit on the day it happened, or later.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.household_visit_visit_id_seq', NEW.visit_id) THEN
    RETURN NEW;   -- a restore: the staff's moves may not be back yet
  END IF;
  -- a visit is recorded by the login of the person who made it (R12.2)
  PERFORM sdbc.check_login_is('sdbc.household_visit', NEW.staff_id, 'record a visit');
  SELECT h.community INTO community FROM sdbc.household h WHERE h.household_id = NEW.household_id;
  -- recorded within policy visit.backdate.max_days of the visit, except by
  -- the table's owner or a superuser (a migration of old records): a visit
  -- recorded long after would fake the R12.2 figures (session-4 review)
  IF FOUND AND (TG_OP = 'INSERT' OR NEW.visited_on IS DISTINCT FROM OLD.visited_on)
     AND NEW.visited_on < CURRENT_DATE - sdbc.policy_value('visit.backdate.max_days', community)::integer
     AND NOT pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                     WHERE c.oid = 'sdbc.household_visit'::pg_catalog.regclass), 'MEMBER') THEN
    RAISE EXCEPTION USING ERRCODE = 'SD517',
      MESSAGE = pg_catalog.format('a visit of %s is recorded more than %s days after it', NEW.visited_on,
                                  sdbc.policy_value('visit.backdate.max_days', community)),
      DETAIL = 'R12.2: visits are recorded when they happen, so that the figures of households visited tell the truth.',
      HINT = 'Record visits within the days policy visit.backdate.max_days allows (a county may set its own).';
  END IF;
  IF FOUND AND sdbc.staff_division(NEW.staff_id, NEW.visited_on) IS DISTINCT FROM community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD510',
      MESSAGE = format('staff %s did not serve community %s on %s', NEW.staff_id, community, NEW.visited_on),
      DETAIL = 'R12.2, R7.4: households are visited by the staff of their own community (people into the grid).',
      HINT = 'Record the visit under a staff member of the household''s community.';
  END IF;
  RETURN NEW;
END $$;


-- sql/95_report.sql: sdbc_report.service_matters for one county reads that
-- county's applications only (issue 14 section 4: it grew 7x when the
-- country's open applications grew 4x): report_service_open(county, matter)
-- called per row through an index by county, instead of every county computed
-- and then filtered.
-- One county's open applications are read through this index, so that
-- sdbc_report.service_matters filtered to a county grows with that county's
-- applications, not the country's (issue 14 section 4).
CREATE INDEX service_application_county_idx ON sdbc.service_application ((sdbc.divcode_ancestor(community, 3)::text), matter_code);
COMMENT ON INDEX sdbc.service_application_county_idx IS
  'applications by county code (12-digit text) and matter: sdbc_report.service_matters for one county';
CREATE FUNCTION sdbc.report_service_open(county_code text, matter_code text)
  RETURNS TABLE (open_applications bigint, overdue bigint)
  LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT count(*), count(*) FILTER (WHERE o.overdue)
          FROM sdbc.service_application a JOIN sdbc.case_step_open o USING (case_id)
         WHERE sdbc.divcode_ancestor(a.community, 3)::text = report_service_open.county_code
           AND a.matter_code = report_service_open.matter_code $$;
COMMENT ON FUNCTION sdbc.report_service_open(text, text) IS
  'Open and overdue applications of one county (12-digit code) and matter (working-day deadlines), with the owner''s rights (for sdbc_report.service_matters, called per row so that a county''s report reads that county only)';
REVOKE EXECUTE ON FUNCTION sdbc.report_service_open(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.report_service_open(text, text) TO sdbc_reader;
CREATE OR REPLACE VIEW sdbc_report.service_matters AS
  WITH apps AS (
    SELECT sdbc.divcode_ancestor(a.community, 3)::text AS county_code, a.matter_code, count(*) AS applications,
           count(*) FILTER (WHERE c.status = 'approved') AS approved,
           count(*) FILTER (WHERE c.status = 'rejected') AS rejected,
           count(*) FILTER (WHERE a.proxy <> 'self') AS on_behalf,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY c.closed_at::date - a.applied_on)
             FILTER (WHERE c.status IN ('approved', 'rejected')) AS median_days
      FROM sdbc.service_application a JOIN sdbc.approval_case c USING (case_id)
     GROUP BY 1, 2
  )
  SELECT a.county_code, a.matter_code, m.name_zh AS matter_zh, a.applications, a.approved, a.rejected, a.on_behalf,
         round(a.median_days::numeric, 1) AS median_days,
         coalesce(o.open_applications, 0) AS open_applications, coalesce(o.overdue, 0) AS overdue,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = a.county_code::sdbc.divcode) AS county_name
    FROM apps a JOIN sdbc.service_matter m USING (matter_code)
    LEFT JOIN LATERAL sdbc.report_service_open(a.county_code, a.matter_code) o ON true;
DROP FUNCTION sdbc.report_service_open();

-- sql/82_routes.sql: every decision updates its case; with room left on each
-- page (fillfactor 75) most of those updates are HOT (issue 14 section 4:
-- 1.8 % HOT before, 31 % after, approvals 14 % faster).  Pages written before
-- the update fill up as they are rewritten.
ALTER TABLE sdbc.approval_case SET (fillfactor = 75);
-- h-onepath: one engine for every case kind (issue 14 §2).  Route rules name
-- the service matter they route (sdbc.route_rule.matter_code; a rule naming
-- the matter, or any matter, wins over sdbc.service_matter.route_code, which
-- holds when none does; built-in rules route each built-in matter as its
-- catalogue row does — a user's service rule already at one of their
-- priorities keeps it, and that matter keeps its catalogue route).  An
-- application starts its case through the engine's C start path
-- (src/service_start.c, src/case_start.c) instead of PL/pgSQL: the trigger
-- keeps its name and now runs sdbc.service_application_start(); the checks
-- that are not the case start move to sdbc.service_application_verify(); the
-- case's first step opens on the day of application (R4.2, R8.1).  This runs
-- after the resync above, which made sdbc.service_application_check() again.
ALTER TABLE sdbc.route_rule ADD COLUMN matter_code text;
ALTER TABLE sdbc.route_rule ADD CONSTRAINT route_rule_matter CHECK (matter_code IS NULL OR case_kind = 'service');
ALTER TABLE sdbc.route_rule ADD CONSTRAINT route_rule_service_test CHECK (case_kind <> 'service' OR policy_key IS NULL);
COMMENT ON TABLE sdbc.route_rule IS
  'Route selection as data 审批路线规则: for an expense, "amount <= policy expense.small_limit → expense_small" (R3.2) and "amount > limit → expense_large" (R3.3), the limit read from policy for the case''s division and date; for a service matter, the route of the matter (R4.2) — a rule naming the matter (or any matter) wins over the matter''s own sdbc.service_matter.route_code, which holds when no rule names it';
COMMENT ON COLUMN sdbc.route_rule.policy_key IS 'policy value the amount is compared with; NULL: always (service rules have no test)';
COMMENT ON COLUMN sdbc.route_rule.matter_code IS 'for case kind service: the matter 事项 the rule routes (NULL: any matter); NULL for expenses';
ALTER TABLE sdbc.route_rule ADD CONSTRAINT route_rule_matter_code_fkey
  FOREIGN KEY (matter_code) REFERENCES sdbc.service_matter (matter_code);
CREATE INDEX route_rule_matter_code_idx ON sdbc.route_rule (matter_code);
INSERT INTO sdbc.route_rule (case_kind, priority, policy_key, comparison, route_code, builtin, matter_code)
SELECT 'service', 1000 + 10 * row_number() OVER (ORDER BY m.matter_code COLLATE "C"), NULL, NULL, m.route_code, true, m.matter_code
  FROM sdbc.service_matter m WHERE m.builtin
ON CONFLICT DO NOTHING;
DROP TRIGGER service_application_check ON sdbc.service_application;
DROP FUNCTION sdbc.service_application_check();
CREATE FUNCTION sdbc.service_application_verify(a sdbc.service_application) RETURNS text LANGUAGE plpgsql
  VOLATILE SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  m sdbc.service_matter;
  home sdbc.divcode;
  missing text[];
BEGIN
  -- the id and the day are the engine's (SD340-SD343, src/engine_ids.c)
  PERFORM sdbc.require_engine_id('sdbc.service_application', 'application_id', a.application_id);
  IF a.community IS NOT NULL THEN
    PERFORM sdbc.require_day_in_policy(a.applied_on, a.community, 'sdbc.service_application', 'applied_on',
                                       'service.backdate.max_days', 'R4.2');
  END IF;
  SELECT * INTO m FROM sdbc.service_matter x WHERE x.matter_code = a.matter_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD401', MESSAGE = format('unknown service matter "%s"', a.matter_code),
      DETAIL = 'Rule R4.2: applications are taken for the matters of the catalogue.',
      HINT = 'See SELECT matter_code, name_zh FROM sdbc.service_matter.';
  END IF;
  SELECT h.community INTO home FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
   WHERE r.resident_id = a.applicant;
  IF home IS NULL OR home <> a.community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD404',
      MESSAGE = format('resident %s does not live in community %s', a.applicant, a.community),
      DETAIL = 'Rule R4.1: a resident applies at the service hall of his own community, which holds the preliminary review.',
      HINT = format('Take the application at the hall of community %s.', coalesce(home::text, '(none)'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = a.taken_by AND s.division = a.community) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD405',
      MESSAGE = format('staff %s does not serve community %s', a.taken_by, a.community),
      DETAIL = 'Rule R4.1/R8.2: the community''s own staff take applications, also when they handle, visit or petition for a resident.',
      HINT = 'Let a member of the community''s staff take it.';
  END IF;
  missing := ARRAY(SELECT d FROM unnest(m.documents) d WHERE d <> ALL (a.documents));
  IF cardinality(missing) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'SD406',
      MESSAGE = format('application for %s lacks %s document(s): %s', m.name_zh, cardinality(missing), array_to_string(missing, '、')),
      DETAIL = 'Rule R4.2/R8.1: the community tells the applicant every missing document at once (一次性告知).',
      HINT = 'Hand in all of: ' || array_to_string(missing, '、');
  END IF;
  IF m.eligibility IS NOT NULL THEN
    IF NOT sdbc.eligibility_holds(m.eligibility, a.applicant) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD407',
        MESSAGE = format('resident %s is not eligible for %s', a.applicant, m.name_zh),
        DETAIL = format('Rule R4.2: the matter''s eligibility (%s) does not hold for the applicant.', m.eligibility),
        HINT = 'Check the applicant''s registration and age in the registry.';
    END IF;
  END IF;
  RETURN m.route_code;
END $$;
COMMENT ON FUNCTION sdbc.service_application_verify(sdbc.service_application) IS
  'The checks of an application 办事申请检查 that the trigger sdbc.service_application_start() runs before its case starts: an id the identity default drew (SD340), a day of application within policy (SD341-SD343), a catalogued matter (SD401), an applicant of the community (SD404), staff of the community (SD405), every required document (SD406, all missing listed at once), an eligible applicant (SD407); returns the matter''s own route (sdbc.service_matter.route_code)';
CREATE FUNCTION sdbc.service_application_start() RETURNS trigger
  AS 'MODULE_PATHNAME', 'service_application_start' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.service_application_start() IS
  'Trigger (C) on sdbc.service_application 办事申请: matter, applicant and taker named (23502), a row brought with its case accepted as is from a superuser''s restore only (SD325), the checks of sdbc.service_application_verify(); then the route by sdbc.route_rule (a rule naming the matter or any matter, else the matter''s route_code) and the case through the engine''s one start path (src/case_start.c), its first step opening on the day of application (R4.2, R8.1)';
CREATE TRIGGER service_application_check BEFORE INSERT ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.service_application_start();
-- h-onepath: the what-if reads the route rules (any rule, through the
-- engine's kernel: sdbc.route_by_rules, src/route_whatif.c) and routes split
-- expenses by their sum as the engine does (issue 14 §2.4; sql/86_money_reports.sql)
CREATE FUNCTION sdbc.route_by_rules(case_kind text, basis numeric, division sdbc.divcode, on_date date,
                                    proposed_key text DEFAULT NULL, proposed_value numeric DEFAULT NULL)
  RETURNS text AS 'MODULE_PATHNAME', 'route_by_rules' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.route_by_rules(text, numeric, sdbc.divcode, date, text, numeric) IS
  'The route a case of case_kind would take by sdbc.route_rule 路线规则试算 (R3.2, R3.3): the first rule (by priority, rules for any matter) whose test holds for basis, with the policy values in force for the division on on_date — proposed_value for proposed_key — compared exactly by the engine''s kernel; NULL when no rule holds or a value it needs is missing or not a number';
CREATE OR REPLACE FUNCTION sdbc.expense_route_whatif(small_limit numeric, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (route text, expenses bigint, total numeric, now_on_route bigint)
  LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT r.route, count(*), sum(e.amount), count(*) FILTER (WHERE e.route_code = r.route)
    FROM sdbc.expense e
    LEFT JOIN sdbc.approval_case ec ON ec.case_id = e.case_id
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(p.amount), 0) AS prior
       FROM sdbc.expense p JOIN sdbc.approval_case pc ON pc.case_id = p.case_id
      WHERE p.community OPERATOR(sdbc.=) e.community AND p.payee = e.payee AND p.purpose = e.purpose
        AND p.expense_id < e.expense_id
        AND p.submitted_on > e.submitted_on - sdbc.policy_value('expense.split_window_days', e.community, e.submitted_on)::integer
        AND p.submitted_on <= greatest(e.submitted_on, coalesce(ec.submitted_at::date, e.submitted_on))
        AND pc.status IN ('open', 'approved')) w
   CROSS JOIN LATERAL (
     SELECT sdbc.route_by_rules('expense',
              CASE WHEN w.prior > 0 AND w.prior + e.amount > small_limit THEN w.prior + e.amount ELSE e.amount END,
              e.community, e.submitted_on, 'expense.small_limit', small_limit) AS route) r
   WHERE under IS NULL OR e.community OPERATOR(sdbc.<@) under
   GROUP BY 1 ORDER BY 1;
END;
COMMENT ON FUNCTION sdbc.expense_route_whatif(numeric, sdbc.divcode) IS
  'For a proposed limit (R3.2/R3.3), how many past expenses would have taken each route by the rules of sdbc.route_rule (as the engine chooses, sdbc.route_by_rules), split expenses routed by their sum as the engine flags them (same window, same community, payee and purpose), their total, and how many of those took it in fact';

-- h-onepath: the two-level rule (SD402) also holds for the routes route rules
-- give a devolved matter, and a service route rule names a service route
-- (SD408; sql/88_service.sql)
CREATE OR REPLACE FUNCTION sdbc.route_two_levels_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  bad record;
  min_days integer;
BEGIN
  -- a service route rule names a service route (NEW has case_kind only on route_rule)
  IF TG_TABLE_NAME = 'route_rule' THEN
    IF NEW.case_kind = 'service' AND NOT EXISTS (
         SELECT 1 FROM sdbc.route r WHERE r.route_code = NEW.route_code AND r.case_kind = 'service') THEN
      RAISE EXCEPTION USING ERRCODE = 'SD408',
        MESSAGE = format('route rule %s for %s names route %s, which is not a service route',
                         NEW.priority, coalesce('matter ' || NEW.matter_code, 'every matter'), NEW.route_code),
        DETAIL = 'Rule R4.2: every matter is handled on a route of the approval engine.',
        HINT = 'Define the route in sdbc.route and sdbc.route_step (case_kind service) first.';
    END IF;
  END IF;
  FOR bad IN
    SELECT m.matter_code, s.route_code, s.version, s.step_no, s.office
      FROM sdbc.service_matter m
      JOIN sdbc.route_step s ON s.route_code = m.route_code
           OR s.route_code IN (SELECT r.route_code FROM sdbc.route_rule r   -- the routes rules give it
                                WHERE r.case_kind = 'service' AND (r.matter_code = m.matter_code OR r.matter_code IS NULL))
      JOIN sdbc.office o ON o.office = s.office
     WHERE m.devolved AND o.level = 4
     ORDER BY m.matter_code, s.route_code, s.version, s.step_no
     LIMIT 1
  LOOP
    RAISE EXCEPTION USING ERRCODE = 'SD402',
      MESSAGE = format('route %s (version %s) of devolved matter %s passes through the street office %s at step %s',
                       bad.route_code, bad.version, bad.matter_code, bad.office, bad.step_no),
      DETAIL = 'Rule R4.2 (and R13.1): the community holds the preliminary review and a county department decides; the street no longer reviews devolved matters.',
      HINT = 'Define the route with community and county offices only, or mark the matter as not devolved.';
  END LOOP;
  IF TG_TABLE_NAME = 'service_matter' AND NOT EXISTS (
       SELECT 1 FROM sdbc.route r WHERE r.route_code = NEW.route_code AND r.case_kind = 'service') THEN
    RAISE EXCEPTION USING ERRCODE = 'SD408',
      MESSAGE = format('matter %s names route %s, which is not a service route', NEW.matter_code, NEW.route_code),
      DETAIL = 'Rule R4.2: every matter is handled on a route of the approval engine.',
      HINT = 'Define the route in sdbc.route and sdbc.route_step (case_kind service) first.';
  END IF;
  min_days := sdbc.policy_value('service.notice.min_days', NULL);
  FOR bad IN
    SELECT s.route_code, s.version, s.step_no, s.notice_days FROM sdbc.route_step s
     WHERE s.step_kind = 'notice' AND s.notice_days < min_days
     ORDER BY s.route_code, s.version, s.step_no LIMIT 1
  LOOP
    RAISE EXCEPTION USING ERRCODE = 'SD403',
      MESSAGE = format('the public notice at step %s of route %s (version %s) lasts %s days, fewer than %s',
                       bad.step_no, bad.route_code, bad.version, bad.notice_days, min_days),
      DETAIL = 'Rule R4.2: a public notice (公示) lasts at least the days policy service.notice.min_days sets.',
      HINT = format('Give the notice at least %s days.', min_days);
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.route_two_levels_check() IS
  'Constraint trigger: no route of a devolved matter — its own, or one a route rule gives it — passes a street office (SD402, R4.2), a matter or a service route rule names a service route (SD408), and no public notice is shorter than policy (SD403)';
CREATE CONSTRAINT TRIGGER route_rule_two_levels AFTER INSERT OR UPDATE ON sdbc.route_rule
  DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION sdbc.route_two_levels_check();

-- sql/85_money.sql: decide, sign and withdraw in C (src/decide_api.c, issue 14
-- section 4: the PL/pgSQL decide with SET search_path and the SQL wrappers
-- through expense_case were about 52 us of an approval's 279 us).  The same
-- statements through saved plans, the caller's rights, the same errors and
-- results (decide also names a NULL case_id, 23502); CREATE OR REPLACE
-- keeps their grants and drops the SET search_path of 0.2.0's decide.
CREATE OR REPLACE FUNCTION sdbc.decide(case_id bigint, actor bigint, verdict text DEFAULT 'approve',
                            reason text DEFAULT NULL, send_back_to integer DEFAULT NULL,
                            acting_for bigint DEFAULT NULL, step_no integer DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE C VOLATILE
  AS 'MODULE_PATHNAME', 'sdbc_decide';
CREATE OR REPLACE FUNCTION sdbc.sign(expense_id bigint, actor bigint, acting_for bigint DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE C VOLATILE
  AS 'MODULE_PATHNAME', 'sdbc_sign';
CREATE OR REPLACE FUNCTION sdbc.withdraw(expense_id bigint, actor bigint)
  RETURNS sdbc.approval_case LANGUAGE C VOLATILE
  AS 'MODULE_PATHNAME', 'sdbc_withdraw';
-- h-replica: caches stay true on logical-replication subscribers (issue 16,
-- "What sdbc itself must change" item 1; R14.1, R8.1, R3.2).  The apply
-- worker of a subscription fires row triggers enabled REPLICA or ALWAYS but
-- no statement triggers, so a shard's open sessions kept the policy, calendar
-- and routes they had cached before the coordinator's change
-- (docs/architecture.md, "Caches"; test/t/010_replica_caches.pl).
COMMENT ON FUNCTION sdbc.cache_invalidate() IS
  'Trigger on the tables that backends cache (policy, policy keys, working-day calendar, routes): tells every backend to reload its copy after the change commits; per statement, and per row for changes applied by logical replication';
-- ALTER TABLE refuses a table with pending trigger events: the deferred
-- checks of the policy rows inserted above (policy_group_check) run now
-- rather than at commit, and later rows are deferred again.
SET CONSTRAINTS sdbc.policy_group_check IMMEDIATE;
SET CONSTRAINTS sdbc.policy_group_check DEFERRED;
CREATE TRIGGER policy_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.policy
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.policy ENABLE REPLICA TRIGGER policy_cache_invalidate_replica;
COMMENT ON TRIGGER policy_cache_invalidate ON sdbc.policy IS
  'Backends reload their cached policy values 政策 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER policy_cache_invalidate_replica ON sdbc.policy IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER policy_key_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.policy_key
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.policy_key ENABLE REPLICA TRIGGER policy_key_cache_invalidate_replica;
COMMENT ON TRIGGER policy_key_cache_invalidate ON sdbc.policy_key IS
  'Backends reload their cached policy keys 政策参数 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER policy_key_cache_invalidate_replica ON sdbc.policy_key IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER calendar_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.calendar_day
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.calendar_day ENABLE REPLICA TRIGGER calendar_cache_invalidate_replica;
COMMENT ON TRIGGER calendar_cache_invalidate ON sdbc.calendar_day IS
  'Backends reload their cached working-day calendar 工作日历 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER calendar_cache_invalidate_replica ON sdbc.calendar_day IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER route_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.route
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.route ENABLE REPLICA TRIGGER route_cache_invalidate_replica;
COMMENT ON TRIGGER route_cache_invalidate ON sdbc.route IS
  'Backends reload their cached routes 审批流程 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER route_cache_invalidate_replica ON sdbc.route IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER route_step_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.route_step
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.route_step ENABLE REPLICA TRIGGER route_step_cache_invalidate_replica;
COMMENT ON TRIGGER route_step_cache_invalidate ON sdbc.route_step IS
  'Backends reload their cached route steps 审批步骤 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER route_step_cache_invalidate_replica ON sdbc.route_step IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER route_rule_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.route_rule
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.route_rule ENABLE REPLICA TRIGGER route_rule_cache_invalidate_replica;
COMMENT ON TRIGGER route_rule_cache_invalidate ON sdbc.route_rule IS
  'Backends reload their cached route rules 流程选择规则 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER route_rule_cache_invalidate_replica ON sdbc.route_rule IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';

-- Issue 15 §6: grids get a readable name (sql/70_grid_draw.sql names new
-- ones 第N网格; grid_draw is made again in the resync part above), existing
-- grids are named the same way, and sdbc.grid_layer is the grid layer for
-- GIS clients (sql/98_community_rls.sql).
COMMENT ON COLUMN sdbc.grid.name IS 'name 名称: 第N网格 (grid N) as sdbc.grid_draw names a new grid; may be renamed';
-- (only the name changes: the triggers that lock the community's grids and
-- place its buildings again have nothing to do, and call functions that
-- sql/98_login_safety.sql, run after this file, defines)
ALTER TABLE sdbc.grid DISABLE TRIGGER grid_lock, DISABLE TRIGGER grid_updated;
UPDATE sdbc.grid SET name = pg_catalog.format('第%s网格', grid_code % 1000) WHERE name IS NULL;
ALTER TABLE sdbc.grid ENABLE TRIGGER grid_lock, ENABLE TRIGGER grid_updated;
-- The grid layer for GIS and BI clients (issue 15 §6): ogr2ogr, QGIS and
-- web maps read a table's primary key as the feature id and drop it from
-- the attributes, so the code is here an ordinary text attribute beside an
-- integer fid, with the grid's name and the names of its community, street
-- (or town) and county.  Read with the caller's rights (security_invoker):
-- row-level security on sdbc.grid shows each role its own grids.
CREATE VIEW sdbc.grid_layer WITH (security_invoker = true) AS
  SELECT g.grid_code AS fid, g.grid_code::text AS grid_code, g.name,
         g.community::text AS community_code, c.name AS community_name,
         s.name AS street_name, k.name AS county_name,
         g.class, gc.name_zh AS class_zh, g.valid_from, g.boundary
    FROM sdbc.grid g
    JOIN sdbc.grid_class gc ON gc.class = g.class
    LEFT JOIN sdbc.division c ON c.code OPERATOR(sdbc.=) g.community
    LEFT JOIN sdbc.division s ON s.code OPERATOR(sdbc.=) sdbc.divcode_ancestor(g.community, 4)
    LEFT JOIN sdbc.division k ON k.code OPERATOR(sdbc.=) sdbc.divcode_ancestor(g.community, 3)
   WHERE g.valid_to IS NULL;
COMMENT ON VIEW sdbc.grid_layer IS
  'Live grids 网格图层 as a GIS layer (R7.1, R7.2): the code as an ordinary attribute (grid_code) beside an integer feature id (fid), the grid''s name and the names of its community, street and county; Polygon in CGCS2000 (SRID 4490); read with the caller''s rights (row-level security applies); README "For GIS users"';
COMMENT ON COLUMN sdbc.grid_layer.fid IS 'feature id 要素编号: the grid code as an integer (unique), for GIS clients that need a key';
COMMENT ON COLUMN sdbc.grid_layer.grid_code IS 'grid code 网格编码 (15 digits, text)';
COMMENT ON COLUMN sdbc.grid_layer.name IS 'grid name 网格名称 (第N网格 as sdbc.grid_draw names a new grid)';
COMMENT ON COLUMN sdbc.grid_layer.community_code IS 'community code 社区代码 (12 digits)';
COMMENT ON COLUMN sdbc.grid_layer.community_name IS 'community name 社区名称';
COMMENT ON COLUMN sdbc.grid_layer.street_name IS 'street or town name 街道/乡镇名称';
COMMENT ON COLUMN sdbc.grid_layer.county_name IS 'county name 县(市)名称';
COMMENT ON COLUMN sdbc.grid_layer.class IS 'grid class 网格类型 (R7.2), identifier';
COMMENT ON COLUMN sdbc.grid_layer.class_zh IS 'grid class, Chinese 网格类型';
COMMENT ON COLUMN sdbc.grid_layer.valid_from IS 'first day the grid is in use 启用日期';
COMMENT ON COLUMN sdbc.grid_layer.boundary IS 'boundary 边界, Polygon in CGCS2000 (SRID 4490)';
-- as sdbc.grid: every staff role but the county departments
GRANT SELECT ON sdbc.grid_layer TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- Issue 15 §6: every sdbc_report view that carries a division code carries
-- the names too (community_name / division_name, street_name, county_name),
-- appended at the end so that existing columns keep their positions
-- (sql/95_report.sql; the snapshot sdbc.report_key_figures is unchanged).
CREATE OR REPLACE VIEW sdbc_report.key_figures_live AS
  WITH per AS (
    SELECT d.code,
           coalesce(hh.n, 0) AS households, coalesce(res.n, 0) AS residents,
           coalesce(st.total, 0) AS staff, coalesce(st.national, 0) AS national, coalesce(st.admin, 0) AS admin,
           coalesce(st.inst, 0) AS inst, coalesce(st.welfare, 0) AS welfare, coalesce(st.contract, 0) AS contract,
           coalesce(st.men, 0) AS men, coalesce(st.associate_up, 0) AS associate_up,
           coalesce(gr.n, 0) AS grids,
           (pc.committee_id IS NOT NULL)::integer AS committees,
           coalesce(pb.branches, 0) AS branches, coalesce(pb.groups, 0) AS groups,
           (pf.community IS NOT NULL)::integer AS platform,
           pm.area
      FROM sdbc.division d
      LEFT JOIN (SELECT community, count(*) AS n FROM sdbc.household GROUP BY community) hh ON hh.community = d.code
      LEFT JOIN (SELECT h.community, count(*) AS n FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
                  GROUP BY h.community) res ON res.community = d.code
      LEFT JOIN (SELECT division, count(*) AS total,
                        count(*) FILTER (WHERE category IN ('administrative', 'institutional')) AS national,
                        count(*) FILTER (WHERE category = 'administrative') AS admin,
                        count(*) FILTER (WHERE category = 'institutional') AS inst,
                        count(*) FILTER (WHERE category = 'public_welfare') AS welfare,
                        count(*) FILTER (WHERE category = 'contract') AS contract,
                        count(*) FILTER (WHERE sex = 'male') AS men,
                        count(*) FILTER (WHERE education IN ('postgraduate', 'bachelor', 'associate')) AS associate_up
                   FROM sdbc.staff GROUP BY division) st ON st.division = d.code
      LEFT JOIN (SELECT community, count(*) AS n FROM sdbc.grid WHERE valid_to IS NULL GROUP BY community) gr ON gr.community = d.code
      LEFT JOIN sdbc.party_committee pc ON pc.community = d.code
      LEFT JOIN (SELECT b.committee_id, count(DISTINCT b.branch_id) AS branches, count(g.group_id) AS groups
                   FROM sdbc.party_branch b LEFT JOIN sdbc.party_group g USING (branch_id) GROUP BY b.committee_id) pb
             ON pb.committee_id = pc.committee_id
      LEFT JOIN sdbc.community_platform pf ON pf.community = d.code
      LEFT JOIN (SELECT community, sum(area_m2) AS area FROM sdbc.premises GROUP BY community) pm ON pm.community = d.code
     WHERE d.kind = 'residents_committee'
  ), up AS (
    SELECT sdbc.divcode_ancestor(per.code, l.level) AS division, count(*) AS communities,
           sum(households) AS households, sum(residents) AS residents, sum(staff) AS staff, sum(national) AS national,
           sum(admin) AS admin, sum(inst) AS inst, sum(welfare) AS welfare, sum(contract) AS contract, sum(men) AS men,
           sum(associate_up) AS associate_up, sum(grids) AS grids, sum(committees) AS committees,
           sum(branches) AS branches, sum(groups) AS groups, sum(platform) AS platform,
           round(avg(area), 1) AS average_area
      FROM per CROSS JOIN (VALUES (2), (3), (4)) l(level)
     GROUP BY 1
  ), streets AS (
    SELECT sdbc.divcode_ancestor(d.code, l.level) AS division, count(*) AS streets
      FROM sdbc.division d CROSS JOIN (VALUES (2), (3)) l(level)
     WHERE d.kind = 'street' GROUP BY 1
  )
  SELECT up.division::text AS division_code, d.name AS division_name, d.kind AS division_kind,
         v.position, v.measure, v.label_zh, v.rule_id, v.value,
         round(100.0 * v.value / nullif(v.of_total, 0), 1) AS share_pct,
         -- names beside the codes (issue 15 §6): the street's and the county's, where the division lies in one
         CASE WHEN sdbc.divcode_level(up.division) >= 4 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(up.division, 4)) END AS street_name,
         CASE WHEN sdbc.divcode_level(up.division) >= 3 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(up.division, 3)) END AS county_name
    FROM up JOIN sdbc.division d ON d.code = up.division
    LEFT JOIN streets s ON s.division = up.division
    CROSS JOIN LATERAL (VALUES
      (1,  'streets',                        '街道',               'R2',    coalesce(s.streets, CASE WHEN d.kind = 'street' THEN 1 ELSE 0 END)::numeric, NULL::numeric),
      (2,  'communities',                    '社区',               'R5.1',  up.communities::numeric, NULL),
      (3,  'households',                     '户数',               'R7.1',  up.households, NULL),
      (4,  'residents',                      '居民',               'R7.1',  up.residents, NULL),
      (5,  'community staff',                '社区工作人员',       'R2',    up.staff, NULL),
      (6,  'national cadres',                '在编国家干部',       'R2.4',  up.national, up.staff),
      (7,  'administrative establishment',   '行政编制',           'R2.4',  up.admin, up.staff),
      (8,  'institutional establishment',    '事业编制',           'R2.4',  up.inst, up.staff),
      (9,  'public-welfare posts',           '公益性岗位',         'R2',    up.welfare, up.staff),
      (10, 'contract hires',                 '聘用人员',           'R2',    up.contract, up.staff),
      (11, 'men',                            '男性',               'R2',    up.men, up.staff),
      (12, 'associate degree or above',      '大专及以上学历',     'R2',    up.associate_up, up.staff),
      (13, 'big party committees',           '大党委',             'R6.1',  up.committees, NULL),
      (14, 'grid party branches',            '网格党支部',         'R6.1',  up.branches, NULL),
      (15, 'building party groups',          '楼栋党小组',         'R6.1',  up.groups, NULL),
      (16, 'grids',                          '网格',               'R7.1',  up.grids, NULL),
      (17, 'communities with an information platform', '建有信息化平台的社区', 'R9.1', up.platform, up.communities),
      (18, 'average premises area, m2',      '社区办公服务用房平均面积(平方米)', 'R10.1', up.average_area, NULL)
    ) v(position, measure, label_zh, rule_id, value, of_total);
CREATE OR REPLACE VIEW sdbc_report.key_figures AS
  SELECT k.division_code, k.division_name, k.division_kind, k.position, k.measure, k.label_zh, k.rule_id, k.value,
         k.share_pct, k.refreshed_at,
         -- names beside the codes (issue 15 §6): the street's and the county's, where the division lies in one
         CASE WHEN sdbc.divcode_level(k.division_code::sdbc.divcode) >= 4 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(k.division_code::sdbc.divcode, 4)) END AS street_name,
         CASE WHEN sdbc.divcode_level(k.division_code::sdbc.divcode) >= 3 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(k.division_code::sdbc.divcode, 3)) END AS county_name
    FROM sdbc.report_key_figures k;
CREATE OR REPLACE VIEW sdbc_report.grid_sizes AS
  SELECT g.grid_code::text AS grid_code, g.community::text AS community_code,
         sdbc.divcode_ancestor(g.community, 3)::text AS county_code, g.class AS grid_class,
         n.households::integer AS households, p.lo::integer AS min_households, p.hi::integer AS max_households,
         CASE WHEN n.households < p.lo THEN 'below' WHEN n.households > p.hi THEN 'above' ELSE 'within' END AS bounds,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = g.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 3)) AS county_name
    FROM sdbc.grid g
   CROSS JOIN LATERAL (SELECT count(*) AS households
                         FROM sdbc.building b JOIN sdbc.household h ON h.building_id = b.building_id
                        WHERE b.grid_code = g.grid_code) n
   CROSS JOIN LATERAL (SELECT sdbc.policy_value('grid.households.min', g.community) AS lo,
                              sdbc.policy_value('grid.households.max', g.community) AS hi) p
   WHERE g.valid_to IS NULL;
CREATE OR REPLACE VIEW sdbc_report.grid_classes AS
  SELECT g.community::text AS community_code, sdbc.divcode_ancestor(g.community, 3)::text AS county_code,
         g.class AS grid_class, k.name_zh AS grid_class_zh, count(*) AS grids,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = g.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 3)) AS county_name
    FROM sdbc.grid g JOIN sdbc.grid_class k USING (class)
   WHERE g.valid_to IS NULL
   GROUP BY g.community, g.class, k.name_zh;
CREATE OR REPLACE VIEW sdbc_report.staffing_compliance AS
  SELECT c.division_code, sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 3)::text AS county_code,
         c.rule_id, c.measure, c.value, c.bound, c.ok,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = c.division_code::sdbc.divcode) AS division_name,
         CASE WHEN sdbc.divcode_level(c.division_code::sdbc.divcode) >= 4 THEN (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 4)) END AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 3)) AS county_name
    FROM sdbc.report_staff_compliance() c;
CREATE OR REPLACE VIEW sdbc_report.funds_passed_on AS
  SELECT f.street::text AS street_code, sdbc.divcode_ancestor(f.street, 3)::text AS county_code, f.year,
         f.allocated, f.passed_on, f.share, f.min_share, f.keeps_too_much,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = f.street) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(f.street, 3)) AS county_name
    FROM sdbc.street_funds_passed_on f;
CREATE OR REPLACE VIEW sdbc_report.community_funds AS
  SELECT m.community::text AS community_code, sdbc.divcode_ancestor(m.community, 3)::text AS county_code, m.year,
         m.working_funds, m.working_min, m.service_funds, m.service_min, m.below_minimum,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = m.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(m.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(m.community, 3)) AS county_name
    FROM sdbc.community_min_funds m;
CREATE OR REPLACE VIEW sdbc_report.account_balances AS
  SELECT b.community::text AS community_code, sdbc.divcode_ancestor(b.community, 3)::text AS county_code,
         b.kind AS account_kind, count(*) AS accounts, sum(b.credited)::numeric AS credited,
         sum(b.paid)::numeric AS paid, sum(b.committed)::numeric AS committed, sum(b.balance)::numeric AS balance,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = b.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(b.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(b.community, 3)) AS county_name
    FROM sdbc.account_balance b
   GROUP BY b.community, b.kind;
CREATE OR REPLACE VIEW sdbc_report.expenses_by_route AS
  SELECT e.community::text AS community_code, sdbc.divcode_ancestor(e.community, 3)::text AS county_code,
         date_trunc('month', e.submitted_on)::date AS month, coalesce(e.route_code, 'none') AS route_code,
         count(*) AS expenses, sum(e.amount) AS amount,
         count(*) FILTER (WHERE e.paid_at IS NOT NULL) AS paid,
         count(*) FILTER (WHERE e.split_flag) AS flagged_splits,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = e.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 3)) AS county_name
    FROM sdbc.expense e
   GROUP BY e.community, date_trunc('month', e.submitted_on), e.route_code;
CREATE OR REPLACE VIEW sdbc_report.work_access AS
  SELECT t.county::text AS county_code, t.department, o.name_zh AS department_zh, t.tasks, t.accepted, t.refusable,
         t.refused, t.funding,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = t.county) AS county_name
    FROM sdbc.task_by_department t LEFT JOIN sdbc.office o ON o.office = t.department;
CREATE OR REPLACE VIEW sdbc_report.community_evaluations AS
  SELECT e.period_code, e.kind AS period_kind, e.community::text AS community_code, e.county::text AS county_code,
         e.indicator, e.satisfaction, e.leadership, e.merit, e.error, e.composite,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = e.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 3)) AS county_name
    FROM sdbc.community_evaluation e;
CREATE OR REPLACE VIEW sdbc_report.street_grades AS
  SELECT g.period_code, g.street::text AS street_code, g.county::text AS county_code, g.communities::integer AS communities,
         g.communities_scored::integer AS communities_scored, g.community_average, g.own_score, g.grade_score, g.band,
         CASE g.band WHEN 'excellent' THEN '优秀' WHEN 'good' THEN '良好' WHEN 'pass' THEN '合格' WHEN 'fail' THEN '不合格' END AS band_zh,
         g.county_rank::integer AS county_rank, g.county_dense_rank::integer AS county_dense_rank,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = g.street) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.street, 3)) AS county_name
    FROM sdbc.street_grade g;
CREATE OR REPLACE VIEW sdbc_report.department_evaluations AS
  SELECT e.period_code, e.county::text AS county_code, e.department, o.name_zh AS department_zh,
         e.communities_assigned, e.communities_rated, e.average_rating,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = e.county) AS county_name
    FROM sdbc.department_evaluation e LEFT JOIN sdbc.office o ON o.office = e.department;
CREATE OR REPLACE VIEW sdbc_report.premises AS
  SELECT d.code::text AS community_code, sdbc.divcode_ancestor(d.code, 3)::text AS county_code,
         count(p.premises_id) AS sites, coalesce(sum(p.area_m2), 0) AS area_m2,
         sdbc.policy_value('premises.area.min_m2', d.code) AS min_area_m2,
         coalesce(sum(p.area_m2), 0) >= sdbc.policy_value('premises.area.min_m2', d.code) AS meets_norm,
         (SELECT count(DISTINCT r.room_kind) FROM sdbc.premises_room r JOIN sdbc.premises q USING (premises_id)
           WHERE q.community = d.code) AS room_kinds,
         (SELECT string_agg(DISTINCT r.room_kind, ',' ORDER BY r.room_kind) FROM sdbc.premises_room r JOIN sdbc.premises q USING (premises_id)
           WHERE q.community = d.code) AS rooms,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = d.code) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(d.code, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(d.code, 3)) AS county_name
    FROM sdbc.division d LEFT JOIN sdbc.premises p ON p.community = d.code
   WHERE d.kind = 'residents_committee'
     AND EXISTS (SELECT 1 FROM sdbc.premises x WHERE x.community OPERATOR(sdbc.<@) sdbc.divcode_ancestor(d.code, 3))
   GROUP BY d.code;
CREATE OR REPLACE VIEW sdbc_report.activities_missed AS
  WITH span AS (
    SELECT min(m) AS first_month FROM (SELECT min(month) AS m FROM sdbc.monthly_theme
                                       UNION ALL SELECT date_trunc('month', min(held_on))::date FROM sdbc.activity) x
  ), months AS (
    SELECT gs::date AS month FROM span, generate_series(span.first_month, date_trunc('month', CURRENT_DATE), interval '1 month') gs
  ), communities AS (
    SELECT DISTINCT community FROM (SELECT community FROM sdbc.monthly_theme UNION SELECT community FROM sdbc.activity) c
  ), weeks AS (   -- weeks whose Monday lies in the month and has passed
    SELECT m.month, w::date AS week_start
      FROM months m, generate_series(m.month + ((8 - extract(isodow FROM m.month)::integer) % 7),
                                     least((m.month + interval '1 month' - interval '1 day')::date, CURRENT_DATE - 6),
                                     interval '7 days') w
  )
  SELECT c.community::text AS community_code, sdbc.divcode_ancestor(c.community, 3)::text AS county_code, m.month,
         (SELECT count(*) FROM sdbc.monthly_theme t WHERE t.community = c.community AND t.month = m.month) AS themes,
         (SELECT count(*) FROM weeks w WHERE w.month = m.month) AS weeks,
         (SELECT count(*) FROM weeks w WHERE w.month = m.month
             AND (SELECT count(*) FROM sdbc.activity a WHERE a.community = c.community
                     AND a.held_on >= w.week_start AND a.held_on < w.week_start + 7)
                 < sdbc.policy_value('activity.weekly.min', c.community, w.week_start)) AS weeks_without_activity,
         (SELECT count(*) FROM sdbc.monthly_theme t WHERE t.community = c.community AND t.month = m.month)
           < sdbc.policy_value('activity.theme.monthly.min', c.community, m.month) AS missed_theme,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = c.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.community, 3)) AS county_name
    FROM communities c CROSS JOIN months m;
-- The names appended beside the codes (issue 15 §6), in every view that has them.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'sdbc_report'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attname IN ('community_name', 'street_name', 'county_name')
              OR c.relname = 'staffing_compliance' AND c.relnamespace = 'sdbc_report'::regnamespace AND a.attname = 'division_name' LOOP
    EXECUTE format('COMMENT ON COLUMN sdbc_report.%I.%I IS %L', r.relname, r.attname,
                   CASE r.attname WHEN 'community_name' THEN 'community name 社区名称'
                                  WHEN 'street_name' THEN 'street or town name 街道/乡镇名称 (the division at level 4 above, or the division itself)'
                                  WHEN 'county_name' THEN 'county name 县(市)名称'
                                  ELSE 'street or community name 区划名称' END);
  END LOOP;
END $$;
