-- report.sql — the demo's last section: evaluation (R5), platforms (R9.1),
-- premises (R10.1) and activities (R11.1) for the urban communities, then the
-- key-figures report of the reporting schema for Aksu prefecture beside the
-- paper's published figures, and four charts as SVG in out/.
-- Included at the end of test/demo/main.sql (after money.sql, service.sql and
-- people.sql, whose staff, party organisation, expenses and tasks it reports).
-- Every generated number comes from hashtextextended() of a key: the same
-- data on every run (no random()).
\echo
\echo '================================================================================'
\echo ' Evaluation (R5), platforms (R9.1), premises (R10.1), activities (R11.1) and the'
\echo ' reporting schema sdbc_report: the key figures beside the paper, and charts'
\echo '================================================================================'
SET search_path = sdbc, public;

-- A number in [0, 1) from a key (fixed salt: deterministic).
CREATE FUNCTION pg_temp.h(k text) RETURNS numeric LANGUAGE sql IMMUTABLE
  RETURN ((hashtextextended(k, 2016) & 1048575)::numeric / 1048576);

\set ON_ERROR_STOP on
BEGIN;
-- The communities the demo populates (those with grids), and their street or
-- county-seat town (the unit graded in R5.2).
CREATE TEMP TABLE demo_rc AS
SELECT d.code, divcode_parent(d.code) AS unit, row_number() OVER (ORDER BY pg_temp.h('order ' || d.code), d.code) AS k,
       count(*) OVER () AS n
  FROM division d WHERE d.kind = 'residents_committee' AND d.boundary IS NOT NULL;

-- Information platforms (R9.1): the paper's share, 136 of 147 communities,
-- applied to the demo's communities; each cost about 770.59万 / 136.
INSERT INTO community_platform (community, since, cost)
SELECT code, date '2015-01-01' + (pg_temp.h('pf day ' || code) * 700)::int,
       round(7705900 / 136.0 * (0.8 + 0.4 * pg_temp.h('pf cost ' || code)), -2)
  FROM demo_rc WHERE k <= round(n * 136 / 147.0);

