-- Identity numbers written without an oracle (R9.1, docs/security.md): the
-- staff roles enter a resident's number through
-- sdbc.resident_set_id_number() (src/registry/id_registration.c), which records it as
-- pending — the same for every number, so nothing in their transaction
-- depends on it — and staff see it as entered (sdbc.id_number_attempt,
-- sql/registry/registry.sql).  The HR office (sdbc_id_reader) or the administrator
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
