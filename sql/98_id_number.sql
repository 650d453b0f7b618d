-- Identity numbers written without an oracle (R9.1, docs/security.md): the
-- staff roles set a resident's number through sdbc.resident_set_id_number()
-- (src/id_registration.c), which answers nothing: a number another resident
-- holds is not written but recorded for the HR office (sdbc_id_reader), and
-- staff see it as entered (sdbc.id_number_attempt, sql/97_roles.sql).

ALTER TABLE sdbc.id_number_attempt ENABLE ROW LEVEL SECURITY;
CREATE POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt FOR ALL TO sdbc_id_reader
  USING (community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))
  WITH CHECK (community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt IS
  'Jurisdiction 属地管理: the HR office (sdbc_id_reader) reads and resolves the numbers entered in the divisions it serves (sdbc.role_division)';
GRANT SELECT, UPDATE (outcome) ON sdbc.id_number_attempt TO sdbc_id_reader;

CREATE FUNCTION sdbc.resident_set_id_number(resident_id bigint, id_number sdbc.idcard) RETURNS void
  AS 'MODULE_PATHNAME', 'resident_set_id_number' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) IS
  'Enter the identity number 公民身份号码 of a resident the caller serves (SD701 otherwise), R9.1: written when no other resident holds it; otherwise not written, not an error and not said — recorded in sdbc.id_number_attempt for the HR office (sdbc_id_reader) and shown to staff as entered';
REVOKE ALL ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard)
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
