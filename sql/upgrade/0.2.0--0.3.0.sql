-- sdbc 0.2.0 → 0.3.0, the hand-written part: what changed in the files that
-- 0.2.0 already had (docs/upgrades.md).  The files new in 0.3.0 follow it in
-- the built script (UPDATE_NEW in the Makefile).
\echo Use "ALTER EXTENSION sdbc UPDATE TO '0.3.0'" to load this file. \quit

-- h-identity: no function of the extension searches public (issue 13 section 6,
-- docs/security.md "Names are resolved in the extension's schemas only"): a login
-- that can create in public (PostgreSQL <= 14's default, kept by pg_upgrade)
-- planted public.&&(daterange, daterange) and became superuser when an
-- administrator recorded an absence (the CVE-2018-1058 class).  PostGIS is
-- reached schema-qualified (public.ST_..., OPERATOR(public.&&)) in the two
-- functions that use it; the others only lose public from their path.
ALTER FUNCTION sdbc.grid_lock() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_replace_buildings() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.building_place() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.building_move_households() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_draw_all(sdbc.divcode,date) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_reclassify(sdbc.divcode,date) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.community_minimum_check(sdbc.divcode,bigint,date,text) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.staff_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.staff_move_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.post_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.absence_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.household_visit_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.duty_shift_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.party_branch_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.party_committee_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.party_group_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.decide(bigint,bigint,text,text,integer,bigint,integer) SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.route_two_levels_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.service_application_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.task_assignment_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.policy_group_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.evaluation_check() SET search_path = sdbc, pg_catalog, pg_temp;
ALTER FUNCTION sdbc.grid_no_delete() SET search_path = pg_catalog, sdbc, pg_temp;
ALTER FUNCTION sdbc.history_is_insert_only() SET search_path = pg_catalog, sdbc, pg_temp;
ALTER FUNCTION sdbc.is_restored_row(regclass, bigint) SET search_path = pg_catalog, sdbc, pg_temp;
ALTER FUNCTION sdbc.service_application_fixed() SET search_path = pg_catalog, sdbc, pg_temp;
CREATE OR REPLACE FUNCTION sdbc.grid_check() RETURNS trigger LANGUAGE plpgsql
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
CREATE OR REPLACE FUNCTION sdbc.grid_draw(community sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
  RETURNS sdbc.grid_draw_report
  LANGUAGE plpgsql
  -- JIT would compile the geometry queries afresh for every community (0.5 s each)
  SET jit = off
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  comm public.geometry;
  kind text;
  minh integer;
  maxh integer;
  nsites integer;
  edges integer[];
  part record;
  rep sdbc.grid_draw_report;
  r record;
  next_seq integer;
  band double precision;
  coslat double precision;
BEGIN
  SELECT d.boundary, d.kind INTO comm, kind FROM sdbc.division d WHERE d.code OPERATOR(sdbc.=) grid_draw.community;
  IF kind IS DISTINCT FROM 'residents_committee' THEN
    RAISE EXCEPTION USING ERRCODE = 'SD205',
      MESSAGE = format('%s is not a community', grid_draw.community),
      DETAIL = 'Rule R7.1: grids are drawn inside a community (a residents'' committee division).',
      HINT = 'Give the code of a community, or use sdbc.grid_draw_all() for every community under a division.';
  END IF;
  -- the same row lock that the grid triggers take: one writer per community
  PERFORM sdbc.grid_write_lock(grid_draw.community, 0);
  rep := ROW(grid_draw.community, clock_timestamp(), 0, 0, 0, 0, 0, 0, '{}'::text[]);
  rep.buildings := (SELECT count(*) FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community);
  rep.households := (SELECT coalesce(sum(b.households), 0) FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community);
  IF comm IS NULL THEN
    rep.reasons := '{no_boundary}';
    INSERT INTO sdbc.grid_draw_report SELECT rep.*;
    RETURN rep;
  END IF;
  minh := sdbc.policy_value('grid.households.min', grid_draw.community, on_date);
  maxh := sdbc.policy_value('grid.households.max', grid_draw.community, on_date);
  coslat := cos(radians(public.ST_Y(public.ST_Centroid(comm))));

  -- Sites: buildings at one location are one atomic site; each gets its
  -- Voronoi cell (found through a GiST index, not a nested loop).
  IF to_regclass('pg_temp.sdbc_draw_loc') IS NOT NULL THEN
    DROP TABLE pg_temp.sdbc_draw_loc;
  END IF;
  IF to_regclass('pg_temp.sdbc_draw_voronoi') IS NOT NULL THEN
    DROP TABLE pg_temp.sdbc_draw_voronoi;
  END IF;
  CREATE TEMP TABLE sdbc_draw_loc ON COMMIT DROP AS
  SELECT b.location, sum(b.households)::integer AS households
    FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community
   GROUP BY b.location;
  CREATE TEMP TABLE sdbc_draw_voronoi ON COMMIT DROP AS
  SELECT v.geom AS cell
    FROM (SELECT public.ST_Collect(location) AS pts, count(*) AS n FROM sdbc_draw_loc) c,
         LATERAL public.ST_Dump(CASE WHEN c.n > 1 THEN public.ST_VoronoiPolygons(c.pts, 0, comm) ELSE comm END) v;
  CREATE INDEX ON sdbc_draw_voronoi USING gist (cell);
  ANALYZE sdbc_draw_voronoi;
  CREATE TEMP TABLE sdbc_draw_cell ON COMMIT DROP AS
  WITH owned AS (
    SELECT l.location, l.households, c.cell
      FROM sdbc_draw_loc l JOIN sdbc_draw_voronoi c ON c.cell OPERATOR(public.&&) l.location AND public.ST_Intersects(c.cell, l.location)
  ), parts AS (
    -- a cell clipped to a concave community may fall into pieces: every
    -- piece is a site; pieces without the building weigh nothing
    SELECT o.location, o.households, p.geom AS cell
      FROM owned o, LATERAL public.ST_Dump(public.ST_Intersection(o.cell, comm)) p
     WHERE public.ST_Dimension(p.geom) = 2
  )
  SELECT row_number() OVER (ORDER BY public.ST_X(location), public.ST_Y(location), public.ST_X(public.ST_PointOnSurface(cell)), public.ST_Y(public.ST_PointOnSurface(cell)))::integer AS site,
         cell,
         CASE WHEN public.ST_Intersects(cell, location) THEN households ELSE 0 END AS households,
         CASE WHEN public.ST_Intersects(cell, location) THEN location ELSE public.ST_PointOnSurface(cell) END AS pt
    FROM (SELECT DISTINCT ON (location, cell) * FROM parts) p;
  DROP TABLE sdbc_draw_loc, sdbc_draw_voronoi;
  SELECT count(*), coalesce(sum(households), 0) INTO nsites, rep.households FROM sdbc_draw_cell;
  IF nsites = 0 THEN
    rep.reasons := '{no_buildings}';
    INSERT INTO sdbc.grid_draw_report SELECT rep.*;
    RETURN rep;
  END IF;
  CREATE INDEX ON sdbc_draw_cell USING gist (cell);

  -- Pairs of sites whose cells share an edge.
  SELECT coalesce(array_agg(e ORDER BY a, b, o), '{}') INTO edges
    FROM (SELECT a.site AS a, b.site AS b
            FROM sdbc_draw_cell a JOIN sdbc_draw_cell b
              ON a.site < b.site AND a.cell OPERATOR(public.&&) b.cell AND public.ST_Relate(a.cell, b.cell, '****1****')) p,
         LATERAL unnest(ARRAY[p.a, p.b]) WITH ORDINALITY u(e, o);

  SELECT * INTO part FROM sdbc.grid_partition(
      (SELECT array_agg(public.ST_X(pt) * coslat ORDER BY site) FROM sdbc_draw_cell),
      (SELECT array_agg(public.ST_Y(pt) ORDER BY site) FROM sdbc_draw_cell),
      (SELECT array_agg(households ORDER BY site) FROM sdbc_draw_cell),
      edges, minh, maxh);

  -- The new grids: the union of their sites' cells.
  CREATE TEMP TABLE sdbc_draw_grid ON COMMIT DROP AS
  -- (clipped once more to the community: the union's noding may move an
  -- edge by a hair outside it)
  SELECT u.g AS grp,
         public.ST_CollectionExtract(public.ST_Intersection(public.ST_UnaryUnion(public.ST_Collect(c.cell)), comm), 3) AS shape,
         sum(c.households)::integer AS households,
         NULL::bigint AS grid_code
    FROM sdbc_draw_cell c JOIN unnest(part.grid) WITH ORDINALITY u(g, site) ON u.site = c.site
   GROUP BY u.g;
  rep.grids := part.grids;
  rep.in_bounds := part.in_bounds;
  rep.reasons := part.reasons;
  rep.pieces := (SELECT count(*) FROM sdbc_draw_grid WHERE public.ST_NumGeometries(shape) > 1);

  -- Keep the code of an old grid that a new one mostly (> 50 %) overlaps.
  FOR r IN
    SELECT n.grp, o.grid_code,
           public.ST_Area(public.ST_Intersection(n.shape, o.boundary)) / nullif(public.ST_Area(n.shape), 0) AS share
      FROM sdbc_draw_grid n JOIN sdbc.grid o
        ON o.community OPERATOR(sdbc.=) grid_draw.community AND o.valid_to IS NULL AND o.boundary OPERATOR(public.&&) n.shape
     ORDER BY share DESC, n.grp, o.grid_code
  LOOP
    EXIT WHEN r.share <= 0.5;
    UPDATE sdbc_draw_grid SET grid_code = r.grid_code
     WHERE grp = r.grp AND grid_code IS NULL
       AND NOT EXISTS (SELECT 1 FROM sdbc_draw_grid k WHERE k.grid_code = r.grid_code);
  END LOOP;
  rep.codes_kept := (SELECT count(*) FROM sdbc_draw_grid WHERE grid_code IS NOT NULL);

  -- New codes: after the highest ever used (retired codes are never reused),
  -- numbered north to south in rows of about one grid's height, west to east in a row.
  next_seq := coalesce((SELECT max(g.grid_code % 1000) FROM sdbc.grid g
                         WHERE g.community OPERATOR(sdbc.=) grid_draw.community), 0)::integer;
  band := sqrt(public.ST_Area(comm) / greatest(part.grids, 1));
  FOR r IN
    SELECT grp FROM sdbc_draw_grid WHERE grid_code IS NULL
     ORDER BY floor((public.ST_YMax(comm) - public.ST_Y(public.ST_Centroid(shape))) / nullif(band, 0)), public.ST_X(public.ST_Centroid(shape)), grp
  LOOP
    next_seq := next_seq + 1;
    IF next_seq > 999 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD206',
        MESSAGE = format('community %s has used all 999 grid codes', grid_draw.community),
        DETAIL = 'Rule R7.1 (GB/T 30428.1): a grid code is the community code and a 3-digit sequence, and retired codes are never reused.',
        HINT = 'Redraw with larger grids (policy grid.households.min/max) so that more codes are kept.';
    END IF;
    UPDATE sdbc_draw_grid SET grid_code = grid_draw.community::bigint * 1000 + next_seq WHERE grp = r.grp;
  END LOOP;

  -- Write: retire, reshape, add; check inside/overlap once at the end.
  SET CONSTRAINTS sdbc.grid_check DEFERRED;
  UPDATE sdbc.grid g SET valid_to = on_date
   WHERE g.community OPERATOR(sdbc.=) grid_draw.community AND g.valid_to IS NULL
     AND g.grid_code NOT IN (SELECT grid_code FROM sdbc_draw_grid);
  UPDATE sdbc.grid g
     SET boundary = (SELECT d.geom FROM public.ST_Dump(n.shape) d ORDER BY public.ST_Area(d.geom) DESC LIMIT 1)
    FROM sdbc_draw_grid n WHERE g.grid_code = n.grid_code;
  INSERT INTO sdbc.grid (grid_code, community, boundary, valid_from)
  SELECT n.grid_code, grid_draw.community,
         (SELECT d.geom FROM public.ST_Dump(n.shape) d ORDER BY public.ST_Area(d.geom) DESC LIMIT 1), on_date
    FROM sdbc_draw_grid n
   WHERE NOT EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = n.grid_code)
   ORDER BY n.grid_code;
  SET CONSTRAINTS sdbc.grid_check IMMEDIATE;

  INSERT INTO sdbc.grid_draw_report SELECT rep.*;
  DROP TABLE sdbc_draw_cell, sdbc_draw_grid;
  RETURN rep;
END $$;

-- h-identity: a login is one person, whatever role it sets (issue 13 section
-- 2, R3.2): the acting login is the session's (sdbc.acting_role(),
-- src/login_staff.c), not current_user after SET ROLE.
CREATE FUNCTION sdbc.acting_role() RETURNS name
  AS 'MODULE_PATHNAME', 'acting_role' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.acting_role() IS
  'The login that acts 操作人 for the session: session_user, or the role set by a superuser or by a trusted connection-pool login (member of sdbc_pool); NULL when a login set another person''s role itself (R3.2: one login, one person)';
