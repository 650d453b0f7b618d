-- The reporting schema sdbc_report: the stable interface for BI tools
-- (Metabase, Superset, Power BI, Excel).  Views only, plain column types
-- (text, integer, bigint, numeric, date, boolean), division codes as
-- 12-digit text, snake_case English names, a comment with the Chinese term
-- on every view and column, and no personal data: counts and codes only
-- (docs/reporting.md).  Views run with their owner's rights, so the role
-- sdbc_reader needs rights on this schema only.

CREATE SCHEMA sdbc_report;
COMMENT ON SCHEMA sdbc_report IS
  'Reporting views 报表 of sdbc for BI tools: stable names, plain types, division codes as text, no personal data (docs/reporting.md)';

-- Helpers for views that read through functions running as the caller:
-- they run as the extension owner and return codes and counts only.
CREATE FUNCTION sdbc.report_staff_compliance()
  RETURNS TABLE (division_code text, rule_id text, measure text, value numeric, bound numeric, ok boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT division::text, rule_id, measure, value, bound, ok FROM sdbc.staff_compliance(CURRENT_DATE) $$;
COMMENT ON FUNCTION sdbc.report_staff_compliance() IS
  'sdbc.staff_compliance(today) as codes and numbers, with the owner''s rights (for sdbc_report.staffing_compliance; no personal data)';
-- One county's open applications are read through this index, so that
-- sdbc_report.service_matters filtered to a county grows with that county's
-- applications, not the country's (issue 14 section 4).
CREATE INDEX service_application_county_idx ON sdbc.service_application ((sdbc.divcode_ancestor(community, 3)::text), matter_code);
COMMENT ON INDEX sdbc.service_application_county_idx IS
  'applications by county code (12-digit text) and matter: sdbc_report.service_matters for one county';
CREATE FUNCTION sdbc.report_service_open(county_code text, matter_code text)
  RETURNS TABLE (open_applications bigint, overdue bigint)
  LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT count(*), count(*) FILTER (WHERE o.overdue)
          FROM sdbc.service_application a JOIN sdbc.case_step_open o USING (case_id)
         WHERE sdbc.divcode_ancestor(a.community, 3)::text = report_service_open.county_code
           AND a.matter_code = report_service_open.matter_code $$;
COMMENT ON FUNCTION sdbc.report_service_open(text, text) IS
  'Open and overdue applications of one county (12-digit code) and matter (working-day deadlines), with the owner''s rights (for sdbc_report.service_matters, called per row so that a county''s report reads that county only)';
REVOKE EXECUTE ON FUNCTION sdbc.report_staff_compliance(), sdbc.report_service_open(text, text) FROM PUBLIC;

-- The paper's key figures (R2, R6.1, R7.1, R9.1, R10.1) for every prefecture,
-- county and street, long format: one row per division and measure.
-- key_figures_live computes them when read (all divisions at once: it scans
-- households and residents, about 0.5 s at Aksu scale, whatever the filter);
-- key_figures reads the snapshot that sdbc.report_refresh() takes of it, with
-- the time of the snapshot in refreshed_at (docs/reporting.md, "Speed").
CREATE VIEW sdbc_report.key_figures_live AS
  WITH per AS (
    SELECT d.code,
           coalesce(hh.n, 0) AS households, coalesce(res.n, 0) AS residents,
           coalesce(st.total, 0) AS staff, coalesce(st.national, 0) AS national, coalesce(st.admin, 0) AS admin,
           coalesce(st.inst, 0) AS inst, coalesce(st.welfare, 0) AS welfare, coalesce(st.contract, 0) AS contract,
           coalesce(st.men, 0) AS men, coalesce(st.associate_up, 0) AS associate_up,
           coalesce(gr.n, 0) AS grids,
           (pc.committee_id IS NOT NULL)::integer AS committees,
           coalesce(pb.branches, 0) AS branches, coalesce(pb.groups, 0) AS groups,
           (pf.community IS NOT NULL)::integer AS platform,
           pm.area
      FROM sdbc.division d
      LEFT JOIN (SELECT community, count(*) AS n FROM sdbc.household GROUP BY community) hh ON hh.community = d.code
      LEFT JOIN (SELECT h.community, count(*) AS n FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
                  GROUP BY h.community) res ON res.community = d.code
      LEFT JOIN (SELECT division, count(*) AS total,
                        count(*) FILTER (WHERE category IN ('administrative', 'institutional')) AS national,
                        count(*) FILTER (WHERE category = 'administrative') AS admin,
                        count(*) FILTER (WHERE category = 'institutional') AS inst,
                        count(*) FILTER (WHERE category = 'public_welfare') AS welfare,
                        count(*) FILTER (WHERE category = 'contract') AS contract,
                        count(*) FILTER (WHERE sex = 'male') AS men,
                        count(*) FILTER (WHERE education IN ('postgraduate', 'bachelor', 'associate')) AS associate_up
                   FROM sdbc.staff GROUP BY division) st ON st.division = d.code
      LEFT JOIN (SELECT community, count(*) AS n FROM sdbc.grid WHERE valid_to IS NULL GROUP BY community) gr ON gr.community = d.code
      LEFT JOIN sdbc.party_committee pc ON pc.community = d.code
      LEFT JOIN (SELECT b.committee_id, count(DISTINCT b.branch_id) AS branches, count(g.group_id) AS groups
                   FROM sdbc.party_branch b LEFT JOIN sdbc.party_group g USING (branch_id) GROUP BY b.committee_id) pb
             ON pb.committee_id = pc.committee_id
      LEFT JOIN sdbc.community_platform pf ON pf.community = d.code
      LEFT JOIN (SELECT community, sum(area_m2) AS area FROM sdbc.premises GROUP BY community) pm ON pm.community = d.code
     WHERE d.kind = 'residents_committee'
  ), up AS (
    SELECT sdbc.divcode_ancestor(per.code, l.level) AS division, count(*) AS communities,
           sum(households) AS households, sum(residents) AS residents, sum(staff) AS staff, sum(national) AS national,
           sum(admin) AS admin, sum(inst) AS inst, sum(welfare) AS welfare, sum(contract) AS contract, sum(men) AS men,
           sum(associate_up) AS associate_up, sum(grids) AS grids, sum(committees) AS committees,
           sum(branches) AS branches, sum(groups) AS groups, sum(platform) AS platform,
           round(avg(area), 1) AS average_area
      FROM per CROSS JOIN (VALUES (2), (3), (4)) l(level)
     GROUP BY 1
  ), streets AS (
    SELECT sdbc.divcode_ancestor(d.code, l.level) AS division, count(*) AS streets
      FROM sdbc.division d CROSS JOIN (VALUES (2), (3)) l(level)
     WHERE d.kind = 'street' GROUP BY 1
  )
  SELECT up.division::text AS division_code, d.name AS division_name, d.kind AS division_kind,
         v.position, v.measure, v.label_zh, v.rule_id, v.value,
         round(100.0 * v.value / nullif(v.of_total, 0), 1) AS share_pct,
         -- names beside the codes (issue 15 §6): the street's and the county's, where the division lies in one
         CASE WHEN sdbc.divcode_level(up.division) >= 4 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(up.division, 4)) END AS street_name,
         CASE WHEN sdbc.divcode_level(up.division) >= 3 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(up.division, 3)) END AS county_name
    FROM up JOIN sdbc.division d ON d.code = up.division
    LEFT JOIN streets s ON s.division = up.division
    CROSS JOIN LATERAL (VALUES
      (1,  'streets',                        '街道',               'R2',    coalesce(s.streets, CASE WHEN d.kind = 'street' THEN 1 ELSE 0 END)::numeric, NULL::numeric),
      (2,  'communities',                    '社区',               'R5.1',  up.communities::numeric, NULL),
      (3,  'households',                     '户数',               'R7.1',  up.households, NULL),
      (4,  'residents',                      '居民',               'R7.1',  up.residents, NULL),
      (5,  'community staff',                '社区工作人员',       'R2',    up.staff, NULL),
      (6,  'national cadres',                '在编国家干部',       'R2.4',  up.national, up.staff),
      (7,  'administrative establishment',   '行政编制',           'R2.4',  up.admin, up.staff),
      (8,  'institutional establishment',    '事业编制',           'R2.4',  up.inst, up.staff),
      (9,  'public-welfare posts',           '公益性岗位',         'R2',    up.welfare, up.staff),
      (10, 'contract hires',                 '聘用人员',           'R2',    up.contract, up.staff),
      (11, 'men',                            '男性',               'R2',    up.men, up.staff),
      (12, 'associate degree or above',      '大专及以上学历',     'R2',    up.associate_up, up.staff),
      (13, 'big party committees',           '大党委',             'R6.1',  up.committees, NULL),
      (14, 'grid party branches',            '网格党支部',         'R6.1',  up.branches, NULL),
      (15, 'building party groups',          '楼栋党小组',         'R6.1',  up.groups, NULL),
      (16, 'grids',                          '网格',               'R7.1',  up.grids, NULL),
      (17, 'communities with an information platform', '建有信息化平台的社区', 'R9.1', up.platform, up.communities),
      (18, 'average premises area, m2',      '社区办公服务用房平均面积(平方米)', 'R10.1', up.average_area, NULL)
    ) v(position, measure, label_zh, rule_id, value, of_total);
