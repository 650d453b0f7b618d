-- The approval engine and community money (R3.2, R3.3, R3.4, R7.3): routes
-- as data, steps in order, four eyes, distinct signers, A/B acting, send
-- back, withdraw, reject, hash chain, route versions, split expenses,
-- payment, what-if, budget reports, deadlines.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE expense_expense_id_seq RESTART;
ALTER SEQUENCE approval_case_case_id_seq RESTART;
ALTER SEQUENCE account_account_id_seq RESTART;
ALTER SEQUENCE account_entry_entry_id_seq RESTART;
ALTER SEQUENCE decision_decision_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division) VALUES
  ('经办甲', '652901001001'), ('经办乙', '652901001001'), ('经办丙', '652901001001'),
  ('财务丁', '652901001001'), ('街财戊', '652901001'), ('党工委己', '652901001'), ('友谊经办', '652901001002');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
  (5, 'street_finance_office', '652901001', '2020-01-01'), (6, 'street_party_committee', '652901001', '2020-01-01'),
  (7, 'community_handler', '652901001002', '2020-01-01');
INSERT INTO account (community, kind, purpose, name) VALUES
  ('652901001001', 'working', NULL, '工作经费'), ('652901001001', 'earmarked', '老年食堂', '老年食堂专项'),
  ('652901001002', 'working', NULL, '友谊工作经费');
SELECT credit(1, 30000, '2024 拨款'), credit(2, 8000, '民政专项'), credit(3, 1000, '2024 拨款');

-- The routes as shipped (R3.2 up to and including 5,000 yuan; R3.3 above).
SELECT r.route_code, s.step_no, s.office, s.action, s.quorum, s.quorum_n, s.name_zh
  FROM route r JOIN route_step s USING (route_code, version) WHERE r.case_kind = 'expense' ORDER BY 1, 2;

-- Boundary: 5,000.00 goes to the finance office, 5,000.01 to the committee.
SELECT submit_expense(1, '办公用品', '文具店', 5000.00, 1) AS small, submit_expense(1, '维修', '建筑队', 5000.01, 1) AS large;
SELECT expense_id, amount, route_code, split_flag FROM expense ORDER BY expense_id;

-- Small route: two distinct handlers (not the submitter), the finance lead, the street finance office.
SELECT current_step FROM sign(1, 2);
SELECT current_step, status FROM sign(1, 3);
SELECT current_step, status FROM sign(1, 4);
SELECT current_step, status FROM sign(1, 5);
SELECT expense_id, paid_by FROM pay(1, 5);
SELECT name, balance FROM account_balance ORDER BY account_id;

-- Large route: the community reports, the street party working committee approves.
SELECT current_step FROM sign(2, 4);
SELECT status FROM sign(2, 6);
SELECT expense_id FROM pay(2, 5);

-- A/B post: 党工委己 (6) is absent; 街财戊 (5) is the named backup and acts for 6.
INSERT INTO post (office, division, principal, backup) VALUES ('street_party_committee', '652901001', 6, 5);
SELECT submit_expense(1, '设备', '电器店', 6000, 1) AS e3;
SELECT current_step FROM sign(3, 4);
SELECT sign(3, 5, acting_for => 6);   -- 6 is present: refused
INSERT INTO absence (staff_id, during, reason) VALUES (6, daterange(CURRENT_DATE - 1, CURRENT_DATE + 5), 'training');
SELECT status FROM sign(3, 5, acting_for => 6);
SELECT step_no, actor, acting_for, verdict FROM decision WHERE case_id = 3 ORDER BY decision_id;

-- Send back to the applicant, resubmit, and the signatures start again.
SELECT submit_expense(1, '宣传', '印刷厂', 800, 1) AS e4;
SELECT current_step FROM sign(4, 2);
SELECT current_step, round FROM decide(4, 3, 'send_back', '发票不全', 0);
SELECT current_step, round FROM decide(4, 1, 'submit');
SELECT current_step FROM sign(4, 2);
SELECT current_step FROM sign(4, 3);
-- Send back to an earlier step.
SELECT current_step, round FROM decide(4, 4, 'send_back', '金额需复核', 1);
SELECT current_step FROM sign(4, 2);
SELECT current_step FROM sign(4, 3);

-- Withdraw before anyone acted; reject with a reason.
SELECT submit_expense(1, '茶叶', '茶庄', 300, 1) AS e5;
SELECT status FROM withdraw(5, 1);
SELECT submit_expense(1, '礼品', '商场', 900, 1) AS e6;
SELECT status FROM decide(6, 2, 'reject', '不属于工作经费开支范围');

-- Earmarked account pays its purpose.
SELECT submit_expense(2, '老年食堂', '粮油店', 1200, 1) AS e7;
SELECT route_code FROM expense WHERE expense_id = 7;

-- Every chain intact; tampering with a row (triggers off, as a superuser could) is found.
SELECT count(*) AS cases, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM verify_chain(c.case_id))) AS intact
  FROM approval_case c;
-- The trigger hashes in C (src/approval/decision_hash.c); every row equals the SQL definition,
-- for every verdict, with and without acting_for, send_back_to and a (Chinese) reason.
SELECT count(*) AS decisions,
       count(*) FILTER (WHERE hash = decision_hash(prev_hash, case_id, step_no, round, actor, acting_for,
                                                   verdict, send_back_to, reason, decided_at)) AS same_as_sql,
       count(DISTINCT verdict) AS verdicts, count(acting_for) AS acting, count(send_back_to) AS sent_back,
       count(reason) FILTER (WHERE reason ~ '[^[:ascii:]]') AS chinese_reasons
  FROM decision;
