-- sdbc 0.1.0 → 0.2.0, part 1 of 3: what changed in the files that 0.1.0
-- already had (sql/30 … sql/89).  Part 2 is the files new in 0.2.0 (the
-- Makefile appends them: UPDATE_0_2_0_NEW), part 3 sql/upgrade/0.1.0--0.2.0-end.sql.
-- test/t/006_upgrade.pl checks that 0.1.0 updated to 0.2.0 equals a fresh
-- install of 0.2.0, object by object and row by row (docs/upgrades.md).

\echo Use "ALTER EXTENSION sdbc UPDATE TO '0.2.0'" to load this file. \quit

-- sql/30_policy.sql: evaluation scores are in points; one cache-invalidation
-- trigger function for every cached table.
ALTER TABLE sdbc.policy_key DROP CONSTRAINT policy_key_unit_check,
  ADD CONSTRAINT policy_key_unit_check
  CHECK (unit IN ('households', 'yuan', 'share', 'persons', 'weight', 'days', 'count', 'm2', 'points'));
-- Values are finite: numeric's NaN passes every bound (NaN >= min) and
-- sorts above every number.  (Validated at the end of part 1, as the
-- constraints on money below.)
ALTER TABLE sdbc.policy ADD CONSTRAINT policy_value_finite CHECK (value > '-Infinity' AND value < 'Infinity') NOT VALID;
COMMENT ON COLUMN sdbc.policy_key.unit IS 'households, yuan, share (0–1), persons, weight (0–1), days, count, m2 (square metres) or points (evaluation scores)';
CREATE FUNCTION sdbc.cache_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'cache_invalidate' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.cache_invalidate() IS
  'Statement trigger on the tables that backends cache (policy, policy keys, working-day calendar): tells every backend to reload its copy after the change commits';

CREATE OR REPLACE TRIGGER policy_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE OR REPLACE TRIGGER policy_key_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy_key
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER EXTENSION sdbc DROP FUNCTION sdbc.policy_cache_invalidate();
DROP FUNCTION sdbc.policy_cache_invalidate();

-- Functions search pg_temp last (docs/security.md).
ALTER FUNCTION sdbc.grid_lock() SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.grid_check() SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.grid_replace_buildings() SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.building_place() SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.building_move_households() SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.grid_draw(sdbc.divcode, date) SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.grid_draw_all(sdbc.divcode, date) SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.grid_reclassify(sdbc.divcode, date) SET search_path = sdbc, pg_catalog, public, pg_temp;
ALTER FUNCTION sdbc.route_two_levels_check() SET search_path = sdbc, pg_catalog, public, pg_temp;

-- sql/70_grid_draw.sql: insert-only history triggers cite their rule.
CREATE OR REPLACE FUNCTION sdbc.history_is_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD207',
    MESSAGE = format('%s is insert-only', TG_TABLE_NAME),
    DETAIL = format('%s: %s are facts: history is kept, never rewritten.',
                    coalesce(TG_ARGV[0], 'history'), coalesce(TG_ARGV[1], 'its rows')),
    HINT = 'Record a new row instead.';
END $$;
COMMENT ON FUNCTION sdbc.history_is_insert_only() IS
  'Trigger: refuses UPDATE, DELETE and TRUNCATE on history tables (SD207); arguments: the rule ID and what the rows record, cited in the DETAIL';
CREATE OR REPLACE TRIGGER grid_class_history_insert_only BEFORE UPDATE OR DELETE ON sdbc.grid_class_history
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R7.2', 'grid reclassifications');
CREATE OR REPLACE TRIGGER grid_class_history_no_truncate BEFORE TRUNCATE ON sdbc.grid_class_history
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R7.2', 'grid reclassifications');
CREATE OR REPLACE TRIGGER decision_insert_only BEFORE UPDATE OR DELETE ON sdbc.decision
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R3.2, R3.3', 'approval decisions');
CREATE OR REPLACE TRIGGER decision_no_truncate BEFORE TRUNCATE ON sdbc.decision
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R3.2, R3.3', 'approval decisions');
CREATE OR REPLACE TRIGGER account_entry_insert_only BEFORE UPDATE OR DELETE ON sdbc.account_entry
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R3.4', 'account entries');

-- sql/80_people.sql: who staff are (R2), grid-leader posts (R7.4), the
-- working-day calendar in C with a per-backend cache.
ALTER TABLE sdbc.staff
  ADD COLUMN category text CONSTRAINT staff_category_known
    CHECK (category IN ('administrative', 'institutional', 'public_welfare', 'contract')),
  ADD COLUMN sex text CONSTRAINT staff_sex_known CHECK (sex IN ('male', 'female')),
  ADD COLUMN education text CONSTRAINT staff_education_known
    CHECK (education IN ('postgraduate', 'bachelor', 'associate', 'secondary', 'below_secondary')),
  ADD COLUMN rank text CONSTRAINT staff_rank_known CHECK (rank IN ('full_section', 'deputy_section')),
  ADD COLUMN party_member boolean NOT NULL DEFAULT false,
  ADD COLUMN street_leader boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT staff_leader_at_street CHECK (NOT street_leader OR sdbc.divcode_level(division) = 4);
COMMENT ON COLUMN sdbc.staff.division IS 'division where the person serves now 工作单位; kept by sdbc.staff_move (R2.3), as of a date see sdbc.staff_division()';
COMMENT ON COLUMN sdbc.staff.category IS 'establishment 编制 (R2): administrative 行政编制 or institutional 事业编制 (both national cadres 国家干部), public_welfare 公益性岗位, contract 聘用人员; NULL when not recorded';
COMMENT ON COLUMN sdbc.staff.sex IS 'male 男 or female 女 (R2 staffing figures); NULL when not recorded';
COMMENT ON COLUMN sdbc.staff.education IS 'highest education 学历: postgraduate 研究生, bachelor 本科, associate 大专, secondary 中专/高中, below_secondary 初中及以下';
COMMENT ON COLUMN sdbc.staff.rank IS 'rank 职级: full_section 正科级 or deputy_section 副科级 (e.g. two-committee heads); NULL otherwise';
COMMENT ON COLUMN sdbc.staff.party_member IS 'member of the Communist Party 党员 (R6.1)';
COMMENT ON COLUMN sdbc.staff.street_leader IS 'member of the street leadership 街道领导班子 (R2.2: at most policy street.leadership.max per street; only while serving a street)';
ALTER TABLE sdbc.absence ADD COLUMN recorded_by bigint REFERENCES sdbc.staff (staff_id);
COMMENT ON COLUMN sdbc.absence.recorded_by IS 'who recorded it 登记人: the login''s own staff member (sdbc.role_staff), never the backup (B) of the absent principal (A), who would then act for A (SD516, R7.3); NULL for the administrator''s rows';
ALTER TABLE sdbc.post
  ADD COLUMN grid_code bigint REFERENCES sdbc.grid (grid_code),
  ADD CONSTRAINT post_grid_leader_has_grid CHECK ((office = 'grid_leader') = (grid_code IS NOT NULL));
COMMENT ON COLUMN sdbc.post.grid_code IS 'grid 网格 of a grid-leader post 网格长 (R7.4); NULL for every other office';
CREATE UNIQUE INDEX post_one_leader_per_grid ON sdbc.post (grid_code) WHERE grid_code IS NOT NULL;
CREATE INDEX post_principal_idx ON sdbc.post (principal);
CREATE INDEX post_backup_idx ON sdbc.post (backup);

