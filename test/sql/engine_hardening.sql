-- Hostile-login review, session 4 (docs/security.md "Hostile-login review
-- (session 4)"): what a non-superuser staff login could do on main, each
-- attack replayed as such a login after the fix (SET SESSION AUTHORIZATION:
-- session_user and current_user are both the login).  Everything runs in
-- one transaction that is rolled back.
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
ALTER SEQUENCE id_number_attempt_attempt_id_seq RESTART;

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
  ('652901001001', '前进路1号', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490)),
  ('652901001002', '友谊路1号', 1, ST_SetSRID(ST_MakePoint(80.26, 41.16), 4490));
INSERT INTO household (building_id) VALUES (1), (2);
-- 艾买提 is 71 (born 1955), 阿依 holds the 1990 number, 无证 has none yet.
INSERT INTO resident (household_id, id_number, name) VALUES
  (1, idcard_make('652901', '1955-01-01', 1), '艾买提'), (2, idcard_make('652901', '1960-03-01', 2), '古丽'),
  (1, idcard_make('652901', '1990-06-01', 3), '阿依'), (1, NULL, '无证');
INSERT INTO account (community, kind, name) VALUES ('652901001001', 'working', '前进工作经费'),
  ('652901001002', 'working', '友谊工作经费');
SELECT credit(1, 30000, '拨款'), credit(2, 1000, '拨款');
SELECT submit_expense(1, '宣传', '印刷厂', 300, 1) AS qianjin_expense, submit_expense(2, '宣传', '印刷厂', 200, 6) AS youyi_expense;

CREATE ROLE regress_hard_handler LOGIN IN ROLE sdbc_community_staff;
CREATE ROLE regress_hard_street LOGIN IN ROLE sdbc_street_office;
CREATE ROLE regress_hard_aksu LOGIN IN ROLE sdbc_prefecture_admin;
INSERT INTO role_division (role_name, division) VALUES ('regress_hard_handler', '652901001001'),
  ('regress_hard_street', '652901001'), ('regress_hard_aksu', '6529');
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_hard_handler', 2), ('regress_hard_street', 5),
  ('regress_hard_aksu', NULL);

-- 1. The engine's trigger functions on a table of one's own.
-- No trigger function of the extension is executable by PUBLIC or by a
-- role the extension ships (EXECUTE is checked when a trigger is created).
SELECT count(*) > 20 AS trigger_functions FROM pg_proc
 WHERE pronamespace = 'sdbc'::regnamespace AND prorettype = 'trigger'::regtype;
SELECT p.oid::regprocedure AS executable_trigger_function, r.rolname
  FROM pg_proc p
  CROSS JOIN (VALUES ('public'), ('sdbc_community_staff'), ('sdbc_street_office'), ('sdbc_county_department'),
                     ('sdbc_prefecture_admin'), ('sdbc_id_reader'), ('sdbc_reader')) r (rolname)
 WHERE p.pronamespace = 'sdbc'::regnamespace AND p.prorettype = 'trigger'::regtype
   AND has_function_privilege(r.rolname, p.oid, 'EXECUTE')
 ORDER BY 1, 2;