COMMENT ON VIEW sdbc_report.key_figures_live IS
  'The paper''s key figures 主要指标 for every prefecture, county and street with communities, computed when read (slow at scale: dashboards read sdbc_report.key_figures): streets, communities, households, residents, staff by category with shares, party organisations, grids, communities with an information platform (R9.1), average premises area (R10.1); staff as they serve today';

-- The snapshot of the key figures, taken by sdbc.report_refresh().
-- (the figures only: the names are looked up when key_figures is read)
CREATE MATERIALIZED VIEW sdbc.report_key_figures AS
  SELECT k.division_code, k.division_name, k.division_kind, k.position, k.measure, k.label_zh, k.rule_id, k.value,
         k.share_pct, pg_catalog.now() AS refreshed_at
    FROM sdbc_report.key_figures_live k;
CREATE UNIQUE INDEX report_key_figures_key ON sdbc.report_key_figures (division_code, position);
COMMENT ON MATERIALIZED VIEW sdbc.report_key_figures IS
  'Snapshot 快照 of sdbc_report.key_figures_live, read through sdbc_report.key_figures; taken by sdbc.report_refresh() (empty until the first refresh after the data is loaded or restored)';

CREATE VIEW sdbc_report.key_figures AS
  SELECT k.division_code, k.division_name, k.division_kind, k.position, k.measure, k.label_zh, k.rule_id, k.value,
         k.share_pct, k.refreshed_at,
         -- names beside the codes (issue 15 §6): the street's and the county's, where the division lies in one
         CASE WHEN sdbc.divcode_level(k.division_code::sdbc.divcode) >= 4 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(k.division_code::sdbc.divcode, 4)) END AS street_name,
         CASE WHEN sdbc.divcode_level(k.division_code::sdbc.divcode) >= 3 THEN
           (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(k.division_code::sdbc.divcode, 3)) END AS county_name
    FROM sdbc.report_key_figures k;
