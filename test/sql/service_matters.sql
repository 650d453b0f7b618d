-- Devolved service matters (R4.2, R13.1) on the approval engine: the 低保
-- reference route end to end — missing documents listed at once, home
-- investigation by two, optional democratic review, a 7-day public notice
-- where an objection sends the case back and restarts it, a send-back, the
-- county decision, written reasons after a refusal; the service hall
-- (R4.1, R8.2); the two-level rule; bad input.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE approval_case_case_id_seq RESTART;
ALTER SEQUENCE decision_decision_id_seq RESTART;
ALTER SEQUENCE service_application_application_id_seq RESTART;
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE resident_resident_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division) VALUES
  ('大厅甲', '652901001001'), ('调查乙', '652901001001'), ('调查丙', '652901001001'),
  ('评议丁', '652901001001'), ('民政戊', '652901'), ('友谊大厅', '652901001002');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_service_hall', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_review_board', '652901001001', '2020-01-01'),
  (5, 'county_civil_affairs', '652901', '2020-01-01'), (6, 'community_service_hall', '652901001002', '2020-01-01'),
  (4, 'community_service_hall', '652901001001', '2020-01-01');
-- residents (no boundaries needed: households without a grid are kept)
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '一号楼', 2, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490)),
  ('652901001002', '二号楼', 1, ST_SetSRID(ST_MakePoint(80.26, 41.16), 4490));
INSERT INTO household (building_id, registration) VALUES (1, 'registered'), (1, 'floating'), (2, 'registered');
INSERT INTO resident (household_id, id_number, name, floating) VALUES
  (1, idcard_make('652901', '1955-01-01', 1), '艾买提', false),
  (2, idcard_make('652901', '1990-01-01', 1), '流动人员', true),
  (3, idcard_make('652901', '1960-01-01', 1), '友谊居民', false);

-- The catalogue: the 13 matters the paper names, each with its final department.
SELECT m.matter_code, m.name_zh, o.name_zh AS final_department, m.time_limit_days, m.route_code,
       cardinality(m.documents) AS documents, m.eligibility IS NOT NULL AS eligibility
  FROM service_matter m JOIN office o ON o.office = m.final_office ORDER BY m.matter_code;
-- No route of a devolved matter has a street-level step (R4.2, R13.1).
SELECT count(*) AS street_steps_on_devolved_routes
  FROM service_matter m JOIN route_step s USING (route_code) JOIN office o ON o.office = s.office
 WHERE m.devolved AND o.level = 4;
-- The reference route.
SELECT step_no, office, action, quorum, quorum_n, blocking, step_kind, notice_days, objection_to, refusal_reasons_days, name_zh
  FROM route_step WHERE route_code = 'dibao' ORDER BY step_no;

-- Missing documents: every one listed at once (SD406).
SELECT apply('dibao', 1, 1, '{申请书,身份证}');
-- Handled for the resident (代办, R8.2), with every document.
SELECT apply('dibao', 1, 1, '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}', 'handle_for') AS app \gset
SELECT case_id AS c FROM service_application WHERE application_id = :app \gset
SELECT a.proxy, c.route_code, c.current_step, c.status FROM service_application a JOIN approval_case c USING (case_id) WHERE a.application_id = :app;

-- 1 accepted by the hall; 2 home investigation by two investigators.
SELECT current_step FROM decide(:c, 4);   -- the hall (4 is also on the hall) — not the submitter
SELECT current_step FROM decide(:c, 2);
SELECT current_step FROM decide(:c, 3);
-- 3 democratic review is optional (non-blocking): the route is already at the notice.
SELECT current_step, step_started_on = CURRENT_DATE AS notice_starts_today FROM approval_case WHERE case_id = :c;
SELECT current_step, round FROM decide(:c, 4, step_no => 3);   -- recorded on step 3, the case stays at the notice
SELECT step_no, verdict FROM decision WHERE case_id = :c AND step_no = 3;
-- The notice cannot be closed before its 7 days (SD314; the message names the day).
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT pg_temp.sqlstate_of(format('SELECT sdbc.decide(%s, 4)', :c)) AS close_notice_early;
-- Day 3 of the notice: an objection sends the case back to investigation (step 2).
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
UPDATE approval_case SET step_started_on = CURRENT_DATE - 3 WHERE case_id = :c;   -- three days pass
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
SELECT decide(:c, 4, 'object');   -- an objection needs its reason (SD308)
SELECT current_step, round FROM decide(:c, 4, 'object', '邻居反映其有经营收入');
-- Investigated again; the notice restarts from today.
SELECT current_step FROM decide(:c, 2);
SELECT current_step FROM decide(:c, 3);
SELECT current_step, step_started_on = CURRENT_DATE AS notice_restarted FROM approval_case WHERE case_id = :c;
SELECT pg_temp.sqlstate_of(format('SELECT sdbc.decide(%s, 4)', :c)) AS close_restarted_notice_early;
-- Seven days pass without objection; the hall closes the notice; the county decides.
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
UPDATE approval_case SET step_started_on = CURRENT_DATE - 7 WHERE case_id = :c;
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
SELECT current_step FROM decide(:c, 4);
-- The county civil affairs bureau sends it back to investigation once (a send-back), then approves.
SELECT current_step, round FROM decide(:c, 5, 'send_back', '补充收入核查', 2);
SELECT current_step FROM decide(:c, 2);
SELECT current_step FROM decide(:c, 3);
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
UPDATE approval_case SET step_started_on = CURRENT_DATE - 7 WHERE case_id = :c;
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
SELECT current_step FROM decide(:c, 4);
SELECT status FROM decide(:c, 5);
SELECT step_no, round, actor, verdict, reason FROM decision WHERE case_id = :c ORDER BY decision_id;
SELECT count(*) AS broken FROM verify_chain(:c);

