-- Bad input to the approval engine and money (R3, R7.3): each refused with
-- its own SQLSTATE, the rule in the detail, and nothing half-written.
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
  ('财务丁', '652901001001'), ('街财戊', '652901001'), ('党工委己', '652901001'), ('外人', '652901001002');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
  (5, 'street_finance_office', '652901001', '2020-01-01'), (6, 'street_party_committee', '652901001', '2020-01-01'),
  (7, 'community_handler', '652901001002', '2020-01-01');
INSERT INTO account (community, kind, purpose, name) VALUES
  ('652901001001', 'working', NULL, '工作经费'), ('652901001001', 'earmarked', '老年食堂', '老年食堂专项'),
  ('652901001002', 'working', NULL, '友谊工作经费');
SELECT credit(1, 6000, '拨款') AS c1, credit(2, 500, '专项') AS c2;

-- Amounts: zero and negative (SD352, at the door: issue 13), more than two decimals (23514, its constraint).
\set VERBOSITY terse
SELECT submit_expense(1, '办公', '文具店', 0, 1);
SELECT submit_expense(1, '办公', '文具店', -5, 1);
SELECT submit_expense(1, '办公', '文具店', 12.345, 1);
\set VERBOSITY default
-- Unknown account (23503), an earmarked account for another purpose (SD321),
-- an account of another community (SD326).
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by) VALUES (99, '652901001001', '办公', '文具店', 10, 1);
SELECT submit_expense(2, '办公用品', '文具店', 10, 1);
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by) VALUES (1, '652901001002', '办公', '文具店', 10, 7);
SELECT count(*) AS expenses, (SELECT count(*) FROM approval_case) AS cases, (SELECT count(*) FROM decision) AS decisions FROM expense;

-- A case to act on: 4,000 yuan, small route.
SELECT submit_expense(1, '办公', '文具店', 4000, 1) AS e1 \gset
SELECT case_id AS c1 FROM expense WHERE expense_id = :e1 \gset
-- SD303 someone outside the office; SD304 the submitter; SD302 a later step first.
SELECT sign(:e1, 7);
SELECT sign(:e1, 1);
INSERT INTO decision (case_id, step_no, actor, verdict) VALUES (:c1, 2, 4, 'approve');
-- SD305 the same person twice; SD306 acting for someone who is present (or without a post).
SELECT current_step FROM sign(:e1, 2);
SELECT sign(:e1, 2);
SELECT sign(:e1, 3, acting_for => 2);
-- SD307 withdraw after someone acted, or by another person.
SELECT withdraw(:e1, 1);
SELECT withdraw(:e1, 2);
-- SD308 reject or send back without a reason; SD309 send back forward.
SELECT decide(:c1, 3, 'reject');
SELECT decide(:c1, 3, 'send_back', NULL, 0);
SELECT decide(:c1, 3, 'send_back', '缺单据', 1);
SELECT decide(:c1, 3, 'send_back', '缺单据', 5);
-- SD310 a second submission.
SELECT decide(:c1, 1, 'submit');
-- SD322 pay before the route is complete.
SELECT pay(:e1, 5);
SELECT current_step FROM sign(:e1, 3);
SELECT current_step FROM sign(:e1, 4);
SELECT status FROM sign(:e1, 5);
-- SD325 change an approved expense; delete it.
UPDATE expense SET amount = 40000 WHERE expense_id = :e1;
DELETE FROM expense WHERE expense_id = :e1;
-- Paid once (SD323), and never beyond the balance (SD324).
SELECT paid_by FROM pay(:e1, 5);
SELECT pay(:e1, 5);
SELECT submit_expense(1, '办公', '书店', 3000, 1) AS e2 \gset
SELECT current_step FROM sign(:e2, 2);
SELECT current_step FROM sign(:e2, 3);
SELECT current_step FROM sign(:e2, 4);
SELECT status FROM sign(:e2, 5);
SELECT pay(:e2, 5);
SELECT name, balance FROM account_balance WHERE account_id = 1;
-- SD301 act on a closed case.
SELECT sign(:e1, 2);
-- SD207 decisions and entries are insert-only.
UPDATE decision SET reason = 'x' WHERE case_id = :c1;
DELETE FROM decision WHERE case_id = :c1;
TRUNCATE decision CASCADE;
DELETE FROM account_entry;

-- Case, payment and hash are the database's: a client cannot bring its own
-- (only a superuser's restore may, and then the hash must match the row).
CREATE ROLE regress_sdbc_clerk;
GRANT USAGE ON SCHEMA sdbc TO regress_sdbc_clerk;
GRANT INSERT ON expense, decision TO regress_sdbc_clerk;
SET ROLE regress_sdbc_clerk;
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, case_id)
  VALUES (1, '652901001001', '办公', '文具店', 10, 1, :c1);
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, paid_at)
  VALUES (1, '652901001001', '办公', '文具店', 10, 1, now());
