-- generate_aksu.sql — a deterministic, Aksu-like registry on the real division
-- codes (R7, R12.1): community boundaries, buildings, households, residents.
--
--   psql -v seed=2016 -v households=310000 -f test/demo/generate_aksu.sql
--
-- Needs sdbc.division loaded with test/data/aksu_divisions.csv.  The urban
-- communities are the residents' committees of the 11 streets (Aksu city 7,
-- Kuqa 4) and of the 7 county-seat towns — the units the paper describes
-- (132 in the 2023 codes; the paper counted 147 in 2016).  Boundaries are
-- synthetic: each county seat's communities tile a block of the town around
-- its real location.  Every draw comes from hashtextextended(key, seed), so
-- the same seed gives the same data whatever the plan.
\set ON_ERROR_STOP on
\if :{?seed}
\else
\set seed 2016
\endif
\if :{?households}
\else
\set households 310000
\endif

BEGIN;
SET LOCAL search_path = sdbc, public;
-- A number in [0, 1) from a key and the seed.
CREATE FUNCTION pg_temp.u(k text) RETURNS double precision LANGUAGE sql IMMUTABLE
  RETURN ((hashtextextended(k, :seed) & 4294967295)::double precision / 4294967296.0);

-- The urban communities, numbered within their county seat.
CREATE TEMP TABLE gen_community AS
WITH seats(unit, lon, lat) AS (VALUES
  ('652901001', 80.26, 41.17), ('652901002', 80.26, 41.17), ('652901003', 80.26, 41.17),
  ('652901004', 80.26, 41.17), ('652901005', 80.26, 41.17), ('652901006', 80.26, 41.17),
  ('652901007', 80.26, 41.17),
  ('652902001', 82.96, 41.72), ('652902002', 82.96, 41.72), ('652902003', 82.96, 41.72),
  ('652902004', 82.96, 41.72),
  ('652922100', 80.24, 41.28), ('652924100', 82.78, 41.22), ('652925100', 82.61, 41.55),
  ('652926100', 81.87, 41.80), ('652927100', 79.23, 41.21), ('652928100', 80.38, 40.64),
  ('652929100', 79.05, 40.51))
SELECT d.code, d.name, s.unit::sdbc.divcode AS unit, sdbc.divcode_ancestor(d.code, 3) AS county,
       s.lon, s.lat,
       row_number() OVER (PARTITION BY sdbc.divcode_ancestor(d.code, 3) ORDER BY d.code) - 1 AS idx,
       count(*) OVER (PARTITION BY sdbc.divcode_ancestor(d.code, 3)) AS n_in_county
  FROM sdbc.division d
  JOIN seats s ON d.code OPERATOR(sdbc.<@) s.unit::sdbc.divcode
 WHERE d.kind = 'residents_committee';

-- Boundaries: the communities of a county seat tile a square block of cells
-- about 1.1 km across; cell corners are jittered, shared by neighbours, so
-- the tiling stays exact.
CREATE TEMP TABLE gen_corner AS
SELECT c.county, i, j,
       c.lon + (i + 0.3 * (pg_temp.u(format('cx %s %s %s', c.county, i, j)) - 0.5)) * 0.013 AS x,
       c.lat + (j + 0.3 * (pg_temp.u(format('cy %s %s %s', c.county, i, j)) - 0.5)) * 0.010 AS y
  FROM (SELECT DISTINCT county, lon, lat, ceil(sqrt(n_in_county))::int AS side FROM gen_community) c,
       generate_series(0, c.side) i, generate_series(0, c.side) j;
CREATE TEMP TABLE gen_quad AS
SELECT g.code, a.x AS ax, a.y AS ay, b.x AS bx, b.y AS by, cc.x AS cx, cc.y AS cy, e.x AS ex, e.y AS ey
  FROM gen_community g
  JOIN LATERAL (SELECT ceil(sqrt(g.n_in_county))::int AS side) s ON true
  JOIN gen_corner a ON a.county = g.county AND a.i = g.idx % s.side AND a.j = g.idx / s.side
  JOIN gen_corner b ON b.county = g.county AND b.i = g.idx % s.side + 1 AND b.j = g.idx / s.side
  JOIN gen_corner cc ON cc.county = g.county AND cc.i = g.idx % s.side + 1 AND cc.j = g.idx / s.side + 1
  JOIN gen_corner e ON e.county = g.county AND e.i = g.idx % s.side AND e.j = g.idx / s.side + 1;
UPDATE sdbc.division d
   SET boundary = ST_Multi(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
         ST_MakePoint(q.ax, q.ay), ST_MakePoint(q.bx, q.by), ST_MakePoint(q.cx, q.cy),
         ST_MakePoint(q.ex, q.ey), ST_MakePoint(q.ax, q.ay)])), 4490))
  FROM gen_quad q
 WHERE d.code = q.code;

-- Households per community: the target shared out with ±40 % variation.
CREATE TEMP TABLE gen_size AS
SELECT code, 0.6 + 0.8 * pg_temp.u('size ' || code) AS w FROM gen_community;
CREATE TEMP TABLE gen_target AS
SELECT code, round(:households * w / sum(w) OVER ())::int AS households FROM gen_size;

