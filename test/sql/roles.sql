-- Who sees and changes what (issue 8): the shipped roles, login roles mapped
-- to the divisions they serve (sdbc.role_division), row-level security on
-- the tables of people, households, money and cases, ID numbers masked
-- unless sdbc_id_reader, and the approval engine working for login roles.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
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
ALTER SEQUENCE task_assignment_assignment_id_seq RESTART;

-- The shipped group roles: none can log in, none bypasses row-level security.
SELECT rolname, rolcanlogin, rolbypassrls, rolsuper FROM pg_roles WHERE rolname LIKE 'sdbc\_%' ORDER BY 1;
-- The tables under row-level security (enabled, not forced: the owner and restores are not filtered).
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, count(p.polname) AS policies
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc'
  LEFT JOIN pg_policy p ON p.polrelid = c.oid
 WHERE c.relrowsecurity GROUP BY 1, 2, 3 ORDER BY 1;

-- One street (兰干) with two communities (前进 001, 友谊 002), its county's
-- civil affairs department, the prefecture.
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division, id_number) VALUES
  ('经办甲', '652901001001', idcard_make('652901', '1980-05-01', 11)), ('经办乙', '652901001001', NULL),
  ('经办丙', '652901001001', NULL), ('财务丁', '652901001001', NULL), ('街财戊', '652901001', NULL),
  ('党工委己', '652901001', NULL), ('友谊经办', '652901001002', idcard_make('652901', '1985-07-01', 22)),
  ('民政庚', '652901', NULL);