COMMENT ON VIEW sdbc_report.key_figures IS
  'The paper''s key figures 主要指标 for every prefecture, county and street with communities, as of refreshed_at (a snapshot: call sdbc.report_refresh() to bring it up to date; key_figures_live computes them now): streets, communities, households, residents, staff by category with shares, party organisations, grids, communities with an information platform (R9.1), average premises area (R10.1); staff as they served at refreshed_at';

CREATE FUNCTION sdbc.report_refresh() RETURNS timestamptz
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  -- CONCURRENTLY: readers of sdbc_report.key_figures see the old snapshot until commit, never wait
  REFRESH MATERIALIZED VIEW CONCURRENTLY sdbc.report_key_figures;
  RETURN now();
END $$;
COMMENT ON FUNCTION sdbc.report_refresh() IS
  'Takes a new snapshot of the key figures 刷新主要指标 (sdbc.report_key_figures, read by sdbc_report.key_figures) and returns its time, the new refreshed_at; readers are not blocked. Runs with the owner''s rights; EXECUTE is not granted to PUBLIC: grant it to the role that loads data or schedules the refresh (docs/reporting.md)';
REVOKE EXECUTE ON FUNCTION sdbc.report_refresh() FROM PUBLIC;

-- As sdbc.grid_size, but households counted per grid (two index probes), so
-- that a filter on the county or community counts only the grids it keeps.
CREATE VIEW sdbc_report.grid_sizes AS
  SELECT g.grid_code::text AS grid_code, g.community::text AS community_code,
         sdbc.divcode_ancestor(g.community, 3)::text AS county_code, g.class AS grid_class,
         n.households::integer AS households, p.lo::integer AS min_households, p.hi::integer AS max_households,
         CASE WHEN n.households < p.lo THEN 'below' WHEN n.households > p.hi THEN 'above' ELSE 'within' END AS bounds,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = g.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 3)) AS county_name
    FROM sdbc.grid g
   CROSS JOIN LATERAL (SELECT count(*) AS households
                         FROM sdbc.building b JOIN sdbc.household h ON h.building_id = b.building_id
                        WHERE b.grid_code = g.grid_code) n
   CROSS JOIN LATERAL (SELECT sdbc.policy_value('grid.households.min', g.community) AS lo,
                              sdbc.policy_value('grid.households.max', g.community) AS hi) p
   WHERE g.valid_to IS NULL;
COMMENT ON VIEW sdbc_report.grid_sizes IS 'Live grids 网格 with their households against the policy bounds (R7.1) and their class (R7.2)';

CREATE VIEW sdbc_report.grid_classes AS
  SELECT g.community::text AS community_code, sdbc.divcode_ancestor(g.community, 3)::text AS county_code,
         g.class AS grid_class, k.name_zh AS grid_class_zh, count(*) AS grids,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = g.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.community, 3)) AS county_name
    FROM sdbc.grid g JOIN sdbc.grid_class k USING (class)
   WHERE g.valid_to IS NULL
   GROUP BY g.community, g.class, k.name_zh;