-- A refusal: written reasons are due within 3 working days, then given once.
SELECT apply('dibao', 1, 4, '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}') AS app2 \gset
SELECT case_id AS c2 FROM service_application WHERE application_id = :app2 \gset
SELECT current_step FROM decide(:c2, 1);
SELECT current_step FROM decide(:c2, 2);
SELECT current_step FROM decide(:c2, 3);
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
UPDATE approval_case SET step_started_on = CURRENT_DATE - 7 WHERE case_id = :c2;
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
SELECT current_step FROM decide(:c2, 1);
SELECT status, reasons_due_on = add_working_days(CURRENT_DATE, 3) AS reasons_due_in_3_working_days
  FROM decide(:c2, 5, 'reject', '家庭人均收入高于当地低保标准');
SELECT count(*) AS overdue_now FROM refusal_reasons_overdue;
SELECT decide(:c2, 2, 'reasons', '书面告知');     -- not the refusing office (SD303)
SELECT reasons_due_on FROM decide(:c2, 5, 'reasons', '经核查,家庭人均月收入高于标准,不予批准。');
SELECT decide(:c2, 5, 'reasons', '再次');          -- given once (SD313)

-- Another matter on its two-level route: community review, county decision.
SELECT apply('funeral_subsidy', 1, 1, '{申请表,死亡证明,火化证明,申请人身份证}', 'visit_for') AS app3 \gset
SELECT case_id AS c3 FROM service_application WHERE application_id = :app3 \gset
SELECT current_step FROM decide(:c3, 4);
SELECT status FROM decide(:c3, 5);

-- Bad input: unknown matter (SD401), an applicant of another community (SD404),
-- staff of another community (SD405), not eligible (SD407), a notice shortened
-- below policy (SD403), a devolved route through a street office (SD402).
SELECT apply('no_such_matter', 1, 1);
INSERT INTO service_application (matter_code, applicant, community, taken_by, documents)
  VALUES ('funeral_subsidy', 3, '652901001001', 1, '{申请表,死亡证明,火化证明,申请人身份证}');
INSERT INTO service_application (matter_code, applicant, community, taken_by, documents)
  VALUES ('funeral_subsidy', 1, '652901001001', 6, '{申请表,死亡证明,火化证明,申请人身份证}');
SELECT apply('dibao', 2, 1, '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}');
INSERT INTO route (route_code, version, case_kind, name_zh, name_en) VALUES ('dibao', 2, 'service', '低保(缩短公示)', 'shortened notice');
INSERT INTO route_step (route_code, version, step_no, office, action, quorum, step_kind, notice_days, objection_to, name_zh, name_en)
  VALUES ('dibao', 2, 1, 'community_service_hall', 'accept', 'any', 'act', NULL, NULL, '受理', 'accept'),
         ('dibao', 2, 2, 'community_service_hall', 'notice', 'any', 'notice', 3, 1, '公示三日', 'three-day notice');
INSERT INTO route_step (route_code, version, step_no, office, action, quorum, name_zh, name_en)
  VALUES ('devolved_county_health', 1, 3, 'street_finance_office', 'review', 'any', '街道审核', 'street review');
-- The refused steps leave dibao version 2 without steps: no case starts on it (SD311).
SELECT apply('dibao', 1, 1, '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}');
-- A decision on a case that does not exist (23503, with the hint where case ids come from).
SELECT decide(-1, 4);
-- A county's own matter with its own eligibility predicate: it must be a
-- (resident_id bigint) → boolean that is not VOLATILE (42P13), then it is called.
CREATE FUNCTION public.regress_eligible_adult(resident_id bigint) RETURNS boolean LANGUAGE sql
  RETURN (SELECT sdbc.idcard_age(r.id_number) >= 18 FROM sdbc.resident r WHERE r.resident_id = regress_eligible_adult.resident_id);
