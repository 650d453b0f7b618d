-- Who changes what (issue 8; docs/security.md): row-level security on every
-- table holding people, households, money or cases, and the privileges of
-- the roles.  The roles themselves, the jurisdiction functions and the
-- masked views are in sql/security/jurisdiction.sql.
--
-- Tables are owned by the extension's owner (a superuser), and RLS is
-- enabled, not forced: the owner, superusers and pg_restore are not
-- filtered.  Policies apply to the four staff roles (and to login roles
-- that are members of them).

-- Row-level security.  One policy per table for the four staff roles; what
-- each may do is then a matter of table (and column) privileges below.
-- (SELECT sdbc.my_divisions()) is an InitPlan: evaluated once per query.
DO $$
DECLARE
  staff_roles constant text := 'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff';
  mine constant text := '(SELECT sdbc.my_divisions())::sdbc.divcode[]';
  p record;
BEGIN
  FOR p IN SELECT * FROM (VALUES
    ('building', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'a building of a community the role serves'),
    ('household', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'a household of a community the role serves'),
    ('resident', format('EXISTS (SELECT 1 FROM sdbc.household h WHERE h.household_id = resident.household_id AND h.community OPERATOR(sdbc.<@) ANY (%s))', mine),
       'a resident of a household of a community the role serves'),
    ('staff', format('division OPERATOR(sdbc.<@) ANY (%s)', mine),
       'staff serving (now) a division the role serves'),
    ('staff_move', format('from_division OPERATOR(sdbc.<@) ANY (%1$s) OR to_division OPERATOR(sdbc.<@) ANY (%1$s)', mine),
       'a move out of or into a division the role serves (and writes it only for staff it sees)'),
    ('absence', 'EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = absence.staff_id)',
       'an absence of staff the role sees'),
    ('household_visit', 'EXISTS (SELECT 1 FROM sdbc.household h WHERE h.household_id = household_visit.household_id)',
       'a visit to a household the role sees'),
    ('duty_shift', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'a duty shift of a community the role serves'),
    ('account', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'an account of a community the role serves'),
    ('account_entry', 'EXISTS (SELECT 1 FROM sdbc.account a WHERE a.account_id = account_entry.account_id)',
       'an entry of an account the role sees'),
    ('expense', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'an expense of a community the role serves'),
    ('approval_case', format('division OPERATOR(sdbc.<@) ANY (%s) OR sdbc.case_routed_to_me(route_code, route_version, division)', mine),
       'a case of a division the role serves, or routed to one of its offices inside that office''s division'),
    ('service_application', format('community OPERATOR(sdbc.<@) ANY (%s) OR EXISTS (SELECT 1 FROM sdbc.approval_case c WHERE c.case_id = service_application.case_id)', mine),
       'an application of a community the role serves, or whose case the role sees'),
    ('task_assignment', format('community OPERATOR(sdbc.<@) ANY (%s) OR EXISTS (SELECT 1 FROM sdbc.my_offices() m WHERE m.office = task_assignment.department AND task_assignment.community OPERATOR(sdbc.<@) m.division)', mine),
       'a task of a community the role serves, or handed down by one of its offices inside that office''s division')
  ) AS t (tbl, pred, what) LOOP
    EXECUTE format('ALTER TABLE sdbc.%I ENABLE ROW LEVEL SECURITY', p.tbl);
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR ALL TO %s USING (%s) WITH CHECK (%s)',
                   p.tbl || '_jurisdiction', p.tbl, staff_roles, p.pred,
                   CASE p.tbl WHEN 'staff_move'
                     THEN format('(%s) AND EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = staff_move.staff_id)', p.pred)
                     -- seeing an application's case is no licence to file one elsewhere
                     WHEN 'service_application' THEN format('community OPERATOR(sdbc.<@) ANY (%s)', mine)
                     ELSE p.pred END);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', p.tbl || '_jurisdiction', p.tbl,
                   'Jurisdiction 属地管理: the staff roles see and write ' || p.what || ' (sdbc.role_division)');
  END LOOP;
END $$;

-- Decisions: read on the cases the role sees.  Written only through the
-- engine's trigger (sdbc.decision_check, C), which reads and locks the case
-- as the caller, so that a case the caller cannot see "does not exist"
-- (23503); the check cannot be a WITH CHECK on the case, because an expense
-- and its case are one statement and the submission inserted with them
-- would not yet see the case.
ALTER TABLE sdbc.decision ENABLE ROW LEVEL SECURITY;
CREATE POLICY decision_jurisdiction ON sdbc.decision FOR SELECT
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff
  USING (EXISTS (SELECT 1 FROM sdbc.approval_case c WHERE c.case_id = decision.case_id));
