-- Identity numbers written without an oracle (R9.1, docs/security.md): the
-- staff roles set a resident's number through sdbc.resident_set_id_number()
-- (src/id_registration.c), which does not fail on a number registered to
-- someone else — it records the attempt for the street and county to see and
-- refuses a role that meets too many such numbers in a day (SD702).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('registry.id_elsewhere.max_per_day', 'R9.1', 'count', 0, NULL,
   'identity numbers already registered to another resident that one role may meet in a day before it is refused',
   '每日可遇到的他人已登记身份证号次数上限', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('registry.id_elsewhere.max_per_day', NULL, '2014-01-01', 5, true,
   'sdbc default, not in the paper: a person moving in is registered once; more than a few duplicates a day is a search');

CREATE TABLE sdbc.id_number_attempt (
  attempt_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  role_name     name NOT NULL,
  attempted_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  resident_id   bigint NOT NULL REFERENCES sdbc.resident (resident_id),
  community     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  outcome       text NOT NULL CONSTRAINT id_number_attempt_outcome CHECK (outcome IN ('set', 'registered_elsewhere'))
);
COMMENT ON TABLE sdbc.id_number_attempt IS
  'Identity numbers set through sdbc.resident_set_id_number(), and numbers it did not set because another resident holds them (R9.1): the street and county resolve the duplicates (a resident who moved) and see who searched; written by the function only';
COMMENT ON COLUMN sdbc.id_number_attempt.attempt_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.id_number_attempt.role_name IS 'role that called the function';
COMMENT ON COLUMN sdbc.id_number_attempt.attempted_at IS 'when';
COMMENT ON COLUMN sdbc.id_number_attempt.resident_id IS 'resident whose number was to be set';
COMMENT ON COLUMN sdbc.id_number_attempt.community IS 'community 社区 of that resident';
COMMENT ON COLUMN sdbc.id_number_attempt.outcome IS 'set 已登记, or registered_elsewhere 他人已登记 (not written)';
CREATE INDEX id_number_attempt_role_idx ON sdbc.id_number_attempt (role_name, attempted_at);
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt_attempt_id_seq', '');

ALTER TABLE sdbc.id_number_attempt ENABLE ROW LEVEL SECURITY;
CREATE POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt FOR SELECT
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff
  USING (community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt IS
  'Jurisdiction 属地管理: the staff roles read the attempts in the divisions they serve (sdbc.role_division)';
GRANT SELECT ON sdbc.id_number_attempt TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

CREATE FUNCTION sdbc.resident_set_id_number(resident_id bigint, id_number sdbc.idcard) RETURNS text
  AS 'MODULE_PATHNAME', 'resident_set_id_number' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) IS
  'Set the identity number 公民身份号码 of a resident the caller serves (SD701 otherwise), R9.1: returns set, or registered_elsewhere when another resident holds the number (not written, not an error, recorded in sdbc.id_number_attempt); a role that meets registry.id_elsewhere.max_per_day such numbers in a day is refused (SD702)';
REVOKE ALL ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard)
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