CREATE FUNCTION public.regress_eligible_text(resident_id text) RETURNS boolean LANGUAGE sql STABLE RETURN true;
INSERT INTO service_matter (matter_code, name_zh, name_en, final_office, documents, time_limit_days, eligibility, route_code)
  VALUES ('regress_local_a', '本县事项甲', 'a county matter', 'county_civil_affairs', '{}', 10,
          'public.regress_eligible_adult(bigint)', 'devolved_county_civil_affairs'),
         ('regress_local_b', '本县事项乙', 'another county matter', 'county_civil_affairs', '{}', 10,
          'public.regress_eligible_text(text)', 'devolved_county_civil_affairs');
SELECT apply('regress_local_a', 1, 1);   -- VOLATILE by default: refused
SELECT apply('regress_local_b', 1, 1);   -- wrong signature: refused
ALTER FUNCTION public.regress_eligible_adult(bigint) STABLE PARALLEL SAFE;
SELECT apply('regress_local_a', 1, 1) IS NOT NULL AS taken_when_stable;
-- An objection is raised during a public notice only (SD315): this case is at the hall's review.
SELECT decide(case_id, 4, 'object', '有异议') FROM service_application WHERE matter_code = 'regress_local_a';
-- A matter on a route that is not a service route (SD408).
INSERT INTO route (route_code, version, case_kind, name_zh, name_en) VALUES ('regress_expense', 1, 'expense', '测试支出', 'test expense route');
INSERT INTO route_step (route_code, version, step_no, office, action, quorum, name_zh, name_en)
  VALUES ('regress_expense', 1, 1, 'community_handler', 'sign', 'any', '签字', 'sign');
INSERT INTO service_matter (matter_code, name_zh, name_en, final_office, documents, time_limit_days, route_code)
  VALUES ('regress_local_c', '本县事项丙', 'a third county matter', 'county_civil_affairs', '{}', 10, 'regress_expense');
