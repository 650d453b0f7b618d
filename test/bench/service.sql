-- service.sql — the SQL of test/bench/service.sh: a year of service-matter
-- applications (R4.2) at Aksu scale through the approval engine, then the
-- overdue view on the cases left open.
--
--   psql -v phase=PHASE [-v batch=year|open] [-v applications=N]
--        [-v open_applications=N] [-v jobs=J -v part=P] -f test/bench/service.sql
--
-- Each run does one phase (service.sh calls them in order and times them):
--   setup        staff and office members per community and county, and the
--                plan: which resident applies for which matter, how the case
--                ends (refused, reviewed by the board, objected to), and, for
--                batch open, the step where it is left open; a dense
--                working-day calendar for a what-if.  Not timed.
--   apply        sdbc.apply() for every planned application of the batch.
--   hall         the community hall acts on step 1 of every route: devolved
--                preliminary review 初审, dibao acceptance 受理.
--   investigate1 dibao home investigation, first investigator.
--   investigate2 dibao home investigation, second investigator.
--   review       dibao democratic review 民主评议 (optional step 3, about half
--                the cases), by sdbc.decide(…, step_no => 3): the step is
--                non-blocking and the case already stands at the notice.
--   object       dibao: an objection during the public notice (about 2 %),
--                back to the investigation (step 2), new round.
--   notice_days  seven days pass: step_started_on of the cases at the notice
--                moves back 7 days (superuser, approval_case_guard disabled).
--   close_notice the hall closes the notice (step 4 → 5).
--   county       the county department decides every case at its step:
--                approve, or reject with a reason (about 5 %).
--   reasons      written reasons 书面告知 for every refusal that owes them.
--   spread       batch open: step_started_on of the open cases spread over
--                the past 60 days (superuser, guard disabled); ANALYZE.
--   verify       cases whose hash chain is broken (sample=N: N random cases).
--   counts       figures for the report.
-- Phases that decide print one number: the decisions made.  With jobs=J,
-- part=P (0 ≤ P < J) a phase acts only on the cases of plan rows n % J = P,
-- so J sessions can share a phase without touching the same case.
\set ON_ERROR_STOP on
\set QUIET on
\pset footer off
SET search_path = sdbc, public;
SET client_min_messages = warning;
\if :{?batch}
\else
\set batch year
\endif
\if :{?jobs}
\else
\set jobs 1
\set part 0
\endif
\if :{?applications}
\else
\set applications 150000
\endif
\if :{?open_applications}
\else
\set open_applications 15000
\endif
\if :{?sample}
\else
\set sample 0
\endif
SELECT :sample > 0 AS sampled \gset
SELECT :'phase' = 'setup' AS p_setup, :'phase' = 'apply' AS p_apply, :'phase' = 'hall' AS p_hall,
       :'phase' = 'investigate1' AS p_inv1, :'phase' = 'investigate2' AS p_inv2,
       :'phase' = 'review' AS p_review, :'phase' = 'object' AS p_object,
       :'phase' = 'notice_days' AS p_notice_days, :'phase' = 'close_notice' AS p_close_notice,
       :'phase' = 'county' AS p_county, :'phase' = 'reasons' AS p_reasons,
       :'phase' = 'spread' AS p_spread, :'phase' = 'verify' AS p_verify,
       :'phase' = 'counts' AS p_counts \gset

--------------------------------------------------------------------------------
\if :p_setup
BEGIN;
CREATE SCHEMA bench;
-- A number in [0, 1) from a key: the same plan on every run.
CREATE FUNCTION bench.u(k text) RETURNS double precision LANGUAGE sql IMMUTABLE
  RETURN ((hashtextextended(k, 2016) & 4294967295)::double precision / 4294967296.0);