COMMENT ON VIEW sdbc_report.grid_classes IS 'Live grids per community and class 网格类型 (R7.2)';

CREATE VIEW sdbc_report.staffing_compliance AS
  SELECT c.division_code, sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 3)::text AS county_code,
         c.rule_id, c.measure, c.value, c.bound, c.ok,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = c.division_code::sdbc.divcode) AS division_name,
         CASE WHEN sdbc.divcode_level(c.division_code::sdbc.divcode) >= 4 THEN (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 4)) END AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 3)) AS county_name
    FROM sdbc.report_staff_compliance() c;
COMMENT ON VIEW sdbc_report.staffing_compliance IS 'Staffing checks today 人员配备达标情况 (R2.1 share sent down, R2.2 leadership and offices, R2.4 national public servants per community), ok = false for a violation';

CREATE VIEW sdbc_report.funds_passed_on AS
  SELECT f.street::text AS street_code, sdbc.divcode_ancestor(f.street, 3)::text AS county_code, f.year,
         f.allocated, f.passed_on, f.share, f.min_share, f.keeps_too_much,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = f.street) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(f.street, 3)) AS county_name
    FROM sdbc.street_funds_passed_on f;
COMMENT ON VIEW sdbc_report.funds_passed_on IS 'Each street''s yearly allocation and the share passed on to its communities 经费下沉 (R3.1)';

CREATE VIEW sdbc_report.community_funds AS
  SELECT m.community::text AS community_code, sdbc.divcode_ancestor(m.community, 3)::text AS county_code, m.year,
         m.working_funds, m.working_min, m.service_funds, m.service_min, m.below_minimum,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = m.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(m.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(m.community, 3)) AS county_name
    FROM sdbc.community_min_funds m;
COMMENT ON VIEW sdbc_report.community_funds IS 'Each community''s yearly working and service funds against the minimums 社区经费保障 (R3.5)';

CREATE VIEW sdbc_report.account_balances AS
  SELECT b.community::text AS community_code, sdbc.divcode_ancestor(b.community, 3)::text AS county_code,
         b.kind AS account_kind, count(*) AS accounts, sum(b.credited)::numeric AS credited,
         sum(b.paid)::numeric AS paid, sum(b.committed)::numeric AS committed, sum(b.balance)::numeric AS balance,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = b.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(b.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(b.community, 3)) AS county_name
    FROM sdbc.account_balance b
   GROUP BY b.community, b.kind;
COMMENT ON VIEW sdbc_report.account_balances IS 'Balances of the separate accounts 分账核算 of each community by kind (R3.4)';

CREATE VIEW sdbc_report.expenses_by_route AS
  SELECT e.community::text AS community_code, sdbc.divcode_ancestor(e.community, 3)::text AS county_code,
         date_trunc('month', e.submitted_on)::date AS month, coalesce(e.route_code, 'none') AS route_code,
         count(*) AS expenses, sum(e.amount) AS amount,
         count(*) FILTER (WHERE e.paid_at IS NOT NULL) AS paid,
         count(*) FILTER (WHERE e.split_flag) AS flagged_splits,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = e.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 3)) AS county_name
    FROM sdbc.expense e
   GROUP BY e.community, date_trunc('month', e.submitted_on), e.route_code;
COMMENT ON VIEW sdbc_report.expenses_by_route IS 'Community expenses per month and route 支出审批路径 (R3.2 up to the limit, R3.3 above it), paid, and flagged as splits';

CREATE VIEW sdbc_report.service_matters AS
  WITH apps AS (
    SELECT sdbc.divcode_ancestor(a.community, 3)::text AS county_code, a.matter_code, count(*) AS applications,
           count(*) FILTER (WHERE c.status = 'approved') AS approved,
           count(*) FILTER (WHERE c.status = 'rejected') AS rejected,
           count(*) FILTER (WHERE a.proxy <> 'self') AS on_behalf,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY c.closed_at::date - a.applied_on)
             FILTER (WHERE c.status IN ('approved', 'rejected')) AS median_days
      FROM sdbc.service_application a JOIN sdbc.approval_case c USING (case_id)
     GROUP BY 1, 2
  )
  SELECT a.county_code, a.matter_code, m.name_zh AS matter_zh, a.applications, a.approved, a.rejected, a.on_behalf,
         round(a.median_days::numeric, 1) AS median_days,
         coalesce(o.open_applications, 0) AS open_applications, coalesce(o.overdue, 0) AS overdue,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = a.county_code::sdbc.divcode) AS county_name
    FROM apps a JOIN sdbc.service_matter m USING (matter_code)
    LEFT JOIN LATERAL sdbc.report_service_open(a.county_code, a.matter_code) o ON true;