CREATE TRIGGER calendar_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.calendar_day
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE OR REPLACE FUNCTION sdbc.is_working_day(d date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'is_working_day_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.is_working_day(date) IS 'True on Monday–Friday unless listed as a holiday, and on listed make-up weekend days (sdbc.calendar_day, cached per backend)';

CREATE OR REPLACE FUNCTION sdbc.add_working_days(d date, n integer) RETURNS date
  AS 'MODULE_PATHNAME', 'add_working_days_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.add_working_days(date, integer) IS 'The n-th working day after d (d itself for n <= 0): deadlines of n working days';

CREATE OR REPLACE FUNCTION sdbc.working_days_between(a date, b date) RETURNS integer
  AS 'MODULE_PATHNAME', 'working_days_between_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.working_days_between(date, date) IS 'Working days after a up to and including b (0 when b <= a)';

-- sql/82_routes.sql: the engine caches routes; the open cases of a county
-- are found by an index; the case guard is in C.
CREATE TRIGGER route_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER route_step_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route_step
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER route_rule_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route_rule
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE INDEX approval_case_open_county_idx ON sdbc.approval_case (sdbc.divcode_ancestor(division, 3)) WHERE status = 'open';
CREATE OR REPLACE FUNCTION sdbc.approval_case_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'approval_case_guard' LANGUAGE C VOLATILE STRICT;

-- sql/85_money.sql: decide() takes the step of a non-blocking review.  sign()
-- and withdraw() are bound to the old decide(), so they are made again.
DROP FUNCTION sdbc.sign(bigint, bigint, bigint);
DROP FUNCTION sdbc.withdraw(bigint, bigint);
DROP FUNCTION sdbc.decide(bigint, bigint, text, text, integer, bigint);
CREATE FUNCTION sdbc.decide(case_id bigint, actor bigint, verdict text DEFAULT 'approve',
                            reason text DEFAULT NULL, send_back_to integer DEFAULT NULL,
                            acting_for bigint DEFAULT NULL, step_no integer DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  c sdbc.approval_case;
  step integer;
BEGIN
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('case %s does not exist', decide.case_id),
      DETAIL = 'A decision is recorded on an existing case (sdbc.approval_case).',
      HINT = 'Take the case_id from the expense (sdbc.expense) or the application (sdbc.service_application).';
  END IF;
  step := CASE WHEN verdict IN ('submit', 'withdraw') THEN 0 ELSE coalesce(decide.step_no, c.current_step) END;
  INSERT INTO sdbc.decision (case_id, step_no, actor, acting_for, verdict, send_back_to, reason)
  VALUES (decide.case_id, step, decide.actor, decide.acting_for, decide.verdict, decide.send_back_to, decide.reason);
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  RETURN c;
END $$;
COMMENT ON FUNCTION sdbc.decide(bigint, bigint, text, text, integer, bigint, integer) IS
  'Act on a step of a case (by default its current step; step_no names a non-blocking step that runs alongside, e.g. the optional democratic review of 低保): approve (sign, send, review … as the step says), reject with a reason, send_back with a reason to an earlier step or the applicant (0), withdraw (submitter, before anyone acted), submit (resubmit after a send-back), object (during a public notice), reasons (written reasons after a refusal); acting_for names the absent principal when a backup acts (R7.3). Returns the case';

CREATE FUNCTION sdbc.sign(expense_id bigint, actor bigint, acting_for bigint DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE sql
  RETURN sdbc.decide((SELECT e.case_id FROM sdbc.expense e WHERE e.expense_id = sign.expense_id),
                     actor, 'approve', NULL, NULL, acting_for);
COMMENT ON FUNCTION sdbc.sign(bigint, bigint, bigint) IS 'Approve the current step of an expense''s route (sign, send, re-review or approve, as the step says)';

CREATE FUNCTION sdbc.withdraw(expense_id bigint, actor bigint)
  RETURNS sdbc.approval_case LANGUAGE sql
  RETURN sdbc.decide((SELECT e.case_id FROM sdbc.expense e WHERE e.expense_id = withdraw.expense_id),
                     actor, 'withdraw');
COMMENT ON FUNCTION sdbc.withdraw(bigint, bigint) IS 'Withdraw 撤回 an expense: its submitter, before anyone else acted';

-- Amounts are finite: a NaN credit made the balance NaN, which passes any
-- overdraw test (R3.4).  A payment names who paid.
ALTER TABLE sdbc.account_entry ADD CONSTRAINT account_entry_finite CHECK (amount < 'Infinity') NOT VALID;
ALTER TABLE sdbc.expense ADD CONSTRAINT expense_amount_finite CHECK (amount < 'Infinity') NOT VALID,
  ADD CONSTRAINT expense_paid_by_payer CHECK ((paid_at IS NULL) = (paid_by IS NULL)) NOT VALID;
-- Rows 0.1.0 let in that break them (entries and decisions cannot be
-- deleted) do not stop the update: the constraint then holds for new rows,
-- and the warning says what to correct before VALIDATE CONSTRAINT.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
      ('sdbc.policy', 'policy_value_finite', 'a policy value', $p$value > '-Infinity' AND value < 'Infinity'$p$),
      ('sdbc.account_entry', 'account_entry_finite', 'an entry amount', $p$amount < 'Infinity'$p$),
      ('sdbc.expense', 'expense_amount_finite', 'an expense amount', $p$amount < 'Infinity'$p$),
      ('sdbc.expense', 'expense_paid_by_payer', 'a payment without its payer', $p$(paid_at IS NULL) = (paid_by IS NULL)$p$)
    ) AS t (tbl, con, what, pred) LOOP
    BEGIN
      EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tbl, c.con);
    EXCEPTION WHEN check_violation THEN
      RAISE WARNING USING
        MESSAGE = format('%s holds rows of 0.1.0 that break %s (%s that is NaN or infinite, or paid without a payer)', c.tbl, c.con, c.what),
        DETAIL = 'Rule R3.4/R14.1: 0.2.0 refuses such rows; the constraint is in force for new rows and left NOT VALID for these.',
        HINT = format('Find them with SELECT * FROM %s WHERE NOT (%s); correct or delete them as the owner (entries and expenses refuse changes: disable their insert-only or check trigger for the repair, docs/upgrades.md), then ALTER TABLE %s VALIDATE CONSTRAINT %I. A dump restores into 0.2.0 only after that.',
                      c.tbl, c.pred, c.tbl, c.con);
    END;
  END LOOP;
END $$;

-- sql/86_money_reports.sql: each deadline computed once.
CREATE OR REPLACE VIEW sdbc.case_step_open AS
  SELECT c.case_id, c.case_kind, c.division, c.route_code, c.route_version, c.current_step,
         s.office, s.action, s.name_zh AS step_zh, s.name_en AS step_en,
         c.step_started_on, d.due_on,
         sdbc.working_days_between(CURRENT_DATE, d.due_on) AS working_days_left,
         d.due_on < CURRENT_DATE AS overdue
    FROM sdbc.approval_case c
    JOIN sdbc.route_step s ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step
    CROSS JOIN LATERAL (SELECT sdbc.add_working_days(c.step_started_on, s.time_limit_days) AS due_on) d
   WHERE c.status = 'open';

-- sql/88_service.sql: eligibility predicates called by OID.
CREATE FUNCTION sdbc.eligibility_holds(fn regprocedure, resident_id bigint) RETURNS boolean
  AS 'MODULE_PATHNAME', 'eligibility_holds' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.eligibility_holds(regprocedure, bigint) IS
  'Whether a matter''s eligibility predicate (R4.2) holds for a resident: calls fn (resident_id bigint) → boolean directly, after the execute-permission check a call by name gets; NULL counts as not eligible';

-- sql/89_service_hall.sql: eligibility by OID, SD311, pg_temp last; the
-- county of an open application is its case's.
CREATE OR REPLACE FUNCTION sdbc.service_application_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  m sdbc.service_matter;
  home sdbc.divcode;
  missing text[];
  v_version integer;
  first_step integer;
BEGIN
  IF NEW.case_id IS NOT NULL THEN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
      RETURN NEW;   -- a restore brings its case
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'SD325', MESSAGE = 'an application''s case is set by the database',
      DETAIL = 'Rule R4.2: an application starts its case on the matter''s route when it is taken.',
      HINT = 'Leave case_id out of the INSERT.';
  END IF;
  SELECT * INTO m FROM sdbc.service_matter x WHERE x.matter_code = NEW.matter_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD401', MESSAGE = format('unknown service matter "%s"', NEW.matter_code),
      DETAIL = 'Rule R4.2: applications are taken for the matters of the catalogue.',
      HINT = 'See SELECT matter_code, name_zh FROM sdbc.service_matter.';
  END IF;
  SELECT h.community INTO home FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
   WHERE r.resident_id = NEW.applicant;
  IF home IS NULL OR home <> NEW.community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD404',
      MESSAGE = format('resident %s does not live in community %s', NEW.applicant, NEW.community),
      DETAIL = 'Rule R4.1: a resident applies at the service hall of his own community, which holds the preliminary review.',
      HINT = format('Take the application at the hall of community %s.', coalesce(home::text, '(none)'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = NEW.taken_by AND s.division = NEW.community) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD405',
      MESSAGE = format('staff %s does not serve community %s', NEW.taken_by, NEW.community),
      DETAIL = 'Rule R4.1/R8.2: the community''s own staff take applications, also when they handle, visit or petition for a resident.',
      HINT = 'Let a member of the community''s staff take it.';
  END IF;
  missing := ARRAY(SELECT d FROM unnest(m.documents) d WHERE d <> ALL (NEW.documents));
  IF cardinality(missing) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'SD406',
      MESSAGE = format('application for %s lacks %s document(s): %s', m.name_zh, cardinality(missing), array_to_string(missing, '、')),
      DETAIL = 'Rule R4.2/R8.1: the community tells the applicant every missing document at once (一次性告知).',
      HINT = 'Hand in all of: ' || array_to_string(missing, '、');
  END IF;
  IF m.eligibility IS NOT NULL THEN
    IF NOT sdbc.eligibility_holds(m.eligibility, NEW.applicant) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD407',
        MESSAGE = format('resident %s is not eligible for %s', NEW.applicant, m.name_zh),
        DETAIL = format('Rule R4.2: the matter''s eligibility (%s) does not hold for the applicant.', m.eligibility),
        HINT = 'Check the applicant''s registration and age in the registry.';
    END IF;
  END IF;
  SELECT max(r.version) INTO v_version FROM sdbc.route r WHERE r.route_code = m.route_code;
  SELECT min(s.step_no) INTO first_step FROM sdbc.route_step s
   WHERE s.route_code = m.route_code AND s.version = v_version AND s.blocking;
  IF first_step IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'SD311',
      MESSAGE = format('route %s version %s has no blocking step', m.route_code, v_version),
      DETAIL = 'Rule R4.2: a case starts at the first blocking step of the latest version of its matter''s route.',
      HINT = format('Add the steps of version %s to sdbc.route_step, or delete that version.', v_version);
  END IF;
  INSERT INTO sdbc.approval_case (case_kind, division, route_code, route_version, submitted_by, current_step)
  VALUES ('service', NEW.community, m.route_code, v_version, NEW.taken_by, first_step)
  RETURNING case_id INTO NEW.case_id;
  INSERT INTO sdbc.decision (case_id, step_no, actor, verdict) VALUES (NEW.case_id, 0, NEW.taken_by, 'submit');
  RETURN NEW;
END $$;

CREATE OR REPLACE VIEW sdbc.service_open AS
  SELECT a.application_id, a.matter_code, m.name_zh AS matter_zh, a.community,
         sdbc.divcode_ancestor(o.division, 3) AS county, a.proxy, a.applied_on,
         o.current_step, o.office, o.step_zh, o.due_on, o.working_days_left, o.overdue
    FROM sdbc.service_application a
    JOIN sdbc.service_matter m USING (matter_code)
    JOIN sdbc.case_step_open o USING (case_id);

-- sql/89_service_hall.sql: a restored task keeps its status and refusal; a
-- refusal names who refused; pg_temp last.
ALTER TABLE sdbc.task_assignment ADD COLUMN refused_by bigint REFERENCES sdbc.staff (staff_id);
COMMENT ON COLUMN sdbc.task_assignment.refused_by IS 'who refused it for the community 拒绝人: the login''s own staff member (sdbc.role_staff); NULL for the administrator''s rows';
CREATE OR REPLACE FUNCTION sdbc.task_assignment_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  t sdbc.task_type;
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- a restored row keeps its status and refusal (its task type may come
    -- back later, and a refusal is a fact of its day, R1.3)
    IF sdbc.is_restored_row('sdbc.task_assignment_assignment_id_seq', NEW.assignment_id) THEN
      RETURN NEW;
    END IF;
    IF NEW.department IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'SD409', MESSAGE = 'a task handed to a community names its department',
        DETAIL = 'Rule R1.1/R5.4: the department that hands a task down answers for it (and is evaluated by the community).',
        HINT = 'Give the county department (an office of level 3).';
    END IF;
    SELECT * INTO t FROM sdbc.task_type x
     WHERE x.county = sdbc.divcode_ancestor(NEW.community, 3) AND x.task_code = NEW.task_code;
    NEW.status := 'accepted';
    NEW.basis := NULL;
    IF NOT FOUND THEN
      NEW.status := 'refusable'; NEW.basis := 'not on the county''s access list (R1.1)';
    ELSIF t.statutory THEN
      NEW.status := 'accepted'; NEW.basis := 'statutory duty';
    ELSIF t.class = 'refuse' THEN
      NEW.status := 'refusable'; NEW.basis := 'classed refuse on the access list (R1.1)';
    ELSIF t.needs_funding AND NEW.funding <= 0 THEN
      NEW.status := 'refusable'; NEW.basis := 'handed down without its funds (R1.2 费随事转)';
    ELSIF t.needs_authority AND NOT NEW.authority_granted THEN
      NEW.status := 'refusable'; NEW.basis := 'handed down without its authority (R1.2 权随责走)';
    END IF;
    NEW.refusal_reason := NULL; NEW.refused_on := NULL; NEW.refused_by := NULL;
    RETURN NEW;
  END IF;
  -- UPDATE: only a refusal of a refusable task, with its reason
  IF OLD.status <> 'refusable' OR NEW.status <> 'refused' OR NEW.refusal_reason IS NULL
     OR (NEW.department, NEW.community, NEW.task_code, NEW.handed_on, NEW.funding, NEW.authority_granted, NEW.basis)
        IS DISTINCT FROM (OLD.department, OLD.community, OLD.task_code, OLD.handed_on, OLD.funding, OLD.authority_granted, OLD.basis) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD410',
      MESSAGE = format('task %s is %s and cannot be changed that way', OLD.assignment_id, OLD.status),
      DETAIL = 'Rule R1.3: a community may refuse a task that is off the list, classed refuse, or handed down without its funds or authority — with a reason; statutory duties and accepted tasks are not refused.',
      HINT = 'Refuse with sdbc.refuse_task(assignment_id, reason) a task whose status is refusable.';
  END IF;
  NEW.refused_on := coalesce(NEW.refused_on, CURRENT_DATE);
  -- who refused it: the login's own person (R1.3, sdbc.role_staff)
  NEW.refused_by := CASE WHEN NEW.refused_by IS DISTINCT FROM OLD.refused_by THEN NEW.refused_by
                         ELSE sdbc.my_staff_id() END;
  PERFORM sdbc.check_login_is('sdbc.task_assignment', NEW.refused_by, 'refuse a task');
  RETURN NEW;
END $$;
-- refuse_task() returns the row: made again with the new column.
CREATE OR REPLACE FUNCTION sdbc.refuse_task(assignment_id bigint, reason text)
  RETURNS sdbc.task_assignment LANGUAGE sql
BEGIN ATOMIC
  UPDATE sdbc.task_assignment t SET status = 'refused', refusal_reason = refuse_task.reason, refused_on = CURRENT_DATE
   WHERE t.assignment_id = refuse_task.assignment_id
  RETURNING *;
END;
-- The engine marks its own writes (src/engine_write.c, docs/security.md).
-- Tables that change only through the engine let a write through while the
-- engine writes, whatever the trigger depth a client's own triggers reach.

CREATE FUNCTION sdbc.engine_writing() RETURNS boolean
  AS 'MODULE_PATHNAME', 'engine_writing' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.engine_writing() IS
  'True while the approval engine writes (its C triggers, and the PL/pgSQL engine triggers run through sdbc.engine_trigger); guards of cases, debits and staff divisions let only such writes through (R3.2, R3.4, R2.3, R4.2)';

CREATE FUNCTION sdbc.engine_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'engine_trigger' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.engine_trigger() IS
  'Trigger wrapper: EXECUTE FUNCTION sdbc.engine_trigger(''sdbc.f()'') runs the trigger function sdbc.f with the engine''s flag raised (sdbc.engine_writing()); only on tables of schema sdbc, only for trigger functions of that schema (else 42501)';
REVOKE ALL ON FUNCTION sdbc.engine_trigger() FROM PUBLIC;
-- Staff move down (R2): the history of where each person serves, the hard
-- limits a move or an appointment may not break, the compliance report of
-- the others, and the paper's staffing figures as a report on any data set.
--
-- Hard (refused with SD5xx):   street leadership above street.leadership.max
--                              (R2.2); a move that takes a national cadre out
--                              of a community below its R2.4 minimum, while
--                              policy community.national_staff.hard = 1.
-- Reported (sdbc.staff_compliance): sent-down share (R2.1), internal offices
--                              of a street (R2.2), national public servants
--                              per community (R2.4).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('street.offices.max', 'R2.2', 'count', 1, NULL,
   'most internal offices a street keeps (the paper: a single general office for supervision, finance and coordination)',
   '街道内设机构上限(只设综合办公室)', true),
  ('community.national_staff.hard', 'R2.4', 'count', 0, 1,
   '1: a move that takes a national cadre out of a community below its R2.4 minimum is refused; 0: only reported',
   '1:调出国家干部使社区低于最低配备时拒绝;0:仅报告', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('street.offices.max',            NULL, '2014-01-01', 1, true, 'paper: 只设综合办公室 (R2.2)'),
  ('community.national_staff.hard', NULL, '2014-01-01', 1, true, 'sdbc default: the R2.4 minimum holds against moves');

-- Internal offices of a street (R2.2).
CREATE TABLE sdbc.street_office (
  street_office_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  name       text NOT NULL CONSTRAINT street_office_name_not_blank CHECK (btrim(name) <> ''),
  general    boolean NOT NULL DEFAULT false,
  CONSTRAINT street_office_at_street CHECK (sdbc.divcode_level(street) = 4),
  UNIQUE (street, name)
);
COMMENT ON TABLE sdbc.street_office IS
  'Internal offices 内设机构 of a street (R2.2: the street keeps a single general office 综合办公室; more than policy street.offices.max is reported)';
COMMENT ON COLUMN sdbc.street_office.street_office_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.street_office.street IS 'street 街道 (a level-4 division)';
COMMENT ON COLUMN sdbc.street_office.name IS 'name 名称, e.g. 综合办公室';
COMMENT ON COLUMN sdbc.street_office.general IS 'the general office 综合办公室 (supervision, finance, coordination)';

-- Moves (R2.1, R2.3): insert-only, one per person and day, in date order.
CREATE TABLE sdbc.staff_move (
  move_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id       bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  moved_on       date NOT NULL,
  kind           text NOT NULL CONSTRAINT staff_move_kind_known
                   CHECK (kind IN ('hire', 'sent_down', 'transfer', 'leave')),
  from_division  sdbc.divcode REFERENCES sdbc.division (code),
  to_division    sdbc.divcode REFERENCES sdbc.division (code),
  note           text,
  CONSTRAINT staff_move_ends CHECK (CASE kind WHEN 'hire'  THEN from_division IS NULL AND to_division IS NOT NULL
                                              WHEN 'leave' THEN from_division IS NOT NULL AND to_division IS NULL
                                              ELSE from_division IS NOT NULL AND to_division IS NOT NULL
                                                   AND from_division OPERATOR(sdbc.<>) to_division END),
  UNIQUE (staff_id, moved_on)
);
COMMENT ON TABLE sdbc.staff_move IS
  'Moves of staff 人员调动 (R2.1, R2.3): hire, sent down from a street to one of its communities 下沉, transfer, leave; insert-only, in date order; the latest sets sdbc.staff.division';
COMMENT ON COLUMN sdbc.staff_move.move_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.staff_move.staff_id IS 'who moves';
COMMENT ON COLUMN sdbc.staff_move.moved_on IS 'first day in the new division 调动日期';
COMMENT ON COLUMN sdbc.staff_move.kind IS 'hire 录用, sent_down 下沉 (street → one of its communities, R2.1), transfer 调动, leave 离职';
COMMENT ON COLUMN sdbc.staff_move.from_division IS 'division served until the move; NULL for a hire';
COMMENT ON COLUMN sdbc.staff_move.to_division IS 'division served from the move on; NULL for a leave';
COMMENT ON COLUMN sdbc.staff_move.note IS 'document or reason';
CREATE INDEX staff_move_to_idx ON sdbc.staff_move (to_division, moved_on);

SELECT pg_catalog.pg_extension_config_dump('sdbc.street_office', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.street_office_street_office_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_move', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_move_move_id_seq', '');

-- Where a person serves on a date: the latest move on or before it; before
-- the first move, where that move came from (nowhere before a hire); with no
-- moves at all, sdbc.staff.division.
CREATE FUNCTION sdbc.staff_division(who bigint, on_date date DEFAULT CURRENT_DATE) RETURNS sdbc.divcode
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT CASE WHEN l.kind IS NOT NULL THEN l.to_division
              WHEN f.kind IS NULL THEN s.division
              WHEN f.kind = 'hire' THEN NULL
              ELSE f.from_division END
    FROM sdbc.staff s
    LEFT JOIN LATERAL (SELECT m.kind, m.to_division FROM sdbc.staff_move m
                        WHERE m.staff_id = s.staff_id AND m.moved_on <= on_date
                        ORDER BY m.moved_on DESC LIMIT 1) l ON true
    LEFT JOIN LATERAL (SELECT m.kind, m.from_division FROM sdbc.staff_move m
                        WHERE m.staff_id = s.staff_id
                        ORDER BY m.moved_on LIMIT 1) f ON true
   WHERE s.staff_id = who;
END;
COMMENT ON FUNCTION sdbc.staff_division(bigint, date) IS
  'Division a person serves on a date (R2.3), from sdbc.staff_move; NULL before a hire or after a leave; sdbc.staff.division for a person without moves';

CREATE FUNCTION sdbc.is_national_cadre(category text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce(category IN ('administrative', 'institutional'), false);
COMMENT ON FUNCTION sdbc.is_national_cadre(text) IS
  'True for the establishments of national cadres 国家干部 (行政编制, 事业编制): the national public servants of R2.4';

-- National cadres serving a community on a date (R2.4).
CREATE FUNCTION sdbc.community_national_staff(community sdbc.divcode, on_date date DEFAULT CURRENT_DATE) RETURNS bigint
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*) FROM sdbc.staff s
   WHERE sdbc.is_national_cadre(s.category)
     AND (s.division OPERATOR(sdbc.=) community
          OR EXISTS (SELECT 1 FROM sdbc.staff_move m WHERE m.staff_id = s.staff_id
                        AND (m.to_division OPERATOR(sdbc.=) community OR m.from_division OPERATOR(sdbc.=) community)))
     AND sdbc.staff_division(s.staff_id, on_date) OPERATOR(sdbc.=) community;
END;
COMMENT ON FUNCTION sdbc.community_national_staff(sdbc.divcode, date) IS
  'Number of national cadres 国家公职人员 serving the community on the date (R2.4)';

-- A row that arrives with an id its table's sequence did not just hand out
-- in this session is a restore (pg_restore copies ids); history checks that
-- read other tables as of a date then stand aside, for a superuser only,
-- since the rows they would read may not be restored yet.
CREATE FUNCTION sdbc.is_restored_row(seq regclass, id bigint) RETURNS boolean
  LANGUAGE plpgsql VOLATILE STRICT AS $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    RETURN false;
  END IF;
  RETURN id <> pg_catalog.currval(seq);
EXCEPTION WHEN object_not_in_prerequisite_state THEN   -- currval not yet defined in this session
  RETURN true;
END $$;
COMMENT ON FUNCTION sdbc.is_restored_row(regclass, bigint) IS
  'True when a superuser writes a row whose id was not just drawn from its sequence in this session: a restore (pg_restore), whose history checks are skipped';

-- The hard staffing limits (R2.2 street leadership, R2.4 community national
-- cadres) count rows of sdbc.staff and sdbc.staff_move.  Every check first
-- updates the division's row here: two sessions checking one street or
-- community queue (READ COMMITTED: the second then counts the first one's
-- change) or the later one gets a serialization failure (REPEATABLE READ,
-- whose snapshot could not see the other's row).
CREATE TABLE sdbc.staff_limit_lock (
  division  sdbc.divcode PRIMARY KEY,
  writes    bigint NOT NULL
);
COMMENT ON TABLE sdbc.staff_limit_lock IS
  'Internal: one row per street or community, updated by every check of its hard staffing limits (R2.2 leadership, R2.4 national cadres), so that concurrent writers queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ) instead of both passing';
COMMENT ON COLUMN sdbc.staff_limit_lock.division IS 'street or community';
COMMENT ON COLUMN sdbc.staff_limit_lock.writes IS 'checks run so far';

CREATE FUNCTION sdbc.staff_limit_lock(division sdbc.divcode) RETURNS void
  LANGUAGE sql VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
  INSERT INTO sdbc.staff_limit_lock AS l (division, writes) VALUES (staff_limit_lock.division, 1)
  ON CONFLICT ON CONSTRAINT staff_limit_lock_pkey DO UPDATE SET writes = l.writes + 1;
END;
COMMENT ON FUNCTION sdbc.staff_limit_lock(sdbc.divcode) IS
  'Internal: takes the row lock of a street or community in sdbc.staff_limit_lock before its hard staffing limits are counted';

-- R2.4, hard while policy community.national_staff.hard = 1: a national cadre
-- who stops counting for a community from a date on (a move out, a leave, a
-- change of category, a deletion) must leave it at its minimum on that date
-- and on every later date a move into or out of it is recorded: the count
-- only changes on those dates, so the minimum over them is the minimum from
-- the date on.  Raises SD505 for the first date that falls short.
CREATE FUNCTION sdbc.community_minimum_check(community sdbc.divcode, who bigint, from_date date, what text)
  RETURNS void LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  short record;
BEGIN
  IF community IS NULL OR sdbc.divcode_level(community) <> 5 THEN
    RETURN;
  END IF;
  PERFORM sdbc.staff_limit_lock(community);
  SELECT d.on_date, x.remaining, x.need INTO short
    FROM (SELECT from_date AS on_date
          UNION
          SELECT m.moved_on FROM sdbc.staff_move m
           WHERE (m.to_division = community OR m.from_division = community) AND m.moved_on > from_date) d,
         LATERAL (SELECT sdbc.community_national_staff(community, d.on_date)
                         - CASE WHEN sdbc.staff_division(who, d.on_date) = community THEN 1 ELSE 0 END AS remaining,
                         sdbc.policy_value(CASE WHEN (SELECT v.key_complex FROM sdbc.division v WHERE v.code = community)
                                                THEN 'community.national_staff.min_key' ELSE 'community.national_staff.min' END,
                                           community, d.on_date) AS need) x
   WHERE sdbc.policy_value('community.national_staff.hard', community, d.on_date) = 1
     AND x.remaining < x.need
   ORDER BY d.on_date
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD505',
      MESSAGE = format('%s would leave community %s with %s national public servants on %s, fewer than %s',
                       what, community, short.remaining, short.on_date, short.need),
      DETAIL = 'R2.4: a general community has at least 10 national public servants, a key or complex one at least 15 (policy community.national_staff.min, .min_key), on every day from the change on.',
      HINT = 'Send a replacement first (dated no later than the shortfall), or set policy community.national_staff.hard to 0 to report instead of refusing.';
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.community_minimum_check(sdbc.divcode, bigint, date, text) IS
  'Internal: refuses (SD505, R2.4) when staff member who, no longer counted for the community from from_date on, leaves it below its national-cadre minimum on that date or on any later recorded move date into or out of it, while policy community.national_staff.hard = 1; serialised per community (sdbc.staff_limit_lock)';

-- Direct writes to sdbc.staff: the street leadership limit (R2.2, hard); the
-- division changes only by a move (R2.3), except to correct the record of
-- someone with no moves yet; a national cadre does not leave a community
-- below its minimum by a change of category, a correction or a deletion
-- (R2.4); a grid leader stays in the grid's community (R7.4).
CREATE FUNCTION sdbc.staff_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  leaders bigint;
  lim numeric;
  post_id bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF sdbc.is_national_cadre(OLD.category) THEN
      PERFORM sdbc.community_minimum_check(OLD.division, OLD.staff_id, CURRENT_DATE,
                                           format('deleting staff %s', OLD.staff_id));
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.division <> OLD.division AND NOT sdbc.engine_writing() THEN
    -- not from the move trigger (sdbc.engine_writing(), whatever the trigger
    -- depth): a correction, only before the history starts
    IF EXISTS (SELECT 1 FROM sdbc.staff_move m WHERE m.staff_id = OLD.staff_id) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD514',
        MESSAGE = format('staff %s has recorded moves: the division changes only by a move', OLD.staff_id),
        DETAIL = 'R2.3: where a person serves follows from the history of moves (sdbc.staff_move).',
        HINT = format('Record a transfer, sent-down move or leave from %s in sdbc.staff_move.', OLD.division);
    END IF;
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.office = 'grid_leader' AND p.division = OLD.division AND OLD.staff_id IN (p.principal, p.backup)
     ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('staff %s is a grid leader (A or B) of post %s in community %s', OLD.staff_id, post_id, OLD.division),
        DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
        HINT = format('Name someone else A or B of post %s first.', post_id);
    END IF;
    IF sdbc.is_national_cadre(OLD.category) THEN
      PERFORM sdbc.community_minimum_check(OLD.division, OLD.staff_id, CURRENT_DATE,
                                           format('moving staff %s', OLD.staff_id));
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND sdbc.is_national_cadre(OLD.category) AND NOT sdbc.is_national_cadre(NEW.category) THEN
    PERFORM sdbc.community_minimum_check(sdbc.staff_division(OLD.staff_id, CURRENT_DATE), OLD.staff_id, CURRENT_DATE,
                                         format('changing the category of staff %s', OLD.staff_id));
  END IF;
  IF NEW.street_leader AND (TG_OP = 'INSERT' OR NOT OLD.street_leader OR OLD.division <> NEW.division) THEN
    PERFORM sdbc.staff_limit_lock(NEW.division);
    SELECT count(*) INTO leaders FROM sdbc.staff s
     WHERE s.street_leader AND s.division = NEW.division AND s.staff_id <> NEW.staff_id;
    lim := sdbc.policy_value('street.leadership.max', NEW.division, CURRENT_DATE);
    IF leaders + 1 > lim THEN
      RAISE EXCEPTION USING ERRCODE = 'SD504',
        MESSAGE = format('street %s would have %s leaders, more than %s', NEW.division, leaders + 1, lim),
        DETAIL = 'R2.2: the street leadership shrinks to policy street.leadership.max members.',
        HINT = 'Take someone off the leadership first (a sent-down move to a community does), or override the policy for this street.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.staff_check() IS
  'Trigger on sdbc.staff: no street gets more leaders than policy street.leadership.max (R2.2, SD504); the division changes only by a move once the person has one (R2.3, SD514); a change of division, of category or a deletion does not leave a community below its national-cadre minimum (R2.4, SD505) nor a grid without its leader''s community staff (R7.4, SD507)';
CREATE TRIGGER staff_check BEFORE INSERT OR UPDATE OF street_leader, division, category OR DELETE ON sdbc.staff
  FOR EACH ROW EXECUTE FUNCTION sdbc.staff_check();

-- A move: not in the future, divisions exist, the move continues the
-- person's history, a sent-down move goes from a street to one of its
-- communities, a grid leader does not leave the grid's community (R7.4), and
-- a national cadre does not leave a community below its minimum (R2.4, hard
-- while policy community.national_staff.hard = 1).  A restored row (see
-- sdbc.is_restored_row) gets only the checks that need no other table.
CREATE FUNCTION sdbc.staff_move_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  s record;
  last_move sdbc.staff_move;
  was sdbc.divcode;
  d sdbc.divcode;
  post_id bigint;
BEGIN
  IF NOT (CASE NEW.kind WHEN 'hire'  THEN NEW.from_division IS NULL AND NEW.to_division IS NOT NULL
                        WHEN 'leave' THEN NEW.from_division IS NOT NULL AND NEW.to_division IS NULL
                        ELSE NEW.from_division IS NOT NULL AND NEW.to_division IS NOT NULL END) THEN
    RETURN NEW;   -- check constraint staff_move_ends reports it
  END IF;
  IF NEW.moved_on > CURRENT_DATE THEN
    RAISE EXCEPTION USING ERRCODE = 'SD515',
      MESSAGE = format('a move dated %s lies in the future', NEW.moved_on),
      DETAIL = 'R2.3: a move is recorded when it has taken effect; until then the person serves where the history says.',
      HINT = 'Record the move on or after the day it takes effect.';
  END IF;
  FOREACH d IN ARRAY ARRAY[NEW.from_division, NEW.to_division] LOOP
    IF d IS NOT NULL AND sdbc.divcode_level(d) < 3 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD501',
        MESSAGE = format('division %s is not a county, street or community', d),
        DETAIL = 'R2.3: staff serve counties, streets and communities.',
        HINT = 'Name the county, street or community the person serves.';
    END IF;
  END LOOP;
  IF NEW.kind = 'sent_down' AND NOT (sdbc.divcode_level(NEW.from_division) = 4
                                      AND sdbc.divcode_level(NEW.to_division) = 5
                                      AND NEW.to_division <@ NEW.from_division) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD503',
      MESSAGE = format('a move from %s to %s is not a move down', NEW.from_division, NEW.to_division),
      DETAIL = 'R2.1, R2.3: street staff are sent down to the communities of their own street.',
      HINT = 'Send the person to a community of the street, or record a transfer.';
  END IF;
  IF sdbc.is_restored_row('sdbc.staff_move_move_id_seq', NEW.move_id) THEN
    RETURN NEW;   -- a restore replays the history as it was; sdbc.staff comes back as dumped
  END IF;

  FOREACH d IN ARRAY ARRAY[NEW.from_division, NEW.to_division] LOOP
    IF d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sdbc.division x WHERE x.code = d) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD501',
        MESSAGE = format('division %s does not exist', d),
        DETAIL = 'R2.3: staff move between divisions of the tree (streets, communities, counties).',
        HINT = 'Load the division into sdbc.division first, or correct the code.';
    END IF;
  END LOOP;

  -- (named columns: the staff roles may not read id_number, sql/97_roles.sql)
  SELECT x.staff_id, x.division, x.category INTO s FROM sdbc.staff x WHERE x.staff_id = NEW.staff_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  SELECT * INTO last_move FROM sdbc.staff_move WHERE staff_id = NEW.staff_id ORDER BY moved_on DESC LIMIT 1;
  IF FOUND AND last_move.moved_on >= NEW.moved_on THEN
    RAISE EXCEPTION USING ERRCODE = 'SD502',
      MESSAGE = format('move of staff %s on %s is not after the last recorded move (%s)', NEW.staff_id, NEW.moved_on, last_move.moved_on),
      DETAIL = 'R2.3: the history of moves is kept in date order and never rewritten.',
      HINT = 'Record moves in the order they happened.';
  END IF;
  was := CASE WHEN last_move.move_id IS NOT NULL THEN last_move.to_division
              WHEN NEW.kind = 'hire' THEN NULL
              ELSE s.division END;
  IF NEW.from_division IS DISTINCT FROM was
     OR (last_move.move_id IS NULL AND NEW.kind = 'hire' AND NEW.to_division <> s.division) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD502',
      MESSAGE = CASE WHEN NEW.from_division IS DISTINCT FROM was
                     THEN format('staff %s serves %s, not %s, before the move of %s',
                                 NEW.staff_id, coalesce(was::text, 'nowhere'), coalesce(NEW.from_division::text, 'nowhere'), NEW.moved_on)
                     ELSE format('staff %s serves %s, not %s: the first hire records where the person serves',
                                 NEW.staff_id, s.division, NEW.to_division) END,
      DETAIL = 'R2.3: a move starts where the person serves.',
      HINT = CASE WHEN was IS NULL AND NEW.kind <> 'hire' THEN 'Record a hire first.'
                  WHEN NEW.kind = 'hire' AND was IS NOT NULL THEN format('The person serves %s: record a transfer or a leave.', was)
                  WHEN NEW.kind = 'hire' THEN format('Hire into %s.', s.division)
                  ELSE format('Move from %s.', was) END;
  END IF;

  IF NEW.from_division IS NOT NULL THEN
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.office = 'grid_leader' AND p.division = NEW.from_division AND NEW.staff_id IN (p.principal, p.backup)
     ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('staff %s is a grid leader (A or B) of post %s in community %s and cannot leave it',
                         NEW.staff_id, post_id, NEW.from_division),
        DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
        HINT = format('Name someone else A or B of post %s first (UPDATE sdbc.post), then record the move.', post_id);
    END IF;
  END IF;

  IF sdbc.is_national_cadre(s.category) THEN
    PERFORM sdbc.community_minimum_check(NEW.from_division, NEW.staff_id, NEW.moved_on,
                                         format('moving staff %s', NEW.staff_id));
  END IF;

  -- The person serves the new division; whoever moves leaves the street leadership (R2.3).
  UPDATE sdbc.staff SET division = coalesce(NEW.to_division, division), street_leader = false
   WHERE staff_id = NEW.staff_id;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.staff_move_check() IS
  'Trigger on sdbc.staff_move: not dated in the future (SD515), divisions exist (SD501), moves continue the history (SD502), sent down means street → own community (SD503), a grid leader does not leave the grid''s community (SD507, R7.4), a community keeps its R2.4 minimum on every day from the move on when the policy makes it hard (SD505); then sets sdbc.staff.division and takes the person off the street leadership (R2.3). A restored row gets only the checks that read no other table (SD515, SD501 level, SD503)';

-- through sdbc.engine_trigger: the division it writes is the engine's (SD514)
CREATE TRIGGER staff_move_check BEFORE INSERT ON sdbc.staff_move
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.staff_move_check()');
CREATE TRIGGER staff_move_insert_only BEFORE UPDATE OR DELETE ON sdbc.staff_move
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R2.3', 'staff moves');
CREATE TRIGGER staff_move_no_truncate BEFORE TRUNCATE ON sdbc.staff_move
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R2.3', 'staff moves');

-- Compliance with R2.1, R2.2, R2.4 on a date, every check with its outcome.
CREATE FUNCTION sdbc.staff_compliance(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (division sdbc.divcode, name text, rule_id text, measure text, value numeric, bound numeric, ok boolean)
  LANGUAGE sql STABLE STRICT PARALLEL RESTRICTED
BEGIN ATOMIC
  WITH placed AS (
    SELECT s.staff_id, s.category, s.street_leader, sdbc.staff_division(s.staff_id, on_date) AS at
      FROM sdbc.staff s
  ), sent AS (   -- the street each person was last sent down from, while still in its communities
    SELECT p.staff_id, p.at, m.from_division AS street
      FROM placed p
      JOIN LATERAL (SELECT x.from_division FROM sdbc.staff_move x
                     WHERE x.staff_id = p.staff_id AND x.kind = 'sent_down' AND x.moved_on <= on_date
                     ORDER BY x.moved_on DESC LIMIT 1) m ON true
     WHERE p.at OPERATOR(sdbc.<@) m.from_division AND sdbc.divcode_level(p.at) = 5
  ), streets AS (
    SELECT DISTINCT x.code FROM (
      SELECT p.at AS code FROM placed p WHERE sdbc.divcode_level(p.at) = 4
      UNION ALL SELECT street FROM sent
      UNION ALL SELECT o.street FROM sdbc.street_office o) x
  ), communities AS (
    SELECT DISTINCT p.at AS code FROM placed p WHERE sdbc.divcode_level(p.at) = 5
  ), placed_count AS (   -- counted once per division, not once per division and person
    SELECT p.at AS code, count(*) AS staff,
           count(*) FILTER (WHERE sdbc.is_national_cadre(p.category)) AS national
      FROM placed p WHERE p.at IS NOT NULL GROUP BY p.at
  ), sent_count AS (
    SELECT sent.street AS code, count(*) AS sent FROM sent GROUP BY sent.street
  ), leader_count AS (
    SELECT s.division AS code, count(*) AS leaders FROM sdbc.staff s WHERE s.street_leader GROUP BY s.division
  ), office_count AS (
    SELECT o.street AS code, count(*) AS offices FROM sdbc.street_office o GROUP BY o.street
  ), checks AS (
    SELECT st.code, 'R2.1' AS rule_id, 'share of street staff sent down 下沉比例' AS measure,
           round(coalesce(sc.sent, 0)::numeric / nullif(coalesce(sc.sent, 0) + coalesce(pc.staff, 0), 0), 3) AS value,
           sdbc.policy_value('street.staff_sent_down.min_share', st.code, on_date) AS bound, 'min' AS sense
      FROM streets st
      LEFT JOIN sent_count sc ON sc.code OPERATOR(sdbc.=) st.code
      LEFT JOIN placed_count pc ON pc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT st.code, 'R2.2', 'street leadership 街道领导班子', coalesce(lc.leaders, 0),
           sdbc.policy_value('street.leadership.max', st.code, on_date), 'max'
      FROM streets st LEFT JOIN leader_count lc ON lc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT st.code, 'R2.2', 'internal offices 内设机构', coalesce(oc.offices, 0),
           sdbc.policy_value('street.offices.max', st.code, on_date), 'max'
      FROM streets st LEFT JOIN office_count oc ON oc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT c.code, 'R2.4', 'national public servants 国家公职人员', coalesce(pc.national, 0),
           sdbc.policy_value(CASE WHEN d.key_complex THEN 'community.national_staff.min_key'
                                  ELSE 'community.national_staff.min' END, c.code, on_date), 'min'
      FROM communities c JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) c.code
      LEFT JOIN placed_count pc ON pc.code OPERATOR(sdbc.=) c.code
  )
  SELECT k.code, d.name, k.rule_id, k.measure, k.value, k.bound,
         CASE WHEN k.value IS NULL THEN NULL WHEN k.sense = 'min' THEN k.value >= k.bound ELSE k.value <= k.bound END
    FROM checks k JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) k.code
   ORDER BY k.code, k.rule_id, k.measure;
END;
COMMENT ON FUNCTION sdbc.staff_compliance(date) IS
  'Staffing checks on a date, one row per street or community and measure, ok = false for a violation: R2.1 share of street staff sent down (≥ policy street.staff_sent_down.min_share), R2.2 leadership (≤ street.leadership.max; current members) and internal offices (≤ street.offices.max), R2.4 national public servants per community (≥ community.national_staff.min or .min_key)';

CREATE VIEW sdbc.staff_violation AS
  SELECT division, name, rule_id, measure, value, bound
    FROM sdbc.staff_compliance(CURRENT_DATE) WHERE NOT ok;
COMMENT ON VIEW sdbc.staff_violation IS 'Staffing rules broken today (R2.1, R2.2, R2.4), with the rule ID';
COMMENT ON COLUMN sdbc.staff_violation.division IS 'street or community';
COMMENT ON COLUMN sdbc.staff_violation.name IS 'its name 名称';
COMMENT ON COLUMN sdbc.staff_violation.rule_id IS 'rule broken';
COMMENT ON COLUMN sdbc.staff_violation.measure IS 'what was measured';
COMMENT ON COLUMN sdbc.staff_violation.value IS 'measured value';
COMMENT ON COLUMN sdbc.staff_violation.bound IS 'policy bound in force';

-- The paper's staffing figures (R2) over the staff serving communities
-- under a division (NULL: everywhere) on a date.
CREATE FUNCTION sdbc.staffing_report(under sdbc.divcode DEFAULT NULL, on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (n integer, measure text, label_zh text, persons bigint, share_pct numeric)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  WITH s AS (
    SELECT st.staff_id, st.name, st.division, st.category, st.sex, st.education, st.rank, st.party_member, st.street_leader
      FROM sdbc.staff st   -- named columns: the staff roles may not read id_number (sql/97_roles.sql)
     WHERE sdbc.divcode_level(sdbc.staff_division(st.staff_id, on_date)) = 5
       AND (under IS NULL OR sdbc.staff_division(st.staff_id, on_date) OPERATOR(sdbc.<@) under)
  ), f AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE sdbc.is_national_cadre(category)) AS national,
           count(*) FILTER (WHERE category = 'administrative') AS admin,
           count(*) FILTER (WHERE category = 'institutional') AS inst,
           count(*) FILTER (WHERE category = 'public_welfare') AS welfare,
           count(*) FILTER (WHERE category = 'contract') AS contract,
           count(*) FILTER (WHERE category IS NULL) AS uncat,
           count(*) FILTER (WHERE sex = 'male') AS men,
           count(*) FILTER (WHERE education IN ('postgraduate', 'bachelor')) AS bachelor,
           count(*) FILTER (WHERE education = 'associate') AS associate,
           count(*) FILTER (WHERE rank = 'full_section') AS full_section,
           count(*) FILTER (WHERE rank = 'deputy_section') AS deputy_section,
           count(*) FILTER (WHERE party_member) AS party
      FROM s
  )
  SELECT v.n, v.measure, v.label_zh, v.persons, round(100.0 * v.persons / nullif(f.total, 0), 1)
    FROM f, LATERAL (VALUES
      (1,  'community staff',                 '社区工作人员',         f.total),
      (2,  'national cadres',                 '在编国家干部',         f.national),
      (3,  '  administrative establishment',  '  行政编制',           f.admin),
      (4,  '  institutional establishment',   '  事业编制',           f.inst),
      (5,  'public-welfare posts',            '公益性岗位',           f.welfare),
      (6,  'contract hires',                  '聘用人员',             f.contract),
      (7,  'category not recorded',           '未登记',               f.uncat),
      (8,  'men',                             '男性',                 f.men),
      (9,  'bachelor or above',               '本科及以上',           f.bachelor),
      (10, 'associate degree',                '大专',                 f.associate),
      (11, 'associate degree or above',       '大专及以上',           f.bachelor + f.associate),
      (12, 'full section level',              '正科级',               f.full_section),
      (13, 'deputy section level',            '副科级',               f.deputy_section),
      (14, 'party members',                   '党员',                 f.party)) v(n, measure, label_zh, persons)
   ORDER BY v.n;
END;
COMMENT ON FUNCTION sdbc.staffing_report(sdbc.divcode, date) IS
  'The paper''s staffing figures (R2) for the staff serving communities under a division (NULL: all) on a date: totals by establishment, national-cadre share, men, education, rank, party members; share_pct of all community staff';
-- People in posts (R7.3, R7.4) and household visits (R12.2): every grid has a
-- grid leader post held by staff of the grid's community, every post an A
-- and a B who are never absent at the same time, and someone visits
-- households every day.

INSERT INTO sdbc.office (office, level, name_zh, name_en, builtin) VALUES
  ('grid_leader', 5, '网格长', 'grid leader', true);

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('visit.key_population.max_days', 'R12.2', 'days', 1, NULL,
   'longest a household with key population may go without a visit', '重点人口户走访最长间隔天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('visit.key_population.max_days', NULL, '2014-01-01', 7, true,
   'sdbc default: the paper asks for visits every day (每天有人入户走访) and names no interval for key population');

-- A and B never absent together (R7.3): a post written and an absence written
-- at the same time must see each other.  Both paths first take a transaction
-- advisory lock per staff member they write for (class key
-- hashtext('sdbc.absence_ab'), ascending staff_id), then update the rows of
-- sdbc.staff_absence_lock of everyone whose absences they compare (ascending
-- staff_id), and only then read.  At READ COMMITTED the second writer waits
-- and then sees the first one's row; at REPEATABLE READ, whose snapshot
-- cannot see it, the row update fails with a serialization failure (40001).
CREATE TABLE sdbc.staff_absence_lock (
  staff_id  bigint PRIMARY KEY,
  writes    bigint NOT NULL
);
COMMENT ON TABLE sdbc.staff_absence_lock IS
  'Internal: one row per staff member, updated by every write of an A/B post naming the person and every absence of the person or of one of their A/B partners, so that such writes queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ) instead of both passing the overlap check (R7.3)';
COMMENT ON COLUMN sdbc.staff_absence_lock.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.staff_absence_lock.writes IS 'post and absence writes that locked the person so far';

CREATE FUNCTION sdbc.staff_absence_lock(who bigint[]) RETURNS void
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
  INSERT INTO sdbc.staff_absence_lock AS l (staff_id, writes)
  SELECT DISTINCT u.id, 1 FROM unnest(who) u(id) WHERE u.id IS NOT NULL ORDER BY 1
  ON CONFLICT ON CONSTRAINT staff_absence_lock_pkey DO UPDATE SET writes = l.writes + 1;
END;
COMMENT ON FUNCTION sdbc.staff_absence_lock(bigint[]) IS
  'Internal: takes the row locks of the given staff members in sdbc.staff_absence_lock, in ascending staff_id, before A/B absences are compared (R7.3)';

-- Posts: A and B differ (R7.3); a grid leader post belongs to the grid's
-- community and is held by its staff (R7.4); A and B are not absent at
-- overlapping times.
CREATE FUNCTION sdbc.post_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  g sdbc.grid;
  who bigint;
BEGIN
  IF NEW.principal = NEW.backup THEN
    RAISE EXCEPTION USING ERRCODE = 'SD506',
      MESSAGE = format('staff %s cannot be both principal (A) and backup (B) of a post', NEW.principal),
      DETAIL = 'R7.3: every post has a principal and a backup, two different people.',
      HINT = 'Name another person as backup.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.post_post_id_seq', NEW.post_id) THEN
    RETURN NEW;   -- a restore: staff moves and absences may not be back yet
  END IF;
  IF NEW.office = 'grid_leader' AND NEW.grid_code IS NOT NULL THEN
    SELECT * INTO g FROM sdbc.grid WHERE grid_code = NEW.grid_code;
    IF FOUND AND g.community <> NEW.division THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('grid %s belongs to community %s, not %s', NEW.grid_code, g.community, NEW.division),
        DETAIL = 'R7.4: a grid leader post is a post of the grid''s community.',
        HINT = format('Set the post''s division to %s.', g.community);
    END IF;
    FOREACH who IN ARRAY ARRAY[NEW.principal, NEW.backup] LOOP
      IF sdbc.staff_division(who, CURRENT_DATE) IS DISTINCT FROM NEW.division THEN
        RAISE EXCEPTION USING ERRCODE = 'SD507',
          MESSAGE = format('staff %s does not serve community %s, the community of grid %s',
                           who, NEW.division, NEW.grid_code),
          DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
          HINT = 'Choose staff of that community, or record the person''s move there first (sdbc.staff_move).';
      END IF;
    END LOOP;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.principal <> OLD.principal OR NEW.backup <> OLD.backup THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (x.id % 2147483647)::integer)
       FROM (SELECT DISTINCT unnest(ARRAY[NEW.principal, NEW.backup]) AS id ORDER BY 1) x;
    PERFORM sdbc.staff_absence_lock(ARRAY[NEW.principal, NEW.backup]);
    -- (after the locks: an absence written at the same time is seen)
    -- B may not be made backup of an A whose absence, current, to come or
    -- open-ended, B recorded himself: he would act for A on it (SD516)
    SELECT a.absence_id INTO who FROM sdbc.absence a
     WHERE a.staff_id = NEW.principal AND a.recorded_by = NEW.backup
       AND (upper_inf(a.during) OR upper(a.during) > CURRENT_DATE)
     ORDER BY a.absence_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s recorded absence %s of staff %s and cannot be his backup (B) while it lasts',
                         NEW.backup, who, NEW.principal),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Name another backup, or let A, the street office or another colleague record the absence again.';
    END IF;
    IF EXISTS (SELECT 1 FROM sdbc.absence a JOIN sdbc.absence b ON a.during && b.during
                WHERE a.staff_id = NEW.principal AND b.staff_id = NEW.backup) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD508',
        MESSAGE = format('staff %s and %s are absent at overlapping times', NEW.principal, NEW.backup),
        DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time.',
        HINT = 'Choose a backup who is present whenever the principal is absent.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.post_check() IS
  'Trigger on sdbc.post: A and B differ (SD506, R7.3); B did not record a current or coming absence of A (SD516); a grid leader post is of the grid''s community and held by its staff (SD507, R7.4); A and B have no overlapping absences (SD508), serialised against absences written at the same time (advisory lock per person, sdbc.staff_absence_lock). A restored row gets only SD506';
