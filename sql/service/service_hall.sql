-- Applications at the community service hall (R4.1, R8.2) and the work
-- access list (R1).

CREATE TABLE sdbc.service_application (
  application_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_code     text NOT NULL REFERENCES sdbc.service_matter (matter_code),
  applicant       bigint NOT NULL REFERENCES sdbc.resident (resident_id),
  community       sdbc.divcode NOT NULL,
  taken_by        bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  proxy           text NOT NULL DEFAULT 'self'
                    CONSTRAINT service_application_proxy CHECK (proxy IN ('self', 'handle_for', 'visit_for', 'petition_for')),
  documents       text[] NOT NULL DEFAULT '{}',
  applied_on      date NOT NULL DEFAULT CURRENT_DATE,
  case_id         bigint REFERENCES sdbc.approval_case (case_id),
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.service_application IS
  'Applications taken at a community''s one-stop service hall (R4.1), by the resident or on his behalf (R8.2: 代办 handle for, 代访 visit for, 代诉 petition for), each on the route of its matter';
COMMENT ON COLUMN sdbc.service_application.application_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.service_application.matter_code IS 'matter 事项';
COMMENT ON COLUMN sdbc.service_application.applicant IS 'resident who applies (or on whose behalf)';
COMMENT ON COLUMN sdbc.service_application.community IS 'community whose hall took it: the applicant''s own';
COMMENT ON COLUMN sdbc.service_application.taken_by IS 'staff member who took it';
COMMENT ON COLUMN sdbc.service_application.proxy IS 'self, handle_for 代办, visit_for 代访, petition_for 代诉 (R8.2)';
COMMENT ON COLUMN sdbc.service_application.documents IS 'documents handed in';
COMMENT ON COLUMN sdbc.service_application.applied_on IS 'day of application 申请日期: today, or back-dated up to policy service.backdate.max_days by the street office or the prefecture (SD341-SD343)';
COMMENT ON COLUMN sdbc.service_application.case_id IS 'its case on the engine (set by the database)';
CREATE INDEX service_application_case_idx ON sdbc.service_application (case_id);
CREATE INDEX service_application_matter_idx ON sdbc.service_application (matter_code, applied_on);
SELECT pg_catalog.pg_extension_config_dump('sdbc.service_application', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.service_application_application_id_seq', '');

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('service.backdate.max_days', 'R4.2', 'days', 0, 366,
   'how many days back the street office may date an application (applied_on); community staff take applications today only', '办事申请日期最多可补记的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('service.backdate.max_days', NULL, '2014-01-01', 7, true, 'local default, not in the paper: an application taken on paper recorded within a week');

-- An application starts its case through the engine's one start path, in C
-- (src/service_start.c, src/case_start.c; issue 14 §2): matter, applicant and
-- taker named (23502), a restore by a superuser accepted as is (SD325 for
-- anyone else), these checks, the route by sdbc.route_rule, and the case.
-- The checks of the catalogue and the registry stay in SQL: they are queries
-- with the caller's rights, not the engine.
CREATE FUNCTION sdbc.service_application_verify(a sdbc.service_application) RETURNS text LANGUAGE plpgsql
  VOLATILE SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  m sdbc.service_matter;
  home sdbc.divcode;
  missing text[];
BEGIN
  -- the id and the day are the engine's (SD340-SD343, src/engine_ids.c)
  PERFORM sdbc.require_engine_id('sdbc.service_application', 'application_id', a.application_id);
  IF a.community IS NOT NULL THEN
    PERFORM sdbc.require_day_in_policy(a.applied_on, a.community, 'sdbc.service_application', 'applied_on',
                                       'service.backdate.max_days', 'R4.2');
  END IF;
  SELECT * INTO m FROM sdbc.service_matter x WHERE x.matter_code = a.matter_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD401', MESSAGE = format('unknown service matter "%s"', a.matter_code),
      DETAIL = 'Rule R4.2: applications are taken for the matters of the catalogue.',
      HINT = 'See SELECT matter_code, name_zh FROM sdbc.service_matter.';
  END IF;
  SELECT h.community INTO home FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
   WHERE r.resident_id = a.applicant;
  IF home IS NULL OR home <> a.community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD404',
      MESSAGE = format('resident %s does not live in community %s', a.applicant, a.community),
      DETAIL = 'Rule R4.1: a resident applies at the service hall of his own community, which holds the preliminary review.',
      HINT = format('Take the application at the hall of community %s.', coalesce(home::text, '(none)'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = a.taken_by AND s.division = a.community) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD405',
      MESSAGE = format('staff %s does not serve community %s', a.taken_by, a.community),
      DETAIL = 'Rule R4.1/R8.2: the community''s own staff take applications, also when they handle, visit or petition for a resident.',
      HINT = 'Let a member of the community''s staff take it.';
  END IF;
  missing := ARRAY(SELECT d FROM unnest(m.documents) d WHERE d <> ALL (a.documents));
  IF cardinality(missing) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'SD406',
      MESSAGE = format('application for %s lacks %s document(s): %s', m.name_zh, cardinality(missing), array_to_string(missing, '、')),
      DETAIL = 'Rule R4.2/R8.1: the community tells the applicant every missing document at once (一次性告知).',
      HINT = 'Hand in all of: ' || array_to_string(missing, '、');
  END IF;
  IF m.eligibility IS NOT NULL THEN
    IF NOT sdbc.eligibility_holds(m.eligibility, a.applicant) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD407',
        MESSAGE = format('resident %s is not eligible for %s', a.applicant, m.name_zh),
        DETAIL = format('Rule R4.2: the matter''s eligibility (%s) does not hold for the applicant.', m.eligibility),
        HINT = 'Check the applicant''s registration and age in the registry.';
    END IF;
  END IF;
  RETURN m.route_code;
END $$;
COMMENT ON FUNCTION sdbc.service_application_verify(sdbc.service_application) IS
  'The checks of an application 办事申请检查 that the trigger sdbc.service_application_start() runs before its case starts: an id the identity default drew (SD340), a day of application within policy (SD341-SD343), a catalogued matter (SD401), an applicant of the community (SD404), staff of the community (SD405), every required document (SD406, all missing listed at once), an eligible applicant (SD407); returns the matter''s own route (sdbc.service_matter.route_code)';
CREATE FUNCTION sdbc.service_application_start() RETURNS trigger
  AS 'MODULE_PATHNAME', 'service_application_start' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.service_application_start() IS
  'Trigger (C) on sdbc.service_application 办事申请: matter, applicant and taker named (23502), a row brought with its case accepted as is from a superuser''s restore only (SD325), the checks of sdbc.service_application_verify(); then the route by sdbc.route_rule (a rule naming the matter or any matter, else the matter''s route_code) and the case through the engine''s one start path (src/case_start.c), its first step opening on the day of application (R4.2, R8.1)';
CREATE TRIGGER service_application_check BEFORE INSERT ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.service_application_start();
CREATE FUNCTION sdbc.service_application_fixed() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD325', MESSAGE = 'an application is a record and does not change',
    DETAIL = 'Rule R4.2: the case on the engine carries its progress.',
    HINT = 'Act on its case with sdbc.decide().';
END $$;
COMMENT ON FUNCTION sdbc.service_application_fixed() IS 'Trigger: applications are not updated or deleted (SD325)';
CREATE TRIGGER service_application_fixed BEFORE UPDATE OR DELETE ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.service_application_fixed();

CREATE FUNCTION sdbc.apply(matter_code text, applicant bigint, taken_by bigint,
                           documents text[] DEFAULT '{}', proxy text DEFAULT 'self')
  RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO sdbc.service_application (matter_code, applicant, community, taken_by, proxy, documents)
  VALUES (apply.matter_code, apply.applicant,
          (SELECT h.community FROM sdbc.resident r JOIN sdbc.household h USING (household_id) WHERE r.resident_id = apply.applicant),
          apply.taken_by, apply.proxy, apply.documents)
  RETURNING application_id;
END;
COMMENT ON FUNCTION sdbc.apply(text, bigint, bigint, text[], text) IS
  'Take an application at the applicant''s community hall (R4.1), by the resident or on his behalf (proxy: handle_for 代办, visit_for 代访, petition_for 代诉, R8.2); returns its id; act on it with sdbc.decide(case_id, …)';

CREATE VIEW sdbc.service_open AS
  SELECT a.application_id, a.matter_code, m.name_zh AS matter_zh, a.community,
         sdbc.divcode_ancestor(o.division, 3) AS county, a.proxy, a.applied_on,
         o.current_step, o.office, o.step_zh, o.due_on, o.working_days_left, o.overdue
    FROM sdbc.service_application a
    JOIN sdbc.service_matter m USING (matter_code)
    JOIN sdbc.case_step_open o USING (case_id);
COMMENT ON VIEW sdbc.service_open IS 'Open applications by step, for each community and county department (office at the current step): deadline, working days left, overdue';
COMMENT ON COLUMN sdbc.service_open.application_id IS 'application';
COMMENT ON COLUMN sdbc.service_open.matter_code IS 'matter';
COMMENT ON COLUMN sdbc.service_open.matter_zh IS 'matter, Chinese 事项';
COMMENT ON COLUMN sdbc.service_open.community IS 'community 社区';
COMMENT ON COLUMN sdbc.service_open.county IS 'county 县';
COMMENT ON COLUMN sdbc.service_open.proxy IS 'self or on the resident''s behalf (R8.2)';
COMMENT ON COLUMN sdbc.service_open.applied_on IS 'day of application';
COMMENT ON COLUMN sdbc.service_open.current_step IS 'current step';
COMMENT ON COLUMN sdbc.service_open.office IS 'office that must act (community hall, investigators, county department …)';
COMMENT ON COLUMN sdbc.service_open.step_zh IS 'step, Chinese 环节';
COMMENT ON COLUMN sdbc.service_open.due_on IS 'deadline of the step';
COMMENT ON COLUMN sdbc.service_open.working_days_left IS 'working days left';
COMMENT ON COLUMN sdbc.service_open.overdue IS 'past its deadline 逾期';

CREATE VIEW sdbc.service_monthly AS
  SELECT a.matter_code, m.name_zh AS matter_zh, date_trunc('month', a.applied_on)::date AS month,
         count(*) AS applications,
         count(*) FILTER (WHERE c.status = 'approved') AS approved,
         count(*) FILTER (WHERE c.status = 'rejected') AS rejected,
         count(*) FILTER (WHERE a.proxy <> 'self') AS on_behalf
    FROM sdbc.service_application a JOIN sdbc.service_matter m USING (matter_code)
    JOIN sdbc.approval_case c USING (case_id)
   GROUP BY a.matter_code, m.name_zh, date_trunc('month', a.applied_on);
COMMENT ON VIEW sdbc.service_monthly IS 'Applications per matter per month, approved, rejected, and taken on the resident''s behalf (R8.2)';
COMMENT ON COLUMN sdbc.service_monthly.matter_code IS 'matter';
COMMENT ON COLUMN sdbc.service_monthly.matter_zh IS 'matter, Chinese';
COMMENT ON COLUMN sdbc.service_monthly.month IS 'first day of the month';
COMMENT ON COLUMN sdbc.service_monthly.applications IS 'applications';
COMMENT ON COLUMN sdbc.service_monthly.approved IS 'approved so far';
COMMENT ON COLUMN sdbc.service_monthly.rejected IS 'rejected so far';
COMMENT ON COLUMN sdbc.service_monthly.on_behalf IS 'handled, visited or petitioned for the resident';

CREATE VIEW sdbc.service_duration AS
  SELECT a.matter_code, m.name_zh AS matter_zh, count(*) AS decided,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY c.closed_at::date - a.applied_on) AS median_days,
         max(c.closed_at::date - a.applied_on) AS max_days
    FROM sdbc.service_application a JOIN sdbc.service_matter m USING (matter_code)
    JOIN sdbc.approval_case c USING (case_id)
   WHERE c.status IN ('approved', 'rejected')
   GROUP BY a.matter_code, m.name_zh;
COMMENT ON VIEW sdbc.service_duration IS 'Median and longest days from application to decision, per matter';
COMMENT ON COLUMN sdbc.service_duration.matter_code IS 'matter';
COMMENT ON COLUMN sdbc.service_duration.matter_zh IS 'matter, Chinese';
COMMENT ON COLUMN sdbc.service_duration.decided IS 'applications decided';
COMMENT ON COLUMN sdbc.service_duration.median_days IS 'median calendar days to the decision';
COMMENT ON COLUMN sdbc.service_duration.max_days IS 'longest';

CREATE VIEW sdbc.refusal_reasons_overdue AS
  SELECT c.case_id, c.case_kind, c.division, c.route_code, c.current_step, c.closed_at, c.reasons_due_on
    FROM sdbc.approval_case c
   WHERE c.status = 'rejected' AND c.reasons_due_on < CURRENT_DATE;
COMMENT ON VIEW sdbc.refusal_reasons_overdue IS 'Refusals whose written reasons are past due (e.g. 3 working days for the minimum living allowance)';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.case_id IS 'case';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.case_kind IS 'service or expense';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.division IS 'division';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.route_code IS 'route';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.current_step IS 'step that refused';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.closed_at IS 'when refused';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.reasons_due_on IS 'when the written reasons were due';

-- The community work access list (R1).
CREATE TABLE sdbc.task_type (
  county            sdbc.divcode NOT NULL,
  task_code         text NOT NULL,
  name_zh           text NOT NULL,
  name_en           text NOT NULL,
  class             text NOT NULL CONSTRAINT task_type_class CHECK (class IN ('handle', 'assist', 'refuse')),
  statutory         boolean NOT NULL DEFAULT false,
  needs_funding     boolean NOT NULL DEFAULT true,
  needs_authority   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (county, task_code),
  FOREIGN KEY (county) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(county) = 'county'),
  CONSTRAINT task_type_statutory_handled CHECK (NOT statutory OR class <> 'refuse')
);
COMMENT ON TABLE sdbc.task_type IS
  'The county''s community work access list 社区工作准入清单 (R1.1): task types a department may hand to communities, classed handle 该办, assist 协助 or refuse 拒绝办理, with whether funds and authority must go with them (R1.2)';
COMMENT ON COLUMN sdbc.task_type.county IS 'county keeping the list';
COMMENT ON COLUMN sdbc.task_type.task_code IS 'identifier';
COMMENT ON COLUMN sdbc.task_type.name_zh IS 'Chinese name 事项';
COMMENT ON COLUMN sdbc.task_type.name_en IS 'English name';
COMMENT ON COLUMN sdbc.task_type.class IS 'handle 该办, assist 协助, refuse 拒绝办理';
COMMENT ON COLUMN sdbc.task_type.statutory IS 'a duty set by law 法定职责: accepted and never refusable';
COMMENT ON COLUMN sdbc.task_type.needs_funding IS 'funds must come with it (费随事转, R1.2)';
COMMENT ON COLUMN sdbc.task_type.needs_authority IS 'authority must come with it (权随责走, R1.2)';

CREATE TABLE sdbc.task_assignment (
  assignment_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  department         text REFERENCES sdbc.office (office),
  community          sdbc.divcode NOT NULL,
  task_code          text NOT NULL,
  handed_on          date NOT NULL DEFAULT CURRENT_DATE,
  funding            numeric NOT NULL DEFAULT 0 CONSTRAINT task_assignment_funding CHECK (funding >= 0)
                       CONSTRAINT task_assignment_funding_finite CHECK (funding < 'Infinity'),
  authority_granted  boolean NOT NULL DEFAULT false,
  status             text NOT NULL DEFAULT 'accepted'
                       CONSTRAINT task_assignment_status CHECK (status IN ('accepted', 'refusable', 'refused')),
  basis              text,
  refusal_reason     text,
  refused_on         date,
  refused_by         bigint REFERENCES sdbc.staff (staff_id),
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee'),
  CONSTRAINT task_assignment_refusal CHECK ((status = 'refused') = (refusal_reason IS NOT NULL AND refused_on IS NOT NULL))
);
COMMENT ON TABLE sdbc.task_assignment IS
  'Tasks a county department hands to a community (R1): accepted when the access list classes them handle or assist and they carry the funds and authority it requires; otherwise refusable, and the community may refuse them with a reason (R1.3); statutory duties are always accepted';
COMMENT ON COLUMN sdbc.task_assignment.assignment_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.task_assignment.department IS 'county department (office) handing the task down';
COMMENT ON COLUMN sdbc.task_assignment.community IS 'community 社区';
COMMENT ON COLUMN sdbc.task_assignment.task_code IS 'task type of the county''s access list';
COMMENT ON COLUMN sdbc.task_assignment.handed_on IS 'day handed down';
COMMENT ON COLUMN sdbc.task_assignment.funding IS 'funds handed down with it, yuan';
COMMENT ON COLUMN sdbc.task_assignment.authority_granted IS 'authority handed down with it';
COMMENT ON COLUMN sdbc.task_assignment.status IS 'accepted, refusable (the community may refuse) or refused (set by the database)';
COMMENT ON COLUMN sdbc.task_assignment.basis IS 'why it is refusable (set by the database)';
COMMENT ON COLUMN sdbc.task_assignment.refusal_reason IS 'the community''s reason for refusing (R1.3)';
COMMENT ON COLUMN sdbc.task_assignment.refused_on IS 'day refused';
COMMENT ON COLUMN sdbc.task_assignment.refused_by IS 'who refused it for the community 拒绝人: the login''s own staff member (sdbc.role_staff); NULL for the administrator''s rows';
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_type', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_assignment', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_assignment_assignment_id_seq', '');

CREATE FUNCTION sdbc.task_assignment_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
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
     OR btrim(NEW.refusal_reason) = ''
     OR (NEW.department, NEW.community, NEW.task_code, NEW.handed_on, NEW.funding, NEW.authority_granted, NEW.basis)
        IS DISTINCT FROM (OLD.department, OLD.community, OLD.task_code, OLD.handed_on, OLD.funding, OLD.authority_granted, OLD.basis) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD410',
      MESSAGE = format('task %s is %s and cannot be changed that way', OLD.assignment_id, OLD.status),
      DETAIL = 'Rule R1.3: a community may refuse a task that is off the list, classed refuse, or handed down without its funds or authority — with a reason; statutory duties and accepted tasks are not refused.',
      HINT = 'Refuse with sdbc.refuse_task(assignment_id, reason) a task whose status is refusable.';
  END IF;
  -- the day of a refusal is the engine's: the day it is recorded (a client's
  -- date, e.g. before the task was handed down, is not taken)
  NEW.refused_on := CURRENT_DATE;
  -- who refused it: the login's own person (R1.3, sdbc.role_staff)
  NEW.refused_by := CASE WHEN NEW.refused_by IS DISTINCT FROM OLD.refused_by THEN NEW.refused_by
                         ELSE sdbc.my_staff_id() END;
  PERFORM sdbc.check_login_is('sdbc.task_assignment', NEW.refused_by, 'refuse a task');
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.task_assignment_check() IS
  'Trigger: a task names its department (SD409); its status follows the access list (R1.1) and funds/authority (R1.2); only a refusable task may be refused, with a reason (SD410, R1.3)';
CREATE TRIGGER task_assignment_check BEFORE INSERT OR UPDATE ON sdbc.task_assignment
  FOR EACH ROW EXECUTE FUNCTION sdbc.task_assignment_check();

CREATE FUNCTION sdbc.refuse_task(assignment_id bigint, reason text)
  RETURNS sdbc.task_assignment LANGUAGE sql
BEGIN ATOMIC
  UPDATE sdbc.task_assignment t SET status = 'refused', refusal_reason = refuse_task.reason, refused_on = CURRENT_DATE
   WHERE t.assignment_id = refuse_task.assignment_id
  RETURNING *;
END;
COMMENT ON FUNCTION sdbc.refuse_task(bigint, text) IS 'The community refuses a refusable task with its reason (R1.3)';

CREATE VIEW sdbc.task_by_department AS
  SELECT department, sdbc.divcode_ancestor(community, 3) AS county, count(*) AS tasks,
         count(*) FILTER (WHERE status = 'accepted') AS accepted,
         count(*) FILTER (WHERE status = 'refusable') AS refusable,
         count(*) FILTER (WHERE status = 'refused') AS refused,
         sum(funding) AS funding
    FROM sdbc.task_assignment GROUP BY department, sdbc.divcode_ancestor(community, 3);
COMMENT ON VIEW sdbc.task_by_department IS 'Tasks each county department handed down, how many were refusable or refused, and the funds that came with them (R1)';
COMMENT ON COLUMN sdbc.task_by_department.department IS 'county department';
COMMENT ON COLUMN sdbc.task_by_department.county IS 'county';
COMMENT ON COLUMN sdbc.task_by_department.tasks IS 'tasks handed down';
COMMENT ON COLUMN sdbc.task_by_department.accepted IS 'accepted';
COMMENT ON COLUMN sdbc.task_by_department.refusable IS 'refusable, not (yet) refused';
COMMENT ON COLUMN sdbc.task_by_department.refused IS 'refused by the community (R1.3)';
COMMENT ON COLUMN sdbc.task_by_department.funding IS 'funds handed down, yuan (R1.2)';

CREATE VIEW sdbc.task_refused_by_community AS
  SELECT community, count(*) FILTER (WHERE status = 'refused') AS refused,
         count(*) AS tasks, sum(funding) FILTER (WHERE status <> 'refused') AS funding_kept
    FROM sdbc.task_assignment GROUP BY community;
COMMENT ON VIEW sdbc.task_refused_by_community IS 'Tasks each community refused (R1.3), of those handed to it, and the funds of those it took';
COMMENT ON COLUMN sdbc.task_refused_by_community.community IS 'community';
COMMENT ON COLUMN sdbc.task_refused_by_community.refused IS 'refused';
COMMENT ON COLUMN sdbc.task_refused_by_community.tasks IS 'handed to it';
COMMENT ON COLUMN sdbc.task_refused_by_community.funding_kept IS 'funds of the tasks it took, yuan';

-- Indexes on the columns that reference divisions, so that deleting or
-- renumbering a division checks its references by index, not by scan.
CREATE INDEX staff_division_idx ON sdbc.staff (division);
CREATE INDEX office_member_division_idx ON sdbc.office_member (division);
CREATE INDEX post_division_idx ON sdbc.post (division);
CREATE INDEX account_community_idx ON sdbc.account (community);
CREATE INDEX grid_community_all_idx ON sdbc.grid (community);
CREATE INDEX approval_case_division_idx ON sdbc.approval_case (division);
CREATE INDEX service_application_community_idx ON sdbc.service_application (community);
CREATE INDEX service_matter_county_idx ON sdbc.service_matter (county);
CREATE INDEX task_assignment_community_idx ON sdbc.task_assignment (community);
