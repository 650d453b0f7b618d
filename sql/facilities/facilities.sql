-- Community information platforms (R9.1), premises and their functional
-- rooms (R10.1), monthly themes and weekly activities (R11.1).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('premises.area.min_m2', 'R10.1', 'm2', 0, NULL,
   'least office and service area of a community''s premises (the paper: an average above 1,000 m²)', '社区办公服务用房面积下限', true),
  ('activity.weekly.min', 'R11.1', 'count', 0, NULL,
   'fewest activities a community holds in a week (周周有活动)', '社区每周活动次数下限', true),
  ('activity.theme.monthly.min', 'R11.1', 'count', 0, NULL,
   'fewest themes a community sets in a month (月月有主题)', '社区每月活动主题数下限', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('premises.area.min_m2',       NULL, '2014-01-01', 1000, true, 'paper: average area above 1,000 m² (R10.1)'),
  ('activity.weekly.min',        NULL, '2014-01-01', 1,    true, 'paper: 周周有活动, activities every week (R11.1)'),
  ('activity.theme.monthly.min', NULL, '2014-01-01', 1,    true, 'paper: 月月有主题, a theme every month (R11.1)');

CREATE TABLE sdbc.community_platform (
  community   sdbc.divcode PRIMARY KEY REFERENCES sdbc.division (code),
  since       date NOT NULL,
  cost        numeric CONSTRAINT community_platform_cost CHECK (cost IS NULL OR cost >= 0)
                -- NaN passes >= 0 (it sorts above every number): finite only (issue 13)
                CONSTRAINT community_platform_cost_finite CHECK (cost IS NULL OR cost < 'Infinity'),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.community_platform IS
  'Communities that run an information platform 社区信息化平台 (R9.1: resident records looked up and updated at any time); the paper counts 136 of 147';
COMMENT ON COLUMN sdbc.community_platform.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_platform.since IS 'in use since';
COMMENT ON COLUMN sdbc.community_platform.cost IS 'investment 投资, yuan';

CREATE TABLE sdbc.room_kind (
  room_kind text PRIMARY KEY,
  name_zh   text NOT NULL,
  name_en   text NOT NULL,
  builtin   boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE sdbc.room_kind IS 'Functional rooms 功能室 a community''s premises may hold (R10.1: one room, many uses); the paper''s list built in, more as data';
COMMENT ON COLUMN sdbc.room_kind.room_kind IS 'identifier';
COMMENT ON COLUMN sdbc.room_kind.name_zh IS 'Chinese name 名称';
COMMENT ON COLUMN sdbc.room_kind.name_en IS 'English name';
COMMENT ON COLUMN sdbc.room_kind.builtin IS 'named by the paper (shipped; not dumped)';
INSERT INTO sdbc.room_kind (room_kind, name_zh, name_en, builtin) VALUES
  ('service_hall',        '一站式服务大厅', 'one-stop service hall', true),
  ('clinic',              '卫生室',         'clinic', true),
  ('library',             '图书室',         'library', true),
  ('party_members_room',  '党员活动室',     'party members'' room', true),
  ('six_thirty_school',   '四点半学校',     'after-school "six-thirty school"', true),
  ('charity_supermarket', '爱心超市',       'charity supermarket', true),
  ('youth_room',          '青少年活动室',   'youth room', true);
SELECT pg_catalog.pg_extension_config_dump('sdbc.room_kind', 'WHERE NOT builtin');

CREATE TABLE sdbc.premises (
  premises_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  area_m2     numeric NOT NULL CONSTRAINT premises_area_positive CHECK (area_m2 > 0)
                -- a NaN area would make every average NaN (R10.1): finite only (issue 13)
                CONSTRAINT premises_area_finite CHECK (area_m2 < 'Infinity'),
  built_on    date,
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.premises IS 'Office and service premises 办公服务用房 of a community (R10.1), one or more sites';
COMMENT ON COLUMN sdbc.premises.premises_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.premises.community IS 'community 社区';
COMMENT ON COLUMN sdbc.premises.area_m2 IS 'floor area 面积, m²';
COMMENT ON COLUMN sdbc.premises.built_on IS 'built or rebuilt 新建改建 on';
CREATE INDEX premises_community_idx ON sdbc.premises (community);

CREATE TABLE sdbc.premises_room (
  premises_id bigint NOT NULL REFERENCES sdbc.premises (premises_id),
  room_kind   text NOT NULL REFERENCES sdbc.room_kind (room_kind),
  PRIMARY KEY (premises_id, room_kind)
);
COMMENT ON TABLE sdbc.premises_room IS 'Functional rooms of a site (R10.1: one room may serve several uses, each listed)';
COMMENT ON COLUMN sdbc.premises_room.premises_id IS 'site';
COMMENT ON COLUMN sdbc.premises_room.room_kind IS 'functional room 功能室';

CREATE TABLE sdbc.monthly_theme (
  community   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  month       date NOT NULL CONSTRAINT monthly_theme_first_day CHECK (extract(day FROM month) = 1),
  theme       text NOT NULL CONSTRAINT monthly_theme_not_blank CHECK (btrim(theme) <> ''),
  PRIMARY KEY (community, month, theme),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.monthly_theme IS 'A community''s theme of the month 月度主题 (R11.1: 月月有主题)';
COMMENT ON COLUMN sdbc.monthly_theme.community IS 'community 社区';
COMMENT ON COLUMN sdbc.monthly_theme.month IS 'first day of the month';
COMMENT ON COLUMN sdbc.monthly_theme.theme IS 'theme 主题';

CREATE TABLE sdbc.activity (
  activity_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  held_on     date NOT NULL,
  title       text NOT NULL CONSTRAINT activity_title_not_blank CHECK (btrim(title) <> ''),
  participants integer CONSTRAINT activity_participants CHECK (participants IS NULL OR participants >= 0),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.activity IS 'Activities a community holds 社区活动 (R11.1: 周周有活动)';
COMMENT ON COLUMN sdbc.activity.activity_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.activity.community IS 'community 社区';
COMMENT ON COLUMN sdbc.activity.held_on IS 'day held';
COMMENT ON COLUMN sdbc.activity.title IS 'title 名称';
COMMENT ON COLUMN sdbc.activity.participants IS 'participants 参与人数, when counted';
CREATE INDEX activity_community_idx ON sdbc.activity (community, held_on);

SELECT pg_catalog.pg_extension_config_dump('sdbc.community_platform', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.premises', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.premises_premises_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.premises_room', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.monthly_theme', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.activity', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.activity_activity_id_seq', '');
