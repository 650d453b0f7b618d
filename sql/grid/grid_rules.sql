-- Grid rules kept by the database (R7.1, R7.4): grids inside their community
-- and not overlapping; households placed in the grid of their building.

-- Area in square metres of a geometry in SRID 4490 (longitude/latitude).
CREATE FUNCTION sdbc.area_m2(g public.geometry) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE WHEN public.ST_IsEmpty(g) THEN 0
              ELSE public.ST_Area(g)
                   -- metres per degree of latitude and of longitude at the geometry's latitude (WGS 84 / CGCS2000)
                   * (111132.92 - 559.82 * cos(2 * radians(public.ST_Y(public.ST_PointOnSurface(g))))
                      + 1.175 * cos(4 * radians(public.ST_Y(public.ST_PointOnSurface(g)))))
                   * (111412.84 * cos(radians(public.ST_Y(public.ST_PointOnSurface(g))))
                      - 93.5 * cos(3 * radians(public.ST_Y(public.ST_PointOnSurface(g))))) END;
COMMENT ON FUNCTION sdbc.area_m2(public.geometry) IS
  'Area in square metres of a CGCS2000 (SRID 4490) geometry: planar degrees scaled by the metres per degree at its latitude; within 0.1 % of the ellipsoidal area at community scale, and zero for the hair-thin slivers that overlays leave (where ellipsoidal area is not)';

-- The live grid of a community that contains a point (lowest code on a shared edge).
CREATE FUNCTION sdbc.grid_at(community sdbc.divcode, location public.geometry) RETURNS bigint
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT g.grid_code FROM sdbc.grid g
   WHERE g.community OPERATOR(sdbc.=) grid_at.community AND g.valid_to IS NULL
     AND public.ST_Intersects(g.boundary, grid_at.location)
   ORDER BY g.grid_code LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.grid_at(sdbc.divcode, public.geometry) IS
  'Code of the live grid of the community whose boundary contains the point; NULL when none does (R7.4)';

-- One row per community whose grids were ever written: writing its grids
-- updates the row, which serialises writers of one community.
CREATE TABLE sdbc.grid_write_lock (
  community  sdbc.divcode PRIMARY KEY,
  writes     bigint NOT NULL
);
COMMENT ON TABLE sdbc.grid_write_lock IS
  'Internal: one row per community, updated by every write to its grids, so that concurrent writers queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ, SERIALIZABLE) instead of both passing the overlap check';
COMMENT ON COLUMN sdbc.grid_write_lock.community IS 'community';
COMMENT ON COLUMN sdbc.grid_write_lock.writes IS 'grid rows written so far';

-- The row lock of a community's grids, written with the owner's rights (no
-- staff role has a privilege on sdbc.grid_write_lock, issue 13 section 5),
-- only for a community the acting login serves.
CREATE FUNCTION sdbc.grid_write_lock(lock_community sdbc.divcode, add_writes bigint) RETURNS void
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  IF sdbc.engine_writing() OR sdbc.acting_serves(lock_community) THEN
    INSERT INTO sdbc.grid_write_lock AS l (community, writes) VALUES (lock_community, add_writes)
    ON CONFLICT ON CONSTRAINT grid_write_lock_pkey DO UPDATE SET writes = l.writes + add_writes;
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.grid_write_lock(sdbc.divcode, bigint) IS
  'Internal: takes the row lock of a community in sdbc.grid_write_lock (adding writes to its counter) so that writers of its grids queue; with the owner''s rights, only for a community the acting login serves (sdbc.acting_serves)';

-- BEFORE INSERT/UPDATE on grid: one writer per community; the community has a boundary.
CREATE FUNCTION sdbc.grid_lock() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  -- a row lock, not an advisory one: at REPEATABLE READ a write that began
  -- before another's commit must fail (40001) rather than miss its grid
  PERFORM sdbc.grid_write_lock(NEW.community, 1);
  IF NOT EXISTS (SELECT 1 FROM sdbc.division d
                  WHERE d.code OPERATOR(sdbc.=) NEW.community AND d.boundary IS NOT NULL) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD203',
      MESSAGE = format('community %s has no boundary', NEW.community),
      DETAIL = 'Rule R7.1: a grid lies inside its community''s boundary, so the community must have one.',
      HINT = 'Set sdbc.division.boundary for the community first.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.grid_lock() IS
  'Trigger: serialises writes to one community''s grids (a row lock in sdbc.grid_write_lock) and requires the community''s boundary (SD203)';

