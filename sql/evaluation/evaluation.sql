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
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
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
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
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
