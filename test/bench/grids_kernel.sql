-- grids_kernel.sql — part 1 of test/bench/grids.sh: the grid-drawing kernel
-- sdbc.grid_partition() on one large synthetic community, against
-- PostGIS ST_ClusterKMeans on the same buildings.
--
--   psql -v seed=2016 -v buildings=20000 -v households=330000 -f grids_kernel.sql
--
-- Needs CREATE EXTENSION sdbc CASCADE in the database. Everything it makes
-- lives in schema kb; the results are in kb.result (one row per method) and
-- kb.prep (how long the geometric preparation took).
\set ON_ERROR_STOP on
\if :{?seed}
\else
\set seed 2016
\endif
\if :{?buildings}
\else
\set buildings 20000
\endif
\if :{?households}
\else
\set households 330000
\endif
\if :{?kmeans_household_timeout}
\else
\set kmeans_household_timeout '120s'
\endif
SET client_min_messages = warning;
SET jit = off;                     -- as sdbc.grid_draw() does
DROP SCHEMA IF EXISTS kb CASCADE;
CREATE SCHEMA kb;
SET search_path = kb, public;

-- A number in [0, 1) from a key and the seed (as test/demo/generate_aksu.sql).
CREATE FUNCTION kb.u(k text) RETURNS double precision LANGUAGE sql IMMUTABLE
  RETURN ((hashtextextended(k, :seed) & 4294967295)::double precision / 4294967296.0);

-- Wall-clock times of the runs of each timed step.
CREATE TABLE kb.timing (step text, run integer, ms double precision);
-- Median of a step's runs.
CREATE FUNCTION kb.median_ms(s text) RETURNS double precision LANGUAGE sql STABLE
  RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM kb.timing WHERE step = s);

-- The community: a square 6 km across (in metres) centred on Aksu city,
-- 80.26 E 41.17 N, CGCS2000. Metres per degree at that latitude as in
-- sdbc.area_m2().
CREATE TABLE kb.community AS
WITH m AS (
  SELECT 80.26 AS lon, 41.17 AS lat,
         111132.92 - 559.82 * cos(2 * radians(41.17)) + 1.175 * cos(4 * radians(41.17)) AS m_lat,
         111412.84 * cos(radians(41.17)) - 93.5 * cos(3 * radians(41.17)) AS m_lon
)
SELECT ST_SetSRID(ST_MakeEnvelope(lon - 3000 / m_lon, lat - 3000 / m_lat,
                                  lon + 3000 / m_lon, lat + 3000 / m_lat), 4490) AS comm,
       lon, lat, 3000 / m_lon AS half_lon, 3000 / m_lat AS half_lat
  FROM m;

-- Buildings: 55 % bungalows of 1–2 households, 35 % walk-ups of 6–36, 10 %
-- towers of 60–140; walk-ups and towers are then scaled by one factor so that
-- all households add up to :households. Locations uniform in the square.
CREATE TABLE kb.building_raw AS
SELECT n AS building_id,
       kb.u('kind ' || n) AS k, kb.u('hh ' || n) AS h,
       kb.u('bx ' || n) AS s, kb.u('by ' || n) AS t
  FROM generate_series(1, :buildings) n;
CREATE TABLE kb.building AS
WITH sized AS (
  SELECT r.*, CASE WHEN k < 0.55 THEN 1 + floor(h * 2)::int
                   WHEN k < 0.90 THEN 6 + floor(h * 31)::int
                   ELSE 60 + floor(h * 81)::int END AS raw
    FROM kb.building_raw r
), f AS (
  SELECT (:households - sum(raw) FILTER (WHERE k < 0.55))::double precision
         / sum(raw) FILTER (WHERE k >= 0.55) AS scale
    FROM sized
)
SELECT s.building_id,
       CASE WHEN s.k < 0.55 THEN s.raw ELSE greatest(1, round(s.raw * f.scale))::int END AS households,
       ST_SetSRID(ST_MakePoint(c.lon - c.half_lon + 2 * c.half_lon * (0.005 + 0.99 * s.s),
                               c.lat - c.half_lat + 2 * c.half_lat * (0.005 + 0.99 * s.t)), 4490) AS location
  FROM sized s, f, kb.community c;

-- Sites and clipped Voronoi cells: the statement of sdbc.grid_draw() with
-- its variable comm taken from kb.community (see sql/grid/grid_draw.sql).
DO $$
DECLARE
  t0 timestamptz := clock_timestamp();
  t1 timestamptz;
