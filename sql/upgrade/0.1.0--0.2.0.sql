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