CREATE OR REPLACE FUNCTION sdbc.my_staff_id() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL RESTRICTED SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT rs.staff_id FROM sdbc.role_staff rs WHERE rs.role_name = sdbc.acting_role() $$;
COMMENT ON FUNCTION sdbc.my_staff_id() IS
  'The staff member 工作人员 the acting login is (sdbc.acting_role(), sdbc.role_staff); NULL without a mapping, for a role that may record anyone, or when a login set another person''s role itself';

-- h-identity: one community cannot hold up the others (issue 13 section 5):
-- the lock rows are written only by the engine's lock functions, with the
-- owner's rights, for what the acting login serves (sql/98_login_safety.sql,
-- run by the update too, revokes the staff roles' privileges on the lock
-- tables and converts table-level UPDATE and DELETE).
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
CREATE OR REPLACE FUNCTION sdbc.grid_lock() RETURNS trigger LANGUAGE plpgsql
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
CREATE OR REPLACE FUNCTION sdbc.staff_limit_lock(division sdbc.divcode) RETURNS void
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  -- with the owner's rights (issue 13 section 5), for a division the acting
  -- login serves or while the engine writes (a staff move)
  IF sdbc.engine_writing() OR sdbc.acting_serves(staff_limit_lock.division) THEN
    INSERT INTO sdbc.staff_limit_lock AS l (division, writes) VALUES (staff_limit_lock.division, 1)
    ON CONFLICT ON CONSTRAINT staff_limit_lock_pkey DO UPDATE SET writes = l.writes + 1;
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.staff_limit_lock(sdbc.divcode) IS
  'Internal: takes the row lock of a street or community in sdbc.staff_limit_lock before its hard staffing limits are counted; with the owner''s rights, only for a division the acting login serves or while the engine writes (sdbc.acting_serves)';
CREATE OR REPLACE FUNCTION sdbc.staff_absence_lock(who bigint[]) RETURNS void
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  -- The engine writes the lock rows with its owner's rights (no staff role
  -- has a privilege on the table, issue 13 section 5); it locks only staff
  -- the acting login serves or their A/B partners, so that a login cannot
  -- hold the rows of another community's staff.
  INSERT INTO sdbc.staff_absence_lock AS l (staff_id, writes)
  SELECT DISTINCT u.id, 1 FROM unnest(who) u(id)
   WHERE u.id IS NOT NULL AND sdbc.acting_may_lock_staff(u.id)
   ORDER BY 1
  ON CONFLICT ON CONSTRAINT staff_absence_lock_pkey DO UPDATE SET writes = l.writes + 1;
END $$;
COMMENT ON FUNCTION sdbc.staff_absence_lock(bigint[]) IS
  'Internal: takes the row locks of the given staff members in sdbc.staff_absence_lock, in ascending staff_id, before A/B absences are compared (R7.3); with the owner''s rights, only for staff the acting login serves and their A/B partners (sdbc.acting_may_lock_staff)';