BEGIN
  CREATE TABLE kb.cell AS
  WITH loc AS (
    SELECT b.location, sum(b.households)::integer AS households
      FROM kb.building b
     GROUP BY b.location
  ), cells AS (
    SELECT v.geom AS cell
      FROM (SELECT ST_Collect(location) AS pts, count(*) AS n FROM loc) c, kb.community k,
           LATERAL ST_Dump(CASE WHEN c.n > 1 THEN ST_VoronoiPolygons(c.pts, 0, k.comm) ELSE k.comm END) v
  ), owned AS (
    SELECT l.location, l.households, c.cell
      FROM cells c JOIN loc l ON c.cell && l.location AND ST_Intersects(c.cell, l.location)
  ), parts AS (
    SELECT o.location, o.households, p.geom AS cell
      FROM owned o, kb.community k, LATERAL ST_Dump(ST_Intersection(o.cell, k.comm)) p
     WHERE ST_Dimension(p.geom) = 2
  )
  SELECT row_number() OVER (ORDER BY ST_X(location), ST_Y(location), ST_X(ST_PointOnSurface(cell)), ST_Y(ST_PointOnSurface(cell)))::integer AS site,
         cell,
         CASE WHEN ST_Intersects(cell, location) THEN households ELSE 0 END AS households,
         CASE WHEN ST_Intersects(cell, location) THEN location ELSE ST_PointOnSurface(cell) END AS pt,
         location
    FROM (SELECT DISTINCT ON (location, cell) * FROM parts) p;
  CREATE INDEX ON kb.cell USING gist (cell);
  t1 := clock_timestamp();
  INSERT INTO kb.timing VALUES ('voronoi cells', 1, extract(epoch FROM t1 - t0) * 1000);

  -- Pairs of sites whose cells share an edge (as sdbc.grid_draw()).
  CREATE TABLE kb.input AS
  SELECT (SELECT array_agg(ST_X(pt) * cos(radians(ST_Y(ST_Centroid(k.comm)))) ORDER BY site) FROM kb.cell) AS x,
         (SELECT array_agg(ST_Y(pt) ORDER BY site) FROM kb.cell) AS y,
         (SELECT array_agg(households ORDER BY site) FROM kb.cell) AS w,
         (SELECT coalesce(array_agg(e ORDER BY a, b, o), '{}')
            FROM (SELECT a.site AS a, b.site AS b
                    FROM kb.cell a JOIN kb.cell b
                      ON a.site < b.site AND a.cell && b.cell AND ST_Relate(a.cell, b.cell, '****1****')) p,
                 LATERAL unnest(ARRAY[p.a, p.b]) WITH ORDINALITY u(e, o)) AS e,
         cos(radians(ST_Y(ST_Centroid(k.comm)))) AS coslat
    FROM kb.community k;
  INSERT INTO kb.timing VALUES ('edges and arrays', 1, extract(epoch FROM clock_timestamp() - t1) * 1000);
END $$;

-- The kernel: five calls, each timed alone (arrays already in variables).
CREATE TABLE kb.part (grid integer[], grids integer, in_bounds integer, pieces integer, reasons text[]);
DO $$
DECLARE
  xa double precision[]; ya double precision[]; wa integer[]; ea integer[];
  part record;
  t0 timestamptz;
