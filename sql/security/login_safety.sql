-- Logins that cannot act as others, hold others up, or plant names
-- (issue 13 sections 2, 5 and 6; docs/security.md "Identity, locks and
-- names").

-- Section 2: a trusted connection pool or application server (one database
-- login, many people) is a member of sdbc_pool, granted by the
-- administrator; the role it sets with SET ROLE is then the person who acts
-- (sdbc.acting_role()).  Any other login that sets a role acts as nobody.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'sdbc_pool') THEN
    CREATE ROLE sdbc_pool NOLOGIN;
  END IF;
END $$;

-- Section 5: the lock rows (sdbc.grid_write_lock, sdbc.staff_limit_lock,
-- sdbc.staff_absence_lock) are written only by the engine's lock functions,
-- with the owner's rights; no staff role holds a privilege on them (an
-- UPDATE privilege let a login lock any row, or the whole table).  The
-- functions lock only what the acting login serves (or while the engine
-- writes), so a login cannot hold another community's rows.
REVOKE ALL ON sdbc.grid_write_lock, sdbc.staff_limit_lock, sdbc.staff_absence_lock
  FROM sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;

CREATE FUNCTION sdbc.acting_serves(d sdbc.divcode) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, sdbc, pg_temp AS $$
  SELECT d IS NOT NULL AND (
    coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
               WHERE r.rolname = coalesce(sdbc.acting_role(), session_user)), false)
    OR EXISTS (SELECT 1 FROM sdbc.role_division rd
                 JOIN pg_catalog.pg_roles g ON g.rolname = rd.role_name
                WHERE rd.office IS NULL
                  AND pg_catalog.pg_has_role(coalesce(sdbc.acting_role(), session_user), g.oid, 'USAGE')
                  AND d OPERATOR(sdbc.<@) rd.division)) $$;
COMMENT ON FUNCTION sdbc.acting_serves(sdbc.divcode) IS
  'True when the acting login (sdbc.acting_role(), else the session''s login) is a superuser or bypasses row-level security, or serves the division 管辖 through sdbc.role_division (rows without office); for the engine''s lock functions, which run with the owner''s rights';

CREATE FUNCTION sdbc.acting_may_lock_staff(staff_id bigint) RETURNS boolean
  LANGUAGE sql VOLATILE PARALLEL RESTRICTED SET search_path = pg_catalog, sdbc, pg_temp AS $$
  SELECT sdbc.engine_writing()
      OR EXISTS (SELECT 1 FROM sdbc.staff s
                  WHERE s.staff_id = acting_may_lock_staff.staff_id AND sdbc.acting_serves(s.division))
      OR EXISTS (SELECT 1 FROM sdbc.post p
                  WHERE acting_may_lock_staff.staff_id IN (p.principal, p.backup)
                    AND (sdbc.acting_serves(p.division)
                         OR EXISTS (SELECT 1 FROM sdbc.staff s
                                     WHERE s.staff_id IN (p.principal, p.backup) AND sdbc.acting_serves(s.division)))) $$;
COMMENT ON FUNCTION sdbc.acting_may_lock_staff(bigint) IS
  'True when the engine writes, or the staff member 工作人员 serves a division the acting login serves, or is the A/B partner of one, or holds a post of such a division: whose absence lock row sdbc.staff_absence_lock() may take';

-- Section 5: staff roles hold no privilege that lets them LOCK a shared
-- table in a mode stronger than ROW EXCLUSIVE.  PostgreSQL 15 allows that
-- to a role with table-level UPDATE, DELETE or TRUNCATE (LockTableAclCheck
-- reads the table's ACL only), so table-level UPDATE of the staff roles on
-- the tables of sdbc becomes UPDATE on every column: the same updates, no
-- table lock.  The engine's money and case tables (decision, expense,
-- approval_case, account, account_entry) are left to section 3/4.  Run
-- again by the update, after every grant it makes.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid::regclass AS tbl, r.rolname,
           (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS cols
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc'
      CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) x
      JOIN pg_catalog.pg_roles r ON r.oid = x.grantee
     WHERE c.relkind IN ('r', 'p') AND x.privilege_type = 'UPDATE'
       AND r.rolname IN ('sdbc_prefecture_admin', 'sdbc_county_department', 'sdbc_street_office',
                         'sdbc_community_staff', 'sdbc_id_reader', 'sdbc_reader')
       AND c.relname NOT IN ('decision', 'expense', 'approval_case', 'account', 'account_entry')
     ORDER BY 1, 2
  LOOP
    EXECUTE pg_catalog.format('REVOKE UPDATE ON %s FROM %I', t.tbl, t.rolname);
    EXECUTE pg_catalog.format('GRANT UPDATE (%s) ON %s TO %I', t.cols, t.tbl, t.rolname);
  END LOOP;
END $$;

-- Section 5: no table-level DELETE either (it allows LOCK TABLE in any mode
-- just as UPDATE does).  The DELETE rights the staff roles had are kept as
-- rows of sdbc.delete_right, and staff delete with sdbc.delete_rows(), which
-- deletes as the table's owner exactly the rows the caller's DELETE policies
-- let him delete (src/delete_rows.c).
CREATE TABLE sdbc.delete_right (
  table_name name NOT NULL,
  role_name  name NOT NULL,
  PRIMARY KEY (table_name, role_name)
);
COMMENT ON TABLE sdbc.delete_right IS
  'Which staff role may delete rows of which table of sdbc 删除权限, through sdbc.delete_rows() (no staff role holds a table-level DELETE, which would let it lock the table shared by every community); written by the extension';
