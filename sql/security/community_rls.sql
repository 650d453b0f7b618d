-- Row-level security on the rest of a community's data (issue 8, second
-- part): grids and their history, incidents and drawing reports; emergency
-- squads, drills and joint defence; party organisation; evaluation scores
-- and reverse ratings; allocations; platforms, premises, themes and
-- activities; the street's internal offices.  Same pattern and helpers as
-- sql/security/roles.sql (sdbc.my_divisions(), sdbc.my_offices() of
-- sql/security/jurisdiction.sql): one policy per
-- table for the four staff roles, what each role may do is a matter of
-- grants.  Then sdbc_scoped: caller-rights (security_invoker) copies of the
-- views of sdbc that staff work from.  Who may do what, and why:
-- docs/security.md.

-- ---------------------------------------------------------------- policies
-- pred:  the rows the staff roles see (and, unless chk says otherwise, write);
-- chk:   an extra condition on new rows (a row that points at a grid, a
--        building or a person must point at one the role sees, so that a
--        trigger that reads it as the caller cannot be passed by a row it
--        does not find).
DO $$
DECLARE
  staff_roles constant text := 'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff';
  mine constant text := '(SELECT sdbc.my_divisions())::sdbc.divcode[]';
  p record;
BEGIN
  FOR p IN SELECT * FROM (VALUES
    -- grids (R7)
    ('grid', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a grid of a community the role serves'),
    ('grid_class_history', 'EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = grid_class_history.grid_code)', NULL,
       'a reclassification of a grid the role sees'),
    ('grid_incident', 'EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = grid_incident.grid_code)', NULL,
       'an incident in a grid the role sees'),
    ('grid_draw_report', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a drawing report of a community the role serves'),
    -- safety (R12.3)
    ('squad_member', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'staff_id IS NULL OR EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = squad_member.staff_id)',
       'a squad member of a community the role serves (a member who is staff: staff the role sees)'),
    ('drill', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a drill of a community the role serves'),
    ('joint_defence_group', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a joint-defence group of a community the role serves'),
    ('joint_defence_shop', 'EXISTS (SELECT 1 FROM sdbc.joint_defence_group g WHERE g.group_id = joint_defence_shop.group_id)',
       'building_id IS NULL OR EXISTS (SELECT 1 FROM sdbc.building b WHERE b.building_id = joint_defence_shop.building_id)',
       'a shop of a joint-defence group the role sees (in a building it sees)'),
    -- party organisation (R6.1)
    ('party_committee', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the big party committee of a community the role serves'),
    ('party_member_unit', 'EXISTS (SELECT 1 FROM sdbc.party_committee c WHERE c.committee_id = party_member_unit.committee_id)', NULL,
       'a member unit of a party committee the role sees'),
    ('party_branch', 'EXISTS (SELECT 1 FROM sdbc.party_committee c WHERE c.committee_id = party_branch.committee_id)',
       'EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = party_branch.grid_code)',
       'a grid party branch of a committee the role sees (on a grid it sees)'),
    ('party_group', 'EXISTS (SELECT 1 FROM sdbc.party_branch b WHERE b.branch_id = party_group.branch_id)',
       'EXISTS (SELECT 1 FROM sdbc.building b WHERE b.building_id = party_group.building_id)',
       'a building party group of a branch the role sees (in a building it sees)'),
    -- evaluation (R5)
    ('community_score', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the scores of a community the role serves'),
    ('street_score', format('street OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the own score of a street the role serves'),
    ('department_rating', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a rating given by a community the role serves'),
    -- money passed down (R3.1, R3.5)
    ('street_allocation', format('street OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the allocation of a street the role serves'),
    ('community_allocation', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the funds passed on to a community the role serves'),
    -- facilities and activities (R9.1, R10.1, R11.1)
    ('community_platform', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'the information platform of a community the role serves'),
    ('premises', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'premises of a community the role serves'),
    ('premises_room', 'EXISTS (SELECT 1 FROM sdbc.premises p WHERE p.premises_id = premises_room.premises_id)', NULL,
       'a functional room of premises the role sees'),
    ('monthly_theme', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'a monthly theme of a community the role serves'),
    ('activity', format('community OPERATOR(sdbc.<@) ANY (%s)', mine), NULL,
       'an activity of a community the role serves')
  ) AS t (tbl, pred, chk, what) LOOP
    EXECUTE format('ALTER TABLE sdbc.%I ENABLE ROW LEVEL SECURITY', p.tbl);
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR ALL TO %s USING (%s) WITH CHECK (%s)',
                   p.tbl || '_jurisdiction', p.tbl, staff_roles, p.pred,
                   CASE WHEN p.chk IS NULL THEN p.pred ELSE format('(%s) AND (%s)', p.pred, p.chk) END);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', p.tbl || '_jurisdiction', p.tbl,
                   'Jurisdiction 属地管理: the staff roles see and write ' || p.what || ' (sdbc.role_division)');
  END LOOP;
END $$;

-- The county party organisation department (县委组织部) reads the party
-- organisation of the communities of its county (R6.1); other county
-- departments read none of it.
CREATE POLICY party_committee_organization ON sdbc.party_committee FOR SELECT TO sdbc_county_department
  USING (EXISTS (SELECT 1 FROM sdbc.my_offices() m
                  WHERE m.office = 'county_organization' AND party_committee.community OPERATOR(sdbc.<@) m.division));
COMMENT ON POLICY party_committee_organization ON sdbc.party_committee IS
  'A county department acting as county_organization (县委组织部) reads the big party committees inside its division, and through them their member units, branches and groups (R6.1)';

-- A street's internal offices (R2.2): organisation, not personal data, and
-- read across divisions by sdbc.staff_compliance(); written by the street
-- itself and the prefecture.
ALTER TABLE sdbc.street_office ENABLE ROW LEVEL SECURITY;
CREATE POLICY street_office_read ON sdbc.street_office FOR SELECT USING (true);
COMMENT ON POLICY street_office_read ON sdbc.street_office IS
  'Everyone who may read the table reads every row (a street''s offices are public organisation; R2.2 compliance compares streets)';
CREATE POLICY street_office_write ON sdbc.street_office FOR INSERT TO sdbc_prefecture_admin, sdbc_street_office
  WITH CHECK (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY street_office_write ON sdbc.street_office IS 'Offices are added to a street the role serves';
CREATE POLICY street_office_change ON sdbc.street_office FOR UPDATE TO sdbc_prefecture_admin, sdbc_street_office
  USING (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))
  WITH CHECK (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY street_office_change ON sdbc.street_office IS 'Offices of a street the role serves are changed, and stay in it';
CREATE POLICY street_office_delete ON sdbc.street_office FOR DELETE TO sdbc_prefecture_admin
  USING (street OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY street_office_delete ON sdbc.street_office IS 'The prefecture deletes offices of a street it serves';

-- ---------------------------------------------------------------- privileges
-- Reference tables the triggers of these tables read as the caller.
GRANT SELECT ON sdbc.evaluation_period, sdbc.room_kind
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- Read: every staff role but the county departments, its jurisdiction's rows.
GRANT SELECT ON sdbc.grid_class_history, sdbc.grid_incident, sdbc.grid_draw_report,
                sdbc.squad_member, sdbc.drill, sdbc.joint_defence_group, sdbc.joint_defence_shop,
                sdbc.party_committee, sdbc.party_member_unit, sdbc.party_branch, sdbc.party_group,
                sdbc.community_score, sdbc.department_rating, sdbc.community_allocation,
                sdbc.community_platform, sdbc.premises, sdbc.premises_room, sdbc.monthly_theme, sdbc.activity
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
-- A street's own score and allocation: the street and the prefecture.
GRANT SELECT ON sdbc.street_score, sdbc.street_allocation TO sdbc_prefecture_admin, sdbc_street_office;
-- County departments: grids are no business of theirs (sql/security/roles.sql
-- gave every staff role SELECT on grid for building placement, which they
-- do not do); the organisation department reads the party organisation.
REVOKE SELECT ON sdbc.grid FROM sdbc_county_department;
GRANT SELECT ON sdbc.party_committee, sdbc.party_member_unit, sdbc.party_branch, sdbc.party_group
  TO sdbc_county_department;

-- Community staff record what the community does: incidents in its grids,
-- its squad, drills and joint defence, building party groups and member
-- units, its themes and activities, and its ratings of the departments
-- that handed it tasks (R5.4, reverse evaluation).  It deletes nothing.
GRANT INSERT, UPDATE ON sdbc.grid_incident, sdbc.squad_member, sdbc.drill, sdbc.joint_defence_group,
                        sdbc.joint_defence_shop, sdbc.party_member_unit, sdbc.party_group,
                        sdbc.monthly_theme, sdbc.activity
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
-- The ratings are the community's voice: only the community writes them.
GRANT INSERT, UPDATE ON sdbc.department_rating TO sdbc_community_staff;
-- Street offices and the prefecture: also grids (drawn and retired, never
-- deleted) with their history and drawing reports, committees and branches,
-- funds passed on to communities, platforms, premises, the street's offices.
GRANT INSERT, UPDATE ON sdbc.grid, sdbc.party_committee, sdbc.party_branch, sdbc.community_allocation,
                        sdbc.community_platform, sdbc.premises, sdbc.street_office
  TO sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT ON sdbc.grid_class_history, sdbc.grid_draw_report TO sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT, DELETE ON sdbc.premises_room TO sdbc_street_office, sdbc_prefecture_admin;
-- The county level (a sdbc_prefecture_admin login mapped to a county or the
-- prefecture): the treasury's allocation to a street and the scores of
-- communities and streets (R5.4: the county evaluation office evaluates;
-- a street that scored its own communities would write 90 % of its own
-- grade, R5.2).  It corrects mistakes by deleting, except history
-- (grids, reclassifications, drawing reports) and the communities' own
-- ratings, which it may only delete.
GRANT INSERT, UPDATE ON sdbc.community_score, sdbc.street_score, sdbc.street_allocation TO sdbc_prefecture_admin;
GRANT DELETE ON sdbc.grid_incident, sdbc.squad_member, sdbc.drill, sdbc.joint_defence_group, sdbc.joint_defence_shop,
                sdbc.party_committee, sdbc.party_member_unit, sdbc.party_branch, sdbc.party_group,
                sdbc.community_score, sdbc.street_score, sdbc.department_rating,
                sdbc.street_allocation, sdbc.community_allocation, sdbc.community_platform, sdbc.premises,
                sdbc.monthly_theme, sdbc.activity, sdbc.street_office
  TO sdbc_prefecture_admin;
GRANT EXECUTE ON FUNCTION sdbc.drill_missed(date, sdbc.divcode),
                          sdbc.duty_week_report(date, sdbc.divcode), sdbc.duty_gaps(sdbc.divcode, date),
                          sdbc.grid_not_visited(date, sdbc.divcode), sdbc.key_household_unvisited(date, sdbc.divcode)
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- ---------------------------------------------------------------- sdbc_scoped
-- The views of sdbc run with their owner's rights: the reporting views of
-- sdbc_report read through them (and a security_invoker view nested in an
-- owner-rights view is checked against the caller, which would break
-- sdbc_reader), so they stay as they are and the staff roles get no rights
-- on them.  Staff read caller-rights copies instead, with the same names,
-- columns and comments in schema sdbc_scoped: row-level security of the
-- tables below applies, so a community login sees its own rows only.
-- The copies are made from the views' own definitions (pg_get_viewdef with
-- every name qualified), references to other copied views pointing at
-- their copies.  scope: a division column to keep to the caller's
-- divisions, for views whose rows come from the public division list (a
-- community would otherwise see its neighbours listed with nothing).
CREATE SCHEMA sdbc_scoped;
COMMENT ON SCHEMA sdbc_scoped IS
  'Caller-rights (security_invoker) copies of the views of sdbc for the staff roles: same names, columns and comments, rows filtered by row-level security to the caller''s jurisdiction (docs/security.md)';
GRANT USAGE ON SCHEMA sdbc_scoped
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;

DO $$
DECLARE
  v record;
  c record;
  def text;
  done text[] := '{}';
  d text;
  saved_path constant text := pg_catalog.current_setting('search_path');
BEGIN
  FOR v IN SELECT * FROM (VALUES
    -- (in dependency order: a view after those it reads)
    (1,  'case_step_open',           'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (2,  'case_overdue',             'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (3,  'refusal_reasons_overdue',  'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (4,  'service_open',             'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (5,  'service_monthly',          'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (6,  'service_duration',         'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (7,  'task_by_department',       'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (8,  'task_refused_by_community','sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (9,  'party_by_community',       'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff', NULL),
    (10, 'expense_open',             'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (11, 'expense_split',            'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (12, 'account_balance',          'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (13, 'community_min_funds',      'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', 'community'),
    (14, 'street_funds_passed_on',   'sdbc_prefecture_admin, sdbc_street_office', NULL),
    (15, 'grid_size',                'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (16, 'grid_out_of_bounds',       'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (17, 'grid_without_leader',      'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (18, 'household_placed',         'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (19, 'household_outside_grid',   'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (20, 'community_coverage_gap',   'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', 'community'),
    (21, 'joint_defence_group_size', 'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (22, 'party_group_misplaced',    'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (23, 'staff_violation',          'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', 'division'),
    (24, 'community_evaluation',     'sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff', NULL),
    (25, 'street_grade',             'sdbc_prefecture_admin, sdbc_street_office', NULL),
    (26, 'department_evaluation',    'sdbc_prefecture_admin, sdbc_street_office', NULL)
  ) AS t (n, name, roles, scope) ORDER BY n LOOP
    -- every name qualified in the definition; the join of USING (…) on
    -- divcode columns prints no operator, so it is created with sdbc's
    -- operators on the path
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    def := pg_catalog.rtrim(pg_catalog.pg_get_viewdef(pg_catalog.format('sdbc.%I', v.name)::pg_catalog.regclass), E'; \n');
    FOREACH d IN ARRAY done LOOP
      def := pg_catalog.regexp_replace(def, '\msdbc\.' || d || '\M', 'sdbc_scoped.' || d, 'g');
    END LOOP;
    IF v.scope IS NOT NULL THEN
      def := pg_catalog.format('SELECT * FROM (%s) scoped WHERE scoped.%I OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[])',
                               def, v.scope);
    END IF;
    PERFORM pg_catalog.set_config('search_path', 'sdbc, pg_catalog', true);
    EXECUTE pg_catalog.format('CREATE VIEW sdbc_scoped.%I WITH (security_invoker = true) AS %s', v.name, def);
    EXECUTE pg_catalog.format('COMMENT ON VIEW sdbc_scoped.%I IS %L', v.name,
      'sdbc.' || v.name || ' with the caller''s rights 按权限过滤: the rows of the caller''s jurisdiction (row-level security)'
      || CASE WHEN v.scope IS NOT NULL THEN ', kept to its divisions' ELSE '' END
      || '. ' || pg_catalog.obj_description(pg_catalog.format('sdbc.%I', v.name)::pg_catalog.regclass, 'pg_class'));
    FOR c IN SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS txt
               FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = pg_catalog.format('sdbc.%I', v.name)::pg_catalog.regclass AND a.attnum > 0 LOOP
      EXECUTE pg_catalog.format('COMMENT ON COLUMN sdbc_scoped.%I.%I IS %L', v.name, c.attname, c.txt);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT SELECT ON sdbc_scoped.%I TO %s', v.name, v.roles);
    done := done || v.name::text;
  END LOOP;
  PERFORM pg_catalog.set_config('search_path', saved_path, true);
END $$;

-- sdbc.party_totals() (R6.1) runs as the caller and reads the caller-rights
-- copy sdbc_scoped.party_by_community, not the owner-rights view
-- sdbc.party_by_community (closed to the staff roles), so that it counts the
-- caller's jurisdiction (the owner, whom row-level security does not
-- filter, counts all).  Defined here, once: it needs that copy.
CREATE FUNCTION sdbc.party_totals(under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (committees bigint, branches bigint, groups bigint, member_units bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*), coalesce(sum(p.branches), 0)::bigint, coalesce(sum(p.groups), 0)::bigint,
         coalesce(sum(p.member_units), 0)::bigint
    FROM sdbc_scoped.party_by_community p
   WHERE under IS NULL OR p.community OPERATOR(sdbc.<@) under;
END;
COMMENT ON FUNCTION sdbc.party_totals(sdbc.divcode) IS
  'Big party committees, grid branches, building groups and member units under a division, e.g. the prefecture (NULL: all), of the caller''s jurisdiction (reads sdbc_scoped.party_by_community) (R6.1; the paper counts 76, 282, 553)';
GRANT EXECUTE ON FUNCTION sdbc.party_totals(sdbc.divcode) TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- The grid layer for GIS and BI clients (issue 15 §6): ogr2ogr, QGIS and
-- web maps read a table's primary key as the feature id and drop it from
-- the attributes, so the code is here an ordinary text attribute beside an
-- integer fid, with the grid's name and the names of its community, street
-- (or town) and county.  Read with the caller's rights (security_invoker):
-- row-level security on sdbc.grid shows each role its own grids.
CREATE VIEW sdbc.grid_layer WITH (security_invoker = true) AS
  SELECT g.grid_code AS fid, g.grid_code::text AS grid_code, g.name,
         g.community::text AS community_code, c.name AS community_name,
         s.name AS street_name, k.name AS county_name,
         g.class, gc.name_zh AS class_zh, g.valid_from, g.boundary
    FROM sdbc.grid g
    JOIN sdbc.grid_class gc ON gc.class = g.class
    LEFT JOIN sdbc.division c ON c.code OPERATOR(sdbc.=) g.community
    LEFT JOIN sdbc.division s ON s.code OPERATOR(sdbc.=) sdbc.divcode_ancestor(g.community, 4)
    LEFT JOIN sdbc.division k ON k.code OPERATOR(sdbc.=) sdbc.divcode_ancestor(g.community, 3)
   WHERE g.valid_to IS NULL;
COMMENT ON VIEW sdbc.grid_layer IS
  'Live grids 网格图层 as a GIS layer (R7.1, R7.2): the code as an ordinary attribute (grid_code) beside an integer feature id (fid), the grid''s name and the names of its community, street and county; Polygon in CGCS2000 (SRID 4490); read with the caller''s rights (row-level security applies); README "For GIS users"';
COMMENT ON COLUMN sdbc.grid_layer.fid IS 'feature id 要素编号: the grid code as an integer (unique), for GIS clients that need a key';
COMMENT ON COLUMN sdbc.grid_layer.grid_code IS 'grid code 网格编码 (15 digits, text)';
COMMENT ON COLUMN sdbc.grid_layer.name IS 'grid name 网格名称 (第N网格 as sdbc.grid_draw names a new grid)';
COMMENT ON COLUMN sdbc.grid_layer.community_code IS 'community code 社区代码 (12 digits)';
COMMENT ON COLUMN sdbc.grid_layer.community_name IS 'community name 社区名称';
COMMENT ON COLUMN sdbc.grid_layer.street_name IS 'street or town name 街道/乡镇名称';
COMMENT ON COLUMN sdbc.grid_layer.county_name IS 'county name 县(市)名称';
COMMENT ON COLUMN sdbc.grid_layer.class IS 'grid class 网格类型 (R7.2), identifier';
COMMENT ON COLUMN sdbc.grid_layer.class_zh IS 'grid class, Chinese 网格类型';
COMMENT ON COLUMN sdbc.grid_layer.valid_from IS 'first day the grid is in use 启用日期';
COMMENT ON COLUMN sdbc.grid_layer.boundary IS 'boundary 边界, Polygon in CGCS2000 (SRID 4490)';
-- as sdbc.grid: every staff role but the county departments
GRANT SELECT ON sdbc.grid_layer TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
