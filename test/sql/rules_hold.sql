-- Issue 13, sections 7 and 8: the rules hold whoever records the data, and
-- bad ids and bad values get clear errors that name the rule.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE expense_expense_id_seq RESTART;
ALTER SEQUENCE approval_case_case_id_seq RESTART;
ALTER SEQUENCE account_account_id_seq RESTART;
ALTER SEQUENCE account_entry_entry_id_seq RESTART;
ALTER SEQUENCE decision_decision_id_seq RESTART;
ALTER SEQUENCE absence_absence_id_seq RESTART;
ALTER SEQUENCE post_post_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区');
INSERT INTO staff (name, division) VALUES
  ('经办甲', '652901001001'), ('经办乙', '652901001001'), ('经办丙', '652901001001'),
  ('财务丁', '652901001001'), ('街财戊', '652901001'), ('党工委己', '652901001');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
  (5, 'street_finance_office', '652901001', '2020-01-01'), (6, 'street_party_committee', '652901001', '2020-01-01');
INSERT INTO account (community, kind, purpose, name) VALUES ('652901001001', 'working', NULL, '工作经费');
SELECT credit(1, 100000, '拨款') AS c1;

-- Section 7: the A/B rule reads the partner's absences with the engine's
-- rights (SD508, R7.3).  Staff 5 (street) is A of a street post, staff 1
-- (community) its B; 5 is absent.  前进's login (经办乙, 2) does not see 5's
-- absence, and still may not record 1 absent over it.
INSERT INTO post (office, division, principal, backup) VALUES ('street_finance_office', '652901001', 5, 1);
INSERT INTO absence (staff_id, during, reason) VALUES (5, daterange('2099-03-10', '2099-03-15'), 'leave');
CREATE ROLE regress_rules_qianjin LOGIN IN ROLE sdbc_community_staff;
INSERT INTO role_division (role_name, division, office) VALUES ('regress_rules_qianjin', '652901001001', NULL);
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_rules_qianjin', 2);
SET ROLE regress_rules_qianjin;
SELECT count(*) AS posts_seen, (SELECT count(*) FROM absence) AS absences_seen FROM post;
INSERT INTO absence (staff_id, during, reason) VALUES (1, daterange('2099-03-12', '2099-03-13'), 'training');
\echo sqlstate :LAST_ERROR_SQLSTATE
-- (an absence that does not overlap is recorded)
INSERT INTO absence (staff_id, during, reason) VALUES (1, daterange('2099-03-20', '2099-03-21'), 'training');
RESET ROLE;
SELECT staff_id, during = daterange('2099-03-20', '2099-03-21') AS the_later_one, recorded_by FROM absence WHERE staff_id = 1;
-- A post is checked with the engine's rights too: the street office of 兰干
-- (its login is 街财戊, 5) does not see the staff of the street next door
-- (新城, 7 and 8) nor their absences, and still may not name 8 backup of 7
-- when 8 recorded 7's coming absence (SD516), nor name 1 backup of 7 when
-- both are absent at once (SD508).
INSERT INTO division (code, name) VALUES ('652901002', '新城街道');
INSERT INTO staff (name, division) VALUES ('依明', '652901002'), ('阿里', '652901002');
INSERT INTO absence (staff_id, during, reason, recorded_by) VALUES (7, daterange('2099-05-01', '2099-05-05'), 'leave', 8);
INSERT INTO absence (staff_id, during, reason) VALUES (1, daterange('2099-05-02', '2099-05-03'), 'leave');
CREATE ROLE regress_rules_langan LOGIN IN ROLE sdbc_street_office;
INSERT INTO role_division (role_name, division, office) VALUES ('regress_rules_langan', '652901001', NULL);
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_rules_langan', 5);
SET ROLE regress_rules_langan;
SELECT count(*) FILTER (WHERE staff_id IN (7, 8)) AS absences_of_xincheng_seen FROM absence;
INSERT INTO post (office, division, principal, backup) VALUES ('street_party_committee', '652901001', 7, 8);
\echo sqlstate :LAST_ERROR_SQLSTATE
INSERT INTO post (office, division, principal, backup) VALUES ('street_party_committee', '652901001', 7, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT count(*) AS posts FROM post;
-- … and a post whose A and B are absent at overlapping times is refused
-- whoever writes it (the check reads with the engine's rights).
INSERT INTO absence (staff_id, during, reason) VALUES (6, daterange('2099-03-20', '2099-03-22'), 'leave');
INSERT INTO post (office, division, principal, backup) VALUES ('street_party_committee', '652901001', 6, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE

-- An expense through its route; the submitter (1) may not pay it himself
-- (SD351, R3.2: segregation of duties), the street finance office pays.
SELECT submit_expense(1, '办公', '文具店', 300, 1) AS e1 \gset
SELECT case_id AS c1 FROM expense WHERE expense_id = :e1 \gset
SELECT status FROM sign(:e1, 2);
SELECT status FROM sign(:e1, 3);
SELECT status FROM sign(:e1, 4);
SELECT status FROM sign(:e1, 5);
SELECT pay(:e1, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT paid_by FROM pay(:e1, 5);

-- An absent staff member does not sign himself (SD350, R7.3): his backup does.
SELECT submit_expense(1, '办公', '文具店', 200, 1) AS e2 \gset
INSERT INTO absence (staff_id, during, reason) VALUES (2, daterange('2020-01-01', NULL), 'sickness');
SELECT sign(:e2, 2);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT count(*) AS decisions_of_e2 FROM decision WHERE case_id = (SELECT case_id FROM expense WHERE expense_id = :e2);

-- An office's members serve its division (SD356; found by the session-4
-- review): the street finance officer (5) cannot be made a handler or the
-- finance lead of 前进.
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES (5, 'community_handler', '652901001001', '2020-01-01');
\echo sqlstate :LAST_ERROR_SQLSTATE
-- One person, one step of an expense (SD355, R3.2/R3.3; the same review):
-- a handler of 前进 (3) who is also made its finance lead signs step 1 and
-- may not send the same expense (step 2) himself.
INSERT INTO staff (name, division) VALUES ('经办庚', '652901001001') RETURNING staff_id AS geng \gset
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (:geng, 'community_handler', '652901001001', '2020-01-01'), (3, 'community_finance_lead', '652901001001', '2020-01-01');
SELECT submit_expense(1, '办公', '文具店', 100, 1) AS e3 \gset
SELECT current_step FROM sign(:e3, 3);
SELECT current_step FROM sign(:e3, :geng);
SELECT sign(:e3, 3);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT current_step FROM sign(:e3, 4);
DELETE FROM office_member WHERE staff_id = 3 AND office = 'community_finance_lead';

-- Section 8: a missing id is an error naming it, not a row of NULLs, an
-- intact chain or "case  does not exist".
SELECT pay(999, 5);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT sign(999, 3);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT withdraw(999, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT * FROM verify_chain(999);
\echo sqlstate :LAST_ERROR_SQLSTATE
-- The same for an expense or a case the login cannot see: the street office
-- of 新城 (its login is 依明, 7) does not serve 前进.
CREATE ROLE regress_rules_xincheng LOGIN IN ROLE sdbc_street_office;
INSERT INTO role_division (role_name, division, office) VALUES ('regress_rules_xincheng', '652901002', NULL);
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_rules_xincheng', 7);
SET ROLE regress_rules_xincheng;
SELECT pay(:e2, 7);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT * FROM verify_chain(:c1);
\echo sqlstate :LAST_ERROR_SQLSTATE
RESET ROLE;

-- The chain's anchor: the case keeps the length and head of its chain …
SELECT chain_length, chain_head = (SELECT hash FROM decision WHERE case_id = :c1 ORDER BY decision_id DESC LIMIT 1) AS head_is_last
  FROM approval_case WHERE case_id = :c1;
SELECT * FROM verify_chain(:c1);
SELECT county_code, cases, decisions, length(digest) AS digest_hex_length FROM chain_digest('652901');
-- … so that removing the last decision around the triggers is detected.
SET session_replication_role = replica;
DELETE FROM decision WHERE decision_id = (SELECT max(decision_id) FROM decision WHERE case_id = :c1);
RESET session_replication_role;
SELECT decision_id, problem ~ '^the chain does not end at the case''s anchor: 4 decisions, the case records 5' AS truncation_found
  FROM verify_chain(:c1);

-- Bad values at the door: a rule error with the rule and a hint, not a raw
-- check-constraint or foreign-key error with internal SQL in its context.
\set SHOW_CONTEXT errors
SELECT submit_expense(1, '办公', '文具店', -5, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT submit_expense(1, '办公', '文具店', 0, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT submit_expense(1, '办公', '文具店', 10, 999);
\echo sqlstate :LAST_ERROR_SQLSTATE
-- No amount without bound (policy expense.amount.max, a local 10,000,000 yuan).
SELECT submit_expense(1, '办公', '文具店', 1e30, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT submit_expense(1, '办公', '文具店', 1e130000, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT submit_expense(1, '办公', '文具店', 10000000.01, 1);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT credit(1, 1e30, '拨款');
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT credit(1, -5, '拨款');
\echo sqlstate :LAST_ERROR_SQLSTATE
\set SHOW_CONTEXT never
SELECT count(*) AS expenses, (SELECT count(*) FROM account_entry) AS entries FROM expense;
-- Building locations are finite longitude/latitude (SD208).
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路1号', 1, ST_SetSRID(ST_MakePoint('NaN', 41.16), 4490));
\echo sqlstate :LAST_ERROR_SQLSTATE
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路2号', 1, ST_SetSRID(ST_MakePoint(80.25, 'Infinity'), 4490));
\echo sqlstate :LAST_ERROR_SQLSTATE
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路3号', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490));
UPDATE building SET location = ST_SetSRID(ST_MakePoint(800.25, 41.16), 4490);
\echo sqlstate :LAST_ERROR_SQLSTATE
-- A point without its SRID (0), or in another system, is refused (SD210),
-- not taken as CGCS2000; so is a footprint without one.  GIS clients still
-- read SRID 4490 for the layer (from the constraint).
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路4号', 1, ST_MakePoint(80.25, 41.16));
\echo sqlstate :LAST_ERROR_SQLSTATE
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路5号', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4326));
\echo sqlstate :LAST_ERROR_SQLSTATE
UPDATE building SET footprint = ST_Multi(ST_Buffer(ST_MakePoint(80.25, 41.16), 0.0001));
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT f_geometry_column, srid, type FROM geometry_columns
 WHERE f_table_schema = 'sdbc' AND f_table_name = 'building' ORDER BY 1;
SELECT address, ST_AsText(location) FROM building;
-- Grids are not drawn on an infinite day (SD209): it would retire every grid.
SELECT grid_draw('652901001001', 'infinity');
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT grid_draw('652901001001', '-infinity');
\echo sqlstate :LAST_ERROR_SQLSTATE
-- Evaluation scores: NaN, infinite and absurd scores are SD602, not 0A000.
SELECT evaluation_composite('652901001001', CURRENT_DATE, 'NaN', 80, 80, 0, 0);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT evaluation_composite('652901001001', CURRENT_DATE, 80, 'Infinity', 80, 0, 0);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT evaluation_composite('652901001001', CURRENT_DATE, 80, 80, 1e30, 0, 0);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT street_grade_score('652901001', CURRENT_DATE, 'NaN', 80);
\echo sqlstate :LAST_ERROR_SQLSTATE

-- A household visit is recorded within policy visit.backdate.max_days of
-- it (SD517; the session-4 review inserted 337 back-dated visits to fake the
-- R12.2 figures); the administrator may load old records.
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '走访楼', 1, ST_SetSRID(ST_MakePoint(80.2501, 41.1601), 4490)) RETURNING building_id AS vb \gset
INSERT INTO household (building_id) VALUES (:vb) RETURNING household_id AS vh \gset
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_rules_visitor', 3);
CREATE ROLE regress_rules_visitor LOGIN IN ROLE sdbc_community_staff;
INSERT INTO role_division (role_name, division) VALUES ('regress_rules_visitor', '652901001001');
SET SESSION AUTHORIZATION regress_rules_visitor;
\set VERBOSITY sqlstate
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (:vh, 3, CURRENT_DATE - 8);
\set VERBOSITY default
\echo sqlstate :LAST_ERROR_SQLSTATE
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (:vh, 3, CURRENT_DATE - 7);
RESET SESSION AUTHORIZATION;
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (:vh, 3, CURRENT_DATE - 400);
SELECT count(*) AS visits_recorded FROM household_visit WHERE household_id = :vh;
DELETE FROM household_visit WHERE household_id = :vh;
DELETE FROM role_division WHERE role_name = 'regress_rules_visitor';
DELETE FROM role_staff WHERE role_name = 'regress_rules_visitor';
DROP ROLE regress_rules_visitor;

-- The same class of hole nearby: numbers NaN or Infinity would pass
-- (premises areas R10.1, platform costs R9.1, task funding R1.1) and days
-- 'infinity' would pass are refused by their constraints (23514), and grids
-- are not reclassified on an infinite day (SD209).
\set VERBOSITY terse
INSERT INTO premises (community, area_m2) VALUES ('652901001001', 'NaN');
INSERT INTO premises (community, area_m2) VALUES ('652901001001', 'Infinity');
INSERT INTO community_platform (community, since, cost) VALUES ('652901001001', '2020-01-01', 'NaN');
INSERT INTO task_assignment (department, community, task_code, funding) VALUES
  ('county_civil_affairs', '652901001001', 'regress_unlisted', 'NaN');
-- A duty shift to 'infinity' (a bound, not an unbounded end: it would cover
-- every hour to come, R8.1), a visit or a move on '-infinity'.
INSERT INTO duty_shift (community, staff_id, during) VALUES ('652901001001', 1, tsrange('2024-03-11 08:00', 'infinity'));
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES (1, '-infinity', 'hire', NULL, '652901001001');
INSERT INTO household (building_id) SELECT building_id FROM building;
INSERT INTO household_visit (household_id, staff_id, visited_on) SELECT household_id, 1, '-infinity' FROM household;
\set VERBOSITY default
SELECT * FROM grid_reclassify('652901001', 'infinity');
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT count(*) AS premises, (SELECT count(*) FROM community_platform) AS platforms,
       (SELECT count(*) FROM task_assignment) AS tasks, (SELECT count(*) FROM duty_shift) AS shifts,
       (SELECT count(*) FROM staff_move) AS moves, (SELECT count(*) FROM household_visit) AS visits FROM premises;

-- Clean up (around the history tables' triggers).
DELETE FROM role_staff WHERE role_name IN ('regress_rules_qianjin', 'regress_rules_langan', 'regress_rules_xincheng');
DELETE FROM role_division WHERE role_name IN ('regress_rules_qianjin', 'regress_rules_langan', 'regress_rules_xincheng');
DROP ROLE regress_rules_qianjin, regress_rules_langan, regress_rules_xincheng;
SET session_replication_role = replica;
DELETE FROM account_entry; DELETE FROM expense; DELETE FROM decision; DELETE FROM approval_case; DELETE FROM account;
DELETE FROM absence; DELETE FROM post; DELETE FROM household; DELETE FROM building; DELETE FROM office_member; DELETE FROM staff;
DELETE FROM staff_absence_lock; DELETE FROM division;
RESET session_replication_role;