-- Staff of every community with households: the hall 服务大厅 (reviews,
-- accepts, runs the notice), a handler at the window who takes applications
-- (the submitter: four eyes keep him off every later step), two handlers who
-- investigate, a member of the democratic review board.
CREATE TABLE bench.staff_role (staff_id bigint PRIMARY KEY, division divcode NOT NULL, role text NOT NULL);
WITH s AS (
  INSERT INTO staff (name, division)
  SELECT r.role || ' ' || c.community::text, c.community
    FROM (SELECT DISTINCT community FROM household) c,
         unnest(ARRAY['hall', 'taker', 'inv1', 'inv2', 'board']) r(role)
  RETURNING staff_id, name, division
)
INSERT INTO bench.staff_role SELECT staff_id, division, split_part(name, ' ', 1) FROM s;
INSERT INTO office_member (staff_id, office, division, valid_from)
SELECT staff_id,
       CASE role WHEN 'hall' THEN 'community_service_hall' WHEN 'board' THEN 'community_review_board'
                 ELSE 'community_handler' END,
       division, '2020-01-01'
  FROM bench.staff_role;
CREATE TABLE bench.community_staff AS
SELECT division AS community,
       max(staff_id) FILTER (WHERE role = 'hall') AS hall,
       max(staff_id) FILTER (WHERE role = 'taker') AS taker,
       max(staff_id) FILTER (WHERE role = 'inv1') AS inv1,
       max(staff_id) FILTER (WHERE role = 'inv2') AS inv2,
       max(staff_id) FILTER (WHERE role = 'board') AS board
  FROM bench.staff_role GROUP BY division;
ALTER TABLE bench.community_staff ADD PRIMARY KEY (community);

-- Per county, one member of every county office on the matters' routes.
CREATE TABLE bench.county_staff (county divcode, office text, staff_id bigint, PRIMARY KEY (county, office));
WITH s AS (
  INSERT INTO staff (name, division)
  SELECT o.office || ' ' || d.code::text, d.code
    FROM division d,
         (SELECT DISTINCT s.office FROM service_matter m JOIN route_step s USING (route_code)
            JOIN office f ON f.office = s.office WHERE f.level = 3) o
   WHERE d.kind = 'county' AND d.code <@ '6529'
  RETURNING staff_id, name, division
)
INSERT INTO bench.county_staff SELECT division, split_part(name, ' ', 1), staff_id FROM s;
INSERT INTO office_member (staff_id, office, division, valid_from)
SELECT staff_id, office, county, '2020-01-01' FROM bench.county_staff;

-- Who may apply for what: registered, non-floating residents (dibao,
-- public_housing, three_without), aged 16–59 (the hrss matters), anyone
-- (the others); each pool in a fixed pseudo-random order, so that the
-- applications spread over the communities by population.
CREATE TABLE bench.pool AS
SELECT x.class, row_number() OVER (PARTITION BY x.class ORDER BY hashtextextended(x.class || x.resident_id, 2016), x.resident_id) AS k,
       x.resident_id, x.community
  FROM (SELECT c.class, r.resident_id, h.community
          FROM resident r JOIN household h USING (household_id),
               LATERAL (VALUES ('any'),
                               (CASE WHEN h.registration = 'registered' AND NOT r.floating THEN 'registered' END),
                               (CASE WHEN idcard_age(r.id_number) BETWEEN 16 AND 59 THEN 'working_age' END)) c(class)
         WHERE c.class IS NOT NULL) x;
ALTER TABLE bench.pool ADD PRIMARY KEY (class, k);