-- A login cannot attach them: a temporary copy of sdbc.decision that would
-- approve case 1 in three other people's names, of sdbc.expense that would pay.
SET SESSION AUTHORIZATION regress_hard_handler;
CREATE TEMP TABLE d (LIKE sdbc.decision INCLUDING DEFAULTS);
CREATE TRIGGER d_engine BEFORE INSERT ON d FOR EACH ROW EXECUTE FUNCTION sdbc.decision_check();   -- 42501
CREATE TEMP TABLE e (LIKE sdbc.expense INCLUDING DEFAULTS);
CREATE TRIGGER e_engine BEFORE UPDATE ON e FOR EACH ROW EXECUTE FUNCTION sdbc.expense_check();     -- 42501
RESET SESSION AUTHORIZATION;
-- Attached by a superuser (who may still create the trigger), each C
-- trigger function refuses to run on a table that is not its own (SD380),
-- whoever fires it.
GRANT ALL ON d, e TO regress_hard_handler;
CREATE TRIGGER d_engine BEFORE INSERT ON d FOR EACH ROW EXECUTE FUNCTION sdbc.decision_check();
CREATE TRIGGER e_engine BEFORE UPDATE ON e FOR EACH ROW EXECUTE FUNCTION sdbc.expense_check();
INSERT INTO e SELECT * FROM expense WHERE expense_id = 1;
SET SESSION AUTHORIZATION regress_hard_handler;
INSERT INTO d (case_id, step_no, actor, verdict) VALUES (1, 1, 3, 'approve');                      -- SD380
UPDATE e SET paid_at = now(), paid_by = 2;                                                          -- SD380
RESET SESSION AUTHORIZATION;
INSERT INTO d (case_id, step_no, actor, verdict) VALUES (1, 1, 3, 'approve');                      -- SD380, a superuser too
CREATE TEMP TABLE c (LIKE sdbc.approval_case);
CREATE TRIGGER c_guard BEFORE INSERT ON c FOR EACH ROW EXECUTE FUNCTION sdbc.approval_case_guard();
INSERT INTO c SELECT * FROM approval_case WHERE case_id = 1;                                        -- SD380
CREATE TEMP TABLE h (LIKE sdbc.household);
CREATE TRIGGER h_place BEFORE INSERT ON h FOR EACH ROW EXECUTE FUNCTION sdbc.household_place();
INSERT INTO h SELECT * FROM household WHERE household_id = 1;                                      -- SD380
CREATE TEMP TABLE p (LIKE sdbc.policy);
CREATE TRIGGER p_guard BEFORE DELETE ON p FOR EACH ROW EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER p_cache AFTER INSERT ON p FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
INSERT INTO p SELECT * FROM policy LIMIT 1;                                                        -- SD380 (cache_invalidate)
DROP TRIGGER p_cache ON p;
INSERT INTO p SELECT * FROM policy LIMIT 1;
DELETE FROM p;                                                                                     -- SD380 (policy_guard)
-- The same table in another schema is not the extension's either.
CREATE TABLE public.decision (LIKE sdbc.decision INCLUDING DEFAULTS);
CREATE TRIGGER d_engine BEFORE INSERT ON public.decision FOR EACH ROW EXECUTE FUNCTION sdbc.decision_check();
INSERT INTO public.decision (case_id, step_no, actor, verdict) VALUES (1, 1, 3, 'approve');        -- SD380
-- Nothing reached the engine's tables.
SELECT c.case_id, c.status, c.current_step, (SELECT count(*) FROM decision x WHERE x.case_id = c.case_id) AS decisions
  FROM approval_case c ORDER BY c.case_id;
SELECT count(*) AS debits FROM account_entry WHERE kind = 'debit';

-- 2. A temporary copy of sdbc.expense with account_id of type text and a
-- case of another community crashed the server (signal 11): now refused
-- before a column is read.
CREATE TEMP TABLE e2 (expense_id bigint, account_id text, community sdbc.divcode, purpose text, payee text,
  amount numeric, description text, submitted_by bigint, submitted_on date, case_id bigint, route_code text,
  split_flag boolean, paid_at timestamptz, paid_by bigint);
INSERT INTO e2 VALUES (4, 'x', '652901001001', 'x', 'x', 20000, NULL, 1, current_date, 2, 'expense_small', false, NULL, NULL);
CREATE TRIGGER e_engine BEFORE UPDATE ON e2 FOR EACH ROW EXECUTE FUNCTION sdbc.expense_check();
GRANT ALL ON e2 TO regress_hard_handler;
SET SESSION AUTHORIZATION regress_hard_handler;
UPDATE e2 SET paid_at = now(), paid_by = 2;                                                        -- SD380
RESET SESSION AUTHORIZATION;
-- The "no row" path through the real table: an expense of 前进 restored
-- (by a superuser) with the case of 友谊's expense, which 前进's login does
-- not see; paying it read the first row of an empty result.
INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, case_id, route_code)
  OVERRIDING SYSTEM VALUE SELECT 1, '652901001001', '宣传', '印刷厂', 200, 1, case_id, route_code
  FROM expense WHERE expense_id = 2 RETURNING expense_id AS restored_expense \gset
