-- The engine's own writes and the person behind a login (issue 8,
-- docs/security.md): a login acts only as the staff member it is mapped to
-- (sdbc.role_staff, SD317, SD318); tables that change only through the
-- engine let a write through when the engine writes (sdbc.engine_writing()),
-- not when a client's trigger on a temporary table raises the trigger depth
-- (SD316 on cases, the debit policy, SD514 on staff divisions, household
-- placement); sdbc.engine_trigger runs engine functions on the extension's
-- tables only.  Everything runs in one transaction that is rolled back.
\set SHOW_CONTEXT never
BEGIN;
\set ON_ERROR_ROLLBACK on
SET LOCAL search_path = sdbc, public;
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE building_building_id_seq RESTART;
ALTER SEQUENCE household_household_id_seq RESTART;
ALTER SEQUENCE resident_resident_id_seq RESTART;
ALTER SEQUENCE id_number_attempt_attempt_id_seq RESTART;
ALTER SEQUENCE account_account_id_seq RESTART;
ALTER SEQUENCE account_entry_entry_id_seq RESTART;
ALTER SEQUENCE expense_expense_id_seq RESTART;
ALTER SEQUENCE approval_case_case_id_seq RESTART;
ALTER SEQUENCE decision_decision_id_seq RESTART;
ALTER SEQUENCE staff_move_move_id_seq RESTART;
ALTER SEQUENCE post_post_id_seq RESTART;
ALTER SEQUENCE absence_absence_id_seq RESTART;
ALTER SEQUENCE task_assignment_assignment_id_seq RESTART;

-- 兰干 street with 前进 (001) and 友谊 (002); three handlers and the finance
-- lead of 前进, the street's finance office.
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division) VALUES ('经办甲', '652901001001'), ('经办乙', '652901001001'),
  ('经办丙', '652901001001'), ('财务丁', '652901001001'), ('街财戊', '652901001');
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
  (5, 'street_finance_office', '652901001', '2020-01-01');
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (3, '2020-01-01', 'hire', NULL, '652901001001');
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路1号', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490)),
  ('652901001002', '友谊路1号', 1, ST_SetSRID(ST_MakePoint(80.26, 41.16), 4490));
INSERT INTO household (building_id) VALUES (1), (2);
INSERT INTO resident (household_id, id_number, name) VALUES
  (1, NULL, '艾买提'), (2, idcard_make('652901', '1960-03-01', 2), '古丽'), (1, NULL, '阿依');
INSERT INTO account (community, kind, name) VALUES ('652901001001', 'working', '前进工作经费');
SELECT credit(1, 10000, '拨款');
SELECT submit_expense(1, '办公', '文具店', 300, 1) AS expense;

-- Logins: 经办乙 (2), the street's finance office (5), one mapped to nobody,
-- and an application server that may record anyone (staff_id NULL).
CREATE ROLE regress_guard_handler LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_guard_street LOGIN IN ROLE sdbc_street_office;
CREATE ROLE regress_guard_nobody LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_guard_app LOGIN IN ROLE sdbc_community_staff;
INSERT INTO role_division (role_name, division) VALUES ('regress_guard_handler', '652901001001'),
  ('regress_guard_street', '652901001'), ('regress_guard_nobody', '652901001001'), ('regress_guard_app', '652901001001');
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_guard_handler', 2), ('regress_guard_street', 5),
  ('regress_guard_app', NULL);