COMMENT ON VIEW sdbc_report.service_matters IS 'Service matters 服务事项 per county: applications, decisions, taken on the resident''s behalf (R8.2), median days to a decision, open and overdue (R4.2)';

CREATE VIEW sdbc_report.work_access AS
  SELECT t.county::text AS county_code, t.department, o.name_zh AS department_zh, t.tasks, t.accepted, t.refusable,
         t.refused, t.funding,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = t.county) AS county_name
    FROM sdbc.task_by_department t LEFT JOIN sdbc.office o ON o.office = t.department;
COMMENT ON VIEW sdbc_report.work_access IS 'Tasks each county department handed to communities 社区工作准入, refusable and refused (R1.1–R1.3), and the funds with them';

CREATE VIEW sdbc_report.community_evaluations AS
  SELECT e.period_code, e.kind AS period_kind, e.community::text AS community_code, e.county::text AS county_code,
         e.indicator, e.satisfaction, e.leadership, e.merit, e.error, e.composite,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = e.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(e.community, 3)) AS county_name
    FROM sdbc.community_evaluation e;
COMMENT ON VIEW sdbc_report.community_evaluations IS 'Communities'' "3+1" evaluations 社区综合考评 (R5.3) with their rank in the county (rank(): ties share, next skips; dense_rank(): no gap)';

CREATE VIEW sdbc_report.street_grades AS
  SELECT g.period_code, g.street::text AS street_code, g.county::text AS county_code, g.communities::integer AS communities,
         g.communities_scored::integer AS communities_scored, g.community_average, g.own_score, g.grade_score, g.band,
         CASE g.band WHEN 'excellent' THEN '优秀' WHEN 'good' THEN '良好' WHEN 'pass' THEN '合格' WHEN 'fail' THEN '不合格' END AS band_zh,
         g.county_rank::integer AS county_rank, g.county_dense_rank::integer AS county_dense_rank,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = g.street) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(g.street, 3)) AS county_name
    FROM sdbc.street_grade g;
COMMENT ON VIEW sdbc_report.street_grades IS 'Streets'' year-end grades 街道年终考评定等 (R5.2: 90 % communities'' average + 10 % own score), bands and ranks in the county';

CREATE VIEW sdbc_report.department_evaluations AS
  SELECT e.period_code, e.county::text AS county_code, e.department, o.name_zh AS department_zh,
         e.communities_assigned, e.communities_rated, e.average_rating,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = e.county) AS county_name
    FROM sdbc.department_evaluation e LEFT JOIN sdbc.office o ON o.office = e.department;
COMMENT ON VIEW sdbc_report.department_evaluations IS 'Reverse evaluation 反向考评 of county departments by the communities they assigned tasks (R5.4), ranked in the county';

CREATE VIEW sdbc_report.premises AS
  SELECT d.code::text AS community_code, sdbc.divcode_ancestor(d.code, 3)::text AS county_code,
         count(p.premises_id) AS sites, coalesce(sum(p.area_m2), 0) AS area_m2,
         sdbc.policy_value('premises.area.min_m2', d.code) AS min_area_m2,
         coalesce(sum(p.area_m2), 0) >= sdbc.policy_value('premises.area.min_m2', d.code) AS meets_norm,
         (SELECT count(DISTINCT r.room_kind) FROM sdbc.premises_room r JOIN sdbc.premises q USING (premises_id)
           WHERE q.community = d.code) AS room_kinds,
         (SELECT string_agg(DISTINCT r.room_kind, ',' ORDER BY r.room_kind) FROM sdbc.premises_room r JOIN sdbc.premises q USING (premises_id)
           WHERE q.community = d.code) AS rooms,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = d.code) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(d.code, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(d.code, 3)) AS county_name
    FROM sdbc.division d LEFT JOIN sdbc.premises p ON p.community = d.code
   WHERE d.kind = 'residents_committee'
     AND EXISTS (SELECT 1 FROM sdbc.premises x WHERE x.community OPERATOR(sdbc.<@) sdbc.divcode_ancestor(d.code, 3))
   GROUP BY d.code;
COMMENT ON VIEW sdbc_report.premises IS 'Each community''s office and service premises 办公服务用房 against the area norm (R10.1: 1,000 m² by default) and its functional rooms 功能室; communities of counties that record premises';

