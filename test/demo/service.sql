-- service.sql — the demo's service-matter section (R4.2, R8.2, R1).
\echo
\echo '================================================================================'
\echo ' Devolved service matters (R4.2) and the work access list (R1)'
\echo '================================================================================'
SET search_path = sdbc, public;
-- Every community of the streets: a hall, two investigators (its handlers), a
-- review board; every county office of the matters in Aksu city and Kuqa.
WITH hall AS (
  INSERT INTO staff (name, division)
  SELECT format('%s 大厅%s', code, n), code FROM demo_unit, generate_series(1, 2) n WHERE kind = 'residents_committee'
  RETURNING staff_id, division
)
INSERT INTO office_member (staff_id, office, division, valid_from)
SELECT staff_id, o, division, '2020-01-01' FROM hall, (VALUES ('community_service_hall'), ('community_review_board')) v(o);
WITH dept AS (
  INSERT INTO staff (name, division)
  SELECT format('%s %s', c, o.office), c FROM (VALUES ('652901'::divcode), ('652902')) v(c),
         office o WHERE o.level = 3 AND o.office <> 'county_department'
  RETURNING staff_id, name, division
)
INSERT INTO office_member (staff_id, office, division, valid_from)
SELECT staff_id, split_part(name, ' ', 2), division, '2020-01-01' FROM dept;

-- 400 applications over the past year (each on a day of the past 365,
-- hashed): matters in turn, eligible applicants of each community, every
-- document handed in; three in seven taken on the resident's behalf (R8.2).
-- As for expenses, the engine takes an application at most policy
-- service.backdate.max_days (7) after its day (SD342): a temporary policy
-- row for the prefecture while the year loads, deleted after.
\echo '-- Loading a year of applications: a temporary policy row service.backdate.max_days = 366'
\echo '   for the prefecture 6529 while they load (the default allows 7 days), deleted after.'
INSERT INTO policy (key, division, valid_from, value, note)
VALUES ('service.backdate.max_days', '6529', current_date, 366, 'demo: load a year of history (deleted after loading)');
CREATE TEMP TABLE demo_app AS
WITH applicants AS (
  SELECT r.resident_id, h.community, row_number() OVER (ORDER BY r.resident_id) AS k
    FROM resident r JOIN household h USING (household_id)
   WHERE h.registration = 'registered' AND NOT r.floating
     AND idcard_age(r.id_number) BETWEEN 20 AND 55
     AND h.community IN (SELECT code FROM demo_unit WHERE kind = 'residents_committee')
     AND r.resident_id % 997 = 0
), plan AS (
  SELECT m.matter_code, a.resident_id, a.community,
         (SELECT min(s.staff_id) FROM staff s JOIN office_member om USING (staff_id)
           WHERE om.office = 'community_service_hall' AND om.division = a.community) AS taken_by,
         m.documents, (ARRAY['self','self','self','self','handle_for','visit_for','petition_for'])[1 + a.k % 7] AS proxy,
         current_date - ((hashtextextended('applied ' || a.resident_id, 2016) & 65535) % 365)::int AS day
    FROM applicants a
    JOIN (SELECT matter_code, documents, row_number() OVER (ORDER BY matter_code) - 1 AS n FROM service_matter) m
      ON m.n = a.k % 13
   WHERE a.k <= 400
), ins AS (
  INSERT INTO service_application (matter_code, applicant, community, taken_by, documents, proxy, applied_on)
  SELECT matter_code, resident_id, community, taken_by, documents, proxy, day FROM plan ORDER BY day, resident_id
  RETURNING application_id, case_id, applied_on
)
SELECT * FROM ins;
DELETE FROM policy WHERE key = 'service.backdate.max_days' AND division = '6529';

-- The engine opens a case's first step on the day of its submission or
-- application (src/approval/case_start.c), so the back-dated cases above that nobody
-- has acted on yet have run their deadlines from then: the overdue views
-- show what a year of real use would.
-- The community reviews, the departments decide (a few refused, with
-- written reasons).  Of the applications of the last 60 days, one in three
-- still waits at the community hall (overdue once its step's working days
-- have passed) and one in three, reviewed today, at the county department.
CREATE TEMP TABLE demo_app_waiting AS
SELECT case_id, CASE WHEN application_id % 3 = 0 THEN 'community' ELSE 'county' END AS waits_at
  FROM service_application WHERE applied_on > current_date - 60 AND application_id % 3 <> 1;
DO $$
DECLARE c record; actor bigint; pass int;
BEGIN
  FOR pass IN 1..4 LOOP
    FOR c IN SELECT o.case_id, o.office, o.division, o.current_step FROM sdbc.case_step_open o
              WHERE o.case_kind = 'service' AND o.office LIKE 'community_%' AND o.action <> 'notice'
                AND o.case_id NOT IN (SELECT case_id FROM pg_temp.demo_app_waiting WHERE waits_at = 'community') LOOP
      SELECT m.staff_id INTO actor FROM sdbc.office_member m
       WHERE m.office = c.office AND m.division = c.division
         AND m.staff_id <> (SELECT submitted_by FROM sdbc.approval_case WHERE case_id = c.case_id)
         AND NOT EXISTS (SELECT 1 FROM sdbc.decision d JOIN sdbc.approval_case k USING (case_id)
                          WHERE d.case_id = c.case_id AND d.step_no = c.current_step AND d.round = k.round
                            AND d.actor = m.staff_id)
       ORDER BY m.staff_id LIMIT 1;
      CONTINUE WHEN actor IS NULL;
      PERFORM sdbc.decide(c.case_id, actor);
    END LOOP;
  END LOOP;
  FOR c IN SELECT o.case_id, o.office, o.division FROM sdbc.case_step_open o
            WHERE o.case_kind = 'service' AND o.office LIKE 'county_%'
              AND o.case_id NOT IN (SELECT case_id FROM pg_temp.demo_app_waiting) LOOP
    SELECT m.staff_id INTO actor FROM sdbc.office_member m
     WHERE m.office = c.office AND m.division = sdbc.divcode_ancestor(c.division, 3) ORDER BY m.staff_id LIMIT 1;
    CONTINUE WHEN actor IS NULL;
    IF c.case_id % 11 = 0 THEN
      PERFORM sdbc.decide(c.case_id, actor, 'reject', '不符合条件');
      PERFORM sdbc.decide(c.case_id, actor, 'reasons', '经审核不符合申请条件,特此书面告知。');
    ELSE
      PERFORM sdbc.decide(c.case_id, actor);
    END IF;
  END LOOP;
