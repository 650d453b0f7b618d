-- Route selection by the kernel (R3.2, R3.3, R14.1; src/kernel/route_select_kernel.c):
-- the amount is compared with the policy value exactly, whatever its size or
-- scale; rules are tried in priority order and a later rule's policy is
-- never needed; an amount that is not a number (NaN) is refused with SD327
-- instead of being routed, and a policy value must be finite (23514).
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE expense_expense_id_seq RESTART;
ALTER SEQUENCE approval_case_case_id_seq RESTART;
ALTER SEQUENCE account_account_id_seq RESTART;
ALTER SEQUENCE decision_decision_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division) VALUES ('经办甲', '652901001001'), ('友谊经办', '652901001002');
INSERT INTO account (community, kind, purpose, name) VALUES
  ('652901001001', 'working', NULL, '工作经费'), ('652901001002', 'working', NULL, '友谊工作经费');
-- (the route kernel is tested far past the engine's bound on a single
-- amount, policy expense.amount.max: raised here for the street, issue 13)
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.amount.max', '652901001', '2014-01-01', 1e40);

-- The default limit 5,000: at it (R3.2), one fen above it (R3.3), and 30
-- integer digits, far beyond what an int64 of fen could hold (R3.3).
SELECT submit_expense(1, '办公', '文具店', 5000.00, 1) AS at_limit,
       submit_expense(1, '维修', '建筑队', 5000.01, 1) AS above,
       submit_expense(1, '基建', '建筑公司', 123456789012345678901234567890.12, 1) AS huge;

-- A community's own limit with three decimals (R14.1): 5000.00 lies below
-- 5000.005, 5000.01 above it.
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', '652901001002', '2014-01-01', 5000.005);
SELECT submit_expense(2, '办公', '文具店', 5000.00, 2) AS below_limit,
       submit_expense(2, '维修', '建筑队', 5000.01, 2) AS above_limit;

-- A limit of Infinity or NaN is no limit: policy values are finite
-- (policy_value_finite, 23514; NaN would pass every bound and sort above
-- every amount), so the community's limit stays 5000.005.
\set VERBOSITY sqlstate
UPDATE policy SET value = 'Infinity' WHERE key = 'expense.small_limit' AND division = '652901001002';
UPDATE policy SET value = 'NaN' WHERE key = 'expense.small_limit' AND division = '652901001002';
\set VERBOSITY default
SELECT submit_expense(2, '基建', '建筑公司', 99999999999999999999.99, 2) AS above_own_limit;
SELECT expense_id, community, amount, route_code, split_flag FROM expense ORDER BY expense_id;

-- SD327: an amount that is not a number routes nothing (numeric would have
-- sent it up the R3.3 route, as NaN sorts above every number).
SELECT submit_expense(1, '办公', '书店', 'NaN', 1);
-- The amount of a split expense is the sum with the earlier ones to the same
-- payee for the same purpose (5,000.00 to 文具店 above): NaN as well.
SELECT submit_expense(1, '办公', '文具店', 'NaN', 1);
\set VERBOSITY sqlstate
SELECT submit_expense(1, '办公', '书店', 'NaN', 1);
\set VERBOSITY default

-- Rules in priority order: a rule after the one that holds never needs its
-- policy value, one before it does (SD103 names the missing key).
INSERT INTO policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh)
  VALUES ('expense.regress_limit', 'R3.2', 'yuan', 0, NULL, 'a limit with no value (regression test)', '无取值的限额');
INSERT INTO route_rule (case_kind, priority, policy_key, comparison, route_code)
  VALUES ('expense', 30, 'expense.regress_limit', '<=', 'expense_small');
SELECT submit_expense(1, '宣传', '印刷厂', 300, 1) AS e7 \gset
SELECT expense_id, route_code FROM expense WHERE expense_id = :e7;
UPDATE route_rule SET priority = 5 WHERE policy_key = 'expense.regress_limit';
-- (the message names today's date: the code only)
\set VERBOSITY sqlstate
SELECT submit_expense(1, '宣传', '印刷厂', 300, 1);
\set VERBOSITY default
SELECT count(*) AS expenses, (SELECT count(*) FROM approval_case) AS cases, (SELECT count(*) FROM decision) AS decisions FROM expense;

-- Leave the database as the next test expects it.
DELETE FROM route_rule WHERE policy_key = 'expense.regress_limit';
DELETE FROM policy_key WHERE key = 'expense.regress_limit';
DELETE FROM policy WHERE key = 'expense.small_limit' AND division = '652901001002';
DELETE FROM policy WHERE key = 'expense.amount.max' AND division = '652901001';
ALTER TABLE decision DISABLE TRIGGER decision_insert_only; ALTER TABLE expense DISABLE TRIGGER expense_check;
DELETE FROM expense; DELETE FROM decision; DELETE FROM approval_case;
ALTER TABLE decision ENABLE TRIGGER decision_insert_only; ALTER TABLE expense ENABLE TRIGGER expense_check;
DELETE FROM account; DELETE FROM staff;
DELETE FROM division;
