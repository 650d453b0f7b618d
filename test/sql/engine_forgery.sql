-- What the engine records is set by the engine (issue 13, section 3): ids,
-- times and dates of expenses, decisions, applications and account entries
-- cannot be brought by a client.  The staff roles cannot name those columns
-- (column privileges, 42501) and hold no table-level UPDATE, DELETE or
-- TRUNCATE on the engine's tables; whoever inserts, the triggers refuse an
-- id the identity default did not draw (SD340), set decided_at and paid_at
-- themselves, and take the day of a submission only within policy (SD341
-- future or infinite, SD342 too far back, SD343 a role that may not
-- back-date; policy expense.backdate.max_days, a local default of 7 days).
-- Everything runs in one transaction that is rolled back.
\set SHOW_CONTEXT never
BEGIN;
\set ON_ERROR_ROLLBACK on
SET LOCAL search_path = sdbc, public;
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE resident_resident_id_seq RESTART;
ALTER SEQUENCE account_account_id_seq RESTART;
ALTER SEQUENCE account_entry_entry_id_seq RESTART;
ALTER SEQUENCE expense_expense_id_seq RESTART;
ALTER SEQUENCE approval_case_case_id_seq RESTART;
ALTER SEQUENCE decision_decision_id_seq RESTART;
ALTER SEQUENCE service_application_application_id_seq RESTART;

-- 兰干 street with 前进 (001) and 友谊 (002): three handlers and the finance
-- lead of 前进, the street's finance office, a handler of 友谊.
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division) VALUES ('经办甲', '652901001001'), ('经办乙', '652901001001'),
  ('经办丙', '652901001001'), ('财务丁', '652901001001'), ('街财戊', '652901001'), ('友谊经办', '652901001002');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
  (5, 'street_finance_office', '652901001', '2020-01-01'), (6, 'community_handler', '652901001002', '2020-01-01');
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路1号', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490));
INSERT INTO household (building_id) VALUES (1);
INSERT INTO resident (household_id, name) VALUES (1, '艾买提');
INSERT INTO account (community, kind, name) VALUES ('652901001001', 'working', '前进工作经费'),
  ('652901001002', 'working', '友谊工作经费');
SELECT credit(1, 20000, '拨款') AS credit1, credit(2, 20000, '拨款') AS credit2;

-- Logins: 经办甲 (1) of 前进, the street's finance office (5).
CREATE ROLE regress_forge_handler LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_forge_street LOGIN IN ROLE sdbc_street_office;
INSERT INTO role_division (role_name, division) VALUES ('regress_forge_handler', '652901001001'),
  ('regress_forge_street', '652901001');
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_forge_handler', 1), ('regress_forge_street', 5);

-- No staff role holds table-level UPDATE, DELETE or TRUNCATE on the engine's
-- tables, nor INSERT on a column the engine sets.
SELECT r.rolname AS role, t.tbl,
       has_table_privilege(r.rolname, 'sdbc.' || t.tbl, 'UPDATE') AS upd,
       has_table_privilege(r.rolname, 'sdbc.' || t.tbl, 'DELETE') AS del,
       has_table_privilege(r.rolname, 'sdbc.' || t.tbl, 'TRUNCATE') AS trunc,
       (SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a
         WHERE a.attrelid = ('sdbc.' || t.tbl)::regclass AND a.attnum > 0 AND NOT a.attisdropped
           AND a.attname = ANY (t.engine_cols)
           AND has_column_privilege(r.rolname, a.attrelid, a.attnum, 'INSERT')) AS engine_cols_insertable
  FROM pg_roles r
 CROSS JOIN (VALUES
   ('expense', '{expense_id,case_id,route_code,split_flag,paid_at,paid_by}'::name[]),
   ('decision', '{decision_id,round,decided_at,prev_hash,hash}'),
   ('approval_case', '{submitted_at,status,round,step_started_on,closed_at,reasons_due_on}'),
   ('account', '{account_id,last_paid_at}'),
   ('account_entry', '{entry_id,entered_at}'),
   ('service_application', '{application_id,case_id}')) AS t (tbl, engine_cols)
 WHERE r.rolname IN ('sdbc_prefecture_admin', 'sdbc_county_department', 'sdbc_street_office', 'sdbc_community_staff')
 ORDER BY 1, 2;

