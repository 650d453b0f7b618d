-- Divisions: the official statistical division tree, with PostGIS boundaries.

CREATE TABLE sdbc.division_kind (
  kind     text PRIMARY KEY,
  level    integer NOT NULL CHECK (level BETWEEN 1 AND 5),
  name_zh  text NOT NULL,
  name_en  text NOT NULL
);
COMMENT ON TABLE sdbc.division_kind IS
  'Kinds of division derived from the code (sdbc.divcode_kind), with Chinese and English labels; fixed by the code standard, shipped with the extension';
COMMENT ON COLUMN sdbc.division_kind.kind IS 'identifier returned by sdbc.divcode_kind()';
COMMENT ON COLUMN sdbc.division_kind.level IS '1 province … 5 village or community';
COMMENT ON COLUMN sdbc.division_kind.name_zh IS 'Chinese label 中文名称';
COMMENT ON COLUMN sdbc.division_kind.name_en IS 'English label';

INSERT INTO sdbc.division_kind (kind, level, name_zh, name_en) VALUES
  ('province',            1, '省级',     'province'),
  ('prefecture',          2, '地级',     'prefecture'),
  ('county',              3, '县级',     'county'),
  ('street',              4, '街道',     'street (sub-district)'),
  ('town',                4, '镇',       'town'),
  ('township',            4, '乡',       'township'),
  ('township_like',       4, '乡级单位', 'township-level unit'),
  ('residents_committee', 5, '居委会(社区)', 'residents'' committee (community)'),
  ('villagers_committee', 5, '村委会',   'villagers'' committee'),
  ('village_like',        5, '村级单位', 'village-level unit');

CREATE TABLE sdbc.urban_rural_class (
  class    smallint PRIMARY KEY,
  name_zh  text NOT NULL,
  name_en  text NOT NULL
);
COMMENT ON TABLE sdbc.urban_rural_class IS
  'Urban-rural classification codes 城乡分类代码 of the statistical division codes';
COMMENT ON COLUMN sdbc.urban_rural_class.class IS 'three-digit class code';
COMMENT ON COLUMN sdbc.urban_rural_class.name_zh IS 'Chinese label 中文名称';
COMMENT ON COLUMN sdbc.urban_rural_class.name_en IS 'English label';

INSERT INTO sdbc.urban_rural_class (class, name_zh, name_en) VALUES
  (111, '主城区',     'main urban area'),
  (112, '城乡结合区', 'urban-rural fringe'),
  (121, '镇中心区',   'town centre'),
  (122, '镇乡结合区', 'town-rural fringe'),
  (123, '特殊区域',   'special area'),
  (210, '乡中心区',   'township centre'),
  (220, '村庄',       'village');

CREATE TABLE sdbc.division (
  code              sdbc.divcode PRIMARY KEY,
  name              text NOT NULL CONSTRAINT division_name_not_blank CHECK (btrim(name) <> ''),
  -- generated from the code by the kernel, so always one of sdbc.division_kind
  -- (no foreign key: it would cost a lookup per row of a national load)
  kind              text NOT NULL GENERATED ALWAYS AS (sdbc.divcode_kind(code)) STORED,
  urban_rural_class smallint REFERENCES sdbc.urban_rural_class (class),
  valid_from        date,
  valid_to          date,
  key_complex       boolean NOT NULL DEFAULT false,
  boundary          public.geometry(MultiPolygon, 4490)
                      CONSTRAINT division_boundary_valid CHECK (boundary IS NULL OR (public.ST_IsValid(boundary) AND NOT public.ST_IsEmpty(boundary))),
  CONSTRAINT division_valid_period CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
  CONSTRAINT division_key_complex_is_community CHECK (NOT key_complex OR kind = 'residents_committee')
);
COMMENT ON TABLE sdbc.division IS
  'Statistical divisions 统计用区划 (province … community), keyed by division code; boundary is a PostGIS layer (CGCS2000, SRID 4490)';