-- Constraint trigger on grid: inside the community, no overlap with a live grid.
-- Deferrable, so that sdbc.grid_draw() can reshape several grids and check once.
CREATE FUNCTION sdbc.grid_check() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  cur record;
  comm_boundary public.geometry;
  tol double precision;
  outside double precision;
  other record;
BEGIN
  SELECT g.* INTO cur FROM sdbc.grid g WHERE g.grid_code = NEW.grid_code;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT d.boundary INTO comm_boundary FROM sdbc.division d WHERE d.code OPERATOR(sdbc.=) cur.community;
  tol := sdbc.policy_value('grid.geometry.tolerance_m2', cur.community, cur.valid_from);
  IF comm_boundary IS NOT NULL AND NOT public.ST_CoveredBy(cur.boundary, comm_boundary) THEN
    outside := sdbc.area_m2(public.ST_Difference(cur.boundary, comm_boundary));
    IF outside > tol THEN
      RAISE EXCEPTION USING ERRCODE = 'SD201',
        MESSAGE = format('grid %s extends %s m² outside community %s', cur.grid_code, round(outside::numeric, 1), cur.community),
        DETAIL = 'Rule R7.1: a grid is a part of one community and lies inside its boundary.',
        HINT = 'Clip the boundary to the community, e.g. ST_Intersection(boundary, community boundary).';
    END IF;
  END IF;
  IF cur.valid_to IS NULL THEN
    FOR other IN
      SELECT g.grid_code, sdbc.area_m2(public.ST_Intersection(g.boundary, cur.boundary)) AS shared
        FROM sdbc.grid g
       WHERE g.community OPERATOR(sdbc.=) cur.community AND g.valid_to IS NULL
         AND g.grid_code <> cur.grid_code AND g.boundary OPERATOR(public.&&) cur.boundary
         AND public.ST_Relate(g.boundary, cur.boundary, '2********')
    LOOP
      IF other.shared > tol THEN
        RAISE EXCEPTION USING ERRCODE = 'SD202',
          MESSAGE = format('grid %s overlaps live grid %s by %s m²', cur.grid_code, other.grid_code, round(other.shared::numeric, 1)),
          DETAIL = 'Rule R7.1: the live grids of a community do not overlap; every household belongs to one grid.',
          HINT = 'Retire or redraw the other grid first (set its valid_to), or use sdbc.grid_draw().';
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.grid_check() IS
  'Constraint trigger: a grid lies inside its community (SD201) and does not overlap a live grid of it (SD202) — R7.1';

-- BEFORE DELETE on grid: codes are retired, never freed.
CREATE FUNCTION sdbc.grid_no_delete() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD204',
    MESSAGE = format('grid %s cannot be deleted', OLD.grid_code),
    DETAIL = 'Rule R7.1 (GB/T 30428.1 grid codes): a retired grid code is never reused, so the grid row stays.',
    HINT = 'Retire it instead: UPDATE sdbc.grid SET valid_to = current_date WHERE grid_code = …';
END $$;
COMMENT ON FUNCTION sdbc.grid_no_delete() IS 'Trigger: grids are retired (valid_to), never deleted, so their codes are never reused (SD204)';

-- AFTER statement on grid: re-place the buildings (and so households) of the communities touched.
CREATE FUNCTION sdbc.grid_replace_buildings() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  UPDATE sdbc.building b
     SET grid_code = sdbc.grid_at(b.community, b.location)
   WHERE b.community IN (SELECT community FROM changed_grids)
     AND b.grid_code IS DISTINCT FROM sdbc.grid_at(b.community, b.location);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.grid_replace_buildings() IS
  'Statement trigger: after grids change, every building of the communities concerned is placed again, and its households with it (R7.4)';

CREATE TRIGGER grid_lock BEFORE INSERT OR UPDATE ON sdbc.grid
  FOR EACH ROW EXECUTE FUNCTION sdbc.grid_lock();
