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
  INSERT INTO sdbc.grid (grid_code, community, boundary, valid_from)
  SELECT n.grid_code, grid_draw.community,
         (SELECT d.geom FROM public.ST_Dump(n.shape) d ORDER BY public.ST_Area(d.geom) DESC LIMIT 1), on_date
    FROM sdbc_draw_grid n
   WHERE NOT EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = n.grid_code)
   ORDER BY n.grid_code;
  SET CONSTRAINTS sdbc.grid_check IMMEDIATE;

  INSERT INTO sdbc.grid_draw_report SELECT rep.*;
  DROP TABLE sdbc_draw_cell, sdbc_draw_grid;
  RETURN rep;
END $$;

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