COMMENT ON POLICY decision_jurisdiction ON sdbc.decision IS
  'Jurisdiction 属地管理: the staff roles read the decisions on the cases they see (sdbc.role_division)';
CREATE POLICY decision_through_engine ON sdbc.decision FOR INSERT
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff
  WITH CHECK (true);
COMMENT ON POLICY decision_through_engine ON sdbc.decision IS
  'Decisions are inserted through sdbc.decision_check, which reads and locks the case under the caller''s row-level security: a case the caller does not see is refused as not existing';

-- Money leaves an account only through the engine: community staff insert
-- debits only from inside the payment trigger (sdbc.pay), never credits.
CREATE POLICY account_entry_engine_only ON sdbc.account_entry AS RESTRICTIVE FOR INSERT TO sdbc_community_staff
  WITH CHECK (kind = 'debit' AND sdbc.engine_writing());
COMMENT ON POLICY account_entry_engine_only ON sdbc.account_entry IS
  'Community staff write no credits, and debits only through the payment of an expense (the trigger of sdbc.pay), R3.4';
-- No role but the tables' owner writes a debit other than through the
-- payment trigger (hostile-login review, session 4: a street office and
-- the prefecture could insert debits of their own).
CREATE POLICY account_entry_debit_engine_only ON sdbc.account_entry AS RESTRICTIVE FOR INSERT TO PUBLIC
  WITH CHECK (kind <> 'debit' OR sdbc.engine_writing());
COMMENT ON POLICY account_entry_debit_engine_only ON sdbc.account_entry IS
  'Money leaves an account 支出 only through the payment of an expense (the trigger of sdbc.pay), for every role (R3.4)';

-- Offices and A/B posts: everyone of the staff roles reads them (the
-- approval engine checks membership and acting across divisions: a street
-- office acts on a community''s case); they are written inside the
-- jurisdiction.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['office_member', 'post'] LOOP
    EXECUTE format('ALTER TABLE sdbc.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR SELECT USING (true)', t || '_read', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_read', t,
                   'Everyone who may read the table reads every row (the approval engine checks membership and A/B acting across divisions)');
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR INSERT TO sdbc_prefecture_admin, sdbc_street_office WITH CHECK (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))', t || '_write', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_write', t,
                   'Rows are added for a division the role serves');
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR UPDATE TO sdbc_prefecture_admin, sdbc_street_office USING (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[])) WITH CHECK (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))', t || '_change', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_change', t,
                   'Rows of a division the role serves are changed, and stay inside it');
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR DELETE TO sdbc_prefecture_admin USING (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))', t || '_delete', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_delete', t,
                   'The prefecture deletes rows of a division it serves');
  END LOOP;
END $$;




-- The other views of sdbc run with their owner's rights (the reporting
-- views read through them), so they would not be filtered: the staff roles
-- get no rights on them.

-- Privileges.
-- Reference data and the engine's lookup tables: read by every staff role.
GRANT SELECT ON sdbc.office, sdbc.office_member, sdbc.post, sdbc.route, sdbc.route_step, sdbc.route_rule,
                sdbc.calendar_day, sdbc.service_matter, sdbc.task_type, sdbc.grid, sdbc.grid_class,
                sdbc.street_office
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
-- Rows the triggers lock writers on (no data).  Revoked again by
-- sql/98_login_safety.sql: written only by the engine's lock functions, with
-- the owner's rights (issue 13 section 5).
GRANT SELECT, INSERT, UPDATE ON sdbc.grid_write_lock, sdbc.staff_limit_lock, sdbc.staff_absence_lock
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
-- No sequence rights: identity columns need none, and nextval() on
-- another table's sequence would tell of other communities' activity
-- (hostile-login review, session 4).
GRANT SELECT ON sdbc.resident_masked, sdbc.staff_masked
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;

-- Everything but the ID numbers (column privileges; read them masked in
-- sdbc.resident_masked / sdbc.staff_masked, or in full as sdbc_id_reader).
GRANT SELECT (resident_id, household_id, name, floating, key_population, key_reason) ON sdbc.resident
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
GRANT SELECT (staff_id, name, division, category, sex, education, rank, party_member, street_leader) ON sdbc.staff
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
GRANT SELECT (id_number) ON sdbc.resident, sdbc.staff TO sdbc_id_reader;
GRANT SELECT ON sdbc.resident_masked, sdbc.staff_masked TO sdbc_id_reader;

