-- Rights taken away last (hostile-login review, session 4; docs/security.md
-- "Hostile-login review (session 4)"), in the install script and in the
-- update script alike, so that both end with the same privileges.
--
-- Trigger functions are not for anyone to call (finding 1).  EXECUTE on a trigger function is
-- checked when a trigger is created, not when it fires: with EXECUTE, a login
-- could attach the engine's functions to a temporary table of its own and
-- have them write the engine's tables (a case approved without decisions, a
-- debit for another expense).  No trigger function of the extension — C or
-- PL/pgSQL, of every file loaded before this one — is executable by PUBLIC
-- or by a role the extension ships; the triggers of the extension's own
-- tables fire as before.  The C trigger functions also refuse to run on any
-- table but their own (src/trigger_guard.c, SD380).
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = 'sdbc'::regnamespace AND p.prorettype = 'pg_catalog.trigger'::regtype
            ORDER BY p.oid LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, sdbc_community_staff, sdbc_street_office, '
                              'sdbc_county_department, sdbc_prefecture_admin, sdbc_id_reader, sdbc_reader', f);
  END LOOP;
END $$;

-- No role but the owner has rights on the sequences (finding 6): identity
-- columns need none, and nextval() on another table's sequence would tell a
-- login how busy other communities are.  0.2.0 granted USAGE on all of them
-- to the staff roles; the REVOKE also leaves a fresh install with the same
-- (explicit) privileges as an updated one.
REVOKE ALL ON ALL SEQUENCES IN SCHEMA sdbc
  FROM PUBLIC, sdbc_community_staff, sdbc_street_office, sdbc_county_department, sdbc_prefecture_admin,
       sdbc_id_reader, sdbc_reader;