CREATE VIEW sdbc_report.activities_missed AS
  WITH span AS (
    SELECT min(m) AS first_month FROM (SELECT min(month) AS m FROM sdbc.monthly_theme
                                       UNION ALL SELECT date_trunc('month', min(held_on))::date FROM sdbc.activity) x
  ), months AS (
    SELECT gs::date AS month FROM span, generate_series(span.first_month, date_trunc('month', CURRENT_DATE), interval '1 month') gs
  ), communities AS (
    SELECT DISTINCT community FROM (SELECT community FROM sdbc.monthly_theme UNION SELECT community FROM sdbc.activity) c
  ), weeks AS (   -- weeks whose Monday lies in the month and has passed
    SELECT m.month, w::date AS week_start
      FROM months m, generate_series(m.month + ((8 - extract(isodow FROM m.month)::integer) % 7),
                                     least((m.month + interval '1 month' - interval '1 day')::date, CURRENT_DATE - 6),
                                     interval '7 days') w
  )
  SELECT c.community::text AS community_code, sdbc.divcode_ancestor(c.community, 3)::text AS county_code, m.month,
         (SELECT count(*) FROM sdbc.monthly_theme t WHERE t.community = c.community AND t.month = m.month) AS themes,
         (SELECT count(*) FROM weeks w WHERE w.month = m.month) AS weeks,
         (SELECT count(*) FROM weeks w WHERE w.month = m.month
             AND (SELECT count(*) FROM sdbc.activity a WHERE a.community = c.community
                     AND a.held_on >= w.week_start AND a.held_on < w.week_start + 7)
                 < sdbc.policy_value('activity.weekly.min', c.community, w.week_start)) AS weeks_without_activity,
         (SELECT count(*) FROM sdbc.monthly_theme t WHERE t.community = c.community AND t.month = m.month)
           < sdbc.policy_value('activity.theme.monthly.min', c.community, m.month) AS missed_theme,
         -- names beside the codes (issue 15 §6)
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = c.community) AS community_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.community, 4)) AS street_name,
         (SELECT nd.name FROM sdbc.division nd WHERE nd.code = sdbc.divcode_ancestor(c.community, 3)) AS county_name
    FROM communities c CROSS JOIN months m;
COMMENT ON VIEW sdbc_report.activities_missed IS 'Per community that records activities and month: themes set, full weeks (Monday in the month) and those with fewer activities than policy activity.weekly.min, and whether the month lacked a theme (R11.1: 月月有主题、周周有活动)';