DELETE FROM route_step WHERE route_code = 'regress_expense'; DELETE FROM route WHERE route_code = 'regress_expense';
SELECT count(*) AS applications, (SELECT count(*) FROM approval_case) AS cases FROM service_application;
-- Cases are not written directly (SD316), except by a superuser (as a restore does).
-- (community staff of the case's community, so that row-level security shows it the case)
CREATE ROLE regress_sdbc_hall IN ROLE sdbc_community_staff;
INSERT INTO role_division (role_name, division) SELECT 'regress_sdbc_hall', division FROM approval_case WHERE case_id = :c2;
SET ROLE regress_sdbc_hall;
UPDATE approval_case SET status = 'approved' WHERE case_id = :c2;
RESET ROLE;
DELETE FROM role_division WHERE role_name = 'regress_sdbc_hall';
DROP OWNED BY regress_sdbc_hall;
DROP ROLE regress_sdbc_hall;

-- Reports: open applications by step, per matter per month, days to decision.
SELECT application_id, matter_code, office, step_zh, overdue FROM service_open ORDER BY application_id;
SELECT matter_code, applications, approved, rejected, on_behalf FROM service_monthly ORDER BY matter_code;
SELECT matter_code, decided, median_days FROM service_duration ORDER BY matter_code;

-- One start path for every case kind (issue 14 §2): an application's route
-- is chosen by sdbc.route_rule.  The built-in rules route each built-in
-- matter as its catalogue row does.
SELECT count(*) AS builtin_service_rules, count(*) FILTER (WHERE r.route_code = m.route_code) AS same_route_as_catalogue
  FROM route_rule r JOIN service_matter m USING (matter_code) WHERE r.builtin AND r.case_kind = 'service';
-- A rule naming the matter wins over the matter's own route_code; without
-- one the matter keeps its route (a local matter no rule names, above).
INSERT INTO route_rule (case_kind, priority, route_code, matter_code) VALUES ('service', 5, 'devolved_county_health', 'funeral_subsidy');
SELECT apply('funeral_subsidy', 1, 1, '{申请表,死亡证明,火化证明,申请人身份证}') AS a_rule \gset
SELECT c.route_code, c.current_step FROM service_application a JOIN approval_case c USING (case_id)
 WHERE a.application_id = :a_rule;
-- A rule for any matter (matter_code NULL) routes every matter it comes before.
INSERT INTO route_rule (case_kind, priority, route_code) VALUES ('service', 1, 'devolved_county_veterans');
SELECT apply('funeral_subsidy', 1, 1, '{申请表,死亡证明,火化证明,申请人身份证}') AS a_any \gset
SELECT c.route_code FROM service_application a JOIN approval_case c USING (case_id)
 WHERE a.application_id = :a_any;
DELETE FROM route_rule WHERE NOT builtin AND case_kind = 'service';
SELECT apply('funeral_subsidy', 1, 1, '{申请表,死亡证明,火化证明,申请人身份证}') AS a_own \gset
SELECT c.route_code FROM service_application a JOIN approval_case c USING (case_id)
 WHERE a.application_id = :a_own;
-- A service rule names a service route (SD408), and a devolved matter's
-- route by rule passes no street office either (SD402).
INSERT INTO route_rule (case_kind, priority, route_code, matter_code) VALUES ('service', 5, 'expense_small', 'funeral_subsidy');
INSERT INTO route (route_code, version, case_kind, name_zh, name_en) VALUES ('regress_via_street', 1, 'service', '经街道', 'via the street');
INSERT INTO route_step (route_code, version, step_no, office, action, quorum, name_zh, name_en)
  VALUES ('regress_via_street', 1, 1, 'street_finance_office', 'review', 'any', '街道审核', 'street review');
INSERT INTO route_rule (case_kind, priority, route_code, matter_code) VALUES ('service', 5, 'regress_via_street', 'funeral_subsidy');
DELETE FROM route_step WHERE route_code = 'regress_via_street'; DELETE FROM route WHERE route_code = 'regress_via_street';
-- A service rule names its route without a test; an expense rule names no matter (23514).
INSERT INTO route_rule (case_kind, priority, policy_key, comparison, route_code, matter_code)
  VALUES ('service', 5, 'expense.small_limit', '<=', 'dibao', 'dibao');
INSERT INTO route_rule (case_kind, priority, route_code, matter_code) VALUES ('expense', 5, 'expense_small', 'dibao');

-- A back-dated application (the street office may date it up to policy
-- service.backdate.max_days back) starts its first step on the day the
-- resident applied: the step's working-day deadline runs from that day
-- (R4.2, R8.1; before 0.3.0 it ran from the day it was recorded).
INSERT INTO service_application (matter_code, applicant, community, taken_by, documents, applied_on)
  VALUES ('funeral_subsidy', 1, '652901001001', 1, '{申请表,死亡证明,火化证明,申请人身份证}', CURRENT_DATE - 5)
  RETURNING case_id AS c_back \gset
SELECT o.step_started_on = CURRENT_DATE - 5 AS step_from_day_applied,
       o.due_on = add_working_days(CURRENT_DATE - 5, s.time_limit_days, o.division) AS due_from_day_applied
  FROM case_step_open o JOIN route_step s ON (s.route_code, s.version, s.step_no) = (o.route_code, o.route_version, o.current_step)
 WHERE o.case_id = :c_back;
-- Applied today: the step starts today, as before.
SELECT apply('funeral_subsidy', 1, 1, '{申请表,死亡证明,火化证明,申请人身份证}') AS a_today \gset
SELECT step_started_on = CURRENT_DATE AS step_from_today FROM approval_case c JOIN service_application a USING (case_id)
 WHERE a.application_id = :a_today;

-- A row that arrives with its case is a restore: a superuser's is accepted
-- as it is (no checks, no new case); anyone else's is refused (SD325).
SELECT count(*) AS cases_before FROM approval_case;
INSERT INTO service_application (matter_code, applicant, community, taken_by, case_id)
  VALUES ('dibao', 1, '652901001001', 1, :c_back) RETURNING case_id = :c_back AS kept_its_case;
SELECT count(*) AS cases_after FROM approval_case;
CREATE ROLE regress_sdbc_loader;
GRANT USAGE ON SCHEMA sdbc TO regress_sdbc_loader;
GRANT INSERT (matter_code, applicant, community, taken_by, case_id) ON service_application TO regress_sdbc_loader;
SET ROLE regress_sdbc_loader;
INSERT INTO service_application (matter_code, applicant, community, taken_by, case_id)
  VALUES ('dibao', 1, '652901001001', 1, :c_back);
RESET ROLE;
DROP OWNED BY regress_sdbc_loader;
DROP ROLE regress_sdbc_loader;

-- Leave the database as the next test expects it.
ALTER TABLE service_application DISABLE TRIGGER service_application_fixed; ALTER TABLE decision DISABLE TRIGGER decision_insert_only;
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
DELETE FROM service_application; DELETE FROM decision; DELETE FROM approval_case;
ALTER TABLE service_application ENABLE TRIGGER service_application_fixed; ALTER TABLE decision ENABLE TRIGGER decision_insert_only;
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
DELETE FROM resident; DELETE FROM household; DELETE FROM building;
DELETE FROM office_member; DELETE FROM staff; DELETE FROM service_matter WHERE NOT builtin; DELETE FROM division;
DROP FUNCTION public.regress_eligible_adult(bigint), public.regress_eligible_text(text);