-- Premises (R10.1): one site each, 650–1,650 m² (the paper: an average above
-- 1,000 m²); 79 of them built or rebuilt since 2014 (the paper's 79);
-- functional rooms: the service hall always, the others often.
INSERT INTO premises (community, area_m2, built_on)
SELECT code, round(650 + 1000 * pg_temp.h('area ' || code), -1),
       CASE WHEN k <= 79 THEN date '2014-03-01' + (pg_temp.h('built ' || code) * 900)::int
            ELSE date '2005-01-01' + (pg_temp.h('built ' || code) * 3000)::int END
  FROM demo_rc;
INSERT INTO premises_room (premises_id, room_kind)
SELECT p.premises_id, r.room_kind
  FROM premises p JOIN demo_rc c ON c.code = p.community CROSS JOIN room_kind r
 WHERE r.room_kind = 'service_hall' OR pg_temp.h(r.room_kind || ' ' || c.code) < 0.8;

-- Activities (R11.1): a theme every month and one or two activities every
-- week from eleven months before this one until today (12 months); a few
-- communities miss a theme or a week.
SELECT (date_trunc('month', current_date) - interval '11 months')::date AS act_from \gset
INSERT INTO monthly_theme (community, month, theme)
SELECT c.code, m::date, (ARRAY['民族团结一家亲', '法治宣传月', '邻里守望', '文明创建', '关爱老人'])[1 + (extract(month FROM m)::int % 5)]
  FROM demo_rc c, generate_series(:'act_from'::date, date_trunc('month', current_date), interval '1 month') m
 WHERE pg_temp.h(format('theme %s %s', c.code, m::date)) >= 0.04;
INSERT INTO activity (community, held_on, title, participants)
SELECT c.code, w::date + (pg_temp.h(format('day %s %s %s', c.code, w::date, j)) * 6)::int,
       (ARRAY['居民大舞台', '文化大礼堂', '健身活动', '志愿服务', '政策宣讲'])[1 + j + (extract(week FROM w)::int % 4)],
       20 + (pg_temp.h(format('people %s %s %s', c.code, w::date, j)) * 180)::int
  FROM demo_rc c,
       generate_series(:'act_from'::date + (8 - extract(isodow FROM :'act_from'::date)::int) % 7, current_date - 6, interval '7 days') w,
       generate_series(0, 1) j
 WHERE (j = 0 AND pg_temp.h(format('week %s %s', c.code, w::date)) >= 0.03)
    OR (j = 1 AND pg_temp.h(format('second %s %s', c.code, w::date)) < 0.5);

-- Evaluation (R5): this year's routine (first half) and year-end periods; the
-- "3+1" parts of every community around a level of its street, the street's
-- own score, and every community's rating of the departments that assigned it
-- tasks this year (R5.4).
SELECT extract(year FROM current_date)::int AS eval_year \gset
INSERT INTO evaluation_period (period_code, kind, starts_on, ends_on, name_zh) VALUES
  (:'eval_year' || '-H1', 'routine', make_date(:eval_year, 1, 1), make_date(:eval_year, 6, 30), :'eval_year' || '年上半年平时考核'),
  (:'eval_year', 'year_end', make_date(:eval_year, 1, 1), make_date(:eval_year, 12, 31), :'eval_year' || '年年终考核');
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership, merit, error)
SELECT p.period_code, c.code,
       least(100, round(58 + 34 * pg_temp.h('level ' || c.unit) + 12 * pg_temp.h(format('ind %s %s', p.period_code, c.code)), 1)),
       least(100, round(65 + 25 * pg_temp.h('level ' || c.unit) + 10 * pg_temp.h(format('sat %s %s', p.period_code, c.code)), 1)),
       least(100, round(60 + 30 * pg_temp.h('level ' || c.unit) + 10 * pg_temp.h(format('lead %s %s', p.period_code, c.code)), 1)),
       CASE WHEN pg_temp.h(format('merit %s %s', p.period_code, c.code)) < 0.2 THEN 1 + floor(4 * pg_temp.h(format('m %s %s', p.period_code, c.code))) ELSE 0 END,
       CASE WHEN pg_temp.h(format('error %s %s', p.period_code, c.code)) < 0.15 THEN 1 + floor(3 * pg_temp.h(format('e %s %s', p.period_code, c.code))) ELSE 0 END
  FROM demo_rc c, evaluation_period p WHERE p.period_code IN (:'eval_year' || '-H1', :'eval_year');
INSERT INTO street_score (period_code, street, own_score)
SELECT :'eval_year', unit, round(60 + 38 * pg_temp.h('own ' || unit), 1) FROM (SELECT DISTINCT unit FROM demo_rc) u;
INSERT INTO department_rating (period_code, community, department, rating)
SELECT DISTINCT ON (p.period_code, t.community, t.department) p.period_code, t.community, t.department,
       round(60 + 40 * pg_temp.h(format('rate %s %s %s', p.period_code, t.community, t.department)), 1)
  FROM task_assignment t JOIN evaluation_period p ON t.handed_on BETWEEN p.starts_on AND p.ends_on
 WHERE t.department IS NOT NULL AND pg_temp.h(format('rates %s %s', t.community, t.department)) < 0.9;
COMMIT;
ANALYZE community_platform; ANALYZE premises; ANALYZE premises_room; ANALYZE monthly_theme; ANALYZE activity;
ANALYZE community_score; ANALYZE street_score; ANALYZE department_rating;

\echo '-- 22. Street grades, year-end' :eval_year '(R5.2: 90 % communities'' average + 10 % own score)'
SELECT d.name AS "街道/城关镇", g.communities_scored AS communities, g.community_average, g.own_score,
       g.grade_score, g.band, g.band_zh AS "等次", g.county_rank
  FROM sdbc_report.street_grades g JOIN division d ON d.code = g.street_code::divcode
 WHERE g.period_code = :'eval_year' ORDER BY g.county_code, g.county_rank, g.street_code;
\echo '   Note: generated scores (hashed, around a level drawn for each street); the bands'
\echo '   follow policy street_grade.band.*. Evaluation, like the rest, is for this year.'
\echo '-- 23. Reverse evaluation of county departments (R5.4), year' :eval_year
SELECT o.name_zh AS "部门", e.communities_assigned, e.communities_rated, e.average_rating, e.county_rank
  FROM department_evaluation e JOIN office o ON o.office = e.department
 WHERE e.period_code = :'eval_year' ORDER BY e.county, e.county_rank;