-- Column comments, with the Chinese term.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('key_figures', 'division_code', 'division code 区划代码 (12 digits)'),
    ('key_figures', 'division_name', 'division name 区划名称'),
    ('key_figures', 'division_kind', 'kind 类别: prefecture 地级, county 县级, street 街道'),
    ('key_figures', 'position', 'order of the measure in the paper''s list 序号'),
    ('key_figures', 'measure', 'measure 指标, English'),
    ('key_figures', 'label_zh', 'measure, Chinese 指标'),
    ('key_figures', 'rule_id', 'rule 规则 of the model the measure belongs to'),
    ('key_figures', 'value', 'value 数值'),
    ('key_figures', 'share_pct', 'share 占比 in per cent: of community staff, or of communities'),
    ('grid_sizes', 'grid_code', 'grid code 网格编码 (15 digits)'),
    ('grid_sizes', 'community_code', 'community code 社区代码'),
    ('grid_sizes', 'county_code', 'county code 县(市)代码'),
    ('grid_sizes', 'grid_class', 'grid class 网格类型 (R7.2)'),
    ('grid_sizes', 'households', 'households 户数'),
    ('grid_sizes', 'min_households', 'policy minimum 户数下限'),
    ('grid_sizes', 'max_households', 'policy maximum 户数上限'),
    ('grid_sizes', 'bounds', 'below, within or above the bounds 是否达标'),
    ('grid_classes', 'community_code', 'community code 社区代码'),
    ('grid_classes', 'county_code', 'county code 县(市)代码'),
    ('grid_classes', 'grid_class', 'grid class 网格类型'),
    ('grid_classes', 'grid_class_zh', 'grid class, Chinese 网格类型'),
    ('grid_classes', 'grids', 'live grids 网格数'),
    ('staffing_compliance', 'division_code', 'street or community code 区划代码'),
    ('staffing_compliance', 'county_code', 'county code 县(市)代码'),
    ('staffing_compliance', 'rule_id', 'rule checked 规则'),
    ('staffing_compliance', 'measure', 'what is measured 指标'),
    ('staffing_compliance', 'value', 'measured value 实际值'),
    ('staffing_compliance', 'bound', 'policy bound 政策标准'),
    ('staffing_compliance', 'ok', 'complies 是否达标'),
    ('funds_passed_on', 'street_code', 'street code 街道代码'),
    ('funds_passed_on', 'county_code', 'county code 县(市)代码'),
    ('funds_passed_on', 'year', 'year 年度'),
    ('funds_passed_on', 'allocated', 'allocated to the street 街道经费, yuan'),
    ('funds_passed_on', 'passed_on', 'passed on to its communities 下沉社区, yuan'),
    ('funds_passed_on', 'share', 'share passed on 下沉比例'),
    ('funds_passed_on', 'min_share', 'policy minimum share 最低比例'),
    ('funds_passed_on', 'keeps_too_much', 'below the minimum 未达标'),
    ('community_funds', 'community_code', 'community code 社区代码'),
    ('community_funds', 'county_code', 'county code 县(市)代码'),
    ('community_funds', 'year', 'year 年度'),
    ('community_funds', 'working_funds', 'working funds 工作经费, yuan'),
    ('community_funds', 'working_min', 'policy minimum 工作经费下限'),
    ('community_funds', 'service_funds', 'service funds 服务群众专项经费, yuan'),
    ('community_funds', 'service_min', 'policy minimum 专项经费下限'),
    ('community_funds', 'below_minimum', 'either below its minimum 未达标'),
    ('account_balances', 'community_code', 'community code 社区代码'),
    ('account_balances', 'county_code', 'county code 县(市)代码'),
    ('account_balances', 'account_kind', 'account kind 账户类别: working, service, earmarked'),
    ('account_balances', 'accounts', 'accounts 账户数'),
    ('account_balances', 'credited', 'credited 收入, yuan'),
    ('account_balances', 'paid', 'paid out 支出, yuan'),
    ('account_balances', 'committed', 'approved or open, not yet paid 待支付, yuan'),
    ('account_balances', 'balance', 'balance 余额, yuan'),
    ('expenses_by_route', 'community_code', 'community code 社区代码'),
    ('expenses_by_route', 'county_code', 'county code 县(市)代码'),
    ('expenses_by_route', 'month', 'month submitted 月份 (first day)'),
    ('expenses_by_route', 'route_code', 'approval route 审批路径'),
    ('expenses_by_route', 'expenses', 'expenses 笔数'),
    ('expenses_by_route', 'amount', 'amount 金额, yuan'),
    ('expenses_by_route', 'paid', 'paid 已支付笔数'),
    ('expenses_by_route', 'flagged_splits', 'flagged as split expenses 拆分支出'),
    ('service_matters', 'county_code', 'county code 县(市)代码'),
    ('service_matters', 'matter_code', 'matter 事项代码'),
    ('service_matters', 'matter_zh', 'matter, Chinese 事项名称'),
    ('service_matters', 'applications', 'applications 申请件数'),
    ('service_matters', 'approved', 'approved 批准'),
    ('service_matters', 'rejected', 'rejected 不予批准'),
    ('service_matters', 'on_behalf', 'taken on the resident''s behalf 代办代访代诉'),
    ('service_matters', 'median_days', 'median days to a decision 办理天数中位数'),
    ('service_matters', 'open_applications', 'open now 在办'),
    ('service_matters', 'overdue', 'open and past the step''s deadline 逾期'),
    ('work_access', 'county_code', 'county code 县(市)代码'),
    ('work_access', 'department', 'county department 县直部门 (identifier)'),
    ('work_access', 'department_zh', 'department, Chinese 部门名称'),
    ('work_access', 'tasks', 'tasks handed down 下派任务'),
    ('work_access', 'accepted', 'accepted 接收'),
    ('work_access', 'refusable', 'refusable, not refused 可拒绝'),
    ('work_access', 'refused', 'refused by the community 拒绝办理'),
    ('work_access', 'funding', 'funds handed down 随事转经费, yuan'),
    ('community_evaluations', 'period_code', 'evaluation period 考核周期'),
    ('community_evaluations', 'period_kind', 'routine 平时 or year_end 年终'),
    ('community_evaluations', 'community_code', 'community code 社区代码'),
    ('community_evaluations', 'county_code', 'county code 县(市)代码'),
    ('community_evaluations', 'indicator', 'indicator score 指标考评'),
    ('community_evaluations', 'satisfaction', 'public satisfaction 公众满意度测评'),
    ('community_evaluations', 'leadership', 'leadership rating 领导评价'),
    ('community_evaluations', 'merit', 'merit points 绩优加分'),
    ('community_evaluations', 'error', 'error points 绩误减分'),
    ('community_evaluations', 'composite', 'composite 综合得分'),
    ('community_evaluations', 'county_rank', 'rank in the county 县内排名, rank(): ties share, next skips'),
    ('community_evaluations', 'county_dense_rank', 'rank in the county 县内排名, dense_rank(): ties share, no gap'),
    ('street_grades', 'period_code', 'year-end period 年终考核'),
    ('street_grades', 'street_code', 'street code 街道代码'),
    ('street_grades', 'county_code', 'county code 县(市)代码'),
    ('street_grades', 'communities', 'communities of the street 社区数'),
    ('street_grades', 'communities_scored', 'communities evaluated 参评社区数'),
    ('street_grades', 'community_average', 'communities'' average 社区平均成绩'),
    ('street_grades', 'own_score', 'street''s own score 街道自身成绩'),
    ('street_grades', 'grade_score', 'grade score 定等得分'),
    ('street_grades', 'band', 'grade 等次: excellent, good, pass, fail'),
    ('street_grades', 'band_zh', 'grade 等次: 优秀, 良好, 合格, 不合格'),
    ('street_grades', 'county_rank', 'rank in the county 县内排名, rank()'),
    ('street_grades', 'county_dense_rank', 'rank in the county 县内排名, dense_rank()'),
    ('department_evaluations', 'period_code', 'evaluation period 考核周期'),
    ('department_evaluations', 'county_code', 'county code 县(市)代码'),
    ('department_evaluations', 'department', 'county department 县直部门 (identifier)'),
    ('department_evaluations', 'department_zh', 'department, Chinese 部门名称'),
    ('department_evaluations', 'communities_assigned', 'communities it assigned tasks 下达任务社区数'),
    ('department_evaluations', 'communities_rated', 'communities that rated it 参评社区数'),
    ('department_evaluations', 'average_rating', 'average rating 反向考评平均分'),
    ('department_evaluations', 'county_rank', 'rank in the county 县内排名, rank()'),
    ('department_evaluations', 'county_dense_rank', 'rank in the county 县内排名, dense_rank()'),
    ('premises', 'community_code', 'community code 社区代码'),
    ('premises', 'county_code', 'county code 县(市)代码'),
    ('premises', 'sites', 'sites 场所数'),
    ('premises', 'area_m2', 'office and service area 办公服务用房面积, m²'),
    ('premises', 'min_area_m2', 'policy norm 面积标准, m²'),
    ('premises', 'meets_norm', 'area at or above the norm 面积达标'),
    ('premises', 'room_kinds', 'kinds of functional rooms 功能室种类数'),
    ('premises', 'rooms', 'functional rooms 功能室, comma-separated identifiers'),
    ('activities_missed', 'community_code', 'community code 社区代码'),
    ('activities_missed', 'county_code', 'county code 县(市)代码'),
    ('activities_missed', 'month', 'month 月份 (first day)'),
    ('activities_missed', 'themes', 'themes set 月度主题数'),
    ('activities_missed', 'weeks', 'full weeks so far (Monday in the month) 周数'),
    ('activities_missed', 'weeks_without_activity', 'weeks with fewer activities than policy 无活动周数'),
    ('activities_missed', 'missed_theme', 'fewer themes than policy 缺月度主题')
  ) v(view, col, txt) LOOP
    EXECUTE format('COMMENT ON COLUMN sdbc_report.%I.%I IS %L', r.view, r.col, r.txt);
  END LOOP;