CREATE CONSTRAINT TRIGGER grid_check AFTER INSERT OR UPDATE OF boundary, valid_to, community ON sdbc.grid
  DEFERRABLE INITIALLY IMMEDIATE
  FOR EACH ROW EXECUTE FUNCTION sdbc.grid_check();
CREATE TRIGGER grid_no_delete BEFORE DELETE ON sdbc.grid
  FOR EACH ROW EXECUTE FUNCTION sdbc.grid_no_delete();
CREATE TRIGGER grid_inserted AFTER INSERT ON sdbc.grid
  REFERENCING NEW TABLE AS changed_grids FOR EACH STATEMENT EXECUTE FUNCTION sdbc.grid_replace_buildings();
CREATE TRIGGER grid_updated AFTER UPDATE ON sdbc.grid
  REFERENCING NEW TABLE AS changed_grids FOR EACH STATEMENT EXECUTE FUNCTION sdbc.grid_replace_buildings();

-- BEFORE INSERT/UPDATE OF location, community on building: find its grid.
CREATE FUNCTION sdbc.building_place() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  NEW.grid_code := sdbc.grid_at(NEW.community, NEW.location);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.building_place() IS 'Trigger: a building is placed in the live grid of its community that contains it, or in none (R7.4)';

-- AFTER UPDATE statement on building: households follow a building that
-- changes community (their grid is the building's, so a move of grid needs
-- no write to the households).
CREATE FUNCTION sdbc.building_move_households() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  UPDATE sdbc.household h
     SET community = moved.community
    FROM (SELECT n.building_id, n.community
            FROM new_buildings n JOIN old_buildings o USING (building_id)
           WHERE n.community OPERATOR(sdbc.<>) o.community) moved
   WHERE h.building_id = moved.building_id;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.building_move_households() IS
  'Statement trigger: when a building moves to another community its households follow, in the same transaction (R7.4)';

CREATE TRIGGER building_place BEFORE INSERT OR UPDATE OF location, community ON sdbc.building
  FOR EACH ROW EXECUTE FUNCTION sdbc.building_place();
CREATE TRIGGER building_moved AFTER UPDATE ON sdbc.building
  REFERENCING OLD TABLE AS old_buildings NEW TABLE AS new_buildings
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.building_move_households();

-- BEFORE INSERT/UPDATE OF building_id on household: the community of the building.
CREATE FUNCTION sdbc.household_place() RETURNS trigger
  AS 'MODULE_PATHNAME', 'household_place' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.household_place() IS
  'Trigger (C): a household takes the community of its building (its grid is the building''s, R7.4); an unknown building is an error (23503)';
