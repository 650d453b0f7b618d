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

-- The role that acts for the session (src/login_staff.c): the session's
-- login (session_user), or the role a superuser or a trusted pool login
-- (member of sdbc_pool) set with SET ROLE / SET SESSION AUTHORIZATION; NULL
-- when the login set another person's role itself (issue 13 section 2, R3.2).
CREATE FUNCTION sdbc.acting_role() RETURNS name
  AS 'MODULE_PATHNAME', 'acting_role' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.acting_role() IS
  'The login that acts 操作人 for the session: session_user, or the role set by a superuser or by a trusted connection-pool login (member of sdbc_pool); NULL when a login set another person''s role itself (R3.2: one login, one person)';

-- The acting login's staff member: what a record of its own defaults to
-- (absences, task refusals); NULL without a mapping, for a role that may
-- record anyone, or for a session that acts as nobody.  As the caller: the
-- table's policy shows the current role's row, which is the acting one's.
CREATE FUNCTION sdbc.my_staff_id() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT rs.staff_id FROM sdbc.role_staff rs WHERE rs.role_name = sdbc.acting_role() $$;
COMMENT ON FUNCTION sdbc.my_staff_id() IS
  'The staff member 工作人员 the acting login is (sdbc.acting_role(), sdbc.role_staff); NULL without a mapping, for a role that may record anyone, or when a login set another person''s role itself';

-- For the PL/pgSQL triggers that record a person (visits, absences).
CREATE FUNCTION sdbc.check_login_is(tbl regclass, staff_id bigint, doing text) RETURNS void
  AS 'MODULE_PATHNAME', 'check_login_is' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.check_login_is(regclass, bigint, text) IS
  'Raise SD317 or SD318 unless the current role is staff_id (sdbc.role_staff), or is a superuser or the owner of tbl; a NULL staff_id passes only for those (the record must name its author)';
