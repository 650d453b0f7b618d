-- Devolved service matters (R4.2, R13.1), the service hall (R4.1, R8.2), and
-- the community work access list (R1).  Applications run on the approval
-- engine's routes, as data.

INSERT INTO sdbc.office (office, level, name_zh, name_en, builtin) VALUES
  ('community_service_hall',     5, '社区一站式服务大厅', 'community one-stop service hall', true),
  ('community_review_board',     5, '社区民主评议小组',   'community democratic review board', true),
  ('county_civil_affairs',       3, '县民政局',           'county civil affairs bureau', true),
  ('county_housing',             3, '县住房和城乡建设局', 'county housing bureau', true),
  ('county_hrss',                3, '县人力资源和社会保障局', 'county human resources and social security bureau', true),
  ('county_medical_insurance',   3, '县医疗保障局',       'county medical insurance bureau', true),
  ('county_health',              3, '县卫生健康委员会',   'county health commission', true),
  ('county_veterans',            3, '县退役军人事务局',   'county veterans affairs bureau', true),
  ('county_organization',        3, '县委组织部',         'county party organization department', true),
  ('county_civilization_office', 3, '县文明办',           'county civilization office', true);

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('service.notice.min_days', 'R4.2', 'days', 1, NULL,
   'shortest public notice a route may define (an objection restarts it)', '公示最短天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('service.notice.min_days', NULL, '2014-01-01', 7, true, 'the minimum living allowance''s 7-day public notice');

-- Routes of the devolved matters: the community's preliminary review, then
-- the county department's decision — two levels, no street (R4.2, R13.1).
INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en, builtin) VALUES
  ('dibao', 1, 'service', '最低生活保障审核审批', 'minimum living allowance (reference route)', true);
INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, quorum_n, blocking, time_limit_days,
                             step_kind, notice_days, objection_to, refusal_reasons_days, name_zh, name_en) VALUES
  ('dibao', 1, 1, 'community_service_hall', 'accept',      'any',      1, true,  3,  'act',    NULL, NULL, NULL, '受理申请',       'application accepted'),
  ('dibao', 1, 2, 'community_handler',      'investigate', 'at_least', 2, true,  10, 'act',    NULL, NULL, NULL, '入户调查(两人以上)', 'home investigation by two or more'),
  ('dibao', 1, 3, 'community_review_board', 'review',      'any',      1, false, 5,  'act',    NULL, NULL, NULL, '民主评议(可选)', 'democratic review (optional)'),
  ('dibao', 1, 4, 'community_service_hall', 'notice',      'any',      1, true,  10, 'notice', 7,    2,    NULL, '公示七日',       'public notice of 7 days'),
  ('dibao', 1, 5, 'county_civil_affairs',   'decide',      'any',      1, true,  10, 'act',    NULL, NULL, 3,    '县民政局审批',   'county civil affairs decides');

INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en, builtin)
SELECT 'devolved_' || o.office, 1, 'service', '社区初审、' || o.name_zh || '审批', 'community review, then ' || o.name_en, true
  FROM sdbc.office o WHERE o.level = 3 AND o.office <> 'county_department';
INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, time_limit_days, refusal_reasons_days, name_zh, name_en)
SELECT 'devolved_' || o.office, 1, 1, 'community_service_hall', 'review', 'any', 5, NULL, '社区初审', 'community preliminary review'
  FROM sdbc.office o WHERE o.level = 3 AND o.office <> 'county_department'
UNION ALL
SELECT 'devolved_' || o.office, 1, 2, o.office, 'decide', 'any', 15, 3, o.name_zh || '审批', o.name_en || ' decides'
  FROM sdbc.office o WHERE o.level = 3 AND o.office <> 'county_department';

