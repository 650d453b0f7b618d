-- Messages in the users' language (issue 15 §3, docs/errors.md "Messages in
-- Chinese"): the same errors, raised in C (input of divcode, policy, the
-- approval engine) and in PL/pgSQL (grids, calendar, service matters), first
-- with lc_messages 'C' (English, the default), then 'zh_CN.UTF-8' (the
-- catalogue po/zh_CN.po).  The SQLSTATE stays the same in both; psql prints
-- it after each error (LAST_ERROR_SQLSTATE).
-- Two expected outputs: messages_zh.out where the server's own catalogue is
-- installed (the severity reads 错误), messages_zh_1.out where
-- it is not (ERROR); DETAIL/HINT are psql's labels, sdbc's texts the same in both.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE expense_expense_id_seq RESTART;
ALTER SEQUENCE approval_case_case_id_seq RESTART;
ALTER SEQUENCE account_account_id_seq RESTART;
ALTER SEQUENCE account_entry_entry_id_seq RESTART;
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE resident_resident_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division) VALUES
  ('经办甲', '652901001001'), ('经办乙', '652901001001'), ('外人', '652901001002'), ('大厅丙', '652901001001');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001002', '2020-01-01'), (4, 'community_service_hall', '652901001001', '2020-01-01');
INSERT INTO account (community, kind, purpose, name) VALUES ('652901001001', 'working', NULL, '工作经费');
SELECT credit(1, 6000, '拨款') AS credited;
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '一号楼', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490));
INSERT INTO household (building_id, registration) VALUES (1, 'registered');
INSERT INTO resident (household_id, id_number, name, floating) VALUES
  (1, idcard_make('652901', '1955-01-01', 1), '艾买提', false);
SELECT submit_expense(1, '办公', '文具店', 4000, 1) AS e1 \gset
SELECT case_id AS c1 FROM expense WHERE expense_id = :e1 \gset

-- English.
SET lc_messages TO 'C';
-- From C: input of a division code (22P02, core's wording), a built-in
-- policy row (SD101), an unknown policy key (SD104), the approval engine:
-- someone outside the office (SD303), the submitter (SD304), a rejection
-- without a reason (SD308).
SELECT '6529x1'::divcode;
\echo :LAST_ERROR_SQLSTATE
SELECT '652901600000'::divcode;
\echo :LAST_ERROR_SQLSTATE
UPDATE policy SET value = 250 WHERE key = 'grid.households.min' AND builtin;
\echo :LAST_ERROR_SQLSTATE
SELECT policy_value('grid.households.maximum', '652901', '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT sign(:e1, 3);
\echo :LAST_ERROR_SQLSTATE
SELECT sign(:e1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT decide(:c1, 2, 'reject');
\echo :LAST_ERROR_SQLSTATE
-- From PL/pgSQL: grids drawn in a street (SD205), the built-in calendar
-- (SD110), an unknown service matter (SD401), missing documents listed at
-- once (SD406), a staff move to a division that is not loaded (SD501).
SELECT grid_draw('652901001');
\echo :LAST_ERROR_SQLSTATE
TRUNCATE calendar_day;
\echo :LAST_ERROR_SQLSTATE
SELECT apply('no_such_matter', 1, 4);
\echo :LAST_ERROR_SQLSTATE
SELECT apply('dibao', 1, 4, '{申请书,身份证}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (1, current_date, 'transfer', '652901001001', '652901001099');
\echo :LAST_ERROR_SQLSTATE

-- The same errors in Chinese.
SET lc_messages TO 'zh_CN.UTF-8';
-- From C: input of a division code (22P02, core's wording), a built-in
-- policy row (SD101), an unknown policy key (SD104), the approval engine:
-- someone outside the office (SD303), the submitter (SD304), a rejection
-- without a reason (SD308).
SELECT '6529x1'::divcode;
\echo :LAST_ERROR_SQLSTATE
SELECT '652901600000'::divcode;
\echo :LAST_ERROR_SQLSTATE
UPDATE policy SET value = 250 WHERE key = 'grid.households.min' AND builtin;
\echo :LAST_ERROR_SQLSTATE
SELECT policy_value('grid.households.maximum', '652901', '2024-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT sign(:e1, 3);
\echo :LAST_ERROR_SQLSTATE
SELECT sign(:e1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT decide(:c1, 2, 'reject');
\echo :LAST_ERROR_SQLSTATE
-- From PL/pgSQL: grids drawn in a street (SD205), the built-in calendar
-- (SD110), an unknown service matter (SD401), missing documents listed at
-- once (SD406), a staff move to a division that is not loaded (SD501).
SELECT grid_draw('652901001');
\echo :LAST_ERROR_SQLSTATE
TRUNCATE calendar_day;
\echo :LAST_ERROR_SQLSTATE
SELECT apply('no_such_matter', 1, 4);
\echo :LAST_ERROR_SQLSTATE
SELECT apply('dibao', 1, 4, '{申请书,身份证}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (1, current_date, 'transfer', '652901001001', '652901001099');
\echo :LAST_ERROR_SQLSTATE

-- English stays the default: RESET gives the English texts back.
RESET lc_messages;
SELECT grid_draw('652901001');
SELECT sign(:e1, 1);
-- Nothing was written by the refused statements.
SELECT count(*) AS decisions, (SELECT count(*) FROM service_application) AS applications FROM decision;

-- Leave the database as the next test expects it.
ALTER TABLE decision DISABLE TRIGGER decision_insert_only; ALTER TABLE account_entry DISABLE TRIGGER account_entry_insert_only;
ALTER TABLE expense DISABLE TRIGGER expense_check;
DELETE FROM account_entry; DELETE FROM expense; DELETE FROM decision; DELETE FROM approval_case;
ALTER TABLE decision ENABLE TRIGGER decision_insert_only; ALTER TABLE account_entry ENABLE TRIGGER account_entry_insert_only;
ALTER TABLE expense ENABLE TRIGGER expense_check;
DELETE FROM account; DELETE FROM resident; DELETE FROM household; DELETE FROM building;
DELETE FROM office_member; DELETE FROM staff; DELETE FROM division;
