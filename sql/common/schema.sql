-- sdbc install script, assembled by the Makefile from sql/[0-9]*.sql in order.
\echo Use "CREATE EXTENSION sdbc CASCADE" to load this file. \quit

-- PostGIS is reached as schema public (public.geometry, public.ST_…): the
-- schema it is installed in is checked here, at install time, so that a
-- PostGIS elsewhere gets a clear error instead of a missing type halfway
-- through (docs/security.md, "Deployment requirements").
DO $$
DECLARE
  postgis_schema text := (SELECT n.nspname FROM pg_catalog.pg_extension e
                            JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
                           WHERE e.extname = 'postgis');
BEGIN
  IF postgis_schema IS DISTINCT FROM 'public' THEN
    RAISE EXCEPTION 'sdbc needs PostGIS in schema public, but it is in schema %', coalesce(postgis_schema, '(none)')
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Install PostGIS in public (CREATE EXTENSION postgis SCHEMA public), or let CREATE EXTENSION sdbc CASCADE install it there.';
  END IF;
END $$;

COMMENT ON SCHEMA sdbc IS
  'sdbc: rules of the "small sub-district, big community" model (小街道大社区) — division codes, policy, and the tables and functions that enforce rules R1–R14';