\echo '-- 24. Premises (R10.1) and activities (R11.1), read as sdbc_reader from sdbc_report'
SET ROLE sdbc_reader;
SELECT count(*) AS communities, round(avg(area_m2)) AS average_m2, count(*) FILTER (WHERE meets_norm) AS "at or above the norm",
       round(avg(room_kinds), 1) AS "room kinds, average"
  FROM sdbc_report.premises WHERE sites > 0;
SELECT to_char(month, 'YYYY-MM') AS month, count(*) AS communities, count(*) FILTER (WHERE missed_theme) AS "missed the theme",
       count(*) FILTER (WHERE weeks_without_activity > 0) AS "missed a week", max(weeks) AS "full weeks"
  FROM sdbc_report.activities_missed GROUP BY month ORDER BY month;
RESET ROLE;
\echo '   Note: generated — premises of 650–1,650 m² (the paper: an average above 1,000), so'
\echo '   some are below the norm of policy premises.area.min_m2; 4 % of a community''s months'
\echo '   lack a theme and 3 % of its weeks an activity (R11.1 asks for every one). The month'
\echo '   in progress counts only its weeks whose Monday is at least six days past.'

\echo
\echo '-- 25. Key figures of Aksu prefecture 阿克苏地区主要指标 (sdbc_report.key_figures,'
\echo '       read as sdbc_reader) beside the paper''s published figures ---------------'
-- key_figures is a snapshot: take it now that the data is loaded (R9.1).
SELECT sdbc.report_refresh() AS refreshed_at \gset
\echo '       snapshot taken by sdbc.report_refresh() at' :refreshed_at
SET ROLE sdbc_reader;
CREATE TEMP TABLE demo_key AS
SELECT position, measure, label_zh, value, share_pct
  FROM sdbc_report.key_figures WHERE division_code = '652900000000';
RESET ROLE;
-- paper: the figures the paper publishes for the prefecture (about 2016);
-- "—" where it gives none.
WITH paper(position, paper, paper_pct, note) AS (VALUES
  (1,  '11',        NULL,   'Aksu city 7, Kuqa 4, as in the paper'),
  (2,  '147',       NULL,   'ours: every residents'' committee of the 2023 codes; the 11 streets and 7 seat towns hold 132 (the demo''s), the paper counts 147 urban ones'),
  (3,  '≈ 310,000', NULL,   'generated at the paper''s scale (generate_aksu.sql)'),
  (4,  '852,000',   NULL,   'generated: households × persons per household'),
  (5,  '3,240',     NULL,   'people.sql adds staff up to the paper''s count'),
  (6,  '1,224',     '37.8', NULL),
  (7,  '187',       '5.8',  'paper share computed: 187 / 3,240'),
  (8,  '1,037',     '32.0', 'paper share computed: 1,037 / 3,240'),
  (9,  '454',       '14.0', 'paper share computed: 454 / 3,240'),
  (10, '1,562',     '48.2', 'paper share computed: 1,562 / 3,240'),
  (11, '1,114',     '34.4', NULL),
  (12, '2,447',     '75.5', 'paper: 591 bachelor + 1,856 associate'),
  (13, '76',        NULL,   'paper: founded in 2016'),
  (14, '282',       NULL,   NULL),
  (15, '553',       NULL,   NULL),
  (16, '1,535',     NULL,   'ours drawn at 200–300 households (policy); the paper''s grids average ~200'),
  (17, '136',       '92.5', 'demo: the paper''s share of the 132; ours % is of all 304 residents'' committees'),
  (18, '> 1,000',   NULL,   'paper: "average above 1,000 m²"; demo: 650–1,650 m² per community')
)
SELECT k.position AS "#", k.measure, k.label_zh AS "指标",
       to_char(k.value, CASE WHEN k.value = trunc(k.value) THEN 'FM999,999,990' ELSE 'FM999,999,990.0' END) AS ours, k.share_pct AS "ours %",
       coalesce(p.paper, '—') AS paper, coalesce(p.paper_pct, '—') AS "paper %",
       coalesce(p.note, '') AS note
  FROM demo_key k LEFT JOIN paper p USING (position) ORDER BY k.position;