-- A login acts as the person it is, and no one else.
SET ROLE regress_guard_nobody;
SELECT sign(1, 2);                                        -- SD317: nobody's login
SET ROLE regress_guard_handler;
SELECT role_name, staff_id FROM role_staff;               -- his own mapping only
SELECT sign(1, 3);                                        -- SD318: 经办乙 signing as 经办丙
SELECT submit_expense(1, '维修', '五金店', 200, 1);       -- SD318: submitting in 经办甲's name (the failed insert uses up expense 2)
SELECT current_step FROM sign(1, 2);                      -- as himself
SELECT submit_expense(1, '维修', '五金店', 200, 2) AS second_expense;
SET ROLE regress_guard_app;
SELECT current_step FROM sign(1, 3);                      -- the application server records 经办丙
RESET ROLE;
SELECT current_step FROM sign(1, 4);                      -- a superuser is not checked
SET ROLE regress_guard_street;
SELECT status FROM sign(1, 5);
SELECT paid_by FROM pay(1, 4);                            -- SD318: paying in the finance lead's name
SELECT paid_by FROM pay(1, 5);
RESET ROLE;
SELECT d.step_no, d.actor, d.verdict FROM decision d JOIN expense e USING (case_id)
 WHERE e.expense_id = 1 ORDER BY d.decision_id;

-- A client's trigger on a temporary table is not the engine.
SET ROLE regress_guard_handler;
SELECT engine_writing() AS engine_writing_at_top;
CREATE TEMP TABLE bait (what text);
CREATE FUNCTION pg_temp.bait() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'engine_writing() inside the bait trigger: %', sdbc.engine_writing();
  IF NEW.what = 'case' THEN
    UPDATE sdbc.approval_case SET status = 'approved', closed_at = now()
     WHERE case_id = (SELECT case_id FROM sdbc.expense WHERE expense_id = 3);
  ELSIF NEW.what = 'debit' THEN
    INSERT INTO sdbc.account_entry (account_id, kind, amount, expense_id) VALUES (1, 'debit', 200, 3);
  ELSIF NEW.what = 'division' THEN
    UPDATE sdbc.staff SET division = '652901001002' WHERE staff_id = 3;
  ELSIF NEW.what = 'household' THEN
    UPDATE sdbc.household SET community = '652901001002' WHERE household_id = 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER bait BEFORE INSERT ON pg_temp.bait FOR EACH ROW EXECUTE FUNCTION pg_temp.bait();
INSERT INTO pg_temp.bait VALUES ('case');                 -- SD316: cases move only by decisions
INSERT INTO pg_temp.bait VALUES ('debit');                -- 42501: debits only by a payment
SELECT c.status FROM approval_case c JOIN expense e USING (case_id) WHERE e.expense_id = 3;
SELECT count(*) AS debits FROM account_entry WHERE kind = 'debit';
SET ROLE regress_guard_street;
CREATE TEMP TABLE bait_street (what text);
CREATE TRIGGER bait BEFORE INSERT ON pg_temp.bait_street FOR EACH ROW EXECUTE FUNCTION pg_temp.bait();
INSERT INTO pg_temp.bait_street VALUES ('division');      -- SD514: staff with moves change division by a move
RESET ROLE;
-- Even a superuser's nested update of a household is placed: it stays with its building.
CREATE TEMP TABLE bait_owner (what text);
CREATE TRIGGER bait BEFORE INSERT ON pg_temp.bait_owner FOR EACH ROW EXECUTE FUNCTION pg_temp.bait();
INSERT INTO pg_temp.bait_owner VALUES ('household');
SELECT household_id, community FROM household ORDER BY household_id;
SELECT staff_id, division FROM staff WHERE staff_id = 3;

-- The engine's own path still writes: a move through sdbc.staff_move.
SET ROLE regress_guard_street;
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (3, CURRENT_DATE, 'transfer', '652901001001', '652901001002');
RESET ROLE;
SELECT staff_id, division FROM staff WHERE staff_id = 3;

-- The engine's queries use PostgreSQL's operators whatever the caller's
-- search_path: an = on bigint that is always true, in a schema put first,
-- would make every earlier approval look like the same person's (SD305).
CREATE SCHEMA regress_evil;
CREATE FUNCTION regress_evil.always(bigint, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR regress_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = regress_evil.always);
GRANT USAGE ON SCHEMA regress_evil TO PUBLIC;
SET ROLE regress_guard_app;
SET search_path = regress_evil, pg_catalog, sdbc, public;
SELECT 1::bigint = 2::bigint AS shadowed;                 -- the trap is set
-- (sdbc.sign() sets its own search_path; a decision inserted directly does not)
INSERT INTO sdbc.decision (case_id, step_no, actor, verdict)
  SELECT case_id, 1, 1, 'approve' FROM sdbc.expense WHERE expense_id = 3;