INSERT INTO decision (case_id, step_no, actor, verdict, hash) VALUES (:c1, 1, 2, 'approve', '\x01');
RESET ROLE;
DROP OWNED BY regress_sdbc_clerk;
DROP ROLE regress_sdbc_clerk;
INSERT INTO decision (case_id, step_no, round, actor, verdict, decided_at, hash)
  VALUES (:c1, 1, 1, 2, 'approve', '2024-01-01 00:00:00+00', '\x01');

-- The SQLSTATEs, as an application catches them.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
-- (a fresh expense for the checks on its route)
SELECT submit_expense(3, '办公', '文具店', 100, 7) AS e3 \gset
INSERT INTO staff (name, division) VALUES ('友谊经办二', '652901001002'), ('友谊财务', '652901001002');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (8, 'community_handler', '652901001002', '2020-01-01'), (9, 'community_finance_lead', '652901001002', '2020-01-01');
SELECT what, pg_temp.sqlstate_of(stmt) AS sqlstate FROM (VALUES
  (1, 'zero amount',               $$SELECT sdbc.submit_expense(1, 'x', 'y', 0, 1)$$),
  (2, 'three decimals',            $$SELECT sdbc.submit_expense(1, 'x', 'y', 1.005, 1)$$),
  (3, 'unknown account',           $$SELECT sdbc.submit_expense(99, 'x', 'y', 1, 1)$$),
  (4, 'earmarked, other purpose',  $$SELECT sdbc.submit_expense(2, 'x', 'y', 1, 1)$$),
  (5, 'other community''s account', $$INSERT INTO sdbc.expense (account_id, community, purpose, payee, amount, submitted_by) VALUES (1, '652901001002', 'x', 'y', 1, 7)$$),
  (6, 'outside the office',        format($$SELECT sdbc.sign(%s, 2)$$, :e3)),
  (7, 'the submitter signs',       format($$SELECT sdbc.sign(%s, 7)$$, :e3)),
  (8, 'a later step first',        format($$INSERT INTO sdbc.decision (case_id, step_no, actor, verdict) SELECT case_id, 2, 9, 'approve' FROM sdbc.expense WHERE expense_id = %s$$, :e3)),
  (9, 'pay early',                 format($$SELECT sdbc.pay(%s, 5)$$, :e3)),
  (10, 'first signature',          format($$SELECT sdbc.sign(%s, 8)$$, :e3)),
  (11, 'the same signer again',    format($$SELECT sdbc.sign(%s, 8)$$, :e3)),
  (12, 'acting for someone present', format($$SELECT sdbc.sign(%s, 9, acting_for => 8)$$, :e3)),
  (13, 'withdraw after signing',   format($$SELECT sdbc.withdraw(%s, 7)$$, :e3)),
  (14, 'reject without a reason',  format($$SELECT sdbc.decide(case_id, 8, 'reject') FROM sdbc.expense WHERE expense_id = %s$$, :e3)),
  (15, 'send back forward',        format($$SELECT sdbc.decide(case_id, 8, 'send_back', 'x', 3) FROM sdbc.expense WHERE expense_id = %s$$, :e3)),
  (16, 'submit twice',             format($$SELECT sdbc.decide(case_id, 7, 'submit') FROM sdbc.expense WHERE expense_id = %s$$, :e3)),
  (17, 'act on a closed case',     format($$SELECT sdbc.sign(%s, 2)$$, :e1)),
  (18, 'pay twice',                format($$SELECT sdbc.pay(%s, 5)$$, :e1)),
  (19, 'overdraw',                 format($$SELECT sdbc.pay(%s, 5)$$, :e2)),
  (20, 'change amount',            format($$UPDATE sdbc.expense SET amount = 1 WHERE expense_id = %s$$, :e2)),
  (21, 'delete',                   format($$DELETE FROM sdbc.expense WHERE expense_id = %s$$, :e2)),
  (22, 'rewrite history',          $$UPDATE sdbc.decision SET reason = 'x'$$),
  (23, 'credit NaN',               $$SELECT sdbc.credit(1, 'NaN', 'x')$$),
  (24, 'credit Infinity',          $$SELECT sdbc.credit(1, 'Infinity', 'x')$$),
  (25, 'expense of Infinity',      $$SELECT sdbc.submit_expense(1, 'x', 'y', 'Infinity', 1)$$),
  (26, 'paid without a payer',     format($$UPDATE sdbc.expense SET paid_at = now() WHERE expense_id = %s$$, :e2))) AS t(n, what, stmt)
ORDER BY n;

-- Leave the database as the next test expects it.
ALTER TABLE decision DISABLE TRIGGER decision_insert_only; ALTER TABLE account_entry DISABLE TRIGGER account_entry_insert_only;
ALTER TABLE expense DISABLE TRIGGER expense_check;
DELETE FROM account_entry; DELETE FROM expense; DELETE FROM decision; DELETE FROM approval_case;
ALTER TABLE decision ENABLE TRIGGER decision_insert_only; ALTER TABLE account_entry ENABLE TRIGGER account_entry_insert_only;
ALTER TABLE expense ENABLE TRIGGER expense_check;
DELETE FROM account; DELETE FROM absence; DELETE FROM post; DELETE FROM office_member; DELETE FROM staff;
DELETE FROM division;
