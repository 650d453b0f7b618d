-- Drawing grids automatically (R7.1) and classing them (R7.2).

CREATE FUNCTION sdbc.grid_partition(x double precision[], y double precision[], households integer[],
                                    edges integer[], min_households integer, max_households integer,
                                    OUT grid integer[], OUT grids integer, OUT in_bounds integer,
                                    OUT pieces integer, OUT reasons text[])
  AS 'MODULE_PATHNAME', 'grid_partition_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer) IS
  'Kernel (C) of grid drawing: sites with coordinates and households, pairs of 1-based sites whose cells share an edge, and the bounds → the grid (1-based) of every site, contiguous, within bounds where possible, with the reasons where not (R7.1); at most policy grid.partition.max_sites sites (SD381), cancellable; for sdbc.grid_draw (street offices and the prefecture)';

CREATE FUNCTION sdbc.grid_class_for(community sdbc.divcode, households bigint, residents bigint,
                                    key_population bigint, floating_population bigint,
                                    rental_households bigint, incidents bigint,
                                    on_date date DEFAULT CURRENT_DATE)
  RETURNS text
  AS 'MODULE_PATHNAME', 'grid_class_for_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.grid_class_for(sdbc.divcode, bigint, bigint, bigint, bigint, bigint, bigint, date) IS
  'Class of a grid (R7.2) from its indicators, with the thresholds of policy grid.class.* in force for the community on the date';

-- Draw (or redraw) the grids of one community.
CREATE FUNCTION sdbc.grid_draw(community sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
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
  IF NOT isfinite(on_date) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD209',
      MESSAGE = format('grids cannot be drawn on %s', on_date),
      DETAIL = 'Rule R7.1: a redraw retires the grids it replaces on its day; an infinite day would retire every grid for all time (or before it began).',
      HINT = 'Give a real date, by default today.';
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
  -- a new grid is named by its sequence, 第N网格 (grid N), for people and GIS labels
  INSERT INTO sdbc.grid (grid_code, community, name, boundary, valid_from)
  SELECT n.grid_code, grid_draw.community, pg_catalog.format('第%s网格', n.grid_code % 1000),
         (SELECT d.geom FROM public.ST_Dump(n.shape) d ORDER BY public.ST_Area(d.geom) DESC LIMIT 1), on_date
    FROM sdbc_draw_grid n
   WHERE NOT EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = n.grid_code)
   ORDER BY n.grid_code;
  SET CONSTRAINTS sdbc.grid_check IMMEDIATE;

  INSERT INTO sdbc.grid_draw_report SELECT rep.*;
  DROP TABLE sdbc_draw_cell, sdbc_draw_grid;
  RETURN rep;
END $$;
COMMENT ON FUNCTION sdbc.grid_draw(sdbc.divcode, date) IS
  'Draw or redraw the grids of a community (R7.1): buildings weighted by households, grids within grid.households.min/max where possible, contiguous, tiling the community exactly (Voronoi cells of the buildings clipped to it); codes of old grids kept where a new grid mostly overlaps one; households re-placed in the same transaction. Returns (and logs in sdbc.grid_draw_report) what came out and why bounds were not met';

CREATE FUNCTION sdbc.grid_draw_all(under sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
  RETURNS SETOF sdbc.grid_draw_report
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  c sdbc.divcode;
BEGIN
  FOR c IN
    SELECT d.code FROM sdbc.division d
     WHERE d.code OPERATOR(sdbc.<@) under AND d.kind = 'residents_committee'
       AND (EXISTS (SELECT 1 FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) d.code)
            OR EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.community OPERATOR(sdbc.=) d.code AND g.valid_to IS NULL))
     ORDER BY d.code
  LOOP
    RETURN NEXT sdbc.grid_draw(c, on_date);
  END LOOP;
  -- the planner's picture of the new grids and placements
  ANALYZE sdbc.grid;
  ANALYZE sdbc.building;
  ANALYZE sdbc.household;
END $$;
COMMENT ON FUNCTION sdbc.grid_draw_all(sdbc.divcode, date) IS
  'Draw the grids of every community under a division that has buildings or grids; one report row per community';

