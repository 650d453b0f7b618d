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