-- The plan: batch year (every step decided) and batch open (left open at
-- a step, for the overdue view).  About 15 % dibao, the rest shared by the
-- twelve other matters; one in five taken on the resident's behalf (R8.2).
CREATE TABLE bench.plan AS
WITH rows AS (
  SELECT n, CASE WHEN n <= :applications THEN 'year' ELSE 'open' END AS batch,
         bench.u('matter ' || n) AS um, bench.u('fate ' || n) AS uf
    FROM generate_series(1, :applications + :open_applications) n
), others AS (
  SELECT matter_code, row_number() OVER (ORDER BY matter_code) - 1 AS i
    FROM service_matter WHERE builtin AND matter_code <> 'dibao'
), chosen AS (
  SELECT r.*, CASE WHEN r.um < 0.15 THEN 'dibao'
                   ELSE (SELECT o.matter_code FROM others o WHERE o.i = floor((r.um - 0.15) / 0.85 * 12)::int) END AS matter_code
    FROM rows r
)
SELECT c.n, c.batch, c.matter_code,
       CASE WHEN m.eligibility = 'sdbc.eligible_registered_resident(bigint)'::regprocedure THEN 'registered'
            WHEN m.eligibility = 'sdbc.eligible_working_age(bigint)'::regprocedure THEN 'working_age'
            ELSE 'any' END AS class,
       (ARRAY['self', 'self', 'self', 'self', 'self', 'self', 'self', 'self', 'handle_for', 'visit_for'])
         [1 + floor(bench.u('proxy ' || c.n) * 10)::int] AS proxy,
       c.batch = 'year' AND c.uf < 0.05 AS refuse,
       c.matter_code = 'dibao' AND bench.u('review ' || c.n) < 0.5 AS review,
       c.batch = 'year' AND c.matter_code = 'dibao' AND bench.u('object ' || c.n) < 0.02 AS object,
       CASE WHEN c.batch = 'year' THEN NULL
            WHEN c.matter_code = 'dibao' THEN (ARRAY[1, 2, 4, 5])[1 + floor(c.uf * 4)::int]
            ELSE 1 + floor(c.uf * 2)::int END AS stop
  FROM chosen c JOIN service_matter m USING (matter_code);
-- the applicant: the next resident of the matter's pool
ALTER TABLE bench.plan ADD COLUMN applicant bigint, ADD COLUMN community divcode;
UPDATE bench.plan p SET applicant = x.resident_id, community = x.community
  FROM (SELECT p2.n, pool.resident_id, pool.community
          FROM (SELECT n, class, row_number() OVER (PARTITION BY class ORDER BY n) AS k FROM bench.plan) p2
          JOIN bench.pool pool USING (class, k)) x
 WHERE x.n = p.n;
ALTER TABLE bench.plan ADD PRIMARY KEY (n);
ALTER TABLE bench.plan ALTER applicant SET NOT NULL;

