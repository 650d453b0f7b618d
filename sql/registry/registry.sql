-- Registry: buildings, households and residents (R7, R12.1).  Every row
-- carries its community's division code (its place).

-- Tables that hang off a community reference its division code and check,
-- from the code alone, that it names a community (residents' committee).

CREATE TABLE sdbc.building (
  building_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community      sdbc.divcode NOT NULL,
  address        text NOT NULL CONSTRAINT building_address_not_blank CHECK (btrim(address) <> ''),
  households     integer NOT NULL CONSTRAINT building_households_not_negative CHECK (households >= 0),
  -- the SRID is held by a constraint, not the column's type modifier:
  -- geometry(Point, 4490) would silently give SRID 4490 to a point written
  -- with SRID 0, so the trigger below could not refuse it (SD210); GIS
  -- clients read 4490 from the constraint (public.geometry_columns)
  location       public.geometry(Point) NOT NULL
                   CONSTRAINT building_location_valid CHECK (NOT public.ST_IsEmpty(location))
                   CONSTRAINT building_location_srid CHECK (public.ST_SRID(location) = 4490),
  footprint      public.geometry(MultiPolygon)
                   CONSTRAINT building_footprint_valid CHECK (footprint IS NULL OR (public.ST_IsValid(footprint) AND NOT public.ST_IsEmpty(footprint)))
                   CONSTRAINT building_footprint_srid CHECK (public.ST_SRID(footprint) = 4490),
  grid_code      bigint,
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.building IS
  'Buildings 楼栋 (residential buildings or compounds): the atomic unit when grids are drawn (R7.1); a PostGIS point layer';
COMMENT ON COLUMN sdbc.building.building_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.building.community IS 'community 社区 the building belongs to';
COMMENT ON COLUMN sdbc.building.address IS 'address 地址';
COMMENT ON COLUMN sdbc.building.households IS 'number of households 户数 the building holds; the weight of the building when grids are drawn';
COMMENT ON COLUMN sdbc.building.location IS 'location 位置, a point in CGCS2000 (SRID 4490, held by constraint building_location_srid: SRID 0 is refused, SD210)';
COMMENT ON COLUMN sdbc.building.footprint IS 'footprint 轮廓, optional, in CGCS2000 (SRID 4490)';
COMMENT ON COLUMN sdbc.building.grid_code IS 'grid 网格 whose boundary contains the building; set by the database, NULL when none does';
CREATE INDEX building_community_idx ON sdbc.building (community);
CREATE INDEX building_grid_idx ON sdbc.building (grid_code);
CREATE INDEX building_location_idx ON sdbc.building USING gist (location);

-- A building stands at a real place (issue 13, section 8): a NaN or
-- infinite coordinate, or one outside longitude/latitude, is refused at the
-- door (SD208) instead of breaking sdbc.grid_draw() later with a GEOS error.
CREATE FUNCTION sdbc.building_location_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  x double precision := public.ST_X(NEW.location);
  y double precision := public.ST_Y(NEW.location);
BEGIN
  -- a point written without its SRID (0) or in another system is refused,
  -- not taken as CGCS2000
  IF public.ST_SRID(NEW.location) <> 4490 OR public.ST_SRID(NEW.footprint) <> 4490 THEN
    RAISE EXCEPTION USING ERRCODE = 'SD210',
      MESSAGE = pg_catalog.format('building %s has SRID %s, not 4490 (CGCS2000)',
                                  CASE WHEN public.ST_SRID(NEW.location) <> 4490 THEN 'location' ELSE 'footprint' END,
                                  CASE WHEN public.ST_SRID(NEW.location) <> 4490 THEN public.ST_SRID(NEW.location)
                                       ELSE public.ST_SRID(NEW.footprint) END),
      DETAIL = 'Rule R7.4: buildings are placed in grids drawn in CGCS2000 (SRID 4490); a geometry without an SRID (0) or in another system would be placed by coordinates it does not mean.',
      HINT = 'Give the SRID: ST_SetSRID(ST_MakePoint(longitude, latitude), 4490), or transform: ST_Transform(geom, 4490).';
  END IF;
  -- NaN compares above every number: BETWEEN refuses it as well as the infinities
  IF NOT (x BETWEEN -180 AND 180 AND y BETWEEN -90 AND 90) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD208',
      MESSAGE = format('building location (%s %s) is not a place on earth', x, y),
      DETAIL = 'Rule R7.4: a building is placed in the grid that contains it; its location is a longitude and latitude in CGCS2000 (SRID 4490).',
      HINT = 'Give the location as ST_SetSRID(ST_MakePoint(longitude, latitude), 4490), longitude -180…180, latitude -90…90.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.building_location_check() IS
  'Trigger on sdbc.building: the location and footprint are in CGCS2000, SRID 4490 (SD210), and the location is a finite longitude/latitude (SD208, R7.4) 楼栋位置检查';
CREATE TRIGGER building_location_check BEFORE INSERT OR UPDATE OF location, footprint ON sdbc.building
  FOR EACH ROW WHEN (NEW.location IS NOT NULL) EXECUTE FUNCTION sdbc.building_location_check();

CREATE TABLE sdbc.household (
  household_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  building_id   bigint NOT NULL REFERENCES sdbc.building (building_id),
  community     sdbc.divcode NOT NULL,
  unit          text,
  registration  text NOT NULL DEFAULT 'registered'
                  CONSTRAINT household_registration_known CHECK (registration IN ('registered', 'floating')),
  rental        boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE sdbc.household IS
  'Households 户: each in a building, and so in the grid of its building (R7.4; sdbc.household_placed), or in none when no grid contains it';
COMMENT ON COLUMN sdbc.household.household_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.household.building_id IS 'building 楼栋 the household lives in';
COMMENT ON COLUMN sdbc.household.community IS 'community 社区, copied from the building by the database';
COMMENT ON COLUMN sdbc.household.unit IS 'door or unit number 门牌';
COMMENT ON COLUMN sdbc.household.registration IS 'registered 户籍 or floating 流动 (R12.1)';
COMMENT ON COLUMN sdbc.household.rental IS 'rental housing 出租房屋 (R12.1)';
CREATE INDEX household_building_idx ON sdbc.household (building_id);
CREATE INDEX household_community_idx ON sdbc.household (community);

CREATE TABLE sdbc.resident (
  resident_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id    bigint NOT NULL REFERENCES sdbc.household (household_id),
  id_number       sdbc.idcard UNIQUE,
  name            text NOT NULL CONSTRAINT resident_name_not_blank CHECK (btrim(name) <> ''),
  floating        boolean NOT NULL DEFAULT false,
  key_population  boolean NOT NULL DEFAULT false,
  key_reason      text,
  CONSTRAINT resident_key_reason CHECK (key_population = (key_reason IS NOT NULL AND btrim(key_reason) <> ''))
);
COMMENT ON TABLE sdbc.resident IS 'Residents 居民 of a household; personal data (name, identity number)';
COMMENT ON COLUMN sdbc.resident.resident_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.resident.household_id IS 'household 户';
COMMENT ON COLUMN sdbc.resident.id_number IS 'citizen identity number 公民身份号码 (personal data)';
COMMENT ON COLUMN sdbc.resident.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.resident.floating IS 'floating population 流动人口 (R12.1)';
COMMENT ON COLUMN sdbc.resident.key_population IS 'key population 重点人口 (R12.1); needs a reason';
COMMENT ON COLUMN sdbc.resident.key_reason IS 'why the resident is key population; required exactly when key_population';
CREATE INDEX resident_household_idx ON sdbc.resident (household_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.building', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.household', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.resident', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.building_building_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_household_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.resident_resident_id_seq', '');

-- Identity numbers from their parts, for data entry and generators.
CREATE FUNCTION sdbc.idcard_make(address sdbc.divcode, birth_date date, sequence integer)
  RETURNS sdbc.idcard
  AS 'MODULE_PATHNAME', 'idcard_make_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.idcard_make(sdbc.divcode, date, integer) IS
  'The identity number with this county-level address code, birth date and sequence (0–999, odd for men), its check character computed';

-- Identity numbers staff entered through sdbc.resident_set_id_number()
-- (sql/registry/id_number.sql): pending until the HR office applies them
-- (sdbc.id_numbers_apply), then set, or held by another resident and left
-- to resolve.  Staff see neither the table nor the outcome: for them an
-- entered number looks set at once (sdbc.resident_masked,
-- sql/security/jurisdiction.sql), so that
-- trying numbers tells them nothing.
CREATE TABLE sdbc.id_number_attempt (
  attempt_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  role_name     name NOT NULL,
  attempted_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  resident_id   bigint NOT NULL REFERENCES sdbc.resident (resident_id),
  community     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  id_number     sdbc.idcard NOT NULL,
  outcome       text NOT NULL CONSTRAINT id_number_attempt_outcome CHECK (outcome IN ('pending', 'set', 'held_elsewhere', 'resolved'))
);
COMMENT ON TABLE sdbc.id_number_attempt IS
  'Identity numbers 公民身份号码 entered through sdbc.resident_set_id_number() (R9.1): pending until sdbc.id_numbers_apply() writes them (set) or finds them held by another resident (held_elsewhere, to be resolved by the HR office — a resident who moved, or a mistyped number); staff see an entered number as set at once; written by the function, read and applied by sdbc_id_reader only';
COMMENT ON COLUMN sdbc.id_number_attempt.attempt_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.id_number_attempt.role_name IS 'role that entered the number';
COMMENT ON COLUMN sdbc.id_number_attempt.attempted_at IS 'when';
COMMENT ON COLUMN sdbc.id_number_attempt.resident_id IS 'resident whose number was entered';
COMMENT ON COLUMN sdbc.id_number_attempt.community IS 'community 社区 of that resident';
COMMENT ON COLUMN sdbc.id_number_attempt.id_number IS 'the number entered (personal data)';
COMMENT ON COLUMN sdbc.id_number_attempt.outcome IS 'pending 待核 (entered, not yet applied); set 已登记; held_elsewhere 他人已登记 (not written); resolved 已处理 (by sdbc_id_reader)';
CREATE INDEX id_number_attempt_resident_idx ON sdbc.id_number_attempt (resident_id, attempt_id);
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt_attempt_id_seq', '');