CREATE TRIGGER post_check BEFORE INSERT OR UPDATE ON sdbc.post
  FOR EACH ROW EXECUTE FUNCTION sdbc.post_check();

-- Absences: lock the person (advisory), then the lock rows of the person and
-- of every A/B partner (ascending), then look for the partners' absences.
CREATE FUNCTION sdbc.absence_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  clash record;
  post_id bigint;
  recording boolean := TG_OP = 'INSERT' AND NOT sdbc.is_restored_row('sdbc.absence_absence_id_seq', NEW.absence_id);
BEGIN
  -- who records it: the login's own person (a restored row keeps its recorder)
  IF recording THEN
    IF NEW.recorded_by IS NULL THEN
      NEW.recorded_by := sdbc.my_staff_id();
    END IF;
    PERFORM sdbc.check_login_is('sdbc.absence', NEW.recorded_by, 'record an absence');
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (NEW.staff_id % 2147483647)::integer);
  PERFORM sdbc.staff_absence_lock(NEW.staff_id || ARRAY(
            SELECT CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END
              FROM sdbc.post p WHERE p.principal = NEW.staff_id OR p.backup = NEW.staff_id));

  -- (after the locks: a post written at the same time is seen) not A's
  -- backup, who would then act for A (R7.3)
  IF recording AND NEW.recorded_by IS NOT NULL THEN
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.principal = NEW.staff_id AND p.backup = NEW.recorded_by ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s is the backup (B) of staff %s on post %s and cannot record his absence',
                         NEW.recorded_by, NEW.staff_id, post_id),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Let A, the street office or another colleague record the absence.';
    END IF;
  END IF;

  SELECT p.post_id, p.office, p.division,
         CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END AS partner,
         a.during
    INTO clash
    FROM sdbc.post p
    JOIN sdbc.absence a ON a.staff_id = CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END
   WHERE (p.principal = NEW.staff_id OR p.backup = NEW.staff_id)
     AND a.during && NEW.during
     AND a.absence_id <> NEW.absence_id
   ORDER BY p.post_id, lower(a.during)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD508',
      MESSAGE = format('staff %s would be absent %s while staff %s, the other of post %s (%s, %s), is absent %s',
                       NEW.staff_id, NEW.during, clash.partner, clash.post_id, clash.office, clash.division, clash.during),
      DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time, so that one of them is always on post.',
      HINT = 'Move one of the absences, or name another backup for the post first.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.absence_check() IS
  'Trigger on sdbc.absence: the recorder is the login''s own staff member (SD317, SD318) and not the backup (B) of the absent principal (SD516); locks the person and their A/B partners (advisory lock, sdbc.staff_absence_lock) and refuses an absence that overlaps one of a partner''s (SD508, R7.3)';
CREATE TRIGGER absence_check BEFORE INSERT OR UPDATE OF staff_id, during ON sdbc.absence
  FOR EACH ROW EXECUTE FUNCTION sdbc.absence_check();

-- Who holds each post on a day: A, or B acting for A while A is absent (R7.3).
CREATE FUNCTION sdbc.post_holder(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (post_id bigint, office text, division sdbc.divcode, grid_code bigint,
                 principal bigint, backup bigint, principal_absent boolean, holder bigint)
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT p.post_id, p.office, p.division, p.grid_code, p.principal, p.backup, x.absent,
         CASE WHEN x.absent THEN p.backup ELSE p.principal END
    FROM sdbc.post p,
         LATERAL (SELECT EXISTS (SELECT 1 FROM sdbc.absence a
                                  WHERE a.staff_id = p.principal AND a.during @> on_date) AS absent) x
   ORDER BY p.post_id;
END;
COMMENT ON FUNCTION sdbc.post_holder(date) IS
  'Every post on a date with the person holding it: the principal (A), or the backup (B) acting for A while A is absent (R7.3; the approval engine records such acts as acting_for)';

CREATE VIEW sdbc.grid_without_leader AS
  SELECT g.grid_code, g.community, g.name
    FROM sdbc.grid g
   WHERE g.valid_to IS NULL
     AND NOT EXISTS (SELECT 1 FROM sdbc.post p WHERE p.grid_code = g.grid_code);
COMMENT ON VIEW sdbc.grid_without_leader IS 'Live grids with no grid leader post 网格长 (R7.3, R7.4: every grid has one, with A and B)';
COMMENT ON COLUMN sdbc.grid_without_leader.grid_code IS 'grid code 网格编码';
COMMENT ON COLUMN sdbc.grid_without_leader.community IS 'community 社区';
COMMENT ON COLUMN sdbc.grid_without_leader.name IS 'grid name';

-- Household visits 入户走访 (R12.2).
CREATE TABLE sdbc.household_visit (
  visit_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id  bigint NOT NULL REFERENCES sdbc.household (household_id),
  staff_id      bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  visited_on    date NOT NULL,
  note          text
);
COMMENT ON TABLE sdbc.household_visit IS
  'Household visits 入户走访 (R12.2): a staff member of the household''s community visits it on a day; never in the future';
COMMENT ON COLUMN sdbc.household_visit.visit_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.household_visit.household_id IS 'household visited 户';
COMMENT ON COLUMN sdbc.household_visit.staff_id IS 'who visited 走访人';
COMMENT ON COLUMN sdbc.household_visit.visited_on IS 'day of the visit 走访日期';
COMMENT ON COLUMN sdbc.household_visit.note IS 'what was found 走访情况';
CREATE INDEX household_visit_household_idx ON sdbc.household_visit (household_id, visited_on);
CREATE INDEX household_visit_day_idx ON sdbc.household_visit (visited_on);
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_visit', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_visit_visit_id_seq', '');

CREATE FUNCTION sdbc.household_visit_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  community sdbc.divcode;
BEGIN
  IF NEW.visited_on > CURRENT_DATE THEN
    RAISE EXCEPTION USING ERRCODE = 'SD509',
      MESSAGE = format('a visit dated %s lies in the future', NEW.visited_on),
      DETAIL = 'R12.2: a visit is recorded after it took place.',
      HINT = 'Record the visit on the day it happened, or later.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.household_visit_visit_id_seq', NEW.visit_id) THEN
    RETURN NEW;   -- a restore: the staff's moves may not be back yet
  END IF;
  -- a visit is recorded by the login of the person who made it (R12.2)
  PERFORM sdbc.check_login_is('sdbc.household_visit', NEW.staff_id, 'record a visit');
  SELECT h.community INTO community FROM sdbc.household h WHERE h.household_id = NEW.household_id;
  IF FOUND AND sdbc.staff_division(NEW.staff_id, NEW.visited_on) IS DISTINCT FROM community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD510',
      MESSAGE = format('staff %s did not serve community %s on %s', NEW.staff_id, community, NEW.visited_on),
      DETAIL = 'R12.2, R7.4: households are visited by the staff of their own community (people into the grid).',
      HINT = 'Record the visit under a staff member of the household''s community.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.household_visit_check() IS
  'Trigger on sdbc.household_visit: not in the future (SD509, also for a restored row), recorded by the visitor''s own login (SD317, SD318), by staff of the household''s community on that day (SD510)';
CREATE TRIGGER household_visit_check BEFORE INSERT OR UPDATE ON sdbc.household_visit
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_visit_check();