COMMENT ON COLUMN sdbc.division.code IS 'statistical division code 统计用区划代码';
COMMENT ON COLUMN sdbc.division.name IS 'official Chinese name 名称';
COMMENT ON COLUMN sdbc.division.kind IS 'kind derived from the code: street 街道, town 镇, residents_committee 社区 … (see sdbc.division_kind)';
COMMENT ON COLUMN sdbc.division.urban_rural_class IS 'urban-rural class 城乡分类代码 (see sdbc.urban_rural_class); NULL when the source does not give it';
COMMENT ON COLUMN sdbc.division.valid_from IS 'first day the code is in use; NULL when unknown';
COMMENT ON COLUMN sdbc.division.valid_to IS 'first day the code is no longer in use; NULL while current';
COMMENT ON COLUMN sdbc.division.key_complex IS 'key or complex community 重点复杂社区 (R2.4: needs the higher staffing minimum)';
COMMENT ON COLUMN sdbc.division.boundary IS 'boundary 边界, MultiPolygon in CGCS2000 (SRID 4490); NULL until drawn';

-- only drawn boundaries are indexed (most divisions have none)
CREATE INDEX division_boundary_idx ON sdbc.division USING gist (boundary) WHERE boundary IS NOT NULL;

-- Divisions are the user's data: all rows are dumped.
SELECT pg_catalog.pg_extension_config_dump('sdbc.division', '');

CREATE FUNCTION sdbc.division_is_current(d sdbc.division, on_date date DEFAULT CURRENT_DATE)
  RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (d.valid_from IS NULL OR d.valid_from <= on_date)
     AND (d.valid_to IS NULL OR d.valid_to > on_date);
COMMENT ON FUNCTION sdbc.division_is_current(sdbc.division, date) IS
  'True when the division is in use on the date (valid_from ≤ date < valid_to, open ends allowed)';

CREATE VIEW sdbc.division_labeled AS
  SELECT d.code,
         sdbc.divcode_short(d.code) AS short_code,
         d.name,
         d.kind,
         k.name_zh AS kind_zh,
         k.name_en AS kind_en,
         sdbc.divcode_level(d.code) AS level,
         sdbc.divcode_parent(d.code) AS parent,
         d.urban_rural_class,
         d.key_complex,
         d.valid_from,
         d.valid_to
    FROM sdbc.division d
    JOIN sdbc.division_kind k USING (kind);
COMMENT ON VIEW sdbc.division_labeled IS 'Divisions with their level, parent and Chinese/English kind labels';
COMMENT ON COLUMN sdbc.division_labeled.code IS 'statistical division code 统计用区划代码';
COMMENT ON COLUMN sdbc.division_labeled.short_code IS 'shortest form of the code, e.g. 652901';
COMMENT ON COLUMN sdbc.division_labeled.name IS 'official Chinese name 名称';
COMMENT ON COLUMN sdbc.division_labeled.kind IS 'kind identifier';
COMMENT ON COLUMN sdbc.division_labeled.kind_zh IS 'kind, Chinese label 类别';
COMMENT ON COLUMN sdbc.division_labeled.kind_en IS 'kind, English label';
COMMENT ON COLUMN sdbc.division_labeled.level IS '1 province … 5 village or community';
COMMENT ON COLUMN sdbc.division_labeled.parent IS 'code of the division directly above';
COMMENT ON COLUMN sdbc.division_labeled.urban_rural_class IS 'urban-rural class 城乡分类代码';
COMMENT ON COLUMN sdbc.division_labeled.key_complex IS 'key or complex community 重点复杂社区 (R2.4)';
COMMENT ON COLUMN sdbc.division_labeled.valid_from IS 'first day in use';
COMMENT ON COLUMN sdbc.division_labeled.valid_to IS 'first day no longer in use';

CREATE VIEW sdbc.division_orphan AS
  SELECT d.code, d.name, sdbc.divcode_parent(d.code) AS missing_parent
    FROM sdbc.division d
   WHERE sdbc.divcode_parent(d.code) IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM sdbc.division p WHERE p.code = sdbc.divcode_parent(d.code));
COMMENT ON VIEW sdbc.division_orphan IS 'Divisions whose parent division is not loaded (an incomplete load)';
COMMENT ON COLUMN sdbc.division_orphan.code IS 'division code';
COMMENT ON COLUMN sdbc.division_orphan.name IS 'name 名称';
COMMENT ON COLUMN sdbc.division_orphan.missing_parent IS 'the parent code that has no row';