-- Indicators of R7.2 per live grid, on a date.
CREATE FUNCTION sdbc.grid_indicators(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (grid_code bigint, community sdbc.divcode, class text, households bigint, residents bigint,
                 key_population bigint, floating_population bigint, rental_households bigint, incidents bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT g.grid_code, g.community, g.class,
         coalesce(h.households, 0), coalesce(r.residents, 0), coalesce(r.key_population, 0),
         coalesce(r.floating_population, 0), coalesce(h.rental_households, 0), coalesce(i.incidents, 0)
    FROM sdbc.grid g
    LEFT JOIN (SELECT b.grid_code, count(*) AS households, count(*) FILTER (WHERE hh.rental) AS rental_households
                 FROM sdbc.household hh JOIN sdbc.building b USING (building_id) GROUP BY b.grid_code) h
           ON h.grid_code = g.grid_code
    LEFT JOIN (SELECT b.grid_code, count(*) AS residents,
                      count(*) FILTER (WHERE re.key_population) AS key_population,
                      count(*) FILTER (WHERE re.floating) AS floating_population
                 FROM sdbc.resident re JOIN sdbc.household hh ON hh.household_id = re.household_id
                 JOIN sdbc.building b ON b.building_id = hh.building_id
                GROUP BY b.grid_code) r ON r.grid_code = g.grid_code
    LEFT JOIN (SELECT gi.grid_code, count(*) AS incidents FROM sdbc.grid_incident gi
                WHERE gi.reported_on > on_date - 365 AND gi.reported_on <= on_date
                GROUP BY gi.grid_code) i ON i.grid_code = g.grid_code
   WHERE g.valid_to IS NULL;
END;
COMMENT ON FUNCTION sdbc.grid_indicators(date) IS
  'Per live grid: households, residents, key population 重点人口, floating population 流动人口, rental households 出租房屋, incidents in the 365 days up to the date (R7.2, R12.1)';

-- Reclass the live grids under a division (all when NULL); changes are logged.
CREATE FUNCTION sdbc.grid_reclassify(under sdbc.divcode DEFAULT NULL, on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (grid_code bigint, from_class text, to_class text)
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  IF NOT isfinite(on_date) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD209',
      MESSAGE = format('grids cannot be reclassified on %s', on_date),
      DETAIL = 'Rule R7.2: a grid is classed from its indicators on a day; an infinite day has none.',
      HINT = 'Give a real date, by default today.';
  END IF;
  RETURN QUERY
  WITH ind AS (
    SELECT i.*, sdbc.grid_class_for(i.community, i.households, i.residents, i.key_population,
                                    i.floating_population, i.rental_households, i.incidents, on_date) AS new_class
      FROM sdbc.grid_indicators(on_date) i
     WHERE under IS NULL OR i.community OPERATOR(sdbc.<@) under
  ), changed AS (
    UPDATE sdbc.grid g SET class = ind.new_class
      FROM ind
     WHERE g.grid_code = ind.grid_code AND g.class <> ind.new_class
    RETURNING g.grid_code, ind.class AS from_class, ind.new_class AS to_class,
              jsonb_build_object('households', ind.households, 'residents', ind.residents,
                                 'key_population', ind.key_population,
                                 'floating_population', ind.floating_population,
                                 'rental_households', ind.rental_households,
                                 'incidents', ind.incidents, 'on_date', on_date) AS indicators
  ), logged AS (
    INSERT INTO sdbc.grid_class_history (grid_code, from_class, to_class, indicators)
    SELECT c.grid_code, c.from_class, c.to_class, c.indicators FROM changed c
    RETURNING sdbc.grid_class_history.grid_code, sdbc.grid_class_history.from_class, sdbc.grid_class_history.to_class
  )
  SELECT l.grid_code, l.from_class, l.to_class FROM logged l ORDER BY l.grid_code;
END $$;
COMMENT ON FUNCTION sdbc.grid_reclassify(sdbc.divcode, date) IS
  'Class every live grid under a division (R7.2) from its indicators; each change is written to sdbc.grid_class_history and returned';

-- Trigger arguments: the rule ID and what the rows record, for the DETAIL.
CREATE FUNCTION sdbc.history_is_insert_only() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD207',
    MESSAGE = format('%s is insert-only', TG_TABLE_NAME),
    DETAIL = format('%s: %s are facts: history is kept, never rewritten.',
                    coalesce(TG_ARGV[0], 'history'), coalesce(TG_ARGV[1], 'its rows')),
    HINT = 'Record a new row instead.';
END $$;
COMMENT ON FUNCTION sdbc.history_is_insert_only() IS
  'Trigger: refuses UPDATE, DELETE and TRUNCATE on history tables (SD207); arguments: the rule ID and what the rows record, cited in the DETAIL';
CREATE TRIGGER grid_class_history_insert_only BEFORE UPDATE OR DELETE ON sdbc.grid_class_history
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R7.2', 'grid reclassifications');
CREATE TRIGGER grid_class_history_no_truncate BEFORE TRUNCATE ON sdbc.grid_class_history
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R7.2', 'grid reclassifications');
