-- test/bench/report.sql — used by test/bench/report.sh: the definitions of
-- the two report views as they were before the dashboard benchmark
-- (main at da0c96a), in schema bench, so that one run times both: the key
-- figures computed when read (the same query as sdbc_report.key_figures_live)
-- and grid_sizes over sdbc.grid_size (households of every grid counted,
-- then filtered). Readable by sdbc_reader, as the report views are.
SET client_min_messages = warning;
CREATE SCHEMA bench;
SET search_path = sdbc, public;
CREATE VIEW bench.key_figures_before AS
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
         round(100.0 * v.value / nullif(v.of_total, 0), 1) AS share_pct
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
CREATE VIEW bench.grid_sizes_before AS
  SELECT g.grid_code::text AS grid_code, g.community::text AS community_code,
         sdbc.divcode_ancestor(g.community, 3)::text AS county_code, g.class AS grid_class,
         g.households, g.min_households::integer AS min_households, g.max_households::integer AS max_households,
         g.bounds
    FROM sdbc.grid_size g;
GRANT USAGE ON SCHEMA bench TO sdbc_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA bench TO sdbc_reader;
