-- sdbc install script, assembled by the Makefile from sql/[0-9]*.sql in order.
\echo Use "CREATE EXTENSION sdbc CASCADE" to load this file. \quit

COMMENT ON SCHEMA sdbc IS
  'sdbc: rules of the "small sub-district, big community" model (小街道大社区) — division codes, policy, and the tables and functions that enforce rules R1–R14';
-- sdbc.divcode: the 12-digit statistical division code (统计用区划代码),
-- 8 bytes passed by value.  Kernel: src/divcode_kernel.c; glue: src/divcode.c.

CREATE TYPE sdbc.divcode;

CREATE FUNCTION sdbc.divcode_in(cstring) RETURNS sdbc.divcode
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sdbc.divcode_out(sdbc.divcode) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sdbc.divcode_recv(internal) RETURNS sdbc.divcode
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sdbc.divcode_send(sdbc.divcode) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE sdbc.divcode (
  INPUT = sdbc.divcode_in,
  OUTPUT = sdbc.divcode_out,
  RECEIVE = sdbc.divcode_recv,
  SEND = sdbc.divcode_send,
  INTERNALLENGTH = 8,
  PASSEDBYVALUE,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE sdbc.divcode IS
  'Statistical division code 统计用区划代码: province(2) prefecture(2) county(2) township(3) village(3). Input: 2, 4, 6, 9 or 12 digits; output: always 12 digits';

COMMENT ON FUNCTION sdbc.divcode_in(cstring) IS 'divcode text input: 2, 4, 6, 9 or 12 digits';
COMMENT ON FUNCTION sdbc.divcode_out(sdbc.divcode) IS 'divcode text output: the canonical 12-digit form';
COMMENT ON FUNCTION sdbc.divcode_recv(internal) IS 'divcode binary input: the 12-digit value as int8, checked';
COMMENT ON FUNCTION sdbc.divcode_send(sdbc.divcode) IS 'divcode binary output: the 12-digit value as int8';

-- Comparison: the code is its 12-digit integer, compared and hashed as an
-- int8 (src/int8_compare.c); a division and its subtree are one range.
CREATE FUNCTION sdbc.divcode_eq(sdbc.divcode, sdbc.divcode) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_eq';
CREATE FUNCTION sdbc.divcode_ne(sdbc.divcode, sdbc.divcode) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_ne';
CREATE FUNCTION sdbc.divcode_lt(sdbc.divcode, sdbc.divcode) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_lt';
CREATE FUNCTION sdbc.divcode_le(sdbc.divcode, sdbc.divcode) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_le';
CREATE FUNCTION sdbc.divcode_gt(sdbc.divcode, sdbc.divcode) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_gt';
CREATE FUNCTION sdbc.divcode_ge(sdbc.divcode, sdbc.divcode) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_ge';
CREATE FUNCTION sdbc.divcode_cmp(sdbc.divcode, sdbc.divcode) RETURNS integer
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_cmp';
CREATE FUNCTION sdbc.divcode_sortsupport(internal) RETURNS void
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'sdbc_int8_sortsupport';
CREATE FUNCTION sdbc.divcode_hash(sdbc.divcode) RETURNS integer
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_hash';
CREATE FUNCTION sdbc.divcode_hash_extended(sdbc.divcode, bigint) RETURNS bigint
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_hash_extended';

COMMENT ON FUNCTION sdbc.divcode_eq(sdbc.divcode, sdbc.divcode) IS 'divcode equality (=)';
COMMENT ON FUNCTION sdbc.divcode_ne(sdbc.divcode, sdbc.divcode) IS 'divcode inequality (<>)';
COMMENT ON FUNCTION sdbc.divcode_lt(sdbc.divcode, sdbc.divcode) IS 'divcode less than (<), in code order';
COMMENT ON FUNCTION sdbc.divcode_le(sdbc.divcode, sdbc.divcode) IS 'divcode less or equal (<=), in code order';
COMMENT ON FUNCTION sdbc.divcode_gt(sdbc.divcode, sdbc.divcode) IS 'divcode greater than (>), in code order';
COMMENT ON FUNCTION sdbc.divcode_ge(sdbc.divcode, sdbc.divcode) IS 'divcode greater or equal (>=), in code order';
COMMENT ON FUNCTION sdbc.divcode_cmp(sdbc.divcode, sdbc.divcode) IS 'divcode btree comparison: -1, 0 or 1';
COMMENT ON FUNCTION sdbc.divcode_sortsupport(internal) IS 'divcode btree sort support';
COMMENT ON FUNCTION sdbc.divcode_hash(sdbc.divcode) IS 'divcode hash, for hash indexes and hash joins';
COMMENT ON FUNCTION sdbc.divcode_hash_extended(sdbc.divcode, bigint) IS 'divcode 64-bit seeded hash, for hash partitioning';

CREATE OPERATOR sdbc.= (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_eq, COMMUTATOR = OPERATOR(sdbc.=), NEGATOR = OPERATOR(sdbc.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR sdbc.<> (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_ne, COMMUTATOR = OPERATOR(sdbc.<>), NEGATOR = OPERATOR(sdbc.=),
  RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR sdbc.< (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_lt, COMMUTATOR = OPERATOR(sdbc.>), NEGATOR = OPERATOR(sdbc.>=),
  RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR sdbc.<= (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_le, COMMUTATOR = OPERATOR(sdbc.>=), NEGATOR = OPERATOR(sdbc.>),
  RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR sdbc.> (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_gt, COMMUTATOR = OPERATOR(sdbc.<), NEGATOR = OPERATOR(sdbc.<=),
  RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR sdbc.>= (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_ge, COMMUTATOR = OPERATOR(sdbc.<=), NEGATOR = OPERATOR(sdbc.<),
  RESTRICT = scalargesel, JOIN = scalargejoinsel);

COMMENT ON OPERATOR sdbc.= (sdbc.divcode, sdbc.divcode) IS 'equal division codes, in code order';
COMMENT ON OPERATOR sdbc.<> (sdbc.divcode, sdbc.divcode) IS 'not equal';
COMMENT ON OPERATOR sdbc.< (sdbc.divcode, sdbc.divcode) IS 'less than';
COMMENT ON OPERATOR sdbc.<= (sdbc.divcode, sdbc.divcode) IS 'less than or equal';
COMMENT ON OPERATOR sdbc.> (sdbc.divcode, sdbc.divcode) IS 'greater than';
COMMENT ON OPERATOR sdbc.>= (sdbc.divcode, sdbc.divcode) IS 'greater than or equal';

CREATE OPERATOR CLASS sdbc.divcode_btree_ops
  DEFAULT FOR TYPE sdbc.divcode USING btree AS
    OPERATOR 1 sdbc.<,
    OPERATOR 2 sdbc.<=,
    OPERATOR 3 sdbc.=,
    OPERATOR 4 sdbc.>=,
    OPERATOR 5 sdbc.>,
    FUNCTION 1 sdbc.divcode_cmp(sdbc.divcode, sdbc.divcode),
    FUNCTION 2 sdbc.divcode_sortsupport(internal);
COMMENT ON OPERATOR CLASS sdbc.divcode_btree_ops USING btree IS
  'btree ordering of division codes; also answers code <@ x by a range scan';

CREATE OPERATOR CLASS sdbc.divcode_hash_ops
  DEFAULT FOR TYPE sdbc.divcode USING hash AS
    OPERATOR 1 sdbc.=,
    FUNCTION 1 sdbc.divcode_hash(sdbc.divcode),
    FUNCTION 2 sdbc.divcode_hash_extended(sdbc.divcode, bigint);
COMMENT ON OPERATOR CLASS sdbc.divcode_hash_ops USING hash IS 'hashing of division codes';

-- Navigation: level, parent, ancestor, kind.
CREATE FUNCTION sdbc.divcode_level(code sdbc.divcode) RETURNS integer
  AS 'MODULE_PATHNAME', 'divcode_level_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_level(sdbc.divcode) IS
  'Level of a division: 1 province 省, 2 prefecture 地, 3 county 县, 4 township 乡镇/街道, 5 village 村/社区';

CREATE FUNCTION sdbc.divcode_parent(code sdbc.divcode) RETURNS sdbc.divcode
  AS 'MODULE_PATHNAME', 'divcode_parent_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_parent(sdbc.divcode) IS
  'The division directly above (NULL for a province); a township of a countyless prefecture (东莞, 中山, 儋州) has the prefecture as parent';

CREATE FUNCTION sdbc.divcode_ancestor(code sdbc.divcode, level integer) RETURNS sdbc.divcode
  AS 'MODULE_PATHNAME', 'divcode_ancestor_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_ancestor(sdbc.divcode, integer) IS
  'The ancestor-or-self at a level 1–5; NULL when the code is above that level or has no unit there';

CREATE FUNCTION sdbc.divcode_kind(code sdbc.divcode) RETURNS text
  AS 'MODULE_PATHNAME', 'divcode_kind_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_kind(sdbc.divcode) IS
  'Kind of unit from the code''s level and segment ranges: province, prefecture, county, street, town, township, township_like, residents_committee, villagers_committee, village_like (labels in sdbc.division_kind)';

CREATE FUNCTION sdbc.divcode_short(code sdbc.divcode) RETURNS text
  AS 'MODULE_PATHNAME', 'divcode_short_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_short(sdbc.divcode) IS
  'Shortest form naming the same division (2, 4, 6, 9 or 12 digits), e.g. 652901 for Aksu city; it reads back to the same code';

CREATE FUNCTION sdbc.divcode_subtree_last(code sdbc.divcode) RETURNS sdbc.divcode
  AS 'MODULE_PATHNAME', 'divcode_subtree_last_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_subtree_last(sdbc.divcode) IS
  'Highest code of the subtree: code <@ x  ⇔  code BETWEEN x AND divcode_subtree_last(x)';

-- Hierarchy operators, with planner support so that a btree index answers <@.
CREATE FUNCTION sdbc.divcode_support(internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_support(internal) IS
  'Planner support: rewrites a descendant test on an indexed divcode into a btree range';

CREATE FUNCTION sdbc.divcode_contsel(internal, oid, internal, integer) RETURNS float8
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode_contsel(internal, oid, internal, integer) IS
  'Selectivity of @> and <@ from the column''s histogram';

CREATE FUNCTION sdbc.divcode_contains(sdbc.divcode, sdbc.divcode) RETURNS boolean
  AS 'MODULE_PATHNAME', 'divcode_contains_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
  LEAKPROOF SUPPORT sdbc.divcode_support;
COMMENT ON FUNCTION sdbc.divcode_contains(sdbc.divcode, sdbc.divcode) IS
  'True when the first code is the second or one of its ancestors (@>)';

CREATE FUNCTION sdbc.divcode_contained_by(sdbc.divcode, sdbc.divcode) RETURNS boolean
  AS 'MODULE_PATHNAME', 'divcode_contained_by_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
  LEAKPROOF SUPPORT sdbc.divcode_support;
COMMENT ON FUNCTION sdbc.divcode_contained_by(sdbc.divcode, sdbc.divcode) IS
  'True when the first code is the second or one of its descendants (<@)';

CREATE OPERATOR sdbc.@> (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_contains, COMMUTATOR = OPERATOR(sdbc.<@),
  RESTRICT = sdbc.divcode_contsel, JOIN = contjoinsel);
CREATE OPERATOR sdbc.<@ (LEFTARG = sdbc.divcode, RIGHTARG = sdbc.divcode,
  FUNCTION = sdbc.divcode_contained_by, COMMUTATOR = OPERATOR(sdbc.@>),
  RESTRICT = sdbc.divcode_contsel, JOIN = contjoinsel);
COMMENT ON OPERATOR sdbc.@> (sdbc.divcode, sdbc.divcode) IS 'is ancestor-or-self of';
COMMENT ON OPERATOR sdbc.<@ (sdbc.divcode, sdbc.divcode) IS 'is descendant-or-self of (a btree index answers it by a range scan)';

-- Casts: the integer form is the 12-digit number; text is the I/O form.
CREATE FUNCTION sdbc.divcode(bigint) RETURNS sdbc.divcode
  AS 'MODULE_PATHNAME', 'divcode_from_bigint' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.divcode(bigint) IS 'Cast bigint → divcode: the value must be a valid 12-digit code';
CREATE CAST (bigint AS sdbc.divcode) WITH FUNCTION sdbc.divcode(bigint);
CREATE CAST (sdbc.divcode AS bigint) WITHOUT FUNCTION;
CREATE CAST (text AS sdbc.divcode) WITH INOUT;
CREATE CAST (sdbc.divcode AS text) WITH INOUT;
COMMENT ON CAST (bigint AS sdbc.divcode) IS 'a 12-digit integer to a division code, checked';
COMMENT ON CAST (sdbc.divcode AS bigint) IS 'a division code as its 12-digit integer';
COMMENT ON CAST (text AS sdbc.divcode) IS 'text (2, 4, 6, 9 or 12 digits) to a division code';
COMMENT ON CAST (sdbc.divcode AS text) IS 'a division code as its 12-digit text';
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
-- Policy as data (R14.1): every number of the paper is a default here,
-- effective-dated and overridable per county, street or community.

CREATE TABLE sdbc.policy_key (
  key            text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  rule_id        text NOT NULL CHECK (rule_id ~ '^R[0-9]+(\.[0-9]+)?$'),
  unit           text NOT NULL CHECK (unit IN ('households', 'yuan', 'share', 'persons', 'weight', 'days', 'count', 'm2')),
  min_value      numeric,
  max_value      numeric,
  description_en text NOT NULL,
  description_zh text NOT NULL,
  builtin        boolean NOT NULL DEFAULT false,
  CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
);
COMMENT ON TABLE sdbc.policy_key IS
  'Catalogue of policy keys 政策参数: what each means, its unit, the rule it sets and the values it allows (R14.1)';
COMMENT ON COLUMN sdbc.policy_key.key IS 'dotted key, e.g. grid.households.max';
COMMENT ON COLUMN sdbc.policy_key.rule_id IS 'rule of docs/rule-map.md that the value parameterises, e.g. R7.1';
COMMENT ON COLUMN sdbc.policy_key.unit IS 'households, yuan, share (0–1), persons, weight (0–1), days, count or m2 (square metres)';
COMMENT ON COLUMN sdbc.policy_key.min_value IS 'smallest value a policy row may set (inclusive); NULL for none';
COMMENT ON COLUMN sdbc.policy_key.max_value IS 'largest value a policy row may set (inclusive); NULL for none';
COMMENT ON COLUMN sdbc.policy_key.description_en IS 'meaning, in English';
COMMENT ON COLUMN sdbc.policy_key.description_zh IS 'meaning, in Chinese 说明';
COMMENT ON COLUMN sdbc.policy_key.builtin IS 'shipped by the extension (not dumped; cannot be changed)';

CREATE TABLE sdbc.policy (
  policy_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key        text NOT NULL REFERENCES sdbc.policy_key (key),
  division   sdbc.divcode REFERENCES sdbc.division (code),
  valid_from date NOT NULL,
  value      numeric NOT NULL,
  builtin    boolean NOT NULL DEFAULT false,
  note       text,
  UNIQUE NULLS NOT DISTINCT (key, division, valid_from)
);
COMMENT ON TABLE sdbc.policy IS
  'Policy values 政策: a key''s value for a division and everything below it, from a date on (R14.1). The value in force is the one of the nearest ancestor-or-self with the latest valid_from on or before the date; division NULL is the default for everywhere';
COMMENT ON COLUMN sdbc.policy.policy_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.policy.key IS 'policy key (sdbc.policy_key)';
COMMENT ON COLUMN sdbc.policy.division IS 'division the value applies to, with all below it 适用区划; NULL = everywhere (default)';
COMMENT ON COLUMN sdbc.policy.valid_from IS 'first day the value holds 生效日期';
COMMENT ON COLUMN sdbc.policy.value IS 'the value 取值, in the key''s unit';
COMMENT ON COLUMN sdbc.policy.builtin IS 'shipped by the extension from the paper (not dumped; cannot be changed — override it instead)';
COMMENT ON COLUMN sdbc.policy.note IS 'why the value was set (document number, decision)';

CREATE INDEX policy_division_idx ON sdbc.policy (division);

-- Built-in rows are recreated by CREATE EXTENSION: dump only the user's.
SELECT pg_catalog.pg_extension_config_dump('sdbc.policy_key', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('sdbc.policy', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('sdbc.policy_policy_id_seq', '');

-- The paper's numbers (../shared/domain.md), as defaults for everywhere.
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('grid.households.min', 'R7.1', 'households', 1, NULL,
   'fewest households a grid should hold', '网格户数下限', true),
  ('grid.households.max', 'R7.1', 'households', 1, NULL,
   'most households a grid should hold', '网格户数上限', true),
  ('expense.small_limit', 'R3.2', 'yuan', 0, NULL,
   'a single community expense up to and including this amount is signed by two handlers and re-reviewed by the street finance office (R3.2); above it the street party working committee approves (R3.3)',
   '社区单笔支出限额:限额以内(含)经办人签字、街道财务复审;以上报街道党工委审批', true),
  ('street.staff_sent_down.min_share', 'R2.1', 'share', 0, 1,
   'least share of a street''s staff sent down to its communities', '街道人员下沉社区最低比例', true),
  ('street.funds_passed_on.min_share', 'R3.1', 'share', 0, 1,
   'least share of a street''s operating funds passed on to its communities', '街道经费下沉社区最低比例', true),
  ('street.leadership.max', 'R2.2', 'persons', 1, NULL,
   'largest street leadership', '街道领导职数上限', true),
  ('community.national_staff.min', 'R2.4', 'persons', 0, NULL,
   'fewest national public servants in a general community', '一般社区国家公职人员下限', true),
  ('community.national_staff.min_key', 'R2.4', 'persons', 0, NULL,
   'fewest national public servants in a key or complex community', '重点复杂社区国家公职人员下限', true),
  ('community.working_funds.min_yearly', 'R3.5', 'yuan', 0, NULL,
   'least working funds a community receives a year', '社区每年工作经费下限', true),
  ('community.service_funds.min_yearly', 'R3.5', 'yuan', 0, NULL,
   'least special funds for serving residents a community receives a year', '社区每年服务群众专项经费下限', true),
  ('street_grade.community_weight', 'R5.2', 'weight', 0, 1,
   'weight of the average of the communities'' year-end scores in a street''s grade', '街道年终考核中社区平均得分权重', true),
  ('street_grade.street_weight', 'R5.2', 'weight', 0, 1,
   'weight of the street''s own score in its year-end grade', '街道年终考核中街道自身得分权重', true);

INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('grid.households.min',              NULL, '2014-01-01', 200,    true, 'paper: a grid of 200–300 households (R7.1)'),
  ('grid.households.max',              NULL, '2014-01-01', 300,    true, 'paper: a grid of 200–300 households (R7.1)'),
  ('expense.small_limit',              NULL, '2014-01-01', 5000,   true, 'paper: 5000元以内 / 5000元以上 (R3.2, R3.3)'),
  ('street.staff_sent_down.min_share', NULL, '2014-01-01', 0.70,   true, 'paper: 70% of street staff sent down (R2.1)'),
  ('street.funds_passed_on.min_share', NULL, '2014-01-01', 0.70,   true, 'paper: 70% of street funds passed on (R3.1)'),
  ('street.leadership.max',            NULL, '2014-01-01', 5,      true, 'paper: leadership from 10 down to 5 (R2.2)'),
  ('community.national_staff.min',     NULL, '2014-01-01', 10,     true, 'paper: at least 10 in a general community (R2.4)'),
  ('community.national_staff.min_key', NULL, '2014-01-01', 15,     true, 'paper: at least 15 in a key or complex community (R2.4)'),
  ('community.working_funds.min_yearly', NULL, '2016-01-01', 120000, true, 'paper: from 2016, at least 120,000 yuan a year (R3.5)'),
  ('community.service_funds.min_yearly', NULL, '2016-01-01', 200000, true, 'paper: from 2016, at least 200,000 yuan a year (R3.5)'),
  ('street_grade.community_weight',    NULL, '2014-01-01', 0.90,   true, 'paper: 90% the communities'' average (R5.2)'),
  ('street_grade.street_weight',       NULL, '2014-01-01', 0.10,   true, 'paper: 10% the street''s own score (R5.2)');

-- Lookup through the per-backend cache (src/policy_cache.c).
CREATE FUNCTION sdbc.policy_value(key text, division sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
  RETURNS numeric
  AS 'MODULE_PATHNAME', 'policy_value_sql' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.policy_value(text, sdbc.divcode, date) IS
  'Value of a policy key in force for a division on a date (R14.1): nearest ancestor-or-self, then the latest valid_from on or before the date; division NULL reads the default for everywhere. Errors SD104 for an unknown key, SD103 when nothing is in force';

CREATE FUNCTION sdbc.policy_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'policy_guard' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.policy_guard() IS
  'Trigger on sdbc.policy and sdbc.policy_key: built-in rows are read-only and the tables cannot be truncated (SD101), values stay within the key''s bounds (SD102)';

CREATE FUNCTION sdbc.policy_cache_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'policy_cache_invalidate' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.policy_cache_invalidate() IS
  'Statement trigger: tells every backend to reload its policy cache after the change commits';

CREATE TRIGGER policy_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.policy
  FOR EACH ROW EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_key_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.policy_key
  FOR EACH ROW EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_no_truncate BEFORE TRUNCATE ON sdbc.policy
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_key_no_truncate BEFORE TRUNCATE ON sdbc.policy_key
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_cache_invalidate();
CREATE TRIGGER policy_key_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy_key
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_cache_invalidate();

CREATE VIEW sdbc.policy_described AS
  SELECT k.key, k.rule_id, k.unit, p.division, p.valid_from, p.value, p.builtin, p.note,
         k.description_en, k.description_zh
    FROM sdbc.policy p JOIN sdbc.policy_key k USING (key);
COMMENT ON VIEW sdbc.policy_described IS 'Every policy row with its key''s rule, unit and descriptions';
COMMENT ON COLUMN sdbc.policy_described.key IS 'policy key';
COMMENT ON COLUMN sdbc.policy_described.rule_id IS 'rule the value sets';
COMMENT ON COLUMN sdbc.policy_described.unit IS 'unit of the value';
COMMENT ON COLUMN sdbc.policy_described.division IS 'division it applies to; NULL = everywhere';
COMMENT ON COLUMN sdbc.policy_described.valid_from IS 'first day it holds';
COMMENT ON COLUMN sdbc.policy_described.value IS 'the value';
COMMENT ON COLUMN sdbc.policy_described.builtin IS 'shipped by the extension';
COMMENT ON COLUMN sdbc.policy_described.note IS 'why it was set';
COMMENT ON COLUMN sdbc.policy_described.description_en IS 'meaning, English';
COMMENT ON COLUMN sdbc.policy_described.description_zh IS 'meaning, Chinese 说明';
-- sdbc.idcard: the citizen identity number 公民身份号码 (GB 11643), 8 bytes by
-- value (the 17-digit body; the check character is derived).
-- Kernel: src/idcard_kernel.c; glue: src/idcard.c.

CREATE TYPE sdbc.idcard;

-- STABLE, not IMMUTABLE: a birth date after today is rejected.  A number
-- valid today stays valid, so dumps always restore.
CREATE FUNCTION sdbc.idcard_in(cstring) RETURNS sdbc.idcard
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sdbc.idcard_out(sdbc.idcard) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sdbc.idcard_recv(internal) RETURNS sdbc.idcard
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sdbc.idcard_send(sdbc.idcard) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE sdbc.idcard (
  INPUT = sdbc.idcard_in,
  OUTPUT = sdbc.idcard_out,
  RECEIVE = sdbc.idcard_recv,
  SEND = sdbc.idcard_send,
  INTERNALLENGTH = 8,
  PASSEDBYVALUE,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE sdbc.idcard IS
  'Citizen identity number 公民身份号码 (GB 11643): 6-digit address code, birth date, sequence (odd = male), ISO 7064 MOD 11-2 check. Input: 18 characters (x or X) or the old 15 digits; output: 18 characters';
COMMENT ON FUNCTION sdbc.idcard_in(cstring) IS 'idcard text input: checks length, digits, address province, birth date (real, not in the future) and check character';
COMMENT ON FUNCTION sdbc.idcard_out(sdbc.idcard) IS 'idcard text output: 18 characters, upper-case X';
COMMENT ON FUNCTION sdbc.idcard_recv(internal) IS 'idcard binary input: the 17-digit body as int8, checked';
COMMENT ON FUNCTION sdbc.idcard_send(sdbc.idcard) IS 'idcard binary output: the 17-digit body as int8';

CREATE FUNCTION sdbc.idcard_eq(sdbc.idcard, sdbc.idcard) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_eq';
CREATE FUNCTION sdbc.idcard_ne(sdbc.idcard, sdbc.idcard) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_ne';
CREATE FUNCTION sdbc.idcard_lt(sdbc.idcard, sdbc.idcard) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_lt';
CREATE FUNCTION sdbc.idcard_le(sdbc.idcard, sdbc.idcard) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_le';
CREATE FUNCTION sdbc.idcard_gt(sdbc.idcard, sdbc.idcard) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_gt';
CREATE FUNCTION sdbc.idcard_ge(sdbc.idcard, sdbc.idcard) RETURNS boolean
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_ge';
CREATE FUNCTION sdbc.idcard_cmp(sdbc.idcard, sdbc.idcard) RETURNS integer
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_cmp';
CREATE FUNCTION sdbc.idcard_sortsupport(internal) RETURNS void
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'sdbc_int8_sortsupport';
CREATE FUNCTION sdbc.idcard_hash(sdbc.idcard) RETURNS integer
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_hash';
CREATE FUNCTION sdbc.idcard_hash_extended(sdbc.idcard, bigint) RETURNS bigint
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'MODULE_PATHNAME', 'sdbc_int8_hash_extended';
COMMENT ON FUNCTION sdbc.idcard_eq(sdbc.idcard, sdbc.idcard) IS 'idcard equality (=)';
COMMENT ON FUNCTION sdbc.idcard_ne(sdbc.idcard, sdbc.idcard) IS 'idcard inequality (<>)';
COMMENT ON FUNCTION sdbc.idcard_lt(sdbc.idcard, sdbc.idcard) IS 'idcard less than (<)';
COMMENT ON FUNCTION sdbc.idcard_le(sdbc.idcard, sdbc.idcard) IS 'idcard less or equal (<=)';
COMMENT ON FUNCTION sdbc.idcard_gt(sdbc.idcard, sdbc.idcard) IS 'idcard greater than (>)';
COMMENT ON FUNCTION sdbc.idcard_ge(sdbc.idcard, sdbc.idcard) IS 'idcard greater or equal (>=)';
COMMENT ON FUNCTION sdbc.idcard_cmp(sdbc.idcard, sdbc.idcard) IS 'idcard btree comparison';
COMMENT ON FUNCTION sdbc.idcard_sortsupport(internal) IS 'idcard btree sort support';
COMMENT ON FUNCTION sdbc.idcard_hash(sdbc.idcard) IS 'idcard hash';
COMMENT ON FUNCTION sdbc.idcard_hash_extended(sdbc.idcard, bigint) IS 'idcard 64-bit seeded hash';

CREATE OPERATOR sdbc.= (LEFTARG = sdbc.idcard, RIGHTARG = sdbc.idcard,
  FUNCTION = sdbc.idcard_eq, COMMUTATOR = OPERATOR(sdbc.=), NEGATOR = OPERATOR(sdbc.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR sdbc.<> (LEFTARG = sdbc.idcard, RIGHTARG = sdbc.idcard,
  FUNCTION = sdbc.idcard_ne, COMMUTATOR = OPERATOR(sdbc.<>), NEGATOR = OPERATOR(sdbc.=),
  RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR sdbc.< (LEFTARG = sdbc.idcard, RIGHTARG = sdbc.idcard,
  FUNCTION = sdbc.idcard_lt, COMMUTATOR = OPERATOR(sdbc.>), NEGATOR = OPERATOR(sdbc.>=),
  RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR sdbc.<= (LEFTARG = sdbc.idcard, RIGHTARG = sdbc.idcard,
  FUNCTION = sdbc.idcard_le, COMMUTATOR = OPERATOR(sdbc.>=), NEGATOR = OPERATOR(sdbc.>),
  RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR sdbc.> (LEFTARG = sdbc.idcard, RIGHTARG = sdbc.idcard,
  FUNCTION = sdbc.idcard_gt, COMMUTATOR = OPERATOR(sdbc.<), NEGATOR = OPERATOR(sdbc.<=),
  RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR sdbc.>= (LEFTARG = sdbc.idcard, RIGHTARG = sdbc.idcard,
  FUNCTION = sdbc.idcard_ge, COMMUTATOR = OPERATOR(sdbc.<=), NEGATOR = OPERATOR(sdbc.<),
  RESTRICT = scalargesel, JOIN = scalargejoinsel);

COMMENT ON OPERATOR sdbc.= (sdbc.idcard, sdbc.idcard) IS 'equal identity numbers';
COMMENT ON OPERATOR sdbc.<> (sdbc.idcard, sdbc.idcard) IS 'not equal';
COMMENT ON OPERATOR sdbc.< (sdbc.idcard, sdbc.idcard) IS 'less than';
COMMENT ON OPERATOR sdbc.<= (sdbc.idcard, sdbc.idcard) IS 'less than or equal';
COMMENT ON OPERATOR sdbc.> (sdbc.idcard, sdbc.idcard) IS 'greater than';
COMMENT ON OPERATOR sdbc.>= (sdbc.idcard, sdbc.idcard) IS 'greater than or equal';

CREATE OPERATOR CLASS sdbc.idcard_btree_ops DEFAULT FOR TYPE sdbc.idcard USING btree AS
  OPERATOR 1 sdbc.<, OPERATOR 2 sdbc.<=, OPERATOR 3 sdbc.=, OPERATOR 4 sdbc.>=, OPERATOR 5 sdbc.>,
  FUNCTION 1 sdbc.idcard_cmp(sdbc.idcard, sdbc.idcard),
  FUNCTION 2 sdbc.idcard_sortsupport(internal);
COMMENT ON OPERATOR CLASS sdbc.idcard_btree_ops USING btree IS 'btree ordering of identity numbers';
CREATE OPERATOR CLASS sdbc.idcard_hash_ops DEFAULT FOR TYPE sdbc.idcard USING hash AS
  OPERATOR 1 sdbc.=,
  FUNCTION 1 sdbc.idcard_hash(sdbc.idcard),
  FUNCTION 2 sdbc.idcard_hash_extended(sdbc.idcard, bigint);
COMMENT ON OPERATOR CLASS sdbc.idcard_hash_ops USING hash IS 'hashing of identity numbers';

CREATE CAST (text AS sdbc.idcard) WITH INOUT;
CREATE CAST (sdbc.idcard AS text) WITH INOUT;
COMMENT ON CAST (text AS sdbc.idcard) IS 'text (18 characters or old 15 digits) to an identity number, checked';
COMMENT ON CAST (sdbc.idcard AS text) IS 'an identity number as its 18 characters';

CREATE FUNCTION sdbc.idcard_birth_date(id sdbc.idcard) RETURNS date
  AS 'MODULE_PATHNAME', 'idcard_birth_date_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.idcard_birth_date(sdbc.idcard) IS 'Birth date 出生日期 written in the number';

CREATE FUNCTION sdbc.idcard_sex(id sdbc.idcard) RETURNS text
  AS 'MODULE_PATHNAME', 'idcard_sex_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.idcard_sex(sdbc.idcard) IS 'Sex 性别 from the sequence number: male 男 (odd) or female 女 (even)';

CREATE FUNCTION sdbc.idcard_address_code(id sdbc.idcard) RETURNS sdbc.divcode
  AS 'MODULE_PATHNAME', 'idcard_address_code_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.idcard_address_code(sdbc.idcard) IS
  'Address code 地址码 where the holder was first registered, as a county-level divcode; it may name a county that no longer exists';

CREATE FUNCTION sdbc.idcard_mask(id sdbc.idcard) RETURNS text
  AS 'MODULE_PATHNAME', 'idcard_mask_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.idcard_mask(sdbc.idcard) IS
  'The number for display with the birth date hidden: 110105********002X';

CREATE FUNCTION sdbc.idcard_age(id sdbc.idcard, on_date date DEFAULT CURRENT_DATE) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN extract(year FROM age(on_date, sdbc.idcard_birth_date(id)))::integer;
COMMENT ON FUNCTION sdbc.idcard_age(sdbc.idcard, date) IS 'Age in whole years on a date (default today)';
-- Registry: buildings, households and residents (R7, R12.1).  Every row
-- carries its community's division code (its place).

-- Tables that hang off a community reference its division code and check,
-- from the code alone, that it names a community (residents' committee).

CREATE TABLE sdbc.building (
  building_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community      sdbc.divcode NOT NULL,
  address        text NOT NULL CONSTRAINT building_address_not_blank CHECK (btrim(address) <> ''),
  households     integer NOT NULL CONSTRAINT building_households_not_negative CHECK (households >= 0),
  location       public.geometry(Point, 4490) NOT NULL
                   CONSTRAINT building_location_valid CHECK (NOT public.ST_IsEmpty(location)),
  footprint      public.geometry(MultiPolygon, 4490)
                   CONSTRAINT building_footprint_valid CHECK (footprint IS NULL OR (public.ST_IsValid(footprint) AND NOT public.ST_IsEmpty(footprint))),
  grid_code      bigint,
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.building IS
  'Buildings 楼栋 (residential buildings or compounds): the atomic unit when grids are drawn (R7.1); a PostGIS point layer';
COMMENT ON COLUMN sdbc.building.building_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.building.community IS 'community 社区 the building belongs to';
COMMENT ON COLUMN sdbc.building.address IS 'address 地址';
COMMENT ON COLUMN sdbc.building.households IS 'number of households 户数 the building holds; the weight of the building when grids are drawn';
COMMENT ON COLUMN sdbc.building.location IS 'location 位置, a point in CGCS2000 (SRID 4490)';
COMMENT ON COLUMN sdbc.building.footprint IS 'footprint 轮廓, optional';
COMMENT ON COLUMN sdbc.building.grid_code IS 'grid 网格 whose boundary contains the building; set by the database, NULL when none does';
CREATE INDEX building_community_idx ON sdbc.building (community);
CREATE INDEX building_grid_idx ON sdbc.building (grid_code);
CREATE INDEX building_location_idx ON sdbc.building USING gist (location);

CREATE TABLE sdbc.household (
  household_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  building_id   bigint NOT NULL REFERENCES sdbc.building (building_id),
  community     sdbc.divcode NOT NULL,
  unit          text,
  registration  text NOT NULL DEFAULT 'registered'
                  CONSTRAINT household_registration_known CHECK (registration IN ('registered', 'floating')),
  rental        boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE sdbc.household IS
  'Households 户: each in a building, and so in the grid of its building (R7.4; sdbc.household_placed), or in none when no grid contains it';
COMMENT ON COLUMN sdbc.household.household_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.household.building_id IS 'building 楼栋 the household lives in';
COMMENT ON COLUMN sdbc.household.community IS 'community 社区, copied from the building by the database';
COMMENT ON COLUMN sdbc.household.unit IS 'door or unit number 门牌';
COMMENT ON COLUMN sdbc.household.registration IS 'registered 户籍 or floating 流动 (R12.1)';
COMMENT ON COLUMN sdbc.household.rental IS 'rental housing 出租房屋 (R12.1)';
CREATE INDEX household_building_idx ON sdbc.household (building_id);
CREATE INDEX household_community_idx ON sdbc.household (community);

CREATE TABLE sdbc.resident (
  resident_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id    bigint NOT NULL REFERENCES sdbc.household (household_id),
  id_number       sdbc.idcard UNIQUE,
  name            text NOT NULL CONSTRAINT resident_name_not_blank CHECK (btrim(name) <> ''),
  floating        boolean NOT NULL DEFAULT false,
  key_population  boolean NOT NULL DEFAULT false,
  key_reason      text,
  CONSTRAINT resident_key_reason CHECK (key_population = (key_reason IS NOT NULL AND btrim(key_reason) <> ''))
);
COMMENT ON TABLE sdbc.resident IS 'Residents 居民 of a household; personal data (name, identity number)';
COMMENT ON COLUMN sdbc.resident.resident_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.resident.household_id IS 'household 户';
COMMENT ON COLUMN sdbc.resident.id_number IS 'citizen identity number 公民身份号码 (personal data)';
COMMENT ON COLUMN sdbc.resident.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.resident.floating IS 'floating population 流动人口 (R12.1)';
COMMENT ON COLUMN sdbc.resident.key_population IS 'key population 重点人口 (R12.1); needs a reason';
COMMENT ON COLUMN sdbc.resident.key_reason IS 'why the resident is key population; required exactly when key_population';
CREATE INDEX resident_household_idx ON sdbc.resident (household_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.building', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.household', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.resident', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.building_building_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_household_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.resident_resident_id_seq', '');

-- Identity numbers from their parts, for data entry and generators.
CREATE FUNCTION sdbc.idcard_make(address sdbc.divcode, birth_date date, sequence integer)
  RETURNS sdbc.idcard
  AS 'MODULE_PATHNAME', 'idcard_make_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.idcard_make(sdbc.divcode, date, integer) IS
  'The identity number with this county-level address code, birth date and sequence (0–999, odd for men), its check character computed';
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
COMMENT ON COLUMN sdbc.grid.name IS 'name 名称, optional';
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
-- Grid rules kept by the database (R7.1, R7.4): grids inside their community
-- and not overlapping; households placed in the grid of their building.

-- Area in square metres of a geometry in SRID 4490 (longitude/latitude).
CREATE FUNCTION sdbc.area_m2(g public.geometry) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE WHEN public.ST_IsEmpty(g) THEN 0
              ELSE public.ST_Area(g)
                   -- metres per degree of latitude and of longitude at the geometry's latitude (WGS 84 / CGCS2000)
                   * (111132.92 - 559.82 * cos(2 * radians(public.ST_Y(public.ST_PointOnSurface(g))))
                      + 1.175 * cos(4 * radians(public.ST_Y(public.ST_PointOnSurface(g)))))
                   * (111412.84 * cos(radians(public.ST_Y(public.ST_PointOnSurface(g))))
                      - 93.5 * cos(3 * radians(public.ST_Y(public.ST_PointOnSurface(g))))) END;
COMMENT ON FUNCTION sdbc.area_m2(public.geometry) IS
  'Area in square metres of a CGCS2000 (SRID 4490) geometry: planar degrees scaled by the metres per degree at its latitude; within 0.1 % of the ellipsoidal area at community scale, and zero for the hair-thin slivers that overlays leave (where ellipsoidal area is not)';

-- The live grid of a community that contains a point (lowest code on a shared edge).
CREATE FUNCTION sdbc.grid_at(community sdbc.divcode, location public.geometry) RETURNS bigint
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT g.grid_code FROM sdbc.grid g
   WHERE g.community OPERATOR(sdbc.=) grid_at.community AND g.valid_to IS NULL
     AND public.ST_Intersects(g.boundary, grid_at.location)
   ORDER BY g.grid_code LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.grid_at(sdbc.divcode, public.geometry) IS
  'Code of the live grid of the community whose boundary contains the point; NULL when none does (R7.4)';

-- One row per community whose grids were ever written: writing its grids
-- updates the row, which serialises writers of one community.
CREATE TABLE sdbc.grid_write_lock (
  community  sdbc.divcode PRIMARY KEY,
  writes     bigint NOT NULL
);
COMMENT ON TABLE sdbc.grid_write_lock IS
  'Internal: one row per community, updated by every write to its grids, so that concurrent writers queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ, SERIALIZABLE) instead of both passing the overlap check';
COMMENT ON COLUMN sdbc.grid_write_lock.community IS 'community';
COMMENT ON COLUMN sdbc.grid_write_lock.writes IS 'grid rows written so far';

-- BEFORE INSERT/UPDATE on grid: one writer per community; the community has a boundary.
CREATE FUNCTION sdbc.grid_lock() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public AS $$
BEGIN
  -- a row lock, not an advisory one: at REPEATABLE READ a write that began
  -- before another's commit must fail (40001) rather than miss its grid
  INSERT INTO sdbc.grid_write_lock AS l (community, writes) VALUES (NEW.community, 1)
  ON CONFLICT (community) DO UPDATE SET writes = l.writes + 1;
  IF NOT EXISTS (SELECT 1 FROM sdbc.division d
                  WHERE d.code OPERATOR(sdbc.=) NEW.community AND d.boundary IS NOT NULL) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD203',
      MESSAGE = format('community %s has no boundary', NEW.community),
      DETAIL = 'Rule R7.1: a grid lies inside its community''s boundary, so the community must have one.',
      HINT = 'Set sdbc.division.boundary for the community first.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.grid_lock() IS
  'Trigger: serialises writes to one community''s grids (a row lock in sdbc.grid_write_lock) and requires the community''s boundary (SD203)';

-- Constraint trigger on grid: inside the community, no overlap with a live grid.
-- Deferrable, so that sdbc.grid_draw() can reshape several grids and check once.
CREATE FUNCTION sdbc.grid_check() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, public AS $$
DECLARE
  cur record;
  comm_boundary geometry;
  tol double precision;
  outside double precision;
  other record;
BEGIN
  SELECT g.* INTO cur FROM sdbc.grid g WHERE g.grid_code = NEW.grid_code;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT d.boundary INTO comm_boundary FROM sdbc.division d WHERE d.code OPERATOR(sdbc.=) cur.community;
  tol := sdbc.policy_value('grid.geometry.tolerance_m2', cur.community, cur.valid_from);
  IF comm_boundary IS NOT NULL AND NOT ST_CoveredBy(cur.boundary, comm_boundary) THEN
    outside := sdbc.area_m2(ST_Difference(cur.boundary, comm_boundary));
    IF outside > tol THEN
      RAISE EXCEPTION USING ERRCODE = 'SD201',
        MESSAGE = format('grid %s extends %s m² outside community %s', cur.grid_code, round(outside::numeric, 1), cur.community),
        DETAIL = 'Rule R7.1: a grid is a part of one community and lies inside its boundary.',
        HINT = 'Clip the boundary to the community, e.g. ST_Intersection(boundary, community boundary).';
    END IF;
  END IF;
  IF cur.valid_to IS NULL THEN
    FOR other IN
      SELECT g.grid_code, sdbc.area_m2(ST_Intersection(g.boundary, cur.boundary)) AS shared
        FROM sdbc.grid g
       WHERE g.community OPERATOR(sdbc.=) cur.community AND g.valid_to IS NULL
         AND g.grid_code <> cur.grid_code AND g.boundary && cur.boundary
         AND ST_Relate(g.boundary, cur.boundary, '2********')
    LOOP
      IF other.shared > tol THEN
        RAISE EXCEPTION USING ERRCODE = 'SD202',
          MESSAGE = format('grid %s overlaps live grid %s by %s m²', cur.grid_code, other.grid_code, round(other.shared::numeric, 1)),
          DETAIL = 'Rule R7.1: the live grids of a community do not overlap; every household belongs to one grid.',
          HINT = 'Retire or redraw the other grid first (set its valid_to), or use sdbc.grid_draw().';
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.grid_check() IS
  'Constraint trigger: a grid lies inside its community (SD201) and does not overlap a live grid of it (SD202) — R7.1';

-- BEFORE DELETE on grid: codes are retired, never freed.
CREATE FUNCTION sdbc.grid_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD204',
    MESSAGE = format('grid %s cannot be deleted', OLD.grid_code),
    DETAIL = 'Rule R7.1 (GB/T 30428.1 grid codes): a retired grid code is never reused, so the grid row stays.',
    HINT = 'Retire it instead: UPDATE sdbc.grid SET valid_to = current_date WHERE grid_code = …';
END $$;
COMMENT ON FUNCTION sdbc.grid_no_delete() IS 'Trigger: grids are retired (valid_to), never deleted, so their codes are never reused (SD204)';

-- AFTER statement on grid: re-place the buildings (and so households) of the communities touched.
CREATE FUNCTION sdbc.grid_replace_buildings() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, public AS $$
BEGIN
  UPDATE sdbc.building b
     SET grid_code = sdbc.grid_at(b.community, b.location)
   WHERE b.community IN (SELECT community FROM changed_grids)
     AND b.grid_code IS DISTINCT FROM sdbc.grid_at(b.community, b.location);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.grid_replace_buildings() IS
  'Statement trigger: after grids change, every building of the communities concerned is placed again, and its households with it (R7.4)';

CREATE TRIGGER grid_lock BEFORE INSERT OR UPDATE ON sdbc.grid
  FOR EACH ROW EXECUTE FUNCTION sdbc.grid_lock();
CREATE CONSTRAINT TRIGGER grid_check AFTER INSERT OR UPDATE OF boundary, valid_to, community ON sdbc.grid
  DEFERRABLE INITIALLY IMMEDIATE
  FOR EACH ROW EXECUTE FUNCTION sdbc.grid_check();
CREATE TRIGGER grid_no_delete BEFORE DELETE ON sdbc.grid
  FOR EACH ROW EXECUTE FUNCTION sdbc.grid_no_delete();
CREATE TRIGGER grid_inserted AFTER INSERT ON sdbc.grid
  REFERENCING NEW TABLE AS changed_grids FOR EACH STATEMENT EXECUTE FUNCTION sdbc.grid_replace_buildings();
CREATE TRIGGER grid_updated AFTER UPDATE ON sdbc.grid
  REFERENCING NEW TABLE AS changed_grids FOR EACH STATEMENT EXECUTE FUNCTION sdbc.grid_replace_buildings();

-- BEFORE INSERT/UPDATE OF location, community on building: find its grid.
CREATE FUNCTION sdbc.building_place() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public AS $$
BEGIN
  NEW.grid_code := sdbc.grid_at(NEW.community, NEW.location);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.building_place() IS 'Trigger: a building is placed in the live grid of its community that contains it, or in none (R7.4)';

-- AFTER UPDATE statement on building: households follow a building that
-- changes community (their grid is the building's, so a move of grid needs
-- no write to the households).
CREATE FUNCTION sdbc.building_move_households() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, public AS $$
BEGIN
  UPDATE sdbc.household h
     SET community = moved.community
    FROM (SELECT n.building_id, n.community
            FROM new_buildings n JOIN old_buildings o USING (building_id)
           WHERE n.community OPERATOR(sdbc.<>) o.community) moved
   WHERE h.building_id = moved.building_id;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.building_move_households() IS
  'Statement trigger: when a building moves to another community its households follow, in the same transaction (R7.4)';

CREATE TRIGGER building_place BEFORE INSERT OR UPDATE OF location, community ON sdbc.building
  FOR EACH ROW EXECUTE FUNCTION sdbc.building_place();
CREATE TRIGGER building_moved AFTER UPDATE ON sdbc.building
  REFERENCING OLD TABLE AS old_buildings NEW TABLE AS new_buildings
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.building_move_households();

-- BEFORE INSERT/UPDATE OF building_id on household: the community of the building.
CREATE FUNCTION sdbc.household_place() RETURNS trigger
  AS 'MODULE_PATHNAME', 'household_place' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.household_place() IS
  'Trigger (C): a household takes the community of its building (its grid is the building''s, R7.4); an unknown building is an error (23503)';
CREATE TRIGGER household_place BEFORE INSERT ON sdbc.household
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_place();
-- A client's update is checked; the engine's own cascade (building_moved,
-- at trigger depth 1 or more) already writes the building's values.
CREATE TRIGGER household_place_on_update BEFORE UPDATE OF building_id, community ON sdbc.household
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION sdbc.household_place();

-- Reports (reported, not blocked: people move in and out).
CREATE VIEW sdbc.grid_size AS
  SELECT g.grid_code, g.community, g.class,
         coalesce(s.households, 0)::integer AS households,
         sdbc.policy_value('grid.households.min', g.community) AS min_households,
         sdbc.policy_value('grid.households.max', g.community) AS max_households,
         CASE WHEN coalesce(s.households, 0) < sdbc.policy_value('grid.households.min', g.community) THEN 'below'
              WHEN coalesce(s.households, 0) > sdbc.policy_value('grid.households.max', g.community) THEN 'above'
              ELSE 'within' END AS bounds
    FROM sdbc.grid g
    LEFT JOIN (SELECT b.grid_code, count(*) AS households
                 FROM sdbc.household h JOIN sdbc.building b USING (building_id)
                GROUP BY b.grid_code) s USING (grid_code)
   WHERE g.valid_to IS NULL;
COMMENT ON VIEW sdbc.grid_size IS 'Live grids with their households against the policy bounds (R7.1: 200–300 by default)';
COMMENT ON COLUMN sdbc.grid_size.grid_code IS 'grid code 网格编码';
COMMENT ON COLUMN sdbc.grid_size.community IS 'community 社区';
COMMENT ON COLUMN sdbc.grid_size.class IS 'class 类型 (R7.2)';
COMMENT ON COLUMN sdbc.grid_size.households IS 'households 户数 placed in the grid';
COMMENT ON COLUMN sdbc.grid_size.min_households IS 'policy grid.households.min in force today';
COMMENT ON COLUMN sdbc.grid_size.max_households IS 'policy grid.households.max in force today';
COMMENT ON COLUMN sdbc.grid_size.bounds IS 'below, within or above the bounds';

CREATE VIEW sdbc.grid_out_of_bounds AS
  SELECT * FROM sdbc.grid_size WHERE bounds <> 'within';
COMMENT ON VIEW sdbc.grid_out_of_bounds IS 'Live grids holding fewer or more households than policy allows (R7.1), reported not blocked';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.grid_code IS 'grid code 网格编码';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.community IS 'community 社区';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.class IS 'class 类型';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.households IS 'households 户数';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.min_households IS 'policy minimum';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.max_households IS 'policy maximum';
COMMENT ON COLUMN sdbc.grid_out_of_bounds.bounds IS 'below or above';

CREATE VIEW sdbc.household_placed AS
  SELECT h.household_id, h.community, h.building_id, b.grid_code
    FROM sdbc.household h JOIN sdbc.building b USING (building_id);
COMMENT ON VIEW sdbc.household_placed IS 'Every household with the grid it belongs to: the live grid containing its building (R7.4), NULL when none does';
COMMENT ON COLUMN sdbc.household_placed.household_id IS 'household 户';
COMMENT ON COLUMN sdbc.household_placed.community IS 'community 社区';
COMMENT ON COLUMN sdbc.household_placed.building_id IS 'building 楼栋';
COMMENT ON COLUMN sdbc.household_placed.grid_code IS 'grid 网格 (the building''s)';

CREATE VIEW sdbc.household_outside_grid AS
  SELECT h.household_id, h.community, h.building_id, b.address
    FROM sdbc.household h JOIN sdbc.building b USING (building_id)
   WHERE b.grid_code IS NULL;
COMMENT ON VIEW sdbc.household_outside_grid IS 'Households whose building lies in no live grid: stored, never lost, and reported here (R7.4)';
COMMENT ON COLUMN sdbc.household_outside_grid.household_id IS 'household';
COMMENT ON COLUMN sdbc.household_outside_grid.community IS 'community 社区';
COMMENT ON COLUMN sdbc.household_outside_grid.building_id IS 'building 楼栋';
COMMENT ON COLUMN sdbc.household_outside_grid.address IS 'address of the building 地址';

CREATE VIEW sdbc.community_coverage_gap AS
  SELECT d.code AS community, d.name,
         public.ST_Difference(d.boundary, coalesce(public.ST_Union(g.boundary),
                              public.ST_GeomFromText('POLYGON EMPTY', 4490))) AS gap,
         sdbc.area_m2(public.ST_Difference(d.boundary, coalesce(public.ST_Union(g.boundary),
                              public.ST_GeomFromText('POLYGON EMPTY', 4490)))) AS gap_m2
    FROM sdbc.division d
    LEFT JOIN sdbc.grid g ON g.community OPERATOR(sdbc.=) d.code AND g.valid_to IS NULL
   WHERE d.kind = 'residents_committee' AND d.boundary IS NOT NULL
   GROUP BY d.code, d.name, d.boundary
  HAVING sdbc.area_m2(public.ST_Difference(d.boundary, coalesce(public.ST_Union(g.boundary),
                              public.ST_GeomFromText('POLYGON EMPTY', 4490))))
         > sdbc.policy_value('grid.geometry.tolerance_m2', d.code);
COMMENT ON VIEW sdbc.community_coverage_gap IS 'Parts of a community''s area in no live grid (R7.1: grids tile the community), larger than the policy tolerance';
COMMENT ON COLUMN sdbc.community_coverage_gap.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_coverage_gap.name IS 'name 名称';
COMMENT ON COLUMN sdbc.community_coverage_gap.gap IS 'the uncovered area, a geometry';
COMMENT ON COLUMN sdbc.community_coverage_gap.gap_m2 IS 'its area in square metres';
-- Drawing grids automatically (R7.1) and classing them (R7.2).

CREATE FUNCTION sdbc.grid_partition(x double precision[], y double precision[], households integer[],
                                    edges integer[], min_households integer, max_households integer,
                                    OUT grid integer[], OUT grids integer, OUT in_bounds integer,
                                    OUT pieces integer, OUT reasons text[])
  AS 'MODULE_PATHNAME', 'grid_partition_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer) IS
  'Kernel (C) of grid drawing: sites with coordinates and households, pairs of 1-based sites whose cells share an edge, and the bounds → the grid (1-based) of every site, contiguous, within bounds where possible, with the reasons where not (R7.1)';

CREATE FUNCTION sdbc.grid_class_for(community sdbc.divcode, households bigint, residents bigint,
                                    key_population bigint, floating_population bigint,
                                    rental_households bigint, incidents bigint,
                                    on_date date DEFAULT CURRENT_DATE)
  RETURNS text
  AS 'MODULE_PATHNAME', 'grid_class_for_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.grid_class_for(sdbc.divcode, bigint, bigint, bigint, bigint, bigint, bigint, date) IS
  'Class of a grid (R7.2) from its indicators, with the thresholds of policy grid.class.* in force for the community on the date';

-- Draw (or redraw) the grids of one community.
CREATE FUNCTION sdbc.grid_draw(community sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
  RETURNS sdbc.grid_draw_report
  LANGUAGE plpgsql
  -- JIT would compile the geometry queries afresh for every community (0.5 s each)
  SET jit = off
  SET search_path = sdbc, pg_catalog, public AS $$
DECLARE
  comm geometry;
  kind text;
  minh integer;
  maxh integer;
  nsites integer;
  edges integer[];
  part record;
  rep sdbc.grid_draw_report;
  r record;
  next_seq integer;
  band double precision;
  coslat double precision;
BEGIN
  SELECT d.boundary, d.kind INTO comm, kind FROM sdbc.division d WHERE d.code OPERATOR(sdbc.=) grid_draw.community;
  IF kind IS DISTINCT FROM 'residents_committee' THEN
    RAISE EXCEPTION USING ERRCODE = 'SD205',
      MESSAGE = format('%s is not a community', grid_draw.community),
      DETAIL = 'Rule R7.1: grids are drawn inside a community (a residents'' committee division).',
      HINT = 'Give the code of a community, or use sdbc.grid_draw_all() for every community under a division.';
  END IF;
  -- the same row lock that the grid triggers take: one writer per community
  INSERT INTO sdbc.grid_write_lock AS l (community, writes) VALUES (grid_draw.community, 0)
  ON CONFLICT ON CONSTRAINT grid_write_lock_pkey DO UPDATE SET writes = l.writes;
  rep := ROW(grid_draw.community, clock_timestamp(), 0, 0, 0, 0, 0, 0, '{}'::text[]);
  rep.buildings := (SELECT count(*) FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community);
  rep.households := (SELECT coalesce(sum(b.households), 0) FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community);
  IF comm IS NULL THEN
    rep.reasons := '{no_boundary}';
    INSERT INTO sdbc.grid_draw_report SELECT rep.*;
    RETURN rep;
  END IF;
  minh := sdbc.policy_value('grid.households.min', grid_draw.community, on_date);
  maxh := sdbc.policy_value('grid.households.max', grid_draw.community, on_date);
  coslat := cos(radians(ST_Y(ST_Centroid(comm))));

  -- Sites: buildings at one location are one atomic site; each gets its
  -- Voronoi cell (found through a GiST index, not a nested loop).
  IF to_regclass('pg_temp.sdbc_draw_loc') IS NOT NULL THEN
    DROP TABLE pg_temp.sdbc_draw_loc;
  END IF;
  IF to_regclass('pg_temp.sdbc_draw_voronoi') IS NOT NULL THEN
    DROP TABLE pg_temp.sdbc_draw_voronoi;
  END IF;
  CREATE TEMP TABLE sdbc_draw_loc ON COMMIT DROP AS
  SELECT b.location, sum(b.households)::integer AS households
    FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) grid_draw.community
   GROUP BY b.location;
  CREATE TEMP TABLE sdbc_draw_voronoi ON COMMIT DROP AS
  SELECT v.geom AS cell
    FROM (SELECT ST_Collect(location) AS pts, count(*) AS n FROM sdbc_draw_loc) c,
         LATERAL ST_Dump(CASE WHEN c.n > 1 THEN ST_VoronoiPolygons(c.pts, 0, comm) ELSE comm END) v;
  CREATE INDEX ON sdbc_draw_voronoi USING gist (cell);
  ANALYZE sdbc_draw_voronoi;
  CREATE TEMP TABLE sdbc_draw_cell ON COMMIT DROP AS
  WITH owned AS (
    SELECT l.location, l.households, c.cell
      FROM sdbc_draw_loc l JOIN sdbc_draw_voronoi c ON c.cell && l.location AND ST_Intersects(c.cell, l.location)
  ), parts AS (
    -- a cell clipped to a concave community may fall into pieces: every
    -- piece is a site; pieces without the building weigh nothing
    SELECT o.location, o.households, p.geom AS cell
      FROM owned o, LATERAL ST_Dump(ST_Intersection(o.cell, comm)) p
     WHERE ST_Dimension(p.geom) = 2
  )
  SELECT row_number() OVER (ORDER BY ST_X(location), ST_Y(location), ST_X(ST_PointOnSurface(cell)), ST_Y(ST_PointOnSurface(cell)))::integer AS site,
         cell,
         CASE WHEN ST_Intersects(cell, location) THEN households ELSE 0 END AS households,
         CASE WHEN ST_Intersects(cell, location) THEN location ELSE ST_PointOnSurface(cell) END AS pt
    FROM (SELECT DISTINCT ON (location, cell) * FROM parts) p;
  DROP TABLE sdbc_draw_loc, sdbc_draw_voronoi;
  SELECT count(*), coalesce(sum(households), 0) INTO nsites, rep.households FROM sdbc_draw_cell;
  IF nsites = 0 THEN
    rep.reasons := '{no_buildings}';
    INSERT INTO sdbc.grid_draw_report SELECT rep.*;
    RETURN rep;
  END IF;
  CREATE INDEX ON sdbc_draw_cell USING gist (cell);

  -- Pairs of sites whose cells share an edge.
  SELECT coalesce(array_agg(e ORDER BY a, b, o), '{}') INTO edges
    FROM (SELECT a.site AS a, b.site AS b
            FROM sdbc_draw_cell a JOIN sdbc_draw_cell b
              ON a.site < b.site AND a.cell && b.cell AND ST_Relate(a.cell, b.cell, '****1****')) p,
         LATERAL unnest(ARRAY[p.a, p.b]) WITH ORDINALITY u(e, o);

  SELECT * INTO part FROM sdbc.grid_partition(
      (SELECT array_agg(ST_X(pt) * coslat ORDER BY site) FROM sdbc_draw_cell),
      (SELECT array_agg(ST_Y(pt) ORDER BY site) FROM sdbc_draw_cell),
      (SELECT array_agg(households ORDER BY site) FROM sdbc_draw_cell),
      edges, minh, maxh);

  -- The new grids: the union of their sites' cells.
  CREATE TEMP TABLE sdbc_draw_grid ON COMMIT DROP AS
  -- (clipped once more to the community: the union's noding may move an
  -- edge by a hair outside it)
  SELECT u.g AS grp,
         ST_CollectionExtract(ST_Intersection(ST_UnaryUnion(ST_Collect(c.cell)), comm), 3) AS shape,
         sum(c.households)::integer AS households,
         NULL::bigint AS grid_code
    FROM sdbc_draw_cell c JOIN unnest(part.grid) WITH ORDINALITY u(g, site) ON u.site = c.site
   GROUP BY u.g;
  rep.grids := part.grids;
  rep.in_bounds := part.in_bounds;
  rep.reasons := part.reasons;
  rep.pieces := (SELECT count(*) FROM sdbc_draw_grid WHERE ST_NumGeometries(shape) > 1);

  -- Keep the code of an old grid that a new one mostly (> 50 %) overlaps.
  FOR r IN
    SELECT n.grp, o.grid_code,
           ST_Area(ST_Intersection(n.shape, o.boundary)) / nullif(ST_Area(n.shape), 0) AS share
      FROM sdbc_draw_grid n JOIN sdbc.grid o
        ON o.community OPERATOR(sdbc.=) grid_draw.community AND o.valid_to IS NULL AND o.boundary && n.shape
     ORDER BY share DESC, n.grp, o.grid_code
  LOOP
    EXIT WHEN r.share <= 0.5;
    UPDATE sdbc_draw_grid SET grid_code = r.grid_code
     WHERE grp = r.grp AND grid_code IS NULL
       AND NOT EXISTS (SELECT 1 FROM sdbc_draw_grid k WHERE k.grid_code = r.grid_code);
  END LOOP;
  rep.codes_kept := (SELECT count(*) FROM sdbc_draw_grid WHERE grid_code IS NOT NULL);

  -- New codes: after the highest ever used (retired codes are never reused),
  -- numbered north to south in rows of about one grid's height, west to east in a row.
  next_seq := coalesce((SELECT max(g.grid_code % 1000) FROM sdbc.grid g
                         WHERE g.community OPERATOR(sdbc.=) grid_draw.community), 0)::integer;
  band := sqrt(ST_Area(comm) / greatest(part.grids, 1));
  FOR r IN
    SELECT grp FROM sdbc_draw_grid WHERE grid_code IS NULL
     ORDER BY floor((ST_YMax(comm) - ST_Y(ST_Centroid(shape))) / nullif(band, 0)), ST_X(ST_Centroid(shape)), grp
  LOOP
    next_seq := next_seq + 1;
    IF next_seq > 999 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD206',
        MESSAGE = format('community %s has used all 999 grid codes', grid_draw.community),
        DETAIL = 'Rule R7.1 (GB/T 30428.1): a grid code is the community code and a 3-digit sequence, and retired codes are never reused.',
        HINT = 'Redraw with larger grids (policy grid.households.min/max) so that more codes are kept.';
    END IF;
    UPDATE sdbc_draw_grid SET grid_code = grid_draw.community::bigint * 1000 + next_seq WHERE grp = r.grp;
  END LOOP;

  -- Write: retire, reshape, add; check inside/overlap once at the end.
  SET CONSTRAINTS sdbc.grid_check DEFERRED;
  UPDATE sdbc.grid g SET valid_to = on_date
   WHERE g.community OPERATOR(sdbc.=) grid_draw.community AND g.valid_to IS NULL
     AND g.grid_code NOT IN (SELECT grid_code FROM sdbc_draw_grid);
  UPDATE sdbc.grid g
     SET boundary = (SELECT d.geom FROM ST_Dump(n.shape) d ORDER BY ST_Area(d.geom) DESC LIMIT 1)
    FROM sdbc_draw_grid n WHERE g.grid_code = n.grid_code;
  INSERT INTO sdbc.grid (grid_code, community, boundary, valid_from)
  SELECT n.grid_code, grid_draw.community,
         (SELECT d.geom FROM ST_Dump(n.shape) d ORDER BY ST_Area(d.geom) DESC LIMIT 1), on_date
    FROM sdbc_draw_grid n
   WHERE NOT EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.grid_code = n.grid_code)
   ORDER BY n.grid_code;
  SET CONSTRAINTS sdbc.grid_check IMMEDIATE;

  INSERT INTO sdbc.grid_draw_report SELECT rep.*;
  DROP TABLE sdbc_draw_cell, sdbc_draw_grid;
  RETURN rep;
END $$;
COMMENT ON FUNCTION sdbc.grid_draw(sdbc.divcode, date) IS
  'Draw or redraw the grids of a community (R7.1): buildings weighted by households, grids within grid.households.min/max where possible, contiguous, tiling the community exactly (Voronoi cells of the buildings clipped to it); codes of old grids kept where a new grid mostly overlaps one; households re-placed in the same transaction. Returns (and logs in sdbc.grid_draw_report) what came out and why bounds were not met';

CREATE FUNCTION sdbc.grid_draw_all(under sdbc.divcode, on_date date DEFAULT CURRENT_DATE)
  RETURNS SETOF sdbc.grid_draw_report
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, public AS $$
DECLARE
  c sdbc.divcode;
BEGIN
  FOR c IN
    SELECT d.code FROM sdbc.division d
     WHERE d.code OPERATOR(sdbc.<@) under AND d.kind = 'residents_committee'
       AND (EXISTS (SELECT 1 FROM sdbc.building b WHERE b.community OPERATOR(sdbc.=) d.code)
            OR EXISTS (SELECT 1 FROM sdbc.grid g WHERE g.community OPERATOR(sdbc.=) d.code AND g.valid_to IS NULL))
     ORDER BY d.code
  LOOP
    RETURN NEXT sdbc.grid_draw(c, on_date);
  END LOOP;
  -- the planner's picture of the new grids and placements
  ANALYZE sdbc.grid;
  ANALYZE sdbc.building;
  ANALYZE sdbc.household;
END $$;
COMMENT ON FUNCTION sdbc.grid_draw_all(sdbc.divcode, date) IS
  'Draw the grids of every community under a division that has buildings or grids; one report row per community';

-- Indicators of R7.2 per live grid, on a date.
CREATE FUNCTION sdbc.grid_indicators(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (grid_code bigint, community sdbc.divcode, class text, households bigint, residents bigint,
                 key_population bigint, floating_population bigint, rental_households bigint, incidents bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT g.grid_code, g.community, g.class,
         coalesce(h.households, 0), coalesce(r.residents, 0), coalesce(r.key_population, 0),
         coalesce(r.floating_population, 0), coalesce(h.rental_households, 0), coalesce(i.incidents, 0)
    FROM sdbc.grid g
    LEFT JOIN (SELECT b.grid_code, count(*) AS households, count(*) FILTER (WHERE hh.rental) AS rental_households
                 FROM sdbc.household hh JOIN sdbc.building b USING (building_id) GROUP BY b.grid_code) h
           ON h.grid_code = g.grid_code
    LEFT JOIN (SELECT b.grid_code, count(*) AS residents,
                      count(*) FILTER (WHERE re.key_population) AS key_population,
                      count(*) FILTER (WHERE re.floating) AS floating_population
                 FROM sdbc.resident re JOIN sdbc.household hh ON hh.household_id = re.household_id
                 JOIN sdbc.building b ON b.building_id = hh.building_id
                GROUP BY b.grid_code) r ON r.grid_code = g.grid_code
    LEFT JOIN (SELECT gi.grid_code, count(*) AS incidents FROM sdbc.grid_incident gi
                WHERE gi.reported_on > on_date - 365 AND gi.reported_on <= on_date
                GROUP BY gi.grid_code) i ON i.grid_code = g.grid_code
   WHERE g.valid_to IS NULL;
END;
COMMENT ON FUNCTION sdbc.grid_indicators(date) IS
  'Per live grid: households, residents, key population 重点人口, floating population 流动人口, rental households 出租房屋, incidents in the 365 days up to the date (R7.2, R12.1)';

-- Reclass the live grids under a division (all when NULL); changes are logged.
CREATE FUNCTION sdbc.grid_reclassify(under sdbc.divcode DEFAULT NULL, on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (grid_code bigint, from_class text, to_class text)
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, public AS $$
BEGIN
  RETURN QUERY
  WITH ind AS (
    SELECT i.*, sdbc.grid_class_for(i.community, i.households, i.residents, i.key_population,
                                    i.floating_population, i.rental_households, i.incidents, on_date) AS new_class
      FROM sdbc.grid_indicators(on_date) i
     WHERE under IS NULL OR i.community OPERATOR(sdbc.<@) under
  ), changed AS (
    UPDATE sdbc.grid g SET class = ind.new_class
      FROM ind
     WHERE g.grid_code = ind.grid_code AND g.class <> ind.new_class
    RETURNING g.grid_code, ind.class AS from_class, ind.new_class AS to_class,
              jsonb_build_object('households', ind.households, 'residents', ind.residents,
                                 'key_population', ind.key_population,
                                 'floating_population', ind.floating_population,
                                 'rental_households', ind.rental_households,
                                 'incidents', ind.incidents, 'on_date', on_date) AS indicators
  ), logged AS (
    INSERT INTO sdbc.grid_class_history (grid_code, from_class, to_class, indicators)
    SELECT c.grid_code, c.from_class, c.to_class, c.indicators FROM changed c
    RETURNING sdbc.grid_class_history.grid_code, sdbc.grid_class_history.from_class, sdbc.grid_class_history.to_class
  )
  SELECT l.grid_code, l.from_class, l.to_class FROM logged l ORDER BY l.grid_code;
END $$;
COMMENT ON FUNCTION sdbc.grid_reclassify(sdbc.divcode, date) IS
  'Class every live grid under a division (R7.2) from its indicators; each change is written to sdbc.grid_class_history and returned';

CREATE FUNCTION sdbc.history_is_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD207',
    MESSAGE = format('%s is insert-only', TG_TABLE_NAME),
    DETAIL = 'Decisions and reclassifications are facts: history is kept, never rewritten (R7.2).',
    HINT = 'Record a new row instead.';
END $$;
COMMENT ON FUNCTION sdbc.history_is_insert_only() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on history tables (SD207)';
CREATE TRIGGER grid_class_history_insert_only BEFORE UPDATE OR DELETE ON sdbc.grid_class_history
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only();
CREATE TRIGGER grid_class_history_no_truncate BEFORE TRUNCATE ON sdbc.grid_class_history
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only();
-- People in offices, as far as the approval engine needs them (R3, R7.3);
-- the staff capability (R2, R6, R12) builds on these tables.

CREATE TABLE sdbc.staff (
  staff_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CONSTRAINT staff_name_not_blank CHECK (btrim(name) <> ''),
  id_number    sdbc.idcard UNIQUE,
  division     sdbc.divcode NOT NULL REFERENCES sdbc.division (code)
);
COMMENT ON TABLE sdbc.staff IS 'Staff 工作人员 of streets and communities (personal data: name, identity number)';
COMMENT ON COLUMN sdbc.staff.staff_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.staff.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.staff.id_number IS 'identity number 公民身份号码 (personal data)';
COMMENT ON COLUMN sdbc.staff.division IS 'division where the person serves 工作单位';

CREATE TABLE sdbc.office (
  office   text PRIMARY KEY,
  level    integer NOT NULL CHECK (level BETWEEN 1 AND 5),
  name_zh  text NOT NULL,
  name_en  text NOT NULL,
  builtin  boolean NOT NULL DEFAULT false,
  UNIQUE (office, level)
);
COMMENT ON TABLE sdbc.office IS 'Offices that act on cases, each at one level of the division tree (4 street, 5 community, 3 county)';
COMMENT ON COLUMN sdbc.office.office IS 'identifier';
COMMENT ON COLUMN sdbc.office.level IS 'division level the office sits at';
COMMENT ON COLUMN sdbc.office.name_zh IS 'Chinese name 中文名称';
COMMENT ON COLUMN sdbc.office.name_en IS 'English name';
COMMENT ON COLUMN sdbc.office.builtin IS 'shipped by the extension (not dumped); a county adds its own departments';
INSERT INTO sdbc.office (office, level, name_zh, name_en, builtin) VALUES
  ('community_handler',      5, '社区经办人',     'community handler', true),
  ('community_finance_lead', 5, '社区财务负责人', 'community finance lead', true),
  ('street_finance_office',  4, '街道财务办',     'street finance office', true),
  ('street_party_committee', 4, '街道党工委',     'street party working committee', true),
  ('county_department',      3, '县直部门',       'county department', true);
SELECT pg_catalog.pg_extension_config_dump('sdbc.office', 'WHERE NOT builtin');

CREATE TABLE sdbc.office_member (
  staff_id    bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  office      text NOT NULL,
  division    sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  level       integer NOT NULL GENERATED ALWAYS AS (sdbc.divcode_level(division)) STORED,
  valid_from  date NOT NULL DEFAULT CURRENT_DATE,
  valid_to    date,
  PRIMARY KEY (staff_id, office, division, valid_from),
  FOREIGN KEY (office, level) REFERENCES sdbc.office (office, level),
  CONSTRAINT office_member_period CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE sdbc.office_member IS 'Who belongs to an office for a division, and when; the division''s level must be the office''s';
COMMENT ON COLUMN sdbc.office_member.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.office_member.office IS 'office';
COMMENT ON COLUMN sdbc.office_member.division IS 'division the office serves (a community, a street, a county)';
COMMENT ON COLUMN sdbc.office_member.level IS 'level of the division (generated), checked against the office''s level';
COMMENT ON COLUMN sdbc.office_member.valid_from IS 'first day of membership';
COMMENT ON COLUMN sdbc.office_member.valid_to IS 'first day no longer a member; NULL while a member';
CREATE INDEX office_member_office_idx ON sdbc.office_member (office, division);

CREATE TABLE sdbc.post (
  post_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  office     text NOT NULL REFERENCES sdbc.office (office),
  division   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  principal  bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  backup     bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  CONSTRAINT post_a_b_differ CHECK (principal <> backup)
);
COMMENT ON TABLE sdbc.post IS 'A/B posts AB岗 (R7.3): every post has a principal (A) and a named backup (B), two different people; B acts for A while A is absent';
COMMENT ON COLUMN sdbc.post.post_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.post.office IS 'office of the post';
COMMENT ON COLUMN sdbc.post.division IS 'division of the post';
COMMENT ON COLUMN sdbc.post.principal IS 'A: the principal';
COMMENT ON COLUMN sdbc.post.backup IS 'B: the named backup';

CREATE TABLE sdbc.absence (
  absence_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id    bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  during      daterange NOT NULL CONSTRAINT absence_not_empty CHECK (NOT isempty(during)),
  reason      text NOT NULL CONSTRAINT absence_reason_known CHECK (reason IN ('leave', 'training', 'sickness', 'other'))
);
COMMENT ON TABLE sdbc.absence IS 'Absences 请假/培训/病假 of staff, as date ranges; while the principal of a post is absent its backup acts (R7.3)';
COMMENT ON COLUMN sdbc.absence.absence_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.absence.staff_id IS 'who is absent';
COMMENT ON COLUMN sdbc.absence.during IS 'the days absent (date range)';
COMMENT ON COLUMN sdbc.absence.reason IS 'leave, training, sickness or other';
CREATE INDEX absence_staff_idx ON sdbc.absence (staff_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.staff', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_staff_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.office_member', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.post', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.post_post_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.absence', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.absence_absence_id_seq', '');

-- Working days (deadlines): weekends off, listed days override.
CREATE TABLE sdbc.calendar_day (
  day       date PRIMARY KEY,
  working   boolean NOT NULL,
  name      text NOT NULL
);
COMMENT ON TABLE sdbc.calendar_day IS
  'Exceptions to Monday–Friday working weeks: public holidays (working = false) and make-up working weekend days 调休 (working = true), as the State Council publishes them each year';
COMMENT ON COLUMN sdbc.calendar_day.day IS 'the day';
COMMENT ON COLUMN sdbc.calendar_day.working IS 'true for a working weekend day, false for a holiday';
COMMENT ON COLUMN sdbc.calendar_day.name IS 'name, e.g. 国庆节';
SELECT pg_catalog.pg_extension_config_dump('sdbc.calendar_day', '');

CREATE FUNCTION sdbc.is_working_day(d date) RETURNS boolean
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN coalesce((SELECT c.working FROM sdbc.calendar_day c WHERE c.day = d),
                  extract(isodow FROM d) < 6);
COMMENT ON FUNCTION sdbc.is_working_day(date) IS 'True on Monday–Friday unless listed as a holiday, and on listed make-up weekend days';

CREATE FUNCTION sdbc.add_working_days(d date, n integer) RETURNS date
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT x.day FROM (
    SELECT day::date AS day, row_number() OVER (ORDER BY day) AS k
      FROM generate_series(d + 1, d + 7 * greatest(n, 0) + 60, interval '1 day') AS g(day)
     WHERE sdbc.is_working_day(day::date)) x
   WHERE x.k = greatest(n, 0)
  UNION ALL SELECT d WHERE n <= 0
  LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.add_working_days(date, integer) IS 'The n-th working day after d (d itself for n <= 0): deadlines of n working days';

CREATE FUNCTION sdbc.working_days_between(a date, b date) RETURNS integer
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN (SELECT count(*) FROM generate_series(a + 1, b, interval '1 day') g(day) WHERE sdbc.is_working_day(day::date))::integer;
COMMENT ON FUNCTION sdbc.working_days_between(date, date) IS 'Working days after a up to and including b (0 when b <= a)';
-- The approval engine: routes as data, cases, decisions (R3.2, R3.3, R4.2, R7.3).

CREATE TABLE sdbc.route (
  route_code  text NOT NULL CONSTRAINT route_code_form CHECK (route_code ~ '^[a-z][a-z0-9_]*$'),
  version     integer NOT NULL CHECK (version > 0),
  case_kind   text NOT NULL CONSTRAINT route_case_kind CHECK (case_kind IN ('expense', 'service')),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  builtin     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (route_code, version)
);
COMMENT ON TABLE sdbc.route IS
  'Routes 审批流程: an ordered list of steps (sdbc.route_step); a change is a new version, and a case keeps the version it started with';
COMMENT ON COLUMN sdbc.route.route_code IS 'identifier';
COMMENT ON COLUMN sdbc.route.version IS 'version; the highest is the one new cases take';
COMMENT ON COLUMN sdbc.route.case_kind IS 'expense (R3) or service application (R4.2)';
COMMENT ON COLUMN sdbc.route.name_zh IS 'Chinese name 中文名称';
COMMENT ON COLUMN sdbc.route.name_en IS 'English name';
COMMENT ON COLUMN sdbc.route.created_at IS 'when this version was defined';
COMMENT ON COLUMN sdbc.route.builtin IS 'shipped by the extension (not dumped)';

CREATE TABLE sdbc.route_step (
  route_code       text NOT NULL,
  version          integer NOT NULL,
  step_no          integer NOT NULL CHECK (step_no > 0),
  office           text NOT NULL REFERENCES sdbc.office (office),
  action           text NOT NULL CONSTRAINT route_step_action CHECK (action IN ('sign', 'send', 'review', 'approve', 'submit', 'decide', 'accept', 'investigate', 'notice')),
  quorum           text NOT NULL CONSTRAINT route_step_quorum CHECK (quorum IN ('all', 'any', 'at_least')),
  quorum_n         integer NOT NULL DEFAULT 1 CHECK (quorum_n >= 1),
  blocking         boolean NOT NULL DEFAULT true,
  time_limit_days  integer NOT NULL DEFAULT 5 CHECK (time_limit_days > 0),
  step_kind        text NOT NULL DEFAULT 'act' CONSTRAINT route_step_kind CHECK (step_kind IN ('act', 'notice')),
  notice_days      integer CHECK (notice_days > 0),
  objection_to     integer,
  refusal_reasons_days integer CHECK (refusal_reasons_days > 0),
  name_zh          text NOT NULL,
  name_en          text NOT NULL,
  PRIMARY KEY (route_code, version, step_no),
  CONSTRAINT route_step_notice CHECK ((step_kind = 'notice') = (notice_days IS NOT NULL AND objection_to IS NOT NULL)),
  CONSTRAINT route_step_objection_back CHECK (objection_to IS NULL OR (objection_to >= 1 AND objection_to < step_no)),
  FOREIGN KEY (route_code, version) REFERENCES sdbc.route (route_code, version),
  CONSTRAINT route_step_quorum_n CHECK (quorum = 'at_least' OR quorum_n = 1)
);
COMMENT ON TABLE sdbc.route_step IS
  'Steps of a route, in order: which office acts, how many of it must (all, any, or at least N distinct people), whether the step blocks later ones, and its time limit in working days';
COMMENT ON COLUMN sdbc.route_step.route_code IS 'route';
COMMENT ON COLUMN sdbc.route_step.version IS 'route version';
COMMENT ON COLUMN sdbc.route_step.step_no IS 'position, from 1';
COMMENT ON COLUMN sdbc.route_step.office IS 'office that acts, for the division of the case at the office''s level';
COMMENT ON COLUMN sdbc.route_step.action IS 'what acting means here: sign 签字, send 报送, review 复审/初审, approve 审批, submit 上报, decide 决定, accept 受理, investigate 入户调查, notice 公示';
COMMENT ON COLUMN sdbc.route_step.quorum IS 'all members of the office, any one, or at least quorum_n distinct people';
COMMENT ON COLUMN sdbc.route_step.quorum_n IS 'N of at_least';
COMMENT ON COLUMN sdbc.route_step.blocking IS 'a blocking step must be complete before later steps act; a non-blocking one runs alongside';
COMMENT ON COLUMN sdbc.route_step.time_limit_days IS 'time limit 时限 in working days from the step''s start';
COMMENT ON COLUMN sdbc.route_step.step_kind IS 'act: members of the office act; notice 公示: a public notice that closes only after notice_days, where an objection sends the case back to step objection_to and the notice starts again';
COMMENT ON COLUMN sdbc.route_step.notice_days IS 'for a notice: its length in days (never below policy service.notice.min_days)';
COMMENT ON COLUMN sdbc.route_step.objection_to IS 'for a notice: the earlier step an objection returns the case to';
COMMENT ON COLUMN sdbc.route_step.refusal_reasons_days IS 'when a refusal at this step must be followed by written reasons: within so many working days';
COMMENT ON COLUMN sdbc.route_step.name_zh IS 'Chinese name';
COMMENT ON COLUMN sdbc.route_step.name_en IS 'English name';

-- Which route a case takes: the first rule (by priority) whose test holds.
CREATE TABLE sdbc.route_rule (
  case_kind    text NOT NULL CONSTRAINT route_rule_case_kind CHECK (case_kind IN ('expense', 'service')),
  priority     integer NOT NULL,
  policy_key   text REFERENCES sdbc.policy_key (key),
  comparison   text CONSTRAINT route_rule_comparison CHECK (comparison IN ('<=', '>')),
  route_code   text NOT NULL,
  builtin      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (case_kind, priority),
  CONSTRAINT route_rule_test CHECK ((policy_key IS NULL) = (comparison IS NULL))
);
COMMENT ON TABLE sdbc.route_rule IS
  'Route selection as data: for an expense, "amount <= policy expense.small_limit → expense_small" (R3.2) and "amount > limit → expense_large" (R3.3); the limit is read from policy for the case''s division and date';
COMMENT ON COLUMN sdbc.route_rule.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.route_rule.priority IS 'rules are tried in this order';
COMMENT ON COLUMN sdbc.route_rule.policy_key IS 'policy value the amount is compared with; NULL: always';
COMMENT ON COLUMN sdbc.route_rule.comparison IS '<= or >';
COMMENT ON COLUMN sdbc.route_rule.route_code IS 'route taken when the test holds';
COMMENT ON COLUMN sdbc.route_rule.builtin IS 'shipped by the extension (not dumped)';

INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en, builtin) VALUES
  ('expense_small', 1, 'expense', '5000元以内支出', 'expense up to the limit (R3.2)', true),
  ('expense_large', 1, 'expense', '5000元以上支出', 'expense above the limit (R3.3)', true);
INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, quorum_n, blocking, time_limit_days, name_zh, name_en) VALUES
  ('expense_small', 1, 1, 'community_handler',      'sign',    'at_least', 2, true, 3, '两名以上经办人签字', 'two or more community handlers sign'),
  ('expense_small', 1, 2, 'community_finance_lead', 'send',    'any',      1, true, 2, '社区财务负责人报送', 'community finance lead sends to the street'),
  ('expense_small', 1, 3, 'street_finance_office',  'review',  'any',      1, true, 5, '街道财务办复审',     'street finance office re-reviews'),
  ('expense_large', 1, 1, 'community_finance_lead', 'submit',  'any',      1, true, 2, '社区上报',           'the community reports it'),
  ('expense_large', 1, 2, 'street_party_committee', 'approve', 'any',      1, true, 10, '街道党工委审批',    'street party working committee approves');
INSERT INTO sdbc.route_rule (case_kind, priority, policy_key, comparison, route_code, builtin) VALUES
  ('expense', 10, 'expense.small_limit', '<=', 'expense_small', true),
  ('expense', 20, 'expense.small_limit', '>',  'expense_large', true);

SELECT pg_catalog.pg_extension_config_dump('sdbc.route', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('sdbc.route_step', 'WHERE (route_code, version) NOT IN (SELECT route_code, version FROM sdbc.route WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('sdbc.route_rule', 'WHERE NOT builtin');

CREATE TABLE sdbc.approval_case (
  case_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_kind        text NOT NULL,
  division         sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  route_code       text NOT NULL,
  route_version    integer NOT NULL,
  submitted_by     bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  submitted_at     timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'open' CONSTRAINT approval_case_status CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn')),
  current_step     integer NOT NULL DEFAULT 1,
  round            integer NOT NULL DEFAULT 1,
  step_started_on  date NOT NULL DEFAULT CURRENT_DATE,
  closed_at        timestamptz,
  reasons_due_on   date,
  FOREIGN KEY (route_code, route_version) REFERENCES sdbc.route (route_code, version)
);
COMMENT ON TABLE sdbc.approval_case IS
  'Cases on a route (an expense, a service application): the route version they started with, where they stand, and their status; changed only by decisions';
COMMENT ON COLUMN sdbc.approval_case.case_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.approval_case.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.approval_case.division IS 'division of the case (a community); offices act for its ancestor at their level';
COMMENT ON COLUMN sdbc.approval_case.route_code IS 'route';
COMMENT ON COLUMN sdbc.approval_case.route_version IS 'route version, fixed at submission';
COMMENT ON COLUMN sdbc.approval_case.submitted_by IS 'who submitted it (never approves it: four eyes)';
COMMENT ON COLUMN sdbc.approval_case.submitted_at IS 'when';
COMMENT ON COLUMN sdbc.approval_case.status IS 'open, approved (route complete), rejected or withdrawn';
COMMENT ON COLUMN sdbc.approval_case.current_step IS 'first open blocking step; 0 when sent back to the applicant';
COMMENT ON COLUMN sdbc.approval_case.round IS 'increases at every send-back: earlier votes on a step no longer count';
COMMENT ON COLUMN sdbc.approval_case.step_started_on IS 'day the current step opened (its time limit runs from here)';
COMMENT ON COLUMN sdbc.approval_case.closed_at IS 'when the case was approved, rejected or withdrawn';
COMMENT ON COLUMN sdbc.approval_case.reasons_due_on IS 'after a refusal at a step that requires written reasons: the day they are due; NULL once given';
CREATE INDEX approval_case_open_idx ON sdbc.approval_case (division) WHERE status = 'open';

CREATE TABLE sdbc.decision (
  decision_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES sdbc.approval_case (case_id),
  step_no       integer NOT NULL,
  round         integer NOT NULL DEFAULT 0,
  actor         bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  acting_for    bigint REFERENCES sdbc.staff (staff_id),
  verdict       text NOT NULL CONSTRAINT decision_verdict CHECK (verdict IN ('submit', 'approve', 'reject', 'send_back', 'withdraw', 'object', 'reasons')),
  send_back_to  integer,
  reason        text,
  decided_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  prev_hash     bytea,
  hash          bytea NOT NULL DEFAULT '\x'
);
COMMENT ON TABLE sdbc.decision IS
  'Every submission, approval, refusal, send-back and withdrawal: insert-only, who, when, acting for whom (A/B post, R7.3), verdict and reason, each row chained to the previous one of its case by a SHA-256 hash; the rules of the route are checked by a C trigger whatever the client does';
COMMENT ON COLUMN sdbc.decision.decision_id IS 'surrogate key, in order of decision';
COMMENT ON COLUMN sdbc.decision.case_id IS 'case';
COMMENT ON COLUMN sdbc.decision.step_no IS 'step acted on (0 for submit and withdraw)';
COMMENT ON COLUMN sdbc.decision.round IS 'round of the case at the time (set by the database)';
COMMENT ON COLUMN sdbc.decision.actor IS 'who acted';
COMMENT ON COLUMN sdbc.decision.acting_for IS 'principal of an A/B post the actor stood in for (B acting for A), or NULL';
COMMENT ON COLUMN sdbc.decision.verdict IS 'submit, approve (sign, send, review … as the step says; closing a notice), reject, send_back 驳回, withdraw 撤回, object (an objection during a public notice 公示异议), reasons (written reasons after a refusal)';
COMMENT ON COLUMN sdbc.decision.send_back_to IS 'for send_back: the earlier step to return to, 0 for the applicant';
COMMENT ON COLUMN sdbc.decision.reason IS 'reason; required for reject and send_back';
COMMENT ON COLUMN sdbc.decision.decided_at IS 'when';
COMMENT ON COLUMN sdbc.decision.prev_hash IS 'hash of the previous decision of the case (NULL for the first)';
COMMENT ON COLUMN sdbc.decision.hash IS 'SHA-256 over prev_hash and this row''s fields (set by the database)';
CREATE INDEX decision_case_idx ON sdbc.decision (case_id, decision_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.approval_case', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.approval_case_case_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.decision', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.decision_decision_id_seq', '');

CREATE FUNCTION sdbc.decision_check() RETURNS trigger
  AS 'MODULE_PATHNAME', 'decision_check' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.decision_check() IS
  'Trigger (C) on sdbc.decision: the rules of the route (order of steps, office membership, four eyes, one vote per person, A/B acting, send-back, withdraw, reasons), the hash chain, and the case''s new state';
CREATE TRIGGER decision_check BEFORE INSERT ON sdbc.decision
  FOR EACH ROW EXECUTE FUNCTION sdbc.decision_check();
CREATE TRIGGER decision_insert_only BEFORE UPDATE OR DELETE ON sdbc.decision
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only();
CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON sdbc.decision
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only();

-- The hash of a decision: SHA-256 over the previous hash and the fields, in a fixed text form.
CREATE FUNCTION sdbc.decision_hash(prev_hash bytea, case_id bigint, step_no integer, round integer,
                                   actor bigint, acting_for bigint, verdict text, send_back_to integer,
                                   reason text, decided_at timestamptz)
  RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE   -- STABLE: to_char is, although this pattern is not locale-bound
  RETURN sha256(coalesce(prev_hash, '\x') || convert_to(concat_ws('|', case_id, step_no, round, actor,
                coalesce(acting_for::text, '-'), verdict, coalesce(send_back_to::text, '-'),
                coalesce(reason, '-'), to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8'));
COMMENT ON FUNCTION sdbc.decision_hash(bytea, bigint, integer, integer, bigint, bigint, text, integer, text, timestamptz) IS
  'SHA-256 over the previous hash and a decision''s fields (time in UTC, microseconds): the link of the chain';

-- Verify the chain of one case: the first broken link, or nothing.
CREATE FUNCTION sdbc.verify_chain(case_id bigint)
  RETURNS TABLE (decision_id bigint, problem text)
  LANGUAGE sql STABLE
BEGIN ATOMIC
  WITH d AS (
    SELECT x.*, lag(x.hash) OVER (ORDER BY x.decision_id) AS expected_prev
      FROM sdbc.decision x WHERE x.case_id = verify_chain.case_id
  )
  SELECT d.decision_id,
         CASE WHEN d.prev_hash IS DISTINCT FROM d.expected_prev THEN 'prev_hash does not match the previous decision'
              ELSE 'hash does not match the row' END
    FROM d
   WHERE d.prev_hash IS DISTINCT FROM d.expected_prev
      OR d.hash <> sdbc.decision_hash(d.prev_hash, d.case_id, d.step_no, d.round, d.actor, d.acting_for,
                                      d.verdict, d.send_back_to, d.reason, d.decided_at)
   ORDER BY d.decision_id
   LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.verify_chain(bigint) IS 'Checks the hash chain of a case''s decisions; returns the first broken link and why, or no row when the chain is intact';

-- Cases change only through decisions (and are created by submitting an
-- expense or an application); a superuser may write them (a restore does).
CREATE FUNCTION sdbc.approval_case_guard() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public AS $$
BEGIN
  IF pg_trigger_depth() = 1 AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD316',
      MESSAGE = format('cases are not written directly (%s on sdbc.approval_case)', TG_OP),
      DETAIL = 'Rule R3.2/R4.2: a case starts when an expense or application is submitted and moves only by decisions.',
      HINT = 'Use sdbc.submit_expense(), sdbc.apply() and sdbc.decide().';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION sdbc.approval_case_guard() IS 'Trigger: cases are written only by the engine''s triggers (SD316), or by a superuser (restores)';
CREATE TRIGGER approval_case_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.approval_case
  FOR EACH ROW EXECUTE FUNCTION sdbc.approval_case_guard();
-- Community money (R3): separate accounts, expenses routed by amount,
-- payment only after the route, never overdrawn; budget sinking (R3.1) and
-- minimum funds (R3.5) reported.

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('expense.split_window_days', 'R3.3', 'days', 1, 366,
   'window in which expenses of one community to one payee for one purpose are added up against the limit (split expenses)', '拆分支出合并计算的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('expense.split_window_days', NULL, '2014-01-01', 30, true, 'local default, not in the paper: splitting to stay under R3.3''s limit');

CREATE TABLE sdbc.account (
  account_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community      sdbc.divcode NOT NULL,
  kind           text NOT NULL CONSTRAINT account_kind CHECK (kind IN ('working', 'service', 'earmarked')),
  purpose        text,
  name           text NOT NULL,
  last_paid_at   timestamptz,
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee'),
  CONSTRAINT account_earmark_purpose CHECK ((kind = 'earmarked') = (purpose IS NOT NULL AND btrim(purpose) <> ''))
);
COMMENT ON TABLE sdbc.account IS
  'Separate accounts of a community 分账核算 (R3.4): working funds 工作经费, special funds for serving residents 服务群众专项经费, and earmarked funds 专项资金 that pay only their purpose';
COMMENT ON COLUMN sdbc.account.account_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.account.community IS 'community 社区 owning the account';
COMMENT ON COLUMN sdbc.account.kind IS 'working, service or earmarked';
COMMENT ON COLUMN sdbc.account.purpose IS 'the one purpose an earmarked account pays (专款专用); NULL otherwise';
COMMENT ON COLUMN sdbc.account.name IS 'name 账户名称';
COMMENT ON COLUMN sdbc.account.last_paid_at IS 'when the account last paid an expense (written by every payment, which so locks the account)';

CREATE TABLE sdbc.account_entry (
  entry_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES sdbc.account (account_id),
  kind        text NOT NULL CONSTRAINT account_entry_kind CHECK (kind IN ('credit', 'debit')),
  amount      numeric NOT NULL CONSTRAINT account_entry_positive CHECK (amount > 0)
                CONSTRAINT account_entry_fen CHECK (amount = round(amount, 2)),
  expense_id  bigint,
  source      text,
  entered_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT account_entry_debit_has_expense CHECK ((kind = 'debit') = (expense_id IS NOT NULL))
);
COMMENT ON TABLE sdbc.account_entry IS 'Money in (credits: allocations) and out (debits: paid expenses) of an account; insert-only; the balance is credits minus debits';
COMMENT ON COLUMN sdbc.account_entry.entry_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.account_entry.account_id IS 'account';
COMMENT ON COLUMN sdbc.account_entry.kind IS 'credit or debit';
COMMENT ON COLUMN sdbc.account_entry.amount IS 'amount in yuan, two decimals at most';
COMMENT ON COLUMN sdbc.account_entry.expense_id IS 'the expense a debit pays';
COMMENT ON COLUMN sdbc.account_entry.source IS 'where a credit came from (e.g. street allocation 2024)';
COMMENT ON COLUMN sdbc.account_entry.entered_at IS 'when';
CREATE INDEX account_entry_account_idx ON sdbc.account_entry (account_id, entered_at);

CREATE TABLE sdbc.expense (
  expense_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    bigint NOT NULL REFERENCES sdbc.account (account_id),
  community     sdbc.divcode NOT NULL,
  purpose       text NOT NULL CONSTRAINT expense_purpose_not_blank CHECK (btrim(purpose) <> ''),
  payee         text NOT NULL CONSTRAINT expense_payee_not_blank CHECK (btrim(payee) <> ''),
  amount        numeric NOT NULL CONSTRAINT expense_amount_positive CHECK (amount > 0)
                  CONSTRAINT expense_amount_fen CHECK (amount = round(amount, 2)),
  description   text,
  submitted_by  bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  submitted_on  date NOT NULL DEFAULT CURRENT_DATE,
  case_id       bigint REFERENCES sdbc.approval_case (case_id),
  route_code    text,
  split_flag    boolean NOT NULL DEFAULT false,
  paid_at       timestamptz,
  paid_by       bigint REFERENCES sdbc.staff (staff_id)
);
COMMENT ON TABLE sdbc.expense IS
  'Community operating expenses: routed on submission (R3.2 up to the limit, R3.3 above it), payable only once the route is complete, from their own account (R3.4)';
COMMENT ON COLUMN sdbc.expense.expense_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.expense.account_id IS 'account that pays';
COMMENT ON COLUMN sdbc.expense.community IS 'community (set from the account)';
COMMENT ON COLUMN sdbc.expense.purpose IS 'purpose 用途';
COMMENT ON COLUMN sdbc.expense.payee IS 'payee 收款方';
COMMENT ON COLUMN sdbc.expense.amount IS 'amount in yuan, positive, two decimals at most';
COMMENT ON COLUMN sdbc.expense.description IS 'free text';
COMMENT ON COLUMN sdbc.expense.submitted_by IS 'who submitted it (never approves it)';
COMMENT ON COLUMN sdbc.expense.submitted_on IS 'day submitted';
COMMENT ON COLUMN sdbc.expense.case_id IS 'its approval case (set by the database)';
COMMENT ON COLUMN sdbc.expense.route_code IS 'route chosen (set by the database)';
COMMENT ON COLUMN sdbc.expense.split_flag IS 'with earlier expenses to the same payee for the same purpose in the window it exceeds the limit (set by the database)';
COMMENT ON COLUMN sdbc.expense.paid_at IS 'when paid; NULL while unpaid';
COMMENT ON COLUMN sdbc.expense.paid_by IS 'who paid it';
CREATE INDEX expense_split_idx ON sdbc.expense (community, payee, purpose, submitted_on);
CREATE INDEX expense_case_idx ON sdbc.expense (case_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.account', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.account_account_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.account_entry', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.account_entry_entry_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.expense', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.expense_expense_id_seq', '');

CREATE FUNCTION sdbc.expense_check() RETURNS trigger
  AS 'MODULE_PATHNAME', 'expense_check' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.expense_check() IS
  'Trigger (C) on sdbc.expense: on insert, account and purpose (R3.4), split detection, route choice (R3.2/R3.3) and the case with its submission; on update, payment only after the route and never overdrawing (R3.4); nothing else changes';
CREATE TRIGGER expense_check BEFORE INSERT OR UPDATE OR DELETE ON sdbc.expense
  FOR EACH ROW EXECUTE FUNCTION sdbc.expense_check();

-- Entries are insert-only; the balance is their sum (sdbc.account_balance).
CREATE TRIGGER account_entry_insert_only BEFORE UPDATE OR DELETE ON sdbc.account_entry
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only();

-- Functions an application calls.
CREATE FUNCTION sdbc.submit_expense(account_id bigint, purpose text, payee text, amount numeric,
                                    submitted_by bigint, description text DEFAULT NULL)
  RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO sdbc.expense (account_id, community, purpose, payee, amount, submitted_by, description)
  VALUES (submit_expense.account_id,
          (SELECT a.community FROM sdbc.account a WHERE a.account_id = submit_expense.account_id),
          submit_expense.purpose, submit_expense.payee, submit_expense.amount,
          submit_expense.submitted_by, submit_expense.description)
  RETURNING expense_id;
END;
COMMENT ON FUNCTION sdbc.submit_expense(bigint, text, text, numeric, bigint, text) IS
  'Submit an expense from an account: routed by amount (R3.2 up to expense.small_limit, R3.3 above), returns its id';

CREATE FUNCTION sdbc.decide(case_id bigint, actor bigint, verdict text DEFAULT 'approve',
                            reason text DEFAULT NULL, send_back_to integer DEFAULT NULL,
                            acting_for bigint DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public AS $$
DECLARE
  c sdbc.approval_case;
  step integer;
BEGIN
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('case %s does not exist', decide.case_id);
  END IF;
  step := CASE WHEN verdict IN ('submit', 'withdraw') THEN 0 ELSE c.current_step END;
  INSERT INTO sdbc.decision (case_id, step_no, actor, acting_for, verdict, send_back_to, reason)
  VALUES (decide.case_id, step, decide.actor, decide.acting_for, decide.verdict, decide.send_back_to, decide.reason);
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  RETURN c;
END $$;
COMMENT ON FUNCTION sdbc.decide(bigint, bigint, text, text, integer, bigint) IS
  'Act on the current step of a case: approve (sign, send, review … as the step says), reject with a reason, send_back with a reason to an earlier step or the applicant (0), withdraw (submitter, before anyone acted), submit (resubmit after a send-back); acting_for names the absent principal when a backup acts (R7.3). Returns the case';

CREATE FUNCTION sdbc.sign(expense_id bigint, actor bigint, acting_for bigint DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE sql
  RETURN sdbc.decide((SELECT e.case_id FROM sdbc.expense e WHERE e.expense_id = sign.expense_id),
                     actor, 'approve', NULL, NULL, acting_for);
COMMENT ON FUNCTION sdbc.sign(bigint, bigint, bigint) IS 'Approve the current step of an expense''s route (sign, send, re-review or approve, as the step says)';

CREATE FUNCTION sdbc.withdraw(expense_id bigint, actor bigint)
  RETURNS sdbc.approval_case LANGUAGE sql
  RETURN sdbc.decide((SELECT e.case_id FROM sdbc.expense e WHERE e.expense_id = withdraw.expense_id),
                     actor, 'withdraw');
COMMENT ON FUNCTION sdbc.withdraw(bigint, bigint) IS 'Withdraw 撤回 an expense: its submitter, before anyone else acted';

CREATE FUNCTION sdbc.pay(expense_id bigint, actor bigint)
  RETURNS sdbc.expense LANGUAGE sql
BEGIN ATOMIC
  UPDATE sdbc.expense e SET paid_at = clock_timestamp(), paid_by = pay.actor
   WHERE e.expense_id = pay.expense_id
  RETURNING *;
END;
COMMENT ON FUNCTION sdbc.pay(bigint, bigint) IS
  'Pay an expense whose route is complete, from its account, never below zero (R3.2, R3.3, R3.4); a concurrent payment that no longer fits fails with SD324';

CREATE FUNCTION sdbc.credit(account_id bigint, amount numeric, source text)
  RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO sdbc.account_entry (account_id, kind, amount, source)
  VALUES (credit.account_id, 'credit', credit.amount, credit.source)
  RETURNING entry_id;
END;
COMMENT ON FUNCTION sdbc.credit(bigint, numeric, text) IS 'Put money on an account (an allocation), as an insert-only entry';
-- Money reports: open expenses, balances, overdue steps, split expenses,
-- budget sinking (R3.1), minimum funds (R3.5), and a what-if on the limit.

CREATE VIEW sdbc.case_step_open AS
  SELECT c.case_id, c.case_kind, c.division, c.route_code, c.route_version, c.current_step,
         s.office, s.action, s.name_zh AS step_zh, s.name_en AS step_en,
         c.step_started_on,
         sdbc.add_working_days(c.step_started_on, s.time_limit_days) AS due_on,
         sdbc.working_days_between(CURRENT_DATE, sdbc.add_working_days(c.step_started_on, s.time_limit_days)) AS working_days_left,
         sdbc.add_working_days(c.step_started_on, s.time_limit_days) < CURRENT_DATE AS overdue
    FROM sdbc.approval_case c
    JOIN sdbc.route_step s ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step
   WHERE c.status = 'open';
COMMENT ON VIEW sdbc.case_step_open IS 'Open cases at their current step: office, deadline in working days (weekends and listed holidays off), days left, overdue';
COMMENT ON COLUMN sdbc.case_step_open.case_id IS 'case';
COMMENT ON COLUMN sdbc.case_step_open.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.case_step_open.division IS 'division of the case';
COMMENT ON COLUMN sdbc.case_step_open.route_code IS 'route';
COMMENT ON COLUMN sdbc.case_step_open.route_version IS 'route version';
COMMENT ON COLUMN sdbc.case_step_open.current_step IS 'current step';
COMMENT ON COLUMN sdbc.case_step_open.office IS 'office that must act';
COMMENT ON COLUMN sdbc.case_step_open.action IS 'what it does';
COMMENT ON COLUMN sdbc.case_step_open.step_zh IS 'step, Chinese 步骤';
COMMENT ON COLUMN sdbc.case_step_open.step_en IS 'step, English';
COMMENT ON COLUMN sdbc.case_step_open.step_started_on IS 'day the step opened';
COMMENT ON COLUMN sdbc.case_step_open.due_on IS 'deadline 截止日期';
COMMENT ON COLUMN sdbc.case_step_open.working_days_left IS 'working days until the deadline (0 when due or past)';
COMMENT ON COLUMN sdbc.case_step_open.overdue IS 'past its deadline 逾期';

CREATE VIEW sdbc.case_overdue AS SELECT * FROM sdbc.case_step_open WHERE overdue;
COMMENT ON VIEW sdbc.case_overdue IS 'Open cases whose current step is past its time limit in working days';
COMMENT ON COLUMN sdbc.case_overdue.case_id IS 'case';
COMMENT ON COLUMN sdbc.case_overdue.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.case_overdue.division IS 'division';
COMMENT ON COLUMN sdbc.case_overdue.route_code IS 'route';
COMMENT ON COLUMN sdbc.case_overdue.route_version IS 'route version';
COMMENT ON COLUMN sdbc.case_overdue.current_step IS 'current step';
COMMENT ON COLUMN sdbc.case_overdue.office IS 'office that must act';
COMMENT ON COLUMN sdbc.case_overdue.action IS 'what it does';
COMMENT ON COLUMN sdbc.case_overdue.step_zh IS 'step, Chinese';
COMMENT ON COLUMN sdbc.case_overdue.step_en IS 'step, English';
COMMENT ON COLUMN sdbc.case_overdue.step_started_on IS 'day the step opened';
COMMENT ON COLUMN sdbc.case_overdue.due_on IS 'deadline';
COMMENT ON COLUMN sdbc.case_overdue.working_days_left IS '0';
COMMENT ON COLUMN sdbc.case_overdue.overdue IS 'true';

CREATE VIEW sdbc.expense_open AS
  SELECT e.expense_id, e.community, e.account_id, e.purpose, e.payee, e.amount, e.route_code, e.split_flag,
         c.status, o.current_step, o.office, o.step_zh, o.due_on, o.overdue
    FROM sdbc.expense e
    JOIN sdbc.approval_case c USING (case_id)
    LEFT JOIN sdbc.case_step_open o USING (case_id)
   WHERE e.paid_at IS NULL AND c.status IN ('open', 'approved');
COMMENT ON VIEW sdbc.expense_open IS 'Unpaid expenses of each community: on their route (open) or approved and awaiting payment';
COMMENT ON COLUMN sdbc.expense_open.expense_id IS 'expense';
COMMENT ON COLUMN sdbc.expense_open.community IS 'community 社区';
COMMENT ON COLUMN sdbc.expense_open.account_id IS 'account';
COMMENT ON COLUMN sdbc.expense_open.purpose IS 'purpose 用途';
COMMENT ON COLUMN sdbc.expense_open.payee IS 'payee 收款方';
COMMENT ON COLUMN sdbc.expense_open.amount IS 'amount, yuan';
COMMENT ON COLUMN sdbc.expense_open.route_code IS 'route';
COMMENT ON COLUMN sdbc.expense_open.split_flag IS 'flagged as a split expense';
COMMENT ON COLUMN sdbc.expense_open.status IS 'open or approved';
COMMENT ON COLUMN sdbc.expense_open.current_step IS 'current step while open';
COMMENT ON COLUMN sdbc.expense_open.office IS 'office that must act';
COMMENT ON COLUMN sdbc.expense_open.step_zh IS 'step, Chinese';
COMMENT ON COLUMN sdbc.expense_open.due_on IS 'deadline of the step';
COMMENT ON COLUMN sdbc.expense_open.overdue IS 'past its deadline';

CREATE VIEW sdbc.account_balance AS
  SELECT a.account_id, a.community, a.kind, a.purpose, a.name,
         (coalesce(x.credited, 0) - coalesce(x.paid, 0))::numeric(16,2) AS balance,
         coalesce(x.credited, 0)::numeric(16,2) AS credited,
         coalesce(x.paid, 0)::numeric(16,2) AS paid,
         coalesce((SELECT sum(e.amount) FROM sdbc.expense e JOIN sdbc.approval_case c USING (case_id)
                    WHERE e.account_id = a.account_id AND e.paid_at IS NULL AND c.status IN ('open', 'approved')), 0)::numeric(16,2) AS committed
    FROM sdbc.account a
    LEFT JOIN (SELECT account_id, sum(amount) FILTER (WHERE kind = 'credit') AS credited,
                      sum(amount) FILTER (WHERE kind = 'debit') AS paid
                 FROM sdbc.account_entry GROUP BY account_id) x USING (account_id);
COMMENT ON VIEW sdbc.account_balance IS 'Each account: balance, money in, money paid, and unpaid expenses still on their route (R3.4)';
COMMENT ON COLUMN sdbc.account_balance.account_id IS 'account';
COMMENT ON COLUMN sdbc.account_balance.community IS 'community';
COMMENT ON COLUMN sdbc.account_balance.kind IS 'working, service or earmarked';
COMMENT ON COLUMN sdbc.account_balance.purpose IS 'purpose of an earmarked account';
COMMENT ON COLUMN sdbc.account_balance.name IS 'name';
COMMENT ON COLUMN sdbc.account_balance.balance IS 'balance 余额: credits minus payments';
COMMENT ON COLUMN sdbc.account_balance.credited IS 'all credits';
COMMENT ON COLUMN sdbc.account_balance.paid IS 'all payments';
COMMENT ON COLUMN sdbc.account_balance.committed IS 'unpaid expenses open or approved';

CREATE VIEW sdbc.expense_split AS
  SELECT e.expense_id, e.community, e.payee, e.purpose, e.amount, e.submitted_on, e.route_code,
         (SELECT sum(p.amount) FROM sdbc.expense p JOIN sdbc.approval_case pc USING (case_id)
           WHERE p.community = e.community AND p.payee = e.payee AND p.purpose = e.purpose
             AND p.submitted_on <= e.submitted_on
             AND p.submitted_on > e.submitted_on - sdbc.policy_value('expense.split_window_days', e.community, e.submitted_on)::integer
             AND pc.status IN ('open', 'approved')) AS window_total
    FROM sdbc.expense e WHERE e.split_flag;
COMMENT ON VIEW sdbc.expense_split IS 'Expenses flagged as splits: with earlier ones of the same community, payee and purpose inside the policy window they exceed expense.small_limit, and were routed to the street party working committee (R3.3)';
COMMENT ON COLUMN sdbc.expense_split.expense_id IS 'expense';
COMMENT ON COLUMN sdbc.expense_split.community IS 'community';
COMMENT ON COLUMN sdbc.expense_split.payee IS 'payee';
COMMENT ON COLUMN sdbc.expense_split.purpose IS 'purpose';
COMMENT ON COLUMN sdbc.expense_split.amount IS 'amount of this expense';
COMMENT ON COLUMN sdbc.expense_split.submitted_on IS 'day';
COMMENT ON COLUMN sdbc.expense_split.route_code IS 'route it took';
COMMENT ON COLUMN sdbc.expense_split.window_total IS 'sum within the window, this one included';

-- What if the limit were different: routes past expenses would have taken.
CREATE FUNCTION sdbc.expense_route_whatif(small_limit numeric, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (route text, expenses bigint, total numeric, now_on_route bigint)
  LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT CASE WHEN e.amount <= small_limit THEN 'expense_small' ELSE 'expense_large' END,
         count(*), sum(e.amount), count(*) FILTER (WHERE e.route_code = CASE WHEN e.amount <= small_limit THEN 'expense_small' ELSE 'expense_large' END)
    FROM sdbc.expense e
   WHERE under IS NULL OR e.community OPERATOR(sdbc.<@) under
   GROUP BY 1 ORDER BY 1;
END;
COMMENT ON FUNCTION sdbc.expense_route_whatif(numeric, sdbc.divcode) IS
  'For a proposed limit (R3.2/R3.3), how many past expenses would have taken each route by their amount alone (split detection aside), their total, and how many of those took it in fact';

-- Budget sinking (R3.1): a street's yearly operating allocation and what it passes on.
CREATE TABLE sdbc.street_allocation (
  street     sdbc.divcode NOT NULL,
  year       integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  amount     numeric NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (street, year),
  FOREIGN KEY (street) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(street) = 'street')
);
COMMENT ON TABLE sdbc.street_allocation IS 'Operating funds the treasury gives a street for a year (R3.1)';
COMMENT ON COLUMN sdbc.street_allocation.street IS 'street 街道';
COMMENT ON COLUMN sdbc.street_allocation.year IS 'year';
COMMENT ON COLUMN sdbc.street_allocation.amount IS 'yuan';

CREATE TABLE sdbc.community_allocation (
  community      sdbc.divcode NOT NULL,
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  fund           text NOT NULL CONSTRAINT community_allocation_fund CHECK (fund IN ('working', 'service', 'earmarked')),
  amount         numeric NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (community, year, fund),
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.community_allocation IS 'Funds passed on to a community for a year, by fund: working funds, special service funds, earmarked (R3.1, R3.5)';
COMMENT ON COLUMN sdbc.community_allocation.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_allocation.year IS 'year';
COMMENT ON COLUMN sdbc.community_allocation.fund IS 'working 工作经费, service 服务群众专项经费 or earmarked';
COMMENT ON COLUMN sdbc.community_allocation.amount IS 'yuan';
SELECT pg_catalog.pg_extension_config_dump('sdbc.street_allocation', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.community_allocation', '');

CREATE VIEW sdbc.street_funds_passed_on AS
  SELECT s.street, s.year, s.amount AS allocated,
         coalesce(sum(c.amount), 0) AS passed_on,
         round(coalesce(sum(c.amount), 0) / nullif(s.amount, 0), 4) AS share,
         sdbc.policy_value('street.funds_passed_on.min_share', s.street, make_date(s.year, 12, 31)) AS min_share,
         coalesce(sum(c.amount), 0) < s.amount * sdbc.policy_value('street.funds_passed_on.min_share', s.street, make_date(s.year, 12, 31)) AS keeps_too_much,
         'R3.1'::text AS rule
    FROM sdbc.street_allocation s
    LEFT JOIN sdbc.community_allocation c ON c.community OPERATOR(sdbc.<@) s.street AND c.year = s.year
   GROUP BY s.street, s.year, s.amount;
COMMENT ON VIEW sdbc.street_funds_passed_on IS 'R3.1: each street''s yearly allocation, the share passed on to its communities, and whether it keeps more than policy allows (default: pass on at least 70 %)';
COMMENT ON COLUMN sdbc.street_funds_passed_on.street IS 'street 街道';
COMMENT ON COLUMN sdbc.street_funds_passed_on.year IS 'year';
COMMENT ON COLUMN sdbc.street_funds_passed_on.allocated IS 'allocation to the street, yuan';
COMMENT ON COLUMN sdbc.street_funds_passed_on.passed_on IS 'passed on to its communities, yuan';
COMMENT ON COLUMN sdbc.street_funds_passed_on.share IS 'passed_on / allocated';
COMMENT ON COLUMN sdbc.street_funds_passed_on.min_share IS 'policy street.funds_passed_on.min_share at the end of the year';
COMMENT ON COLUMN sdbc.street_funds_passed_on.keeps_too_much IS 'true when the share is below the policy';
COMMENT ON COLUMN sdbc.street_funds_passed_on.rule IS 'R3.1';

CREATE VIEW sdbc.community_min_funds AS
  SELECT d.code AS community, y.year,
         coalesce(sum(c.amount) FILTER (WHERE c.fund = 'working'), 0) AS working_funds,
         sdbc.policy_value('community.working_funds.min_yearly', d.code, make_date(y.year, 12, 31)) AS working_min,
         coalesce(sum(c.amount) FILTER (WHERE c.fund = 'service'), 0) AS service_funds,
         sdbc.policy_value('community.service_funds.min_yearly', d.code, make_date(y.year, 12, 31)) AS service_min,
         coalesce(sum(c.amount) FILTER (WHERE c.fund = 'working'), 0) < sdbc.policy_value('community.working_funds.min_yearly', d.code, make_date(y.year, 12, 31))
           OR coalesce(sum(c.amount) FILTER (WHERE c.fund = 'service'), 0) < sdbc.policy_value('community.service_funds.min_yearly', d.code, make_date(y.year, 12, 31)) AS below_minimum,
         'R3.5'::text AS rule
    FROM (SELECT DISTINCT year FROM sdbc.community_allocation WHERE year >= 2016) y
    CROSS JOIN sdbc.division d
    LEFT JOIN sdbc.community_allocation c ON c.community = d.code AND c.year = y.year
   WHERE d.kind = 'residents_committee'
     AND EXISTS (SELECT 1 FROM sdbc.community_allocation a WHERE a.community OPERATOR(sdbc.<@) sdbc.divcode_parent(d.code) AND a.year = y.year)
   GROUP BY d.code, y.year;
COMMENT ON VIEW sdbc.community_min_funds IS 'R3.5 (from 2016): each community''s yearly working and service funds against the minimums of policy (120,000 and 200,000 yuan by default); communities of a street that allocates that year';
COMMENT ON COLUMN sdbc.community_min_funds.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_min_funds.year IS 'year';
COMMENT ON COLUMN sdbc.community_min_funds.working_funds IS 'working funds 工作经费 allocated';
COMMENT ON COLUMN sdbc.community_min_funds.working_min IS 'policy minimum';
COMMENT ON COLUMN sdbc.community_min_funds.service_funds IS 'service funds 服务群众专项经费 allocated';
COMMENT ON COLUMN sdbc.community_min_funds.service_min IS 'policy minimum';
COMMENT ON COLUMN sdbc.community_min_funds.below_minimum IS 'true when either is below its minimum';
COMMENT ON COLUMN sdbc.community_min_funds.rule IS 'R3.5';
-- Devolved service matters (R4.2, R13.1), the service hall (R4.1, R8.2), and
-- the community work access list (R1).  Applications run on the approval
-- engine's routes, as data.

INSERT INTO sdbc.office (office, level, name_zh, name_en, builtin) VALUES
  ('community_service_hall',     5, '社区一站式服务大厅', 'community one-stop service hall', true),
  ('community_review_board',     5, '社区民主评议小组',   'community democratic review board', true),
  ('county_civil_affairs',       3, '县民政局',           'county civil affairs bureau', true),
  ('county_housing',             3, '县住房和城乡建设局', 'county housing bureau', true),
  ('county_hrss',                3, '县人力资源和社会保障局', 'county human resources and social security bureau', true),
  ('county_medical_insurance',   3, '县医疗保障局',       'county medical insurance bureau', true),
  ('county_health',              3, '县卫生健康委员会',   'county health commission', true),
  ('county_veterans',            3, '县退役军人事务局',   'county veterans affairs bureau', true),
  ('county_organization',        3, '县委组织部',         'county party organization department', true),
  ('county_civilization_office', 3, '县文明办',           'county civilization office', true);

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('service.notice.min_days', 'R4.2', 'days', 1, NULL,
   'shortest public notice a route may define (an objection restarts it)', '公示最短天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('service.notice.min_days', NULL, '2014-01-01', 7, true, 'the minimum living allowance''s 7-day public notice');

-- Routes of the devolved matters: the community's preliminary review, then
-- the county department's decision — two levels, no street (R4.2, R13.1).
INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en, builtin) VALUES
  ('dibao', 1, 'service', '最低生活保障审核审批', 'minimum living allowance (reference route)', true);
INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, quorum_n, blocking, time_limit_days,
                             step_kind, notice_days, objection_to, refusal_reasons_days, name_zh, name_en) VALUES
  ('dibao', 1, 1, 'community_service_hall', 'accept',      'any',      1, true,  3,  'act',    NULL, NULL, NULL, '受理申请',       'application accepted'),
  ('dibao', 1, 2, 'community_handler',      'investigate', 'at_least', 2, true,  10, 'act',    NULL, NULL, NULL, '入户调查(两人以上)', 'home investigation by two or more'),
  ('dibao', 1, 3, 'community_review_board', 'review',      'any',      1, false, 5,  'act',    NULL, NULL, NULL, '民主评议(可选)', 'democratic review (optional)'),
  ('dibao', 1, 4, 'community_service_hall', 'notice',      'any',      1, true,  10, 'notice', 7,    2,    NULL, '公示七日',       'public notice of 7 days'),
  ('dibao', 1, 5, 'county_civil_affairs',   'decide',      'any',      1, true,  10, 'act',    NULL, NULL, 3,    '县民政局审批',   'county civil affairs decides');

INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en, builtin)
SELECT 'devolved_' || o.office, 1, 'service', '社区初审、' || o.name_zh || '审批', 'community review, then ' || o.name_en, true
  FROM sdbc.office o WHERE o.level = 3 AND o.office <> 'county_department';
INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, time_limit_days, refusal_reasons_days, name_zh, name_en)
SELECT 'devolved_' || o.office, 1, 1, 'community_service_hall', 'review', 'any', 5, NULL, '社区初审', 'community preliminary review'
  FROM sdbc.office o WHERE o.level = 3 AND o.office <> 'county_department'
UNION ALL
SELECT 'devolved_' || o.office, 1, 2, o.office, 'decide', 'any', 15, 3, o.name_zh || '审批', o.name_en || ' decides'
  FROM sdbc.office o WHERE o.level = 3 AND o.office <> 'county_department';

CREATE TABLE sdbc.service_matter (
  matter_code     text PRIMARY KEY CONSTRAINT service_matter_code_form CHECK (matter_code ~ '^[a-z][a-z0-9_]*$'),
  county          sdbc.divcode REFERENCES sdbc.division (code),
  name_zh         text NOT NULL,
  name_en         text NOT NULL,
  final_office    text NOT NULL REFERENCES sdbc.office (office),
  documents       text[] NOT NULL DEFAULT '{}',
  time_limit_days integer NOT NULL CHECK (time_limit_days > 0),
  eligibility     regprocedure,
  route_code      text NOT NULL,
  devolved        boolean NOT NULL DEFAULT true,
  builtin         boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE sdbc.service_matter IS
  'Catalogue of service matters 服务事项: the 37 whose preliminary review 初审 moved to the community (R4.2), of which the paper names 13 (built in); a county adds its others as data';
COMMENT ON COLUMN sdbc.service_matter.matter_code IS 'identifier';
COMMENT ON COLUMN sdbc.service_matter.county IS 'county that added the matter; NULL for the built-in ones (everywhere)';
COMMENT ON COLUMN sdbc.service_matter.name_zh IS 'Chinese name 事项名称';
COMMENT ON COLUMN sdbc.service_matter.name_en IS 'English name';
COMMENT ON COLUMN sdbc.service_matter.final_office IS 'county department that gives final approval 终审部门';
COMMENT ON COLUMN sdbc.service_matter.documents IS 'documents an application needs 申请材料';
COMMENT ON COLUMN sdbc.service_matter.time_limit_days IS 'time limit 办理时限, working days from application to decision';
COMMENT ON COLUMN sdbc.service_matter.eligibility IS 'function (resident_id bigint) → boolean that an applicant must satisfy, where one applies';
COMMENT ON COLUMN sdbc.service_matter.route_code IS 'route of the approval engine the applications take';
COMMENT ON COLUMN sdbc.service_matter.devolved IS 'preliminary review devolved to the community (R4.2): its route never passes a street office';
COMMENT ON COLUMN sdbc.service_matter.builtin IS 'one of the 13 the paper names (shipped; not dumped)';

-- Eligibility predicates for the built-in matters.
CREATE FUNCTION sdbc.eligible_registered_resident(resident_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN EXISTS (SELECT 1 FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
                  WHERE r.resident_id = eligible_registered_resident.resident_id
                    AND h.registration = 'registered' AND NOT r.floating);
COMMENT ON FUNCTION sdbc.eligible_registered_resident(bigint) IS 'Eligibility: a resident with local household registration 户籍居民 (not floating)';
CREATE FUNCTION sdbc.eligible_working_age(resident_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN EXISTS (SELECT 1 FROM sdbc.resident r WHERE r.resident_id = eligible_working_age.resident_id
                    AND sdbc.idcard_age(r.id_number) BETWEEN 16 AND 59);
COMMENT ON FUNCTION sdbc.eligible_working_age(bigint) IS 'Eligibility: aged 16 to 59 by the identity number 劳动年龄';

INSERT INTO sdbc.service_matter (matter_code, name_zh, name_en, final_office, documents, time_limit_days, eligibility, route_code, builtin) VALUES
  ('public_housing', '公共租赁住房和廉租住房审批及变更', 'public rental and low-rent housing: approval and change', 'county_housing',
   '{申请表,身份证,户口簿,收入证明,住房情况证明}', 20, 'sdbc.eligible_registered_resident(bigint)', 'devolved_county_housing', true),
  ('dibao', '城乡最低生活保障审核及变更', 'minimum living allowance 低保: review and change', 'county_civil_affairs',
   '{申请书,身份证,户口簿,家庭收入证明,家庭财产申报表}', 30, 'sdbc.eligible_registered_resident(bigint)', 'dibao', true),
  ('medical_assistance', '医疗救助', 'medical assistance', 'county_civil_affairs',
   '{申请表,身份证,医疗费用票据,诊断证明}', 20, NULL, 'devolved_county_civil_affairs', true),
  ('three_without', '特困("三无")人员审批', 'extremely poor "three-without" persons: approval', 'county_civil_affairs',
   '{申请书,身份证,户口簿,无劳动能力证明}', 30, 'sdbc.eligible_registered_resident(bigint)', 'devolved_county_civil_affairs', true),
  ('servicemen_family_subsidy', '优抚对象优待金审核', 'preferential subsidies for servicemen''s families', 'county_veterans',
   '{申请表,身份证,军属证明}', 20, NULL, 'devolved_county_veterans', true),
  ('flexible_employment_insurance', '灵活就业人员社会保险补贴', 'flexible-employment social insurance subsidy', 'county_hrss',
   '{申请表,身份证,就业失业登记证,缴费凭证}', 20, 'sdbc.eligible_working_age(bigint)', 'devolved_county_hrss', true),
  ('unemployment_benefit', '失业保险金发放', 'unemployment benefit payment', 'county_hrss',
   '{申请表,身份证,解除劳动合同证明}', 15, 'sdbc.eligible_working_age(bigint)', 'devolved_county_hrss', true),
  ('funeral_subsidy', '丧葬补助', 'funeral subsidy', 'county_civil_affairs',
   '{申请表,死亡证明,火化证明,申请人身份证}', 15, NULL, 'devolved_county_civil_affairs', true),
  ('medical_insurance_review', '医疗保险审核', 'medical insurance review', 'county_medical_insurance',
   '{参保登记表,身份证,户口簿}', 15, NULL, 'devolved_county_medical_insurance', true),
  ('birth_permit', '生育服务证审批', 'birth permit approval', 'county_health',
   '{申请表,夫妻双方身份证,结婚证,户口簿}', 15, NULL, 'devolved_county_health', true),
  ('reward_support', '奖励扶助金审核', 'review of reward and support payments', 'county_health',
   '{申请表,身份证,独生子女证}', 20, NULL, 'devolved_county_health', true),
  ('party_member_service', '在职党员社区服务考评', 'assessment of serving party members'' community service', 'county_organization',
   '{服务记录,社区评价表}', 20, NULL, 'devolved_county_organization', true),
  ('unit_awards', '辖区单位文明奖和综治奖评定', 'civilization and comprehensive-governance awards for units in the jurisdiction', 'county_civilization_office',
   '{申报表,单位材料,社区评议意见}', 30, NULL, 'devolved_county_civilization_office', true);

SELECT pg_catalog.pg_extension_config_dump('sdbc.service_matter', 'WHERE NOT builtin');

-- R4.2: the route of a devolved matter never passes through a street office.
CREATE FUNCTION sdbc.route_two_levels_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public AS $$
DECLARE
  bad record;
  min_days integer;
BEGIN
  FOR bad IN
    SELECT m.matter_code, s.route_code, s.version, s.step_no, s.office
      FROM sdbc.service_matter m
      JOIN sdbc.route_step s ON s.route_code = m.route_code
      JOIN sdbc.office o ON o.office = s.office
     WHERE m.devolved AND o.level = 4
     ORDER BY m.matter_code, s.route_code, s.version, s.step_no
     LIMIT 1
  LOOP
    RAISE EXCEPTION USING ERRCODE = 'SD402',
      MESSAGE = format('route %s (version %s) of devolved matter %s passes through the street office %s at step %s',
                       bad.route_code, bad.version, bad.matter_code, bad.office, bad.step_no),
      DETAIL = 'Rule R4.2 (and R13.1): the community holds the preliminary review and a county department decides; the street no longer reviews devolved matters.',
      HINT = 'Define the route with community and county offices only, or mark the matter as not devolved.';
  END LOOP;
  IF TG_TABLE_NAME = 'service_matter' AND NOT EXISTS (
       SELECT 1 FROM sdbc.route r WHERE r.route_code = NEW.route_code AND r.case_kind = 'service') THEN
    RAISE EXCEPTION USING ERRCODE = 'SD408',
      MESSAGE = format('matter %s names route %s, which is not a service route', NEW.matter_code, NEW.route_code),
      DETAIL = 'Rule R4.2: every matter is handled on a route of the approval engine.',
      HINT = 'Define the route in sdbc.route and sdbc.route_step (case_kind service) first.';
  END IF;
  min_days := sdbc.policy_value('service.notice.min_days', NULL);
  FOR bad IN
    SELECT s.route_code, s.version, s.step_no, s.notice_days FROM sdbc.route_step s
     WHERE s.step_kind = 'notice' AND s.notice_days < min_days
     ORDER BY s.route_code, s.version, s.step_no LIMIT 1
  LOOP
    RAISE EXCEPTION USING ERRCODE = 'SD403',
      MESSAGE = format('the public notice at step %s of route %s (version %s) lasts %s days, fewer than %s',
                       bad.step_no, bad.route_code, bad.version, bad.notice_days, min_days),
      DETAIL = 'Rule R4.2: a public notice (公示) lasts at least the days policy service.notice.min_days sets.',
      HINT = format('Give the notice at least %s days.', min_days);
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.route_two_levels_check() IS
  'Constraint trigger: no route of a devolved matter passes a street office (SD402, R4.2), and no public notice is shorter than policy (SD403)';
CREATE CONSTRAINT TRIGGER route_step_two_levels AFTER INSERT OR UPDATE ON sdbc.route_step
  DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION sdbc.route_two_levels_check();
CREATE CONSTRAINT TRIGGER service_matter_two_levels AFTER INSERT OR UPDATE ON sdbc.service_matter
  DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION sdbc.route_two_levels_check();
-- Applications at the community service hall (R4.1, R8.2) and the work
-- access list (R1).

CREATE TABLE sdbc.service_application (
  application_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_code     text NOT NULL REFERENCES sdbc.service_matter (matter_code),
  applicant       bigint NOT NULL REFERENCES sdbc.resident (resident_id),
  community       sdbc.divcode NOT NULL,
  taken_by        bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  proxy           text NOT NULL DEFAULT 'self'
                    CONSTRAINT service_application_proxy CHECK (proxy IN ('self', 'handle_for', 'visit_for', 'petition_for')),
  documents       text[] NOT NULL DEFAULT '{}',
  applied_on      date NOT NULL DEFAULT CURRENT_DATE,
  case_id         bigint REFERENCES sdbc.approval_case (case_id),
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.service_application IS
  'Applications taken at a community''s one-stop service hall (R4.1), by the resident or on his behalf (R8.2: 代办 handle for, 代访 visit for, 代诉 petition for), each on the route of its matter';
COMMENT ON COLUMN sdbc.service_application.application_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.service_application.matter_code IS 'matter 事项';
COMMENT ON COLUMN sdbc.service_application.applicant IS 'resident who applies (or on whose behalf)';
COMMENT ON COLUMN sdbc.service_application.community IS 'community whose hall took it: the applicant''s own';
COMMENT ON COLUMN sdbc.service_application.taken_by IS 'staff member who took it';
COMMENT ON COLUMN sdbc.service_application.proxy IS 'self, handle_for 代办, visit_for 代访, petition_for 代诉 (R8.2)';
COMMENT ON COLUMN sdbc.service_application.documents IS 'documents handed in';
COMMENT ON COLUMN sdbc.service_application.applied_on IS 'day of application';
COMMENT ON COLUMN sdbc.service_application.case_id IS 'its case on the engine (set by the database)';
CREATE INDEX service_application_case_idx ON sdbc.service_application (case_id);
CREATE INDEX service_application_matter_idx ON sdbc.service_application (matter_code, applied_on);
SELECT pg_catalog.pg_extension_config_dump('sdbc.service_application', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.service_application_application_id_seq', '');

CREATE FUNCTION sdbc.service_application_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public AS $$
DECLARE
  m sdbc.service_matter;
  home sdbc.divcode;
  missing text[];
  ok boolean;
  v_version integer;
  first_step integer;
BEGIN
  IF NEW.case_id IS NOT NULL THEN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      RETURN NEW;   -- a restore brings its case
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'SD325', MESSAGE = 'an application''s case is set by the database',
      DETAIL = 'Rule R4.2: an application starts its case on the matter''s route when it is taken.',
      HINT = 'Leave case_id out of the INSERT.';
  END IF;
  SELECT * INTO m FROM sdbc.service_matter x WHERE x.matter_code = NEW.matter_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD401', MESSAGE = format('unknown service matter "%s"', NEW.matter_code),
      DETAIL = 'Rule R4.2: applications are taken for the matters of the catalogue.',
      HINT = 'See SELECT matter_code, name_zh FROM sdbc.service_matter.';
  END IF;
  SELECT h.community INTO home FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
   WHERE r.resident_id = NEW.applicant;
  IF home IS NULL OR home <> NEW.community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD404',
      MESSAGE = format('resident %s does not live in community %s', NEW.applicant, NEW.community),
      DETAIL = 'Rule R4.1: a resident applies at the service hall of his own community, which holds the preliminary review.',
      HINT = format('Take the application at the hall of community %s.', coalesce(home::text, '(none)'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = NEW.taken_by AND s.division = NEW.community) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD405',
      MESSAGE = format('staff %s does not serve community %s', NEW.taken_by, NEW.community),
      DETAIL = 'Rule R4.1/R8.2: the community''s own staff take applications, also when they handle, visit or petition for a resident.',
      HINT = 'Let a member of the community''s staff take it.';
  END IF;
  missing := ARRAY(SELECT d FROM unnest(m.documents) d WHERE d <> ALL (NEW.documents));
  IF cardinality(missing) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'SD406',
      MESSAGE = format('application for %s lacks %s document(s): %s', m.name_zh, cardinality(missing), array_to_string(missing, '、')),
      DETAIL = 'Rule R4.2/R8.1: the community tells the applicant every missing document at once (一次性告知).',
      HINT = 'Hand in all of: ' || array_to_string(missing, '、');
  END IF;
  IF m.eligibility IS NOT NULL THEN
    EXECUTE format('SELECT %s($1)', m.eligibility::regproc) INTO ok USING NEW.applicant;
    IF NOT coalesce(ok, false) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD407',
        MESSAGE = format('resident %s is not eligible for %s', NEW.applicant, m.name_zh),
        DETAIL = format('Rule R4.2: the matter''s eligibility (%s) does not hold for the applicant.', m.eligibility),
        HINT = 'Check the applicant''s registration and age in the registry.';
    END IF;
  END IF;
  SELECT max(r.version) INTO v_version FROM sdbc.route r WHERE r.route_code = m.route_code;
  SELECT min(s.step_no) INTO first_step FROM sdbc.route_step s
   WHERE s.route_code = m.route_code AND s.version = v_version AND s.blocking;
  INSERT INTO sdbc.approval_case (case_kind, division, route_code, route_version, submitted_by, current_step)
  VALUES ('service', NEW.community, m.route_code, v_version, NEW.taken_by, first_step)
  RETURNING case_id INTO NEW.case_id;
  INSERT INTO sdbc.decision (case_id, step_no, actor, verdict) VALUES (NEW.case_id, 0, NEW.taken_by, 'submit');
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.service_application_check() IS
  'Trigger: an application names a catalogued matter (SD401), an applicant of the community (SD404), staff of the community (SD405), every required document (SD406, all missing listed at once), an eligible applicant (SD407); then its case starts on the matter''s route';
CREATE TRIGGER service_application_check BEFORE INSERT ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.service_application_check();
CREATE FUNCTION sdbc.service_application_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD325', MESSAGE = 'an application is a record and does not change',
    DETAIL = 'Rule R4.2: the case on the engine carries its progress.',
    HINT = 'Act on its case with sdbc.decide().';
END $$;
COMMENT ON FUNCTION sdbc.service_application_fixed() IS 'Trigger: applications are not updated or deleted (SD325)';
CREATE TRIGGER service_application_fixed BEFORE UPDATE OR DELETE ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.service_application_fixed();

CREATE FUNCTION sdbc.apply(matter_code text, applicant bigint, taken_by bigint,
                           documents text[] DEFAULT '{}', proxy text DEFAULT 'self')
  RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO sdbc.service_application (matter_code, applicant, community, taken_by, proxy, documents)
  VALUES (apply.matter_code, apply.applicant,
          (SELECT h.community FROM sdbc.resident r JOIN sdbc.household h USING (household_id) WHERE r.resident_id = apply.applicant),
          apply.taken_by, apply.proxy, apply.documents)
  RETURNING application_id;
END;
COMMENT ON FUNCTION sdbc.apply(text, bigint, bigint, text[], text) IS
  'Take an application at the applicant''s community hall (R4.1), by the resident or on his behalf (proxy: handle_for 代办, visit_for 代访, petition_for 代诉, R8.2); returns its id; act on it with sdbc.decide(case_id, …)';

CREATE VIEW sdbc.service_open AS
  SELECT a.application_id, a.matter_code, m.name_zh AS matter_zh, a.community,
         sdbc.divcode_ancestor(a.community, 3) AS county, a.proxy, a.applied_on,
         o.current_step, o.office, o.step_zh, o.due_on, o.working_days_left, o.overdue
    FROM sdbc.service_application a
    JOIN sdbc.service_matter m USING (matter_code)
    JOIN sdbc.case_step_open o USING (case_id);
COMMENT ON VIEW sdbc.service_open IS 'Open applications by step, for each community and county department (office at the current step): deadline, working days left, overdue';
COMMENT ON COLUMN sdbc.service_open.application_id IS 'application';
COMMENT ON COLUMN sdbc.service_open.matter_code IS 'matter';
COMMENT ON COLUMN sdbc.service_open.matter_zh IS 'matter, Chinese 事项';
COMMENT ON COLUMN sdbc.service_open.community IS 'community 社区';
COMMENT ON COLUMN sdbc.service_open.county IS 'county 县';
COMMENT ON COLUMN sdbc.service_open.proxy IS 'self or on the resident''s behalf (R8.2)';
COMMENT ON COLUMN sdbc.service_open.applied_on IS 'day of application';
COMMENT ON COLUMN sdbc.service_open.current_step IS 'current step';
COMMENT ON COLUMN sdbc.service_open.office IS 'office that must act (community hall, investigators, county department …)';
COMMENT ON COLUMN sdbc.service_open.step_zh IS 'step, Chinese 环节';
COMMENT ON COLUMN sdbc.service_open.due_on IS 'deadline of the step';
COMMENT ON COLUMN sdbc.service_open.working_days_left IS 'working days left';
COMMENT ON COLUMN sdbc.service_open.overdue IS 'past its deadline 逾期';

CREATE VIEW sdbc.service_monthly AS
  SELECT a.matter_code, m.name_zh AS matter_zh, date_trunc('month', a.applied_on)::date AS month,
         count(*) AS applications,
         count(*) FILTER (WHERE c.status = 'approved') AS approved,
         count(*) FILTER (WHERE c.status = 'rejected') AS rejected,
         count(*) FILTER (WHERE a.proxy <> 'self') AS on_behalf
    FROM sdbc.service_application a JOIN sdbc.service_matter m USING (matter_code)
    JOIN sdbc.approval_case c USING (case_id)
   GROUP BY a.matter_code, m.name_zh, date_trunc('month', a.applied_on);
COMMENT ON VIEW sdbc.service_monthly IS 'Applications per matter per month, approved, rejected, and taken on the resident''s behalf (R8.2)';
COMMENT ON COLUMN sdbc.service_monthly.matter_code IS 'matter';
COMMENT ON COLUMN sdbc.service_monthly.matter_zh IS 'matter, Chinese';
COMMENT ON COLUMN sdbc.service_monthly.month IS 'first day of the month';
COMMENT ON COLUMN sdbc.service_monthly.applications IS 'applications';
COMMENT ON COLUMN sdbc.service_monthly.approved IS 'approved so far';
COMMENT ON COLUMN sdbc.service_monthly.rejected IS 'rejected so far';
COMMENT ON COLUMN sdbc.service_monthly.on_behalf IS 'handled, visited or petitioned for the resident';

CREATE VIEW sdbc.service_duration AS
  SELECT a.matter_code, m.name_zh AS matter_zh, count(*) AS decided,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY c.closed_at::date - a.applied_on) AS median_days,
         max(c.closed_at::date - a.applied_on) AS max_days
    FROM sdbc.service_application a JOIN sdbc.service_matter m USING (matter_code)
    JOIN sdbc.approval_case c USING (case_id)
   WHERE c.status IN ('approved', 'rejected')
   GROUP BY a.matter_code, m.name_zh;
COMMENT ON VIEW sdbc.service_duration IS 'Median and longest days from application to decision, per matter';
COMMENT ON COLUMN sdbc.service_duration.matter_code IS 'matter';
COMMENT ON COLUMN sdbc.service_duration.matter_zh IS 'matter, Chinese';
COMMENT ON COLUMN sdbc.service_duration.decided IS 'applications decided';
COMMENT ON COLUMN sdbc.service_duration.median_days IS 'median calendar days to the decision';
COMMENT ON COLUMN sdbc.service_duration.max_days IS 'longest';

CREATE VIEW sdbc.refusal_reasons_overdue AS
  SELECT c.case_id, c.case_kind, c.division, c.route_code, c.current_step, c.closed_at, c.reasons_due_on
    FROM sdbc.approval_case c
   WHERE c.status = 'rejected' AND c.reasons_due_on < CURRENT_DATE;
COMMENT ON VIEW sdbc.refusal_reasons_overdue IS 'Refusals whose written reasons are past due (e.g. 3 working days for the minimum living allowance)';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.case_id IS 'case';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.case_kind IS 'service or expense';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.division IS 'division';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.route_code IS 'route';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.current_step IS 'step that refused';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.closed_at IS 'when refused';
COMMENT ON COLUMN sdbc.refusal_reasons_overdue.reasons_due_on IS 'when the written reasons were due';

-- The community work access list (R1).
CREATE TABLE sdbc.task_type (
  county            sdbc.divcode NOT NULL,
  task_code         text NOT NULL,
  name_zh           text NOT NULL,
  name_en           text NOT NULL,
  class             text NOT NULL CONSTRAINT task_type_class CHECK (class IN ('handle', 'assist', 'refuse')),
  statutory         boolean NOT NULL DEFAULT false,
  needs_funding     boolean NOT NULL DEFAULT true,
  needs_authority   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (county, task_code),
  FOREIGN KEY (county) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(county) = 'county'),
  CONSTRAINT task_type_statutory_handled CHECK (NOT statutory OR class <> 'refuse')
);
COMMENT ON TABLE sdbc.task_type IS
  'The county''s community work access list 社区工作准入清单 (R1.1): task types a department may hand to communities, classed handle 该办, assist 协助 or refuse 拒绝办理, with whether funds and authority must go with them (R1.2)';
COMMENT ON COLUMN sdbc.task_type.county IS 'county keeping the list';
COMMENT ON COLUMN sdbc.task_type.task_code IS 'identifier';
COMMENT ON COLUMN sdbc.task_type.name_zh IS 'Chinese name 事项';
COMMENT ON COLUMN sdbc.task_type.name_en IS 'English name';
COMMENT ON COLUMN sdbc.task_type.class IS 'handle 该办, assist 协助, refuse 拒绝办理';
COMMENT ON COLUMN sdbc.task_type.statutory IS 'a duty set by law 法定职责: accepted and never refusable';
COMMENT ON COLUMN sdbc.task_type.needs_funding IS 'funds must come with it (费随事转, R1.2)';
COMMENT ON COLUMN sdbc.task_type.needs_authority IS 'authority must come with it (权随责走, R1.2)';

CREATE TABLE sdbc.task_assignment (
  assignment_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  department         text REFERENCES sdbc.office (office),
  community          sdbc.divcode NOT NULL,
  task_code          text NOT NULL,
  handed_on          date NOT NULL DEFAULT CURRENT_DATE,
  funding            numeric NOT NULL DEFAULT 0 CONSTRAINT task_assignment_funding CHECK (funding >= 0),
  authority_granted  boolean NOT NULL DEFAULT false,
  status             text NOT NULL DEFAULT 'accepted'
                       CONSTRAINT task_assignment_status CHECK (status IN ('accepted', 'refusable', 'refused')),
  basis              text,
  refusal_reason     text,
  refused_on         date,
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee'),
  CONSTRAINT task_assignment_refusal CHECK ((status = 'refused') = (refusal_reason IS NOT NULL AND refused_on IS NOT NULL))
);
COMMENT ON TABLE sdbc.task_assignment IS
  'Tasks a county department hands to a community (R1): accepted when the access list classes them handle or assist and they carry the funds and authority it requires; otherwise refusable, and the community may refuse them with a reason (R1.3); statutory duties are always accepted';
COMMENT ON COLUMN sdbc.task_assignment.assignment_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.task_assignment.department IS 'county department (office) handing the task down';
COMMENT ON COLUMN sdbc.task_assignment.community IS 'community 社区';
COMMENT ON COLUMN sdbc.task_assignment.task_code IS 'task type of the county''s access list';
COMMENT ON COLUMN sdbc.task_assignment.handed_on IS 'day handed down';
COMMENT ON COLUMN sdbc.task_assignment.funding IS 'funds handed down with it, yuan';
COMMENT ON COLUMN sdbc.task_assignment.authority_granted IS 'authority handed down with it';
COMMENT ON COLUMN sdbc.task_assignment.status IS 'accepted, refusable (the community may refuse) or refused (set by the database)';
COMMENT ON COLUMN sdbc.task_assignment.basis IS 'why it is refusable (set by the database)';
COMMENT ON COLUMN sdbc.task_assignment.refusal_reason IS 'the community''s reason for refusing (R1.3)';
COMMENT ON COLUMN sdbc.task_assignment.refused_on IS 'day refused';
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_type', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_assignment', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_assignment_assignment_id_seq', '');

CREATE FUNCTION sdbc.task_assignment_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public AS $$
DECLARE
  t sdbc.task_type;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.department IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'SD409', MESSAGE = 'a task handed to a community names its department',
        DETAIL = 'Rule R1.1/R5.4: the department that hands a task down answers for it (and is evaluated by the community).',
        HINT = 'Give the county department (an office of level 3).';
    END IF;
    SELECT * INTO t FROM sdbc.task_type x
     WHERE x.county = sdbc.divcode_ancestor(NEW.community, 3) AND x.task_code = NEW.task_code;
    NEW.status := 'accepted';
    NEW.basis := NULL;
    IF NOT FOUND THEN
      NEW.status := 'refusable'; NEW.basis := 'not on the county''s access list (R1.1)';
    ELSIF t.statutory THEN
      NEW.status := 'accepted'; NEW.basis := 'statutory duty';
    ELSIF t.class = 'refuse' THEN
      NEW.status := 'refusable'; NEW.basis := 'classed refuse on the access list (R1.1)';
    ELSIF t.needs_funding AND NEW.funding <= 0 THEN
      NEW.status := 'refusable'; NEW.basis := 'handed down without its funds (R1.2 费随事转)';
    ELSIF t.needs_authority AND NOT NEW.authority_granted THEN
      NEW.status := 'refusable'; NEW.basis := 'handed down without its authority (R1.2 权随责走)';
    END IF;
    NEW.refusal_reason := NULL; NEW.refused_on := NULL;
    RETURN NEW;
  END IF;
  -- UPDATE: only a refusal of a refusable task, with its reason
  IF OLD.status <> 'refusable' OR NEW.status <> 'refused' OR NEW.refusal_reason IS NULL
     OR (NEW.department, NEW.community, NEW.task_code, NEW.handed_on, NEW.funding, NEW.authority_granted, NEW.basis)
        IS DISTINCT FROM (OLD.department, OLD.community, OLD.task_code, OLD.handed_on, OLD.funding, OLD.authority_granted, OLD.basis) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD410',
      MESSAGE = format('task %s is %s and cannot be changed that way', OLD.assignment_id, OLD.status),
      DETAIL = 'Rule R1.3: a community may refuse a task that is off the list, classed refuse, or handed down without its funds or authority — with a reason; statutory duties and accepted tasks are not refused.',
      HINT = 'Refuse with sdbc.refuse_task(assignment_id, reason) a task whose status is refusable.';
  END IF;
  NEW.refused_on := coalesce(NEW.refused_on, CURRENT_DATE);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.task_assignment_check() IS
  'Trigger: a task names its department (SD409); its status follows the access list (R1.1) and funds/authority (R1.2); only a refusable task may be refused, with a reason (SD410, R1.3)';
CREATE TRIGGER task_assignment_check BEFORE INSERT OR UPDATE ON sdbc.task_assignment
  FOR EACH ROW EXECUTE FUNCTION sdbc.task_assignment_check();

CREATE FUNCTION sdbc.refuse_task(assignment_id bigint, reason text)
  RETURNS sdbc.task_assignment LANGUAGE sql
BEGIN ATOMIC
  UPDATE sdbc.task_assignment t SET status = 'refused', refusal_reason = refuse_task.reason, refused_on = CURRENT_DATE
   WHERE t.assignment_id = refuse_task.assignment_id
  RETURNING *;
END;
COMMENT ON FUNCTION sdbc.refuse_task(bigint, text) IS 'The community refuses a refusable task with its reason (R1.3)';

CREATE VIEW sdbc.task_by_department AS
  SELECT department, sdbc.divcode_ancestor(community, 3) AS county, count(*) AS tasks,
         count(*) FILTER (WHERE status = 'accepted') AS accepted,
         count(*) FILTER (WHERE status = 'refusable') AS refusable,
         count(*) FILTER (WHERE status = 'refused') AS refused,
         sum(funding) AS funding
    FROM sdbc.task_assignment GROUP BY department, sdbc.divcode_ancestor(community, 3);
COMMENT ON VIEW sdbc.task_by_department IS 'Tasks each county department handed down, how many were refusable or refused, and the funds that came with them (R1)';
COMMENT ON COLUMN sdbc.task_by_department.department IS 'county department';
COMMENT ON COLUMN sdbc.task_by_department.county IS 'county';
COMMENT ON COLUMN sdbc.task_by_department.tasks IS 'tasks handed down';
COMMENT ON COLUMN sdbc.task_by_department.accepted IS 'accepted';
COMMENT ON COLUMN sdbc.task_by_department.refusable IS 'refusable, not (yet) refused';
COMMENT ON COLUMN sdbc.task_by_department.refused IS 'refused by the community (R1.3)';
COMMENT ON COLUMN sdbc.task_by_department.funding IS 'funds handed down, yuan (R1.2)';

CREATE VIEW sdbc.task_refused_by_community AS
  SELECT community, count(*) FILTER (WHERE status = 'refused') AS refused,
         count(*) AS tasks, sum(funding) FILTER (WHERE status <> 'refused') AS funding_kept
    FROM sdbc.task_assignment GROUP BY community;
COMMENT ON VIEW sdbc.task_refused_by_community IS 'Tasks each community refused (R1.3), of those handed to it, and the funds of those it took';
COMMENT ON COLUMN sdbc.task_refused_by_community.community IS 'community';
COMMENT ON COLUMN sdbc.task_refused_by_community.refused IS 'refused';
COMMENT ON COLUMN sdbc.task_refused_by_community.tasks IS 'handed to it';
COMMENT ON COLUMN sdbc.task_refused_by_community.funding_kept IS 'funds of the tasks it took, yuan';

-- Indexes on the columns that reference divisions, so that deleting or
-- renumbering a division checks its references by index, not by scan.
CREATE INDEX staff_division_idx ON sdbc.staff (division);
CREATE INDEX office_member_division_idx ON sdbc.office_member (division);
CREATE INDEX post_division_idx ON sdbc.post (division);
CREATE INDEX account_community_idx ON sdbc.account (community);
CREATE INDEX grid_community_all_idx ON sdbc.grid (community);
CREATE INDEX approval_case_division_idx ON sdbc.approval_case (division);
CREATE INDEX service_application_community_idx ON sdbc.service_application (community);
CREATE INDEX service_matter_county_idx ON sdbc.service_matter (county);
CREATE INDEX task_assignment_community_idx ON sdbc.task_assignment (community);
-- Reading the reference data and policy is open to everyone; changing them
-- is for the owner (roles per jurisdiction come with the security work).
GRANT USAGE ON SCHEMA sdbc TO PUBLIC;
GRANT SELECT ON sdbc.division, sdbc.division_kind, sdbc.urban_rural_class,
                sdbc.division_labeled, sdbc.division_orphan,
                sdbc.policy, sdbc.policy_key, sdbc.policy_described TO PUBLIC;