INSERT INTO sdbc.decision (case_id, step_no, actor, verdict)   -- another handler: the route goes on
  SELECT case_id, 1, 3, 'approve' FROM sdbc.expense WHERE expense_id = 3;
RESET ROLE;
SET search_path = sdbc, public;
SELECT c.current_step FROM approval_case c JOIN expense e USING (case_id) WHERE e.expense_id = 3;
-- Nor an operator of exact types in a schema after pg_catalog (here public,
-- where PostGIS lives), which would beat pg_catalog's polymorphic
-- @>(anyrange, anyelement): "staff 4 is absent today" must stay false, so
-- 经办乙 (his backup B) may not act for him at the finance lead's step (SD306).
INSERT INTO post (office, division, principal, backup) VALUES ('community_finance_lead', '652901001001', 4, 2);
CREATE FUNCTION public.regress_evil_yes(daterange, date) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR public.@> (LEFTARG = daterange, RIGHTARG = date, FUNCTION = public.regress_evil_yes);
SET ROLE regress_guard_handler;
SET search_path = pg_catalog, public;
INSERT INTO sdbc.decision (case_id, step_no, actor, acting_for, verdict)
  SELECT case_id, 2, 2, 4, 'approve' FROM sdbc.expense WHERE expense_id = 3;
RESET ROLE;
SET search_path = sdbc, public;

-- Nor may 经办乙 make 财务丁 absent himself: B does not record A's absence
-- (SD516); he records his own, and visits in his own name (SD318 otherwise).
SET ROLE regress_guard_handler;
INSERT INTO absence (staff_id, during, reason) VALUES (4, daterange(CURRENT_DATE, CURRENT_DATE + 1), 'other');
INSERT INTO absence (staff_id, during, reason) VALUES (2, daterange(CURRENT_DATE + 7, CURRENT_DATE + 8), 'training');
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (1, 3, CURRENT_DATE);
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (1, 2, CURRENT_DATE);
INSERT INTO absence (staff_id, during, reason) VALUES (1, daterange(CURRENT_DATE + 20, CURRENT_DATE + 21), 'leave');
RESET ROLE;
-- … nor become the backup of someone whose coming absence he recorded (SD516),
-- an open-ended one too.
INSERT INTO post (office, division, principal, backup) VALUES ('community_handler', '652901001001', 1, 2);
UPDATE absence SET during = daterange(CURRENT_DATE + 20, NULL) WHERE staff_id = 1;
INSERT INTO post (office, division, principal, backup) VALUES ('community_handler', '652901001001', 1, 2);
SELECT staff_id, reason, recorded_by FROM absence ORDER BY absence_id;
SELECT household_id, staff_id FROM household_visit ORDER BY visit_id;
-- A task the community refuses (R1.3) names who refused it — the login's
-- person, not a name planted when the task was handed down.
INSERT INTO task_assignment (department, community, task_code, refused_by) VALUES ('county_civil_affairs', '652901001001', 'regress_unlisted', 3);
SELECT status, refused_by FROM task_assignment;
SET ROLE regress_guard_handler;
SELECT status, refusal_reason, refused_by FROM refuse_task((SELECT max(assignment_id) FROM task_assignment), '无经费');
RESET ROLE;

-- A county's eligibility predicate runs inside the engine's application
-- trigger, but not with the engine's flag: it could not write a case.
CREATE FUNCTION public.regress_probe(resident_id bigint) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RAISE NOTICE 'engine_writing() inside the eligibility predicate: %', sdbc.engine_writing();
  RETURN true;
