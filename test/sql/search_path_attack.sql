-- Issue 13 section 6 (docs/security.md "Names are resolved in the
-- extension's schemas only"): no function of the extension searches public
-- or another schema others can create in.  On a database where public is
-- writable (PostgreSQL <= 14's default, kept by pg_upgrade) a staff login
-- plants public.&&(daterange, daterange), whose exact argument types win
-- over pg_catalog's &&(anyrange, anyrange); when an administrator then
-- recorded an absence, the trigger absence_check ran it and the login became
-- SUPERUSER (the CVE-2018-1058 class).  Everything runs in one transaction
-- that is rolled back.
\set SHOW_CONTEXT never
BEGIN;
\set ON_ERROR_ROLLBACK on
SET LOCAL search_path = sdbc, public;
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE post_post_id_seq RESTART;
ALTER SEQUENCE absence_absence_id_seq RESTART;

-- From the catalog: every PL/pgSQL or SQL function of the extension whose
-- body is resolved when it runs sets a search_path, and that path names
-- only the extension's schema, pg_catalog and pg_temp (no public, no schema
-- a non-owner may create in).  Expected: no row.
SELECT p.oid::regprocedure AS function, p.proconfig
  FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sdbc'
 WHERE l.lanname IN ('plpgsql', 'sql') AND p.prosqlbody IS NULL
   AND NOT EXISTS (
     SELECT 1 FROM unnest(p.proconfig) c
      WHERE c LIKE 'search_path=%'
        AND NOT EXISTS (SELECT 1 FROM regexp_split_to_table(substr(c, 13), ',\s*') s
                         WHERE s NOT IN ('sdbc', 'pg_catalog', 'pg_temp')))
 ORDER BY 1;
-- and the schemas on those paths are writable by no one but their owners
SELECT count(*) AS writable_path_schemas
  FROM pg_namespace n, pg_roles r
 WHERE n.nspname = 'sdbc' AND NOT r.rolsuper AND r.oid <> n.nspowner
   AND has_schema_privilege(r.oid, n.oid, 'CREATE');

-- The attack.  public writable, as on a database upgraded from 14.
GRANT CREATE ON SCHEMA public TO PUBLIC;
SELECT * FROM writable_schemas();
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区');
INSERT INTO staff (name, division) VALUES ('甲', '652901001001'), ('乙', '652901001001');
SELECT min(staff_id) AS a, max(staff_id) AS b FROM staff \gset
INSERT INTO post (office, division, principal, backup) VALUES ('community_handler', '652901001001', :a, :b);
INSERT INTO absence (staff_id, during, reason) VALUES (:b, '[2026-03-01,2026-03-05)', 'leave');
CREATE ROLE regress_sp_staff LOGIN IN ROLE sdbc_community_staff;
SET ROLE regress_sp_staff;
CREATE FUNCTION public.regress_sp_overlaps(daterange, daterange) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  ALTER ROLE regress_sp_staff SUPERUSER;   -- runs with the rights of whoever calls it
  RETURN false;
END $$;
CREATE OPERATOR public.&& (LEFTARG = daterange, RIGHTARG = daterange, FUNCTION = public.regress_sp_overlaps);
RESET ROLE;
-- the planted operator is what an unqualified && of the caller's path finds
SELECT oprnamespace::regnamespace AS found_in FROM pg_operator
 WHERE oid = to_regoperator('&&(daterange,daterange)');
-- The administrator records an absence of A: absence_check compares it with
-- B's absences (&& on date ranges).  The overlap is found by pg_catalog's
-- operator (SD508), and the login is still not a superuser.
INSERT INTO absence (staff_id, during, reason) VALUES (:a, '[2026-03-04,2026-03-06)', 'leave');
SELECT rolsuper AS staff_became_superuser FROM pg_roles WHERE rolname = 'regress_sp_staff';
INSERT INTO absence (staff_id, during, reason) VALUES (:a, '[2026-03-10,2026-03-12)', 'leave');
SELECT rolsuper AS staff_became_superuser FROM pg_roles WHERE rolname = 'regress_sp_staff';
-- A post written by the administrator compares the partners' absences too.
INSERT INTO staff (name, division) VALUES ('丙', '652901001001');
INSERT INTO post (office, division, principal, backup)
  SELECT 'community_finance_lead', '652901001001', :a, max(staff_id) FROM staff;
SELECT rolsuper AS staff_became_superuser FROM pg_roles WHERE rolname = 'regress_sp_staff';
ROLLBACK;
SELECT count(*) AS regress_roles_left FROM pg_roles WHERE rolname LIKE 'regress\_sp\_%';
SELECT count(*) AS public_writable FROM sdbc.writable_schemas();

-- PostGIS is reached in schema public: installed elsewhere, the extension
-- refuses to install with a clear error (0A000) rather than failing halfway.
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_sdbc_postgis_elsewhere;
\c regress_sdbc_postgis_elsewhere
CREATE SCHEMA gis;
CREATE EXTENSION postgis SCHEMA gis;
\set VERBOSITY sqlstate
CREATE EXTENSION sdbc;
\set VERBOSITY default
CREATE EXTENSION sdbc;
SELECT count(*) AS sdbc_installed FROM pg_extension WHERE extname = 'sdbc';
\c :regress_db
DROP DATABASE regress_sdbc_postgis_elsewhere;