END $$;
-- The names appended beside the codes (issue 15 §6), in every view that has them.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'sdbc_report'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attname IN ('community_name', 'street_name', 'county_name')
              OR c.relname = 'staffing_compliance' AND c.relnamespace = 'sdbc_report'::regnamespace AND a.attname = 'division_name' LOOP
    EXECUTE format('COMMENT ON COLUMN sdbc_report.%I.%I IS %L', r.relname, r.attname,
                   CASE r.attname WHEN 'community_name' THEN 'community name 社区名称'
                                  WHEN 'street_name' THEN 'street or town name 街道/乡镇名称 (the division at level 4 above, or the division itself)'
                                  WHEN 'county_name' THEN 'county name 县(市)名称'
                                  ELSE 'street or community name 区划名称' END);
  END LOOP;
END $$;
COMMENT ON COLUMN sdbc_report.key_figures.refreshed_at IS 'time of the snapshot 数据时点 (sdbc.report_refresh()); every row of a snapshot has the same';
COMMENT ON COLUMN sdbc.report_key_figures.refreshed_at IS 'time of the snapshot 数据时点';
-- key_figures_live and the snapshot: the columns of key_figures.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS txt FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = 'sdbc_report.key_figures'::regclass AND a.attnum > 0 AND a.attname <> 'refreshed_at' LOOP
    EXECUTE format('COMMENT ON COLUMN sdbc_report.key_figures_live.%I IS %L', r.attname, r.txt);
    IF r.attname NOT IN ('street_name', 'county_name') THEN   -- (not in the snapshot)
      EXECUTE format('COMMENT ON COLUMN sdbc.report_key_figures.%I IS %L', r.attname, r.txt);
    END IF;
  END LOOP;
END $$;

-- The reader: this schema and nothing else (the views read as their owner).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'sdbc_reader') THEN
    CREATE ROLE sdbc_reader NOLOGIN;
  END IF;
END $$;
GRANT USAGE ON SCHEMA sdbc_report TO sdbc_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA sdbc_report TO sdbc_reader;
GRANT EXECUTE ON FUNCTION sdbc.report_staff_compliance(), sdbc.report_service_open(text, text) TO sdbc_reader;
