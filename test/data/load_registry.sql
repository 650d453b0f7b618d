-- load_registry.sql — move a county's boundaries, buildings, households and
-- residents into sdbc (docs/loading.md; tested by
-- test/t/009_load_county_files.pl with the sample of make_county_sample.py).
--
--   psql -v households=FILE.csv -v residents=FILE.csv -f test/data/load_registry.sql
--
-- Before it runs: the divisions are loaded (load_divisions.sql), and ogr2ogr
-- has put the GIS layers, reprojected to CGCS2000 (EPSG:4490), into
--   staging.community (code, geom)                  community boundaries
--   staging.building  (community, address, geom)    building points
-- The two CSV files (UTF-8, a header line) are read client-side (\copy):
--   households: community,address,unit,registration,rental
--   residents:  community,address,unit,name,id_number,floating,key_population,key_reason
-- A household is known by its building (community + address) and unit, a
-- building by its community and address.  One transaction: a bad row aborts
-- the whole load, and sdbc's own checks apply (a building outside its
-- community, a wrong ID number …).  Meant for an empty registry: a second
-- run adds everything again.  Prints what it loaded.

\set ON_ERROR_STOP on
\if :{?households}
\else
\echo 'load_registry.sql: run with  -v households=FILE.csv -v residents=FILE.csv'
DO $$ BEGIN RAISE EXCEPTION 'load_registry.sql: psql variable households is not set'; END $$;
\endif
\if :{?residents}
\else
DO $$ BEGIN RAISE EXCEPTION 'load_registry.sql: psql variable residents is not set'; END $$;
\endif

BEGIN;
CREATE TEMP TABLE household_staging (community text, address text, unit text, registration text, rental boolean) ON COMMIT DROP;
CREATE TEMP TABLE resident_staging (community text, address text, unit text, name text, id_number text,
                                    floating boolean, key_population boolean, key_reason text) ON COMMIT DROP;
-- (\copy takes its line as it stands: the command is built in a variable)
\set lr_copy '\\copy household_staging FROM ' :'households' ' WITH (FORMAT csv, HEADER true, ENCODING ''UTF8'')'
:lr_copy
\set lr_copy '\\copy resident_staging FROM ' :'residents' ' WITH (FORMAT csv, HEADER true, ENCODING ''UTF8'')'
:lr_copy

-- 1. Community boundaries (R7.1: grids are drawn inside them).
UPDATE sdbc.division d SET boundary = public.ST_Multi(public.ST_SetSRID(c.geom, 4490))
  FROM staging.community c
 WHERE d.code OPERATOR(sdbc.=) c.code::sdbc.divcode;

-- 2. Buildings, with the number of households the registry gives each.
INSERT INTO sdbc.building (community, address, households, location)
SELECT b.community::sdbc.divcode, b.address,
       (SELECT count(*) FROM household_staging h WHERE h.community = b.community AND h.address = b.address),
       public.ST_SetSRID(b.geom, 4490)
  FROM staging.building b
 ORDER BY b.community, b.address;

-- 3. Households, each in its building (and so in the building's grid, R7.4).
INSERT INTO sdbc.household (building_id, community, unit, registration, rental)
SELECT b.building_id, b.community, h.unit, h.registration, h.rental
  FROM household_staging h
  JOIN sdbc.building b ON b.community OPERATOR(sdbc.=) h.community::sdbc.divcode AND b.address = h.address
 ORDER BY b.building_id, h.unit;

-- 4. Residents, each in his household.
INSERT INTO sdbc.resident (household_id, name, id_number, floating, key_population, key_reason)
SELECT x.household_id, r.name, nullif(r.id_number, '')::sdbc.idcard, r.floating, r.key_population, nullif(r.key_reason, '')
  FROM resident_staging r
  JOIN sdbc.building b ON b.community OPERATOR(sdbc.=) r.community::sdbc.divcode AND b.address = r.address
  JOIN sdbc.household x ON x.building_id = b.building_id AND x.unit = r.unit
 ORDER BY x.household_id, r.id_number;

-- Every row of the files found its place, or nothing is loaded.
DO $$
DECLARE
  lost_households bigint := (SELECT count(*) FROM pg_temp.household_staging h WHERE NOT EXISTS (
      SELECT 1 FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) h.community::sdbc.divcode AND b.address = h.address));
  lost_residents bigint := (SELECT count(*) FROM pg_temp.resident_staging r WHERE NOT EXISTS (
      SELECT 1 FROM sdbc.building b JOIN sdbc.household x ON x.building_id = b.building_id
       WHERE b.community OPERATOR(sdbc.=) r.community::sdbc.divcode AND b.address = r.address AND x.unit = r.unit));
BEGIN
  IF lost_households + lost_residents > 0 THEN
    RAISE EXCEPTION 'load_registry.sql: % household(s) name no building of staging.building, % resident(s) no household',
      lost_households, lost_residents;
  END IF;
END $$;
COMMIT;

SELECT (SELECT count(*) FROM sdbc.division WHERE boundary IS NOT NULL) AS communities_with_boundary,
       (SELECT count(*) FROM sdbc.building) AS buildings,
       (SELECT count(*) FROM sdbc.household) AS households,
       (SELECT count(*) FROM sdbc.resident) AS residents;
