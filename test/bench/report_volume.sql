-- test/bench/report_volume.sql — used by test/bench/report.sh after the demo:
-- more service applications (:applications, default of the script 10000),
-- taken at the halls of the streets' communities as the demo takes its own
-- (test/demo/service.sql: matters in turn, eligible registered residents aged
-- 20–55, every document handed in), and left open at their first step, so
-- that sdbc_report.service_matters counts them as open and tests them for
-- being overdue.
SET search_path = sdbc, public;
WITH hall AS (
  SELECT om.division AS community, min(om.staff_id) AS staff_id
    FROM office_member om WHERE om.office = 'community_service_hall' GROUP BY om.division
), applicants AS (
  SELECT r.resident_id, hall.staff_id, row_number() OVER (ORDER BY hashtextextended(r.resident_id::text, 7), r.resident_id) AS k
    FROM resident r JOIN household h USING (household_id) JOIN hall ON hall.community = h.community
   WHERE h.registration = 'registered' AND NOT r.floating
     AND idcard_age(r.id_number) BETWEEN 20 AND 55
     AND NOT EXISTS (SELECT 1 FROM service_application x WHERE x.applicant = r.resident_id)
)
SELECT count(apply(m.matter_code, a.resident_id, a.staff_id, m.documents,
                   (ARRAY['self','self','self','self','handle_for','visit_for','petition_for'])[1 + a.k % 7])) AS applications
  FROM applicants a
  JOIN (SELECT matter_code, documents, row_number() OVER (ORDER BY matter_code) - 1 AS n FROM service_matter) m
    ON m.n = a.k % 13
 WHERE a.k <= :applications;
ANALYZE service_application; ANALYZE approval_case; ANALYZE decision;
