-- Policy as data (R14.1): every number of the paper is a default here,
-- effective-dated and overridable per county, street or community.

CREATE TABLE sdbc.policy_key (
  key            text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  rule_id        text NOT NULL CHECK (rule_id ~ '^R[0-9]+(\.[0-9]+)?$'),
  unit           text NOT NULL CHECK (unit IN ('households', 'yuan', 'share', 'persons', 'weight', 'days', 'count', 'm2', 'points')),
  min_value      numeric,
  max_value      numeric,
  description_en text NOT NULL,
  description_zh text NOT NULL,
  builtin        boolean NOT NULL DEFAULT false,
  CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
);
COMMENT ON TABLE sdbc.policy_key IS
  'Catalogue of policy keys 政策参数: what each means, its unit, the rule it sets and the values it allows (R14.1)';
COMMENT ON COLUMN sdbc.policy_key.key IS 'dotted key, e.g. grid.households.max';
COMMENT ON COLUMN sdbc.policy_key.rule_id IS 'rule of docs/rule-map.md that the value parameterises, e.g. R7.1';
COMMENT ON COLUMN sdbc.policy_key.unit IS 'households, yuan, share (0–1), persons, weight (0–1), days, count, m2 (square metres) or points (evaluation scores)';
COMMENT ON COLUMN sdbc.policy_key.min_value IS 'smallest value a policy row may set (inclusive); NULL for none';
COMMENT ON COLUMN sdbc.policy_key.max_value IS 'largest value a policy row may set (inclusive); NULL for none';
COMMENT ON COLUMN sdbc.policy_key.description_en IS 'meaning, in English';
COMMENT ON COLUMN sdbc.policy_key.description_zh IS 'meaning, in Chinese 说明';
COMMENT ON COLUMN sdbc.policy_key.builtin IS 'shipped by the extension (not dumped; cannot be changed)';

CREATE TABLE sdbc.policy (
  policy_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key        text NOT NULL REFERENCES sdbc.policy_key (key),
  division   sdbc.divcode REFERENCES sdbc.division (code),
  valid_from date NOT NULL,
  value      numeric NOT NULL CONSTRAINT policy_value_finite CHECK (value > '-Infinity' AND value < 'Infinity'),
  builtin    boolean NOT NULL DEFAULT false,
  note       text,
  UNIQUE NULLS NOT DISTINCT (key, division, valid_from)
);
COMMENT ON TABLE sdbc.policy IS
  'Policy values 政策: a key''s value for a division and everything below it, from a date on (R14.1). The value in force is the one of the nearest ancestor-or-self with the latest valid_from on or before the date; division NULL is the default for everywhere';
COMMENT ON COLUMN sdbc.policy.policy_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.policy.key IS 'policy key (sdbc.policy_key)';
COMMENT ON COLUMN sdbc.policy.division IS 'division the value applies to, with all below it 适用区划; NULL = everywhere (default)';
COMMENT ON COLUMN sdbc.policy.valid_from IS 'first day the value holds 生效日期';
COMMENT ON COLUMN sdbc.policy.value IS 'the value 取值, in the key''s unit';
COMMENT ON COLUMN sdbc.policy.builtin IS 'shipped by the extension from the paper (not dumped; cannot be changed — override it instead)';
COMMENT ON COLUMN sdbc.policy.note IS 'why the value was set (document number, decision)';

CREATE INDEX policy_division_idx ON sdbc.policy (division);