ALTER TABLE decision DISABLE TRIGGER decision_insert_only;
UPDATE decision SET reason = '篡改' WHERE case_id = 4 AND verdict = 'send_back' AND reason = '发票不全';
ALTER TABLE decision ENABLE TRIGGER decision_insert_only;
SELECT d.step_no, d.verdict, v.problem FROM verify_chain(4) v JOIN decision d USING (decision_id);

-- Route versions: a new version of the small route (three signers); the old case keeps its version.
SELECT submit_expense(1, '文具', '文具店', 100, 1) AS e8;
INSERT INTO route (route_code, version, case_kind, name_zh, name_en) VALUES ('expense_small', 2, 'expense', '5000元以内支出(三人签字)', 'expense up to the limit, three signers');
INSERT INTO route_step (route_code, version, step_no, office, action, quorum, quorum_n, time_limit_days, name_zh, name_en)
SELECT route_code, 2, step_no, office, action, quorum, CASE WHEN step_no = 1 THEN 3 ELSE quorum_n END, time_limit_days, name_zh, name_en
  FROM route_step WHERE route_code = 'expense_small' AND version = 1;
SELECT submit_expense(1, '文具', '书店', 100, 2) AS e9;
SELECT e.expense_id, c.route_version FROM expense e JOIN approval_case c USING (case_id) WHERE e.expense_id IN (8, 9);
SELECT current_step FROM sign(8, 2);
SELECT current_step FROM sign(8, 3);
SELECT current_step FROM sign(9, 1);
SELECT current_step FROM sign(9, 3);

-- Split expenses: to one payee for one purpose within 30 days, crossing the limit.
SELECT submit_expense(1, '路灯维修', '电工', 3000, 1) AS s1;
SELECT submit_expense(1, '路灯维修', '电工', 2500, 1) AS s2;
SELECT submit_expense(1, '路灯维修', '另一电工', 2500, 1) AS s3;
-- the same within one multi-row INSERT: the second row sees the first
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by)
VALUES (1, '652901001001', '绿化', '园林队', 3000, 1), (1, '652901001001', '绿化', '园林队', 2500, 1);
SELECT expense_id, amount, route_code, window_total FROM expense_split ORDER BY expense_id;
SELECT expense_id, route_code, split_flag FROM expense WHERE purpose = '路灯维修' ORDER BY expense_id;

-- What if the limit were 3,000 yuan?
SELECT * FROM expense_route_whatif(3000);
SELECT * FROM expense_route_whatif(5000, '652901001001');

-- Open expenses and balances.
SELECT expense_id, status, current_step, office, split_flag FROM expense_open ORDER BY expense_id;
SELECT name, balance, credited, paid, committed FROM account_balance ORDER BY account_id;

-- Deadlines count working days: a holiday listed in the calendar is off
-- (in 2030, a year the built-in arrangements do not reach yet).
SELECT add_working_days('2030-09-27', 3) AS plain,
       working_days_between('2030-09-27', '2030-10-09') AS days_between;
INSERT INTO calendar_day (day, working, name) VALUES ('2030-09-30', false, '假日(测试)'), ('2030-10-01', false, '国庆节'),
  ('2030-09-29', true, '调休上班');
SELECT add_working_days('2030-09-27', 3) AS with_holidays, is_working_day('2030-09-29') AS sunday_worked;
-- The calendar is cached per backend: a change is seen at once, also one rolled back.
BEGIN;
DELETE FROM calendar_day WHERE day = '2030-09-29';
SELECT is_working_day('2030-09-29') AS sunday_worked_after_delete;
ROLLBACK;
SELECT is_working_day('2030-09-29') AS sunday_worked_after_rollback,
       working_days_between('2030-09-27', '2030-10-09') AS days_between_with_holidays,
       working_days_between('2030-10-09', '2030-09-27') AS reversed,
       add_working_days('2030-09-27', 0) AS zero_days;
SELECT add_working_days('infinity', 3);   -- no working days in infinity (22008)
UPDATE approval_case SET step_started_on = '2024-01-02' WHERE case_id = 8;
SELECT case_id, current_step, office, due_on, overdue FROM case_overdue ORDER BY case_id;

-- Budget sinking (R3.1) and minimum funds (R3.5).
INSERT INTO street_allocation (street, year, amount) VALUES ('652901001', 2024, 1000000);
INSERT INTO community_allocation (community, year, fund, amount) VALUES
  ('652901001001', 2024, 'working', 150000), ('652901001001', 2024, 'service', 250000),
  ('652901001002', 2024, 'working', 100000), ('652901001002', 2024, 'service', 150000);
SELECT street, year, allocated, passed_on, share, min_share, keeps_too_much, rule FROM street_funds_passed_on;
SELECT community, year, working_funds, working_min, service_funds, service_min, below_minimum FROM community_min_funds ORDER BY community;

-- Leave the database as the next test expects it.
ALTER TABLE decision DISABLE TRIGGER decision_insert_only; ALTER TABLE account_entry DISABLE TRIGGER account_entry_insert_only;
ALTER TABLE expense DISABLE TRIGGER expense_check;
DELETE FROM account_entry; DELETE FROM expense; DELETE FROM decision; DELETE FROM approval_case;
ALTER TABLE decision ENABLE TRIGGER decision_insert_only; ALTER TABLE account_entry ENABLE TRIGGER account_entry_insert_only;
ALTER TABLE expense ENABLE TRIGGER expense_check;
DELETE FROM route_step WHERE version > 1; DELETE FROM route WHERE version > 1;
DELETE FROM community_allocation; DELETE FROM street_allocation; DELETE FROM calendar_day WHERE NOT builtin;
DELETE FROM account; DELETE FROM absence; DELETE FROM post; DELETE FROM office_member; DELETE FROM staff;
DELETE FROM division;