-- Nor any right on their sequences (the identity defaults need none).
SELECT r.rolname AS role, count(*) FILTER (WHERE has_sequence_privilege(r.rolname, s.seq, 'USAGE,SELECT,UPDATE')) AS usable_sequences
  FROM pg_roles r
 CROSS JOIN unnest('{sdbc.expense_expense_id_seq,sdbc.approval_case_case_id_seq,sdbc.decision_decision_id_seq,sdbc.account_account_id_seq,sdbc.account_entry_entry_id_seq,sdbc.service_application_application_id_seq}'::text[]) AS s (seq)
 WHERE r.rolname IN ('sdbc_prefecture_admin', 'sdbc_county_department', 'sdbc_street_office', 'sdbc_community_staff')
 GROUP BY 1 ORDER BY 1;

SELECT submit_expense(1, '办公', '文具店', 300, 1) AS e1 \gset
SELECT case_id AS c1 FROM expense WHERE expense_id = :e1 \gset

-- As a login of the staff roles: the columns the engine sets cannot be named (42501).
SET ROLE regress_forge_handler;
INSERT INTO decision (decision_id, case_id, step_no, actor, verdict) OVERRIDING SYSTEM VALUE
  VALUES (1000, :c1, 1, 1, 'approve');
INSERT INTO decision (case_id, step_no, actor, verdict, decided_at) VALUES (:c1, 1, 1, 'approve', '2020-01-01');
INSERT INTO expense (expense_id, account_id, community, purpose, payee, amount, submitted_by) OVERRIDING SYSTEM VALUE
  VALUES (:e1, 1, '652901001001', '办公', '文具店', 10, 1) ON CONFLICT DO NOTHING;
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, split_flag)
  VALUES (1, '652901001001', '办公', '文具店', 10, 1, false);
INSERT INTO service_application (application_id, matter_code, applicant, community, taken_by, documents) OVERRIDING SYSTEM VALUE
  VALUES (1000, 'medical_assistance', 1, '652901001001', 1, '{申请表,身份证,医疗费用票据,诊断证明}');
UPDATE expense SET submitted_on = submitted_on - 30 WHERE expense_id = :e1;
SELECT nextval('decision_decision_id_seq');
-- The day submitted: not in the future, not infinite (SD341); community
-- staff submit today only (SD343).
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 1, current_date + 31);
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 1, 'infinity');
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 1, '-infinity');
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 1, current_date - 1);
-- The same for an application's day (policy service.backdate.max_days).
INSERT INTO service_application (matter_code, applicant, community, taken_by, documents, applied_on)
  VALUES ('medical_assistance', 1, '652901001001', 1, '{申请表,身份证,医疗费用票据,诊断证明}', current_date + 1);
INSERT INTO service_application (matter_code, applicant, community, taken_by, documents, applied_on)
  VALUES ('medical_assistance', 1, '652901001001', 1, '{申请表,身份证,医疗费用票据,诊断证明}', current_date - 1);
-- Today is fine, and so is leaving it out.
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 1, current_date) RETURNING route_code, split_flag;
RESET ROLE;

-- The street office dates a late receipt back within the policy's 7 days,
-- not further (SD342): a second 4,000 yuan to the same payee 31 days back
-- would fall outside the split window (30 days) and go the small route.
-- Within the 7 days it is added up with the expenses submitted since (up to
-- today), flagged and routed by the sum (R3.3).
SET ROLE regress_forge_street;
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 5, current_date - 31);
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 5, current_date - 3) RETURNING route_code, split_flag;
RESET ROLE;
-- The back-dated expense's case opens its first step on the day of the
-- submission, so its deadlines run from that day (R3.2/R3.3, R8.1; defect
-- fixed with issue 14 §2: it opened on the day it was recorded).
SELECT c.step_started_on = e.submitted_on AS step_from_day_submitted, c.current_step
  FROM expense e JOIN approval_case c USING (case_id)
 WHERE e.payee = '印刷厂' AND e.submitted_on = current_date - 3;

-- Whatever the privileges (here as the superuser, who may write every
-- column), an id the identity default did not draw is refused (SD340):
-- an approval placed before the case's submission,
INSERT INTO decision (decision_id, case_id, step_no, actor, verdict) OVERRIDING SYSTEM VALUE
  VALUES (0, :c1, 1, 2, 'approve');
-- the next value of the sequence (which would make another community's next
-- decision fail with 23505),
SELECT last_value + 1 AS next_decision FROM decision_decision_id_seq \gset
INSERT INTO decision (decision_id, case_id, step_no, actor, verdict) OVERRIDING SYSTEM VALUE
  VALUES (:next_decision, :c1, 1, 2, 'approve');