-- Built-in rows are recreated by CREATE EXTENSION: dump only the user's.
SELECT pg_catalog.pg_extension_config_dump('sdbc.policy_key', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('sdbc.policy', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('sdbc.policy_policy_id_seq', '');

-- The paper's numbers (../shared/domain.md), as defaults for everywhere.
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('grid.households.min', 'R7.1', 'households', 1, NULL,
   'fewest households a grid should hold', '网格户数下限', true),
  ('grid.households.max', 'R7.1', 'households', 1, NULL,
   'most households a grid should hold', '网格户数上限', true),
  ('expense.small_limit', 'R3.2', 'yuan', 0, NULL,
   'a single community expense up to and including this amount is signed by two handlers and re-reviewed by the street finance office (R3.2); above it the street party working committee approves (R3.3)',
   '社区单笔支出限额:限额以内(含)经办人签字、街道财务复审;以上报街道党工委审批', true),
  ('street.staff_sent_down.min_share', 'R2.1', 'share', 0, 1,
   'least share of a street''s staff sent down to its communities', '街道人员下沉社区最低比例', true),
  ('street.funds_passed_on.min_share', 'R3.1', 'share', 0, 1,
   'least share of a street''s operating funds passed on to its communities', '街道经费下沉社区最低比例', true),
  ('street.leadership.max', 'R2.2', 'persons', 1, NULL,
   'largest street leadership', '街道领导职数上限', true),
  ('community.national_staff.min', 'R2.4', 'persons', 0, NULL,
   'fewest national public servants in a general community', '一般社区国家公职人员下限', true),
  ('community.national_staff.min_key', 'R2.4', 'persons', 0, NULL,
   'fewest national public servants in a key or complex community', '重点复杂社区国家公职人员下限', true),
  ('community.working_funds.min_yearly', 'R3.5', 'yuan', 0, NULL,
   'least working funds a community receives a year', '社区每年工作经费下限', true),
  ('community.service_funds.min_yearly', 'R3.5', 'yuan', 0, NULL,
   'least special funds for serving residents a community receives a year', '社区每年服务群众专项经费下限', true),
  ('street_grade.community_weight', 'R5.2', 'weight', 0, 1,
   'weight of the average of the communities'' year-end scores in a street''s grade', '街道年终考核中社区平均得分权重', true),
  ('street_grade.street_weight', 'R5.2', 'weight', 0, 1,
   'weight of the street''s own score in its year-end grade', '街道年终考核中街道自身得分权重', true);

INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('grid.households.min',              NULL, '2014-01-01', 200,    true, 'paper: a grid of 200–300 households (R7.1)'),
  ('grid.households.max',              NULL, '2014-01-01', 300,    true, 'paper: a grid of 200–300 households (R7.1)'),
  ('expense.small_limit',              NULL, '2014-01-01', 5000,   true, 'paper: 5000元以内 / 5000元以上 (R3.2, R3.3)'),
  ('street.staff_sent_down.min_share', NULL, '2014-01-01', 0.70,   true, 'paper: 70% of street staff sent down (R2.1)'),
  ('street.funds_passed_on.min_share', NULL, '2014-01-01', 0.70,   true, 'paper: 70% of street funds passed on (R3.1)'),
  ('street.leadership.max',            NULL, '2014-01-01', 5,      true, 'paper: leadership from 10 down to 5 (R2.2)'),
  ('community.national_staff.min',     NULL, '2014-01-01', 10,     true, 'paper: at least 10 in a general community (R2.4)'),
  ('community.national_staff.min_key', NULL, '2014-01-01', 15,     true, 'paper: at least 15 in a key or complex community (R2.4)'),
  ('community.working_funds.min_yearly', NULL, '2016-01-01', 120000, true, 'paper: from 2016, at least 120,000 yuan a year (R3.5)'),
  ('community.service_funds.min_yearly', NULL, '2016-01-01', 200000, true, 'paper: from 2016, at least 200,000 yuan a year (R3.5)'),
  ('street_grade.community_weight',    NULL, '2014-01-01', 0.90,   true, 'paper: 90% the communities'' average (R5.2)'),
  ('street_grade.street_weight',       NULL, '2014-01-01', 0.10,   true, 'paper: 10% the street''s own score (R5.2)');

-- Not from the paper: a local default that bounds the work of one call of
-- sdbc.grid_partition() (hostile-login review, session 4: SD381).
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('grid.partition.max_sites', 'R7.1', 'count', 1, NULL,
   'most building sites one call of sdbc.grid_partition() partitions (a community has far fewer); local default, not from the paper',
   '单次网格划分的楼栋点位上限(本地默认值,非文件规定)', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('grid.partition.max_sites', NULL, '2014-01-01', 50000, true, 'local default, not from the paper: bounds one grid drawing (R7.1)');

-- Lookup through the per-backend cache (src/policy_cache.c).
CREATE FUNCTION sdbc.policy_value(key text, division sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
  RETURNS numeric
  AS 'MODULE_PATHNAME', 'policy_value_sql' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.policy_value(text, sdbc.divcode, date) IS
  'Value of a policy key in force for a division on a date (R14.1): nearest ancestor-or-self, then the latest valid_from on or before the date; division NULL reads the default for everywhere. Errors SD104 for an unknown key, SD103 when nothing is in force';

CREATE FUNCTION sdbc.policy_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'policy_guard' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.policy_guard() IS
  'Trigger on sdbc.policy and sdbc.policy_key: built-in rows are read-only and the tables cannot be truncated (SD101), values stay within the key''s bounds (SD102)';

CREATE FUNCTION sdbc.cache_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'cache_invalidate' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.cache_invalidate() IS
  'Trigger on the tables that backends cache (policy, policy keys, working-day calendar, routes): tells every backend to reload its copy after the change commits; per statement, and per row for changes applied by logical replication';

CREATE TRIGGER policy_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.policy
  FOR EACH ROW EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_key_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.policy_key
  FOR EACH ROW EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_no_truncate BEFORE TRUNCATE ON sdbc.policy
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_key_no_truncate BEFORE TRUNCATE ON sdbc.policy_key
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER policy_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.policy
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.policy ENABLE REPLICA TRIGGER policy_cache_invalidate_replica;
COMMENT ON TRIGGER policy_cache_invalidate ON sdbc.policy IS
  'Backends reload their cached policy values 政策 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER policy_cache_invalidate_replica ON sdbc.policy IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER policy_key_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy_key
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER policy_key_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.policy_key
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.policy_key ENABLE REPLICA TRIGGER policy_key_cache_invalidate_replica;
COMMENT ON TRIGGER policy_key_cache_invalidate ON sdbc.policy_key IS
  'Backends reload their cached policy keys 政策参数 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER policy_key_cache_invalidate_replica ON sdbc.policy_key IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';

CREATE VIEW sdbc.policy_described AS
  SELECT k.key, k.rule_id, k.unit, p.division, p.valid_from, p.value, p.builtin, p.note,
         k.description_en, k.description_zh
    FROM sdbc.policy p JOIN sdbc.policy_key k USING (key);
COMMENT ON VIEW sdbc.policy_described IS 'Every policy row with its key''s rule, unit and descriptions';
COMMENT ON COLUMN sdbc.policy_described.key IS 'policy key';
COMMENT ON COLUMN sdbc.policy_described.rule_id IS 'rule the value sets';
COMMENT ON COLUMN sdbc.policy_described.unit IS 'unit of the value';
COMMENT ON COLUMN sdbc.policy_described.division IS 'division it applies to; NULL = everywhere';
COMMENT ON COLUMN sdbc.policy_described.valid_from IS 'first day it holds';
COMMENT ON COLUMN sdbc.policy_described.value IS 'the value';
COMMENT ON COLUMN sdbc.policy_described.builtin IS 'shipped by the extension';
COMMENT ON COLUMN sdbc.policy_described.note IS 'why it was set';
COMMENT ON COLUMN sdbc.policy_described.description_en IS 'meaning, English';
COMMENT ON COLUMN sdbc.policy_described.description_zh IS 'meaning, Chinese 说明';