CREATE TABLE sdbc.service_matter (
  matter_code     text PRIMARY KEY CONSTRAINT service_matter_code_form CHECK (matter_code ~ '^[a-z][a-z0-9_]*$'),
  county          sdbc.divcode REFERENCES sdbc.division (code),
  name_zh         text NOT NULL,
  name_en         text NOT NULL,
  final_office    text NOT NULL REFERENCES sdbc.office (office),
  documents       text[] NOT NULL DEFAULT '{}',
  time_limit_days integer NOT NULL CHECK (time_limit_days > 0),
  eligibility     regprocedure,
  route_code      text NOT NULL,
  devolved        boolean NOT NULL DEFAULT true,
  builtin         boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE sdbc.service_matter IS
  'Catalogue of service matters 服务事项: the 37 whose preliminary review 初审 moved to the community (R4.2), of which the paper names 13 (built in); a county adds its others as data';
COMMENT ON COLUMN sdbc.service_matter.matter_code IS 'identifier';
COMMENT ON COLUMN sdbc.service_matter.county IS 'county that added the matter; NULL for the built-in ones (everywhere)';
COMMENT ON COLUMN sdbc.service_matter.name_zh IS 'Chinese name 事项名称';
COMMENT ON COLUMN sdbc.service_matter.name_en IS 'English name';
COMMENT ON COLUMN sdbc.service_matter.final_office IS 'county department that gives final approval 终审部门';
COMMENT ON COLUMN sdbc.service_matter.documents IS 'documents an application needs 申请材料';
COMMENT ON COLUMN sdbc.service_matter.time_limit_days IS 'time limit 办理时限, working days from application to decision';
COMMENT ON COLUMN sdbc.service_matter.eligibility IS 'function (resident_id bigint) → boolean that an applicant must satisfy, where one applies';
COMMENT ON COLUMN sdbc.service_matter.route_code IS 'route of the approval engine the applications take';
COMMENT ON COLUMN sdbc.service_matter.devolved IS 'preliminary review devolved to the community (R4.2): its route never passes a street office';
COMMENT ON COLUMN sdbc.service_matter.builtin IS 'one of the 13 the paper names (shipped; not dumped)';

-- Eligibility predicates for the built-in matters.
CREATE FUNCTION sdbc.eligibility_holds(fn regprocedure, resident_id bigint) RETURNS boolean
  AS 'MODULE_PATHNAME', 'eligibility_holds' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.eligibility_holds(regprocedure, bigint) IS
  'Whether a matter''s eligibility predicate (R4.2) holds for a resident: calls fn (resident_id bigint) → boolean directly, after the execute-permission check a call by name gets; NULL counts as not eligible';
CREATE FUNCTION sdbc.eligible_registered_resident(resident_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN EXISTS (SELECT 1 FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
                  WHERE r.resident_id = eligible_registered_resident.resident_id
                    AND h.registration = 'registered' AND NOT r.floating);
COMMENT ON FUNCTION sdbc.eligible_registered_resident(bigint) IS 'Eligibility: a resident with local household registration 户籍居民 (not floating)';
-- Eligibility by age reads the age from the masked view, so that it works
-- for staff roles, which may not read id_number (same result for the owner).
CREATE FUNCTION sdbc.eligible_working_age(resident_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN EXISTS (SELECT 1 FROM sdbc.resident_masked r WHERE r.resident_id = eligible_working_age.resident_id
                    AND r.age BETWEEN 16 AND 59);
COMMENT ON FUNCTION sdbc.eligible_working_age(bigint) IS 'Eligibility: aged 16 to 59 by the identity number 劳动年龄';

INSERT INTO sdbc.service_matter (matter_code, name_zh, name_en, final_office, documents, time_limit_days, eligibility, route_code, builtin) VALUES
  ('public_housing', '公共租赁住房和廉租住房审批及变更', 'public rental and low-rent housing: approval and change', 'county_housing',
   '{申请表,身份证,户口簿,收入证明,住房情况证明}', 20, 'sdbc.eligible_registered_resident(bigint)', 'devolved_county_housing', true),
  ('dibao', '城乡最低生活保障审核及变更', 'minimum living allowance 低保: review and change', 'county_civil_affairs',
   '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}', 30, 'sdbc.eligible_registered_resident(bigint)', 'dibao', true),
  ('medical_assistance', '医疗救助', 'medical assistance', 'county_civil_affairs',
   '{申请表,身份证,医疗费用票据,诊断证明}', 20, NULL, 'devolved_county_civil_affairs', true),
  ('three_without', '特困("三无")人员审批', 'extremely poor "three-without" persons: approval', 'county_civil_affairs',
   '{申请书,身份证,户口簿,无劳动能力证明}', 30, 'sdbc.eligible_registered_resident(bigint)', 'devolved_county_civil_affairs', true),
  ('servicemen_family_subsidy', '优抚对象优待金审核', 'preferential subsidies for servicemen''s families', 'county_veterans',
   '{申请表,身份证,军属证明}', 20, NULL, 'devolved_county_veterans', true),
  ('flexible_employment_insurance', '灵活就业人员社会保险补贴', 'flexible-employment social insurance subsidy', 'county_hrss',
   '{申请表,身份证,就业失业登记证,缴费凭证}', 20, 'sdbc.eligible_working_age(bigint)', 'devolved_county_hrss', true),
  ('unemployment_benefit', '失业保险金发放', 'unemployment benefit payment', 'county_hrss',
   '{申请表,身份证,解除劳动合同证明}', 15, 'sdbc.eligible_working_age(bigint)', 'devolved_county_hrss', true),
  ('funeral_subsidy', '丧葬补助', 'funeral subsidy', 'county_civil_affairs',
   '{申请表,死亡证明,火化证明,申请人身份证}', 15, NULL, 'devolved_county_civil_affairs', true),
  ('medical_insurance_review', '医疗保险审核', 'medical insurance review', 'county_medical_insurance',
   '{参保登记表,身份证,户口簿}', 15, NULL, 'devolved_county_medical_insurance', true),
  ('birth_permit', '生育服务证审批', 'birth permit approval', 'county_health',
   '{申请表,夫妻双方身份证,结婚证,户口簿}', 15, NULL, 'devolved_county_health', true),
  ('reward_support', '奖励扶助金审核', 'review of reward and support payments', 'county_health',
   '{申请表,身份证,独生子女证}', 20, NULL, 'devolved_county_health', true),
  ('party_member_service', '在职党员社区服务考评', 'assessment of serving party members'' community service', 'county_organization',
   '{服务记录,社区评价表}', 20, NULL, 'devolved_county_organization', true),
  ('unit_awards', '辖区单位文明奖和综治奖评定', 'civilization and comprehensive-governance awards for units in the jurisdiction', 'county_civilization_office',
   '{申报表,单位材料,社区评议意见}', 30, NULL, 'devolved_county_civilization_office', true);

SELECT pg_catalog.pg_extension_config_dump('sdbc.service_matter', 'WHERE NOT builtin');

-- Route rules name the matter they route (sql/82_routes.sql; issue 14 §2):
-- the service path chooses its route through sdbc.route_rule as the expense
-- path does (src/service_start.c).  A rule naming the matter, or any matter,
-- wins; a matter no rule names takes its own route_code.  The built-in rules
-- route each built-in matter as its catalogue row does.
ALTER TABLE sdbc.route_rule ADD CONSTRAINT route_rule_matter_code_fkey
  FOREIGN KEY (matter_code) REFERENCES sdbc.service_matter (matter_code);
CREATE INDEX route_rule_matter_code_idx ON sdbc.route_rule (matter_code);
INSERT INTO sdbc.route_rule (case_kind, priority, policy_key, comparison, route_code, builtin, matter_code)
SELECT 'service', 1000 + 10 * row_number() OVER (ORDER BY m.matter_code COLLATE "C"), NULL, NULL, m.route_code, true, m.matter_code
  FROM sdbc.service_matter m WHERE m.builtin;

-- R4.2: the route of a devolved matter never passes through a street office.
CREATE FUNCTION sdbc.route_two_levels_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  bad record;
  min_days integer;
BEGIN
  -- a service route rule names a service route (NEW has case_kind only on route_rule)
  IF TG_TABLE_NAME = 'route_rule' THEN
    IF NEW.case_kind = 'service' AND NOT EXISTS (
         SELECT 1 FROM sdbc.route r WHERE r.route_code = NEW.route_code AND r.case_kind = 'service') THEN
      RAISE EXCEPTION USING ERRCODE = 'SD408',
        MESSAGE = format('route rule %s for %s names route %s, which is not a service route',
                         NEW.priority, coalesce('matter ' || NEW.matter_code, 'every matter'), NEW.route_code),
        DETAIL = 'Rule R4.2: every matter is handled on a route of the approval engine.',
        HINT = 'Define the route in sdbc.route and sdbc.route_step (case_kind service) first.';
    END IF;
  END IF;
  FOR bad IN
    SELECT m.matter_code, s.route_code, s.version, s.step_no, s.office
      FROM sdbc.service_matter m
      JOIN sdbc.route_step s ON s.route_code = m.route_code
           OR s.route_code IN (SELECT r.route_code FROM sdbc.route_rule r   -- the routes rules give it
                                WHERE r.case_kind = 'service' AND (r.matter_code = m.matter_code OR r.matter_code IS NULL))
      JOIN sdbc.office o ON o.office = s.office
     WHERE m.devolved AND o.level = 4
     ORDER BY m.matter_code, s.route_code, s.version, s.step_no
     LIMIT 1
  LOOP
    RAISE EXCEPTION USING ERRCODE = 'SD402',
      MESSAGE = format('route %s (version %s) of devolved matter %s passes through the street office %s at step %s',
                       bad.route_code, bad.version, bad.matter_code, bad.office, bad.step_no),
      DETAIL = 'Rule R4.2 (and R13.1): the community holds the preliminary review and a county department decides; the street no longer reviews devolved matters.',
      HINT = 'Define the route with community and county offices only, or mark the matter as not devolved.';
  END LOOP;
  IF TG_TABLE_NAME = 'service_matter' AND NOT EXISTS (
       SELECT 1 FROM sdbc.route r WHERE r.route_code = NEW.route_code AND r.case_kind = 'service') THEN
    RAISE EXCEPTION USING ERRCODE = 'SD408',
      MESSAGE = format('matter %s names route %s, which is not a service route', NEW.matter_code, NEW.route_code),
      DETAIL = 'Rule R4.2: every matter is handled on a route of the approval engine.',
      HINT = 'Define the route in sdbc.route and sdbc.route_step (case_kind service) first.';
  END IF;
  min_days := sdbc.policy_value('service.notice.min_days', NULL);
  FOR bad IN
    SELECT s.route_code, s.version, s.step_no, s.notice_days FROM sdbc.route_step s
     WHERE s.step_kind = 'notice' AND s.notice_days < min_days
     ORDER BY s.route_code, s.version, s.step_no LIMIT 1
  LOOP
    RAISE EXCEPTION USING ERRCODE = 'SD403',
      MESSAGE = format('the public notice at step %s of route %s (version %s) lasts %s days, fewer than %s',
                       bad.step_no, bad.route_code, bad.version, bad.notice_days, min_days),
      DETAIL = 'Rule R4.2: a public notice (公示) lasts at least the days policy service.notice.min_days sets.',
      HINT = format('Give the notice at least %s days.', min_days);
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.route_two_levels_check() IS
  'Constraint trigger: no route of a devolved matter — its own, or one a route rule gives it — passes a street office (SD402, R4.2), a matter or a service route rule names a service route (SD408), and no public notice is shorter than policy (SD403)';
CREATE CONSTRAINT TRIGGER route_step_two_levels AFTER INSERT OR UPDATE ON sdbc.route_step
  DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION sdbc.route_two_levels_check();
CREATE CONSTRAINT TRIGGER service_matter_two_levels AFTER INSERT OR UPDATE ON sdbc.service_matter
  DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION sdbc.route_two_levels_check();
CREATE CONSTRAINT TRIGGER route_rule_two_levels AFTER INSERT OR UPDATE ON sdbc.route_rule
  DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION sdbc.route_two_levels_check();