SET SESSION AUTHORIZATION regress_hard_handler;
SELECT paid_at IS NOT NULL AS paid FROM pay(:restored_expense, 2);                                 -- SD322
RESET SESSION AUTHORIZATION;
SELECT 1 AS still_connected;

-- 3. Debits only through the payment of an expense, for every role; a
-- debit's account and amount are its expense's.
SET SESSION AUTHORIZATION regress_hard_street;
INSERT INTO account_entry (account_id, kind, amount, expense_id, source) VALUES (2, 'debit', 999, 2, 'fake');   -- 42501
SET SESSION AUTHORIZATION regress_hard_aksu;
INSERT INTO account_entry (account_id, kind, amount, expense_id, source) VALUES (2, 'debit', 999, 2, 'fake');   -- 42501
RESET SESSION AUTHORIZATION;
SELECT account_id, balance FROM account_balance ORDER BY account_id;
-- Not even the tables' owner records a debit that is not its expense's.
INSERT INTO account_entry (account_id, kind, amount, expense_id) VALUES (2, 'debit', 999, 2);      -- 23503: amount
INSERT INTO account_entry (account_id, kind, amount, expense_id) VALUES (1, 'debit', 200, 2);      -- 23503: account
INSERT INTO account_entry (account_id, kind, amount, expense_id) VALUES (2, 'debit', 200, 99);     -- 23503: no expense
-- The engine's payment still writes its debit, for a street office login.
SET SESSION AUTHORIZATION regress_hard_handler;
SELECT current_step FROM sign(1, 2);
RESET SESSION AUTHORIZATION;
SELECT current_step FROM sign(1, 3);
SELECT current_step FROM sign(1, 4);
SET SESSION AUTHORIZATION regress_hard_street;
SELECT status FROM sign(1, 5);
SELECT paid_by FROM pay(1, 5);
RESET SESSION AUTHORIZATION;
SELECT account_id, kind, amount, expense_id FROM account_entry WHERE kind = 'debit' ORDER BY entry_id;

-- 4. Eligibility by age reads only numbers the HR office applied.  艾买提
-- (71) is refused; staff enter 阿依's number for him: it is pending, so his
-- age stays 71 and he is refused again; applied, it is held by 阿依, and he
-- is still refused.  无证's number, once applied, makes him eligible.
SET SESSION AUTHORIZATION regress_hard_handler;
SELECT apply('unemployment_benefit', 1, 2, '{申请表,身份证,解除劳动合同证明}');                 -- SD407
SELECT resident_set_id_number(1, idcard_make('652901', '1990-06-01', 3));
SELECT resident_set_id_number(4, idcard_make('652901', '1991-02-01', 4));
SELECT resident_id, id_number, age FROM resident_masked ORDER BY resident_id;
SELECT apply('unemployment_benefit', 1, 2, '{申请表,身份证,解除劳动合同证明}');                 -- SD407: pending
SELECT apply('unemployment_benefit', 4, 2, '{申请表,身份证,解除劳动合同证明}');                 -- SD407: pending
RESET SESSION AUTHORIZATION;
SELECT resident_id, outcome FROM id_numbers_apply() ORDER BY attempt_id;
SET SESSION AUTHORIZATION regress_hard_handler;
SELECT resident_id, id_number, age FROM resident_masked ORDER BY resident_id;
SELECT apply('unemployment_benefit', 1, 2, '{申请表,身份证,解除劳动合同证明}');                 -- SD407: held elsewhere
SELECT apply('unemployment_benefit', 4, 2, '{申请表,身份证,解除劳动合同证明}') IS NOT NULL AS taken;
RESET SESSION AUTHORIZATION;

