-- Duty and safety (R8.1, R12.3) and party organisation by area (R6.1).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('drill.monthly.min', 'R12.3', 'count', 0, NULL,
   'fewest emergency drills a community holds in a calendar month', '社区每月应急演练最少次数', true),
  ('joint_defence.group.shops', 'R12.3', 'count', 2, NULL,
   'shop-front units in a full joint-defence group', '十铺联防每组商铺数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('drill.monthly.min',         NULL, '2014-01-01', 1,  true, 'paper: a joint drill every month (R12.3)'),
  ('joint_defence.group.shops', NULL, '2014-01-01', 10, true, 'paper: 十铺联防, ten shops (R12.3)');

-- ---------------------------------------------------------------- duty (R8.1)
CREATE TABLE sdbc.duty_shift (
  shift_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community  sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  staff_id   bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  during     tsrange NOT NULL CONSTRAINT duty_shift_bounded
               CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during))
             -- 'infinity' is a bound, not an unbounded end: a shift to it would cover every hour to come (R8.1)
             CONSTRAINT duty_shift_finite CHECK (isfinite(lower(during)) AND isfinite(upper(during))),
  kind       text NOT NULL DEFAULT 'inside' CONSTRAINT duty_shift_kind_known CHECK (kind IN ('inside', 'outside')),
  CONSTRAINT duty_shift_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.duty_shift IS
  'Duty roster 值班表 of a community (R8.1: 24-hour duty; R12.2: inside and outside duty); shifts in local time';