-- A what-if for the overdue view (not the extension's): every day of
-- twenty years with k, the working days up to and including it, so that
-- the n-th working day after d is the working day whose k is k(d) + n.
CREATE TABLE bench.workday AS
SELECT g.d::date AS day, is_working_day(g.d::date) AS working,
       sum(is_working_day(g.d::date)::int) OVER (ORDER BY g.d) AS k
  FROM generate_series(CURRENT_DATE - 3650, CURRENT_DATE + 3650, interval '1 day') g(d);
ALTER TABLE bench.workday ADD PRIMARY KEY (day);
CREATE INDEX ON bench.workday (k) WHERE working;

-- Cases of the plan, filled after the applications.
CREATE TABLE bench.cases (n bigint PRIMARY KEY, application_id bigint NOT NULL UNIQUE, case_id bigint UNIQUE);
COMMIT;
ANALYZE bench.plan;
ANALYZE bench.pool;
ANALYZE bench.workday;
ANALYZE staff;
ANALYZE office_member;
SELECT batch, count(*) AS applications, count(*) FILTER (WHERE matter_code = 'dibao') AS dibao,
       count(*) FILTER (WHERE refuse) AS to_refuse, count(*) FILTER (WHERE object) AS to_object
  FROM bench.plan GROUP BY batch ORDER BY batch DESC;
\endif

--------------------------------------------------------------------------------
-- Decision phases.  Each acts set-based on the cases of the batch (and part)
-- at one step: one statement, sdbc.decide() once per case.  A case of batch
-- open is acted on only while its current step is before the step where the
-- plan leaves it (stop).
\if :p_apply
WITH a AS (
  INSERT INTO bench.cases (n, application_id)
  SELECT p.n, apply(p.matter_code, p.applicant, s.taker, m.documents, p.proxy)
    FROM bench.plan p
    JOIN bench.community_staff s ON s.community = p.community
    JOIN service_matter m USING (matter_code)
   WHERE p.batch = :'batch' AND p.n % :jobs = :part
   ORDER BY p.n
  RETURNING 1
)
SELECT count(*) AS decisions FROM a;   -- each application records its submit
-- (the cases are read in a second statement: the first one's snapshot
-- does not see the rows sdbc.apply() inserts)
UPDATE bench.cases k SET case_id = sa.case_id
  FROM service_application sa
 WHERE sa.application_id = k.application_id AND k.case_id IS NULL AND k.n % :jobs = :part;
\endif

\if :p_hall
WITH d AS (
  SELECT decide(c.case_id, s.hall) AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN bench.community_staff s ON s.community = c.division
   WHERE p.batch = :'batch' AND p.n % :jobs = :part
     AND c.status = 'open' AND c.current_step = 1 AND coalesce(p.stop > 1, true)
)
SELECT count(*) AS decisions FROM d;
\endif

\if :p_inv1
WITH d AS (
  SELECT decide(c.case_id, s.inv1) AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN bench.community_staff s ON s.community = c.division
   WHERE p.batch = :'batch' AND p.n % :jobs = :part AND c.route_code = 'dibao'
     AND c.status = 'open' AND c.current_step = 2 AND coalesce(p.stop > 2, true)
)
SELECT count(*) AS decisions FROM d;
\endif

\if :p_inv2
WITH d AS (
  SELECT decide(c.case_id, s.inv2) AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN bench.community_staff s ON s.community = c.division
   WHERE p.batch = :'batch' AND p.n % :jobs = :part AND c.route_code = 'dibao'
     AND c.status = 'open' AND c.current_step = 2 AND coalesce(p.stop > 2, true)
)
SELECT count(*) AS decisions FROM d;
\endif

-- The optional review (step 3, non-blocking) acts once the route reached it:
-- sdbc.decide() names the step (step_no => 3), since the case's current step
-- is already the notice.
\if :p_review
WITH d AS (
  SELECT decide(c.case_id, s.board, step_no => 3) AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN bench.community_staff s ON s.community = c.division
   WHERE p.batch = :'batch' AND p.n % :jobs = :part AND c.route_code = 'dibao' AND p.review
     AND c.status = 'open' AND c.current_step = 4 AND c.round = 1
)
SELECT count(*) AS decisions FROM d;
\endif

\if :p_object
WITH d AS (
  SELECT decide(c.case_id, s.hall, 'object', '群众反映申请人家庭有经营性收入,需重新核查') AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN bench.community_staff s ON s.community = c.division
   WHERE p.batch = :'batch' AND p.n % :jobs = :part AND c.route_code = 'dibao' AND p.object
     AND c.status = 'open' AND c.current_step = 4 AND c.round = 1
)
SELECT count(*) AS decisions FROM d;
\endif

-- Seven days pass for the cases at the public notice.
\if :p_notice_days
BEGIN;
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
WITH u AS (
  UPDATE approval_case c SET step_started_on = c.step_started_on - 7
    FROM bench.plan p JOIN bench.cases k USING (n)
   WHERE k.case_id = c.case_id AND p.batch = :'batch' AND p.n % :jobs = :part
     AND c.route_code = 'dibao' AND c.status = 'open' AND c.current_step = 4 AND coalesce(p.stop > 4, true)
  RETURNING 1
)
SELECT count(*) AS moved FROM u \gset
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
COMMIT;
SELECT 0 AS decisions;
\endif

\if :p_close_notice
WITH d AS (
  SELECT decide(c.case_id, s.hall) AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN bench.community_staff s ON s.community = c.division
   WHERE p.batch = :'batch' AND p.n % :jobs = :part AND c.route_code = 'dibao'
     AND c.status = 'open' AND c.current_step = 4 AND coalesce(p.stop > 4, true)
)
SELECT count(*) AS decisions FROM d;
\endif

-- The county department of the step, for the county of the case.
\if :p_county
WITH d AS (
  SELECT decide(c.case_id, cs.staff_id,
                CASE WHEN p.refuse THEN 'reject' ELSE 'approve' END,
                CASE WHEN p.refuse THEN '经审核,申请人不符合该事项的办理条件' END) AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN route_step rs ON rs.route_code = c.route_code AND rs.version = c.route_version AND rs.step_no = c.current_step
    JOIN bench.county_staff cs ON cs.county = divcode_ancestor(c.division, 3) AND cs.office = rs.office
   WHERE p.batch = :'batch' AND p.n % :jobs = :part
     AND c.status = 'open' AND rs.office LIKE 'county\_%' AND p.stop IS NULL
)
SELECT count(*) AS decisions FROM d;
\endif

\if :p_reasons
WITH d AS (
  SELECT decide(c.case_id, cs.staff_id, 'reasons',
                '书面告知:经入户调查和审核,申请人家庭情况不符合办理条件,不予批准;如有异议可申请复核。') AS r
    FROM bench.plan p JOIN bench.cases k USING (n) JOIN approval_case c USING (case_id)
    JOIN route_step rs ON rs.route_code = c.route_code AND rs.version = c.route_version AND rs.step_no = c.current_step
    JOIN bench.county_staff cs ON cs.county = divcode_ancestor(c.division, 3) AND cs.office = rs.office
   WHERE p.batch = :'batch' AND p.n % :jobs = :part
     AND c.status = 'rejected' AND c.reasons_due_on IS NOT NULL
)
SELECT count(*) AS decisions FROM d;
\endif

--------------------------------------------------------------------------------
-- The open cases' steps started on days spread over the past 60.
\if :p_spread
BEGIN;
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
UPDATE approval_case c SET step_started_on = CURRENT_DATE - floor(bench.u('started ' || k.n) * 61)::int
  FROM bench.cases k WHERE k.case_id = c.case_id AND c.status = 'open';
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
COMMIT;
VACUUM ANALYZE approval_case;
VACUUM ANALYZE decision;
VACUUM ANALYZE service_application;
\endif

\if :p_verify
\if :sampled
SELECT count(*) AS broken, :sample AS checked
  FROM (SELECT case_id FROM approval_case ORDER BY random() LIMIT :sample) c
 WHERE EXISTS (SELECT 1 FROM verify_chain(c.case_id));
\else
SELECT count(*) AS broken, (SELECT count(*) FROM approval_case) AS checked
  FROM approval_case c WHERE EXISTS (SELECT 1 FROM verify_chain(c.case_id));
\endif
\endif

\if :p_counts
\pset format aligned
\echo 'Applications by matter and outcome:'
SELECT m.matter_code, count(*) AS applications,
       count(*) FILTER (WHERE c.status = 'approved') AS approved,
       count(*) FILTER (WHERE c.status = 'rejected') AS rejected,
       count(*) FILTER (WHERE c.status = 'open') AS open,
       count(*) FILTER (WHERE a.proxy <> 'self') AS on_behalf
  FROM service_application a JOIN approval_case c USING (case_id) JOIN service_matter m USING (matter_code)
 GROUP BY ROLLUP (m.matter_code) ORDER BY m.matter_code NULLS LAST;
\echo 'Decisions by verdict:'
SELECT d.verdict, count(*) AS decisions FROM decision d GROUP BY ROLLUP (d.verdict) ORDER BY d.verdict NULLS LAST;
\echo 'Open cases and overdue ones by county (sdbc.service_open):'
SELECT county, count(*) AS open, count(*) FILTER (WHERE overdue) AS overdue
  FROM service_open GROUP BY ROLLUP (county) ORDER BY county NULLS LAST;
\endif
