-- Issue 13 section 2 (docs/security.md "One login, one person"): the
-- person who acts is the session's login (session_user) mapped through
-- sdbc.role_staff, not current_user.  A login that is a member of another
-- person's login could SET ROLE to it and sign step 1 a second time, which
-- defeated the four-eyes rule (R3.2).  A role set by a superuser, or by a
-- trusted pool login (member of sdbc_pool), acts as itself.
-- Real login sessions (\c): the data are committed and removed at the end.
\set SHOW_CONTEXT never
SET search_path = sdbc, public;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区');
INSERT INTO staff (name, division) VALUES ('经办甲', '652901001001'), ('经办乙', '652901001001'),
  ('经办丙', '652901001001'), ('财务丁', '652901001001');
CREATE TEMP TABLE lp_staff AS SELECT staff_id, name FROM staff WHERE name IN ('经办甲', '经办乙', '经办丙', '财务丁');
INSERT INTO office_member (staff_id, office, division, valid_from)
  SELECT staff_id, CASE WHEN name = '财务丁' THEN 'community_finance_lead' ELSE 'community_handler' END,
         '652901001001', '2020-01-01' FROM lp_staff;
INSERT INTO account (community, kind, name) VALUES ('652901001001', 'working', '前进工作经费') RETURNING account_id AS acc \gset
SELECT credit(:acc, 10000, '拨款') IS NOT NULL AS credited;
SELECT staff_id AS s1 FROM lp_staff WHERE name = '经办甲' \gset
SELECT staff_id AS s2 FROM lp_staff WHERE name = '经办乙' \gset
SELECT staff_id AS s3 FROM lp_staff WHERE name = '经办丙' \gset
SELECT submit_expense(:acc, '办公', '文具店', 300, :s1) AS e \gset
-- 经办丙's login, and 经办乙's login, a member of it (the pattern of the
-- roles test); a connection pool trusted by the administrator.
CREATE ROLE regress_lp_c LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_lp_b LOGIN IN ROLE regress_lp_c;
CREATE ROLE regress_lp_pool LOGIN IN ROLE sdbc_pool;
GRANT regress_lp_c TO regress_lp_pool;
INSERT INTO role_division (role_name, division) VALUES ('regress_lp_c', '652901001001');
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_lp_b', :s2), ('regress_lp_c', :s3);
SELECT staff_login_timeouts('regress_lp_b');
SELECT staff_login_timeouts('regress_lp_pool', '2s', '30s', '10s');

-- 经办乙 signs step 1 as himself, then sets 经办丙's role and tries to sign
-- again: the session's login is still 经办乙, so it acts as nobody (SD317).
\c - regress_lp_b
SET search_path = sdbc, public;
SHOW lock_timeout;
SHOW statement_timeout;
SHOW idle_in_transaction_session_timeout;
SELECT session_user, current_user, acting_role(), my_staff_id() = :s2 AS me;
SELECT current_step FROM sign(:e, :s2);
SET ROLE regress_lp_c;
SELECT session_user, current_user, acting_role(), my_staff_id();
SELECT current_step FROM sign(:e, :s3);
SELECT check_login_is('sdbc.absence', :s3, 'record an absence');
INSERT INTO absence (staff_id, during, reason) VALUES (:s3, '[2026-03-01,2026-03-02)', 'leave');
RESET ROLE;
SELECT count(*) AS signatures FROM decision d JOIN expense x ON x.case_id = d.case_id WHERE x.expense_id = :e;

-- The pool: its own login is nobody's; the role it sets is the person.
\c - regress_lp_pool
SET search_path = sdbc, public;
SHOW lock_timeout;
SHOW statement_timeout;
SHOW idle_in_transaction_session_timeout;
SELECT check_login_is('sdbc.absence', :s3, 'record an absence');
SET ROLE regress_lp_c;
SELECT session_user, current_user, acting_role(), my_staff_id() = :s3 AS me;
SELECT current_step FROM sign(:e, :s3);
RESET ROLE;

-- A superuser setting up a pooled connection with SET SESSION AUTHORIZATION
-- (session_user changes too) or SET ROLE: the role set acts.
\c - postgres
SET search_path = sdbc, public;
SET SESSION AUTHORIZATION regress_lp_b;
SELECT session_user, current_user, acting_role(), my_staff_id() = :s2 AS me;
RESET SESSION AUTHORIZATION;
SET ROLE regress_lp_c;
SELECT acting_role(), my_staff_id() = :s3 AS me;
RESET ROLE;
SELECT d.step_no, d.actor = :s2 AS by_b, d.actor = :s3 AS by_c
  FROM decision d JOIN expense x ON x.case_id = d.case_id WHERE x.expense_id = :e ORDER BY d.decision_id;

-- Clean up.
DELETE FROM role_staff WHERE role_name LIKE 'regress\_lp\_%';
DELETE FROM role_division WHERE role_name LIKE 'regress\_lp\_%';
ALTER ROLE regress_lp_b RESET ALL;
ALTER ROLE regress_lp_pool RESET ALL;
DROP ROLE regress_lp_b, regress_lp_pool, regress_lp_c;
ALTER TABLE decision DISABLE TRIGGER decision_insert_only; ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard;
ALTER TABLE expense DISABLE TRIGGER expense_check; ALTER TABLE account_entry DISABLE TRIGGER account_entry_insert_only;
DELETE FROM account_entry; DELETE FROM expense; DELETE FROM decision; DELETE FROM approval_case; DELETE FROM account;
ALTER TABLE decision ENABLE TRIGGER decision_insert_only; ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard;
ALTER TABLE expense ENABLE TRIGGER expense_check; ALTER TABLE account_entry ENABLE TRIGGER account_entry_insert_only;
DELETE FROM absence; DELETE FROM office_member;
INSERT INTO policy (key, division, valid_from, value) VALUES ('community.national_staff.hard', '652901', '2016-01-01', 0);
DELETE FROM staff; DELETE FROM policy WHERE NOT builtin AND division = '652901';
DELETE FROM division;
SELECT count(*) AS regress_roles_left FROM pg_roles WHERE rolname LIKE 'regress\_lp\_%';