CREATE TRIGGER household_place BEFORE INSERT ON sdbc.household
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_place();
-- Every update is placed, the cascade of building_moved too (it writes the
-- building's community, which placement confirms with one index lookup): a
-- trigger depth says nothing of who writes (docs/security.md).
CREATE TRIGGER household_place_on_update BEFORE UPDATE OF building_id, community ON sdbc.household
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_place();

-- Reports (reported, not blocked: people move in and out).
CREATE VIEW sdbc.grid_size AS
  SELECT g.grid_code, g.community, g.class,
         coalesce(s.households, 0)::integer AS households,
         sdbc.policy_value('grid.households.min', g.community) AS min_households,
         sdbc.policy_value('grid.households.max', g.community) AS max_households,
         CASE WHEN coalesce(s.households, 0) < sdbc.policy_value('grid.households.min', g.community) THEN 'below'
              WHEN coalesce(s.households, 0) > sdbc.policy_value('grid.households.max', g.community) THEN 'above'
              ELSE 'within' END AS bounds
    FROM sdbc.grid g
    LEFT JOIN (SELECT b.grid_code, count(*) AS households
                 FROM sdbc.household h JOIN sdbc.building b USING (building_id)
                GROUP BY b.grid_code) s USING (grid_code)
   WHERE g.valid_to IS NULL;
COMMENT ON VIEW sdbc.grid_size IS 'Live grids with their households against the policy bounds (R7.1: 200–300 by default)';
COMMENT ON COLUMN sdbc.grid_size.grid_code IS 'grid code 网格编码';
COMMENT ON COLUMN sdbc.grid_size.community IS 'community 社区';
COMMENT ON COLUMN sdbc.grid_size.class IS 'class 类型 (R7.2)';
COMMENT ON COLUMN sdbc.grid_size.households IS 'households 户数 placed in the grid';
COMMENT ON COLUMN sdbc.grid_size.min_households IS 'policy grid.households.min in force today';
COMMENT ON COLUMN sdbc.grid_size.max_households IS 'policy grid.households.max in force today';
COMMENT ON COLUMN sdbc.grid_size.bounds IS 'below, within or above the bounds';

CREATE VIEW sdbc.grid_out_of_bounds AS
  SELECT * FROM sdbc.grid_size WHERE bounds <> 'within';
COMMENT ON VIEW sdbc.grid_out_of_bounds IS 'Live grids holding fewer or more households than policy allows (R7.1), reported not blocked';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.grid_code IS 'grid code 网格编码';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.community IS 'community 社区';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.class IS 'class 类型';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.households IS 'households 户数';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.min_households IS 'policy minimum';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.max_households IS 'policy maximum';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.bounds IS 'below or above';

CREATE VIEW sdbc.household_placed AS
  SELECT h.household_id, h.community, h.building_id, b.grid_code
    FROM sdbc.household h JOIN sdbc.building b USING (building_id);
COMMENT ON VIEW sdbc.household_placed IS 'Every household with the grid it belongs to: the live grid containing its building (R7.4), NULL when none does';
COMMENT ON COLUMN sdbc.household_placed.household_id IS 'household 户';
COMMENT ON COLUMN sdbc.household_placed.community IS 'community 社区';
COMMENT ON COLUMN sdbc.household_placed.building_id IS 'building 楼栋';
COMMENT ON COLUMN sdbc.household_placed.grid_code IS 'grid 网格 (the building''s)';

CREATE VIEW sdbc.household_outside_grid AS
  SELECT h.household_id, h.community, h.building_id, b.address
    FROM sdbc.household h JOIN sdbc.building b USING (building_id)
   WHERE b.grid_code IS NULL;
COMMENT ON VIEW sdbc.household_outside_grid IS 'Households whose building lies in no live grid: stored, never lost, and reported here (R7.4)';
COMMENT ON COLUMN sdbc.household_outside_grid.household_id IS 'household';
COMMENT ON COLUMN sdbc.household_outside_grid.community IS 'community 社区';
COMMENT ON COLUMN sdbc.household_outside_grid.building_id IS 'building 楼栋';
COMMENT ON COLUMN sdbc.household_outside_grid.address IS 'address of the building 地址';

CREATE VIEW sdbc.community_coverage_gap AS
  SELECT d.code AS community, d.name,
         public.ST_Difference(d.boundary, coalesce(public.ST_Union(g.boundary),
                              public.ST_GeomFromText('POLYGON EMPTY', 4490))) AS gap,
         sdbc.area_m2(public.ST_Difference(d.boundary, coalesce(public.ST_Union(g.boundary),
                              public.ST_GeomFromText('POLYGON EMPTY', 4490)))) AS gap_m2
    FROM sdbc.division d
    LEFT JOIN sdbc.grid g ON g.community OPERATOR(sdbc.=) d.code AND g.valid_to IS NULL
   WHERE d.kind = 'residents_committee' AND d.boundary IS NOT NULL
   GROUP BY d.code, d.name, d.boundary
  HAVING sdbc.area_m2(public.ST_Difference(d.boundary, coalesce(public.ST_Union(g.boundary),
                              public.ST_GeomFromText('POLYGON EMPTY', 4490))))
         > sdbc.policy_value('grid.geometry.tolerance_m2', d.code);
COMMENT ON VIEW sdbc.community_coverage_gap IS 'Parts of a community''s area in no live grid (R7.1: grids tile the community), larger than the policy tolerance';
COMMENT ON COLUMN sdbc.community_coverage_gap.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_coverage_gap.name IS 'name 名称';
COMMENT ON COLUMN sdbc.community_coverage_gap.gap IS 'the uncovered area, a geometry';
COMMENT ON COLUMN sdbc.community_coverage_gap.gap_m2 IS 'its area in square metres';