-- Community staff: the registry, visits, duty and absences of their
-- community; expenses and applications (the engine writes cases, decisions
-- and debits for them); refusing a task.
GRANT SELECT, INSERT, UPDATE ON sdbc.building, sdbc.household, sdbc.duty_shift
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
-- The engine's tables (issue 13, section 3): the staff roles write only the
-- columns a client states; ids, times, routes, flags and hashes are the
-- engine's (its triggers also refuse or overwrite them, src/engine_ids.c),
-- and no staff role holds table-level UPDATE, DELETE or TRUNCATE on them.
-- The engine writes cases and decisions with the caller's rights: the case
-- columns it inserts and updates are granted, and sdbc.approval_case_guard
-- refuses any write that is not the engine's (SD316).
GRANT SELECT ON sdbc.expense, sdbc.approval_case, sdbc.decision, sdbc.service_application, sdbc.account_entry
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (account_id, community, purpose, payee, amount, description, submitted_by, submitted_on),
      UPDATE (paid_at, paid_by)
  ON sdbc.expense TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (case_id, case_kind, division, route_code, route_version, submitted_by, current_step)
  ON sdbc.approval_case TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT UPDATE (status, current_step, round, step_started_on, closed_at, reasons_due_on)
  ON sdbc.approval_case TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin, sdbc_county_department;
GRANT INSERT (case_id, step_no, actor, acting_for, verdict, send_back_to, reason)
  ON sdbc.decision TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin, sdbc_county_department;
GRANT INSERT (matter_code, applicant, community, taken_by, proxy, documents, applied_on)
  ON sdbc.service_application TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (account_id, kind, amount, expense_id, source)
  ON sdbc.account_entry TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
-- id_number is not among the columns they write: a unique violation would
-- tell them whether any number is registered (sdbc.resident_set_id_number()
-- sets it instead, sql/98_id_number.sql); sdbc_id_reader may write it.
GRANT INSERT (household_id, name, floating, key_population, key_reason),
      UPDATE (household_id, name, floating, key_population, key_reason)
  ON sdbc.resident TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (id_number), UPDATE (id_number) ON sdbc.resident, sdbc.staff TO sdbc_id_reader;
GRANT SELECT, INSERT ON sdbc.household_visit, sdbc.absence
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT ON sdbc.staff_move, sdbc.account, sdbc.task_assignment TO sdbc_community_staff;
GRANT UPDATE (last_paid_at) ON sdbc.account TO sdbc_community_staff;
GRANT UPDATE (status, refusal_reason, refused_on, refused_by) ON sdbc.task_assignment TO sdbc_community_staff;
-- Street offices and the prefecture: also staff and their moves, accounts.
GRANT INSERT (name, division, category, sex, education, rank, party_member, street_leader),
      UPDATE (name, division, category, sex, education, rank, party_member, street_leader)
  ON sdbc.staff TO sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT, INSERT ON sdbc.staff_move TO sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT, INSERT, UPDATE ON sdbc.task_assignment TO sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT, INSERT (community, kind, purpose, name), UPDATE (name, last_paid_at)
  ON sdbc.account TO sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT, UPDATE ON sdbc.office_member, sdbc.post TO sdbc_street_office, sdbc_prefecture_admin;
-- The prefecture corrects mistakes: deletes where history does not forbid it.
GRANT DELETE ON sdbc.building, sdbc.household, sdbc.resident, sdbc.absence, sdbc.duty_shift, sdbc.household_visit,
                sdbc.office_member, sdbc.post
  TO sdbc_prefecture_admin;
-- County departments: the cases routed to them (decide; the engine updates
-- the case), the applications behind them, the tasks they hand down.
GRANT SELECT ON sdbc.approval_case, sdbc.decision TO sdbc_county_department;
GRANT SELECT ON sdbc.service_application TO sdbc_county_department;
GRANT SELECT, INSERT ON sdbc.task_assignment TO sdbc_county_department;

-- Functions applications call (also executable by PUBLIC unless a DBA
-- revokes that; these grants keep them callable then).
GRANT EXECUTE ON FUNCTION sdbc.submit_expense(bigint, text, text, numeric, bigint, text),
                          sdbc.sign(bigint, bigint, bigint), sdbc.withdraw(bigint, bigint),
                          sdbc.decide(bigint, bigint, text, text, integer, bigint, integer),
                          sdbc.pay(bigint, bigint),
                          sdbc.apply(text, bigint, bigint, text[], text),
                          sdbc.refuse_task(bigint, text),
                          sdbc.my_divisions(), sdbc.my_offices(), sdbc.serves(sdbc.divcode)
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
GRANT EXECUTE ON FUNCTION sdbc.credit(bigint, numeric, text) TO sdbc_street_office, sdbc_prefecture_admin;
-- The grid-drawing kernel: for sdbc.grid_draw (street offices, the
-- prefecture) only, not PUBLIC (hostile-login review, session 4).
REVOKE ALL ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  TO sdbc_street_office, sdbc_prefecture_admin;