-- Grids where no household was visited on a day (R12.2).
CREATE FUNCTION sdbc.grid_not_visited(on_date date, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (grid_code bigint, community sdbc.divcode, households bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT g.grid_code, g.community, count(h.household_id)
    FROM sdbc.grid g
    JOIN sdbc.building b ON b.grid_code = g.grid_code
    JOIN sdbc.household h ON h.building_id = b.building_id
   WHERE g.valid_from <= on_date AND (g.valid_to IS NULL OR g.valid_to > on_date)
     AND (under IS NULL OR g.community OPERATOR(sdbc.<@) under)
     AND NOT EXISTS (SELECT 1 FROM sdbc.household_visit v
                       JOIN sdbc.household h2 ON h2.household_id = v.household_id
                       JOIN sdbc.building b2 ON b2.building_id = h2.building_id
                      WHERE v.visited_on = on_date AND b2.grid_code = g.grid_code)
   GROUP BY g.grid_code, g.community
   ORDER BY g.grid_code;
END;
COMMENT ON FUNCTION sdbc.grid_not_visited(date, sdbc.divcode) IS
  'Live grids with households (under a division; NULL: all) where no household was visited on the day (R12.2: someone visits households every day)';

-- Households with key population not visited within the policy interval (R12.1, R12.2).
CREATE FUNCTION sdbc.key_household_unvisited(on_date date DEFAULT CURRENT_DATE, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (household_id bigint, community sdbc.divcode, grid_code bigint, last_visit date, max_days numeric)
  LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
  SELECT h.household_id, h.community, b.grid_code, lv.last_visit,
         sdbc.policy_value('visit.key_population.max_days', h.community, on_date)
    FROM sdbc.household h
    JOIN sdbc.building b ON b.building_id = h.building_id
    LEFT JOIN LATERAL (SELECT max(v.visited_on) AS last_visit FROM sdbc.household_visit v
                        WHERE v.household_id = h.household_id AND v.visited_on <= on_date) lv ON true
   WHERE EXISTS (SELECT 1 FROM sdbc.resident r WHERE r.household_id = h.household_id AND r.key_population)
     AND (under IS NULL OR h.community OPERATOR(sdbc.<@) under)
     AND (lv.last_visit IS NULL
          OR on_date - lv.last_visit > sdbc.policy_value('visit.key_population.max_days', h.community, on_date))
   ORDER BY h.household_id;
END;
COMMENT ON FUNCTION sdbc.key_household_unvisited(date, sdbc.divcode) IS
  'Households with key population 重点人口 (R12.1) whose last visit up to the date is older than policy visit.key_population.max_days, or who were never visited (R12.2)';
-- Duty and safety (R8.1, R12.3) and party organisation by area (R6.1).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('drill.monthly.min', 'R12.3', 'count', 0, NULL,
   'fewest emergency drills a community holds in a calendar month', '社区每月应急演练最少次数', true),
  ('joint_defence.group.shops', 'R12.3', 'count', 2, NULL,
   'shop-front units in a full joint-defence group', '十铺联防每组商铺数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('drill.monthly.min',         NULL, '2014-01-01', 1,  true, 'paper: a joint drill every month (R12.3)'),
  ('joint_defence.group.shops', NULL, '2014-01-01', 10, true, 'paper: 十铺联防, ten shops (R12.3)');

-- ---------------------------------------------------------------- duty (R8.1)
CREATE TABLE sdbc.duty_shift (
  shift_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community  sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  staff_id   bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  during     tsrange NOT NULL CONSTRAINT duty_shift_bounded
               CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
  kind       text NOT NULL DEFAULT 'inside' CONSTRAINT duty_shift_kind_known CHECK (kind IN ('inside', 'outside')),
  CONSTRAINT duty_shift_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.duty_shift IS
  'Duty roster 值班表 of a community (R8.1: 24-hour duty; R12.2: inside and outside duty); shifts in local time';
COMMENT ON COLUMN sdbc.duty_shift.shift_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.duty_shift.community IS 'community 社区';
COMMENT ON COLUMN sdbc.duty_shift.staff_id IS 'who is on duty 值班人';
COMMENT ON COLUMN sdbc.duty_shift.during IS 'the shift, local time (timestamp range)';
COMMENT ON COLUMN sdbc.duty_shift.kind IS 'inside 内勤 (at the hall) or outside 外勤 (in the grids)';
CREATE INDEX duty_shift_community_idx ON sdbc.duty_shift (community);
SELECT pg_catalog.pg_extension_config_dump('sdbc.duty_shift', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.duty_shift_shift_id_seq', '');

CREATE FUNCTION sdbc.duty_shift_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
BEGIN
  IF sdbc.staff_division(NEW.staff_id, lower(NEW.during)::date) IS DISTINCT FROM NEW.community
     AND NOT (TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.duty_shift_shift_id_seq', NEW.shift_id)) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD511',
      MESSAGE = format('staff %s does not serve community %s on %s', NEW.staff_id, NEW.community, lower(NEW.during)::date),
      DETAIL = 'R8.1: a community''s duty is kept by its own staff.',
      HINT = 'Put a staff member of the community on the roster.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.duty_shift_check() IS 'Trigger on sdbc.duty_shift: the person serves the community when the shift begins (SD511, R8.1)';
CREATE TRIGGER duty_shift_check BEFORE INSERT OR UPDATE ON sdbc.duty_shift
  FOR EACH ROW EXECUTE FUNCTION sdbc.duty_shift_check();

CREATE FUNCTION sdbc.duty_gaps(community sdbc.divcode, week_start date)
  RETURNS TABLE (gap_from timestamp, gap_to timestamp, hours numeric)
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT lower(g), upper(g), round((extract(epoch FROM upper(g) - lower(g)) / 3600)::numeric, 2)
    FROM unnest(tsmultirange(tsrange(week_start::timestamp, (week_start + 7)::timestamp))
                - coalesce((SELECT range_agg(s.during) FROM sdbc.duty_shift s
                             WHERE s.community OPERATOR(sdbc.=) duty_gaps.community
                               AND s.during && tsrange(week_start::timestamp, (week_start + 7)::timestamp)),
                           '{}'::tsmultirange)) g
   ORDER BY 1;
END;
COMMENT ON FUNCTION sdbc.duty_gaps(sdbc.divcode, date) IS
  'Times of the 7 days from week_start when nobody of the community is on duty (R8.1: 24-hour duty); no rows = covered';

CREATE FUNCTION sdbc.duty_week_report(week_start date, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (community sdbc.divcode, shifts bigint, gaps bigint, uncovered_hours numeric, covered boolean)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT c.code, (SELECT count(*) FROM sdbc.duty_shift s WHERE s.community OPERATOR(sdbc.=) c.code
                     AND s.during && tsrange(week_start::timestamp, (week_start + 7)::timestamp)),
         count(g.gap_from), coalesce(sum(g.hours), 0), count(g.gap_from) = 0
    FROM (SELECT s.community AS code FROM sdbc.duty_shift s
           WHERE under IS NULL OR s.community OPERATOR(sdbc.<@) under
          UNION
          SELECT g.community FROM sdbc.grid g
           WHERE g.valid_from < week_start + 7 AND (g.valid_to IS NULL OR g.valid_to > week_start)
             AND (under IS NULL OR g.community OPERATOR(sdbc.<@) under)) c
    LEFT JOIN LATERAL sdbc.duty_gaps(c.code, week_start) g ON true
   GROUP BY c.code ORDER BY c.code;
END;
COMMENT ON FUNCTION sdbc.duty_week_report(date, sdbc.divcode) IS
  'For every community with a grid live during the week or a duty roster (under a division; NULL: all): shifts, gaps and uncovered hours in the week from week_start (R8.1); a community with no shift at all shows 168 uncovered hours';

-- ---------------------------------------------------------------- safety (R12.3)
CREATE TABLE sdbc.squad_member (
  community  sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  name       text NOT NULL CONSTRAINT squad_member_name_not_blank CHECK (btrim(name) <> ''),
  staff_id   bigint REFERENCES sdbc.staff (staff_id),
  role       text NOT NULL DEFAULT 'member',
  joined_on  date NOT NULL,
  left_on    date,
  PRIMARY KEY (community, name, joined_on),
  CONSTRAINT squad_member_period CHECK (left_on IS NULL OR left_on > joined_on),
  CONSTRAINT squad_member_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.squad_member IS
  'Members of a community''s emergency squad 应急小分队 (R12.3): staff, security guards, militia';
COMMENT ON COLUMN sdbc.squad_member.community IS 'community 社区';
COMMENT ON COLUMN sdbc.squad_member.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.squad_member.staff_id IS 'the staff member, when the person is one; NULL for security guards and militia';
COMMENT ON COLUMN sdbc.squad_member.role IS 'role 职责, e.g. leader 队长, member 队员';
COMMENT ON COLUMN sdbc.squad_member.joined_on IS 'first day in the squad';
COMMENT ON COLUMN sdbc.squad_member.left_on IS 'first day no longer in it; NULL while a member';
SELECT pg_catalog.pg_extension_config_dump('sdbc.squad_member', '');

CREATE TABLE sdbc.drill (
  drill_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  held_on       date NOT NULL,
  kind          text NOT NULL,
  participants  integer NOT NULL CONSTRAINT drill_participants_positive CHECK (participants > 0),
  CONSTRAINT drill_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.drill IS 'Emergency drills 应急演练 of a community (R12.3: a joint drill every month)';
COMMENT ON COLUMN sdbc.drill.drill_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.drill.community IS 'community 社区';
COMMENT ON COLUMN sdbc.drill.held_on IS 'day held';
COMMENT ON COLUMN sdbc.drill.kind IS 'kind 演练科目, e.g. fire 消防, riot 处突';
COMMENT ON COLUMN sdbc.drill.participants IS 'people taking part';
CREATE INDEX drill_community_idx ON sdbc.drill (community, held_on);
SELECT pg_catalog.pg_extension_config_dump('sdbc.drill', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.drill_drill_id_seq', '');

CREATE FUNCTION sdbc.drill_missed(month date, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (community sdbc.divcode, name text, squad_members bigint, drills bigint, required numeric)
  LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
  SELECT d.code, d.name,
         (SELECT count(*) FROM sdbc.squad_member m WHERE m.community OPERATOR(sdbc.=) d.code
             AND m.joined_on < (date_trunc('month', month) + interval '1 month')::date
             AND (m.left_on IS NULL OR m.left_on > date_trunc('month', month)::date)),
         x.drills, x.required
    FROM sdbc.division d,
         LATERAL (SELECT (SELECT count(*) FROM sdbc.drill r WHERE r.community OPERATOR(sdbc.=) d.code
                             AND r.held_on >= date_trunc('month', month)::date
                             AND r.held_on < (date_trunc('month', month) + interval '1 month')::date) AS drills,
                         sdbc.policy_value('drill.monthly.min', d.code, date_trunc('month', month)::date) AS required) x
   WHERE d.kind = 'residents_committee'
     AND (under IS NULL OR d.code OPERATOR(sdbc.<@) under)
     AND (EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.community OPERATOR(sdbc.=) d.code AND g.valid_to IS NULL)
          OR EXISTS (SELECT 1 FROM sdbc.squad_member m WHERE m.community OPERATOR(sdbc.=) d.code))
     AND x.drills < x.required
   ORDER BY d.code;
END;
COMMENT ON FUNCTION sdbc.drill_missed(date, sdbc.divcode) IS
  'Communities (with live grids or an emergency squad, under a division; NULL: all) that held fewer drills in the month than policy drill.monthly.min (R12.3), with their squad size';

CREATE TABLE sdbc.joint_defence_group (
  group_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community  sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  name       text NOT NULL CONSTRAINT joint_defence_group_name_not_blank CHECK (btrim(name) <> ''),
  CONSTRAINT joint_defence_group_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee'),
  UNIQUE (community, name)
);
COMMENT ON TABLE sdbc.joint_defence_group IS '"Ten-shop joint defence" groups 十铺联防 along a community''s shop fronts (R12.3)';
COMMENT ON COLUMN sdbc.joint_defence_group.group_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.joint_defence_group.community IS 'community 社区';
COMMENT ON COLUMN sdbc.joint_defence_group.name IS 'name 名称, e.g. the street it covers';

CREATE TABLE sdbc.joint_defence_shop (
  shop_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  group_id     bigint NOT NULL REFERENCES sdbc.joint_defence_group (group_id),
  name         text NOT NULL CONSTRAINT joint_defence_shop_name_not_blank CHECK (btrim(name) <> ''),
  address      text,
  building_id  bigint REFERENCES sdbc.building (building_id)
);
COMMENT ON TABLE sdbc.joint_defence_shop IS 'Shop-front units 商铺 in a joint-defence group (R12.3)';
COMMENT ON COLUMN sdbc.joint_defence_shop.shop_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.joint_defence_shop.group_id IS 'group 联防组';
COMMENT ON COLUMN sdbc.joint_defence_shop.name IS 'shop name 商铺名称';
COMMENT ON COLUMN sdbc.joint_defence_shop.address IS 'address 地址';
COMMENT ON COLUMN sdbc.joint_defence_shop.building_id IS 'building 楼栋 the shop is in, when registered';
CREATE INDEX joint_defence_shop_group_idx ON sdbc.joint_defence_shop (group_id);
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_group', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_group_group_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_shop', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_shop_shop_id_seq', '');

CREATE VIEW sdbc.joint_defence_group_size AS
  SELECT g.group_id, g.community, g.name, count(s.shop_id) AS shops,
         sdbc.policy_value('joint_defence.group.shops', g.community, CURRENT_DATE) AS target,
         count(s.shop_id) >= sdbc.policy_value('joint_defence.group.shops', g.community, CURRENT_DATE) AS complete
    FROM sdbc.joint_defence_group g LEFT JOIN sdbc.joint_defence_shop s USING (group_id)
   GROUP BY g.group_id, g.community, g.name;
COMMENT ON VIEW sdbc.joint_defence_group_size IS 'Joint-defence groups with their number of shops against policy joint_defence.group.shops (R12.3)';
COMMENT ON COLUMN sdbc.joint_defence_group_size.group_id IS 'group';
COMMENT ON COLUMN sdbc.joint_defence_group_size.community IS 'community 社区';
COMMENT ON COLUMN sdbc.joint_defence_group_size.name IS 'group name';
COMMENT ON COLUMN sdbc.joint_defence_group_size.shops IS 'shops in the group';
COMMENT ON COLUMN sdbc.joint_defence_group_size.target IS 'shops a full group has (policy)';
COMMENT ON COLUMN sdbc.joint_defence_group_size.complete IS 'true when the group has at least the target';

-- ---------------------------------------------------------------- party (R6.1)
CREATE TABLE sdbc.party_committee (
  committee_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community     sdbc.divcode NOT NULL UNIQUE REFERENCES sdbc.division (code),
  name          text NOT NULL CONSTRAINT party_committee_name_not_blank CHECK (btrim(name) <> ''),
  founded_on    date,
  CONSTRAINT party_committee_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.party_committee IS 'Community big party committees 社区大党委 (R6.1), one per community at most';
COMMENT ON COLUMN sdbc.party_committee.committee_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.party_committee.community IS 'community 社区';
COMMENT ON COLUMN sdbc.party_committee.name IS 'name 名称';
COMMENT ON COLUMN sdbc.party_committee.founded_on IS 'day founded 成立日期';

CREATE TABLE sdbc.party_member_unit (
  committee_id  bigint NOT NULL REFERENCES sdbc.party_committee (committee_id),
  unit_name     text NOT NULL CONSTRAINT party_member_unit_name_not_blank CHECK (btrim(unit_name) <> ''),
  PRIMARY KEY (committee_id, unit_name)
);
COMMENT ON TABLE sdbc.party_member_unit IS 'Units of the jurisdiction 辖区单位 that are members of a big party committee (R6.1: units pair up with communities)';
COMMENT ON COLUMN sdbc.party_member_unit.committee_id IS 'big party committee';
COMMENT ON COLUMN sdbc.party_member_unit.unit_name IS 'unit 单位名称 (school, hospital, company …)';

CREATE TABLE sdbc.party_branch (
  branch_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  committee_id  bigint NOT NULL REFERENCES sdbc.party_committee (committee_id),
  grid_code     bigint NOT NULL UNIQUE REFERENCES sdbc.grid (grid_code),
  name          text NOT NULL CONSTRAINT party_branch_name_not_blank CHECK (btrim(name) <> '')
);
COMMENT ON TABLE sdbc.party_branch IS 'Grid party branches 网格党支部 (R6.1): one per grid at most, under the big committee of the grid''s community';
COMMENT ON COLUMN sdbc.party_branch.branch_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.party_branch.committee_id IS 'big party committee above it';
COMMENT ON COLUMN sdbc.party_branch.grid_code IS 'grid 网格 it covers';
COMMENT ON COLUMN sdbc.party_branch.name IS 'name 名称';
CREATE INDEX party_branch_committee_idx ON sdbc.party_branch (committee_id);

CREATE TABLE sdbc.party_group (
  group_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  branch_id    bigint NOT NULL REFERENCES sdbc.party_branch (branch_id),
  building_id  bigint NOT NULL UNIQUE REFERENCES sdbc.building (building_id),
  name         text NOT NULL CONSTRAINT party_group_name_not_blank CHECK (btrim(name) <> '')
);
COMMENT ON TABLE sdbc.party_group IS 'Building party groups 楼栋党小组 (R6.1): one per building at most, under the branch of the building''s grid';
COMMENT ON COLUMN sdbc.party_group.group_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.party_group.branch_id IS 'grid party branch above it';
COMMENT ON COLUMN sdbc.party_group.building_id IS 'building 楼栋 it covers';
COMMENT ON COLUMN sdbc.party_group.name IS 'name 名称';
CREATE INDEX party_group_branch_idx ON sdbc.party_group (branch_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.party_committee', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_committee_committee_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_member_unit', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_branch', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_branch_branch_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_group', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_group_group_id_seq', '');

CREATE FUNCTION sdbc.party_branch_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  grid_community sdbc.divcode;
  committee_community sdbc.divcode;
BEGIN
  SELECT g.community INTO grid_community FROM sdbc.grid g WHERE g.grid_code = NEW.grid_code;
  SELECT c.community INTO committee_community FROM sdbc.party_committee c WHERE c.committee_id = NEW.committee_id;
  IF grid_community IS NOT NULL AND committee_community IS NOT NULL AND grid_community <> committee_community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD512',
      MESSAGE = format('grid %s belongs to community %s, not to %s of the party committee',
                       NEW.grid_code, grid_community, committee_community),
      DETAIL = 'R6.1: a grid party branch stands under the big party committee of its grid''s community.',
      HINT = 'Attach the branch to the committee of the grid''s community.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.party_branch_check() IS 'Trigger on sdbc.party_branch: the grid belongs to the committee''s community (SD512, R6.1)';
CREATE TRIGGER party_branch_check BEFORE INSERT OR UPDATE ON sdbc.party_branch
  FOR EACH ROW EXECUTE FUNCTION sdbc.party_branch_check();

-- A committee with branches keeps its community: the branches' grids are
-- the community's (R6.1).
CREATE FUNCTION sdbc.party_committee_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  IF NEW.community <> OLD.community THEN
    SELECT count(*) INTO n FROM sdbc.party_branch b WHERE b.committee_id = OLD.committee_id;
    IF n > 0 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD512',
        MESSAGE = format('party committee %s has %s grid party branches in community %s and cannot move to %s',
                         OLD.committee_id, n, OLD.community, NEW.community),
        DETAIL = 'R6.1: a grid party branch stands under the big party committee of its grid''s community.',
        HINT = 'Attach the branches to another committee of their community first, or found a new committee for the other community.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.party_committee_check() IS
  'Trigger on sdbc.party_committee: a committee with grid party branches keeps its community (SD512, R6.1)';
CREATE TRIGGER party_committee_check BEFORE UPDATE OF community ON sdbc.party_committee
  FOR EACH ROW EXECUTE FUNCTION sdbc.party_committee_check();

CREATE FUNCTION sdbc.party_group_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  building_grid bigint;
  branch_grid bigint;
BEGIN
  SELECT b.grid_code INTO building_grid FROM sdbc.building b WHERE b.building_id = NEW.building_id;
  SELECT p.grid_code INTO branch_grid FROM sdbc.party_branch p WHERE p.branch_id = NEW.branch_id;
  IF FOUND AND building_grid IS DISTINCT FROM branch_grid THEN
    RAISE EXCEPTION USING ERRCODE = 'SD513',
      MESSAGE = format('building %s lies in grid %s, not in grid %s of the branch',
                       NEW.building_id, coalesce(building_grid::text, 'none'), branch_grid),
      DETAIL = 'R6.1: a building party group stands under the party branch of the building''s grid.',
      HINT = 'Attach the group to the branch of the building''s grid.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.party_group_check() IS 'Trigger on sdbc.party_group: the building lies in the branch''s grid (SD513, R6.1)';
CREATE TRIGGER party_group_check BEFORE INSERT OR UPDATE ON sdbc.party_group
  FOR EACH ROW EXECUTE FUNCTION sdbc.party_group_check();

CREATE VIEW sdbc.party_group_misplaced AS
  SELECT pg.group_id, pg.building_id, b.grid_code AS building_grid, br.grid_code AS branch_grid
    FROM sdbc.party_group pg
    JOIN sdbc.party_branch br USING (branch_id)
    JOIN sdbc.building b USING (building_id)
   WHERE b.grid_code IS DISTINCT FROM br.grid_code;
COMMENT ON VIEW sdbc.party_group_misplaced IS 'Party groups whose building no longer lies in their branch''s grid (after a redraw; R6.1)';
COMMENT ON COLUMN sdbc.party_group_misplaced.group_id IS 'party group';
COMMENT ON COLUMN sdbc.party_group_misplaced.building_id IS 'its building';
COMMENT ON COLUMN sdbc.party_group_misplaced.building_grid IS 'grid the building lies in now';
COMMENT ON COLUMN sdbc.party_group_misplaced.branch_grid IS 'grid of the group''s branch';

CREATE VIEW sdbc.party_by_community AS
  SELECT c.community, d.name, c.committee_id,
         (SELECT count(*) FROM sdbc.party_member_unit u WHERE u.committee_id = c.committee_id) AS member_units,
         (SELECT count(*) FROM sdbc.party_branch b WHERE b.committee_id = c.committee_id) AS branches,
         (SELECT count(*) FROM sdbc.party_branch b JOIN sdbc.party_group g USING (branch_id)
           WHERE b.committee_id = c.committee_id) AS groups
    FROM sdbc.party_committee c JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) c.community;
COMMENT ON VIEW sdbc.party_by_community IS 'Per community: its big party committee, member units, grid branches and building groups (R6.1)';
COMMENT ON COLUMN sdbc.party_by_community.community IS 'community 社区';
COMMENT ON COLUMN sdbc.party_by_community.name IS 'community name';
COMMENT ON COLUMN sdbc.party_by_community.committee_id IS 'big party committee 大党委';
COMMENT ON COLUMN sdbc.party_by_community.member_units IS 'member units 成员单位';
COMMENT ON COLUMN sdbc.party_by_community.branches IS 'grid party branches 网格党支部';
COMMENT ON COLUMN sdbc.party_by_community.groups IS 'building party groups 楼栋党小组';

CREATE FUNCTION sdbc.party_totals(under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (committees bigint, branches bigint, groups bigint, member_units bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*), coalesce(sum(p.branches), 0)::bigint, coalesce(sum(p.groups), 0)::bigint,
         coalesce(sum(p.member_units), 0)::bigint
    FROM sdbc.party_by_community p
   WHERE under IS NULL OR p.community OPERATOR(sdbc.<@) under;
END;
COMMENT ON FUNCTION sdbc.party_totals(sdbc.divcode) IS
  'Big party committees, grid branches, building groups and member units under a division, e.g. the prefecture (NULL: all) (R6.1; the paper counts 76, 282, 553)';
-- Evaluation (R5): communities are evaluated on behalf of their street
-- (R5.1) by the "3+1" model (R5.3); a street's year-end grade is 90 % its
-- communities' average and 10 % its own score (R5.2); communities rate the
-- county departments that assigned them tasks (R5.4).  Only the parts are
-- stored: composites, grades and ranks are computed from them when read, by
-- the C kernel src/evaluation_kernel.c, so no total can be stale.

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('evaluation.weight.indicator', 'R5.3', 'weight', 0, 1,
   'weight of the indicator score 指标考评 in a community''s composite (the three weights sum to 1)', '社区综合考评中指标考评权重', true),
  ('evaluation.weight.satisfaction', 'R5.3', 'weight', 0, 1,
   'weight of the public satisfaction survey 公众满意度测评 in a community''s composite', '社区综合考评中公众满意度测评权重', true),
  ('evaluation.weight.leadership', 'R5.3', 'weight', 0, 1,
   'weight of the leadership rating 领导评价 in a community''s composite', '社区综合考评中领导评价权重', true),
  ('evaluation.scale.max', 'R5.3', 'points', 1, 1000,
   'top of the scale of the indicator score, satisfaction survey, leadership rating and a street''s own score (each from 0)', '考评各项得分满分', true),
  ('evaluation.merit.max', 'R5.3', 'points', 0, 1000,
   'most merit (bonus) points 绩优加分 a community may get in a period', '绩优加分上限', true),
  ('evaluation.error.max', 'R5.3', 'points', 0, 1000,
   'most error (penalty) points 绩误减分 a community may lose in a period', '绩误减分上限', true),
  ('street_grade.band.excellent', 'R5.2', 'points', 0, 1000,
   'lowest grade score of the band excellent 优秀', '考评等次“优秀”最低分', true),
  ('street_grade.band.good', 'R5.2', 'points', 0, 1000,
   'lowest grade score of the band good 良好', '考评等次“良好”最低分', true),
  ('street_grade.band.pass', 'R5.2', 'points', 0, 1000,
   'lowest grade score of the band pass 合格 (below: fail 不合格)', '考评等次“合格”最低分', true),
  ('reverse_evaluation.scale.max', 'R5.4', 'points', 1, 1000,
   'top of the scale on which a community rates a county department (from 0)', '社区反向考评县直部门满分', true);

INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('evaluation.weight.indicator',    NULL, '2014-01-01', 0.60, true, 'sdbc''s default, not in the paper: the paper names the "3+1" parts, not their weights (R5.3)'),
  ('evaluation.weight.satisfaction', NULL, '2014-01-01', 0.20, true, 'sdbc''s default, not in the paper (R5.3)'),
  ('evaluation.weight.leadership',   NULL, '2014-01-01', 0.20, true, 'sdbc''s default, not in the paper (R5.3)'),
  ('evaluation.scale.max',           NULL, '2014-01-01', 100,  true, 'sdbc''s default: the usual hundred-point scale (R5.3)'),
  ('evaluation.merit.max',           NULL, '2014-01-01', 5,    true, 'sdbc''s default, not in the paper: cap of the "+1" bonus (R5.3)'),
  ('evaluation.error.max',           NULL, '2014-01-01', 5,    true, 'sdbc''s default, not in the paper: cap of the "+1" penalty (R5.3)'),
  ('street_grade.band.excellent',    NULL, '2014-01-01', 90,   true, 'sdbc''s default, not in the paper: the usual bands 优秀/良好/合格/不合格 (R5.2)'),
  ('street_grade.band.good',         NULL, '2014-01-01', 80,   true, 'sdbc''s default, not in the paper (R5.2)'),
  ('street_grade.band.pass',         NULL, '2014-01-01', 60,   true, 'sdbc''s default, not in the paper (R5.2)'),
  ('reverse_evaluation.scale.max',   NULL, '2014-01-01', 100,  true, 'sdbc''s default: hundred-point scale (R5.4)');

-- Policy rows that belong together: weights that sum to 1 and bands that
-- descend.  Checked at commit (a user overrides a group in one transaction)
-- for the division and day of every changed row, with an uncached lookup
-- (the policy cache reloads only after commit).
CREATE FUNCTION sdbc.policy_in_force_uncached(key text, division sdbc.divcode, on_date date)
  RETURNS numeric LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT p.value FROM sdbc.policy p
   WHERE p.key = policy_in_force_uncached.key AND p.valid_from <= on_date
     AND (p.division IS NULL OR (policy_in_force_uncached.division IS NOT NULL
                                 AND policy_in_force_uncached.division OPERATOR(sdbc.<@) p.division))
   ORDER BY sdbc.divcode_level(p.division) DESC NULLS LAST, p.valid_from DESC
   LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.policy_in_force_uncached(text, sdbc.divcode, date) IS
  'The policy value in force as sdbc.policy_value() finds it, read from the table (not the cache): for checks inside the writing transaction';

CREATE FUNCTION sdbc.policy_group_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  a numeric; b numeric; c numeric;
BEGIN
  IF r.key IN ('evaluation.weight.indicator', 'evaluation.weight.satisfaction', 'evaluation.weight.leadership') THEN
    a := sdbc.policy_in_force_uncached('evaluation.weight.indicator', r.division, r.valid_from);
    b := sdbc.policy_in_force_uncached('evaluation.weight.satisfaction', r.division, r.valid_from);
    c := sdbc.policy_in_force_uncached('evaluation.weight.leadership', r.division, r.valid_from);
    IF a + b + c <> 1 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD606',
        MESSAGE = format('the "3+1" weights in force for %s from %s sum to %s, not 1',
                         coalesce(r.division::text, 'everywhere'), r.valid_from, a + b + c),
        DETAIL = format('Rule R5.3: evaluation.weight.indicator + .satisfaction + .leadership = %s + %s + %s.', a, b, c),
        HINT = 'Override the three weights together, in one transaction, so that they sum to 1.';
    END IF;
  ELSIF r.key IN ('street_grade.community_weight', 'street_grade.street_weight') THEN
    a := sdbc.policy_in_force_uncached('street_grade.community_weight', r.division, r.valid_from);
    b := sdbc.policy_in_force_uncached('street_grade.street_weight', r.division, r.valid_from);
    IF a + b <> 1 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD606',
        MESSAGE = format('the street grade weights in force for %s from %s sum to %s, not 1',
                         coalesce(r.division::text, 'everywhere'), r.valid_from, a + b),
        DETAIL = format('Rule R5.2: street_grade.community_weight + street_grade.street_weight = %s + %s.', a, b),
        HINT = 'Override both weights together, in one transaction, so that they sum to 1 (the paper: 0.9 and 0.1).';
    END IF;
  ELSIF r.key IN ('street_grade.band.excellent', 'street_grade.band.good', 'street_grade.band.pass') THEN
    a := sdbc.policy_in_force_uncached('street_grade.band.excellent', r.division, r.valid_from);
    b := sdbc.policy_in_force_uncached('street_grade.band.good', r.division, r.valid_from);
    c := sdbc.policy_in_force_uncached('street_grade.band.pass', r.division, r.valid_from);
    IF NOT (a >= b AND b >= c) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD607',
        MESSAGE = format('the grade bands in force for %s from %s do not descend', coalesce(r.division::text, 'everywhere'), r.valid_from),
        DETAIL = format('Rule R5.2: street_grade.band.excellent ≥ .good ≥ .pass, here %s, %s, %s.', a, b, c),
        HINT = 'Override the bands together, in one transaction, so that excellent ≥ good ≥ pass.';
    END IF;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.policy_group_check() IS
  'Constraint trigger on sdbc.policy, at commit: the "3+1" weights (R5.3) and the street grade weights (R5.2) in force sum to 1 (SD606), the grade bands descend (SD607), for the division and day of each changed row';
CREATE CONSTRAINT TRIGGER policy_group_check AFTER INSERT OR UPDATE OR DELETE ON sdbc.policy
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sdbc.policy_group_check();

-- The kernel's SQL entry points (src/evaluation.c).
CREATE FUNCTION sdbc.evaluation_composite(community sdbc.divcode, on_date date, indicator numeric,
                                          satisfaction numeric, leadership numeric, merit numeric, error numeric)
  RETURNS numeric AS 'MODULE_PATHNAME', 'evaluation_composite_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.evaluation_composite(sdbc.divcode, date, numeric, numeric, numeric, numeric, numeric) IS
  'The "3+1" composite 综合考评得分 of a community (R5.3): weight.indicator·indicator + weight.satisfaction·satisfaction + weight.leadership·leadership, rounded half away from zero to two decimals, + merit − error; policy in force for the community on the date. SD602 for a part outside its scale or cap or with more than two decimals, SD606 when the weights do not sum to 1';

CREATE FUNCTION sdbc.street_grade_score(street sdbc.divcode, on_date date, community_average numeric, own_score numeric)
  RETURNS numeric AS 'MODULE_PATHNAME', 'street_grade_score_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.street_grade_score(sdbc.divcode, date, numeric, numeric) IS
  'A street''s year-end grade score 街道年终考评得分 (R5.2): street_grade.community_weight·community_average + street_grade.street_weight·own_score (0.9 and 0.1 by default), rounded to two decimals. SD602 for a score outside its scale, SD606 when the weights do not sum to 1';

CREATE FUNCTION sdbc.grade_band(division sdbc.divcode, on_date date, score numeric)
  RETURNS text AS 'MODULE_PATHNAME', 'grade_band_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.grade_band(sdbc.divcode, date, numeric) IS
  'Grade 等次 of a score (R5.2): excellent 优秀, good 良好, pass 合格 or fail 不合格, at or above the lower bounds street_grade.band.* in force (90, 80, 60 by default). SD607 when the bands do not descend';

-- Periods and the stored parts.
CREATE TABLE sdbc.evaluation_period (
  period_code text PRIMARY KEY CONSTRAINT evaluation_period_code_form CHECK (period_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
  kind        text NOT NULL CONSTRAINT evaluation_period_kind CHECK (kind IN ('routine', 'year_end')),
  starts_on   date NOT NULL,
  ends_on     date NOT NULL,
  name_zh     text NOT NULL,
  CONSTRAINT evaluation_period_dates CHECK (ends_on >= starts_on)
);
COMMENT ON TABLE sdbc.evaluation_period IS
  'Evaluation periods 考核周期 (R5.1): routine 平时考核 and year-end 年终考核; policy is read as in force on the last day';
COMMENT ON COLUMN sdbc.evaluation_period.period_code IS 'identifier, e.g. 2024 or 2024-Q2';
COMMENT ON COLUMN sdbc.evaluation_period.kind IS 'routine 平时 or year_end 年终 (only year-end periods grade streets, R5.2)';
COMMENT ON COLUMN sdbc.evaluation_period.starts_on IS 'first day';
COMMENT ON COLUMN sdbc.evaluation_period.ends_on IS 'last day (policy in force on it applies)';
COMMENT ON COLUMN sdbc.evaluation_period.name_zh IS 'name 名称';

CREATE TABLE sdbc.community_score (
  period_code  text NOT NULL REFERENCES sdbc.evaluation_period (period_code),
  community    sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  indicator    numeric NOT NULL,
  satisfaction numeric NOT NULL,
  leadership   numeric NOT NULL,
  merit        numeric NOT NULL DEFAULT 0,
  error        numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (period_code, community)
);
COMMENT ON TABLE sdbc.community_score IS
  'The "3+1" parts 3+1综合考评 of a community''s evaluation in a period (R5.3), as the county evaluation office records them (R5.4); the composite is computed from them (view sdbc.community_evaluation)';
COMMENT ON COLUMN sdbc.community_score.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.community_score.community IS 'community 社区 (only communities are evaluated, R5.1)';
COMMENT ON COLUMN sdbc.community_score.indicator IS 'indicator score 指标考评, 0 … evaluation.scale.max';
COMMENT ON COLUMN sdbc.community_score.satisfaction IS 'public satisfaction survey 公众满意度测评, 0 … evaluation.scale.max';
COMMENT ON COLUMN sdbc.community_score.leadership IS 'leadership rating 领导评价, 0 … evaluation.scale.max';
COMMENT ON COLUMN sdbc.community_score.merit IS 'merit (bonus) points 绩优加分, 0 … evaluation.merit.max';
COMMENT ON COLUMN sdbc.community_score.error IS 'error (penalty) points 绩误减分, 0 … evaluation.error.max';

CREATE TABLE sdbc.street_score (
  period_code  text NOT NULL REFERENCES sdbc.evaluation_period (period_code),
  street       sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  own_score    numeric NOT NULL,
  PRIMARY KEY (period_code, street)
);
COMMENT ON TABLE sdbc.street_score IS
  'A street''s own score 街道自身得分 in a year-end period, the 10 % part of its grade (R5.2); the grade is computed (view sdbc.street_grade)';
COMMENT ON COLUMN sdbc.street_score.period_code IS 'year-end evaluation period';
COMMENT ON COLUMN sdbc.street_score.street IS 'street 街道 (or county-seat town 城关镇, which plays its role)';
COMMENT ON COLUMN sdbc.street_score.own_score IS 'the street''s own score, 0 … evaluation.scale.max';

CREATE TABLE sdbc.department_rating (
  period_code  text NOT NULL REFERENCES sdbc.evaluation_period (period_code),
  community    sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  department   text NOT NULL REFERENCES sdbc.office (office),
  rating       numeric NOT NULL,
  PRIMARY KEY (period_code, community, department)
);
COMMENT ON TABLE sdbc.department_rating IS
  'Reverse evaluation 反向考评 (R5.4): a community rates a county department that assigned it tasks in the period (sdbc.task_assignment); results in sdbc.department_evaluation';
COMMENT ON COLUMN sdbc.department_rating.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.department_rating.community IS 'community 社区 rating';
COMMENT ON COLUMN sdbc.department_rating.department IS 'county department 县直部门 rated';
COMMENT ON COLUMN sdbc.department_rating.rating IS 'rating 评分, 0 … reverse_evaluation.scale.max';

SELECT pg_catalog.pg_extension_config_dump('sdbc.evaluation_period', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.community_score', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.street_score', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.department_rating', '');
CREATE INDEX community_score_community_idx ON sdbc.community_score (community);
CREATE INDEX street_score_street_idx ON sdbc.street_score (street);
CREATE INDEX department_rating_community_idx ON sdbc.department_rating (community);

-- A restore session: pg_restore (and psql replaying a plain dump) sets
-- row_security = off for its session unless told --enable-row-security, and
-- restores are done by a superuser.  The scores have no id drawn from a
-- sequence, so sdbc.is_restored_row() cannot tell; this can.  pg_dump orders
-- the data of extension tables by foreign key only: sdbc.department_rating
-- comes back before sdbc.task_assignment, and sdbc.community_score and
-- sdbc.street_score before the user's rows of sdbc.policy (caps and scales
-- a county raised), so the checks that read those tables must stand aside.
CREATE FUNCTION sdbc.is_restore_session() RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  RETURN coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
         AND pg_catalog.current_setting('row_security') = 'off';
COMMENT ON FUNCTION sdbc.is_restore_session() IS
  'True in a session that restores a dump: a superuser with row_security off (pg_restore and psql on a pg_dump script set it off); the evaluation checks that read other tables stand aside there';

CREATE FUNCTION sdbc.evaluation_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  p sdbc.evaluation_period;
  top numeric;
  restored boolean;
BEGIN
  SELECT * INTO p FROM sdbc.evaluation_period x WHERE x.period_code = NEW.period_code;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  IF TG_TABLE_NAME IN ('community_score', 'department_rating') THEN
    IF sdbc.divcode_kind(NEW.community) IS DISTINCT FROM 'residents_committee' THEN
      RAISE EXCEPTION USING ERRCODE = 'SD601',
      MESSAGE = format('%s is not a community and is not evaluated as one', NEW.community),
      DETAIL = 'Rule R5.1: communities (社区, residents'' committees) are the objects of routine and year-end evaluation, and the ones that rate departments (R5.4); a street is graded from its communities (R5.2).',
      HINT = 'Record the scores of each community; give the street''s own score in sdbc.street_score.';
    END IF;
  END IF;
  -- A restored row: the checks that read the row and its period hold; those
  -- that read policy (scales and caps a county set) or the department's tasks
  -- stand aside, since those rows may not be back yet.
  restored := TG_OP = 'INSERT' AND sdbc.is_restore_session();
  IF TG_TABLE_NAME = 'community_score' THEN
    -- validates every part against the scales and caps in force (SD602, SD606)
    IF NOT restored THEN
      PERFORM sdbc.evaluation_composite(NEW.community, p.ends_on, NEW.indicator, NEW.satisfaction,
                                        NEW.leadership, NEW.merit, NEW.error);
    END IF;
  ELSIF TG_TABLE_NAME = 'street_score' THEN
    IF sdbc.divcode_kind(NEW.street) NOT IN ('street', 'town') THEN
      RAISE EXCEPTION USING ERRCODE = 'SD603',
        MESSAGE = format('%s is not a street and has no street grade', NEW.street),
        DETAIL = 'Rule R5.2: the year-end grade is a street''s (or a county-seat town''s): 90 % its communities'' average + 10 % its own score.',
        HINT = 'Give a street (街道, township segment 001–099) or a town.';
    END IF;
    IF p.kind <> 'year_end' THEN
      RAISE EXCEPTION USING ERRCODE = 'SD604',
        MESSAGE = format('period %s is a %s period; a street''s own score belongs to a year-end period', p.period_code, p.kind),
        DETAIL = 'Rule R5.2: the street is graded at the year end from its communities'' year-end scores and its own.',
        HINT = 'Record the street''s own score in a period of kind year_end.';
    END IF;
    IF NOT restored THEN
      PERFORM sdbc.street_grade_score(NEW.street, p.ends_on, 0, NEW.own_score);
    END IF;
  ELSIF NOT restored THEN
    top := sdbc.policy_value('reverse_evaluation.scale.max', NEW.community, p.ends_on);
    IF NEW.rating < 0 OR NEW.rating > top OR NEW.rating <> round(NEW.rating, 2) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD602',
        MESSAGE = format('rating %s of department %s by %s lies outside its scale', NEW.rating, NEW.department, NEW.community),
        DETAIL = 'Rule R5.4: a community rates a department from 0 to policy reverse_evaluation.scale.max, in hundredths.',
        HINT = format('Give a rating from 0 to %s with at most two decimals.', top);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sdbc.task_assignment t
                    WHERE t.department = NEW.department AND t.community OPERATOR(sdbc.=) NEW.community
                      AND t.handed_on BETWEEN p.starts_on AND p.ends_on) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD605',
        MESSAGE = format('department %s assigned %s no task in period %s', NEW.department, NEW.community, p.period_code),
        DETAIL = 'Rule R5.4: communities evaluate the departments that assigned them tasks in the period (sdbc.task_assignment).',
        HINT = 'Rate only departments that handed the community a task between the period''s first and last day.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.evaluation_check() IS
  'Trigger on sdbc.community_score, sdbc.street_score, sdbc.department_rating: only communities are scored and rate (SD601), parts within their scales and caps (SD602, via the C functions), weights that sum to 1 (SD606), street scores of streets (SD603) in year-end periods (SD604), ratings of departments that assigned tasks in the period (SD605). A row inserted by a restore (sdbc.is_restore_session()) gets only SD601, SD603 and SD604';
CREATE TRIGGER community_score_check BEFORE INSERT OR UPDATE ON sdbc.community_score
  FOR EACH ROW EXECUTE FUNCTION sdbc.evaluation_check();
CREATE TRIGGER street_score_check BEFORE INSERT OR UPDATE ON sdbc.street_score
  FOR EACH ROW EXECUTE FUNCTION sdbc.evaluation_check();
CREATE TRIGGER department_rating_check BEFORE INSERT OR UPDATE ON sdbc.department_rating
  FOR EACH ROW EXECUTE FUNCTION sdbc.evaluation_check();

-- Computed results: composites, grades and ranks, always from the parts.
-- Ranks: rank() — ties share a rank and the next rank skips (1, 1, 3) — and
-- dense_rank() — ties share a rank, no gap (1, 1, 2); per county and period.
CREATE VIEW sdbc.community_evaluation AS
  SELECT e.*,
         rank() OVER w AS county_rank,
         dense_rank() OVER w AS county_dense_rank
    FROM (SELECT s.period_code, p.kind, s.community, sdbc.divcode_ancestor(s.community, 3) AS county,
                 s.indicator, s.satisfaction, s.leadership, s.merit, s.error,
                 sdbc.evaluation_composite(s.community, p.ends_on, s.indicator, s.satisfaction,
                                           s.leadership, s.merit, s.error) AS composite
            FROM sdbc.community_score s JOIN sdbc.evaluation_period p USING (period_code)) e
  WINDOW w AS (PARTITION BY e.period_code, e.county ORDER BY e.composite DESC);
COMMENT ON VIEW sdbc.community_evaluation IS
  'Each community''s "3+1" composite per period (R5.3), computed from its stored parts with the policy in force on the period''s last day, and its rank in the county: county_rank = rank() (ties share a rank, the next skips: 1, 1, 3), county_dense_rank = dense_rank() (1, 1, 2)';
COMMENT ON COLUMN sdbc.community_evaluation.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.community_evaluation.kind IS 'routine or year_end';
COMMENT ON COLUMN sdbc.community_evaluation.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_evaluation.county IS 'its county 县(市)';
COMMENT ON COLUMN sdbc.community_evaluation.indicator IS 'indicator score 指标考评';
COMMENT ON COLUMN sdbc.community_evaluation.satisfaction IS 'public satisfaction 公众满意度';
COMMENT ON COLUMN sdbc.community_evaluation.leadership IS 'leadership rating 领导评价';
COMMENT ON COLUMN sdbc.community_evaluation.merit IS 'merit points 绩优加分';
COMMENT ON COLUMN sdbc.community_evaluation.error IS 'error points 绩误减分';
COMMENT ON COLUMN sdbc.community_evaluation.composite IS 'composite 综合得分 (sdbc.evaluation_composite)';
COMMENT ON COLUMN sdbc.community_evaluation.county_rank IS 'rank in the county, rank(): ties share, next skips';
COMMENT ON COLUMN sdbc.community_evaluation.county_dense_rank IS 'rank in the county, dense_rank(): ties share, no gap';

CREATE VIEW sdbc.street_grade AS
  SELECT g.*,
         sdbc.grade_band(g.street, g.ends_on, g.grade_score) AS band,
         rank() OVER w AS county_rank,
         dense_rank() OVER w AS county_dense_rank
    FROM (SELECT st.period_code, p.ends_on, st.street, sdbc.divcode_ancestor(st.street, 3) AS county,
                 (SELECT count(*) FROM sdbc.division d
                   WHERE d.kind = 'residents_committee' AND sdbc.divcode_parent(d.code) OPERATOR(sdbc.=) st.street) AS communities,
                 coalesce(c.scored, 0) AS communities_scored, c.average AS community_average, st.own_score,
                 sdbc.street_grade_score(st.street, p.ends_on, c.average, st.own_score) AS grade_score
            FROM sdbc.street_score st JOIN sdbc.evaluation_period p USING (period_code)
            LEFT JOIN LATERAL (SELECT count(*) AS scored, round(avg(e.composite), 2) AS average
                                 FROM sdbc.community_evaluation e
                                WHERE e.period_code = st.period_code
                                  AND e.community OPERATOR(sdbc.<@) st.street) c ON c.scored > 0) g
  WINDOW w AS (PARTITION BY g.period_code, g.county ORDER BY g.grade_score DESC NULLS LAST);
COMMENT ON VIEW sdbc.street_grade IS
  'Each street''s year-end grade (R5.2): street_grade.community_weight (0.9) × the average of its communities'' year-end composites (rounded to two decimals) + street_grade.street_weight (0.1) × its own score, the band, and its rank in the county (rank(): ties share, next skips; dense_rank(): no gap); computed when read, never stored';
COMMENT ON COLUMN sdbc.street_grade.period_code IS 'year-end period';
COMMENT ON COLUMN sdbc.street_grade.ends_on IS 'last day of the period (policy in force on it)';
COMMENT ON COLUMN sdbc.street_grade.street IS 'street 街道';
COMMENT ON COLUMN sdbc.street_grade.county IS 'county 县(市)';
COMMENT ON COLUMN sdbc.street_grade.communities IS 'communities of the street (loaded divisions)';
COMMENT ON COLUMN sdbc.street_grade.communities_scored IS 'of them, evaluated in the period';
COMMENT ON COLUMN sdbc.street_grade.community_average IS 'average of the communities'' composites 社区平均成绩; NULL when none was evaluated';
COMMENT ON COLUMN sdbc.street_grade.own_score IS 'the street''s own score 街道自身成绩';
COMMENT ON COLUMN sdbc.street_grade.grade_score IS 'grade score 定等得分 (sdbc.street_grade_score); NULL without evaluated communities';
COMMENT ON COLUMN sdbc.street_grade.band IS 'grade 等次: excellent 优秀, good 良好, pass 合格, fail 不合格';
COMMENT ON COLUMN sdbc.street_grade.county_rank IS 'rank in the county, rank()';
COMMENT ON COLUMN sdbc.street_grade.county_dense_rank IS 'rank in the county, dense_rank()';

CREATE VIEW sdbc.department_evaluation AS
  WITH rated AS (
    SELECT r.period_code, sdbc.divcode_ancestor(r.community, 3) AS county, r.department,
           count(*) AS communities_rated, round(avg(r.rating), 2) AS average_rating
      FROM sdbc.department_rating r
     GROUP BY r.period_code, sdbc.divcode_ancestor(r.community, 3), r.department
  ), assigned AS (
    SELECT p.period_code, sdbc.divcode_ancestor(t.community, 3) AS county, t.department,
           count(DISTINCT t.community) AS communities_assigned
      FROM sdbc.task_assignment t JOIN sdbc.evaluation_period p ON t.handed_on BETWEEN p.starts_on AND p.ends_on
     GROUP BY p.period_code, sdbc.divcode_ancestor(t.community, 3), t.department
  )
  SELECT a.period_code, a.county, a.department, a.communities_assigned,
         coalesce(r.communities_rated, 0) AS communities_rated, r.average_rating,
         rank() OVER w AS county_rank, dense_rank() OVER w AS county_dense_rank
    FROM assigned a LEFT JOIN rated r USING (period_code, county, department)
  WINDOW w AS (PARTITION BY a.period_code, a.county ORDER BY r.average_rating DESC NULLS LAST);
COMMENT ON VIEW sdbc.department_evaluation IS
  'Reverse evaluation results (R5.4): per period, county and county department that assigned tasks, the communities it assigned to, those that rated it and the average of their ratings, ranked in the county (rank(): ties share, next skips; dense_rank(): no gap; unrated last)';
COMMENT ON COLUMN sdbc.department_evaluation.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.department_evaluation.county IS 'county 县(市)';
COMMENT ON COLUMN sdbc.department_evaluation.department IS 'county department 县直部门';
COMMENT ON COLUMN sdbc.department_evaluation.communities_assigned IS 'communities it assigned tasks in the period';
COMMENT ON COLUMN sdbc.department_evaluation.communities_rated IS 'communities that rated it 反向考评';
COMMENT ON COLUMN sdbc.department_evaluation.average_rating IS 'average rating 平均得分; NULL when unrated';
COMMENT ON COLUMN sdbc.department_evaluation.county_rank IS 'rank in the county, rank()';
COMMENT ON COLUMN sdbc.department_evaluation.county_dense_rank IS 'rank in the county, dense_rank()';
-- Community information platforms (R9.1), premises and their functional
-- rooms (R10.1), monthly themes and weekly activities (R11.1).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('premises.area.min_m2', 'R10.1', 'm2', 0, NULL,
   'least office and service area of a community''s premises (the paper: an average above 1,000 m²)', '社区办公服务用房面积下限', true),
  ('activity.weekly.min', 'R11.1', 'count', 0, NULL,
   'fewest activities a community holds in a week (周周有活动)', '社区每周活动次数下限', true),
  ('activity.theme.monthly.min', 'R11.1', 'count', 0, NULL,
   'fewest themes a community sets in a month (月月有主题)', '社区每月活动主题数下限', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('premises.area.min_m2',       NULL, '2014-01-01', 1000, true, 'paper: average area above 1,000 m² (R10.1)'),
  ('activity.weekly.min',        NULL, '2014-01-01', 1,    true, 'paper: 周周有活动, activities every week (R11.1)'),
  ('activity.theme.monthly.min', NULL, '2014-01-01', 1,    true, 'paper: 月月有主题, a theme every month (R11.1)');

CREATE TABLE sdbc.community_platform (
  community   sdbc.divcode PRIMARY KEY REFERENCES sdbc.division (code),
  since       date NOT NULL,
  cost        numeric CONSTRAINT community_platform_cost CHECK (cost IS NULL OR cost >= 0),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.community_platform IS
  'Communities that run an information platform 社区信息化平台 (R9.1: resident records looked up and updated at any time); the paper counts 136 of 147';
COMMENT ON COLUMN sdbc.community_platform.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_platform.since IS 'in use since';
COMMENT ON COLUMN sdbc.community_platform.cost IS 'investment 投资, yuan';

CREATE TABLE sdbc.room_kind (
  room_kind text PRIMARY KEY,
  name_zh   text NOT NULL,
  name_en   text NOT NULL,
  builtin   boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE sdbc.room_kind IS 'Functional rooms 功能室 a community''s premises may hold (R10.1: one room, many uses); the paper''s list built in, more as data';
COMMENT ON COLUMN sdbc.room_kind.room_kind IS 'identifier';
COMMENT ON COLUMN sdbc.room_kind.name_zh IS 'Chinese name 名称';
COMMENT ON COLUMN sdbc.room_kind.name_en IS 'English name';
COMMENT ON COLUMN sdbc.room_kind.builtin IS 'named by the paper (shipped; not dumped)';
INSERT INTO sdbc.room_kind (room_kind, name_zh, name_en, builtin) VALUES
  ('service_hall',        '一站式服务大厅', 'one-stop service hall', true),
  ('clinic',              '卫生室',         'clinic', true),
  ('library',             '图书室',         'library', true),
  ('party_members_room',  '党员活动室',     'party members'' room', true),
  ('six_thirty_school',   '四点半学校',     'after-school "six-thirty school"', true),
  ('charity_supermarket', '爱心超市',       'charity supermarket', true),
  ('youth_room',          '青少年活动室',   'youth room', true);
SELECT pg_catalog.pg_extension_config_dump('sdbc.room_kind', 'WHERE NOT builtin');

CREATE TABLE sdbc.premises (
  premises_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  area_m2     numeric NOT NULL CONSTRAINT premises_area_positive CHECK (area_m2 > 0),
  built_on    date,
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.premises IS 'Office and service premises 办公服务用房 of a community (R10.1), one or more sites';
COMMENT ON COLUMN sdbc.premises.premises_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.premises.community IS 'community 社区';
COMMENT ON COLUMN sdbc.premises.area_m2 IS 'floor area 面积, m²';
COMMENT ON COLUMN sdbc.premises.built_on IS 'built or rebuilt 新建改建 on';
CREATE INDEX premises_community_idx ON sdbc.premises (community);

CREATE TABLE sdbc.premises_room (
  premises_id bigint NOT NULL REFERENCES sdbc.premises (premises_id),
  room_kind   text NOT NULL REFERENCES sdbc.room_kind (room_kind),
  PRIMARY KEY (premises_id, room_kind)
);
COMMENT ON TABLE sdbc.premises_room IS 'Functional rooms of a site (R10.1: one room may serve several uses, each listed)';
COMMENT ON COLUMN sdbc.premises_room.premises_id IS 'site';
COMMENT ON COLUMN sdbc.premises_room.room_kind IS 'functional room 功能室';

CREATE TABLE sdbc.monthly_theme (
  community   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  month       date NOT NULL CONSTRAINT monthly_theme_first_day CHECK (extract(day FROM month) = 1),
  theme       text NOT NULL CONSTRAINT monthly_theme_not_blank CHECK (btrim(theme) <> ''),
  PRIMARY KEY (community, month, theme),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.monthly_theme IS 'A community''s theme of the month 月度主题 (R11.1: 月月有主题)';
COMMENT ON COLUMN sdbc.monthly_theme.community IS 'community 社区';
COMMENT ON COLUMN sdbc.monthly_theme.month IS 'first day of the month';
COMMENT ON COLUMN sdbc.monthly_theme.theme IS 'theme 主题';

CREATE TABLE sdbc.activity (
  activity_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  held_on     date NOT NULL,
  title       text NOT NULL CONSTRAINT activity_title_not_blank CHECK (btrim(title) <> ''),
  participants integer CONSTRAINT activity_participants CHECK (participants IS NULL OR participants >= 0),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.activity IS 'Activities a community holds 社区活动 (R11.1: 周周有活动)';
COMMENT ON COLUMN sdbc.activity.activity_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.activity.community IS 'community 社区';
COMMENT ON COLUMN sdbc.activity.held_on IS 'day held';
COMMENT ON COLUMN sdbc.activity.title IS 'title 名称';
COMMENT ON COLUMN sdbc.activity.participants IS 'participants 参与人数, when counted';
CREATE INDEX activity_community_idx ON sdbc.activity (community, held_on);

SELECT pg_catalog.pg_extension_config_dump('sdbc.community_platform', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.premises', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.premises_premises_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.premises_room', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.monthly_theme', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.activity', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.activity_activity_id_seq', '');
-- The reporting schema sdbc_report: the stable interface for BI tools
-- (Metabase, Superset, Power BI, Excel).  Views only, plain column types
-- (text, integer, bigint, numeric, date, boolean), division codes as
-- 12-digit text, snake_case English names, a comment with the Chinese term
-- on every view and column, and no personal data: counts and codes only
-- (docs/reporting.md).  Views run with their owner's rights, so the role
-- sdbc_reader needs rights on this schema only.

CREATE SCHEMA sdbc_report;
COMMENT ON SCHEMA sdbc_report IS
  'Reporting views 报表 of sdbc for BI tools: stable names, plain types, division codes as text, no personal data (docs/reporting.md)';

-- Helpers for views that read through functions running as the caller:
-- they run as the extension owner and return codes and counts only.
CREATE FUNCTION sdbc.report_staff_compliance()
  RETURNS TABLE (division_code text, rule_id text, measure text, value numeric, bound numeric, ok boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT division::text, rule_id, measure, value, bound, ok FROM sdbc.staff_compliance(CURRENT_DATE) $$;
COMMENT ON FUNCTION sdbc.report_staff_compliance() IS
  'sdbc.staff_compliance(today) as codes and numbers, with the owner''s rights (for sdbc_report.staffing_compliance; no personal data)';
CREATE FUNCTION sdbc.report_service_open()
  RETURNS TABLE (county_code text, matter_code text, open_applications bigint, overdue bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT county::text, matter_code, count(*), count(*) FILTER (WHERE overdue)
          FROM sdbc.service_open GROUP BY county, matter_code $$;
COMMENT ON FUNCTION sdbc.report_service_open() IS
  'Open and overdue applications per county and matter (working-day deadlines), with the owner''s rights (for sdbc_report.service_matters)';
REVOKE EXECUTE ON FUNCTION sdbc.report_staff_compliance(), sdbc.report_service_open() FROM PUBLIC;

-- The paper's key figures (R2, R6.1, R7.1, R9.1, R10.1) for every prefecture,
-- county and street, long format: one row per division and measure.
-- key_figures_live computes them when read (all divisions at once: it scans
-- households and residents, about 0.5 s at Aksu scale, whatever the filter);
-- key_figures reads the snapshot that sdbc.report_refresh() takes of it, with
-- the time of the snapshot in refreshed_at (docs/reporting.md, "Speed").
CREATE VIEW sdbc_report.key_figures_live AS
  WITH per AS (
    SELECT d.code,
           coalesce(hh.n, 0) AS households, coalesce(res.n, 0) AS residents,
           coalesce(st.total, 0) AS staff, coalesce(st.national, 0) AS national, coalesce(st.admin, 0) AS admin,
           coalesce(st.inst, 0) AS inst, coalesce(st.welfare, 0) AS welfare, coalesce(st.contract, 0) AS contract,
           coalesce(st.men, 0) AS men, coalesce(st.associate_up, 0) AS associate_up,
           coalesce(gr.n, 0) AS grids,
           (pc.committee_id IS NOT NULL)::integer AS committees,
           coalesce(pb.branches, 0) AS branches, coalesce(pb.groups, 0) AS groups,
           (pf.community IS NOT NULL)::integer AS platform,
           pm.area
      FROM sdbc.division d
      LEFT JOIN (SELECT community, count(*) AS n FROM sdbc.household GROUP BY community) hh ON hh.community = d.code
      LEFT JOIN (SELECT h.community, count(*) AS n FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
                  GROUP BY h.community) res ON res.community = d.code
      LEFT JOIN (SELECT division, count(*) AS total,
                        count(*) FILTER (WHERE category IN ('administrative', 'institutional')) AS national,
                        count(*) FILTER (WHERE category = 'administrative') AS admin,
                        count(*) FILTER (WHERE category = 'institutional') AS inst,
                        count(*) FILTER (WHERE category = 'public_welfare') AS welfare,
                        count(*) FILTER (WHERE category = 'contract') AS contract,
                        count(*) FILTER (WHERE sex = 'male') AS men,
                        count(*) FILTER (WHERE education IN ('postgraduate', 'bachelor', 'associate')) AS associate_up
                   FROM sdbc.staff GROUP BY division) st ON st.division = d.code
      LEFT JOIN (SELECT community, count(*) AS n FROM sdbc.grid WHERE valid_to IS NULL GROUP BY community) gr ON gr.community = d.code
      LEFT JOIN sdbc.party_committee pc ON pc.community = d.code
      LEFT JOIN (SELECT b.committee_id, count(DISTINCT b.branch_id) AS branches, count(g.group_id) AS groups
                   FROM sdbc.party_branch b LEFT JOIN sdbc.party_group g USING (branch_id) GROUP BY b.committee_id) pb
             ON pb.committee_id = pc.committee_id
      LEFT JOIN sdbc.community_platform pf ON pf.community = d.code
      LEFT JOIN (SELECT community, sum(area_m2) AS area FROM sdbc.premises GROUP BY community) pm ON pm.community = d.code
     WHERE d.kind = 'residents_committee'
  ), up AS (
    SELECT sdbc.divcode_ancestor(per.code, l.level) AS division, count(*) AS communities,
           sum(households) AS households, sum(residents) AS residents, sum(staff) AS staff, sum(national) AS national,
           sum(admin) AS admin, sum(inst) AS inst, sum(welfare) AS welfare, sum(contract) AS contract, sum(men) AS men,
           sum(associate_up) AS associate_up, sum(grids) AS grids, sum(committees) AS committees,
           sum(branches) AS branches, sum(groups) AS groups, sum(platform) AS platform,
           round(avg(area), 1) AS average_area
      FROM per CROSS JOIN (VALUES (2), (3), (4)) l(level)
     GROUP BY 1
  ), streets AS (
    SELECT sdbc.divcode_ancestor(d.code, l.level) AS division, count(*) AS streets
      FROM sdbc.division d CROSS JOIN (VALUES (2), (3)) l(level)
     WHERE d.kind = 'street' GROUP BY 1
  )
  SELECT up.division::text AS division_code, d.name AS division_name, d.kind AS division_kind,
         v.position, v.measure, v.label_zh, v.rule_id, v.value,
         round(100.0 * v.value / nullif(v.of_total, 0), 1) AS share_pct
    FROM up JOIN sdbc.division d ON d.code = up.division
    LEFT JOIN streets s ON s.division = up.division
    CROSS JOIN LATERAL (VALUES
      (1,  'streets',                        '街道',               'R2',    coalesce(s.streets, CASE WHEN d.kind = 'street' THEN 1 ELSE 0 END)::numeric, NULL::numeric),
      (2,  'communities',                    '社区',               'R5.1',  up.communities::numeric, NULL),
      (3,  'households',                     '户数',               'R7.1',  up.households, NULL),
      (4,  'residents',                      '居民',               'R7.1',  up.residents, NULL),
      (5,  'community staff',                '社区工作人员',       'R2',    up.staff, NULL),
      (6,  'national cadres',                '在编国家干部',       'R2.4',  up.national, up.staff),
      (7,  'administrative establishment',   '行政编制',           'R2.4',  up.admin, up.staff),
      (8,  'institutional establishment',    '事业编制',           'R2.4',  up.inst, up.staff),
      (9,  'public-welfare posts',           '公益性岗位',         'R2',    up.welfare, up.staff),
      (10, 'contract hires',                 '聘用人员',           'R2',    up.contract, up.staff),
      (11, 'men',                            '男性',               'R2',    up.men, up.staff),
      (12, 'associate degree or above',      '大专及以上学历',     'R2',    up.associate_up, up.staff),
      (13, 'big party committees',           '大党委',             'R6.1',  up.committees, NULL),
      (14, 'grid party branches',            '网格党支部',         'R6.1',  up.branches, NULL),
      (15, 'building party groups',          '楼栋党小组',         'R6.1',  up.groups, NULL),
      (16, 'grids',                          '网格',               'R7.1',  up.grids, NULL),
      (17, 'communities with an information platform', '建有信息化平台的社区', 'R9.1', up.platform, up.communities),
      (18, 'average premises area, m2',      '社区办公服务用房平均面积(平方米)', 'R10.1', up.average_area, NULL)
    ) v(position, measure, label_zh, rule_id, value, of_total);
COMMENT ON VIEW sdbc_report.key_figures_live IS
  'The paper''s key figures 主要指标 for every prefecture, county and street with communities, computed when read (slow at scale: dashboards read sdbc_report.key_figures): streets, communities, households, residents, staff by category with shares, party organisations, grids, communities with an information platform (R9.1), average premises area (R10.1); staff as they serve today';

-- The snapshot of the key figures, taken by sdbc.report_refresh().
CREATE MATERIALIZED VIEW sdbc.report_key_figures AS
  SELECT k.*, pg_catalog.now() AS refreshed_at FROM sdbc_report.key_figures_live k;
CREATE UNIQUE INDEX report_key_figures_key ON sdbc.report_key_figures (division_code, position);
COMMENT ON MATERIALIZED VIEW sdbc.report_key_figures IS
  'Snapshot 快照 of sdbc_report.key_figures_live, read through sdbc_report.key_figures; taken by sdbc.report_refresh() (empty until the first refresh after the data is loaded or restored)';

CREATE VIEW sdbc_report.key_figures AS
  SELECT division_code, division_name, division_kind, position, measure, label_zh, rule_id, value, share_pct, refreshed_at
    FROM sdbc.report_key_figures;
COMMENT ON VIEW sdbc_report.key_figures IS
  'The paper''s key figures 主要指标 for every prefecture, county and street with communities, as of refreshed_at (a snapshot: call sdbc.report_refresh() to bring it up to date; key_figures_live computes them now): streets, communities, households, residents, staff by category with shares, party organisations, grids, communities with an information platform (R9.1), average premises area (R10.1); staff as they served at refreshed_at';

CREATE FUNCTION sdbc.report_refresh() RETURNS timestamptz
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  -- CONCURRENTLY: readers of sdbc_report.key_figures see the old snapshot until commit, never wait
  REFRESH MATERIALIZED VIEW CONCURRENTLY sdbc.report_key_figures;
  RETURN now();
END $$;
COMMENT ON FUNCTION sdbc.report_refresh() IS
  'Takes a new snapshot of the key figures 刷新主要指标 (sdbc.report_key_figures, read by sdbc_report.key_figures) and returns its time, the new refreshed_at; readers are not blocked. Runs with the owner''s rights; EXECUTE is not granted to PUBLIC: grant it to the role that loads data or schedules the refresh (docs/reporting.md)';
REVOKE EXECUTE ON FUNCTION sdbc.report_refresh() FROM PUBLIC;

-- As sdbc.grid_size, but households counted per grid (two index probes), so
-- that a filter on the county or community counts only the grids it keeps.
CREATE VIEW sdbc_report.grid_sizes AS
  SELECT g.grid_code::text AS grid_code, g.community::text AS community_code,
         sdbc.divcode_ancestor(g.community, 3)::text AS county_code, g.class AS grid_class,
         n.households::integer AS households, p.lo::integer AS min_households, p.hi::integer AS max_households,
         CASE WHEN n.households < p.lo THEN 'below' WHEN n.households > p.hi THEN 'above' ELSE 'within' END AS bounds
    FROM sdbc.grid g
   CROSS JOIN LATERAL (SELECT count(*) AS households
                         FROM sdbc.building b JOIN sdbc.household h ON h.building_id = b.building_id
                        WHERE b.grid_code = g.grid_code) n
   CROSS JOIN LATERAL (SELECT sdbc.policy_value('grid.households.min', g.community) AS lo,
                              sdbc.policy_value('grid.households.max', g.community) AS hi) p
   WHERE g.valid_to IS NULL;
COMMENT ON VIEW sdbc_report.grid_sizes IS 'Live grids 网格 with their households against the policy bounds (R7.1) and their class (R7.2)';

CREATE VIEW sdbc_report.grid_classes AS
  SELECT g.community::text AS community_code, sdbc.divcode_ancestor(g.community, 3)::text AS county_code,
         g.class AS grid_class, k.name_zh AS grid_class_zh, count(*) AS grids
    FROM sdbc.grid g JOIN sdbc.grid_class k USING (class)
   WHERE g.valid_to IS NULL
   GROUP BY g.community, g.class, k.name_zh;
COMMENT ON VIEW sdbc_report.grid_classes IS 'Live grids per community and class 网格类型 (R7.2)';

CREATE VIEW sdbc_report.staffing_compliance AS
  SELECT c.division_code, sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 3)::text AS county_code,
         c.rule_id, c.measure, c.value, c.bound, c.ok
    FROM sdbc.report_staff_compliance() c;
COMMENT ON VIEW sdbc_report.staffing_compliance IS 'Staffing checks today 人员配备达标情况 (R2.1 share sent down, R2.2 leadership and offices, R2.4 national public servants per community), ok = false for a violation';

CREATE VIEW sdbc_report.funds_passed_on AS
  SELECT f.street::text AS street_code, sdbc.divcode_ancestor(f.street, 3)::text AS county_code, f.year,
         f.allocated, f.passed_on, f.share, f.min_share, f.keeps_too_much
    FROM sdbc.street_funds_passed_on f;
COMMENT ON VIEW sdbc_report.funds_passed_on IS 'Each street''s yearly allocation and the share passed on to its communities 经费下沉 (R3.1)';

CREATE VIEW sdbc_report.community_funds AS
  SELECT m.community::text AS community_code, sdbc.divcode_ancestor(m.community, 3)::text AS county_code, m.year,
         m.working_funds, m.working_min, m.service_funds, m.service_min, m.below_minimum
    FROM sdbc.community_min_funds m;
COMMENT ON VIEW sdbc_report.community_funds IS 'Each community''s yearly working and service funds against the minimums 社区经费保障 (R3.5)';

CREATE VIEW sdbc_report.account_balances AS
  SELECT b.community::text AS community_code, sdbc.divcode_ancestor(b.community, 3)::text AS county_code,
         b.kind AS account_kind, count(*) AS accounts, sum(b.credited)::numeric AS credited,
         sum(b.paid)::numeric AS paid, sum(b.committed)::numeric AS committed, sum(b.balance)::numeric AS balance
    FROM sdbc.account_balance b
   GROUP BY b.community, b.kind;
COMMENT ON VIEW sdbc_report.account_balances IS 'Balances of the separate accounts 分账核算 of each community by kind (R3.4)';

CREATE VIEW sdbc_report.expenses_by_route AS
  SELECT e.community::text AS community_code, sdbc.divcode_ancestor(e.community, 3)::text AS county_code,
         date_trunc('month', e.submitted_on)::date AS month, coalesce(e.route_code, 'none') AS route_code,
         count(*) AS expenses, sum(e.amount) AS amount,
         count(*) FILTER (WHERE e.paid_at IS NOT NULL) AS paid,
         count(*) FILTER (WHERE e.split_flag) AS flagged_splits
    FROM sdbc.expense e
   GROUP BY e.community, date_trunc('month', e.submitted_on), e.route_code;
COMMENT ON VIEW sdbc_report.expenses_by_route IS 'Community expenses per month and route 支出审批路径 (R3.2 up to the limit, R3.3 above it), paid, and flagged as splits';

CREATE VIEW sdbc_report.service_matters AS
  WITH apps AS (
    SELECT sdbc.divcode_ancestor(a.community, 3)::text AS county_code, a.matter_code, count(*) AS applications,
           count(*) FILTER (WHERE c.status = 'approved') AS approved,
           count(*) FILTER (WHERE c.status = 'rejected') AS rejected,
           count(*) FILTER (WHERE a.proxy <> 'self') AS on_behalf,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY c.closed_at::date - a.applied_on)
             FILTER (WHERE c.status IN ('approved', 'rejected')) AS median_days
      FROM sdbc.service_application a JOIN sdbc.approval_case c USING (case_id)
     GROUP BY 1, 2
  )
  SELECT a.county_code, a.matter_code, m.name_zh AS matter_zh, a.applications, a.approved, a.rejected, a.on_behalf,
         round(a.median_days::numeric, 1) AS median_days,
         coalesce(o.open_applications, 0) AS open_applications, coalesce(o.overdue, 0) AS overdue
    FROM apps a JOIN sdbc.service_matter m USING (matter_code)
    LEFT JOIN sdbc.report_service_open() o USING (county_code, matter_code);
COMMENT ON VIEW sdbc_report.service_matters IS 'Service matters 服务事项 per county: applications, decisions, taken on the resident''s behalf (R8.2), median days to a decision, open and overdue (R4.2)';

CREATE VIEW sdbc_report.work_access AS
  SELECT t.county::text AS county_code, t.department, o.name_zh AS department_zh, t.tasks, t.accepted, t.refusable,
         t.refused, t.funding
    FROM sdbc.task_by_department t LEFT JOIN sdbc.office o ON o.office = t.department;
COMMENT ON VIEW sdbc_report.work_access IS 'Tasks each county department handed to communities 社区工作准入, refusable and refused (R1.1–R1.3), and the funds with them';

CREATE VIEW sdbc_report.community_evaluations AS
  SELECT e.period_code, e.kind AS period_kind, e.community::text AS community_code, e.county::text AS county_code,
         e.indicator, e.satisfaction, e.leadership, e.merit, e.error, e.composite,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank
    FROM sdbc.community_evaluation e;
COMMENT ON VIEW sdbc_report.community_evaluations IS 'Communities'' "3+1" evaluations 社区综合考评 (R5.3) with their rank in the county (rank(): ties share, next skips; dense_rank(): no gap)';

CREATE VIEW sdbc_report.street_grades AS
  SELECT g.period_code, g.street::text AS street_code, g.county::text AS county_code, g.communities::integer AS communities,
         g.communities_scored::integer AS communities_scored, g.community_average, g.own_score, g.grade_score, g.band,
         CASE g.band WHEN 'excellent' THEN '优秀' WHEN 'good' THEN '良好' WHEN 'pass' THEN '合格' WHEN 'fail' THEN '不合格' END AS band_zh,
         g.county_rank::integer AS county_rank, g.county_dense_rank::integer AS county_dense_rank
    FROM sdbc.street_grade g;
COMMENT ON VIEW sdbc_report.street_grades IS 'Streets'' year-end grades 街道年终考评定等 (R5.2: 90 % communities'' average + 10 % own score), bands and ranks in the county';

CREATE VIEW sdbc_report.department_evaluations AS
  SELECT e.period_code, e.county::text AS county_code, e.department, o.name_zh AS department_zh,
         e.communities_assigned, e.communities_rated, e.average_rating,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank
    FROM sdbc.department_evaluation e LEFT JOIN sdbc.office o ON o.office = e.department;
COMMENT ON VIEW sdbc_report.department_evaluations IS 'Reverse evaluation 反向考评 of county departments by the communities they assigned tasks (R5.4), ranked in the county';

CREATE VIEW sdbc_report.premises AS
  SELECT d.code::text AS community_code, sdbc.divcode_ancestor(d.code, 3)::text AS county_code,
         count(p.premises_id) AS sites, coalesce(sum(p.area_m2), 0) AS area_m2,
         sdbc.policy_value('premises.area.min_m2', d.code) AS min_area_m2,
         coalesce(sum(p.area_m2), 0) >= sdbc.policy_value('premises.area.min_m2', d.code) AS meets_norm,
         (SELECT count(DISTINCT r.room_kind) FROM sdbc.premises_room r JOIN sdbc.premises q USING (premises_id)
           WHERE q.community = d.code) AS room_kinds,
         (SELECT string_agg(DISTINCT r.room_kind, ',' ORDER BY r.room_kind) FROM sdbc.premises_room r JOIN sdbc.premises q USING (premises_id)
           WHERE q.community = d.code) AS rooms
    FROM sdbc.division d LEFT JOIN sdbc.premises p ON p.community = d.code
   WHERE d.kind = 'residents_committee'
     AND EXISTS (SELECT 1 FROM sdbc.premises x WHERE x.community OPERATOR(sdbc.<@) sdbc.divcode_ancestor(d.code, 3))
   GROUP BY d.code;
COMMENT ON VIEW sdbc_report.premises IS 'Each community''s office and service premises 办公服务用房 against the area norm (R10.1: 1,000 m² by default) and its functional rooms 功能室; communities of counties that record premises';

CREATE VIEW sdbc_report.activities_missed AS
  WITH span AS (
    SELECT min(m) AS first_month FROM (SELECT min(month) AS m FROM sdbc.monthly_theme
                                       UNION ALL SELECT date_trunc('month', min(held_on))::date FROM sdbc.activity) x
  ), months AS (
    SELECT gs::date AS month FROM span, generate_series(span.first_month, date_trunc('month', CURRENT_DATE), interval '1 month') gs
  ), communities AS (
    SELECT DISTINCT community FROM (SELECT community FROM sdbc.monthly_theme UNION SELECT community FROM sdbc.activity) c
  ), weeks AS (   -- weeks whose Monday lies in the month and has passed
    SELECT m.month, w::date AS week_start
      FROM months m, generate_series(m.month + ((8 - extract(isodow FROM m.month)::integer) % 7),
                                     least((m.month + interval '1 month' - interval '1 day')::date, CURRENT_DATE - 6),
                                     interval '7 days') w
  )
  SELECT c.community::text AS community_code, sdbc.divcode_ancestor(c.community, 3)::text AS county_code, m.month,
         (SELECT count(*) FROM sdbc.monthly_theme t WHERE t.community = c.community AND t.month = m.month) AS themes,
         (SELECT count(*) FROM weeks w WHERE w.month = m.month) AS weeks,
         (SELECT count(*) FROM weeks w WHERE w.month = m.month
             AND (SELECT count(*) FROM sdbc.activity a WHERE a.community = c.community
                     AND a.held_on >= w.week_start AND a.held_on < w.week_start + 7)
                 < sdbc.policy_value('activity.weekly.min', c.community, w.week_start)) AS weeks_without_activity,
         (SELECT count(*) FROM sdbc.monthly_theme t WHERE t.community = c.community AND t.month = m.month)
           < sdbc.policy_value('activity.theme.monthly.min', c.community, m.month) AS missed_theme
    FROM communities c CROSS JOIN months m;
COMMENT ON VIEW sdbc_report.activities_missed IS 'Per community that records activities and month: themes set, full weeks (Monday in the month) and those with fewer activities than policy activity.weekly.min, and whether the month lacked a theme (R11.1: 月月有主题、周周有活动)';

-- Column comments, with the Chinese term.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('key_figures', 'division_code', 'division code 区划代码 (12 digits)'),
    ('key_figures', 'division_name', 'division name 区划名称'),
    ('key_figures', 'division_kind', 'kind 类别: prefecture 地级, county 县级, street 街道'),
    ('key_figures', 'position', 'order of the measure in the paper''s list 序号'),
    ('key_figures', 'measure', 'measure 指标, English'),
    ('key_figures', 'label_zh', 'measure, Chinese 指标'),
    ('key_figures', 'rule_id', 'rule 规则 of the model the measure belongs to'),
    ('key_figures', 'value', 'value 数值'),
    ('key_figures', 'share_pct', 'share 占比 in per cent: of community staff, or of communities'),
    ('grid_sizes', 'grid_code', 'grid code 网格编码 (15 digits)'),
    ('grid_sizes', 'community_code', 'community code 社区代码'),
    ('grid_sizes', 'county_code', 'county code 县(市)代码'),
    ('grid_sizes', 'grid_class', 'grid class 网格类型 (R7.2)'),
    ('grid_sizes', 'households', 'households 户数'),
    ('grid_sizes', 'min_households', 'policy minimum 户数下限'),
    ('grid_sizes', 'max_households', 'policy maximum 户数上限'),
    ('grid_sizes', 'bounds', 'below, within or above the bounds 是否达标'),
    ('grid_classes', 'community_code', 'community code 社区代码'),
    ('grid_classes', 'county_code', 'county code 县(市)代码'),
    ('grid_classes', 'grid_class', 'grid class 网格类型'),
    ('grid_classes', 'grid_class_zh', 'grid class, Chinese 网格类型'),
    ('grid_classes', 'grids', 'live grids 网格数'),
    ('staffing_compliance', 'division_code', 'street or community code 区划代码'),
    ('staffing_compliance', 'county_code', 'county code 县(市)代码'),
    ('staffing_compliance', 'rule_id', 'rule checked 规则'),
    ('staffing_compliance', 'measure', 'what is measured 指标'),
    ('staffing_compliance', 'value', 'measured value 实际值'),
    ('staffing_compliance', 'bound', 'policy bound 政策标准'),
    ('staffing_compliance', 'ok', 'complies 是否达标'),
    ('funds_passed_on', 'street_code', 'street code 街道代码'),
    ('funds_passed_on', 'county_code', 'county code 县(市)代码'),
    ('funds_passed_on', 'year', 'year 年度'),
    ('funds_passed_on', 'allocated', 'allocated to the street 街道经费, yuan'),
    ('funds_passed_on', 'passed_on', 'passed on to its communities 下沉社区, yuan'),
    ('funds_passed_on', 'share', 'share passed on 下沉比例'),
    ('funds_passed_on', 'min_share', 'policy minimum share 最低比例'),
    ('funds_passed_on', 'keeps_too_much', 'below the minimum 未达标'),
    ('community_funds', 'community_code', 'community code 社区代码'),
    ('community_funds', 'county_code', 'county code 县(市)代码'),
    ('community_funds', 'year', 'year 年度'),
    ('community_funds', 'working_funds', 'working funds 工作经费, yuan'),
    ('community_funds', 'working_min', 'policy minimum 工作经费下限'),
    ('community_funds', 'service_funds', 'service funds 服务群众专项经费, yuan'),
    ('community_funds', 'service_min', 'policy minimum 专项经费下限'),
    ('community_funds', 'below_minimum', 'either below its minimum 未达标'),
    ('account_balances', 'community_code', 'community code 社区代码'),
    ('account_balances', 'county_code', 'county code 县(市)代码'),
    ('account_balances', 'account_kind', 'account kind 账户类别: working, service, earmarked'),
    ('account_balances', 'accounts', 'accounts 账户数'),
    ('account_balances', 'credited', 'credited 收入, yuan'),
    ('account_balances', 'paid', 'paid out 支出, yuan'),
    ('account_balances', 'committed', 'approved or open, not yet paid 待支付, yuan'),
    ('account_balances', 'balance', 'balance 余额, yuan'),
    ('expenses_by_route', 'community_code', 'community code 社区代码'),
    ('expenses_by_route', 'county_code', 'county code 县(市)代码'),
    ('expenses_by_route', 'month', 'month submitted 月份 (first day)'),
    ('expenses_by_route', 'route_code', 'approval route 审批路径'),
    ('expenses_by_route', 'expenses', 'expenses 笔数'),
    ('expenses_by_route', 'amount', 'amount 金额, yuan'),
    ('expenses_by_route', 'paid', 'paid 已支付笔数'),
    ('expenses_by_route', 'flagged_splits', 'flagged as split expenses 拆分支出'),
    ('service_matters', 'county_code', 'county code 县(市)代码'),
    ('service_matters', 'matter_code', 'matter 事项代码'),
    ('service_matters', 'matter_zh', 'matter, Chinese 事项名称'),
    ('service_matters', 'applications', 'applications 申请件数'),
    ('service_matters', 'approved', 'approved 批准'),
    ('service_matters', 'rejected', 'rejected 不予批准'),
    ('service_matters', 'on_behalf', 'taken on the resident''s behalf 代办代访代诉'),
    ('service_matters', 'median_days', 'median days to a decision 办理天数中位数'),
    ('service_matters', 'open_applications', 'open now 在办'),
    ('service_matters', 'overdue', 'open and past the step''s deadline 逾期'),
    ('work_access', 'county_code', 'county code 县(市)代码'),
    ('work_access', 'department', 'county department 县直部门 (identifier)'),
    ('work_access', 'department_zh', 'department, Chinese 部门名称'),
    ('work_access', 'tasks', 'tasks handed down 下派任务'),
    ('work_access', 'accepted', 'accepted 接收'),
    ('work_access', 'refusable', 'refusable, not refused 可拒绝'),
    ('work_access', 'refused', 'refused by the community 拒绝办理'),
    ('work_access', 'funding', 'funds handed down 随事转经费, yuan'),
    ('community_evaluations', 'period_code', 'evaluation period 考核周期'),
    ('community_evaluations', 'period_kind', 'routine 平时 or year_end 年终'),
    ('community_evaluations', 'community_code', 'community code 社区代码'),
    ('community_evaluations', 'county_code', 'county code 县(市)代码'),
    ('community_evaluations', 'indicator', 'indicator score 指标考评'),
    ('community_evaluations', 'satisfaction', 'public satisfaction 公众满意度测评'),
    ('community_evaluations', 'leadership', 'leadership rating 领导评价'),
    ('community_evaluations', 'merit', 'merit points 绩优加分'),
    ('community_evaluations', 'error', 'error points 绩误减分'),
    ('community_evaluations', 'composite', 'composite 综合得分'),
    ('community_evaluations', 'county_rank', 'rank in the county 县内排名, rank(): ties share, next skips'),
    ('community_evaluations', 'county_dense_rank', 'rank in the county 县内排名, dense_rank(): ties share, no gap'),
    ('street_grades', 'period_code', 'year-end period 年终考核'),
    ('street_grades', 'street_code', 'street code 街道代码'),
    ('street_grades', 'county_code', 'county code 县(市)代码'),
    ('street_grades', 'communities', 'communities of the street 社区数'),
    ('street_grades', 'communities_scored', 'communities evaluated 参评社区数'),
    ('street_grades', 'community_average', 'communities'' average 社区平均成绩'),
    ('street_grades', 'own_score', 'street''s own score 街道自身成绩'),
    ('street_grades', 'grade_score', 'grade score 定等得分'),
    ('street_grades', 'band', 'grade 等次: excellent, good, pass, fail'),
    ('street_grades', 'band_zh', 'grade 等次: 优秀, 良好, 合格, 不合格'),
    ('street_grades', 'county_rank', 'rank in the county 县内排名, rank()'),
    ('street_grades', 'county_dense_rank', 'rank in the county 县内排名, dense_rank()'),
    ('department_evaluations', 'period_code', 'evaluation period 考核周期'),
    ('department_evaluations', 'county_code', 'county code 县(市)代码'),
    ('department_evaluations', 'department', 'county department 县直部门 (identifier)'),
    ('department_evaluations', 'department_zh', 'department, Chinese 部门名称'),
    ('department_evaluations', 'communities_assigned', 'communities it assigned tasks 下达任务社区数'),
    ('department_evaluations', 'communities_rated', 'communities that rated it 参评社区数'),
    ('department_evaluations', 'average_rating', 'average rating 反向考评平均分'),
    ('department_evaluations', 'county_rank', 'rank in the county 县内排名, rank()'),
    ('department_evaluations', 'county_dense_rank', 'rank in the county 县内排名, dense_rank()'),
    ('premises', 'community_code', 'community code 社区代码'),
    ('premises', 'county_code', 'county code 县(市)代码'),
    ('premises', 'sites', 'sites 场所数'),
    ('premises', 'area_m2', 'office and service area 办公服务用房面积, m²'),
    ('premises', 'min_area_m2', 'policy norm 面积标准, m²'),
    ('premises', 'meets_norm', 'area at or above the norm 面积达标'),
    ('premises', 'room_kinds', 'kinds of functional rooms 功能室种类数'),
    ('premises', 'rooms', 'functional rooms 功能室, comma-separated identifiers'),
    ('activities_missed', 'community_code', 'community code 社区代码'),
    ('activities_missed', 'county_code', 'county code 县(市)代码'),
    ('activities_missed', 'month', 'month 月份 (first day)'),
    ('activities_missed', 'themes', 'themes set 月度主题数'),
    ('activities_missed', 'weeks', 'full weeks so far (Monday in the month) 周数'),
    ('activities_missed', 'weeks_without_activity', 'weeks with fewer activities than policy 无活动周数'),
    ('activities_missed', 'missed_theme', 'fewer themes than policy 缺月度主题')
  ) v(view, col, txt) LOOP
    EXECUTE format('COMMENT ON COLUMN sdbc_report.%I.%I IS %L', r.view, r.col, r.txt);
  END LOOP;
END $$;
COMMENT ON COLUMN sdbc_report.key_figures.refreshed_at IS 'time of the snapshot 数据时点 (sdbc.report_refresh()); every row of a snapshot has the same';
COMMENT ON COLUMN sdbc.report_key_figures.refreshed_at IS 'time of the snapshot 数据时点';
-- key_figures_live and the snapshot: the columns of key_figures.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS txt FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = 'sdbc_report.key_figures'::regclass AND a.attnum > 0 AND a.attname <> 'refreshed_at' LOOP
    EXECUTE format('COMMENT ON COLUMN sdbc_report.key_figures_live.%I IS %L', r.attname, r.txt);
    EXECUTE format('COMMENT ON COLUMN sdbc.report_key_figures.%I IS %L', r.attname, r.txt);
  END LOOP;
END $$;

-- The reader: this schema and nothing else (the views read as their owner).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'sdbc_reader') THEN
    CREATE ROLE sdbc_reader NOLOGIN;
  END IF;
END $$;
GRANT USAGE ON SCHEMA sdbc_report TO sdbc_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA sdbc_report TO sdbc_reader;
GRANT EXECUTE ON FUNCTION sdbc.report_staff_compliance(), sdbc.report_service_open() TO sdbc_reader;
-- Who sees and changes what (issue 8): roles shipped with the extension, the
-- mapping of login roles to the divisions they serve, row-level security on
-- every table holding people, households, money or cases, and ID numbers
-- masked unless the caller may read them in full (docs/security.md).
--
-- Tables are owned by the extension's owner (a superuser), and RLS is
-- enabled, not forced: the owner, superusers and pg_restore are not
-- filtered.  Policies apply to the four staff roles below (and to login
-- roles that are members of them).

-- Group roles (cluster-wide: created when missing, left behind by DROP
-- EXTENSION).  NOLOGIN: grant them to login roles.
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['sdbc_prefecture_admin', 'sdbc_county_department', 'sdbc_street_office',
                           'sdbc_community_staff', 'sdbc_id_reader'] LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;

-- Login role → division(s) served.
CREATE TABLE sdbc.role_division (
  role_name  name NOT NULL CONSTRAINT role_division_role_not_blank CHECK (btrim(role_name) <> ''),
  division   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  office     text REFERENCES sdbc.office (office),
  note       text,
  CONSTRAINT role_division_unique UNIQUE NULLS NOT DISTINCT (role_name, division, office)
);
COMMENT ON TABLE sdbc.role_division IS
  'Which divisions a login (or group) role serves 管辖范围: without office, the division and everything below it (community staff: a community, a street office: a street, the prefecture: a prefecture); with office, only the cases and tasks routed to that office (a county department 县直部门) inside the division. Written by the extension owner; each role reads its own rows';
COMMENT ON COLUMN sdbc.role_division.role_name IS 'login or group role (by name, like pg_hba.conf; a mapping of a dropped role is inert)';
COMMENT ON COLUMN sdbc.role_division.division IS 'division 行政区划 served, with everything below it';
COMMENT ON COLUMN sdbc.role_division.office IS 'office 部门 (e.g. county_department): the role sees cases routed to this office and tasks handed down by it, inside the division; NULL: the whole division';
COMMENT ON COLUMN sdbc.role_division.note IS 'free text';
SELECT pg_catalog.pg_extension_config_dump('sdbc.role_division', '');

ALTER TABLE sdbc.role_division ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_division_own ON sdbc.role_division FOR SELECT
  USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = role_division.role_name
                    AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE')));
COMMENT ON POLICY role_division_own ON sdbc.role_division IS 'A role reads the mappings of itself and of the roles it is a member of';

-- The caller's jurisdiction.  These run as the caller (not SECURITY
-- DEFINER): inside a SECURITY DEFINER function current_user is the owner,
-- so it could not tell whose divisions to return.  The mapping table's own
-- policy limits them to the caller's rows, and they filter again.
CREATE FUNCTION sdbc.my_divisions() RETURNS sdbc.divcode[]
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT coalesce(array_agg(DISTINCT d.division), '{}')
    FROM sdbc.role_division d
   WHERE d.office IS NULL
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = d.role_name AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE'))
  $$;
COMMENT ON FUNCTION sdbc.my_divisions() IS
  'Divisions the current role serves whole (sdbc.role_division rows without office, of itself and the roles it is a member of); the row-level security policies compare a row''s division with these (OPERATOR(sdbc.<@) ANY)';

CREATE FUNCTION sdbc.my_offices() RETURNS TABLE (office text, division sdbc.divcode)
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT DISTINCT d.office, d.division
    FROM sdbc.role_division d
   WHERE d.office IS NOT NULL
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = d.role_name AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE'))
  $$;
COMMENT ON FUNCTION sdbc.my_offices() IS
  'Offices the current role acts as, each inside a division (sdbc.role_division rows with office): a county department sees the cases routed to its office and the tasks it handed down there';

CREATE FUNCTION sdbc.serves(d sdbc.divcode) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT d OPERATOR(sdbc.<@) ANY (sdbc.my_divisions()) $$;
COMMENT ON FUNCTION sdbc.serves(sdbc.divcode) IS
  'True when the current role serves division d: one of its mapped divisions (sdbc.my_divisions()) is d or an ancestor of d';

CREATE FUNCTION sdbc.case_routed_to_me(route_code text, route_version integer, division sdbc.divcode) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT EXISTS (SELECT 1 FROM sdbc.route_step s JOIN sdbc.my_offices() m ON m.office = s.office
                  WHERE s.route_code = case_routed_to_me.route_code AND s.version = case_routed_to_me.route_version
                    AND case_routed_to_me.division OPERATOR(sdbc.<@) m.division)
  $$;
COMMENT ON FUNCTION sdbc.case_routed_to_me(text, integer, sdbc.divcode) IS
  'True when a step of the route (version) is one of the current role''s offices (sdbc.my_offices()) and the case''s division lies inside that office''s division: what a county department sees';

CREATE FUNCTION sdbc.sees_all() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) $$;
COMMENT ON FUNCTION sdbc.sees_all() IS
  'True for a superuser or a role with BYPASSRLS, whom row-level security does not filter; the masked views filter the same way';

GRANT SELECT ON sdbc.role_division TO PUBLIC;

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

-- Identity numbers staff entered through sdbc.resident_set_id_number()
-- (sql/98_id_number.sql): pending until the HR office applies them
-- (sdbc.id_numbers_apply), then set, or held by another resident and left
-- to resolve.  Staff see neither the table nor the outcome: for them an
-- entered number looks set at once (sdbc.resident_masked below), so that
-- trying numbers tells them nothing.
CREATE TABLE sdbc.id_number_attempt (
  attempt_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  role_name     name NOT NULL,
  attempted_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  resident_id   bigint NOT NULL REFERENCES sdbc.resident (resident_id),
  community     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  id_number     sdbc.idcard NOT NULL,
  outcome       text NOT NULL CONSTRAINT id_number_attempt_outcome CHECK (outcome IN ('pending', 'set', 'held_elsewhere', 'resolved'))
);
COMMENT ON TABLE sdbc.id_number_attempt IS
  'Identity numbers 公民身份号码 entered through sdbc.resident_set_id_number() (R9.1): pending until sdbc.id_numbers_apply() writes them (set) or finds them held by another resident (held_elsewhere, to be resolved by the HR office — a resident who moved, or a mistyped number); staff see an entered number as set at once; written by the function, read and applied by sdbc_id_reader only';
COMMENT ON COLUMN sdbc.id_number_attempt.attempt_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.id_number_attempt.role_name IS 'role that entered the number';
COMMENT ON COLUMN sdbc.id_number_attempt.attempted_at IS 'when';
COMMENT ON COLUMN sdbc.id_number_attempt.resident_id IS 'resident whose number was entered';
COMMENT ON COLUMN sdbc.id_number_attempt.community IS 'community 社区 of that resident';
COMMENT ON COLUMN sdbc.id_number_attempt.id_number IS 'the number entered (personal data)';
COMMENT ON COLUMN sdbc.id_number_attempt.outcome IS 'pending 待核 (entered, not yet applied); set 已登记; held_elsewhere 他人已登记 (not written); resolved 已处理 (by sdbc_id_reader)';
CREATE INDEX id_number_attempt_resident_idx ON sdbc.id_number_attempt (resident_id, attempt_id);
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt_attempt_id_seq', '');

-- ID numbers masked unless the caller is a member of sdbc_id_reader.  The
-- views run with their owner's rights (the staff roles may not read the
-- id_number columns) and so filter rows themselves, exactly as the tables'
-- policies do; current_user inside a view is the caller.
CREATE VIEW sdbc.resident_masked WITH (security_barrier) AS
  SELECT r.resident_id, r.household_id, h.community,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN r.id_number::text
              ELSE sdbc.idcard_mask(s.shown) END AS id_number,
         sdbc.idcard_age(CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN r.id_number
                              ELSE s.shown END) AS age,
         r.name, r.floating, r.key_population, r.key_reason
    FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
         -- the number shown to staff: the latest number entered for the
         -- resident while pending or held by another resident, else his own (R9.1)
         CROSS JOIN LATERAL (
           SELECT coalesce((SELECT CASE WHEN a.outcome IN ('pending', 'held_elsewhere') THEN a.id_number END
                              FROM sdbc.id_number_attempt a
                             WHERE a.resident_id = r.resident_id AND a.outcome <> 'resolved'
                             ORDER BY a.attempt_id DESC LIMIT 1), r.id_number) AS shown) s
   WHERE sdbc.sees_all() OR h.community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON VIEW sdbc.resident_masked IS
  'Residents 居民 the caller serves, ID numbers masked 脱敏 unless the caller is a member of sdbc_id_reader (the staff roles cannot read sdbc.resident.id_number); for staff, a number entered shows as entered, pending or held by another resident alike (sdbc.id_number_attempt)';
COMMENT ON COLUMN sdbc.resident_masked.resident_id IS 'resident';
COMMENT ON COLUMN sdbc.resident_masked.household_id IS 'household 户';
COMMENT ON COLUMN sdbc.resident_masked.community IS 'community 社区';
COMMENT ON COLUMN sdbc.resident_masked.id_number IS 'identity number 公民身份号码: in full for members of sdbc_id_reader, else masked (sdbc.idcard_mask), as staff last entered it (sdbc.id_number_attempt)';
COMMENT ON COLUMN sdbc.resident_masked.age IS 'age today 年龄, from the identity number shown (NULL without one)';
COMMENT ON COLUMN sdbc.resident_masked.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.resident_masked.floating IS 'floating population 流动人口';
COMMENT ON COLUMN sdbc.resident_masked.key_population IS 'key population 重点人口';
COMMENT ON COLUMN sdbc.resident_masked.key_reason IS 'why key population';

CREATE VIEW sdbc.staff_masked WITH (security_barrier) AS
  SELECT s.staff_id, s.name,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN s.id_number::text
              ELSE sdbc.idcard_mask(s.id_number) END AS id_number,
         s.division, s.category, s.sex, s.education, s.rank, s.party_member, s.street_leader
    FROM sdbc.staff s
   WHERE sdbc.sees_all() OR s.division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON VIEW sdbc.staff_masked IS
  'Staff 工作人员 the caller serves, ID numbers masked 脱敏 unless the caller is a member of sdbc_id_reader (the staff roles cannot read sdbc.staff.id_number)';
COMMENT ON COLUMN sdbc.staff_masked.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.staff_masked.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.staff_masked.id_number IS 'identity number 公民身份号码: in full for members of sdbc_id_reader, else masked (sdbc.idcard_mask)';
COMMENT ON COLUMN sdbc.staff_masked.division IS 'division served now 工作单位';
COMMENT ON COLUMN sdbc.staff_masked.category IS 'establishment 编制';
COMMENT ON COLUMN sdbc.staff_masked.sex IS 'sex 性别';
COMMENT ON COLUMN sdbc.staff_masked.education IS 'education 学历';
COMMENT ON COLUMN sdbc.staff_masked.rank IS 'rank 职级';
COMMENT ON COLUMN sdbc.staff_masked.party_member IS 'party member 党员';
COMMENT ON COLUMN sdbc.staff_masked.street_leader IS 'street leadership 街道领导班子';

-- Eligibility by age reads the age from the masked view, so that it works
-- for staff roles, which may not read id_number (same result for the owner).
CREATE OR REPLACE FUNCTION sdbc.eligible_working_age(resident_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN EXISTS (SELECT 1 FROM sdbc.resident_masked r WHERE r.resident_id = eligible_working_age.resident_id
                    AND r.age BETWEEN 16 AND 59);

-- The other views of sdbc run with their owner's rights (the reporting
-- views read through them), so they would not be filtered: the staff roles
-- get no rights on them.

-- Privileges.
-- Reference data and the engine's lookup tables: read by every staff role.
GRANT SELECT ON sdbc.office, sdbc.office_member, sdbc.post, sdbc.route, sdbc.route_step, sdbc.route_rule,
                sdbc.calendar_day, sdbc.service_matter, sdbc.task_type, sdbc.grid, sdbc.grid_class,
                sdbc.street_office
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
-- Rows the triggers lock writers on (no data).
GRANT SELECT, INSERT, UPDATE ON sdbc.grid_write_lock, sdbc.staff_limit_lock, sdbc.staff_absence_lock
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA sdbc
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
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
GRANT SELECT, INSERT, UPDATE ON sdbc.building, sdbc.household, sdbc.duty_shift, sdbc.expense,
                                sdbc.approval_case
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
-- id_number is not among the columns they write: a unique violation would
-- tell them whether any number is registered (sdbc.resident_set_id_number()
-- sets it instead, sql/98_id_number.sql); sdbc_id_reader may write it.
GRANT INSERT (household_id, name, floating, key_population, key_reason),
      UPDATE (household_id, name, floating, key_population, key_reason)
  ON sdbc.resident TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (id_number), UPDATE (id_number) ON sdbc.resident, sdbc.staff TO sdbc_id_reader;
GRANT SELECT, INSERT ON sdbc.household_visit, sdbc.absence, sdbc.decision, sdbc.service_application,
                        sdbc.account_entry
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT ON sdbc.staff_move, sdbc.account, sdbc.task_assignment TO sdbc_community_staff;
GRANT UPDATE (last_paid_at) ON sdbc.account TO sdbc_community_staff;
GRANT UPDATE (status, refusal_reason, refused_on, refused_by) ON sdbc.task_assignment TO sdbc_community_staff;
-- Street offices and the prefecture: also staff and their moves, accounts.
GRANT INSERT (name, division, category, sex, education, rank, party_member, street_leader),
      UPDATE (name, division, category, sex, education, rank, party_member, street_leader)
  ON sdbc.staff TO sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT, INSERT ON sdbc.staff_move TO sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT, INSERT, UPDATE ON sdbc.account, sdbc.task_assignment TO sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT, UPDATE ON sdbc.office_member, sdbc.post TO sdbc_street_office, sdbc_prefecture_admin;
-- The prefecture corrects mistakes: deletes where history does not forbid it.
GRANT DELETE ON sdbc.building, sdbc.household, sdbc.resident, sdbc.absence, sdbc.duty_shift, sdbc.household_visit,
                sdbc.office_member, sdbc.post
  TO sdbc_prefecture_admin;
-- County departments: the cases routed to them (decide; the engine updates
-- the case), the applications behind them, the tasks they hand down.
GRANT SELECT, UPDATE ON sdbc.approval_case TO sdbc_county_department;
GRANT SELECT, INSERT ON sdbc.decision TO sdbc_county_department;
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
-- Row-level security on the rest of a community's data (issue 8, second
-- part): grids and their history, incidents and drawing reports; emergency
-- squads, drills and joint defence; party organisation; evaluation scores
-- and reverse ratings; allocations; platforms, premises, themes and
-- activities; the street's internal offices.  Same pattern and helpers as
-- sql/97_roles.sql (sdbc.my_divisions(), sdbc.my_offices()): one policy per
-- table for the four staff roles, what each role may do is a matter of
-- grants.  Then sdbc_scoped: caller-rights (security_invoker) copies of the
-- views of sdbc that staff work from.  Who may do what, and why:
-- docs/security.md.

-- ---------------------------------------------------------------- policies
-- pred:  the rows the staff roles see (and, unless chk says otherwise, write);
-- chk:   an extra condition on new rows (a row that points at a grid, a
--        building or a person must point at one the role sees, so that a
--        trigger that reads it as the caller cannot be passed by a row it
--        does not find).
DO $$
DECLARE
  staff_roles constant text := 'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff';
  mine constant text := '(SELECT sdbc.my_divisions())::sdbc.divcode[]';
  p record;
BEGIN
  FOR p IN SELECT * FROM (VALUES
    -- grids (R7)
    ('grid', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a grid of a community the role serves'),
    ('grid_class_history', 'EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = grid_class_history.grid_code)', NULL,
       'a reclassification of a grid the role sees'),
    ('grid_incident', 'EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = grid_incident.grid_code)', NULL,
       'an incident in a grid the role sees'),
    ('grid_draw_report', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a drawing report of a community the role serves'),
    -- safety (R12.3)
    ('squad_member', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'staff_id IS NULL OR EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = squad_member.staff_id)',
       'a squad member of a community the role serves (a member who is staff: staff the role sees)'),
    ('drill', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a drill of a community the role serves'),
    ('joint_defence_group', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a joint-defence group of a community the role serves'),
    ('joint_defence_shop', 'EXISTS (SELECT 1 FROM sdbc.joint_defence_group g WHERE g.group_id = joint_defence_shop.group_id)',
       'building_id IS NULL OR EXISTS (SELECT 1 FROM sdbc.building b WHERE b.building_id = joint_defence_shop.building_id)',
       'a shop of a joint-defence group the role sees (in a building it sees)'),
    -- party organisation (R6.1)
    ('party_committee', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the big party committee of a community the role serves'),
    ('party_member_unit', 'EXISTS (SELECT 1 FROM sdbc.party_committee c WHERE c.committee_id = party_member_unit.committee_id)', NULL,
       'a member unit of a party committee the role sees'),
    ('party_branch', 'EXISTS (SELECT 1 FROM sdbc.party_committee c WHERE c.committee_id = party_branch.committee_id)',
       'EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = party_branch.grid_code)',
       'a grid party branch of a committee the role sees (on a grid it sees)'),
    ('party_group', 'EXISTS (SELECT 1 FROM sdbc.party_branch b WHERE b.branch_id = party_group.branch_id)',
       'EXISTS (SELECT 1 FROM sdbc.building b WHERE b.building_id = party_group.building_id)',
       'a building party group of a branch the role sees (in a building it sees)'),
    -- evaluation (R5)
    ('community_score', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the scores of a community the role serves'),
    ('street_score', format('street OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the own score of a street the role serves'),
    ('department_rating', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a rating given by a community the role serves'),
    -- money passed down (R3.1, R3.5)
    ('street_allocation', format('street OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the allocation of a street the role serves'),
    ('community_allocation', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the funds passed on to a community the role serves'),
    -- facilities and activities (R9.1, R10.1, R11.1)
    ('community_platform', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the information platform of a community the role serves'),
    ('premises', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'premises of a community the role serves'),
    ('premises_room', 'EXISTS (SELECT 1 FROM sdbc.premises p WHERE p.premises_id = premises_room.premises_id)', NULL,
       'a functional room of premises the role sees'),
    ('monthly_theme', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a monthly theme of a community the role serves'),
    ('activity', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'an activity of a community the role serves')
  ) AS t (tbl, pred, chk, what) LOOP
    EXECUTE format('ALTER TABLE sdbc.%I ENABLE ROW LEVEL SECURITY', p.tbl);
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR ALL TO %s USING (%s) WITH CHECK (%s)',
                   p.tbl || '_jurisdiction', p.tbl, staff_roles, p.pred,
                   CASE WHEN p.chk IS NULL THEN p.pred ELSE format('(%s) AND (%s)', p.pred, p.chk) END);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', p.tbl || '_jurisdiction', p.tbl,
                   'Jurisdiction 属地管理: the staff roles see and write ' || p.what || ' (sdbc.role_division)');
  END LOOP;
END $$;

-- The county party organisation department (县委组织部) reads the party
-- organisation of the communities of its county (R6.1); other county
-- departments read none of it.
CREATE POLICY party_committee_organization ON sdbc.party_committee FOR SELECT TO sdbc_county_department
  USING (EXISTS (SELECT 1 FROM sdbc.my_offices() m
                  WHERE m.office = 'county_organization' AND party_committee.community OPERATOR(sdbc.<@) m.division));
COMMENT ON POLICY party_committee_organization ON sdbc.party_committee IS
  'A county department acting as county_organization (县委组织部) reads the big party committees inside its division, and through them their member units, branches and groups (R6.1)';

-- A street's internal offices (R2.2): organisation, not personal data, and
-- read across divisions by sdbc.staff_compliance(); written by the street
-- itself and the prefecture.
ALTER TABLE sdbc.street_office ENABLE ROW LEVEL SECURITY;
CREATE POLICY street_office_read ON sdbc.street_office FOR SELECT USING (true);
COMMENT ON POLICY street_office_read ON sdbc.street_office IS
  'Everyone who may read the table reads every row (a street''s offices are public organisation; R2.2 compliance compares streets)';
CREATE POLICY street_office_write ON sdbc.street_office FOR INSERT TO sdbc_prefecture_admin, sdbc_street_office
  WITH CHECK (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY street_office_write ON sdbc.street_office IS 'Offices are added to a street the role serves';
CREATE POLICY street_office_change ON sdbc.street_office FOR UPDATE TO sdbc_prefecture_admin, sdbc_street_office
  USING (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))
  WITH CHECK (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY street_office_change ON sdbc.street_office IS 'Offices of a street the role serves are changed, and stay in it';
CREATE POLICY street_office_delete ON sdbc.street_office FOR DELETE TO sdbc_prefecture_admin
  USING (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY street_office_delete ON sdbc.street_office IS 'The prefecture deletes offices of a street it serves';

-- ---------------------------------------------------------------- privileges
-- Reference tables the triggers of these tables read as the caller.
GRANT SELECT ON sdbc.evaluation_period, sdbc.room_kind
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- Read: every staff role but the county departments, its jurisdiction's rows.
GRANT SELECT ON sdbc.grid_class_history, sdbc.grid_incident, sdbc.grid_draw_report,
                sdbc.squad_member, sdbc.drill, sdbc.joint_defence_group, sdbc.joint_defence_shop,
                sdbc.party_committee, sdbc.party_member_unit, sdbc.party_branch, sdbc.party_group,
                sdbc.community_score, sdbc.department_rating, sdbc.community_allocation,
                sdbc.community_platform, sdbc.premises, sdbc.premises_room, sdbc.monthly_theme, sdbc.activity
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
-- A street's own score and allocation: the street and the prefecture.
GRANT SELECT ON sdbc.street_score, sdbc.street_allocation TO sdbc_prefecture_admin, sdbc_street_office;
-- County departments: grids are no business of theirs (sql/97_roles.sql
-- gave every staff role SELECT on grid for building placement, which they
-- do not do); the organisation department reads the party organisation.
REVOKE SELECT ON sdbc.grid FROM sdbc_county_department;
GRANT SELECT ON sdbc.party_committee, sdbc.party_member_unit, sdbc.party_branch, sdbc.party_group
  TO sdbc_county_department;

-- Community staff record what the community does: incidents in its grids,
-- its squad, drills and joint defence, building party groups and member
-- units, its themes and activities, and its ratings of the departments
-- that handed it tasks (R5.4, reverse evaluation).  It deletes nothing.
GRANT INSERT, UPDATE ON sdbc.grid_incident, sdbc.squad_member, sdbc.drill, sdbc.joint_defence_group,
                        sdbc.joint_defence_shop, sdbc.party_member_unit, sdbc.party_group,
                        sdbc.monthly_theme, sdbc.activity
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
-- The ratings are the community's voice: only the community writes them.
GRANT INSERT, UPDATE ON sdbc.department_rating TO sdbc_community_staff;
-- Street offices and the prefecture: also grids (drawn and retired, never
-- deleted) with their history and drawing reports, committees and branches,
-- funds passed on to communities, platforms, premises, the street's offices.
GRANT INSERT, UPDATE ON sdbc.grid, sdbc.party_committee, sdbc.party_branch, sdbc.community_allocation,
                        sdbc.community_platform, sdbc.premises, sdbc.street_office
  TO sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT ON sdbc.grid_class_history, sdbc.grid_draw_report TO sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT, DELETE ON sdbc.premises_room TO sdbc_street_office, sdbc_prefecture_admin;
-- The county level (a sdbc_prefecture_admin login mapped to a county or the
-- prefecture): the treasury's allocation to a street and the scores of
-- communities and streets (R5.4: the county evaluation office evaluates;
-- a street that scored its own communities would write 90 % of its own
-- grade, R5.2).  It corrects mistakes by deleting, except history
-- (grids, reclassifications, drawing reports) and the communities' own
-- ratings, which it may only delete.
GRANT INSERT, UPDATE ON sdbc.community_score, sdbc.street_score, sdbc.street_allocation TO sdbc_prefecture_admin;
GRANT DELETE ON sdbc.grid_incident, sdbc.squad_member, sdbc.drill, sdbc.joint_defence_group, sdbc.joint_defence_shop,
                sdbc.party_committee, sdbc.party_member_unit, sdbc.party_branch, sdbc.party_group,
                sdbc.community_score, sdbc.street_score, sdbc.department_rating,
                sdbc.street_allocation, sdbc.community_allocation, sdbc.community_platform, sdbc.premises,
                sdbc.monthly_theme, sdbc.activity, sdbc.street_office
  TO sdbc_prefecture_admin;
GRANT EXECUTE ON FUNCTION sdbc.drill_missed(date, sdbc.divcode), sdbc.party_totals(sdbc.divcode),
                          sdbc.duty_week_report(date, sdbc.divcode), sdbc.duty_gaps(sdbc.divcode, date),
                          sdbc.grid_not_visited(date, sdbc.divcode), sdbc.key_household_unvisited(date, sdbc.divcode)
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- ---------------------------------------------------------------- sdbc_scoped
-- The views of sdbc run with their owner's rights: the reporting views of
-- sdbc_report read through them (and a security_invoker view nested in an
-- owner-rights view is checked against the caller, which would break
-- sdbc_reader), so they stay as they are and the staff roles get no rights
-- on them.  Staff read caller-rights copies instead, with the same names,
-- columns and comments in schema sdbc_scoped: row-level security of the
-- tables below applies, so a community login sees its own rows only.
-- The copies are made from the views' own definitions (pg_get_viewdef with
-- every name qualified), references to other copied views pointing at
-- their copies.  scope: a division column to keep to the caller's
-- divisions, for views whose rows come from the public division list (a
-- community would otherwise see its neighbours listed with nothing).
CREATE SCHEMA sdbc_scoped;
COMMENT ON SCHEMA sdbc_scoped IS
  'Caller-rights (security_invoker) copies of the views of sdbc for the staff roles: same names, columns and comments, rows filtered by row-level security to the caller''s jurisdiction (docs/security.md)';
GRANT USAGE ON SCHEMA sdbc_scoped
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;

DO $$
DECLARE
  v record;
  c record;
  def text;
  done text[] := '{}';
  d text;
  saved_path constant text := pg_catalog.current_setting('search_path');
BEGIN
  FOR v IN SELECT * FROM (VALUES
    -- (in dependency order: a view after those it reads)
    (1,  'case_step_open',           'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (2,  'case_overdue',             'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (3,  'refusal_reasons_overdue',  'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (4,  'service_open',             'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (5,  'service_monthly',          'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (6,  'service_duration',         'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (7,  'task_by_department',       'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (8,  'task_refused_by_community','sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (9,  'party_by_community',       'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (10, 'expense_open',             'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (11, 'expense_split',            'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (12, 'account_balance',          'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (13, 'community_min_funds',      'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', 'community'),
    (14, 'street_funds_passed_on',   'sdbc_prefecture_admin, sdbc_street_office', NULL),
    (15, 'grid_size',                'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (16, 'grid_out_of_bounds',       'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (17, 'grid_without_leader',      'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (18, 'household_placed',         'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (19, 'household_outside_grid',   'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (20, 'community_coverage_gap',   'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', 'community'),
    (21, 'joint_defence_group_size', 'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (22, 'party_group_misplaced',    'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (23, 'staff_violation',          'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', 'division'),
    (24, 'community_evaluation',     'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (25, 'street_grade',             'sdbc_prefecture_admin, sdbc_street_office', NULL),
    (26, 'department_evaluation',    'sdbc_prefecture_admin, sdbc_street_office', NULL)
  ) AS t (n, name, roles, scope) ORDER BY n LOOP
    -- every name qualified in the definition; the join of USING (…) on
    -- divcode columns prints no operator, so it is created with sdbc's
    -- operators on the path
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    def := pg_catalog.rtrim(pg_catalog.pg_get_viewdef(pg_catalog.format('sdbc.%I', v.name)::pg_catalog.regclass), E'; \n');
    FOREACH d IN ARRAY done LOOP
      def := pg_catalog.regexp_replace(def, '\msdbc\.' || d || '\M', 'sdbc_scoped.' || d, 'g');
    END LOOP;
    IF v.scope IS NOT NULL THEN
      def := pg_catalog.format('SELECT * FROM (%s) scoped WHERE scoped.%I OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[])',
                               def, v.scope);
    END IF;
    PERFORM pg_catalog.set_config('search_path', 'sdbc, pg_catalog', true);
    EXECUTE pg_catalog.format('CREATE VIEW sdbc_scoped.%I WITH (security_invoker = true) AS %s', v.name, def);
    EXECUTE pg_catalog.format('COMMENT ON VIEW sdbc_scoped.%I IS %L', v.name,
      'sdbc.' || v.name || ' with the caller''s rights 按权限过滤: the rows of the caller''s jurisdiction (row-level security)'
      || CASE WHEN v.scope IS NOT NULL THEN ', kept to its divisions' ELSE '' END
      || '. ' || pg_catalog.obj_description(pg_catalog.format('sdbc.%I', v.name)::pg_catalog.regclass, 'pg_class'));
    FOR c IN SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS txt
               FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = pg_catalog.format('sdbc.%I', v.name)::pg_catalog.regclass AND a.attnum > 0 LOOP
      EXECUTE pg_catalog.format('COMMENT ON COLUMN sdbc_scoped.%I.%I IS %L', v.name, c.attname, c.txt);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT SELECT ON sdbc_scoped.%I TO %s', v.name, v.roles);
    done := done || v.name::text;
  END LOOP;
  PERFORM pg_catalog.set_config('search_path', saved_path, true);
END $$;

-- sdbc.party_totals() runs as the caller but read the owner-rights view
-- sdbc.party_by_community, closed to the staff roles: it reads the copy,
-- so that it counts the caller's jurisdiction (the owner, whom row-level
-- security does not filter, gets what it got before).
CREATE OR REPLACE FUNCTION sdbc.party_totals(under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (committees bigint, branches bigint, groups bigint, member_units bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*), coalesce(sum(p.branches), 0)::bigint, coalesce(sum(p.groups), 0)::bigint,
         coalesce(sum(p.member_units), 0)::bigint
    FROM sdbc_scoped.party_by_community p
   WHERE under IS NULL OR p.community OPERATOR(sdbc.<@) under;
END;
COMMENT ON FUNCTION sdbc.party_totals(sdbc.divcode) IS
  'Big party committees, grid branches, building groups and member units under a division, e.g. the prefecture (NULL: all), of the caller''s jurisdiction (reads sdbc_scoped.party_by_community) (R6.1; the paper counts 76, 282, 553)';
-- The person behind a login (docs/security.md): the approval engine records
-- who acted, and a login acts only as the staff member it is mapped to here
-- (src/login_staff.c: SD317 without a mapping, SD318 as someone else).

CREATE TABLE sdbc.role_staff (
  role_name  name PRIMARY KEY CONSTRAINT role_staff_role_not_blank CHECK (btrim(role_name) <> ''),
  staff_id   bigint REFERENCES sdbc.staff (staff_id),
  note       text
);
COMMENT ON TABLE sdbc.role_staff IS
  'Login role → the staff member 工作人员 it is: decisions (decision.actor), submissions and payments (expense.paid_by) by a role that is not a superuser or the tables'' owner must name this person (R3.2, R3.3, R4.1; SD317, SD318). Written by the administrator only';
COMMENT ON COLUMN sdbc.role_staff.role_name IS 'login role (by name; the role itself, not a group it belongs to)';
COMMENT ON COLUMN sdbc.role_staff.staff_id IS 'the staff member the role is; NULL: the role may record any staff member (an application server that authenticates its users itself — grant with care)';
COMMENT ON COLUMN sdbc.role_staff.note IS 'free text, e.g. who approved the mapping';
CREATE INDEX role_staff_staff_idx ON sdbc.role_staff (staff_id);
SELECT pg_catalog.pg_extension_config_dump('sdbc.role_staff', '');

-- Each role reads its own row; only the owner (the administrator) writes.
ALTER TABLE sdbc.role_staff ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_staff_own ON sdbc.role_staff FOR SELECT
  USING (role_name = current_user);
COMMENT ON POLICY role_staff_own ON sdbc.role_staff IS
  'A role reads its own mapping (the engine''s check runs as the role)';
GRANT SELECT ON sdbc.role_staff TO PUBLIC;

-- The current role's staff member: what a record of its own defaults to
-- (absences, task refusals); NULL without a mapping or for a role that may
-- record anyone.  As the caller: the table's policy shows its own row.
CREATE FUNCTION sdbc.my_staff_id() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT rs.staff_id FROM sdbc.role_staff rs WHERE rs.role_name = current_user $$;
COMMENT ON FUNCTION sdbc.my_staff_id() IS
  'The staff member 工作人员 the current role is (sdbc.role_staff); NULL without a mapping or for a role that may record anyone';

-- For the PL/pgSQL triggers that record a person (visits, absences).
CREATE FUNCTION sdbc.check_login_is(tbl regclass, staff_id bigint, doing text) RETURNS void
  AS 'MODULE_PATHNAME', 'check_login_is' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.check_login_is(regclass, bigint, text) IS
  'Raise SD317 or SD318 unless the current role is staff_id (sdbc.role_staff), or is a superuser or the owner of tbl; a NULL staff_id passes only for those (the record must name its author)';
-- Identity numbers written without an oracle (R9.1, docs/security.md): the
-- staff roles enter a resident's number through
-- sdbc.resident_set_id_number() (src/id_registration.c), which records it as
-- pending — the same for every number, so nothing in their transaction
-- depends on it — and staff see it as entered (sdbc.id_number_attempt,
-- sql/97_roles.sql).  The HR office (sdbc_id_reader) or the administrator
-- applies pending numbers to the registry with sdbc.id_numbers_apply().

ALTER TABLE sdbc.id_number_attempt ENABLE ROW LEVEL SECURITY;
CREATE POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt FOR ALL TO sdbc_id_reader
  USING (community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))
  WITH CHECK (community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt IS
  'Jurisdiction 属地管理: the HR office (sdbc_id_reader) reads and resolves the numbers entered in the divisions it serves (sdbc.role_division)';
GRANT SELECT, UPDATE (outcome) ON sdbc.id_number_attempt TO sdbc_id_reader;
-- (the apply function writes id_number as its caller: sdbc_id_reader has UPDATE (id_number) on sdbc.resident, sql/97_roles.sql)

CREATE FUNCTION sdbc.resident_set_id_number(resident_id bigint, id_number sdbc.idcard) RETURNS void
  AS 'MODULE_PATHNAME', 'resident_set_id_number' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) IS
  'Enter the identity number 公民身份号码 of a resident the caller serves (SD701 otherwise), R9.1: recorded as pending in sdbc.id_number_attempt and shown to staff as entered; sdbc.id_numbers_apply() writes it to the registry later, or finds it held by another resident — the caller learns neither';
REVOKE ALL ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard)
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- Apply pending numbers: in the caller's (HR office's or administrator's)
-- transaction, each pending number is written to its resident, or marked
-- held_elsewhere when another resident holds it (unique violation).
CREATE FUNCTION sdbc.id_numbers_apply()
  RETURNS TABLE (attempt_id bigint, resident_id bigint, outcome text)
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  a record;
  result text;
BEGIN
  FOR a IN SELECT x.attempt_id, x.resident_id, x.id_number FROM sdbc.id_number_attempt x
            WHERE x.outcome = 'pending' ORDER BY x.attempt_id FOR UPDATE LOOP
    BEGIN
      UPDATE sdbc.resident r SET id_number = a.id_number WHERE r.resident_id = a.resident_id;
      result := 'set';
    EXCEPTION WHEN unique_violation THEN
      result := 'held_elsewhere';
    END;
    UPDATE sdbc.id_number_attempt x SET outcome = result WHERE x.attempt_id = a.attempt_id;
    attempt_id := a.attempt_id; resident_id := a.resident_id; outcome := result;
    RETURN NEXT;
  END LOOP;
END $$;
COMMENT ON FUNCTION sdbc.id_numbers_apply() IS
  'Apply the pending identity numbers the caller may see (R9.1): each is written to its resident (set), or marked held_elsewhere when another resident holds it; returns what it did. For the HR office (sdbc_id_reader, which may write id_number) and the administrator, in a transaction of their own';
REVOKE ALL ON FUNCTION sdbc.id_numbers_apply() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.id_numbers_apply() TO sdbc_id_reader;
-- Built-in policy rows get fixed ids, the same in every database whatever
-- the order in which releases inserted them: negative, numbered by key,
-- division and date.  Rows a user adds take positive ids from the identity
-- sequence, so a dump of user rows (pg_extension_config_dump … 'WHERE NOT
-- builtin') restores into a fresh install of the same release without
-- colliding with its built-in rows, also when the dumped database was
-- updated from an earlier release (test/t/006_upgrade.pl).  Nothing refers
-- to policy_id; it is the row's handle only.  Runs at the end of the install
-- script and of every update script.
WITH old AS (DELETE FROM sdbc.policy WHERE builtin RETURNING *)
INSERT INTO sdbc.policy OVERRIDING SYSTEM VALUE
SELECT -row_number() OVER (ORDER BY key, division NULLS FIRST, valid_from), key, division, valid_from, value, builtin, note
  FROM old;
COMMENT ON COLUMN sdbc.policy.policy_id IS
  'surrogate key: negative and fixed for built-in rows (numbered by key, division, valid_from), positive for rows users add';
-- sdbc 0.1.0 → 0.2.0, part 3: after the files new in 0.2.0 (they define
-- sdbc.engine_trigger, sql/79_engine_write.sql).

-- sql/61_grid_rules.sql: every household update is placed; a trigger depth
-- says nothing of who writes.
CREATE OR REPLACE TRIGGER household_place_on_update BEFORE UPDATE OF building_id, community ON sdbc.household
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_place();

-- sql/89_service_hall.sql: the case of an application is the engine's write.
CREATE OR REPLACE TRIGGER service_application_check BEFORE INSERT ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.service_application_check()');