END $$;
INSERT INTO service_matter (matter_code, county, name_zh, name_en, final_office, documents, time_limit_days, eligibility, route_code)
  SELECT 'regress_probe', '652901', '测试事项', 'probe', final_office, '{申请表}', 10, 'public.regress_probe(bigint)', route_code
    FROM service_matter WHERE matter_code = 'medical_assistance';
SELECT apply('regress_probe', 1, 1, '{申请表}') IS NOT NULL AS taken;

-- sdbc.engine_trigger is not for triggers of one's own.
SET ROLE regress_guard_handler;
CREATE TRIGGER borrow BEFORE INSERT ON pg_temp.bait
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.staff_move_check()');   -- 42501: no EXECUTE
RESET ROLE;
CREATE TABLE public.regress_guard_moves (LIKE sdbc.staff_move);
CREATE TRIGGER borrow BEFORE INSERT ON public.regress_guard_moves
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.staff_move_check()');
INSERT INTO public.regress_guard_moves (move_id, staff_id, moved_on, kind, from_division, to_division)
  VALUES (99, 3, CURRENT_DATE, 'transfer', '652901001002', '652901001001');   -- 42501: not a table of sdbc
CREATE FUNCTION public.regress_guard_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER borrow AFTER INSERT ON sdbc.calendar_day
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.engine_trigger('public.regress_guard_fn()');
INSERT INTO sdbc.calendar_day (day, working, name) VALUES ('2031-01-01', false, '元旦');  -- 42501: not a function of sdbc

-- Identity numbers (R9.1): staff enter them through
-- sdbc.resident_set_id_number(), which records every number as pending —
-- nothing in their transaction depends on whether another resident holds
-- it — and shows it to them as entered; the HR office applies pending
-- numbers later: written, or held elsewhere.
CREATE ROLE regress_guard_hr LOGIN IN ROLE sdbc_community_staff, sdbc_id_reader;
INSERT INTO role_division (role_name, division) VALUES ('regress_guard_hr', '652901001001');
SET ROLE regress_guard_handler;
INSERT INTO resident (household_id, id_number, name) VALUES (1, idcard_make('652901', '1960-03-01', 2), '试探');  -- 42501: not his column
UPDATE resident SET id_number = idcard_make('652901', '1960-03-01', 2) WHERE resident_id = 1;                 -- 42501
SELECT resident_set_id_number(1, idcard_make('652901', '1955-01-01', 1));     -- a free number
SELECT resident_set_id_number(3, idcard_make('652901', '1960-03-01', 2));     -- 古丽's (in 友谊): the same answer
SELECT resident_set_id_number(2, idcard_make('652901', '1990-06-01', 3));     -- SD701: 古丽 lives in 友谊
SELECT resident_id, community, id_number, age, name FROM resident_masked ORDER BY resident_id;   -- both show as entered
SELECT count(*) FROM id_number_attempt;                                        -- 42501: not his to read
SELECT id_numbers_apply();                                                     -- 42501: the HR office's
RESET ROLE;
SELECT resident_id, id_number FROM resident ORDER BY resident_id;              -- nothing written yet
-- The HR office applies them: 艾买提's is written, 古丽's number is held by
-- her and waits to be resolved (here a mistyped number).
SET ROLE regress_guard_hr;
SELECT attempt_id, resident_id, outcome FROM id_numbers_apply();
SELECT resident_id, id_number FROM resident_masked ORDER BY resident_id;    -- in full: the real numbers
UPDATE id_number_attempt SET outcome = 'resolved' WHERE outcome = 'held_elsewhere';
SET ROLE regress_guard_handler;
SELECT resident_id, id_number FROM resident_masked ORDER BY resident_id;    -- the resolved number is gone
RESET ROLE;
SELECT attempt_id, role_name, resident_id, community, id_number, outcome FROM id_number_attempt ORDER BY attempt_id;
ROLLBACK;
SELECT count(*) AS regress_roles_left FROM pg_roles WHERE rolname LIKE 'regress\_guard\_%';