\echo '   ours: the 2023 division codes and the demo''s generated data; paper: the figures it'
\echo '   publishes for about 2016 ("—": not in the paper). Where they differ: the codes of 2023'
\echo '   list 304 residents'' committees (132 under the streets and seat towns, against the'
\echo '   paper''s 147 urban ones), and the grids follow the 200–300 policy rather than the'
\echo '   paper''s 1,535. Ours shares are of all community staff, or of all 304 communities.'
\echo '   The view also gives every county and street: WHERE division_code = ''652901000000''.'

-- Charts: SVG written from SQL into out/ (string_agg of <rect>/<text>).
\echo
\echo '-- 26. Charts (SVG) --------------------------------------------------------------'
CREATE FUNCTION pg_temp.x(t text) RETURNS text LANGUAGE sql IMMUTABLE
  RETURN replace(replace(replace(t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;');
-- The frame of a chart: title (English and Chinese), axis titles, axes.
CREATE FUNCTION pg_temp.svg_head(w int, h int, title text, xlabel text, ylabel text,
                                 x0 int, y0 int, x1 int, y1 int) RETURNS text LANGUAGE sql IMMUTABLE
  RETURN format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" font-family="Noto Sans CJK SC, DejaVu Sans, sans-serif">', w, h, w, h)
      || format('<rect x="0" y="0" width="%s" height="%s" fill="white"/>', w, h)
      || format('<text x="%s" y="26" font-size="17" text-anchor="middle" font-weight="bold">%s</text>', w / 2, pg_temp.x(title))
      || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#222"/>', x0, y0, x1, y0)
      || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#222"/>', x0, y0, x0, y1)
      || format('<text x="%s" y="%s" font-size="13" text-anchor="middle">%s</text>', (x0 + x1) / 2, h - 8, pg_temp.x(xlabel))
      || format('<text x="16" y="%s" font-size="13" text-anchor="middle" transform="rotate(-90 16 %s)">%s</text>', (y0 + y1) / 2, (y0 + y1) / 2, pg_temp.x(ylabel));
-- A round step for about five ticks up to top: 1, 2 or 5 times a power of ten.
CREATE FUNCTION pg_temp.nice_step(top numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
  RETURN (SELECT min(m * 10 ^ e) FROM (VALUES (1), (2), (5)) AS f (m),
                 generate_series(floor(log(greatest(top, 1) / 5))::int - 1, floor(log(greatest(top, 1) / 5))::int + 1) AS e
           WHERE m * 10 ^ e >= top / 6.0);
-- y-axis ticks and grid lines from 0 to top, step, on a scale of px per unit.
CREATE FUNCTION pg_temp.svg_yticks(x0 int, x1 int, y0 int, top numeric, step numeric, px numeric) RETURNS text
  LANGUAGE sql IMMUTABLE
  RETURN (SELECT string_agg(format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd"/><text x="%s" y="%s" font-size="11" text-anchor="end">%s</text>',
                                   x0, round(y0 - v * px, 1), x1, round(y0 - v * px, 1), x0 - 5, round(y0 - v * px + 4, 1), v), '' ORDER BY v)
            FROM generate_series(0, top, step) v);
\pset format unaligned
\pset tuples_only on

-- (a) Households per grid in bins of 10 that respect the policy's inclusive
-- bounds (R7.1): in the band [min, max] the bins start at min and the last
-- one ends at max (200–209 … 290–300), above it they start at max + 1
-- (301–310 …), below it they end at min - 1 (190–199 …); so no bin holds
-- grids both inside and outside the band.  Each bar carries its bounds
-- (data-lo, data-hi) and whether it is in the band, for test/t/007_charts.pl.
SELECT policy_value('grid.households.min', '6529') AS band_lo, policy_value('grid.households.max', '6529') AS band_hi \gset
\o out/grid_sizes.svg
WITH h AS (SELECT households AS v, greatest((:band_hi - :band_lo + 1) / 10, 1) AS nb FROM sdbc_report.grid_sizes),
     binned AS (SELECT CASE WHEN v > :band_hi THEN :band_hi + 1 + ((v - :band_hi - 1) / 10) * 10
                            WHEN v < :band_lo THEN :band_lo - 10 - ((:band_lo - 1 - v) / 10) * 10
                            ELSE :band_lo + least((v - :band_lo) / 10, nb - 1) * 10 END AS lo, nb FROM h),
     b AS (SELECT lo, CASE WHEN lo = :band_lo + (nb - 1) * 10 THEN :band_hi ELSE lo + 9 END AS hi, count(*) AS n
             FROM binned GROUP BY lo, nb),
     r AS (SELECT least(min(lo), :band_lo - 20) AS xmin, greatest(max(hi) + 1, :band_hi + 21) AS xmax,
                  pg_temp.nice_step(max(n)) AS step, max(n) AS nmax, (SELECT count(*) FROM sdbc_report.grid_sizes) AS grids FROM b),
     k AS (SELECT xmin, xmax, step, ceil(nmax / step) * step AS ymax, grids, 820.0 / (xmax - xmin) AS sx,
                  380.0 / (ceil(nmax / step) * step) AS sy FROM r)
SELECT pg_temp.svg_head(920, 500, format('Grid sizes 网格规模: households per grid 每格户数 (%s grids, policy %s–%s, R7.1)', grids, :band_lo, :band_hi),
                        'households per grid 每个网格户数 (bins of 10, bounds inclusive)', 'grids 网格数', 70, 440, 890, 60)
    || format('<rect x="%s" y="60" width="%s" height="380" fill="#cfe8cf" opacity="0.6"/>',
              round(70 + (:band_lo - xmin) * sx, 1), round((:band_hi + 1 - :band_lo) * sx, 1))
    || format('<text x="%s" y="54" font-size="12" text-anchor="middle" fill="#2b6b2b">policy band 政策区间 %s–%s (grid.households.min/max)</text>',
              round(70 + ((:band_lo + :band_hi + 1) / 2.0 - xmin) * sx, 1), :band_lo, :band_hi)
    || pg_temp.svg_yticks(70, 890, 440, ymax, step, sy)
    || (SELECT string_agg(format('<rect class="bin" data-lo="%s" data-hi="%s" data-in-band="%s" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff"/>',
                                 lo, hi, CASE WHEN lo >= :band_lo AND hi <= :band_hi THEN 'true' ELSE 'false' END,
                                 round(70 + (lo - xmin) * sx, 1), round(440 - n * sy, 1), round((hi + 1 - lo) * sx, 1), round(n * sy, 1),
                                 CASE WHEN lo >= :band_lo AND hi <= :band_hi THEN '#3a7d44' ELSE '#d9822b' END), '' ORDER BY lo) FROM b)
    || (SELECT string_agg(format('<text x="%s" y="458" font-size="11" text-anchor="middle">%s</text>', round(70 + (v + 0.5 - xmin) * sx, 1), v), '' ORDER BY v)
          FROM generate_series((ceil(xmin / 50.0) * 50)::int, xmax - 1, 50) v)
    || format('<line x1="%1$s" y1="60" x2="%1$s" y2="440" stroke="#2b6b2b" stroke-dasharray="5,3"/>', round(70 + (:band_lo - xmin) * sx, 1))
    || format('<line x1="%1$s" y1="60" x2="%1$s" y2="440" stroke="#2b6b2b" stroke-dasharray="5,3"/>', round(70 + (:band_hi + 1 - xmin) * sx, 1))
    || '<rect x="720" y="72" width="14" height="12" fill="#3a7d44"/><text x="740" y="83" font-size="12">within policy 符合</text>'
    || '<rect x="720" y="92" width="14" height="12" fill="#d9822b"/><text x="740" y="103" font-size="12">outside policy 超出</text>'
    || '</svg>'
  FROM k;
\o
-- (b) Staff by category, shares: ours against the paper's.
\o out/staffing.svg
WITH paper(position, pct) AS (VALUES (7, 5.8), (8, 32.0), (9, 14.0), (10, 48.2)),
     c AS (SELECT k.position, k.measure, k.label_zh, k.value, k.share_pct, p.pct,
                  row_number() OVER (ORDER BY k.position) - 1 AS i
             FROM demo_key k JOIN paper p USING (position))
SELECT pg_temp.svg_head(860, 480, format('Community staff by category 社区工作人员构成 (%s staff, Aksu prefecture 阿克苏地区)',
                                         (SELECT to_char(value, 'FM999,999') FROM demo_key WHERE position = 5)),
                        'category 人员类别', 'share of community staff 占比 (%)', 70, 400, 830, 60)
    || pg_temp.svg_yticks(70, 830, 400, 60, 10, 340 / 60.0)
    || string_agg(format('<rect x="%s" y="%s" width="60" height="%s" fill="#1f5fa8"/><text x="%s" y="%s" font-size="11" text-anchor="middle">%s</text>'
                         '<rect x="%s" y="%s" width="60" height="%s" fill="#b8b8b8"/><text x="%s" y="%s" font-size="11" text-anchor="middle">%s</text>'
                         '<text x="%s" y="420" font-size="12" text-anchor="middle">%s</text><text x="%s" y="437" font-size="12" text-anchor="middle">%s</text>',
                         110 + 190 * i, round(400 - share_pct * 340 / 60.0, 1), round(share_pct * 340 / 60.0, 1), 140 + 190 * i, round(395 - share_pct * 340 / 60.0, 1), share_pct,
                         172 + 190 * i, round(400 - pct * 340 / 60.0, 1), round(pct * 340 / 60.0, 1), 202 + 190 * i, round(395 - pct * 340 / 60.0, 1), pct,
                         171 + 190 * i, pg_temp.x(measure), 171 + 190 * i, label_zh), '' ORDER BY i)
    || '<rect x="600" y="70" width="16" height="12" fill="#1f5fa8"/><text x="622" y="81" font-size="12">ours (demo data) 本数据</text>'
    || '<rect x="600" y="90" width="16" height="12" fill="#b8b8b8"/><text x="622" y="101" font-size="12">paper 论文 (about 2016)</text>'
    || '</svg>'
  FROM c;
\o
-- (c) Expenses per approval route (R3.2, R3.3): the whole bar is every
-- expense submitted on the route, its darker part those already paid; the
-- bars share the plot's width whatever the number of routes.
\o out/expense_routes.svg
WITH e AS (SELECT route_code, sum(expenses) AS n, sum(paid) AS paid, sum(amount) AS amount,
                  row_number() OVER (ORDER BY route_code) - 1 AS i, count(*) OVER () AS routes
             FROM sdbc_report.expenses_by_route GROUP BY route_code),
     m AS (SELECT pg_temp.nice_step(max(n)) AS step, ceil(max(n) / pg_temp.nice_step(max(n))) * pg_temp.nice_step(max(n)) AS ymax,
                  max(routes) AS routes FROM e),
     g AS (SELECT e.*, m.step, m.ymax, 650.0 / m.routes AS slot FROM e, m)
SELECT pg_temp.svg_head(760, 500, 'Expenses by approval route 支出审批路径 (R3.2, R3.3)',
                        'approval route 审批路径', 'expenses 笔数', 80, 400, 730, 70)
    || pg_temp.svg_yticks(80, 730, 400, max(ymax), max(step), 330.0 / max(ymax))
    || string_agg(format('<rect x="%s" y="%s" width="%s" height="%s" fill="#9cc3e6"/><rect x="%s" y="%s" width="%s" height="%s" fill="#1f5fa8"/>'
                         '<text x="%s" y="%s" font-size="12" text-anchor="middle">%s (%s paid 已支付)</text>'
                         '<text x="%s" y="420" font-size="12" text-anchor="middle">%s</text><text x="%s" y="437" font-size="11" text-anchor="middle">%s yuan 元</text>',
                         round(80 + i * slot + slot * 0.2, 1), round(400 - n * 330.0 / ymax, 1), round(slot * 0.6, 1), round(n * 330.0 / ymax, 1),
                         round(80 + i * slot + slot * 0.2, 1), round(400 - paid * 330.0 / ymax, 1), round(slot * 0.6, 1), round(paid * 330.0 / ymax, 1),
                         round(80 + (i + 0.5) * slot, 1), round(394 - n * 330.0 / ymax, 1), n, paid,
                         round(80 + (i + 0.5) * slot, 1), pg_temp.x(route_code), round(80 + (i + 0.5) * slot, 1), to_char(amount, 'FM999,999,999')), '' ORDER BY i)
    || '<rect x="100" y="42" width="14" height="12" fill="#1f5fa8"/><text x="120" y="53" font-size="12">paid 已支付</text>'
    || '<rect x="230" y="42" width="14" height="12" fill="#9cc3e6"/><text x="250" y="53" font-size="12">submitted, not yet paid 已提交未支付</text>'
    || '<text x="730" y="53" font-size="11" text-anchor="end" fill="#555">up to the limit: R3.2; above it: R3.3</text>'
    || '</svg>'
  FROM g;
\o
-- (d) Street grades, one bar per street or seat town, grouped by county and
-- labelled with it (two counties have a 新城街道), the band limits as lines.
\o out/street_grades.svg
WITH s AS (SELECT s.street_code, d.name, c.name AS county, sdbc.divcode_ancestor(s.street_code::divcode, 3) AS county_code,
                  s.grade_score, s.band
             FROM sdbc_report.street_grades s JOIN division d ON d.code = s.street_code::divcode
             JOIN division c ON c.code = sdbc.divcode_ancestor(s.street_code::divcode, 3)
            WHERE s.period_code = :'eval_year'),
     g AS (SELECT s.*, row_number() OVER (ORDER BY county_code, street_code) - 1 AS i,
                  dense_rank() OVER (ORDER BY county_code) - 1 AS grp, count(*) OVER () AS n,
                  (SELECT count(DISTINCT county_code) FROM s) AS groups
             FROM s),
     -- x of a bar's left edge: bars of 780 px less a 24 px gap between counties
     p AS (SELECT g.*, (780.0 - 24 * (groups - 1)) / n AS w, 80 + i * ((780.0 - 24 * (groups - 1)) / n) + grp * 24 AS x FROM g),
     bands(band, lo, colour) AS (VALUES
       ('excellent 优秀', policy_value('street_grade.band.excellent', '6529', make_date(:eval_year, 12, 31)), '#2b6b2b'),
       ('good 良好',      policy_value('street_grade.band.good', '6529', make_date(:eval_year, 12, 31)), '#1f5fa8'),
       ('pass 合格',      policy_value('street_grade.band.pass', '6529', make_date(:eval_year, 12, 31)), '#b05a00'))
SELECT pg_temp.svg_head(1000, 560, format('Street grades 街道年终考评 %s (R5.2: 90 %% communities + 10 %% own score)', :'eval_year'),
                        'street or county-seat town 街道/城关镇, by county 按县(市)', 'grade score 定等得分', 70, 400, 880, 60)
    || pg_temp.svg_yticks(70, 880, 400, 100, 10, 3.4)
    || string_agg(format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/><text x="%s" y="%s" font-size="10" text-anchor="middle">%s</text>'
                         '<text x="%s" y="412" font-size="11" text-anchor="end" transform="rotate(-45 %s 412)">%s</text>',
                         round(x + 4, 1), round(400 - grade_score * 3.4, 1), round(w - 8, 1), round(grade_score * 3.4, 1),
                         CASE band WHEN 'excellent' THEN '#3a7d44' WHEN 'good' THEN '#4a86c5' WHEN 'pass' THEN '#e0a030' ELSE '#c0392b' END,
                         round(x + w / 2, 1), round(396 - grade_score * 3.4, 1), grade_score,
                         round(x + w / 2, 1), round(x + w / 2, 1), pg_temp.x(county || ' · ' || name)), '' ORDER BY i)
    || (SELECT string_agg(format('<line x1="70" y1="%1$s" x2="880" y2="%1$s" stroke="%2$s" stroke-dasharray="6,3"/><text x="886" y="%3$s" font-size="11" fill="%2$s">%4$s ≥ %5$s</text>',
                                 round(400 - lo * 3.4, 1), colour, round(400 - lo * 3.4 + 4, 1), band, lo), '') FROM bands)
    || '</svg>'
  FROM p;
\o
\pset format aligned
\pset tuples_only off
\echo '   written: out/grid_sizes.svg, out/staffing.svg, out/expense_routes.svg, out/street_grades.svg'