COMMENT ON COLUMN sdbc.delete_right.table_name IS 'table of schema sdbc';
COMMENT ON COLUMN sdbc.delete_right.role_name IS 'role (with its members) that may delete its rows, within its row-level security DELETE policies';
GRANT SELECT ON sdbc.delete_right TO PUBLIC;

CREATE FUNCTION sdbc.delete_rows(tbl regclass, condition text) RETURNS bigint
  AS 'MODULE_PATHNAME', 'delete_rows' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.delete_rows(regclass, text) IS
  'Delete 删除 the rows of a table of sdbc that match the condition (a WHERE condition, run as the caller) and that the caller''s row-level security DELETE policies let him delete, for a role of sdbc.delete_right; returns the rows deleted. The delete runs as the table''s owner (issue 13 section 5: no staff role holds DELETE, which would allow LOCK TABLE)';

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid::regclass AS tbl, c.relname, r.rolname
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc'
      CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) x
      JOIN pg_catalog.pg_roles r ON r.oid = x.grantee
     WHERE c.relkind IN ('r', 'p') AND x.privilege_type = 'DELETE'
       AND r.rolname IN ('sdbc_prefecture_admin', 'sdbc_county_department', 'sdbc_street_office',
                         'sdbc_community_staff', 'sdbc_id_reader', 'sdbc_reader')
       AND c.relname NOT IN ('decision', 'expense', 'approval_case', 'account', 'account_entry')
     ORDER BY 2, 3
  LOOP
    INSERT INTO sdbc.delete_right (table_name, role_name) VALUES (t.relname, t.rolname) ON CONFLICT DO NOTHING;
    EXECUTE pg_catalog.format('REVOKE DELETE ON %s FROM %I', t.tbl, t.rolname);
  END LOOP;
END $$;

-- Section 5: the shipped staff roles' timeouts.  Settings of a NOLOGIN
-- group role do not reach its members' sessions, so the administrator runs
-- this for each staff login (ALTER ROLE … SET: it takes effect at the next
-- connection; a login's own setting may be changed again afterwards).
CREATE FUNCTION sdbc.staff_login_timeouts(login regrole,
                                          lock_timeout text DEFAULT '5s',
                                          statement_timeout text DEFAULT '60s',
                                          idle_in_transaction_session_timeout text DEFAULT '60s')
  RETURNS void LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  EXECUTE format('ALTER ROLE %s SET lock_timeout = %L', login, lock_timeout);
  EXECUTE format('ALTER ROLE %s SET statement_timeout = %L', login, statement_timeout);
  EXECUTE format('ALTER ROLE %s SET idle_in_transaction_session_timeout = %L', login,
                 idle_in_transaction_session_timeout);
END $$;
COMMENT ON FUNCTION sdbc.staff_login_timeouts(regrole, text, text, text) IS
  'Give a staff login 工作人员登录 the timeouts of docs/security.md (ALTER ROLE … SET lock_timeout 5s, statement_timeout 60s, idle_in_transaction_session_timeout 60s unless given), so that no community''s session holds up the others for long; run by the administrator for each login';
REVOKE ALL ON FUNCTION sdbc.staff_login_timeouts(regrole, text, text, text) FROM PUBLIC;

-- Section 6: no function of the extension searches public or another
-- schema that others can create in (the CVE-2018-1058 class).  PostGIS is
-- reached as public.* (its objects have exact signatures there, which a
-- planted one cannot displace); say so when public is writable.
CREATE FUNCTION sdbc.writable_schemas() RETURNS TABLE (schema_name name, grantee name)
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT n.nspname, CASE WHEN x.grantee = 0 THEN 'PUBLIC'::name ELSE r.rolname END
    FROM pg_catalog.pg_namespace n
   CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) x
    LEFT JOIN pg_catalog.pg_roles r ON r.oid = x.grantee
   WHERE x.privilege_type = 'CREATE' AND x.grantee <> n.nspowner
     AND NOT coalesce(r.rolsuper, false)
     AND n.nspname IN ('public', 'sdbc', 'sdbc_scoped', 'sdbc_report',
                       (SELECT s.nspname FROM pg_catalog.pg_extension e
                          JOIN pg_catalog.pg_namespace s ON s.oid = e.extnamespace
                         WHERE e.extname = 'postgis'))
   ORDER BY 1, 2 $$;
COMMENT ON FUNCTION sdbc.writable_schemas() IS
  'Schemas the extension names (public, where PostGIS lives, and its own) in which a role other than the owner or a superuser may create objects; should be empty (docs/security.md: REVOKE CREATE ON SCHEMA public FROM PUBLIC)';

DO $$
DECLARE
  w record;
BEGIN
  FOR w IN SELECT * FROM sdbc.writable_schemas() LOOP
    RAISE WARNING 'schema % is writable by %', w.schema_name, w.grantee
      USING DETAIL = 'sdbc''s functions do not search it, but objects others create there may be found by your own queries and tools (CVE-2018-1058).',
            HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %I FROM %s;', w.schema_name,
                                     CASE WHEN w.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE pg_catalog.quote_ident(w.grantee) END);
  END LOOP;
END $$;
