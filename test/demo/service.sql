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

-- 400 applications: matters in turn, eligible applicants of each community,
-- every document handed in; one in five taken on the resident's behalf (R8.2).
CREATE TEMP TABLE demo_app AS
WITH applicants AS (
  SELECT r.resident_id, h.community, row_number() OVER (ORDER BY r.resident_id) AS k
    FROM resident r JOIN household h USING (household_id)
   WHERE h.registration = 'registered' AND NOT r.floating
     AND idcard_age(r.id_number) BETWEEN 20 AND 55
     AND h.community IN (SELECT code FROM demo_unit WHERE kind = 'residents_committee')
     AND r.resident_id % 997 = 0
)
SELECT apply(m.matter_code, a.resident_id,
             (SELECT min(s.staff_id) FROM staff s JOIN office_member om USING (staff_id)
               WHERE om.office = 'community_service_hall' AND om.division = a.community),
             m.documents,
             (ARRAY['self','self','self','self','handle_for','visit_for','petition_for'])[1 + a.k % 7]) AS application_id
  FROM applicants a
  JOIN (SELECT matter_code, documents, row_number() OVER (ORDER BY matter_code) - 1 AS n FROM service_matter) m
    ON m.n = a.k % 13
 WHERE a.k <= 400;
-- The community reviews, the departments decide (a few refused, with written reasons).
DO $$
DECLARE c record; actor bigint; pass int;
BEGIN
  FOR pass IN 1..4 LOOP
    FOR c IN SELECT o.case_id, o.office, o.division, o.current_step FROM sdbc.case_step_open o
              WHERE o.case_kind = 'service' AND o.office LIKE 'community_%' AND o.action <> 'notice' LOOP
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
            WHERE o.case_kind = 'service' AND o.office LIKE 'county_%' LOOP
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
SELECT m.name_zh AS "事项", s.applications, s.approved, s.rejected, s.on_behalf AS "代办/代访/代诉",
       (SELECT count(*) FROM service_open o WHERE o.matter_code = m.matter_code) AS open
  FROM service_matter m JOIN service_monthly s USING (matter_code) ORDER BY m.matter_code;
\echo '   (低保 applications were accepted and investigated by two; they wait at their'
\echo '    7-day public notice — an objection there would send them back; the others are decided)'
SELECT current_step, step_zh, count(*) FROM service_open WHERE matter_code = 'dibao' GROUP BY 1, 2;
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