INSERT INTO office_member (staff_id, office, division, valid_from) VALUES
  (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
  (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
  (5, 'street_finance_office', '652901001', '2020-01-01'), (6, 'street_party_committee', '652901001', '2020-01-01'),
  (7, 'community_handler', '652901001002', '2020-01-01'), (1, 'community_service_hall', '652901001001', '2020-01-01'),
  (7, 'community_service_hall', '652901001002', '2020-01-01'), (8, 'county_civil_affairs', '652901', '2020-01-01'),
  (4, 'community_service_hall', '652901001001', '2020-01-01');
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进路1号', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490)),
  ('652901001002', '友谊路1号', 1, ST_SetSRID(ST_MakePoint(80.26, 41.16), 4490));
INSERT INTO household (building_id) VALUES (1), (2);
INSERT INTO resident (household_id, id_number, name) VALUES
  (1, idcard_make('652901', '1955-01-01', 1), '艾买提'), (2, idcard_make('652901', '1960-03-01', 2), '古丽'),
  (1, idcard_make('652901', '1990-06-01', 3), '阿依'), (1, NULL, '无证');
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES
  (2, '2020-01-01', 'hire', NULL, '652901001001'), (7, '2020-01-01', 'hire', NULL, '652901001002');
INSERT INTO absence (staff_id, during, reason) VALUES
  (2, daterange('2024-03-01', '2024-03-05'), 'leave'), (7, daterange('2024-03-01', '2024-03-05'), 'training');
INSERT INTO household_visit (household_id, staff_id, visited_on) VALUES (1, 2, '2024-03-10'), (2, 7, '2024-03-10');
INSERT INTO duty_shift (community, staff_id, during) VALUES
  ('652901001001', 1, tsrange('2024-03-11 08:00', '2024-03-11 12:00')),
  ('652901001002', 7, tsrange('2024-03-11 08:00', '2024-03-11 12:00'));
INSERT INTO account (community, kind, purpose, name) VALUES
  ('652901001001', 'working', NULL, '前进工作经费'), ('652901001002', 'working', NULL, '友谊工作经费');
SELECT credit(1, 30000, '2024 拨款'), credit(2, 1000, '2024 拨款');
SELECT submit_expense(1, '宣传', '印刷厂', 300, 1), submit_expense(2, '宣传', '印刷厂', 200, 7);
-- (a route version without steps left by an earlier test would be chosen for new applications)
DELETE FROM route r WHERE NOT r.builtin AND NOT EXISTS (SELECT 1 FROM route_step s WHERE s.route_code = r.route_code AND s.version = r.version);
SELECT apply('dibao', 1, 1, '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}') AS dibao_application;
INSERT INTO task_assignment (department, community, task_code) VALUES
  ('county_civil_affairs', '652901001001', 'regress_unlisted'), ('county_civil_affairs', '652901001002', 'regress_unlisted');

-- Login roles, each tied to what it serves.
CREATE ROLE regress_sdbc_qianjin LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_sdbc_youyi LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_sdbc_langan LOGIN IN ROLE sdbc_street_office;
CREATE ROLE regress_sdbc_civil LOGIN IN ROLE sdbc_county_department;
CREATE ROLE regress_sdbc_aksu LOGIN IN ROLE sdbc_prefecture_admin;
CREATE ROLE regress_sdbc_idreader LOGIN IN ROLE sdbc_community_staff, sdbc_id_reader;
INSERT INTO role_division (role_name, division, office) VALUES
  ('regress_sdbc_qianjin', '652901001001', NULL), ('regress_sdbc_youyi', '652901001002', NULL),
  ('regress_sdbc_langan', '652901001', NULL), ('regress_sdbc_civil', '652901', 'county_civil_affairs'),
  ('regress_sdbc_aksu', '6529', NULL), ('regress_sdbc_idreader', '652901001001', NULL);
-- Each login is one person (sdbc.role_staff): 前进's login is 经办甲 (1); its
-- other handlers and its finance lead have logins of their own, members of
-- 前进's.  The prefecture's and the ID reader's logins are nobody's.
CREATE ROLE regress_sdbc_qianjin2 LOGIN IN ROLE regress_sdbc_qianjin;
CREATE ROLE regress_sdbc_qianjin3 LOGIN IN ROLE regress_sdbc_qianjin;
CREATE ROLE regress_sdbc_qianjin4 LOGIN IN ROLE regress_sdbc_qianjin;
INSERT INTO role_staff (role_name, staff_id) VALUES
  ('regress_sdbc_qianjin', 1), ('regress_sdbc_qianjin2', 2), ('regress_sdbc_qianjin3', 3),
  ('regress_sdbc_qianjin4', 4), ('regress_sdbc_youyi', 7), ('regress_sdbc_langan', 5), ('regress_sdbc_civil', 8);

-- Each role reads its own mappings only.
SET ROLE regress_sdbc_youyi;
SELECT role_name, division, office FROM role_division;
SELECT my_divisions(), serves('652901001002'), serves('652901001001'), serves('652901001');
SET ROLE regress_sdbc_civil;
SELECT my_divisions(), serves('652901001001'), office, division FROM my_offices();
RESET ROLE;

-- The role matrix.  Every operation runs in a subtransaction that is rolled
-- back (the data stay the same for every role); a cell is
-- select/insert/update/delete: rows seen; ok or rls (row-level security
-- refused the new row) or - (no privilege) or the SQLSTATE of a rule; rows
-- updated / deleted.  Inserts and updates aim at 前进 (001).
CREATE TABLE public.regress_ops (tbl text PRIMARY KEY, ins text, upd text, del text);
INSERT INTO public.regress_ops VALUES
  ('building', $$INSERT INTO sdbc.building (community, address, households, location) VALUES ('652901001001', '测试楼', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490))$$,
   $$UPDATE sdbc.building SET address = address WHERE community = '652901001001'$$, $$DELETE FROM sdbc.building WHERE building_id = 1$$),
  ('household', $$INSERT INTO sdbc.household (building_id) VALUES (1)$$,
   $$UPDATE sdbc.household SET unit = '1-101' WHERE household_id = 1$$, $$DELETE FROM sdbc.household WHERE household_id = 1$$),
  ('resident', $$INSERT INTO sdbc.resident (household_id, name) VALUES (1, '新居民')$$,
   $$UPDATE sdbc.resident SET floating = floating WHERE resident_id = 1$$, $$DELETE FROM sdbc.resident WHERE resident_id = 1$$),
  ('staff', $$INSERT INTO sdbc.staff (name, division) VALUES ('新人', '652901001001')$$,
   $$UPDATE sdbc.staff SET education = 'bachelor' WHERE staff_id = 3$$, $$DELETE FROM sdbc.staff WHERE staff_id = 3$$),
  ('staff_move', $$INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES (3, '2020-01-01', 'hire', NULL, '652901001001')$$,
   $$UPDATE sdbc.staff_move SET note = 'x' WHERE staff_id = 2$$, $$DELETE FROM sdbc.staff_move WHERE staff_id = 2$$),
  ('absence', $$INSERT INTO sdbc.absence (staff_id, during, reason) VALUES (3, daterange('2024-04-01', '2024-04-03'), 'leave')$$,
   $$UPDATE sdbc.absence SET reason = 'other' WHERE staff_id = 2$$, $$DELETE FROM sdbc.absence WHERE staff_id = 2$$),
  ('household_visit', $$INSERT INTO sdbc.household_visit (household_id, staff_id, visited_on) VALUES (1, 3, CURRENT_DATE)$$,
   $$UPDATE sdbc.household_visit SET note = 'x' WHERE household_id = 1$$, $$DELETE FROM sdbc.household_visit WHERE household_id = 1$$),
  ('duty_shift', $$INSERT INTO sdbc.duty_shift (community, staff_id, during) VALUES ('652901001001', 3, tsrange('2024-03-12 08:00', '2024-03-12 12:00'))$$,
   $$UPDATE sdbc.duty_shift SET during = during WHERE community = '652901001001'$$, $$DELETE FROM sdbc.duty_shift WHERE community = '652901001001'$$),
  ('account', $$INSERT INTO sdbc.account (community, kind, name) VALUES ('652901001001', 'service', '服务经费')$$,
   $$UPDATE sdbc.account SET name = name WHERE account_id = 1$$, $$DELETE FROM sdbc.account WHERE account_id = 1$$),
  ('account_entry', $$INSERT INTO sdbc.account_entry (account_id, kind, amount, source) VALUES (1, 'credit', 100, '测试')$$,
   $$UPDATE sdbc.account_entry SET source = 'x' WHERE account_id = 1$$, $$DELETE FROM sdbc.account_entry WHERE account_id = 1$$),
  ('expense', $$INSERT INTO sdbc.expense (account_id, community, purpose, payee, amount, submitted_by) VALUES (1, '652901001001', '测试', '某店', 10, 1)$$,
   $$UPDATE sdbc.expense SET description = 'x' WHERE expense_id = 1$$, $$DELETE FROM sdbc.expense WHERE expense_id = 1$$),
  ('approval_case', $$INSERT INTO sdbc.approval_case (case_kind, division, route_code, route_version, submitted_by) VALUES ('expense', '652901001001', 'expense_small', 1, 1)$$,
   $$UPDATE sdbc.approval_case SET closed_at = closed_at WHERE case_id = 1$$, $$DELETE FROM sdbc.approval_case WHERE case_id = 1$$),
  ('decision', $$INSERT INTO sdbc.decision (case_id, step_no, actor, verdict) VALUES (1, 1, 2, 'approve')$$,
   $$UPDATE sdbc.decision SET reason = 'x' WHERE case_id = 1$$, $$DELETE FROM sdbc.decision WHERE case_id = 1$$),
  ('service_application', $$INSERT INTO sdbc.service_application (matter_code, applicant, community, taken_by, documents) VALUES ('dibao', 1, '652901001001', 1, '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}')$$,
   $$UPDATE sdbc.service_application SET proxy = proxy WHERE application_id = 1$$, $$DELETE FROM sdbc.service_application WHERE application_id = 1$$),
  ('task_assignment', $$INSERT INTO sdbc.task_assignment (department, community, task_code) VALUES ('county_civil_affairs', '652901001001', 'regress_other')$$,
   $$UPDATE sdbc.task_assignment SET status = 'refused', refusal_reason = '无经费' WHERE community = '652901001001'$$, $$DELETE FROM sdbc.task_assignment WHERE community = '652901001001'$$);
CREATE TABLE public.regress_matrix (who text, tbl text, cell text);
GRANT SELECT ON public.regress_ops TO PUBLIC;
GRANT INSERT ON public.regress_matrix TO PUBLIC;
-- Run a statement in a subtransaction, undo it, and say how it went.
CREATE FUNCTION public.regress_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint; result text; m text[];
BEGIN
  BEGIN
    -- staff delete through sdbc.delete_rows (issue 13 section 5: no staff
    -- role holds DELETE, which would let it lock the table)
    m := regexp_match(stmt, '^DELETE FROM (sdbc\.\w+) WHERE (.*)$');
    IF m IS NOT NULL THEN
      EXECUTE 'SELECT sdbc.delete_rows($1::regclass, $2)' INTO n USING m[1], m[2];
    ELSE
      EXECUTE stmt;
      GET DIAGNOSTICS n = ROW_COUNT;
    END IF;
    result := CASE WHEN stmt LIKE 'INSERT%' THEN 'ok' ELSE n::text END;
    RAISE EXCEPTION USING ERRCODE = 'SDZ99', MESSAGE = 'undo';
  EXCEPTION WHEN OTHERS THEN
    IF SQLSTATE = 'SDZ99' THEN RETURN result; END IF;
    IF SQLSTATE = '42501' AND SQLERRM LIKE '%row-level security%' THEN RETURN 'rls'; END IF;
    IF SQLSTATE = '42501' THEN RETURN '-'; END IF;
    RETURN SQLSTATE;
  END;
END $$;
CREATE FUNCTION public.regress_row(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE o record; n text;
BEGIN
  FOR o IN SELECT * FROM public.regress_ops LOOP
    BEGIN
      EXECUTE format('SELECT count(*) FROM sdbc.%I', o.tbl) INTO n;
    EXCEPTION WHEN insufficient_privilege THEN n := '-';
    END;
    INSERT INTO public.regress_matrix VALUES (who, o.tbl,
      concat_ws('/', n, public.regress_try(o.ins), public.regress_try(o.upd), public.regress_try(o.del)));
  END LOOP;
END $$;
SET ROLE regress_sdbc_qianjin;  SELECT public.regress_row('前进');
SET ROLE regress_sdbc_youyi;    SELECT public.regress_row('友谊');
SET ROLE regress_sdbc_langan;   SELECT public.regress_row('街道');
SET ROLE regress_sdbc_civil;    SELECT public.regress_row('县民政');
SET ROLE regress_sdbc_aksu;     SELECT public.regress_row('地区');
SET ROLE sdbc_reader;           SELECT public.regress_row('BI');
RESET ROLE;
SELECT tbl AS "table",
       max(cell) FILTER (WHERE who = '前进') AS "前进 community",
       max(cell) FILTER (WHERE who = '友谊') AS "友谊 community",
       max(cell) FILTER (WHERE who = '街道') AS "street",
       max(cell) FILTER (WHERE who = '县民政') AS "county dept",
       max(cell) FILTER (WHERE who = '地区') AS "prefecture",
       max(cell) FILTER (WHERE who = 'BI') AS "BI reader"
  FROM public.regress_matrix GROUP BY tbl ORDER BY tbl;

-- Across communities: 友谊 reads none of 前进's people and writes none of its rows.
SET ROLE regress_sdbc_youyi;
SELECT count(*) AS qianjin_residents_seen FROM resident WHERE household_id = 1;
SELECT name FROM resident;
SELECT name FROM staff ORDER BY staff_id;
INSERT INTO building (community, address, households, location)
  VALUES ('652901001001', '越界楼', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490));
UPDATE household SET rental = true WHERE household_id = 1;   -- 0 rows: not visible
UPDATE building SET community = '652901001001' WHERE building_id = 2;   -- its own row, moved out: refused
SELECT sign(1, 7);   -- the case of 前进 is not visible
RESET ROLE;

-- ID numbers: masked for staff roles, in full for sdbc_id_reader, nothing for the BI reader.
SET ROLE regress_sdbc_qianjin;
SELECT id_number FROM resident;
SELECT resident_id, community, id_number, age BETWEEN 16 AND 59 AS working_age, name FROM resident_masked ORDER BY resident_id;
SELECT staff_id, id_number, name FROM staff_masked WHERE id_number IS NOT NULL;
-- Eligibility by age works for them (the age comes from the masked view): too old, of working age.
SELECT apply('unemployment_benefit', 1, 1, '{申请表,身份证,解除劳动合同证明}');
SELECT apply('unemployment_benefit', 3, 1, '{申请表,身份证,解除劳动合同证明}') IS NOT NULL AS taken;
SET ROLE regress_sdbc_idreader;
SELECT resident_id, id_number, name FROM resident ORDER BY resident_id;
SELECT resident_id, community, id_number, name FROM resident_masked ORDER BY resident_id;
SET ROLE regress_sdbc_langan;
SELECT resident_id, community, id_number, name FROM resident_masked ORDER BY resident_id;
SET ROLE sdbc_reader;
SELECT count(*) FROM resident_masked;
SELECT count(*) FROM staff_masked;
RESET ROLE;

-- The engine end to end for login roles: 前进 submits and signs (two
-- handlers, the finance lead sends it, each through his own login), the
-- street's finance office approves and pays.
SET ROLE regress_sdbc_qianjin;
SELECT submit_expense(1, '办公用品', '文具店', 800, 1) AS e \gset
SET ROLE regress_sdbc_qianjin2;
SELECT current_step FROM sign(:e, 2);
SET ROLE regress_sdbc_qianjin3;
SELECT current_step FROM sign(:e, 3);
SET ROLE regress_sdbc_qianjin4;
SELECT current_step, status FROM sign(:e, 4);
SET ROLE regress_sdbc_langan;
SELECT current_step, status FROM sign(:e, 5);
SELECT paid_by FROM pay(:e, 5);
-- A second one, paid by the community's finance lead (the engine writes the debit).
SET ROLE regress_sdbc_qianjin;
SELECT submit_expense(1, '维修', '五金店', 700, 1) AS e2 \gset
SET ROLE regress_sdbc_qianjin2;
SELECT current_step FROM sign(:e2, 2);
SET ROLE regress_sdbc_qianjin3;
SELECT current_step FROM sign(:e2, 3);
SET ROLE regress_sdbc_qianjin4;
SELECT current_step FROM sign(:e2, 4);
SET ROLE regress_sdbc_langan;
SELECT status FROM sign(:e2, 5);
SET ROLE regress_sdbc_qianjin4;
SELECT paid_by FROM pay(:e2, 4);
SELECT a.name, sum(CASE e.kind WHEN 'credit' THEN e.amount ELSE -e.amount END) AS balance
  FROM account a JOIN account_entry e USING (account_id) GROUP BY a.name;
SELECT count(*) FROM account_balance;   -- the owner-rights views of sdbc are not for the staff roles
SELECT case_id AS c FROM expense WHERE expense_id = :e \gset
SELECT step_no, actor, verdict FROM decision WHERE case_id = :c ORDER BY decision_id;
SELECT count(*) AS chain_problems FROM verify_chain(:c);
-- A community cannot write money out of an account itself.
INSERT INTO account_entry (account_id, kind, amount, expense_id) VALUES (1, 'debit', 100, :e);
-- A devolved matter: 前进's hall takes and reviews it, the county's civil
-- affairs department (its login sees the case routed to it) decides.
SET ROLE regress_sdbc_qianjin;
SELECT apply('medical_assistance', 3, 1, '{申请表,身份证,医疗费用票据,诊断证明}') AS app \gset
SELECT case_id AS mc FROM service_application WHERE application_id = :app \gset
SELECT set_config('regress.mc', :'mc', false) IS NOT NULL AS noted;
SET ROLE regress_sdbc_qianjin4;
SELECT current_step, status FROM decide(:mc, 4);
SET ROLE regress_sdbc_youyi;
SELECT count(*) AS seen FROM approval_case WHERE case_id = :mc;   -- not 友谊's case: it cannot act on it
DO $$ BEGIN PERFORM sdbc.decide(current_setting('regress.mc')::bigint, 7);
  EXCEPTION WHEN foreign_key_violation THEN RAISE NOTICE '友谊 deciding: %', SQLSTATE; END $$;
SET ROLE regress_sdbc_civil;
SELECT current_step, status FROM decide(:mc, 8);
-- The county department sees the cases routed to it (低保, medical assistance), not the expenses.
SELECT case_kind, route_code, division, status FROM approval_case ORDER BY case_id;
SELECT count(*) AS applications FROM service_application;
SELECT count(*) AS decisions FROM decision;
SELECT department, community, status FROM task_assignment ORDER BY assignment_id;
RESET ROLE;

-- A temp table cannot pose as pg_roles (the extension's functions search
-- pg_temp last and name the catalog), so a community login cannot pass for a
-- restore and file an application, with a case it can see, in another
-- community; nor may it file one there by row-level security.
SET ROLE regress_sdbc_qianjin;
CREATE TEMP TABLE pg_roles (rolname name, rolsuper boolean);
INSERT INTO pg_temp.pg_roles VALUES (current_user, true);
INSERT INTO service_application (matter_code, applicant, community, taken_by, case_id)
  VALUES ('medical_assistance', 3, '652901001002', 1, :mc);
DROP TABLE pg_temp.pg_roles;
RESET ROLE;

-- Leave the database as the next test expects it.
DROP FUNCTION public.regress_row(text), public.regress_try(text);
DROP TABLE public.regress_ops, public.regress_matrix;
DELETE FROM role_division WHERE role_name LIKE 'regress\_sdbc\_%';
DELETE FROM role_staff WHERE role_name LIKE 'regress\_sdbc\_%';
DROP OWNED BY regress_sdbc_qianjin, regress_sdbc_qianjin2, regress_sdbc_qianjin3, regress_sdbc_qianjin4,
  regress_sdbc_youyi, regress_sdbc_langan, regress_sdbc_civil, regress_sdbc_aksu, regress_sdbc_idreader;
DROP ROLE regress_sdbc_qianjin2, regress_sdbc_qianjin3, regress_sdbc_qianjin4,
  regress_sdbc_qianjin, regress_sdbc_youyi, regress_sdbc_langan, regress_sdbc_civil, regress_sdbc_aksu, regress_sdbc_idreader;
ALTER TABLE service_application DISABLE TRIGGER service_application_fixed; ALTER TABLE decision DISABLE TRIGGER decision_insert_only;
ALTER TABLE approval_case DISABLE TRIGGER approval_case_guard; ALTER TABLE expense DISABLE TRIGGER expense_check;
ALTER TABLE account_entry DISABLE TRIGGER account_entry_insert_only; ALTER TABLE staff_move DISABLE TRIGGER staff_move_insert_only;
DELETE FROM task_assignment; DELETE FROM service_application; DELETE FROM account_entry; DELETE FROM expense;
DELETE FROM decision; DELETE FROM approval_case; DELETE FROM account;
ALTER TABLE service_application ENABLE TRIGGER service_application_fixed; ALTER TABLE decision ENABLE TRIGGER decision_insert_only;
ALTER TABLE approval_case ENABLE TRIGGER approval_case_guard; ALTER TABLE expense ENABLE TRIGGER expense_check;
ALTER TABLE account_entry ENABLE TRIGGER account_entry_insert_only;
DELETE FROM duty_shift; DELETE FROM household_visit; DELETE FROM absence; DELETE FROM staff_move;
ALTER TABLE staff_move ENABLE TRIGGER staff_move_insert_only;
DELETE FROM resident; DELETE FROM household; DELETE FROM building;
INSERT INTO policy (key, division, valid_from, value) VALUES ('community.national_staff.hard', '652901', '2016-01-01', 0);
DELETE FROM office_member; DELETE FROM staff; DELETE FROM policy WHERE NOT builtin AND division = '652901';
DELETE FROM division;
SELECT count(*) AS regress_roles_left FROM pg_roles WHERE rolname LIKE 'regress\_sdbc\_%';