-- Buildings until each community's target is reached: 55 % bungalows of
-- 1–2 households, 35 % walk-ups of 6–36, 10 % towers of 60–140.
CREATE TEMP TABLE gen_building AS
WITH RECURSIVE draws AS (
  SELECT t.code, t.households AS target, n,
         pg_temp.u(format('kind %s %s', t.code, n)) AS k,
         pg_temp.u(format('hh %s %s', t.code, n)) AS h
    FROM gen_target t, generate_series(1, 2000) n
), sized AS (
  SELECT code, target, n,
         CASE WHEN k < 0.55 THEN 1 + floor(h * 2)::int
              WHEN k < 0.90 THEN 6 + floor(h * 31)::int
              ELSE 60 + floor(h * 81)::int END AS households
    FROM draws
), running AS (
  SELECT *, sum(households) OVER (PARTITION BY code ORDER BY n) AS upto FROM sized
)
SELECT code, n, CASE WHEN upto > target THEN households - (upto - target) ELSE households END AS households
  FROM running WHERE upto - households < target;

-- locations: bilinear in the community's quadrilateral, so always inside it
INSERT INTO sdbc.building (community, address, households, location)
SELECT b.code, format('%s %s号楼', c.name, b.n), b.households,
       ST_SetSRID(ST_MakePoint(
         (1 - p.t) * ((1 - p.s) * q.ax + p.s * q.bx) + p.t * ((1 - p.s) * q.ex + p.s * q.cx),
         (1 - p.t) * ((1 - p.s) * q.ay + p.s * q.by) + p.t * ((1 - p.s) * q.ey + p.s * q.cy)), 4490)
  FROM gen_building b JOIN gen_community c USING (code) JOIN gen_quad q USING (code),
       LATERAL (SELECT 0.01 + 0.98 * pg_temp.u(format('bx %s %s', b.code, b.n)) AS s,
                       0.01 + 0.98 * pg_temp.u(format('by %s %s', b.code, b.n)) AS t) p
 ORDER BY b.code, b.n;

-- Households: floating and rental shares differ by community.
INSERT INTO sdbc.household (building_id, unit, registration, rental)
SELECT b.building_id, format('%s室', s),
       CASE WHEN pg_temp.u(format('fl %s %s', b.building_id, s)) < 0.03 + 0.22 * pg_temp.u('flc ' || b.community) THEN 'floating' ELSE 'registered' END,
       pg_temp.u(format('re %s %s', b.building_id, s)) < 0.03 + 0.20 * pg_temp.u('rec ' || b.community)
  FROM sdbc.building b, generate_series(1, b.households) s
 ORDER BY b.building_id, s;

-- Residents: 1–6 per household (about 2.75 on average), valid identity
-- numbers registered in the county, key population concentrated in a few
-- communities.
CREATE TEMP TABLE gen_resident AS
SELECT h.household_id, h.community, h.registration, r,
       date '1940-01-01' + floor(pg_temp.u(format('bd %s %s', h.household_id, r)) * 30000)::int AS born,
       pg_temp.u(format('sx %s %s', h.household_id, r)) < 0.5 AS male,
       pg_temp.u(format('kp %s %s', h.household_id, r)) <
         CASE WHEN pg_temp.u('kpc ' || h.community) < 0.08 THEN 0.03 ELSE 0.002 END AS key_population
  FROM sdbc.household h,
       generate_series(1, 1 + floor(pg_temp.u('size ' || h.household_id) * 3.0
                                     + pg_temp.u('size2 ' || h.household_id) * 1.5)::int) r;
INSERT INTO sdbc.resident (household_id, id_number, name, floating, key_population, key_reason)
SELECT household_id,
       sdbc.idcard_make(sdbc.divcode_ancestor(community, 3), born,
                        2 * (row_number() OVER (PARTITION BY sdbc.divcode_ancestor(community, 3), born, male ORDER BY household_id, r) - 1)::int
                        + CASE WHEN male THEN 1 ELSE 0 END),
       (ARRAY['艾力','阿依古丽','买买提','古丽','王','李','张','刘','陈','热依拉'])[1 + floor(pg_temp.u(format('n1 %s %s', household_id, r)) * 10)::int]
         || (ARRAY['江','明','芳','燕','军','华','提','汗','尔','丽'])[1 + floor(pg_temp.u(format('n2 %s %s', household_id, r)) * 10)::int],
       registration = 'floating', key_population,
       CASE WHEN key_population THEN (ARRAY['社区矫正','刑满释放','吸毒人员','重点上访','精神障碍'])[1 + floor(pg_temp.u(format('kr %s %s', household_id, r)) * 5)::int] END
  FROM gen_resident
 ORDER BY household_id, r;
COMMIT;

ANALYZE sdbc.division;
ANALYZE sdbc.building;
ANALYZE sdbc.household;
ANALYZE sdbc.resident;