COMMENT ON COLUMN sdbc.duty_shift.shift_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.duty_shift.community IS 'community 社区';
COMMENT ON COLUMN sdbc.duty_shift.staff_id IS 'who is on duty 值班人';
COMMENT ON COLUMN sdbc.duty_shift.during IS 'the shift, local time (timestamp range)';
COMMENT ON COLUMN sdbc.duty_shift.kind IS 'inside 内勤 (at the hall) or outside 外勤 (in the grids)';
CREATE INDEX duty_shift_community_idx ON sdbc.duty_shift (community);
SELECT pg_catalog.pg_extension_config_dump('sdbc.duty_shift', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.duty_shift_shift_id_seq', '');

CREATE FUNCTION sdbc.duty_shift_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
BEGIN
  IF sdbc.staff_division(NEW.staff_id, lower(NEW.during)::date) IS DISTINCT FROM NEW.community
     AND NOT (TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.duty_shift_shift_id_seq', NEW.shift_id)) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD511',
      MESSAGE = format('staff %s does not serve community %s on %s', NEW.staff_id, NEW.community, lower(NEW.during)::date),
      DETAIL = 'R8.1: a community''s duty is kept by its own staff.',
      HINT = 'Put a staff member of the community on the roster.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.duty_shift_check() IS 'Trigger on sdbc.duty_shift: the person serves the community when the shift begins (SD511, R8.1)';
CREATE TRIGGER duty_shift_check BEFORE INSERT OR UPDATE ON sdbc.duty_shift
  FOR EACH ROW EXECUTE FUNCTION sdbc.duty_shift_check();

CREATE FUNCTION sdbc.duty_gaps(community sdbc.divcode, week_start date)
  RETURNS TABLE (gap_from timestamp, gap_to timestamp, hours numeric)
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT lower(g), upper(g), round((extract(epoch FROM upper(g) - lower(g)) / 3600)::numeric, 2)
    FROM unnest(tsmultirange(tsrange(week_start::timestamp, (week_start + 7)::timestamp))
                - coalesce((SELECT range_agg(s.during) FROM sdbc.duty_shift s
                             WHERE s.community OPERATOR(sdbc.=) duty_gaps.community
                               AND s.during && tsrange(week_start::timestamp, (week_start + 7)::timestamp)),
                           '{}'::tsmultirange)) g
   ORDER BY 1;
END;
COMMENT ON FUNCTION sdbc.duty_gaps(sdbc.divcode, date) IS
  'Times of the 7 days from week_start when nobody of the community is on duty (R8.1: 24-hour duty); no rows = covered';

CREATE FUNCTION sdbc.duty_week_report(week_start date, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (community sdbc.divcode, shifts bigint, gaps bigint, uncovered_hours numeric, covered boolean)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT c.code, (SELECT count(*) FROM sdbc.duty_shift s WHERE s.community OPERATOR(sdbc.=) c.code
                     AND s.during && tsrange(week_start::timestamp, (week_start + 7)::timestamp)),
         count(g.gap_from), coalesce(sum(g.hours), 0), count(g.gap_from) = 0
    FROM (SELECT s.community AS code FROM sdbc.duty_shift s
           WHERE under IS NULL OR s.community OPERATOR(sdbc.<@) under
          UNION
          SELECT g.community FROM sdbc.grid g
           WHERE g.valid_from < week_start + 7 AND (g.valid_to IS NULL OR g.valid_to > week_start)
             AND (under IS NULL OR g.community OPERATOR(sdbc.<@) under)) c
    LEFT JOIN LATERAL sdbc.duty_gaps(c.code, week_start) g ON true
   GROUP BY c.code ORDER BY c.code;
END;
COMMENT ON FUNCTION sdbc.duty_week_report(date, sdbc.divcode) IS
  'For every community with a grid live during the week or a duty roster (under a division; NULL: all): shifts, gaps and uncovered hours in the week from week_start (R8.1); a community with no shift at all shows 168 uncovered hours';

-- ---------------------------------------------------------------- safety (R12.3)
CREATE TABLE sdbc.squad_member (
  community  sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  name       text NOT NULL CONSTRAINT squad_member_name_not_blank CHECK (btrim(name) <> ''),
  staff_id   bigint REFERENCES sdbc.staff (staff_id),
  role       text NOT NULL DEFAULT 'member',
  joined_on  date NOT NULL,
  left_on    date,
  PRIMARY KEY (community, name, joined_on),
  CONSTRAINT squad_member_period CHECK (left_on IS NULL OR left_on > joined_on),
  CONSTRAINT squad_member_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.squad_member IS
  'Members of a community''s emergency squad 应急小分队 (R12.3): staff, security guards, militia';
COMMENT ON COLUMN sdbc.squad_member.community IS 'community 社区';
COMMENT ON COLUMN sdbc.squad_member.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.squad_member.staff_id IS 'the staff member, when the person is one; NULL for security guards and militia';
COMMENT ON COLUMN sdbc.squad_member.role IS 'role 职责, e.g. leader 队长, member 队员';
COMMENT ON COLUMN sdbc.squad_member.joined_on IS 'first day in the squad';
COMMENT ON COLUMN sdbc.squad_member.left_on IS 'first day no longer in it; NULL while a member';
SELECT pg_catalog.pg_extension_config_dump('sdbc.squad_member', '');

CREATE TABLE sdbc.drill (
  drill_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  held_on       date NOT NULL,
  kind          text NOT NULL,
  participants  integer NOT NULL CONSTRAINT drill_participants_positive CHECK (participants > 0),
  CONSTRAINT drill_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.drill IS 'Emergency drills 应急演练 of a community (R12.3: a joint drill every month)';
COMMENT ON COLUMN sdbc.drill.drill_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.drill.community IS 'community 社区';
COMMENT ON COLUMN sdbc.drill.held_on IS 'day held';
COMMENT ON COLUMN sdbc.drill.kind IS 'kind 演练科目, e.g. fire 消防, riot 处突';
COMMENT ON COLUMN sdbc.drill.participants IS 'people taking part';
CREATE INDEX drill_community_idx ON sdbc.drill (community, held_on);
SELECT pg_catalog.pg_extension_config_dump('sdbc.drill', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.drill_drill_id_seq', '');

CREATE FUNCTION sdbc.drill_missed(month date, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (community sdbc.divcode, name text, squad_members bigint, drills bigint, required numeric)
  LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
  SELECT d.code, d.name,
         (SELECT count(*) FROM sdbc.squad_member m WHERE m.community OPERATOR(sdbc.=) d.code
             AND m.joined_on < (date_trunc('month', month) + interval '1 month')::date
             AND (m.left_on IS NULL OR m.left_on > date_trunc('month', month)::date)),
         x.drills, x.required
    FROM sdbc.division d,
         LATERAL (SELECT (SELECT count(*) FROM sdbc.drill r WHERE r.community OPERATOR(sdbc.=) d.code
                             AND r.held_on >= date_trunc('month', month)::date
                             AND r.held_on < (date_trunc('month', month) + interval '1 month')::date) AS drills,
                         sdbc.policy_value('drill.monthly.min', d.code, date_trunc('month', month)::date) AS required) x
   WHERE d.kind = 'residents_committee'
     AND (under IS NULL OR d.code OPERATOR(sdbc.<@) under)
     AND (EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.community OPERATOR(sdbc.=) d.code AND g.valid_to IS NULL)
          OR EXISTS (SELECT 1 FROM sdbc.squad_member m WHERE m.community OPERATOR(sdbc.=) d.code))
     AND x.drills < x.required
   ORDER BY d.code;
END;
COMMENT ON FUNCTION sdbc.drill_missed(date, sdbc.divcode) IS
  'Communities (with live grids or an emergency squad, under a division; NULL: all) that held fewer drills in the month than policy drill.monthly.min (R12.3), with their squad size';

CREATE TABLE sdbc.joint_defence_group (
  group_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community  sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  name       text NOT NULL CONSTRAINT joint_defence_group_name_not_blank CHECK (btrim(name) <> ''),
  CONSTRAINT joint_defence_group_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee'),
  UNIQUE (community, name)
);
COMMENT ON TABLE sdbc.joint_defence_group IS '"Ten-shop joint defence" groups 十铺联防 along a community''s shop fronts (R12.3)';
COMMENT ON COLUMN sdbc.joint_defence_group.group_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.joint_defence_group.community IS 'community 社区';
COMMENT ON COLUMN sdbc.joint_defence_group.name IS 'name 名称, e.g. the street it covers';

CREATE TABLE sdbc.joint_defence_shop (
  shop_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  group_id     bigint NOT NULL REFERENCES sdbc.joint_defence_group (group_id),
  name         text NOT NULL CONSTRAINT joint_defence_shop_name_not_blank CHECK (btrim(name) <> ''),
  address      text,
  building_id  bigint REFERENCES sdbc.building (building_id)
);
COMMENT ON TABLE sdbc.joint_defence_shop IS 'Shop-front units 商铺 in a joint-defence group (R12.3)';
COMMENT ON COLUMN sdbc.joint_defence_shop.shop_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.joint_defence_shop.group_id IS 'group 联防组';
COMMENT ON COLUMN sdbc.joint_defence_shop.name IS 'shop name 商铺名称';
COMMENT ON COLUMN sdbc.joint_defence_shop.address IS 'address 地址';
COMMENT ON COLUMN sdbc.joint_defence_shop.building_id IS 'building 楼栋 the shop is in, when registered';
CREATE INDEX joint_defence_shop_group_idx ON sdbc.joint_defence_shop (group_id);
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_group', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_group_group_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_shop', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.joint_defence_shop_shop_id_seq', '');

CREATE VIEW sdbc.joint_defence_group_size AS
  SELECT g.group_id, g.community, g.name, count(s.shop_id) AS shops,
         sdbc.policy_value('joint_defence.group.shops', g.community, CURRENT_DATE) AS target,
         count(s.shop_id) >= sdbc.policy_value('joint_defence.group.shops', g.community, CURRENT_DATE) AS complete
    FROM sdbc.joint_defence_group g LEFT JOIN sdbc.joint_defence_shop s USING (group_id)
   GROUP BY g.group_id, g.community, g.name;
COMMENT ON VIEW sdbc.joint_defence_group_size IS 'Joint-defence groups with their number of shops against policy joint_defence.group.shops (R12.3)';
COMMENT ON COLUMN sdbc.joint_defence_group_size.group_id IS 'group';
COMMENT ON COLUMN sdbc.joint_defence_group_size.community IS 'community 社区';
COMMENT ON COLUMN sdbc.joint_defence_group_size.name IS 'group name';
COMMENT ON COLUMN sdbc.joint_defence_group_size.shops IS 'shops in the group';
COMMENT ON COLUMN sdbc.joint_defence_group_size.target IS 'shops a full group has (policy)';
COMMENT ON COLUMN sdbc.joint_defence_group_size.complete IS 'true when the group has at least the target';

-- ---------------------------------------------------------------- party (R6.1)
CREATE TABLE sdbc.party_committee (
  committee_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community     sdbc.divcode NOT NULL UNIQUE REFERENCES sdbc.division (code),
  name          text NOT NULL CONSTRAINT party_committee_name_not_blank CHECK (btrim(name) <> ''),
  founded_on    date,
  CONSTRAINT party_committee_community_check CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.party_committee IS 'Community big party committees 社区大党委 (R6.1), one per community at most';
COMMENT ON COLUMN sdbc.party_committee.committee_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.party_committee.community IS 'community 社区';
COMMENT ON COLUMN sdbc.party_committee.name IS 'name 名称';
COMMENT ON COLUMN sdbc.party_committee.founded_on IS 'day founded 成立日期';

CREATE TABLE sdbc.party_member_unit (
  committee_id  bigint NOT NULL REFERENCES sdbc.party_committee (committee_id),
  unit_name     text NOT NULL CONSTRAINT party_member_unit_name_not_blank CHECK (btrim(unit_name) <> ''),
  PRIMARY KEY (committee_id, unit_name)
);
COMMENT ON TABLE sdbc.party_member_unit IS 'Units of the jurisdiction 辖区单位 that are members of a big party committee (R6.1: units pair up with communities)';
COMMENT ON COLUMN sdbc.party_member_unit.committee_id IS 'big party committee';
COMMENT ON COLUMN sdbc.party_member_unit.unit_name IS 'unit 单位名称 (school, hospital, company …)';

CREATE TABLE sdbc.party_branch (
  branch_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  committee_id  bigint NOT NULL REFERENCES sdbc.party_committee (committee_id),
  grid_code     bigint NOT NULL UNIQUE REFERENCES sdbc.grid (grid_code),
  name          text NOT NULL CONSTRAINT party_branch_name_not_blank CHECK (btrim(name) <> '')
);
COMMENT ON TABLE sdbc.party_branch IS 'Grid party branches 网格党支部 (R6.1): one per grid at most, under the big committee of the grid''s community';
COMMENT ON COLUMN sdbc.party_branch.branch_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.party_branch.committee_id IS 'big party committee above it';
COMMENT ON COLUMN sdbc.party_branch.grid_code IS 'grid 网格 it covers';
COMMENT ON COLUMN sdbc.party_branch.name IS 'name 名称';
CREATE INDEX party_branch_committee_idx ON sdbc.party_branch (committee_id);

CREATE TABLE sdbc.party_group (
  group_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  branch_id    bigint NOT NULL REFERENCES sdbc.party_branch (branch_id),
  building_id  bigint NOT NULL UNIQUE REFERENCES sdbc.building (building_id),
  name         text NOT NULL CONSTRAINT party_group_name_not_blank CHECK (btrim(name) <> '')
);
COMMENT ON TABLE sdbc.party_group IS 'Building party groups 楼栋党小组 (R6.1): one per building at most, under the branch of the building''s grid';
COMMENT ON COLUMN sdbc.party_group.group_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.party_group.branch_id IS 'grid party branch above it';
COMMENT ON COLUMN sdbc.party_group.building_id IS 'building 楼栋 it covers';
COMMENT ON COLUMN sdbc.party_group.name IS 'name 名称';
CREATE INDEX party_group_branch_idx ON sdbc.party_group (branch_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.party_committee', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_committee_committee_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_member_unit', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_branch', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_branch_branch_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_group', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.party_group_group_id_seq', '');

CREATE FUNCTION sdbc.party_branch_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  grid_community sdbc.divcode;
  committee_community sdbc.divcode;
BEGIN
  SELECT g.community INTO grid_community FROM sdbc.grid g WHERE g.grid_code = NEW.grid_code;
  SELECT c.community INTO committee_community FROM sdbc.party_committee c WHERE c.committee_id = NEW.committee_id;
  IF grid_community IS NOT NULL AND committee_community IS NOT NULL AND grid_community <> committee_community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD512',
      MESSAGE = format('grid %s belongs to community %s, not to %s of the party committee',
                       NEW.grid_code, grid_community, committee_community),
      DETAIL = 'R6.1: a grid party branch stands under the big party committee of its grid''s community.',
      HINT = 'Attach the branch to the committee of the grid''s community.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.party_branch_check() IS 'Trigger on sdbc.party_branch: the grid belongs to the committee''s community (SD512, R6.1)';
CREATE TRIGGER party_branch_check BEFORE INSERT OR UPDATE ON sdbc.party_branch
  FOR EACH ROW EXECUTE FUNCTION sdbc.party_branch_check();

-- A committee with branches keeps its community: the branches' grids are
-- the community's (R6.1).
CREATE FUNCTION sdbc.party_committee_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  IF NEW.community <> OLD.community THEN
    SELECT count(*) INTO n FROM sdbc.party_branch b WHERE b.committee_id = OLD.committee_id;
    IF n > 0 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD512',
        MESSAGE = format('party committee %s has %s grid party branches in community %s and cannot move to %s',
                         OLD.committee_id, n, OLD.community, NEW.community),
        DETAIL = 'R6.1: a grid party branch stands under the big party committee of its grid''s community.',
        HINT = 'Attach the branches to another committee of their community first, or found a new committee for the other community.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.party_committee_check() IS
  'Trigger on sdbc.party_committee: a committee with grid party branches keeps its community (SD512, R6.1)';
CREATE TRIGGER party_committee_check BEFORE UPDATE OF community ON sdbc.party_committee
  FOR EACH ROW EXECUTE FUNCTION sdbc.party_committee_check();

CREATE FUNCTION sdbc.party_group_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  building_grid bigint;
  branch_grid bigint;
BEGIN
  SELECT b.grid_code INTO building_grid FROM sdbc.building b WHERE b.building_id = NEW.building_id;
  SELECT p.grid_code INTO branch_grid FROM sdbc.party_branch p WHERE p.branch_id = NEW.branch_id;
  IF FOUND AND building_grid IS DISTINCT FROM branch_grid THEN
    RAISE EXCEPTION USING ERRCODE = 'SD513',
      MESSAGE = format('building %s lies in grid %s, not in grid %s of the branch',
                       NEW.building_id, coalesce(building_grid::text, 'none'), branch_grid),
      DETAIL = 'R6.1: a building party group stands under the party branch of the building''s grid.',
      HINT = 'Attach the group to the branch of the building''s grid.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.party_group_check() IS 'Trigger on sdbc.party_group: the building lies in the branch''s grid (SD513, R6.1)';
CREATE TRIGGER party_group_check BEFORE INSERT OR UPDATE ON sdbc.party_group
  FOR EACH ROW EXECUTE FUNCTION sdbc.party_group_check();

CREATE VIEW sdbc.party_group_misplaced AS
  SELECT pg.group_id, pg.building_id, b.grid_code AS building_grid, br.grid_code AS branch_grid
    FROM sdbc.party_group pg
    JOIN sdbc.party_branch br USING (branch_id)
    JOIN sdbc.building b USING (building_id)
   WHERE b.grid_code IS DISTINCT FROM br.grid_code;
COMMENT ON VIEW sdbc.party_group_misplaced IS 'Party groups whose building no longer lies in their branch''s grid (after a redraw; R6.1)';
COMMENT ON COLUMN sdbc.party_group_misplaced.group_id IS 'party group';
COMMENT ON COLUMN sdbc.party_group_misplaced.building_id IS 'its building';
COMMENT ON COLUMN sdbc.party_group_misplaced.building_grid IS 'grid the building lies in now';
COMMENT ON COLUMN sdbc.party_group_misplaced.branch_grid IS 'grid of the group''s branch';

CREATE VIEW sdbc.party_by_community AS
  SELECT c.community, d.name, c.committee_id,
         (SELECT count(*) FROM sdbc.party_member_unit u WHERE u.committee_id = c.committee_id) AS member_units,
         (SELECT count(*) FROM sdbc.party_branch b WHERE b.committee_id = c.committee_id) AS branches,
         (SELECT count(*) FROM sdbc.party_branch b JOIN sdbc.party_group g USING (branch_id)
           WHERE b.committee_id = c.committee_id) AS groups
    FROM sdbc.party_committee c JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) c.community;
COMMENT ON VIEW sdbc.party_by_community IS 'Per community: its big party committee, member units, grid branches and building groups (R6.1)';
COMMENT ON COLUMN sdbc.party_by_community.community IS 'community 社区';
COMMENT ON COLUMN sdbc.party_by_community.name IS 'community name';
COMMENT ON COLUMN sdbc.party_by_community.committee_id IS 'big party committee 大党委';
COMMENT ON COLUMN sdbc.party_by_community.member_units IS 'member units 成员单位';
COMMENT ON COLUMN sdbc.party_by_community.branches IS 'grid party branches 网格党支部';
COMMENT ON COLUMN sdbc.party_by_community.groups IS 'building party groups 楼栋党小组';

-- The totals of the party organisation under a division, sdbc.party_totals()
-- (R6.1), count the caller's jurisdiction: they are defined with the
-- caller-rights views, in sql/security/community_rls.sql.
