-- Issue 13 section 5 (docs/security.md "One community cannot hold up the
-- others"): PostgreSQL 15 lets a role with table-level UPDATE, DELETE or
-- TRUNCATE lock the table in any mode (LockTableAclCheck reads the table's
-- ACL only, not column grants), so one community's login could LOCK TABLE
-- sdbc.approval_case IN ACCESS EXCLUSIVE MODE and stop every community.  The
-- staff roles now hold column-level UPDATE grants only.  The lock rows
-- (grid_write_lock, staff_limit_lock, staff_absence_lock) are written only
-- by the engine's lock functions, with the owner's rights, for what the
-- acting login serves.  Everything runs in one transaction that is rolled
-- back.
\set SHOW_CONTEXT never
BEGIN;
\set ON_ERROR_ROLLBACK on
SET LOCAL search_path = sdbc, public;
DELETE FROM grid_write_lock; DELETE FROM staff_limit_lock; DELETE FROM staff_absence_lock;

-- Every table of sdbc, every lock mode stronger than ROW EXCLUSIVE, every
-- shipped staff role, from the catalog: the pairs where LOCK TABLE succeeds.
-- The engine's money and case tables (decision, expense, approval_case,
-- account, account_entry) are section 3/4's and left out here.
CREATE FUNCTION pg_temp.lockable() RETURNS TABLE (tbl text, mode text)
  LANGUAGE plpgsql AS $$
DECLARE
  t record;
  m text;
BEGIN
  FOR t IN SELECT c.oid::regclass AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'sdbc' AND c.relkind IN ('r', 'p')
              AND c.relname NOT IN ('decision', 'expense', 'approval_case', 'account', 'account_entry')
            ORDER BY c.relname LOOP
    FOREACH m IN ARRAY ARRAY['SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'] LOOP
      BEGIN
        EXECUTE format('LOCK TABLE %s IN %s MODE NOWAIT', t.r, m);
        tbl := t.r::text; mode := m;
        RETURN NEXT;
        RAISE EXCEPTION USING ERRCODE = 'P0001';   -- undo the lock
      EXCEPTION WHEN insufficient_privilege OR raise_exception THEN
        NULL;
      END;
    END LOOP;
  END LOOP;
END $$;
SELECT count(*) > 30 AS tables_checked FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'sdbc' AND c.relkind IN ('r', 'p');
SET LOCAL ROLE sdbc_community_staff;
SELECT 'community' AS role, * FROM pg_temp.lockable();
SET LOCAL ROLE sdbc_county_department;
SELECT 'county department' AS role, * FROM pg_temp.lockable();
SET LOCAL ROLE sdbc_street_office;
SELECT 'street' AS role, * FROM pg_temp.lockable();
SET LOCAL ROLE sdbc_prefecture_admin;
SELECT 'prefecture' AS role, * FROM pg_temp.lockable();
RESET ROLE;
-- No table-level UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER of a staff
-- role on a table of sdbc (REFERENCES would let it lock a table by a foreign
-- key).
SELECT c.relname, r.rolname, x.privilege_type
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc'
 CROSS JOIN LATERAL aclexplode(c.relacl) x JOIN pg_roles r ON r.oid = x.grantee
 WHERE c.relkind IN ('r', 'p') AND r.rolname LIKE 'sdbc\_%'
   AND x.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
   AND c.relname NOT IN ('decision', 'expense', 'approval_case', 'account', 'account_entry')
 ORDER BY 1, 2, 3;

-- The lock tables: no staff privilege at all.
SELECT c.relname, count(x.*) FILTER (WHERE r.rolname LIKE 'sdbc\_%') AS staff_privileges
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'sdbc'
  LEFT JOIN LATERAL aclexplode(c.relacl) x ON true LEFT JOIN pg_roles r ON r.oid = x.grantee
 WHERE c.relname IN ('grid_write_lock', 'staff_limit_lock', 'staff_absence_lock')
 GROUP BY 1 ORDER BY 1;

-- Two communities; 前进's login may lock only what it serves.
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE absence_absence_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO staff (name, division) VALUES ('前进甲', '652901001001'), ('友谊乙', '652901001002');
CREATE ROLE regress_stl_qianjin LOGIN IN ROLE sdbc_community_staff;
INSERT INTO role_division (role_name, division) VALUES ('regress_stl_qianjin', '652901001001');
INSERT INTO role_staff (role_name, staff_id) VALUES ('regress_stl_qianjin', 1);
SET LOCAL ROLE regress_stl_qianjin;
-- a write of its own still takes the engine's lock rows
INSERT INTO absence (staff_id, during, reason) VALUES (1, '[2026-03-01,2026-03-02)', 'leave');
-- the tables themselves are closed
INSERT INTO staff_absence_lock (staff_id, writes) VALUES (2, 1);
SELECT * FROM staff_absence_lock FOR UPDATE;
LOCK TABLE grid_write_lock IN ROW EXCLUSIVE MODE;
UPDATE staff_limit_lock SET writes = writes + 1;
-- the lock functions, called directly, lock nothing of 友谊
SELECT staff_absence_lock(ARRAY[1, 2]::bigint[]);
SELECT staff_limit_lock('652901001002');
SELECT grid_write_lock('652901001002', 1);
SELECT staff_limit_lock('652901001001');
SELECT sdbc.acting_serves('652901001001') AS serves_qianjin, sdbc.acting_serves('652901001002') AS serves_youyi;
RESET ROLE;
SELECT staff_id, writes FROM staff_absence_lock ORDER BY 1;
SELECT division, writes FROM staff_limit_lock ORDER BY 1;
SELECT community, writes FROM grid_write_lock ORDER BY 1;

-- Deletes: the rights the roles had are rows of sdbc.delete_right, used
-- through sdbc.delete_rows() within the DELETE policies.
SELECT role_name, count(*) AS tables FROM delete_right GROUP BY 1 ORDER BY 1;
INSERT INTO building (community, address, households, location) VALUES
  ('652901001001', '前进楼', 1, ST_SetSRID(ST_MakePoint(80.25, 41.16), 4490)),
  ('652901001002', '友谊楼', 1, ST_SetSRID(ST_MakePoint(80.26, 41.16), 4490));
CREATE ROLE regress_stl_pref LOGIN IN ROLE sdbc_prefecture_admin;
INSERT INTO role_division (role_name, division) VALUES ('regress_stl_pref', '652901001001');
SET LOCAL ROLE regress_stl_qianjin;
DELETE FROM building;                                            -- no privilege
SELECT delete_rows('sdbc.building', 'true');                     -- no right
SET LOCAL ROLE regress_stl_pref;
DELETE FROM building;                                            -- no privilege
SELECT delete_rows('sdbc.building', 'true) OR (true');           -- one WHERE condition
SELECT delete_rows('sdbc.building', 'address = ''友谊楼'' OR true'); -- only its own community's
SELECT address FROM building ORDER BY 1;
SELECT delete_rows('sdbc.grid_write_lock', 'true');              -- no right
SELECT delete_rows('public.spatial_ref_sys', 'true');            -- not a table of sdbc
SELECT delete_rows('sdbc.building', NULL);
RESET ROLE;
SELECT address FROM building ORDER BY 1;
ROLLBACK;
SELECT count(*) AS regress_roles_left FROM pg_roles WHERE rolname LIKE 'regress\_stl\_%';