-- 5. and 7. The grid-drawing kernel: for the roles of sdbc.grid_draw only,
-- bounded by policy grid.partition.max_sites (SD381), overflow-safe.
SELECT has_function_privilege('public', 'grid_partition(float8[], float8[], int4[], int4[], int4, int4)', 'EXECUTE') AS public_may,
       has_function_privilege('sdbc_community_staff', 'grid_partition(float8[], float8[], int4[], int4[], int4, int4)', 'EXECUTE') AS community_may,
       has_function_privilege('sdbc_street_office', 'grid_partition(float8[], float8[], int4[], int4[], int4, int4)', 'EXECUTE') AS street_may;
SET SESSION AUTHORIZATION regress_hard_handler;
SELECT grids FROM grid_partition('{0,1}', '{0,1}', '{100,100}', '{1,2}', 200, 300);                 -- 42501
SET SESSION AUTHORIZATION regress_hard_street;
SELECT grids, in_bounds FROM grid_partition('{0,1}', '{0,1}', '{250,250}', '{1,2}', 200, 300);
SELECT grids FROM grid_partition((SELECT array_agg(i::float8) FROM generate_series(1, 50001) i),
                                 (SELECT array_agg(0::float8) FROM generate_series(1, 50001) i),
                                 (SELECT array_agg(1) FROM generate_series(1, 50001) i), '{}', 200, 300);   -- SD381
RESET SESSION AUTHORIZATION;
SELECT policy_value('grid.partition.max_sites', NULL) AS max_sites;
-- A statement_timeout now stops the kernel (it waited for the whole
-- partition: 200,000 sites take about 5 s here).  The limit is raised for
-- this, in the transaction that is rolled back.
INSERT INTO policy (key, division, valid_from, value, note)
  VALUES ('grid.partition.max_sites', NULL, CURRENT_DATE, 1000000, 'regress: a large drawing');
CREATE TEMP TABLE big AS
  SELECT (SELECT array_agg(random()) FROM generate_series(1, 200000)) AS x,
         (SELECT array_agg(random()) FROM generate_series(1, 200000)) AS y,
         (SELECT array_agg(1) FROM generate_series(1, 200000)) AS w,
         (SELECT array_agg(v) FROM (SELECT unnest(array[i, i + 1]) AS v FROM generate_series(1, 199999) i) s) AS e;
SET LOCAL statement_timeout = '500ms';
DO $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  PERFORM p.grids FROM big, sdbc.grid_partition(big.x, big.y, big.w, big.e, 200, 300) p;
  RAISE NOTICE 'not cancelled';
EXCEPTION WHEN query_canceled THEN
  RAISE NOTICE 'cancelled within 3 s: %', clock_timestamp() - t0 < interval '3 s';
END $$;
SET LOCAL statement_timeout = 0;
-- two sites of 2^31-1 households, grids of at most 1: two grids (was one: the count wrapped round)
SELECT grids, grid FROM grid_partition('{0,1}', '{0,1}', '{2147483647,2147483647}', '{1,2}', 0, 1);

-- 6. No sequence rights for the staff roles; their inserts still work (above).
SELECT c.oid::regclass AS sequence_with_rights, r.rolname
  FROM pg_class c
  CROSS JOIN (VALUES ('sdbc_community_staff'), ('sdbc_street_office'), ('sdbc_county_department'),
                     ('sdbc_prefecture_admin'), ('sdbc_id_reader'), ('sdbc_reader')) r (rolname)
 WHERE c.relnamespace = 'sdbc'::regnamespace AND c.relkind = 'S'
   AND has_sequence_privilege(r.rolname, c.oid, 'USAGE, SELECT, UPDATE')
 ORDER BY 1, 2;
SET SESSION AUTHORIZATION regress_hard_handler;
SELECT nextval('sdbc.id_number_attempt_attempt_id_seq');                                           -- 42501
RESET SESSION AUTHORIZATION;
ROLLBACK;