END $$;

\echo '-- 15. Applications by matter: the community reviews, the county decides -------'
SELECT m.name_zh AS "事项", sum(s.applications) AS applications, sum(s.approved) AS approved,
       sum(s.rejected) AS rejected, sum(s.on_behalf) AS "代办/代访/代诉",
       (SELECT count(*) FROM service_open o WHERE o.matter_code = m.matter_code) AS open,
       (SELECT count(*) FROM service_open o WHERE o.matter_code = m.matter_code AND o.overdue) AS overdue
  FROM service_matter m JOIN service_monthly s USING (matter_code)
 GROUP BY m.matter_code, m.name_zh ORDER BY m.matter_code;
\echo '   By month applied (sdbc.service_monthly, the past year):'
SELECT to_char(month, 'YYYY-MM') AS month, sum(applications) AS applications, sum(approved) AS approved,
       sum(rejected) AS rejected, sum(on_behalf) AS on_behalf
  FROM service_monthly GROUP BY month ORDER BY month;
\echo '   (低保 applications the community took up were accepted and investigated by two;'
\echo '    they wait at their 7-day public notice — an objection there would send them back.'
\echo '    Of the last 60 days'' applications one in three still waits at the community hall'
\echo '    and one in three at the county department; the rest are decided)'
SELECT current_step, step_zh, count(*) FROM service_open WHERE matter_code = 'dibao' GROUP BY 1, 2 ORDER BY 1;
\echo '   Open cases and those past their step''s deadline in working days (sdbc.case_overdue,'
\echo '   by the calendar of the case''s division), expenses and applications:'
SELECT o.case_kind AS kind, o.step_zh AS "环节", o.office, count(*) AS open,
       count(*) FILTER (WHERE o.overdue) AS overdue, min(o.step_started_on) AS oldest_since,
       max(CASE WHEN o.overdue THEN current_date - o.due_on END) AS "most days late"
  FROM case_step_open o GROUP BY 1, 2, 3 ORDER BY 1, 3, 2;
SELECT count(*) AS "overdue cases (sdbc.case_overdue)",
       count(*) FILTER (WHERE case_kind = 'service') AS "of them applications",
       count(*) FILTER (WHERE case_kind = 'expense') AS "of them expenses"
  FROM case_overdue;
\echo '   Note: generated — the demo leaves recent cases waiting (one in four of the last 30'
\echo '   days'' expenses, two in three of the last 60 days'' applications) so that the overdue'
\echo '   views have something to show; the paper gives no figures for late cases.'
\echo '   Street offices on the routes of devolved matters (R4.2, R13.1):'
SELECT count(*) AS street_steps FROM service_matter m JOIN route_step s USING (route_code)
  JOIN office o ON o.office = s.office WHERE m.devolved AND o.level = 4;

-- The work access list of Aksu city, and tasks its departments hand down.
INSERT INTO task_type (county, task_code, name_zh, name_en, class, statutory, needs_funding, needs_authority) VALUES
  ('652901', 'census',        '人口普查入户登记', 'census registration',     'assist', true,  false, false),
  ('652901', 'elderly_visit', '高龄老人走访',     'visits to the very old',  'handle', false, true,  false),
  ('652901', 'sanitation',    '环境卫生整治',     'sanitation campaign',      'assist', false, true,  true),
  ('652901', 'tax_collection','代收税费',         'collecting taxes and fees','refuse', false, true,  false);
INSERT INTO task_assignment (department, community, task_code, funding, authority_granted)
SELECT (ARRAY['county_civil_affairs','county_health','county_hrss','county_civil_affairs'])[1 + n % 4],
       u.code, (ARRAY['census','elderly_visit','sanitation','tax_collection','street_ads'])[1 + ((u.code::bigint / 1000) % 7 + n) % 5],
       CASE WHEN n % 3 = 0 THEN 0 ELSE 5000 END, n % 2 = 0
  FROM demo_unit u, generate_series(1, 3) n
 WHERE u.kind = 'residents_committee' AND u.code <@ '652901';
SELECT count(*) FILTER (WHERE status = 'refusable') AS refusable FROM task_assignment \gset
SELECT count(*) AS refused FROM (SELECT refuse_task(assignment_id, '不属于社区职责或未随事拨付经费')
                                   FROM task_assignment WHERE status = 'refusable' AND assignment_id % 2 = 0) r \gset
\echo '-- 16. Tasks handed to communities by department (R1): accepted, refusable, refused'
SELECT o.name_zh AS "部门", t.tasks, t.accepted, t.refusable, t.refused, t.funding
  FROM task_by_department t JOIN office o ON o.office = t.department ORDER BY t.department;