BEGIN
  SELECT x, y, w, e INTO xa, ya, wa, ea FROM kb.input;
  FOR run IN 1..5 LOOP
    t0 := clock_timestamp();
    SELECT * INTO part FROM sdbc.grid_partition(xa, ya, wa, ea, 200, 300);
    INSERT INTO kb.timing VALUES ('grid_partition', run, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
  INSERT INTO kb.part VALUES (part.grid, part.grids, part.in_bounds, part.pieces, part.reasons);
END $$;

-- The kernel's grids as polygons: the union of their sites' cells.
CREATE TABLE kb.kernel_grid AS
SELECT u.g AS grp, ST_UnaryUnion(ST_Collect(c.cell)) AS shape, sum(c.households)::integer AS households
  FROM kb.cell c JOIN kb.part p ON true, unnest(p.grid) WITH ORDINALITY u(g, site)
 WHERE u.site = c.site
 GROUP BY u.g;

-- ST_ClusterKMeans with k = the kernel's number of grids, on the same
-- coordinates the kernel sees (x scaled by cos(latitude), so that distances
-- are isotropic). Three inputs: one point per building; one POINT M per
-- building with M = households (PostGIS >= 3.1 takes M as the weight); one
-- point per household. Median of 3 runs each; the last run's clusters kept.
CREATE TABLE kb.km_input AS
SELECT b.building_id, b.households,
       ST_SetSRID(ST_MakePoint(ST_X(b.location) * i.coslat, ST_Y(b.location)), 4490) AS p,
       ST_SetSRID(ST_MakePointM(ST_X(b.location) * i.coslat, ST_Y(b.location), b.households), 4490) AS pm
  FROM kb.building b, kb.input i;
CREATE TABLE kb.km_household AS
SELECT k.building_id, k.p FROM kb.km_input k, generate_series(1, k.households) s;
CREATE TABLE kb.km_cluster (method text, building_id integer, cid integer);
CREATE TABLE kb.km_note (method text, note text);

-- Time ST_ClusterKMeans three times on the named input; keep the last clusters.
CREATE PROCEDURE kb.time_kmeans(method text, k integer) LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
BEGIN
  FOR run IN 1..3 LOOP
    DELETE FROM kb.km_cluster c WHERE c.method = time_kmeans.method;
    t0 := clock_timestamp();
    IF method = 'ST_ClusterKMeans, building points' THEN
      INSERT INTO kb.km_cluster SELECT method, building_id, ST_ClusterKMeans(p, k) OVER () FROM kb.km_input;
    ELSIF method = 'ST_ClusterKMeans, building POINT M weighted' THEN
      INSERT INTO kb.km_cluster SELECT method, building_id, ST_ClusterKMeans(pm, k) OVER () FROM kb.km_input;
    ELSE
      -- a building's households may fall into several clusters: the building
      -- goes with the cluster most of them are in
      INSERT INTO kb.km_cluster
      SELECT DISTINCT ON (building_id) method, building_id, cid
        FROM (SELECT building_id, ST_ClusterKMeans(p, k) OVER () AS cid FROM kb.km_household) s
       GROUP BY building_id, cid
       ORDER BY building_id, count(*) DESC, cid;
    END IF;
    INSERT INTO kb.timing VALUES (method, run, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
END $$;

SELECT grids AS k FROM kb.part \gset
CALL kb.time_kmeans('ST_ClusterKMeans, building points', :k);
CALL kb.time_kmeans('ST_ClusterKMeans, building POINT M weighted', :k);
-- one point per household: given a time limit; a run that hits it is reported
SET statement_timeout = :'kmeans_household_timeout';
DO $$
DECLARE
  k integer := (SELECT grids FROM kb.part);
BEGIN
  CALL kb.time_kmeans('ST_ClusterKMeans, household points', k);
EXCEPTION WHEN query_canceled THEN
  INSERT INTO kb.km_note VALUES ('ST_ClusterKMeans, household points',
    format('not finished within %s', current_setting('statement_timeout')));
END $$;
RESET statement_timeout;

-- k-means clusters as polygons: the union of their buildings' cells.
CREATE TABLE kb.km_grid AS
SELECT k.method, k.cid AS grp, ST_UnaryUnion(ST_Collect(c.cell)) AS shape, sum(c.households)::integer AS households
  FROM kb.km_cluster k JOIN kb.building b USING (building_id)
  JOIN kb.cell c ON c.location = b.location
 GROUP BY k.method, k.cid;

-- One row per method: median time and the quality of what came out.
CREATE TABLE kb.result AS
WITH shapes AS (
  SELECT 'sdbc.grid_partition (C kernel)' AS method, 'grid_partition' AS step, shape, households FROM kb.kernel_grid
  UNION ALL
  SELECT method, method, shape, households FROM kb.km_grid
)
SELECT method, round(kb.median_ms(step)::numeric, 1) AS time_ms,
       count(*) AS grids,
       round(100.0 * count(*) FILTER (WHERE households BETWEEN 200 AND 300) / count(*), 1) AS pct_in_bounds,
       count(*) FILTER (WHERE ST_NumGeometries(shape) > 1) AS in_pieces,
       round(avg(4 * pi() * ST_Area(ST_SetSRID(shape, 4326)::geography)
                 / ST_Perimeter(ST_SetSRID(shape, 4326)::geography) ^ 2)::numeric, 3) AS mean_pp,
       min(households) AS min_hh, max(households) AS max_hh
  FROM shapes
 GROUP BY method, step;
INSERT INTO kb.result (method, time_ms)
SELECT n.method || ' (' || n.note || ')', NULL FROM kb.km_note n;