SELECT submit_expense(2, '办公', '文具店', 100, 6) AS e_youyi \gset
SELECT count(*) AS decisions_of_youyi FROM decision d JOIN expense e USING (case_id) WHERE e.expense_id = :e_youyi;
-- an expense that conflicts after its trigger opened a case: no orphan case,
-- also with the id this session drew last (it is taken already).
SELECT count(*) AS cases_before FROM approval_case \gset
INSERT INTO expense (expense_id, account_id, community, purpose, payee, amount, submitted_by) OVERRIDING SYSTEM VALUE
  VALUES (:e1, 1, '652901001001', '办公', '文具店', 10, 1) ON CONFLICT DO NOTHING;
INSERT INTO expense (expense_id, account_id, community, purpose, payee, amount, submitted_by) OVERRIDING SYSTEM VALUE
  VALUES (currval('expense_expense_id_seq'), 2, '652901001002', '办公', '文具店', 10, 6) ON CONFLICT DO NOTHING;
SELECT count(*) - :cases_before AS new_cases,
       (SELECT count(*) FROM approval_case c WHERE c.case_kind = 'expense'
           AND NOT EXISTS (SELECT 1 FROM expense e WHERE e.case_id = c.case_id)) AS orphan_cases
  FROM approval_case;
INSERT INTO service_application (application_id, matter_code, applicant, community, taken_by, documents) OVERRIDING SYSTEM VALUE
  VALUES (1000, 'medical_assistance', 1, '652901001001', 1, '{申请表,身份证,医疗费用票据,诊断证明}');
SELECT count(*) AS applications FROM service_application;

-- A decided_at brought by the client is replaced by the engine's clock, and
-- the chain holds; so is a paid_at.
INSERT INTO decision (case_id, step_no, actor, verdict, decided_at) VALUES (:c1, 1, 2, 'approve', '2020-01-01');
SELECT verdict, actor, decided_at > now() - interval '1 hour' AS decided_now FROM decision WHERE case_id = :c1 ORDER BY decision_id;
SELECT count(*) AS broken_links FROM verify_chain(:c1);
SELECT (sign(:e1, 3)).current_step AS signed, (sign(:e1, 4)).current_step AS sent, (sign(:e1, 5)).status AS reviewed;
UPDATE expense SET paid_at = '2000-01-01', paid_by = 5 WHERE expense_id = :e1;
SELECT paid_by, paid_at > now() - interval '1 hour' AS paid_now FROM expense WHERE expense_id = :e1;

-- The superuser, too, dates a submission neither in the future nor further
-- back than the policy allows.
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 1, 'infinity');
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '印刷厂', 4000, 1, current_date - 8);
-- The window is policy: a county that allows 40 days lets its street office date back 31.
INSERT INTO policy (key, division, valid_from, value, note) VALUES ('expense.backdate.max_days', '652901', '2020-01-01', 40, 'regress');
SET ROLE regress_forge_street;
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  VALUES (1, '652901001001', '办公', '复印店', 100, 5, current_date - 31) RETURNING route_code, split_flag;
RESET ROLE;

-- An application made 3 days ago, recorded by a login of the community's
-- hall that is also in sdbc_street_office (so it may date back, SD343): the
-- case's first step opens on that day, written with the login's own rights
-- (the engine updates step_started_on, a column the staff roles may update
-- but not insert; R4.2, R8.1, issue 14 §2).
CREATE ROLE regress_forge_hall_street IN ROLE sdbc_street_office;
INSERT INTO role_division (role_name, division) VALUES ('regress_forge_hall_street', '652901001');
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_forge_hall_street', 1);
SET ROLE regress_forge_hall_street;
INSERT INTO service_application (matter_code, applicant, community, taken_by, documents, applied_on)
  VALUES ('medical_assistance', 1, '652901001001', 1, '{申请表,身份证,医疗费用票据,诊断证明}', current_date - 3)
  RETURNING case_id AS c_back \gset
RESET ROLE;
SELECT step_started_on = current_date - 3 AS step_from_day_applied, current_step, status FROM approval_case WHERE case_id = :c_back;

-- The SQL entry points of the checks, with bad arguments: a column that is
-- no identity, NULL table (22004); a NULL id or day is left to NOT NULL.
SELECT require_engine_id('sdbc.expense', 'amount', 1);
SELECT require_engine_id(NULL, 'expense_id', 1);
SELECT pg_typeof(require_engine_id('sdbc.expense', 'expense_id', NULL)) AS nothing_to_check;
SELECT pg_typeof(require_day_in_policy(NULL, '652901001001', 'sdbc.expense', 'submitted_on', 'expense.backdate.max_days', 'R3.3')) AS nothing_to_check;
SELECT require_day_in_policy(current_date, NULL, 'sdbc.expense', 'submitted_on', 'expense.backdate.max_days', 'R3.3');

ROLLBACK;
