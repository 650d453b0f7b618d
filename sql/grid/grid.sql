-- Grids 网格 (R7): sub-units of a community, drawn as PostGIS polygons,
-- classed (R7.2), holding 200–300 households by default (R7.1).

CREATE TABLE sdbc.grid_class (
  class    text PRIMARY KEY,
  rank     integer NOT NULL UNIQUE,
  name_zh  text NOT NULL,
  name_en  text NOT NULL
);
COMMENT ON TABLE sdbc.grid_class IS 'Grid classes of R7.2, from least to most attention; staffing follows the class';
COMMENT ON COLUMN sdbc.grid_class.class IS 'identifier';
COMMENT ON COLUMN sdbc.grid_class.rank IS '1 least attention … 4 most';
COMMENT ON COLUMN sdbc.grid_class.name_zh IS 'Chinese label 中文名称';
COMMENT ON COLUMN sdbc.grid_class.name_en IS 'English label';
INSERT INTO sdbc.grid_class (class, rank, name_zh, name_en) VALUES
  ('routine',                   1, '日常管理型', 'routine management'),
  ('general_prevention',        2, '一般防范型', 'general prevention'),
  ('key_attention',             3, '重点关注型', 'key attention'),
  ('comprehensive_remediation', 4, '综合整治型', 'comprehensive remediation');

CREATE TABLE sdbc.grid (
  grid_code      bigint PRIMARY KEY,
  community      sdbc.divcode NOT NULL,
  name           text,
  class          text NOT NULL DEFAULT 'routine' REFERENCES sdbc.grid_class (class),
  boundary       public.geometry(Polygon, 4490) NOT NULL
                   CONSTRAINT grid_boundary_valid CHECK (public.ST_IsValid(boundary) AND NOT public.ST_IsEmpty(boundary)),
  valid_from     date NOT NULL DEFAULT CURRENT_DATE,
  valid_to       date,
  CONSTRAINT grid_code_under_community CHECK (grid_code / 1000 = community::bigint AND grid_code % 1000 > 0),
  CONSTRAINT grid_valid_period CHECK (valid_to IS NULL OR valid_to >= valid_from),
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.grid IS
  'Grids 网格 (R7): 15-digit code (GB/T 30428.1: community code + 3-digit sequence, never reused), boundary inside the community, live grids of a community do not overlap; a PostGIS polygon layer';
COMMENT ON COLUMN sdbc.grid.grid_code IS 'grid code 网格编码: the community''s 12 digits and a sequence 001–999; a retired code is never reused';
COMMENT ON COLUMN sdbc.grid.community IS 'community 社区 the grid belongs to';
COMMENT ON COLUMN sdbc.grid.name IS 'name 名称: 第N网格 (grid N) as sdbc.grid_draw names a new grid; may be renamed';
COMMENT ON COLUMN sdbc.grid.class IS 'class 类型 (R7.2), see sdbc.grid_class';
COMMENT ON COLUMN sdbc.grid.boundary IS 'boundary 边界, Polygon in CGCS2000 (SRID 4490)';
COMMENT ON COLUMN sdbc.grid.valid_from IS 'first day the grid is in use';
COMMENT ON COLUMN sdbc.grid.valid_to IS 'first day it is retired; NULL while live';
CREATE INDEX grid_community_idx ON sdbc.grid (community) WHERE valid_to IS NULL;
CREATE INDEX grid_boundary_idx ON sdbc.grid USING gist (boundary);

ALTER TABLE sdbc.building ADD FOREIGN KEY (grid_code) REFERENCES sdbc.grid (grid_code);
-- (a household's grid is its building's: stored once, on the building, so
-- that redrawing the grids of a county rewrites thousands of buildings, not
-- hundreds of thousands of households)

CREATE TABLE sdbc.grid_class_history (
  grid_code     bigint NOT NULL REFERENCES sdbc.grid (grid_code),
  changed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  from_class    text REFERENCES sdbc.grid_class (class),
  to_class      text NOT NULL REFERENCES sdbc.grid_class (class),
  indicators    jsonb NOT NULL,
  changed_by    text NOT NULL DEFAULT current_user,
  PRIMARY KEY (grid_code, changed_at)
);
COMMENT ON TABLE sdbc.grid_class_history IS 'Every reclassification of a grid (R7.2), with the indicators it rested on; insert-only';
COMMENT ON COLUMN sdbc.grid_class_history.grid_code IS 'grid';
COMMENT ON COLUMN sdbc.grid_class_history.changed_at IS 'when';
COMMENT ON COLUMN sdbc.grid_class_history.from_class IS 'class before (NULL for the first classification)';
COMMENT ON COLUMN sdbc.grid_class_history.to_class IS 'class after';
COMMENT ON COLUMN sdbc.grid_class_history.indicators IS 'households, residents, key and floating population, rental households, incidents at the time';
COMMENT ON COLUMN sdbc.grid_class_history.changed_by IS 'database role that ran the classification';

CREATE TABLE sdbc.grid_incident (
  incident_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  grid_code    bigint NOT NULL REFERENCES sdbc.grid (grid_code),
  reported_on  date NOT NULL,
  kind         text NOT NULL,
  note         text
);
COMMENT ON TABLE sdbc.grid_incident IS 'Incidents reported in a grid 事件 (an indicator of R7.2)';
COMMENT ON COLUMN sdbc.grid_incident.incident_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.grid_incident.grid_code IS 'grid where it happened';
COMMENT ON COLUMN sdbc.grid_incident.reported_on IS 'day reported';
COMMENT ON COLUMN sdbc.grid_incident.kind IS 'kind of incident (dispute, security, safety …)';
COMMENT ON COLUMN sdbc.grid_incident.note IS 'free text';
CREATE INDEX grid_incident_grid_idx ON sdbc.grid_incident (grid_code, reported_on);

CREATE TABLE sdbc.grid_draw_report (
  community    sdbc.divcode NOT NULL,
  drawn_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  buildings    integer NOT NULL,
  households   integer NOT NULL,
  grids        integer NOT NULL,
  in_bounds    integer NOT NULL,
  pieces       integer NOT NULL,
  codes_kept   integer NOT NULL,
  reasons      text[] NOT NULL,
  PRIMARY KEY (community, drawn_at)
);
COMMENT ON TABLE sdbc.grid_draw_report IS 'One row per community each time its grids are drawn: what came out and why any bound could not be met';
COMMENT ON COLUMN sdbc.grid_draw_report.community IS 'community';
COMMENT ON COLUMN sdbc.grid_draw_report.drawn_at IS 'when';
COMMENT ON COLUMN sdbc.grid_draw_report.buildings IS 'buildings (sites) drawn';
COMMENT ON COLUMN sdbc.grid_draw_report.households IS 'households drawn';
COMMENT ON COLUMN sdbc.grid_draw_report.grids IS 'grids drawn';
COMMENT ON COLUMN sdbc.grid_draw_report.in_bounds IS 'grids within grid.households.min/max (R7.1)';
COMMENT ON COLUMN sdbc.grid_draw_report.pieces IS 'grids whose boundary is in more than one piece';
COMMENT ON COLUMN sdbc.grid_draw_report.codes_kept IS 'grids that kept the code of an old grid they mostly overlap';
COMMENT ON COLUMN sdbc.grid_draw_report.reasons IS 'why bounds were not met: building_above_max, community_below_min, disconnected, unbalanced, no_buildings, no_boundary';

SELECT pg_catalog.pg_extension_config_dump('sdbc.grid', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.grid_class_history', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.grid_incident', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.grid_incident_incident_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.grid_draw_report', '');

-- Policy: grid sizes are already there (R7.1); classification thresholds
-- and the geometric tolerance are local defaults (the paper gives none).
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('grid.class.remediation.min_incidents', 'R7.2', 'count', 0, NULL,
   'incidents in the last 365 days from which a grid is classed comprehensive remediation', '综合整治型网格:近一年事件数下限', true),
  ('grid.class.key_attention.min_key_per_household', 'R7.2', 'share', 0, NULL,
   'key-population persons per household from which a grid is classed key attention', '重点关注型网格:每户重点人口数下限', true),
  ('grid.class.general_prevention.min_floating_share', 'R7.2', 'share', 0, 1,
   'share of floating residents from which a grid is classed general prevention', '一般防范型网格:流动人口占比下限', true),
  ('grid.class.general_prevention.min_rental_share', 'R7.2', 'share', 0, 1,
   'share of rental households from which a grid is classed general prevention', '一般防范型网格:出租户占比下限', true),
  ('grid.geometry.tolerance_m2', 'R7.1', 'm2', 0, NULL,
   'area in square metres below which a grid''s overlap with another or with the outside of its community is taken as rounding', '网格边界容差(平方米)', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('grid.class.remediation.min_incidents',            NULL, '2014-01-01', 10,   true, 'local default, not in the paper'),
  ('grid.class.key_attention.min_key_per_household',  NULL, '2014-01-01', 0.02, true, 'local default, not in the paper'),
  ('grid.class.general_prevention.min_floating_share', NULL, '2014-01-01', 0.15, true, 'local default, not in the paper'),
  ('grid.class.general_prevention.min_rental_share',  NULL, '2014-01-01', 0.15, true, 'local default, not in the paper'),
  ('grid.geometry.tolerance_m2',                      NULL, '2014-01-01', 1,    true, 'rounding of drawn boundaries');
