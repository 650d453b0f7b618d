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
  unit           text NOT NULL CHECK (unit IN ('households', 'yuan', 'share', 'persons', 'weight', 'days', 'count', 'm2', 'points')),
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
COMMENT ON COLUMN sdbc.policy_key.unit IS 'households, yuan, share (0–1), persons, weight (0–1), days, count, m2 (square metres) or points (evaluation scores)';
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
  value      numeric NOT NULL CONSTRAINT policy_value_finite CHECK (value > '-Infinity' AND value < 'Infinity'),
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

CREATE FUNCTION sdbc.cache_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'cache_invalidate' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.cache_invalidate() IS
  'Statement trigger on the tables that backends cache (policy, policy keys, working-day calendar): tells every backend to reload its copy after the change commits';

CREATE TRIGGER policy_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.policy
  FOR EACH ROW EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_key_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.policy_key
  FOR EACH ROW EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_no_truncate BEFORE TRUNCATE ON sdbc.policy
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_key_no_truncate BEFORE TRUNCATE ON sdbc.policy_key
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.policy_guard();
CREATE TRIGGER policy_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER policy_key_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.policy_key
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();

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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  SET jit = off SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  SET jit = off SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
BEGIN
  NEW.grid_code := sdbc.grid_at(NEW.community, NEW.location);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.building_place() IS 'Trigger: a building is placed in the live grid of its community that contains it, or in none (R7.4)';

-- AFTER UPDATE statement on building: households follow a building that
-- changes community (their grid is the building's, so a move of grid needs
-- no write to the households).
CREATE FUNCTION sdbc.building_move_households() RETURNS trigger LANGUAGE plpgsql
  SET jit = off SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
-- Every update is placed, the cascade of building_moved too (it writes the
-- building's community, which placement confirms with one index lookup): a
-- trigger depth says nothing of who writes (docs/security.md).
CREATE TRIGGER household_place_on_update BEFORE UPDATE OF building_id, community ON sdbc.household
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_place();

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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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

-- Trigger arguments: the rule ID and what the rows record, for the DETAIL.
CREATE FUNCTION sdbc.history_is_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SD207',
    MESSAGE = format('%s is insert-only', TG_TABLE_NAME),
    DETAIL = format('%s: %s are facts: history is kept, never rewritten.',
                    coalesce(TG_ARGV[0], 'history'), coalesce(TG_ARGV[1], 'its rows')),
    HINT = 'Record a new row instead.';
END $$;
COMMENT ON FUNCTION sdbc.history_is_insert_only() IS
  'Trigger: refuses UPDATE, DELETE and TRUNCATE on history tables (SD207); arguments: the rule ID and what the rows record, cited in the DETAIL';
CREATE TRIGGER grid_class_history_insert_only BEFORE UPDATE OR DELETE ON sdbc.grid_class_history
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R7.2', 'grid reclassifications');
CREATE TRIGGER grid_class_history_no_truncate BEFORE TRUNCATE ON sdbc.grid_class_history
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R7.2', 'grid reclassifications');
-- The engine marks its own writes (src/engine_write.c, docs/security.md).
-- Tables that change only through the engine let a write through while the
-- engine writes, whatever the trigger depth a client's own triggers reach.

CREATE FUNCTION sdbc.engine_writing() RETURNS boolean
  AS 'MODULE_PATHNAME', 'engine_writing' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.engine_writing() IS
  'True while the approval engine writes (its C triggers, and the PL/pgSQL engine triggers run through sdbc.engine_trigger); guards of cases, debits and staff divisions let only such writes through (R3.2, R3.4, R2.3, R4.2)';

CREATE FUNCTION sdbc.engine_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'engine_trigger' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.engine_trigger() IS
  'Trigger wrapper: EXECUTE FUNCTION sdbc.engine_trigger(''sdbc.f()'') runs the trigger function sdbc.f with the engine''s flag raised (sdbc.engine_writing()); only on tables of schema sdbc, only for trigger functions of that schema (else 42501)';
REVOKE ALL ON FUNCTION sdbc.engine_trigger() FROM PUBLIC;
-- People in offices, as far as the approval engine needs them (R3, R7.3);
-- the staff capability (R2, R6, R12) builds on these tables.

CREATE TABLE sdbc.staff (
  staff_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CONSTRAINT staff_name_not_blank CHECK (btrim(name) <> ''),
  id_number    sdbc.idcard UNIQUE,
  division     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  -- R2: who the person is, for the staffing figures and the R2.x checks
  category     text CONSTRAINT staff_category_known
                 CHECK (category IN ('administrative', 'institutional', 'public_welfare', 'contract')),
  sex          text CONSTRAINT staff_sex_known CHECK (sex IN ('male', 'female')),
  education    text CONSTRAINT staff_education_known
                 CHECK (education IN ('postgraduate', 'bachelor', 'associate', 'secondary', 'below_secondary')),
  rank         text CONSTRAINT staff_rank_known CHECK (rank IN ('full_section', 'deputy_section')),
  party_member boolean NOT NULL DEFAULT false,
  street_leader boolean NOT NULL DEFAULT false,
  CONSTRAINT staff_leader_at_street CHECK (NOT street_leader OR sdbc.divcode_level(division) = 4)
);
COMMENT ON TABLE sdbc.staff IS 'Staff 工作人员 of streets and communities (personal data: name, identity number)';
COMMENT ON COLUMN sdbc.staff.staff_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.staff.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.staff.id_number IS 'identity number 公民身份号码 (personal data)';
COMMENT ON COLUMN sdbc.staff.division IS 'division where the person serves now 工作单位; kept by sdbc.staff_move (R2.3), as of a date see sdbc.staff_division()';
COMMENT ON COLUMN sdbc.staff.category IS 'establishment 编制 (R2): administrative 行政编制 or institutional 事业编制 (both national cadres 国家干部), public_welfare 公益性岗位, contract 聘用人员; NULL when not recorded';
COMMENT ON COLUMN sdbc.staff.sex IS 'male 男 or female 女 (R2 staffing figures); NULL when not recorded';
COMMENT ON COLUMN sdbc.staff.education IS 'highest education 学历: postgraduate 研究生, bachelor 本科, associate 大专, secondary 中专/高中, below_secondary 初中及以下';
COMMENT ON COLUMN sdbc.staff.rank IS 'rank 职级: full_section 正科级 or deputy_section 副科级 (e.g. two-committee heads); NULL otherwise';
COMMENT ON COLUMN sdbc.staff.party_member IS 'member of the Communist Party 党员 (R6.1)';
COMMENT ON COLUMN sdbc.staff.street_leader IS 'member of the street leadership 街道领导班子 (R2.2: at most policy street.leadership.max per street; only while serving a street)';

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
  grid_code  bigint REFERENCES sdbc.grid (grid_code),
  CONSTRAINT post_a_b_differ CHECK (principal <> backup),
  CONSTRAINT post_grid_leader_has_grid CHECK ((office = 'grid_leader') = (grid_code IS NOT NULL))
);
COMMENT ON TABLE sdbc.post IS 'A/B posts AB岗 (R7.3): every post has a principal (A) and a named backup (B), two different people; B acts for A while A is absent';
COMMENT ON COLUMN sdbc.post.post_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.post.office IS 'office of the post';
COMMENT ON COLUMN sdbc.post.division IS 'division of the post';
COMMENT ON COLUMN sdbc.post.principal IS 'A: the principal';
COMMENT ON COLUMN sdbc.post.backup IS 'B: the named backup';
COMMENT ON COLUMN sdbc.post.grid_code IS 'grid 网格 of a grid-leader post 网格长 (R7.4); NULL for every other office';
CREATE UNIQUE INDEX post_one_leader_per_grid ON sdbc.post (grid_code) WHERE grid_code IS NOT NULL;
CREATE INDEX post_principal_idx ON sdbc.post (principal);
CREATE INDEX post_backup_idx ON sdbc.post (backup);

CREATE TABLE sdbc.absence (
  absence_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id    bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  during      daterange NOT NULL CONSTRAINT absence_not_empty CHECK (NOT isempty(during)),
  reason      text NOT NULL CONSTRAINT absence_reason_known CHECK (reason IN ('leave', 'training', 'sickness', 'other')),
  recorded_by bigint REFERENCES sdbc.staff (staff_id)
);
COMMENT ON TABLE sdbc.absence IS 'Absences 请假/培训/病假 of staff, as date ranges; while the principal of a post is absent its backup acts (R7.3)';
COMMENT ON COLUMN sdbc.absence.absence_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.absence.staff_id IS 'who is absent';
COMMENT ON COLUMN sdbc.absence.during IS 'the days absent (date range)';
COMMENT ON COLUMN sdbc.absence.reason IS 'leave, training, sickness or other';
COMMENT ON COLUMN sdbc.absence.recorded_by IS 'who recorded it 登记人: the login''s own staff member (sdbc.role_staff), never the backup (B) of the absent principal (A), who would then act for A (SD516, R7.3); NULL for the administrator''s rows';
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

CREATE TRIGGER calendar_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.calendar_day
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();

CREATE FUNCTION sdbc.is_working_day(d date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'is_working_day_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.is_working_day(date) IS 'True on Monday–Friday unless listed as a holiday, and on listed make-up weekend days (sdbc.calendar_day, cached per backend)';

CREATE FUNCTION sdbc.add_working_days(d date, n integer) RETURNS date
  AS 'MODULE_PATHNAME', 'add_working_days_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.add_working_days(date, integer) IS 'The n-th working day after d (d itself for n <= 0): deadlines of n working days';

CREATE FUNCTION sdbc.working_days_between(a date, b date) RETURNS integer
  AS 'MODULE_PATHNAME', 'working_days_between_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.working_days_between(date, date) IS 'Working days after a up to and including b (0 when b <= a)';
-- Staff move down (R2): the history of where each person serves, the hard
-- limits a move or an appointment may not break, the compliance report of
-- the others, and the paper's staffing figures as a report on any data set.
--
-- Hard (refused with SD5xx):   street leadership above street.leadership.max
--                              (R2.2); a move that takes a national cadre out
--                              of a community below its R2.4 minimum, while
--                              policy community.national_staff.hard = 1.
-- Reported (sdbc.staff_compliance): sent-down share (R2.1), internal offices
--                              of a street (R2.2), national public servants
--                              per community (R2.4).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('street.offices.max', 'R2.2', 'count', 1, NULL,
   'most internal offices a street keeps (the paper: a single general office for supervision, finance and coordination)',
   '街道内设机构上限(只设综合办公室)', true),
  ('community.national_staff.hard', 'R2.4', 'count', 0, 1,
   '1: a move that takes a national cadre out of a community below its R2.4 minimum is refused; 0: only reported',
   '1:调出国家干部使社区低于最低配备时拒绝;0:仅报告', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('street.offices.max',            NULL, '2014-01-01', 1, true, 'paper: 只设综合办公室 (R2.2)'),
  ('community.national_staff.hard', NULL, '2014-01-01', 1, true, 'sdbc default: the R2.4 minimum holds against moves');

-- Internal offices of a street (R2.2).
CREATE TABLE sdbc.street_office (
  street_office_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  name       text NOT NULL CONSTRAINT street_office_name_not_blank CHECK (btrim(name) <> ''),
  general    boolean NOT NULL DEFAULT false,
  CONSTRAINT street_office_at_street CHECK (sdbc.divcode_level(street) = 4),
  UNIQUE (street, name)
);
COMMENT ON TABLE sdbc.street_office IS
  'Internal offices 内设机构 of a street (R2.2: the street keeps a single general office 综合办公室; more than policy street.offices.max is reported)';
COMMENT ON COLUMN sdbc.street_office.street_office_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.street_office.street IS 'street 街道 (a level-4 division)';
COMMENT ON COLUMN sdbc.street_office.name IS 'name 名称, e.g. 综合办公室';
COMMENT ON COLUMN sdbc.street_office.general IS 'the general office 综合办公室 (supervision, finance, coordination)';

-- Moves (R2.1, R2.3): insert-only, one per person and day, in date order.
CREATE TABLE sdbc.staff_move (
  move_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id       bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  moved_on       date NOT NULL,
  kind           text NOT NULL CONSTRAINT staff_move_kind_known
                   CHECK (kind IN ('hire', 'sent_down', 'transfer', 'leave')),
  from_division  sdbc.divcode REFERENCES sdbc.division (code),
  to_division    sdbc.divcode REFERENCES sdbc.division (code),
  note           text,
  CONSTRAINT staff_move_ends CHECK (CASE kind WHEN 'hire'  THEN from_division IS NULL AND to_division IS NOT NULL
                                              WHEN 'leave' THEN from_division IS NOT NULL AND to_division IS NULL
                                              ELSE from_division IS NOT NULL AND to_division IS NOT NULL
                                                   AND from_division OPERATOR(sdbc.<>) to_division END),
  UNIQUE (staff_id, moved_on)
);
COMMENT ON TABLE sdbc.staff_move IS
  'Moves of staff 人员调动 (R2.1, R2.3): hire, sent down from a street to one of its communities 下沉, transfer, leave; insert-only, in date order; the latest sets sdbc.staff.division';
COMMENT ON COLUMN sdbc.staff_move.move_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.staff_move.staff_id IS 'who moves';
COMMENT ON COLUMN sdbc.staff_move.moved_on IS 'first day in the new division 调动日期';
COMMENT ON COLUMN sdbc.staff_move.kind IS 'hire 录用, sent_down 下沉 (street → one of its communities, R2.1), transfer 调动, leave 离职';
COMMENT ON COLUMN sdbc.staff_move.from_division IS 'division served until the move; NULL for a hire';
COMMENT ON COLUMN sdbc.staff_move.to_division IS 'division served from the move on; NULL for a leave';
COMMENT ON COLUMN sdbc.staff_move.note IS 'document or reason';
CREATE INDEX staff_move_to_idx ON sdbc.staff_move (to_division, moved_on);

SELECT pg_catalog.pg_extension_config_dump('sdbc.street_office', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.street_office_street_office_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_move', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_move_move_id_seq', '');

-- Where a person serves on a date: the latest move on or before it; before
-- the first move, where that move came from (nowhere before a hire); with no
-- moves at all, sdbc.staff.division.
CREATE FUNCTION sdbc.staff_division(who bigint, on_date date DEFAULT CURRENT_DATE) RETURNS sdbc.divcode
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT CASE WHEN l.kind IS NOT NULL THEN l.to_division
              WHEN f.kind IS NULL THEN s.division
              WHEN f.kind = 'hire' THEN NULL
              ELSE f.from_division END
    FROM sdbc.staff s
    LEFT JOIN LATERAL (SELECT m.kind, m.to_division FROM sdbc.staff_move m
                        WHERE m.staff_id = s.staff_id AND m.moved_on <= on_date
                        ORDER BY m.moved_on DESC LIMIT 1) l ON true
    LEFT JOIN LATERAL (SELECT m.kind, m.from_division FROM sdbc.staff_move m
                        WHERE m.staff_id = s.staff_id
                        ORDER BY m.moved_on LIMIT 1) f ON true
   WHERE s.staff_id = who;
END;
COMMENT ON FUNCTION sdbc.staff_division(bigint, date) IS
  'Division a person serves on a date (R2.3), from sdbc.staff_move; NULL before a hire or after a leave; sdbc.staff.division for a person without moves';

CREATE FUNCTION sdbc.is_national_cadre(category text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce(category IN ('administrative', 'institutional'), false);
COMMENT ON FUNCTION sdbc.is_national_cadre(text) IS
  'True for the establishments of national cadres 国家干部 (行政编制, 事业编制): the national public servants of R2.4';

-- National cadres serving a community on a date (R2.4).
CREATE FUNCTION sdbc.community_national_staff(community sdbc.divcode, on_date date DEFAULT CURRENT_DATE) RETURNS bigint
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*) FROM sdbc.staff s
   WHERE sdbc.is_national_cadre(s.category)
     AND (s.division OPERATOR(sdbc.=) community
          OR EXISTS (SELECT 1 FROM sdbc.staff_move m WHERE m.staff_id = s.staff_id
                        AND (m.to_division OPERATOR(sdbc.=) community OR m.from_division OPERATOR(sdbc.=) community)))
     AND sdbc.staff_division(s.staff_id, on_date) OPERATOR(sdbc.=) community;
END;
COMMENT ON FUNCTION sdbc.community_national_staff(sdbc.divcode, date) IS
  'Number of national cadres 国家公职人员 serving the community on the date (R2.4)';

-- A row that arrives with an id its table's sequence did not just hand out
-- in this session is a restore (pg_restore copies ids); history checks that
-- read other tables as of a date then stand aside, for a superuser only,
-- since the rows they would read may not be restored yet.
CREATE FUNCTION sdbc.is_restored_row(seq regclass, id bigint) RETURNS boolean
  LANGUAGE plpgsql VOLATILE STRICT AS $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    RETURN false;
  END IF;
  RETURN id <> pg_catalog.currval(seq);
EXCEPTION WHEN object_not_in_prerequisite_state THEN   -- currval not yet defined in this session
  RETURN true;
END $$;
COMMENT ON FUNCTION sdbc.is_restored_row(regclass, bigint) IS
  'True when a superuser writes a row whose id was not just drawn from its sequence in this session: a restore (pg_restore), whose history checks are skipped';

-- The hard staffing limits (R2.2 street leadership, R2.4 community national
-- cadres) count rows of sdbc.staff and sdbc.staff_move.  Every check first
-- updates the division's row here: two sessions checking one street or
-- community queue (READ COMMITTED: the second then counts the first one's
-- change) or the later one gets a serialization failure (REPEATABLE READ,
-- whose snapshot could not see the other's row).
CREATE TABLE sdbc.staff_limit_lock (
  division  sdbc.divcode PRIMARY KEY,
  writes    bigint NOT NULL
);
COMMENT ON TABLE sdbc.staff_limit_lock IS
  'Internal: one row per street or community, updated by every check of its hard staffing limits (R2.2 leadership, R2.4 national cadres), so that concurrent writers queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ) instead of both passing';
COMMENT ON COLUMN sdbc.staff_limit_lock.division IS 'street or community';
COMMENT ON COLUMN sdbc.staff_limit_lock.writes IS 'checks run so far';

CREATE FUNCTION sdbc.staff_limit_lock(division sdbc.divcode) RETURNS void
  LANGUAGE sql VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
  INSERT INTO sdbc.staff_limit_lock AS l (division, writes) VALUES (staff_limit_lock.division, 1)
  ON CONFLICT ON CONSTRAINT staff_limit_lock_pkey DO UPDATE SET writes = l.writes + 1;
END;
COMMENT ON FUNCTION sdbc.staff_limit_lock(sdbc.divcode) IS
  'Internal: takes the row lock of a street or community in sdbc.staff_limit_lock before its hard staffing limits are counted';

-- R2.4, hard while policy community.national_staff.hard = 1: a national cadre
-- who stops counting for a community from a date on (a move out, a leave, a
-- change of category, a deletion) must leave it at its minimum on that date
-- and on every later date a move into or out of it is recorded: the count
-- only changes on those dates, so the minimum over them is the minimum from
-- the date on.  Raises SD505 for the first date that falls short.
CREATE FUNCTION sdbc.community_minimum_check(community sdbc.divcode, who bigint, from_date date, what text)
  RETURNS void LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  short record;
BEGIN
  IF community IS NULL OR sdbc.divcode_level(community) <> 5 THEN
    RETURN;
  END IF;
  PERFORM sdbc.staff_limit_lock(community);
  SELECT d.on_date, x.remaining, x.need INTO short
    FROM (SELECT from_date AS on_date
          UNION
          SELECT m.moved_on FROM sdbc.staff_move m
           WHERE (m.to_division = community OR m.from_division = community) AND m.moved_on > from_date) d,
         LATERAL (SELECT sdbc.community_national_staff(community, d.on_date)
                         - CASE WHEN sdbc.staff_division(who, d.on_date) = community THEN 1 ELSE 0 END AS remaining,
                         sdbc.policy_value(CASE WHEN (SELECT v.key_complex FROM sdbc.division v WHERE v.code = community)
                                                THEN 'community.national_staff.min_key' ELSE 'community.national_staff.min' END,
                                           community, d.on_date) AS need) x
   WHERE sdbc.policy_value('community.national_staff.hard', community, d.on_date) = 1
     AND x.remaining < x.need
   ORDER BY d.on_date
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD505',
      MESSAGE = format('%s would leave community %s with %s national public servants on %s, fewer than %s',
                       what, community, short.remaining, short.on_date, short.need),
      DETAIL = 'R2.4: a general community has at least 10 national public servants, a key or complex one at least 15 (policy community.national_staff.min, .min_key), on every day from the change on.',
      HINT = 'Send a replacement first (dated no later than the shortfall), or set policy community.national_staff.hard to 0 to report instead of refusing.';
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.community_minimum_check(sdbc.divcode, bigint, date, text) IS
  'Internal: refuses (SD505, R2.4) when staff member who, no longer counted for the community from from_date on, leaves it below its national-cadre minimum on that date or on any later recorded move date into or out of it, while policy community.national_staff.hard = 1; serialised per community (sdbc.staff_limit_lock)';

-- Direct writes to sdbc.staff: the street leadership limit (R2.2, hard); the
-- division changes only by a move (R2.3), except to correct the record of
-- someone with no moves yet; a national cadre does not leave a community
-- below its minimum by a change of category, a correction or a deletion
-- (R2.4); a grid leader stays in the grid's community (R7.4).
CREATE FUNCTION sdbc.staff_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  leaders bigint;
  lim numeric;
  post_id bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF sdbc.is_national_cadre(OLD.category) THEN
      PERFORM sdbc.community_minimum_check(OLD.division, OLD.staff_id, CURRENT_DATE,
                                           format('deleting staff %s', OLD.staff_id));
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.division <> OLD.division AND NOT sdbc.engine_writing() THEN
    -- not from the move trigger (sdbc.engine_writing(), whatever the trigger
    -- depth): a correction, only before the history starts
    IF EXISTS (SELECT 1 FROM sdbc.staff_move m WHERE m.staff_id = OLD.staff_id) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD514',
        MESSAGE = format('staff %s has recorded moves: the division changes only by a move', OLD.staff_id),
        DETAIL = 'R2.3: where a person serves follows from the history of moves (sdbc.staff_move).',
        HINT = format('Record a transfer, sent-down move or leave from %s in sdbc.staff_move.', OLD.division);
    END IF;
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.office = 'grid_leader' AND p.division = OLD.division AND OLD.staff_id IN (p.principal, p.backup)
     ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('staff %s is a grid leader (A or B) of post %s in community %s', OLD.staff_id, post_id, OLD.division),
        DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
        HINT = format('Name someone else A or B of post %s first.', post_id);
    END IF;
    IF sdbc.is_national_cadre(OLD.category) THEN
      PERFORM sdbc.community_minimum_check(OLD.division, OLD.staff_id, CURRENT_DATE,
                                           format('moving staff %s', OLD.staff_id));
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND sdbc.is_national_cadre(OLD.category) AND NOT sdbc.is_national_cadre(NEW.category) THEN
    PERFORM sdbc.community_minimum_check(sdbc.staff_division(OLD.staff_id, CURRENT_DATE), OLD.staff_id, CURRENT_DATE,
                                         format('changing the category of staff %s', OLD.staff_id));
  END IF;
  IF NEW.street_leader AND (TG_OP = 'INSERT' OR NOT OLD.street_leader OR OLD.division <> NEW.division) THEN
    PERFORM sdbc.staff_limit_lock(NEW.division);
    SELECT count(*) INTO leaders FROM sdbc.staff s
     WHERE s.street_leader AND s.division = NEW.division AND s.staff_id <> NEW.staff_id;
    lim := sdbc.policy_value('street.leadership.max', NEW.division, CURRENT_DATE);
    IF leaders + 1 > lim THEN
      RAISE EXCEPTION USING ERRCODE = 'SD504',
        MESSAGE = format('street %s would have %s leaders, more than %s', NEW.division, leaders + 1, lim),
        DETAIL = 'R2.2: the street leadership shrinks to policy street.leadership.max members.',
        HINT = 'Take someone off the leadership first (a sent-down move to a community does), or override the policy for this street.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.staff_check() IS
  'Trigger on sdbc.staff: no street gets more leaders than policy street.leadership.max (R2.2, SD504); the division changes only by a move once the person has one (R2.3, SD514); a change of division, of category or a deletion does not leave a community below its national-cadre minimum (R2.4, SD505) nor a grid without its leader''s community staff (R7.4, SD507)';
CREATE TRIGGER staff_check BEFORE INSERT OR UPDATE OF street_leader, division, category OR DELETE ON sdbc.staff
  FOR EACH ROW EXECUTE FUNCTION sdbc.staff_check();

-- A move: not in the future, divisions exist, the move continues the
-- person's history, a sent-down move goes from a street to one of its
-- communities, a grid leader does not leave the grid's community (R7.4), and
-- a national cadre does not leave a community below its minimum (R2.4, hard
-- while policy community.national_staff.hard = 1).  A restored row (see
-- sdbc.is_restored_row) gets only the checks that need no other table.
CREATE FUNCTION sdbc.staff_move_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  s record;
  last_move sdbc.staff_move;
  was sdbc.divcode;
  d sdbc.divcode;
  post_id bigint;
BEGIN
  IF NOT (CASE NEW.kind WHEN 'hire'  THEN NEW.from_division IS NULL AND NEW.to_division IS NOT NULL
                        WHEN 'leave' THEN NEW.from_division IS NOT NULL AND NEW.to_division IS NULL
                        ELSE NEW.from_division IS NOT NULL AND NEW.to_division IS NOT NULL END) THEN
    RETURN NEW;   -- check constraint staff_move_ends reports it
  END IF;
  IF NEW.moved_on > CURRENT_DATE THEN
    RAISE EXCEPTION USING ERRCODE = 'SD515',
      MESSAGE = format('a move dated %s lies in the future', NEW.moved_on),
      DETAIL = 'R2.3: a move is recorded when it has taken effect; until then the person serves where the history says.',
      HINT = 'Record the move on or after the day it takes effect.';
  END IF;
  FOREACH d IN ARRAY ARRAY[NEW.from_division, NEW.to_division] LOOP
    IF d IS NOT NULL AND sdbc.divcode_level(d) < 3 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD501',
        MESSAGE = format('division %s is not a county, street or community', d),
        DETAIL = 'R2.3: staff serve counties, streets and communities.',
        HINT = 'Name the county, street or community the person serves.';
    END IF;
  END LOOP;
  IF NEW.kind = 'sent_down' AND NOT (sdbc.divcode_level(NEW.from_division) = 4
                                      AND sdbc.divcode_level(NEW.to_division) = 5
                                      AND NEW.to_division <@ NEW.from_division) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD503',
      MESSAGE = format('a move from %s to %s is not a move down', NEW.from_division, NEW.to_division),
      DETAIL = 'R2.1, R2.3: street staff are sent down to the communities of their own street.',
      HINT = 'Send the person to a community of the street, or record a transfer.';
  END IF;
  IF sdbc.is_restored_row('sdbc.staff_move_move_id_seq', NEW.move_id) THEN
    RETURN NEW;   -- a restore replays the history as it was; sdbc.staff comes back as dumped
  END IF;

  FOREACH d IN ARRAY ARRAY[NEW.from_division, NEW.to_division] LOOP
    IF d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sdbc.division x WHERE x.code = d) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD501',
        MESSAGE = format('division %s does not exist', d),
        DETAIL = 'R2.3: staff move between divisions of the tree (streets, communities, counties).',
        HINT = 'Load the division into sdbc.division first, or correct the code.';
    END IF;
  END LOOP;

  -- (named columns: the staff roles may not read id_number, sql/97_roles.sql)
  SELECT x.staff_id, x.division, x.category INTO s FROM sdbc.staff x WHERE x.staff_id = NEW.staff_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  SELECT * INTO last_move FROM sdbc.staff_move WHERE staff_id = NEW.staff_id ORDER BY moved_on DESC LIMIT 1;
  IF FOUND AND last_move.moved_on >= NEW.moved_on THEN
    RAISE EXCEPTION USING ERRCODE = 'SD502',
      MESSAGE = format('move of staff %s on %s is not after the last recorded move (%s)', NEW.staff_id, NEW.moved_on, last_move.moved_on),
      DETAIL = 'R2.3: the history of moves is kept in date order and never rewritten.',
      HINT = 'Record moves in the order they happened.';
  END IF;
  was := CASE WHEN last_move.move_id IS NOT NULL THEN last_move.to_division
              WHEN NEW.kind = 'hire' THEN NULL
              ELSE s.division END;
  IF NEW.from_division IS DISTINCT FROM was
     OR (last_move.move_id IS NULL AND NEW.kind = 'hire' AND NEW.to_division <> s.division) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD502',
      MESSAGE = CASE WHEN NEW.from_division IS DISTINCT FROM was
                     THEN format('staff %s serves %s, not %s, before the move of %s',
                                 NEW.staff_id, coalesce(was::text, 'nowhere'), coalesce(NEW.from_division::text, 'nowhere'), NEW.moved_on)
                     ELSE format('staff %s serves %s, not %s: the first hire records where the person serves',
                                 NEW.staff_id, s.division, NEW.to_division) END,
      DETAIL = 'R2.3: a move starts where the person serves.',
      HINT = CASE WHEN was IS NULL AND NEW.kind <> 'hire' THEN 'Record a hire first.'
                  WHEN NEW.kind = 'hire' AND was IS NOT NULL THEN format('The person serves %s: record a transfer or a leave.', was)
                  WHEN NEW.kind = 'hire' THEN format('Hire into %s.', s.division)
                  ELSE format('Move from %s.', was) END;
  END IF;

  IF NEW.from_division IS NOT NULL THEN
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.office = 'grid_leader' AND p.division = NEW.from_division AND NEW.staff_id IN (p.principal, p.backup)
     ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('staff %s is a grid leader (A or B) of post %s in community %s and cannot leave it',
                         NEW.staff_id, post_id, NEW.from_division),
        DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
        HINT = format('Name someone else A or B of post %s first (UPDATE sdbc.post), then record the move.', post_id);
    END IF;
  END IF;

  IF sdbc.is_national_cadre(s.category) THEN
    PERFORM sdbc.community_minimum_check(NEW.from_division, NEW.staff_id, NEW.moved_on,
                                         format('moving staff %s', NEW.staff_id));
  END IF;

  -- The person serves the new division; whoever moves leaves the street leadership (R2.3).
  UPDATE sdbc.staff SET division = coalesce(NEW.to_division, division), street_leader = false
   WHERE staff_id = NEW.staff_id;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.staff_move_check() IS
  'Trigger on sdbc.staff_move: not dated in the future (SD515), divisions exist (SD501), moves continue the history (SD502), sent down means street → own community (SD503), a grid leader does not leave the grid''s community (SD507, R7.4), a community keeps its R2.4 minimum on every day from the move on when the policy makes it hard (SD505); then sets sdbc.staff.division and takes the person off the street leadership (R2.3). A restored row gets only the checks that read no other table (SD515, SD501 level, SD503)';

-- through sdbc.engine_trigger: the division it writes is the engine's (SD514)
CREATE TRIGGER staff_move_check BEFORE INSERT ON sdbc.staff_move
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.staff_move_check()');
CREATE TRIGGER staff_move_insert_only BEFORE UPDATE OR DELETE ON sdbc.staff_move
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R2.3', 'staff moves');
CREATE TRIGGER staff_move_no_truncate BEFORE TRUNCATE ON sdbc.staff_move
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R2.3', 'staff moves');

-- Compliance with R2.1, R2.2, R2.4 on a date, every check with its outcome.
CREATE FUNCTION sdbc.staff_compliance(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (division sdbc.divcode, name text, rule_id text, measure text, value numeric, bound numeric, ok boolean)
  LANGUAGE sql STABLE STRICT PARALLEL RESTRICTED
BEGIN ATOMIC
  WITH placed AS (
    SELECT s.staff_id, s.category, s.street_leader, sdbc.staff_division(s.staff_id, on_date) AS at
      FROM sdbc.staff s
  ), sent AS (   -- the street each person was last sent down from, while still in its communities
    SELECT p.staff_id, p.at, m.from_division AS street
      FROM placed p
      JOIN LATERAL (SELECT x.from_division FROM sdbc.staff_move x
                     WHERE x.staff_id = p.staff_id AND x.kind = 'sent_down' AND x.moved_on <= on_date
                     ORDER BY x.moved_on DESC LIMIT 1) m ON true
     WHERE p.at OPERATOR(sdbc.<@) m.from_division AND sdbc.divcode_level(p.at) = 5
  ), streets AS (
    SELECT DISTINCT x.code FROM (
      SELECT p.at AS code FROM placed p WHERE sdbc.divcode_level(p.at) = 4
      UNION ALL SELECT street FROM sent
      UNION ALL SELECT o.street FROM sdbc.street_office o) x
  ), communities AS (
    SELECT DISTINCT p.at AS code FROM placed p WHERE sdbc.divcode_level(p.at) = 5
  ), placed_count AS (   -- counted once per division, not once per division and person
    SELECT p.at AS code, count(*) AS staff,
           count(*) FILTER (WHERE sdbc.is_national_cadre(p.category)) AS national
      FROM placed p WHERE p.at IS NOT NULL GROUP BY p.at
  ), sent_count AS (
    SELECT sent.street AS code, count(*) AS sent FROM sent GROUP BY sent.street
  ), leader_count AS (
    SELECT s.division AS code, count(*) AS leaders FROM sdbc.staff s WHERE s.street_leader GROUP BY s.division
  ), office_count AS (
    SELECT o.street AS code, count(*) AS offices FROM sdbc.street_office o GROUP BY o.street
  ), checks AS (
    SELECT st.code, 'R2.1' AS rule_id, 'share of street staff sent down 下沉比例' AS measure,
           round(coalesce(sc.sent, 0)::numeric / nullif(coalesce(sc.sent, 0) + coalesce(pc.staff, 0), 0), 3) AS value,
           sdbc.policy_value('street.staff_sent_down.min_share', st.code, on_date) AS bound, 'min' AS sense
      FROM streets st
      LEFT JOIN sent_count sc ON sc.code OPERATOR(sdbc.=) st.code
      LEFT JOIN placed_count pc ON pc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT st.code, 'R2.2', 'street leadership 街道领导班子', coalesce(lc.leaders, 0),
           sdbc.policy_value('street.leadership.max', st.code, on_date), 'max'
      FROM streets st LEFT JOIN leader_count lc ON lc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT st.code, 'R2.2', 'internal offices 内设机构', coalesce(oc.offices, 0),
           sdbc.policy_value('street.offices.max', st.code, on_date), 'max'
      FROM streets st LEFT JOIN office_count oc ON oc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT c.code, 'R2.4', 'national public servants 国家公职人员', coalesce(pc.national, 0),
           sdbc.policy_value(CASE WHEN d.key_complex THEN 'community.national_staff.min_key'
                                  ELSE 'community.national_staff.min' END, c.code, on_date), 'min'
      FROM communities c JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) c.code
      LEFT JOIN placed_count pc ON pc.code OPERATOR(sdbc.=) c.code
  )
  SELECT k.code, d.name, k.rule_id, k.measure, k.value, k.bound,
         CASE WHEN k.value IS NULL THEN NULL WHEN k.sense = 'min' THEN k.value >= k.bound ELSE k.value <= k.bound END
    FROM checks k JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) k.code
   ORDER BY k.code, k.rule_id, k.measure;
END;
COMMENT ON FUNCTION sdbc.staff_compliance(date) IS
  'Staffing checks on a date, one row per street or community and measure, ok = false for a violation: R2.1 share of street staff sent down (≥ policy street.staff_sent_down.min_share), R2.2 leadership (≤ street.leadership.max; current members) and internal offices (≤ street.offices.max), R2.4 national public servants per community (≥ community.national_staff.min or .min_key)';

CREATE VIEW sdbc.staff_violation AS
  SELECT division, name, rule_id, measure, value, bound
    FROM sdbc.staff_compliance(CURRENT_DATE) WHERE NOT ok;
COMMENT ON VIEW sdbc.staff_violation IS 'Staffing rules broken today (R2.1, R2.2, R2.4), with the rule ID';
COMMENT ON COLUMN sdbc.staff_violation.division IS 'street or community';
COMMENT ON COLUMN sdbc.staff_violation.name IS 'its name 名称';
COMMENT ON COLUMN sdbc.staff_violation.rule_id IS 'rule broken';
COMMENT ON COLUMN sdbc.staff_violation.measure IS 'what was measured';
COMMENT ON COLUMN sdbc.staff_violation.value IS 'measured value';
COMMENT ON COLUMN sdbc.staff_violation.bound IS 'policy bound in force';

-- The paper's staffing figures (R2) over the staff serving communities
-- under a division (NULL: everywhere) on a date.
CREATE FUNCTION sdbc.staffing_report(under sdbc.divcode DEFAULT NULL, on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (n integer, measure text, label_zh text, persons bigint, share_pct numeric)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  WITH s AS (
    SELECT st.staff_id, st.name, st.division, st.category, st.sex, st.education, st.rank, st.party_member, st.street_leader
      FROM sdbc.staff st   -- named columns: the staff roles may not read id_number (sql/97_roles.sql)
     WHERE sdbc.divcode_level(sdbc.staff_division(st.staff_id, on_date)) = 5
       AND (under IS NULL OR sdbc.staff_division(st.staff_id, on_date) OPERATOR(sdbc.<@) under)
  ), f AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE sdbc.is_national_cadre(category)) AS national,
           count(*) FILTER (WHERE category = 'administrative') AS admin,
           count(*) FILTER (WHERE category = 'institutional') AS inst,
           count(*) FILTER (WHERE category = 'public_welfare') AS welfare,
           count(*) FILTER (WHERE category = 'contract') AS contract,
           count(*) FILTER (WHERE category IS NULL) AS uncat,
           count(*) FILTER (WHERE sex = 'male') AS men,
           count(*) FILTER (WHERE education IN ('postgraduate', 'bachelor')) AS bachelor,
           count(*) FILTER (WHERE education = 'associate') AS associate,
           count(*) FILTER (WHERE rank = 'full_section') AS full_section,
           count(*) FILTER (WHERE rank = 'deputy_section') AS deputy_section,
           count(*) FILTER (WHERE party_member) AS party
      FROM s
  )
  SELECT v.n, v.measure, v.label_zh, v.persons, round(100.0 * v.persons / nullif(f.total, 0), 1)
    FROM f, LATERAL (VALUES
      (1,  'community staff',                 '社区工作人员',         f.total),
      (2,  'national cadres',                 '在编国家干部',         f.national),
      (3,  '  administrative establishment',  '  行政编制',           f.admin),
      (4,  '  institutional establishment',   '  事业编制',           f.inst),
      (5,  'public-welfare posts',            '公益性岗位',           f.welfare),
      (6,  'contract hires',                  '聘用人员',             f.contract),
      (7,  'category not recorded',           '未登记',               f.uncat),
      (8,  'men',                             '男性',                 f.men),
      (9,  'bachelor or above',               '本科及以上',           f.bachelor),
      (10, 'associate degree',                '大专',                 f.associate),
      (11, 'associate degree or above',       '大专及以上',           f.bachelor + f.associate),
      (12, 'full section level',              '正科级',               f.full_section),
      (13, 'deputy section level',            '副科级',               f.deputy_section),
      (14, 'party members',                   '党员',                 f.party)) v(n, measure, label_zh, persons)
   ORDER BY v.n;
END;
COMMENT ON FUNCTION sdbc.staffing_report(sdbc.divcode, date) IS
  'The paper''s staffing figures (R2) for the staff serving communities under a division (NULL: all) on a date: totals by establishment, national-cadre share, men, education, rank, party members; share_pct of all community staff';
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

-- The engine's triggers cache rules and route versions per backend (src/route_cache.c).
CREATE TRIGGER route_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER route_step_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route_step
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER route_rule_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route_rule
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();

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
-- The open cases of one county: sdbc.service_open's county column is this
-- expression, and the planner cannot turn it into a range of division codes
-- (without it the county's overdue count seq-scans every case: 117 ms
-- against 11 ms with it, in test/bench/service.sh).
CREATE INDEX approval_case_open_county_idx ON sdbc.approval_case (sdbc.divcode_ancestor(division, 3)) WHERE status = 'open';

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
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R3.2, R3.3', 'approval decisions');
CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON sdbc.decision
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R3.2, R3.3', 'approval decisions');

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
CREATE FUNCTION sdbc.approval_case_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'approval_case_guard' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.approval_case_guard() IS 'Trigger: cases are written only by the engine''s triggers (SD316), or by a superuser (restores)';
CREATE TRIGGER approval_case_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.approval_case
  FOR EACH ROW EXECUTE FUNCTION sdbc.approval_case_guard();
-- People in posts (R7.3, R7.4) and household visits (R12.2): every grid has a
-- grid leader post held by staff of the grid's community, every post an A
-- and a B who are never absent at the same time, and someone visits
-- households every day.

INSERT INTO sdbc.office (office, level, name_zh, name_en, builtin) VALUES
  ('grid_leader', 5, '网格长', 'grid leader', true);

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('visit.key_population.max_days', 'R12.2', 'days', 1, NULL,
   'longest a household with key population may go without a visit', '重点人口户走访最长间隔天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('visit.key_population.max_days', NULL, '2014-01-01', 7, true,
   'sdbc default: the paper asks for visits every day (每天有人入户走访) and names no interval for key population');

-- A and B never absent together (R7.3): a post written and an absence written
-- at the same time must see each other.  Both paths first take a transaction
-- advisory lock per staff member they write for (class key
-- hashtext('sdbc.absence_ab'), ascending staff_id), then update the rows of
-- sdbc.staff_absence_lock of everyone whose absences they compare (ascending
-- staff_id), and only then read.  At READ COMMITTED the second writer waits
-- and then sees the first one's row; at REPEATABLE READ, whose snapshot
-- cannot see it, the row update fails with a serialization failure (40001).
CREATE TABLE sdbc.staff_absence_lock (
  staff_id  bigint PRIMARY KEY,
  writes    bigint NOT NULL
);
COMMENT ON TABLE sdbc.staff_absence_lock IS
  'Internal: one row per staff member, updated by every write of an A/B post naming the person and every absence of the person or of one of their A/B partners, so that such writes queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ) instead of both passing the overlap check (R7.3)';
COMMENT ON COLUMN sdbc.staff_absence_lock.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.staff_absence_lock.writes IS 'post and absence writes that locked the person so far';

CREATE FUNCTION sdbc.staff_absence_lock(who bigint[]) RETURNS void
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
  INSERT INTO sdbc.staff_absence_lock AS l (staff_id, writes)
  SELECT DISTINCT u.id, 1 FROM unnest(who) u(id) WHERE u.id IS NOT NULL ORDER BY 1
  ON CONFLICT ON CONSTRAINT staff_absence_lock_pkey DO UPDATE SET writes = l.writes + 1;
END;
COMMENT ON FUNCTION sdbc.staff_absence_lock(bigint[]) IS
  'Internal: takes the row locks of the given staff members in sdbc.staff_absence_lock, in ascending staff_id, before A/B absences are compared (R7.3)';

-- Posts: A and B differ (R7.3); a grid leader post belongs to the grid's
-- community and is held by its staff (R7.4); A and B are not absent at
-- overlapping times.
CREATE FUNCTION sdbc.post_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  g sdbc.grid;
  who bigint;
BEGIN
  IF NEW.principal = NEW.backup THEN
    RAISE EXCEPTION USING ERRCODE = 'SD506',
      MESSAGE = format('staff %s cannot be both principal (A) and backup (B) of a post', NEW.principal),
      DETAIL = 'R7.3: every post has a principal and a backup, two different people.',
      HINT = 'Name another person as backup.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.post_post_id_seq', NEW.post_id) THEN
    RETURN NEW;   -- a restore: staff moves and absences may not be back yet
  END IF;
  IF NEW.office = 'grid_leader' AND NEW.grid_code IS NOT NULL THEN
    SELECT * INTO g FROM sdbc.grid WHERE grid_code = NEW.grid_code;
    IF FOUND AND g.community <> NEW.division THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('grid %s belongs to community %s, not %s', NEW.grid_code, g.community, NEW.division),
        DETAIL = 'R7.4: a grid leader post is a post of the grid''s community.',
        HINT = format('Set the post''s division to %s.', g.community);
    END IF;
    FOREACH who IN ARRAY ARRAY[NEW.principal, NEW.backup] LOOP
      IF sdbc.staff_division(who, CURRENT_DATE) IS DISTINCT FROM NEW.division THEN
        RAISE EXCEPTION USING ERRCODE = 'SD507',
          MESSAGE = format('staff %s does not serve community %s, the community of grid %s',
                           who, NEW.division, NEW.grid_code),
          DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
          HINT = 'Choose staff of that community, or record the person''s move there first (sdbc.staff_move).';
      END IF;
    END LOOP;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.principal <> OLD.principal OR NEW.backup <> OLD.backup THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (x.id % 2147483647)::integer)
       FROM (SELECT DISTINCT unnest(ARRAY[NEW.principal, NEW.backup]) AS id ORDER BY 1) x;
    PERFORM sdbc.staff_absence_lock(ARRAY[NEW.principal, NEW.backup]);
    -- (after the locks: an absence written at the same time is seen)
    -- B may not be made backup of an A whose absence, current, to come or
    -- open-ended, B recorded himself: he would act for A on it (SD516)
    SELECT a.absence_id INTO who FROM sdbc.absence a
     WHERE a.staff_id = NEW.principal AND a.recorded_by = NEW.backup
       AND (upper_inf(a.during) OR upper(a.during) > CURRENT_DATE)
     ORDER BY a.absence_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s recorded absence %s of staff %s and cannot be his backup (B) while it lasts',
                         NEW.backup, who, NEW.principal),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Name another backup, or let A, the street office or another colleague record the absence again.';
    END IF;
    IF EXISTS (SELECT 1 FROM sdbc.absence a JOIN sdbc.absence b ON a.during && b.during
                WHERE a.staff_id = NEW.principal AND b.staff_id = NEW.backup) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD508',
        MESSAGE = format('staff %s and %s are absent at overlapping times', NEW.principal, NEW.backup),
        DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time.',
        HINT = 'Choose a backup who is present whenever the principal is absent.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.post_check() IS
  'Trigger on sdbc.post: A and B differ (SD506, R7.3); B did not record a current or coming absence of A (SD516); a grid leader post is of the grid''s community and held by its staff (SD507, R7.4); A and B have no overlapping absences (SD508), serialised against absences written at the same time (advisory lock per person, sdbc.staff_absence_lock). A restored row gets only SD506';
CREATE TRIGGER post_check BEFORE INSERT OR UPDATE ON sdbc.post
  FOR EACH ROW EXECUTE FUNCTION sdbc.post_check();

-- Absences: lock the person (advisory), then the lock rows of the person and
-- of every A/B partner (ascending), then look for the partners' absences.
CREATE FUNCTION sdbc.absence_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  clash record;
  post_id bigint;
  recording boolean := TG_OP = 'INSERT' AND NOT sdbc.is_restored_row('sdbc.absence_absence_id_seq', NEW.absence_id);
BEGIN
  -- who records it: the login's own person (a restored row keeps its recorder)
  IF recording THEN
    IF NEW.recorded_by IS NULL THEN
      NEW.recorded_by := sdbc.my_staff_id();
    END IF;
    PERFORM sdbc.check_login_is('sdbc.absence', NEW.recorded_by, 'record an absence');
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (NEW.staff_id % 2147483647)::integer);
  PERFORM sdbc.staff_absence_lock(NEW.staff_id || ARRAY(
            SELECT CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END
              FROM sdbc.post p WHERE p.principal = NEW.staff_id OR p.backup = NEW.staff_id));

  -- (after the locks: a post written at the same time is seen) not A's
  -- backup, who would then act for A (R7.3)
  IF recording AND NEW.recorded_by IS NOT NULL THEN
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.principal = NEW.staff_id AND p.backup = NEW.recorded_by ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s is the backup (B) of staff %s on post %s and cannot record his absence',
                         NEW.recorded_by, NEW.staff_id, post_id),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Let A, the street office or another colleague record the absence.';
    END IF;
  END IF;

  SELECT p.post_id, p.office, p.division,
         CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END AS partner,
         a.during
    INTO clash
    FROM sdbc.post p
    JOIN sdbc.absence a ON a.staff_id = CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END
   WHERE (p.principal = NEW.staff_id OR p.backup = NEW.staff_id)
     AND a.during && NEW.during
     AND a.absence_id <> NEW.absence_id
   ORDER BY p.post_id, lower(a.during)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD508',
      MESSAGE = format('staff %s would be absent %s while staff %s, the other of post %s (%s, %s), is absent %s',
                       NEW.staff_id, NEW.during, clash.partner, clash.post_id, clash.office, clash.division, clash.during),
      DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time, so that one of them is always on post.',
      HINT = 'Move one of the absences, or name another backup for the post first.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.absence_check() IS
  'Trigger on sdbc.absence: the recorder is the login''s own staff member (SD317, SD318) and not the backup (B) of the absent principal (SD516); locks the person and their A/B partners (advisory lock, sdbc.staff_absence_lock) and refuses an absence that overlaps one of a partner''s (SD508, R7.3)';
CREATE TRIGGER absence_check BEFORE INSERT OR UPDATE OF staff_id, during ON sdbc.absence
  FOR EACH ROW EXECUTE FUNCTION sdbc.absence_check();

-- Who holds each post on a day: A, or B acting for A while A is absent (R7.3).
CREATE FUNCTION sdbc.post_holder(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (post_id bigint, office text, division sdbc.divcode, grid_code bigint,
                 principal bigint, backup bigint, principal_absent boolean, holder bigint)
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT p.post_id, p.office, p.division, p.grid_code, p.principal, p.backup, x.absent,
         CASE WHEN x.absent THEN p.backup ELSE p.principal END
    FROM sdbc.post p,
         LATERAL (SELECT EXISTS (SELECT 1 FROM sdbc.absence a
                                  WHERE a.staff_id = p.principal AND a.during @> on_date) AS absent) x
   ORDER BY p.post_id;
END;
COMMENT ON FUNCTION sdbc.post_holder(date) IS
  'Every post on a date with the person holding it: the principal (A), or the backup (B) acting for A while A is absent (R7.3; the approval engine records such acts as acting_for)';

CREATE VIEW sdbc.grid_without_leader AS
  SELECT g.grid_code, g.community, g.name
    FROM sdbc.grid g
   WHERE g.valid_to IS NULL
     AND NOT EXISTS (SELECT 1 FROM sdbc.post p WHERE p.grid_code = g.grid_code);
COMMENT ON VIEW sdbc.grid_without_leader IS 'Live grids with no grid leader post 网格长 (R7.3, R7.4: every grid has one, with A and B)';
COMMENT ON COLUMN sdbc.grid_without_leader.grid_code IS 'grid code 网格编码';
COMMENT ON COLUMN sdbc.grid_without_leader.community IS 'community 社区';
COMMENT ON COLUMN sdbc.grid_without_leader.name IS 'grid name';

-- Household visits 入户走访 (R12.2).
CREATE TABLE sdbc.household_visit (
  visit_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id  bigint NOT NULL REFERENCES sdbc.household (household_id),
  staff_id      bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  visited_on    date NOT NULL,
  note          text
);
COMMENT ON TABLE sdbc.household_visit IS
  'Household visits 入户走访 (R12.2): a staff member of the household''s community visits it on a day; never in the future';
COMMENT ON COLUMN sdbc.household_visit.visit_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.household_visit.household_id IS 'household visited 户';
COMMENT ON COLUMN sdbc.household_visit.staff_id IS 'who visited 走访人';
COMMENT ON COLUMN sdbc.household_visit.visited_on IS 'day of the visit 走访日期';
COMMENT ON COLUMN sdbc.household_visit.note IS 'what was found 走访情况';
CREATE INDEX household_visit_household_idx ON sdbc.household_visit (household_id, visited_on);
CREATE INDEX household_visit_day_idx ON sdbc.household_visit (visited_on);
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_visit', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_visit_visit_id_seq', '');

CREATE FUNCTION sdbc.household_visit_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  community sdbc.divcode;
BEGIN
  IF NEW.visited_on > CURRENT_DATE THEN
    RAISE EXCEPTION USING ERRCODE = 'SD509',
      MESSAGE = format('a visit dated %s lies in the future', NEW.visited_on),
      DETAIL = 'R12.2: a visit is recorded after it took place.',
      HINT = 'Record the visit on the day it happened, or later.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.household_visit_visit_id_seq', NEW.visit_id) THEN
    RETURN NEW;   -- a restore: the staff's moves may not be back yet
  END IF;
  -- a visit is recorded by the login of the person who made it (R12.2)
  PERFORM sdbc.check_login_is('sdbc.household_visit', NEW.staff_id, 'record a visit');
  SELECT h.community INTO community FROM sdbc.household h WHERE h.household_id = NEW.household_id;
  IF FOUND AND sdbc.staff_division(NEW.staff_id, NEW.visited_on) IS DISTINCT FROM community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD510',
      MESSAGE = format('staff %s did not serve community %s on %s', NEW.staff_id, community, NEW.visited_on),
      DETAIL = 'R12.2, R7.4: households are visited by the staff of their own community (people into the grid).',
      HINT = 'Record the visit under a staff member of the household''s community.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.household_visit_check() IS
  'Trigger on sdbc.household_visit: not in the future (SD509, also for a restored row), recorded by the visitor''s own login (SD317, SD318), by staff of the household''s community on that day (SD510)';
CREATE TRIGGER household_visit_check BEFORE INSERT OR UPDATE ON sdbc.household_visit
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_visit_check();

-- Grids where no household was visited on a day (R12.2).
CREATE FUNCTION sdbc.grid_not_visited(on_date date, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (grid_code bigint, community sdbc.divcode, households bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT g.grid_code, g.community, count(h.household_id)
    FROM sdbc.grid g
    JOIN sdbc.building b ON b.grid_code = g.grid_code
    JOIN sdbc.household h ON h.building_id = b.building_id
   WHERE g.valid_from <= on_date AND (g.valid_to IS NULL OR g.valid_to > on_date)
     AND (under IS NULL OR g.community OPERATOR(sdbc.<@) under)
     AND NOT EXISTS (SELECT 1 FROM sdbc.household_visit v
                       JOIN sdbc.household h2 ON h2.household_id = v.household_id
                       JOIN sdbc.building b2 ON b2.building_id = h2.building_id
                      WHERE v.visited_on = on_date AND b2.grid_code = g.grid_code)
   GROUP BY g.grid_code, g.community
   ORDER BY g.grid_code;
END;
COMMENT ON FUNCTION sdbc.grid_not_visited(date, sdbc.divcode) IS
  'Live grids with households (under a division; NULL: all) where no household was visited on the day (R12.2: someone visits households every day)';

-- Households with key population not visited within the policy interval (R12.1, R12.2).
CREATE FUNCTION sdbc.key_household_unvisited(on_date date DEFAULT CURRENT_DATE, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (household_id bigint, community sdbc.divcode, grid_code bigint, last_visit date, max_days numeric)
  LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
  SELECT h.household_id, h.community, b.grid_code, lv.last_visit,
         sdbc.policy_value('visit.key_population.max_days', h.community, on_date)
    FROM sdbc.household h
    JOIN sdbc.building b ON b.building_id = h.building_id
    LEFT JOIN LATERAL (SELECT max(v.visited_on) AS last_visit FROM sdbc.household_visit v
                        WHERE v.household_id = h.household_id AND v.visited_on <= on_date) lv ON true
   WHERE EXISTS (SELECT 1 FROM sdbc.resident r WHERE r.household_id = h.household_id AND r.key_population)
     AND (under IS NULL OR h.community OPERATOR(sdbc.<@) under)
     AND (lv.last_visit IS NULL
          OR on_date - lv.last_visit > sdbc.policy_value('visit.key_population.max_days', h.community, on_date))
   ORDER BY h.household_id;
END;
COMMENT ON FUNCTION sdbc.key_household_unvisited(date, sdbc.divcode) IS
  'Households with key population 重点人口 (R12.1) whose last visit up to the date is older than policy visit.key_population.max_days, or who were never visited (R12.2)';
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
               CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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

CREATE FUNCTION sdbc.party_totals(under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (committees bigint, branches bigint, groups bigint, member_units bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*), coalesce(sum(p.branches), 0)::bigint, coalesce(sum(p.groups), 0)::bigint,
         coalesce(sum(p.member_units), 0)::bigint
    FROM sdbc.party_by_community p
   WHERE under IS NULL OR p.community OPERATOR(sdbc.<@) under;
END;
COMMENT ON FUNCTION sdbc.party_totals(sdbc.divcode) IS
  'Big party committees, grid branches, building groups and member units under a division, e.g. the prefecture (NULL: all) (R6.1; the paper counts 76, 282, 553)';
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
                CONSTRAINT account_entry_fen CHECK (amount = round(amount, 2))
                -- numeric's NaN sorts above Infinity: both are refused (a NaN balance would pass any overdraw test)
                CONSTRAINT account_entry_finite CHECK (amount < 'Infinity'),
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
                  CONSTRAINT expense_amount_fen CHECK (amount = round(amount, 2))
                  CONSTRAINT expense_amount_finite CHECK (amount < 'Infinity'),
  description   text,
  submitted_by  bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  submitted_on  date NOT NULL DEFAULT CURRENT_DATE,
  case_id       bigint REFERENCES sdbc.approval_case (case_id),
  route_code    text,
  split_flag    boolean NOT NULL DEFAULT false,
  paid_at       timestamptz,
  paid_by       bigint REFERENCES sdbc.staff (staff_id),
  -- a payment names who paid (the engine checks that person against the login, SD317/SD318)
  CONSTRAINT expense_paid_by_payer CHECK ((paid_at IS NULL) = (paid_by IS NULL))
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
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R3.4', 'account entries');

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
                            acting_for bigint DEFAULT NULL, step_no integer DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  c sdbc.approval_case;
  step integer;
BEGIN
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('case %s does not exist', decide.case_id),
      DETAIL = 'A decision is recorded on an existing case (sdbc.approval_case).',
      HINT = 'Take the case_id from the expense (sdbc.expense) or the application (sdbc.service_application).';
  END IF;
  step := CASE WHEN verdict IN ('submit', 'withdraw') THEN 0 ELSE coalesce(decide.step_no, c.current_step) END;
  INSERT INTO sdbc.decision (case_id, step_no, actor, acting_for, verdict, send_back_to, reason)
  VALUES (decide.case_id, step, decide.actor, decide.acting_for, decide.verdict, decide.send_back_to, decide.reason);
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  RETURN c;
END $$;
COMMENT ON FUNCTION sdbc.decide(bigint, bigint, text, text, integer, bigint, integer) IS
  'Act on a step of a case (by default its current step; step_no names a non-blocking step that runs alongside, e.g. the optional democratic review of 低保): approve (sign, send, review … as the step says), reject with a reason, send_back with a reason to an earlier step or the applicant (0), withdraw (submitter, before anyone acted), submit (resubmit after a send-back), object (during a public notice), reasons (written reasons after a refusal); acting_for names the absent principal when a backup acts (R7.3). Returns the case';

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
         c.step_started_on, d.due_on,
         sdbc.working_days_between(CURRENT_DATE, d.due_on) AS working_days_left,
         d.due_on < CURRENT_DATE AS overdue
    FROM sdbc.approval_case c
    JOIN sdbc.route_step s ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step
    CROSS JOIN LATERAL (SELECT sdbc.add_working_days(c.step_started_on, s.time_limit_days) AS due_on) d
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
CREATE FUNCTION sdbc.eligibility_holds(fn regprocedure, resident_id bigint) RETURNS boolean
  AS 'MODULE_PATHNAME', 'eligibility_holds' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.eligibility_holds(regprocedure, bigint) IS
  'Whether a matter''s eligibility predicate (R4.2) holds for a resident: calls fn (resident_id bigint) → boolean directly, after the execute-permission check a call by name gets; NULL counts as not eligible';
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
-- (sql/97_roles.sql redefines it over sdbc.resident_masked: staff roles may not read id_number)

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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
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
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  m sdbc.service_matter;
  home sdbc.divcode;
  missing text[];
  v_version integer;
  first_step integer;
BEGIN
  IF NEW.case_id IS NOT NULL THEN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
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
    IF NOT sdbc.eligibility_holds(m.eligibility, NEW.applicant) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD407',
        MESSAGE = format('resident %s is not eligible for %s', NEW.applicant, m.name_zh),
        DETAIL = format('Rule R4.2: the matter''s eligibility (%s) does not hold for the applicant.', m.eligibility),
        HINT = 'Check the applicant''s registration and age in the registry.';
    END IF;
  END IF;
  SELECT max(r.version) INTO v_version FROM sdbc.route r WHERE r.route_code = m.route_code;
  SELECT min(s.step_no) INTO first_step FROM sdbc.route_step s
   WHERE s.route_code = m.route_code AND s.version = v_version AND s.blocking;
  IF first_step IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'SD311',
      MESSAGE = format('route %s version %s has no blocking step', m.route_code, v_version),
      DETAIL = 'Rule R4.2: a case starts at the first blocking step of the latest version of its matter''s route.',
      HINT = format('Add the steps of version %s to sdbc.route_step, or delete that version.', v_version);
  END IF;
  INSERT INTO sdbc.approval_case (case_kind, division, route_code, route_version, submitted_by, current_step)
  VALUES ('service', NEW.community, m.route_code, v_version, NEW.taken_by, first_step)
  RETURNING case_id INTO NEW.case_id;
  INSERT INTO sdbc.decision (case_id, step_no, actor, verdict) VALUES (NEW.case_id, 0, NEW.taken_by, 'submit');
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.service_application_check() IS
  'Trigger: an application names a catalogued matter (SD401), an applicant of the community (SD404), staff of the community (SD405), every required document (SD406, all missing listed at once), an eligible applicant (SD407); then its case starts on the matter''s route';
CREATE TRIGGER service_application_check BEFORE INSERT ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.service_application_check()');
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
         sdbc.divcode_ancestor(o.division, 3) AS county, a.proxy, a.applied_on,
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
  refused_by         bigint REFERENCES sdbc.staff (staff_id),
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
COMMENT ON COLUMN sdbc.task_assignment.refused_by IS 'who refused it for the community 拒绝人: the login''s own staff member (sdbc.role_staff); NULL for the administrator''s rows';
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_type', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_assignment', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.task_assignment_assignment_id_seq', '');

CREATE FUNCTION sdbc.task_assignment_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  t sdbc.task_type;
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- a restored row keeps its status and refusal (its task type may come
    -- back later, and a refusal is a fact of its day, R1.3)
    IF sdbc.is_restored_row('sdbc.task_assignment_assignment_id_seq', NEW.assignment_id) THEN
      RETURN NEW;
    END IF;
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
    NEW.refusal_reason := NULL; NEW.refused_on := NULL; NEW.refused_by := NULL;
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
  -- who refused it: the login's own person (R1.3, sdbc.role_staff)
  NEW.refused_by := CASE WHEN NEW.refused_by IS DISTINCT FROM OLD.refused_by THEN NEW.refused_by
                         ELSE sdbc.my_staff_id() END;
  PERFORM sdbc.check_login_is('sdbc.task_assignment', NEW.refused_by, 'refuse a task');
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
-- Evaluation (R5): communities are evaluated on behalf of their street
-- (R5.1) by the "3+1" model (R5.3); a street's year-end grade is 90 % its
-- communities' average and 10 % its own score (R5.2); communities rate the
-- county departments that assigned them tasks (R5.4).  Only the parts are
-- stored: composites, grades and ranks are computed from them when read, by
-- the C kernel src/evaluation_kernel.c, so no total can be stale.

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('evaluation.weight.indicator', 'R5.3', 'weight', 0, 1,
   'weight of the indicator score 指标考评 in a community''s composite (the three weights sum to 1)', '社区综合考评中指标考评权重', true),
  ('evaluation.weight.satisfaction', 'R5.3', 'weight', 0, 1,
   'weight of the public satisfaction survey 公众满意度测评 in a community''s composite', '社区综合考评中公众满意度测评权重', true),
  ('evaluation.weight.leadership', 'R5.3', 'weight', 0, 1,
   'weight of the leadership rating 领导评价 in a community''s composite', '社区综合考评中领导评价权重', true),
  ('evaluation.scale.max', 'R5.3', 'points', 1, 1000,
   'top of the scale of the indicator score, satisfaction survey, leadership rating and a street''s own score (each from 0)', '考评各项得分满分', true),
  ('evaluation.merit.max', 'R5.3', 'points', 0, 1000,
   'most merit (bonus) points 绩优加分 a community may get in a period', '绩优加分上限', true),
  ('evaluation.error.max', 'R5.3', 'points', 0, 1000,
   'most error (penalty) points 绩误减分 a community may lose in a period', '绩误减分上限', true),
  ('street_grade.band.excellent', 'R5.2', 'points', 0, 1000,
   'lowest grade score of the band excellent 优秀', '考评等次“优秀”最低分', true),
  ('street_grade.band.good', 'R5.2', 'points', 0, 1000,
   'lowest grade score of the band good 良好', '考评等次“良好”最低分', true),
  ('street_grade.band.pass', 'R5.2', 'points', 0, 1000,
   'lowest grade score of the band pass 合格 (below: fail 不合格)', '考评等次“合格”最低分', true),
  ('reverse_evaluation.scale.max', 'R5.4', 'points', 1, 1000,
   'top of the scale on which a community rates a county department (from 0)', '社区反向考评县直部门满分', true);

INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('evaluation.weight.indicator',    NULL, '2014-01-01', 0.60, true, 'sdbc''s default, not in the paper: the paper names the "3+1" parts, not their weights (R5.3)'),
  ('evaluation.weight.satisfaction', NULL, '2014-01-01', 0.20, true, 'sdbc''s default, not in the paper (R5.3)'),
  ('evaluation.weight.leadership',   NULL, '2014-01-01', 0.20, true, 'sdbc''s default, not in the paper (R5.3)'),
  ('evaluation.scale.max',           NULL, '2014-01-01', 100,  true, 'sdbc''s default: the usual hundred-point scale (R5.3)'),
  ('evaluation.merit.max',           NULL, '2014-01-01', 5,    true, 'sdbc''s default, not in the paper: cap of the "+1" bonus (R5.3)'),
  ('evaluation.error.max',           NULL, '2014-01-01', 5,    true, 'sdbc''s default, not in the paper: cap of the "+1" penalty (R5.3)'),
  ('street_grade.band.excellent',    NULL, '2014-01-01', 90,   true, 'sdbc''s default, not in the paper: the usual bands 优秀/良好/合格/不合格 (R5.2)'),
  ('street_grade.band.good',         NULL, '2014-01-01', 80,   true, 'sdbc''s default, not in the paper (R5.2)'),
  ('street_grade.band.pass',         NULL, '2014-01-01', 60,   true, 'sdbc''s default, not in the paper (R5.2)'),
  ('reverse_evaluation.scale.max',   NULL, '2014-01-01', 100,  true, 'sdbc''s default: hundred-point scale (R5.4)');

-- Policy rows that belong together: weights that sum to 1 and bands that
-- descend.  Checked at commit (a user overrides a group in one transaction)
-- for the division and day of every changed row, with an uncached lookup
-- (the policy cache reloads only after commit).
CREATE FUNCTION sdbc.policy_in_force_uncached(key text, division sdbc.divcode, on_date date)
  RETURNS numeric LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT p.value FROM sdbc.policy p
   WHERE p.key = policy_in_force_uncached.key AND p.valid_from <= on_date
     AND (p.division IS NULL OR (policy_in_force_uncached.division IS NOT NULL
                                 AND policy_in_force_uncached.division OPERATOR(sdbc.<@) p.division))
   ORDER BY sdbc.divcode_level(p.division) DESC NULLS LAST, p.valid_from DESC
   LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.policy_in_force_uncached(text, sdbc.divcode, date) IS
  'The policy value in force as sdbc.policy_value() finds it, read from the table (not the cache): for checks inside the writing transaction';

CREATE FUNCTION sdbc.policy_group_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  a numeric; b numeric; c numeric;
BEGIN
  IF r.key IN ('evaluation.weight.indicator', 'evaluation.weight.satisfaction', 'evaluation.weight.leadership') THEN
    a := sdbc.policy_in_force_uncached('evaluation.weight.indicator', r.division, r.valid_from);
    b := sdbc.policy_in_force_uncached('evaluation.weight.satisfaction', r.division, r.valid_from);
    c := sdbc.policy_in_force_uncached('evaluation.weight.leadership', r.division, r.valid_from);
    IF a + b + c <> 1 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD606',
        MESSAGE = format('the "3+1" weights in force for %s from %s sum to %s, not 1',
                         coalesce(r.division::text, 'everywhere'), r.valid_from, a + b + c),
        DETAIL = format('Rule R5.3: evaluation.weight.indicator + .satisfaction + .leadership = %s + %s + %s.', a, b, c),
        HINT = 'Override the three weights together, in one transaction, so that they sum to 1.';
    END IF;
  ELSIF r.key IN ('street_grade.community_weight', 'street_grade.street_weight') THEN
    a := sdbc.policy_in_force_uncached('street_grade.community_weight', r.division, r.valid_from);
    b := sdbc.policy_in_force_uncached('street_grade.street_weight', r.division, r.valid_from);
    IF a + b <> 1 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD606',
        MESSAGE = format('the street grade weights in force for %s from %s sum to %s, not 1',
                         coalesce(r.division::text, 'everywhere'), r.valid_from, a + b),
        DETAIL = format('Rule R5.2: street_grade.community_weight + street_grade.street_weight = %s + %s.', a, b),
        HINT = 'Override both weights together, in one transaction, so that they sum to 1 (the paper: 0.9 and 0.1).';
    END IF;
  ELSIF r.key IN ('street_grade.band.excellent', 'street_grade.band.good', 'street_grade.band.pass') THEN
    a := sdbc.policy_in_force_uncached('street_grade.band.excellent', r.division, r.valid_from);
    b := sdbc.policy_in_force_uncached('street_grade.band.good', r.division, r.valid_from);
    c := sdbc.policy_in_force_uncached('street_grade.band.pass', r.division, r.valid_from);
    IF NOT (a >= b AND b >= c) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD607',
        MESSAGE = format('the grade bands in force for %s from %s do not descend', coalesce(r.division::text, 'everywhere'), r.valid_from),
        DETAIL = format('Rule R5.2: street_grade.band.excellent ≥ .good ≥ .pass, here %s, %s, %s.', a, b, c),
        HINT = 'Override the bands together, in one transaction, so that excellent ≥ good ≥ pass.';
    END IF;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION sdbc.policy_group_check() IS
  'Constraint trigger on sdbc.policy, at commit: the "3+1" weights (R5.3) and the street grade weights (R5.2) in force sum to 1 (SD606), the grade bands descend (SD607), for the division and day of each changed row';
CREATE CONSTRAINT TRIGGER policy_group_check AFTER INSERT OR UPDATE OR DELETE ON sdbc.policy
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sdbc.policy_group_check();

-- The kernel's SQL entry points (src/evaluation.c).
CREATE FUNCTION sdbc.evaluation_composite(community sdbc.divcode, on_date date, indicator numeric,
                                          satisfaction numeric, leadership numeric, merit numeric, error numeric)
  RETURNS numeric AS 'MODULE_PATHNAME', 'evaluation_composite_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.evaluation_composite(sdbc.divcode, date, numeric, numeric, numeric, numeric, numeric) IS
  'The "3+1" composite 综合考评得分 of a community (R5.3): weight.indicator·indicator + weight.satisfaction·satisfaction + weight.leadership·leadership, rounded half away from zero to two decimals, + merit − error; policy in force for the community on the date. SD602 for a part outside its scale or cap or with more than two decimals, SD606 when the weights do not sum to 1';

CREATE FUNCTION sdbc.street_grade_score(street sdbc.divcode, on_date date, community_average numeric, own_score numeric)
  RETURNS numeric AS 'MODULE_PATHNAME', 'street_grade_score_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.street_grade_score(sdbc.divcode, date, numeric, numeric) IS
  'A street''s year-end grade score 街道年终考评得分 (R5.2): street_grade.community_weight·community_average + street_grade.street_weight·own_score (0.9 and 0.1 by default), rounded to two decimals. SD602 for a score outside its scale, SD606 when the weights do not sum to 1';

CREATE FUNCTION sdbc.grade_band(division sdbc.divcode, on_date date, score numeric)
  RETURNS text AS 'MODULE_PATHNAME', 'grade_band_sql' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.grade_band(sdbc.divcode, date, numeric) IS
  'Grade 等次 of a score (R5.2): excellent 优秀, good 良好, pass 合格 or fail 不合格, at or above the lower bounds street_grade.band.* in force (90, 80, 60 by default). SD607 when the bands do not descend';

-- Periods and the stored parts.
CREATE TABLE sdbc.evaluation_period (
  period_code text PRIMARY KEY CONSTRAINT evaluation_period_code_form CHECK (period_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
  kind        text NOT NULL CONSTRAINT evaluation_period_kind CHECK (kind IN ('routine', 'year_end')),
  starts_on   date NOT NULL,
  ends_on     date NOT NULL,
  name_zh     text NOT NULL,
  CONSTRAINT evaluation_period_dates CHECK (ends_on >= starts_on)
);
COMMENT ON TABLE sdbc.evaluation_period IS
  'Evaluation periods 考核周期 (R5.1): routine 平时考核 and year-end 年终考核; policy is read as in force on the last day';
COMMENT ON COLUMN sdbc.evaluation_period.period_code IS 'identifier, e.g. 2024 or 2024-Q2';
COMMENT ON COLUMN sdbc.evaluation_period.kind IS 'routine 平时 or year_end 年终 (only year-end periods grade streets, R5.2)';
COMMENT ON COLUMN sdbc.evaluation_period.starts_on IS 'first day';
COMMENT ON COLUMN sdbc.evaluation_period.ends_on IS 'last day (policy in force on it applies)';
COMMENT ON COLUMN sdbc.evaluation_period.name_zh IS 'name 名称';

CREATE TABLE sdbc.community_score (
  period_code  text NOT NULL REFERENCES sdbc.evaluation_period (period_code),
  community    sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  indicator    numeric NOT NULL,
  satisfaction numeric NOT NULL,
  leadership   numeric NOT NULL,
  merit        numeric NOT NULL DEFAULT 0,
  error        numeric NOT NULL DEFAULT 0,
  PRIMARY KEY (period_code, community)
);
COMMENT ON TABLE sdbc.community_score IS
  'The "3+1" parts 3+1综合考评 of a community''s evaluation in a period (R5.3), as the county evaluation office records them (R5.4); the composite is computed from them (view sdbc.community_evaluation)';
COMMENT ON COLUMN sdbc.community_score.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.community_score.community IS 'community 社区 (only communities are evaluated, R5.1)';
COMMENT ON COLUMN sdbc.community_score.indicator IS 'indicator score 指标考评, 0 … evaluation.scale.max';
COMMENT ON COLUMN sdbc.community_score.satisfaction IS 'public satisfaction survey 公众满意度测评, 0 … evaluation.scale.max';
COMMENT ON COLUMN sdbc.community_score.leadership IS 'leadership rating 领导评价, 0 … evaluation.scale.max';
COMMENT ON COLUMN sdbc.community_score.merit IS 'merit (bonus) points 绩优加分, 0 … evaluation.merit.max';
COMMENT ON COLUMN sdbc.community_score.error IS 'error (penalty) points 绩误减分, 0 … evaluation.error.max';

CREATE TABLE sdbc.street_score (
  period_code  text NOT NULL REFERENCES sdbc.evaluation_period (period_code),
  street       sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  own_score    numeric NOT NULL,
  PRIMARY KEY (period_code, street)
);
COMMENT ON TABLE sdbc.street_score IS
  'A street''s own score 街道自身得分 in a year-end period, the 10 % part of its grade (R5.2); the grade is computed (view sdbc.street_grade)';
COMMENT ON COLUMN sdbc.street_score.period_code IS 'year-end evaluation period';
COMMENT ON COLUMN sdbc.street_score.street IS 'street 街道 (or county-seat town 城关镇, which plays its role)';
COMMENT ON COLUMN sdbc.street_score.own_score IS 'the street''s own score, 0 … evaluation.scale.max';

CREATE TABLE sdbc.department_rating (
  period_code  text NOT NULL REFERENCES sdbc.evaluation_period (period_code),
  community    sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  department   text NOT NULL REFERENCES sdbc.office (office),
  rating       numeric NOT NULL,
  PRIMARY KEY (period_code, community, department)
);
COMMENT ON TABLE sdbc.department_rating IS
  'Reverse evaluation 反向考评 (R5.4): a community rates a county department that assigned it tasks in the period (sdbc.task_assignment); results in sdbc.department_evaluation';
COMMENT ON COLUMN sdbc.department_rating.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.department_rating.community IS 'community 社区 rating';
COMMENT ON COLUMN sdbc.department_rating.department IS 'county department 县直部门 rated';
COMMENT ON COLUMN sdbc.department_rating.rating IS 'rating 评分, 0 … reverse_evaluation.scale.max';

SELECT pg_catalog.pg_extension_config_dump('sdbc.evaluation_period', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.community_score', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.street_score', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.department_rating', '');
CREATE INDEX community_score_community_idx ON sdbc.community_score (community);
CREATE INDEX street_score_street_idx ON sdbc.street_score (street);
CREATE INDEX department_rating_community_idx ON sdbc.department_rating (community);

-- A restore session: pg_restore (and psql replaying a plain dump) sets
-- row_security = off for its session unless told --enable-row-security, and
-- restores are done by a superuser.  The scores have no id drawn from a
-- sequence, so sdbc.is_restored_row() cannot tell; this can.  pg_dump orders
-- the data of extension tables by foreign key only: sdbc.department_rating
-- comes back before sdbc.task_assignment, and sdbc.community_score and
-- sdbc.street_score before the user's rows of sdbc.policy (caps and scales
-- a county raised), so the checks that read those tables must stand aside.
CREATE FUNCTION sdbc.is_restore_session() RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  RETURN coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
         AND pg_catalog.current_setting('row_security') = 'off';
COMMENT ON FUNCTION sdbc.is_restore_session() IS
  'True in a session that restores a dump: a superuser with row_security off (pg_restore and psql on a pg_dump script set it off); the evaluation checks that read other tables stand aside there';

CREATE FUNCTION sdbc.evaluation_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  p sdbc.evaluation_period;
  top numeric;
  restored boolean;
BEGIN
  SELECT * INTO p FROM sdbc.evaluation_period x WHERE x.period_code = NEW.period_code;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  IF TG_TABLE_NAME IN ('community_score', 'department_rating') THEN
    IF sdbc.divcode_kind(NEW.community) IS DISTINCT FROM 'residents_committee' THEN
      RAISE EXCEPTION USING ERRCODE = 'SD601',
      MESSAGE = format('%s is not a community and is not evaluated as one', NEW.community),
      DETAIL = 'Rule R5.1: communities (社区, residents'' committees) are the objects of routine and year-end evaluation, and the ones that rate departments (R5.4); a street is graded from its communities (R5.2).',
      HINT = 'Record the scores of each community; give the street''s own score in sdbc.street_score.';
    END IF;
  END IF;
  -- A restored row: the checks that read the row and its period hold; those
  -- that read policy (scales and caps a county set) or the department's tasks
  -- stand aside, since those rows may not be back yet.
  restored := TG_OP = 'INSERT' AND sdbc.is_restore_session();
  IF TG_TABLE_NAME = 'community_score' THEN
    -- validates every part against the scales and caps in force (SD602, SD606)
    IF NOT restored THEN
      PERFORM sdbc.evaluation_composite(NEW.community, p.ends_on, NEW.indicator, NEW.satisfaction,
                                        NEW.leadership, NEW.merit, NEW.error);
    END IF;
  ELSIF TG_TABLE_NAME = 'street_score' THEN
    IF sdbc.divcode_kind(NEW.street) NOT IN ('street', 'town') THEN
      RAISE EXCEPTION USING ERRCODE = 'SD603',
        MESSAGE = format('%s is not a street and has no street grade', NEW.street),
        DETAIL = 'Rule R5.2: the year-end grade is a street''s (or a county-seat town''s): 90 % its communities'' average + 10 % its own score.',
        HINT = 'Give a street (街道, township segment 001–099) or a town.';
    END IF;
    IF p.kind <> 'year_end' THEN
      RAISE EXCEPTION USING ERRCODE = 'SD604',
        MESSAGE = format('period %s is a %s period; a street''s own score belongs to a year-end period', p.period_code, p.kind),
        DETAIL = 'Rule R5.2: the street is graded at the year end from its communities'' year-end scores and its own.',
        HINT = 'Record the street''s own score in a period of kind year_end.';
    END IF;
    IF NOT restored THEN
      PERFORM sdbc.street_grade_score(NEW.street, p.ends_on, 0, NEW.own_score);
    END IF;
  ELSIF NOT restored THEN
    top := sdbc.policy_value('reverse_evaluation.scale.max', NEW.community, p.ends_on);
    IF NEW.rating < 0 OR NEW.rating > top OR NEW.rating <> round(NEW.rating, 2) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD602',
        MESSAGE = format('rating %s of department %s by %s lies outside its scale', NEW.rating, NEW.department, NEW.community),
        DETAIL = 'Rule R5.4: a community rates a department from 0 to policy reverse_evaluation.scale.max, in hundredths.',
        HINT = format('Give a rating from 0 to %s with at most two decimals.', top);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sdbc.task_assignment t
                    WHERE t.department = NEW.department AND t.community OPERATOR(sdbc.=) NEW.community
                      AND t.handed_on BETWEEN p.starts_on AND p.ends_on) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD605',
        MESSAGE = format('department %s assigned %s no task in period %s', NEW.department, NEW.community, p.period_code),
        DETAIL = 'Rule R5.4: communities evaluate the departments that assigned them tasks in the period (sdbc.task_assignment).',
        HINT = 'Rate only departments that handed the community a task between the period''s first and last day.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.evaluation_check() IS
  'Trigger on sdbc.community_score, sdbc.street_score, sdbc.department_rating: only communities are scored and rate (SD601), parts within their scales and caps (SD602, via the C functions), weights that sum to 1 (SD606), street scores of streets (SD603) in year-end periods (SD604), ratings of departments that assigned tasks in the period (SD605). A row inserted by a restore (sdbc.is_restore_session()) gets only SD601, SD603 and SD604';
CREATE TRIGGER community_score_check BEFORE INSERT OR UPDATE ON sdbc.community_score
  FOR EACH ROW EXECUTE FUNCTION sdbc.evaluation_check();
CREATE TRIGGER street_score_check BEFORE INSERT OR UPDATE ON sdbc.street_score
  FOR EACH ROW EXECUTE FUNCTION sdbc.evaluation_check();
CREATE TRIGGER department_rating_check BEFORE INSERT OR UPDATE ON sdbc.department_rating
  FOR EACH ROW EXECUTE FUNCTION sdbc.evaluation_check();

-- Computed results: composites, grades and ranks, always from the parts.
-- Ranks: rank() — ties share a rank and the next rank skips (1, 1, 3) — and
-- dense_rank() — ties share a rank, no gap (1, 1, 2); per county and period.
CREATE VIEW sdbc.community_evaluation AS
  SELECT e.*,
         rank() OVER w AS county_rank,
         dense_rank() OVER w AS county_dense_rank
    FROM (SELECT s.period_code, p.kind, s.community, sdbc.divcode_ancestor(s.community, 3) AS county,
                 s.indicator, s.satisfaction, s.leadership, s.merit, s.error,
                 sdbc.evaluation_composite(s.community, p.ends_on, s.indicator, s.satisfaction,
                                           s.leadership, s.merit, s.error) AS composite
            FROM sdbc.community_score s JOIN sdbc.evaluation_period p USING (period_code)) e
  WINDOW w AS (PARTITION BY e.period_code, e.county ORDER BY e.composite DESC);
COMMENT ON VIEW sdbc.community_evaluation IS
  'Each community''s "3+1" composite per period (R5.3), computed from its stored parts with the policy in force on the period''s last day, and its rank in the county: county_rank = rank() (ties share a rank, the next skips: 1, 1, 3), county_dense_rank = dense_rank() (1, 1, 2)';
COMMENT ON COLUMN sdbc.community_evaluation.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.community_evaluation.kind IS 'routine or year_end';
COMMENT ON COLUMN sdbc.community_evaluation.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_evaluation.county IS 'its county 县(市)';
COMMENT ON COLUMN sdbc.community_evaluation.indicator IS 'indicator score 指标考评';
COMMENT ON COLUMN sdbc.community_evaluation.satisfaction IS 'public satisfaction 公众满意度';
COMMENT ON COLUMN sdbc.community_evaluation.leadership IS 'leadership rating 领导评价';
COMMENT ON COLUMN sdbc.community_evaluation.merit IS 'merit points 绩优加分';
COMMENT ON COLUMN sdbc.community_evaluation.error IS 'error points 绩误减分';
COMMENT ON COLUMN sdbc.community_evaluation.composite IS 'composite 综合得分 (sdbc.evaluation_composite)';
COMMENT ON COLUMN sdbc.community_evaluation.county_rank IS 'rank in the county, rank(): ties share, next skips';
COMMENT ON COLUMN sdbc.community_evaluation.county_dense_rank IS 'rank in the county, dense_rank(): ties share, no gap';

CREATE VIEW sdbc.street_grade AS
  SELECT g.*,
         sdbc.grade_band(g.street, g.ends_on, g.grade_score) AS band,
         rank() OVER w AS county_rank,
         dense_rank() OVER w AS county_dense_rank
    FROM (SELECT st.period_code, p.ends_on, st.street, sdbc.divcode_ancestor(st.street, 3) AS county,
                 (SELECT count(*) FROM sdbc.division d
                   WHERE d.kind = 'residents_committee' AND sdbc.divcode_parent(d.code) OPERATOR(sdbc.=) st.street) AS communities,
                 coalesce(c.scored, 0) AS communities_scored, c.average AS community_average, st.own_score,
                 sdbc.street_grade_score(st.street, p.ends_on, c.average, st.own_score) AS grade_score
            FROM sdbc.street_score st JOIN sdbc.evaluation_period p USING (period_code)
            LEFT JOIN LATERAL (SELECT count(*) AS scored, round(avg(e.composite), 2) AS average
                                 FROM sdbc.community_evaluation e
                                WHERE e.period_code = st.period_code
                                  AND e.community OPERATOR(sdbc.<@) st.street) c ON c.scored > 0) g
  WINDOW w AS (PARTITION BY g.period_code, g.county ORDER BY g.grade_score DESC NULLS LAST);
COMMENT ON VIEW sdbc.street_grade IS
  'Each street''s year-end grade (R5.2): street_grade.community_weight (0.9) × the average of its communities'' year-end composites (rounded to two decimals) + street_grade.street_weight (0.1) × its own score, the band, and its rank in the county (rank(): ties share, next skips; dense_rank(): no gap); computed when read, never stored';
COMMENT ON COLUMN sdbc.street_grade.period_code IS 'year-end period';
COMMENT ON COLUMN sdbc.street_grade.ends_on IS 'last day of the period (policy in force on it)';
COMMENT ON COLUMN sdbc.street_grade.street IS 'street 街道';
COMMENT ON COLUMN sdbc.street_grade.county IS 'county 县(市)';
COMMENT ON COLUMN sdbc.street_grade.communities IS 'communities of the street (loaded divisions)';
COMMENT ON COLUMN sdbc.street_grade.communities_scored IS 'of them, evaluated in the period';
COMMENT ON COLUMN sdbc.street_grade.community_average IS 'average of the communities'' composites 社区平均成绩; NULL when none was evaluated';
COMMENT ON COLUMN sdbc.street_grade.own_score IS 'the street''s own score 街道自身成绩';
COMMENT ON COLUMN sdbc.street_grade.grade_score IS 'grade score 定等得分 (sdbc.street_grade_score); NULL without evaluated communities';
COMMENT ON COLUMN sdbc.street_grade.band IS 'grade 等次: excellent 优秀, good 良好, pass 合格, fail 不合格';
COMMENT ON COLUMN sdbc.street_grade.county_rank IS 'rank in the county, rank()';
COMMENT ON COLUMN sdbc.street_grade.county_dense_rank IS 'rank in the county, dense_rank()';

CREATE VIEW sdbc.department_evaluation AS
  WITH rated AS (
    SELECT r.period_code, sdbc.divcode_ancestor(r.community, 3) AS county, r.department,
           count(*) AS communities_rated, round(avg(r.rating), 2) AS average_rating
      FROM sdbc.department_rating r
     GROUP BY r.period_code, sdbc.divcode_ancestor(r.community, 3), r.department
  ), assigned AS (
    SELECT p.period_code, sdbc.divcode_ancestor(t.community, 3) AS county, t.department,
           count(DISTINCT t.community) AS communities_assigned
      FROM sdbc.task_assignment t JOIN sdbc.evaluation_period p ON t.handed_on BETWEEN p.starts_on AND p.ends_on
     GROUP BY p.period_code, sdbc.divcode_ancestor(t.community, 3), t.department
  )
  SELECT a.period_code, a.county, a.department, a.communities_assigned,
         coalesce(r.communities_rated, 0) AS communities_rated, r.average_rating,
         rank() OVER w AS county_rank, dense_rank() OVER w AS county_dense_rank
    FROM assigned a LEFT JOIN rated r USING (period_code, county, department)
  WINDOW w AS (PARTITION BY a.period_code, a.county ORDER BY r.average_rating DESC NULLS LAST);
COMMENT ON VIEW sdbc.department_evaluation IS
  'Reverse evaluation results (R5.4): per period, county and county department that assigned tasks, the communities it assigned to, those that rated it and the average of their ratings, ranked in the county (rank(): ties share, next skips; dense_rank(): no gap; unrated last)';
COMMENT ON COLUMN sdbc.department_evaluation.period_code IS 'evaluation period';
COMMENT ON COLUMN sdbc.department_evaluation.county IS 'county 县(市)';
COMMENT ON COLUMN sdbc.department_evaluation.department IS 'county department 县直部门';
COMMENT ON COLUMN sdbc.department_evaluation.communities_assigned IS 'communities it assigned tasks in the period';
COMMENT ON COLUMN sdbc.department_evaluation.communities_rated IS 'communities that rated it 反向考评';
COMMENT ON COLUMN sdbc.department_evaluation.average_rating IS 'average rating 平均得分; NULL when unrated';
COMMENT ON COLUMN sdbc.department_evaluation.county_rank IS 'rank in the county, rank()';
COMMENT ON COLUMN sdbc.department_evaluation.county_dense_rank IS 'rank in the county, dense_rank()';
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
  cost        numeric CONSTRAINT community_platform_cost CHECK (cost IS NULL OR cost >= 0),
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
  area_m2     numeric NOT NULL CONSTRAINT premises_area_positive CHECK (area_m2 > 0),
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
CREATE FUNCTION sdbc.report_service_open()
  RETURNS TABLE (county_code text, matter_code text, open_applications bigint, overdue bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT county::text, matter_code, count(*), count(*) FILTER (WHERE overdue)
          FROM sdbc.service_open GROUP BY county, matter_code $$;
COMMENT ON FUNCTION sdbc.report_service_open() IS
  'Open and overdue applications per county and matter (working-day deadlines), with the owner''s rights (for sdbc_report.service_matters)';
REVOKE EXECUTE ON FUNCTION sdbc.report_staff_compliance(), sdbc.report_service_open() FROM PUBLIC;

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
COMMENT ON VIEW sdbc_report.key_figures_live IS
  'The paper''s key figures 主要指标 for every prefecture, county and street with communities, computed when read (slow at scale: dashboards read sdbc_report.key_figures): streets, communities, households, residents, staff by category with shares, party organisations, grids, communities with an information platform (R9.1), average premises area (R10.1); staff as they serve today';

-- The snapshot of the key figures, taken by sdbc.report_refresh().
CREATE MATERIALIZED VIEW sdbc.report_key_figures AS
  SELECT k.*, pg_catalog.now() AS refreshed_at FROM sdbc_report.key_figures_live k;
CREATE UNIQUE INDEX report_key_figures_key ON sdbc.report_key_figures (division_code, position);
COMMENT ON MATERIALIZED VIEW sdbc.report_key_figures IS
  'Snapshot 快照 of sdbc_report.key_figures_live, read through sdbc_report.key_figures; taken by sdbc.report_refresh() (empty until the first refresh after the data is loaded or restored)';

CREATE VIEW sdbc_report.key_figures AS
  SELECT division_code, division_name, division_kind, position, measure, label_zh, rule_id, value, share_pct, refreshed_at
    FROM sdbc.report_key_figures;
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
         CASE WHEN n.households < p.lo THEN 'below' WHEN n.households > p.hi THEN 'above' ELSE 'within' END AS bounds
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
         g.class AS grid_class, k.name_zh AS grid_class_zh, count(*) AS grids
    FROM sdbc.grid g JOIN sdbc.grid_class k USING (class)
   WHERE g.valid_to IS NULL
   GROUP BY g.community, g.class, k.name_zh;
COMMENT ON VIEW sdbc_report.grid_classes IS 'Live grids per community and class 网格类型 (R7.2)';

CREATE VIEW sdbc_report.staffing_compliance AS
  SELECT c.division_code, sdbc.divcode_ancestor(c.division_code::sdbc.divcode, 3)::text AS county_code,
         c.rule_id, c.measure, c.value, c.bound, c.ok
    FROM sdbc.report_staff_compliance() c;
COMMENT ON VIEW sdbc_report.staffing_compliance IS 'Staffing checks today 人员配备达标情况 (R2.1 share sent down, R2.2 leadership and offices, R2.4 national public servants per community), ok = false for a violation';

CREATE VIEW sdbc_report.funds_passed_on AS
  SELECT f.street::text AS street_code, sdbc.divcode_ancestor(f.street, 3)::text AS county_code, f.year,
         f.allocated, f.passed_on, f.share, f.min_share, f.keeps_too_much
    FROM sdbc.street_funds_passed_on f;
COMMENT ON VIEW sdbc_report.funds_passed_on IS 'Each street''s yearly allocation and the share passed on to its communities 经费下沉 (R3.1)';

CREATE VIEW sdbc_report.community_funds AS
  SELECT m.community::text AS community_code, sdbc.divcode_ancestor(m.community, 3)::text AS county_code, m.year,
         m.working_funds, m.working_min, m.service_funds, m.service_min, m.below_minimum
    FROM sdbc.community_min_funds m;
COMMENT ON VIEW sdbc_report.community_funds IS 'Each community''s yearly working and service funds against the minimums 社区经费保障 (R3.5)';

CREATE VIEW sdbc_report.account_balances AS
  SELECT b.community::text AS community_code, sdbc.divcode_ancestor(b.community, 3)::text AS county_code,
         b.kind AS account_kind, count(*) AS accounts, sum(b.credited)::numeric AS credited,
         sum(b.paid)::numeric AS paid, sum(b.committed)::numeric AS committed, sum(b.balance)::numeric AS balance
    FROM sdbc.account_balance b
   GROUP BY b.community, b.kind;
COMMENT ON VIEW sdbc_report.account_balances IS 'Balances of the separate accounts 分账核算 of each community by kind (R3.4)';

CREATE VIEW sdbc_report.expenses_by_route AS
  SELECT e.community::text AS community_code, sdbc.divcode_ancestor(e.community, 3)::text AS county_code,
         date_trunc('month', e.submitted_on)::date AS month, coalesce(e.route_code, 'none') AS route_code,
         count(*) AS expenses, sum(e.amount) AS amount,
         count(*) FILTER (WHERE e.paid_at IS NOT NULL) AS paid,
         count(*) FILTER (WHERE e.split_flag) AS flagged_splits
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
         coalesce(o.open_applications, 0) AS open_applications, coalesce(o.overdue, 0) AS overdue
    FROM apps a JOIN sdbc.service_matter m USING (matter_code)
    LEFT JOIN sdbc.report_service_open() o USING (county_code, matter_code);
COMMENT ON VIEW sdbc_report.service_matters IS 'Service matters 服务事项 per county: applications, decisions, taken on the resident''s behalf (R8.2), median days to a decision, open and overdue (R4.2)';

CREATE VIEW sdbc_report.work_access AS
  SELECT t.county::text AS county_code, t.department, o.name_zh AS department_zh, t.tasks, t.accepted, t.refusable,
         t.refused, t.funding
    FROM sdbc.task_by_department t LEFT JOIN sdbc.office o ON o.office = t.department;
COMMENT ON VIEW sdbc_report.work_access IS 'Tasks each county department handed to communities 社区工作准入, refusable and refused (R1.1–R1.3), and the funds with them';

CREATE VIEW sdbc_report.community_evaluations AS
  SELECT e.period_code, e.kind AS period_kind, e.community::text AS community_code, e.county::text AS county_code,
         e.indicator, e.satisfaction, e.leadership, e.merit, e.error, e.composite,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank
    FROM sdbc.community_evaluation e;
COMMENT ON VIEW sdbc_report.community_evaluations IS 'Communities'' "3+1" evaluations 社区综合考评 (R5.3) with their rank in the county (rank(): ties share, next skips; dense_rank(): no gap)';

CREATE VIEW sdbc_report.street_grades AS
  SELECT g.period_code, g.street::text AS street_code, g.county::text AS county_code, g.communities::integer AS communities,
         g.communities_scored::integer AS communities_scored, g.community_average, g.own_score, g.grade_score, g.band,
         CASE g.band WHEN 'excellent' THEN '优秀' WHEN 'good' THEN '良好' WHEN 'pass' THEN '合格' WHEN 'fail' THEN '不合格' END AS band_zh,
         g.county_rank::integer AS county_rank, g.county_dense_rank::integer AS county_dense_rank
    FROM sdbc.street_grade g;
COMMENT ON VIEW sdbc_report.street_grades IS 'Streets'' year-end grades 街道年终考评定等 (R5.2: 90 % communities'' average + 10 % own score), bands and ranks in the county';

CREATE VIEW sdbc_report.department_evaluations AS
  SELECT e.period_code, e.county::text AS county_code, e.department, o.name_zh AS department_zh,
         e.communities_assigned, e.communities_rated, e.average_rating,
         e.county_rank::integer AS county_rank, e.county_dense_rank::integer AS county_dense_rank
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
           WHERE q.community = d.code) AS rooms
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
           < sdbc.policy_value('activity.theme.monthly.min', c.community, m.month) AS missed_theme
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
    EXECUTE format('COMMENT ON COLUMN sdbc.report_key_figures.%I IS %L', r.attname, r.txt);
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
GRANT EXECUTE ON FUNCTION sdbc.report_staff_compliance(), sdbc.report_service_open() TO sdbc_reader;
-- Reading the reference data and policy is open to everyone; changing them
-- is for the owner (roles per jurisdiction come with the security work).
GRANT USAGE ON SCHEMA sdbc TO PUBLIC;
GRANT SELECT ON sdbc.division, sdbc.division_kind, sdbc.urban_rural_class,
                sdbc.division_labeled, sdbc.division_orphan,
                sdbc.policy, sdbc.policy_key, sdbc.policy_described TO PUBLIC;
-- Who sees and changes what (issue 8): roles shipped with the extension, the
-- mapping of login roles to the divisions they serve, row-level security on
-- every table holding people, households, money or cases, and ID numbers
-- masked unless the caller may read them in full (docs/security.md).
--
-- Tables are owned by the extension's owner (a superuser), and RLS is
-- enabled, not forced: the owner, superusers and pg_restore are not
-- filtered.  Policies apply to the four staff roles below (and to login
-- roles that are members of them).

-- Group roles (cluster-wide: created when missing, left behind by DROP
-- EXTENSION).  NOLOGIN: grant them to login roles.
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['sdbc_prefecture_admin', 'sdbc_county_department', 'sdbc_street_office',
                           'sdbc_community_staff', 'sdbc_id_reader'] LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;

-- Login role → division(s) served.
CREATE TABLE sdbc.role_division (
  role_name  name NOT NULL CONSTRAINT role_division_role_not_blank CHECK (btrim(role_name) <> ''),
  division   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  office     text REFERENCES sdbc.office (office),
  note       text,
  CONSTRAINT role_division_unique UNIQUE NULLS NOT DISTINCT (role_name, division, office)
);
COMMENT ON TABLE sdbc.role_division IS
  'Which divisions a login (or group) role serves 管辖范围: without office, the division and everything below it (community staff: a community, a street office: a street, the prefecture: a prefecture); with office, only the cases and tasks routed to that office (a county department 县直部门) inside the division. Written by the extension owner; each role reads its own rows';
COMMENT ON COLUMN sdbc.role_division.role_name IS 'login or group role (by name, like pg_hba.conf; a mapping of a dropped role is inert)';
COMMENT ON COLUMN sdbc.role_division.division IS 'division 行政区划 served, with everything below it';
COMMENT ON COLUMN sdbc.role_division.office IS 'office 部门 (e.g. county_department): the role sees cases routed to this office and tasks handed down by it, inside the division; NULL: the whole division';
COMMENT ON COLUMN sdbc.role_division.note IS 'free text';
SELECT pg_catalog.pg_extension_config_dump('sdbc.role_division', '');

ALTER TABLE sdbc.role_division ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_division_own ON sdbc.role_division FOR SELECT
  USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = role_division.role_name
                    AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE')));
COMMENT ON POLICY role_division_own ON sdbc.role_division IS 'A role reads the mappings of itself and of the roles it is a member of';

-- The caller's jurisdiction.  These run as the caller (not SECURITY
-- DEFINER): inside a SECURITY DEFINER function current_user is the owner,
-- so it could not tell whose divisions to return.  The mapping table's own
-- policy limits them to the caller's rows, and they filter again.
CREATE FUNCTION sdbc.my_divisions() RETURNS sdbc.divcode[]
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT coalesce(array_agg(DISTINCT d.division), '{}')
    FROM sdbc.role_division d
   WHERE d.office IS NULL
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = d.role_name AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE'))
  $$;
COMMENT ON FUNCTION sdbc.my_divisions() IS
  'Divisions the current role serves whole (sdbc.role_division rows without office, of itself and the roles it is a member of); the row-level security policies compare a row''s division with these (OPERATOR(sdbc.<@) ANY)';

CREATE FUNCTION sdbc.my_offices() RETURNS TABLE (office text, division sdbc.divcode)
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT DISTINCT d.office, d.division
    FROM sdbc.role_division d
   WHERE d.office IS NOT NULL
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = d.role_name AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE'))
  $$;
COMMENT ON FUNCTION sdbc.my_offices() IS
  'Offices the current role acts as, each inside a division (sdbc.role_division rows with office): a county department sees the cases routed to its office and the tasks it handed down there';

CREATE FUNCTION sdbc.serves(d sdbc.divcode) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT d OPERATOR(sdbc.<@) ANY (sdbc.my_divisions()) $$;
COMMENT ON FUNCTION sdbc.serves(sdbc.divcode) IS
  'True when the current role serves division d: one of its mapped divisions (sdbc.my_divisions()) is d or an ancestor of d';

CREATE FUNCTION sdbc.case_routed_to_me(route_code text, route_version integer, division sdbc.divcode) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT EXISTS (SELECT 1 FROM sdbc.route_step s JOIN sdbc.my_offices() m ON m.office = s.office
                  WHERE s.route_code = case_routed_to_me.route_code AND s.version = case_routed_to_me.route_version
                    AND case_routed_to_me.division OPERATOR(sdbc.<@) m.division)
  $$;
COMMENT ON FUNCTION sdbc.case_routed_to_me(text, integer, sdbc.divcode) IS
  'True when a step of the route (version) is one of the current role''s offices (sdbc.my_offices()) and the case''s division lies inside that office''s division: what a county department sees';

CREATE FUNCTION sdbc.sees_all() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) $$;
COMMENT ON FUNCTION sdbc.sees_all() IS
  'True for a superuser or a role with BYPASSRLS, whom row-level security does not filter; the masked views filter the same way';

GRANT SELECT ON sdbc.role_division TO PUBLIC;

-- Row-level security.  One policy per table for the four staff roles; what
-- each may do is then a matter of table (and column) privileges below.
-- (SELECT sdbc.my_divisions()) is an InitPlan: evaluated once per query.
DO $$
DECLARE
  staff_roles constant text := 'sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff';
  mine constant text := '(SELECT sdbc.my_divisions())::sdbc.divcode[]';
  p record;
BEGIN
  FOR p IN SELECT * FROM (VALUES
    ('building', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'a building of a community the role serves'),
    ('household', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'a household of a community the role serves'),
    ('resident', format('EXISTS (SELECT 1 FROM sdbc.household h WHERE h.household_id = resident.household_id AND h.community OPERATOR(sdbc.<@) ANY (%s))', mine),
       'a resident of a household of a community the role serves'),
    ('staff', format('division OPERATOR(sdbc.<@) ANY (%s)', mine),
       'staff serving (now) a division the role serves'),
    ('staff_move', format('from_division OPERATOR(sdbc.<@) ANY (%1$s) OR to_division OPERATOR(sdbc.<@) ANY (%1$s)', mine),
       'a move out of or into a division the role serves (and writes it only for staff it sees)'),
    ('absence', 'EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = absence.staff_id)',
       'an absence of staff the role sees'),
    ('household_visit', 'EXISTS (SELECT 1 FROM sdbc.household h WHERE h.household_id = household_visit.household_id)',
       'a visit to a household the role sees'),
    ('duty_shift', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'a duty shift of a community the role serves'),
    ('account', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'an account of a community the role serves'),
    ('account_entry', 'EXISTS (SELECT 1 FROM sdbc.account a WHERE a.account_id = account_entry.account_id)',
       'an entry of an account the role sees'),
    ('expense', format('community OPERATOR(sdbc.<@) ANY (%s)', mine),
       'an expense of a community the role serves'),
    ('approval_case', format('division OPERATOR(sdbc.<@) ANY (%s) OR sdbc.case_routed_to_me(route_code, route_version, division)', mine),
       'a case of a division the role serves, or routed to one of its offices inside that office''s division'),
    ('service_application', format('community OPERATOR(sdbc.<@) ANY (%s) OR EXISTS (SELECT 1 FROM sdbc.approval_case c WHERE c.case_id = service_application.case_id)', mine),
       'an application of a community the role serves, or whose case the role sees'),
    ('task_assignment', format('community OPERATOR(sdbc.<@) ANY (%s) OR EXISTS (SELECT 1 FROM sdbc.my_offices() m WHERE m.office = task_assignment.department AND task_assignment.community OPERATOR(sdbc.<@) m.division)', mine),
       'a task of a community the role serves, or handed down by one of its offices inside that office''s division')
  ) AS t (tbl, pred, what) LOOP
    EXECUTE format('ALTER TABLE sdbc.%I ENABLE ROW LEVEL SECURITY', p.tbl);
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR ALL TO %s USING (%s) WITH CHECK (%s)',
                   p.tbl || '_jurisdiction', p.tbl, staff_roles, p.pred,
                   CASE p.tbl WHEN 'staff_move'
                     THEN format('(%s) AND EXISTS (SELECT 1 FROM sdbc.staff s WHERE s.staff_id = staff_move.staff_id)', p.pred)
                     -- seeing an application's case is no licence to file one elsewhere
                     WHEN 'service_application' THEN format('community OPERATOR(sdbc.<@) ANY (%s)', mine)
                     ELSE p.pred END);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', p.tbl || '_jurisdiction', p.tbl,
                   'Jurisdiction 属地管理: the staff roles see and write ' || p.what || ' (sdbc.role_division)');
  END LOOP;
END $$;

-- Decisions: read on the cases the role sees.  Written only through the
-- engine's trigger (sdbc.decision_check, C), which reads and locks the case
-- as the caller, so that a case the caller cannot see "does not exist"
-- (23503); the check cannot be a WITH CHECK on the case, because an expense
-- and its case are one statement and the submission inserted with them
-- would not yet see the case.
ALTER TABLE sdbc.decision ENABLE ROW LEVEL SECURITY;
CREATE POLICY decision_jurisdiction ON sdbc.decision FOR SELECT
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff
  USING (EXISTS (SELECT 1 FROM sdbc.approval_case c WHERE c.case_id = decision.case_id));
COMMENT ON POLICY decision_jurisdiction ON sdbc.decision IS
  'Jurisdiction 属地管理: the staff roles read the decisions on the cases they see (sdbc.role_division)';
CREATE POLICY decision_through_engine ON sdbc.decision FOR INSERT
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff
  WITH CHECK (true);
COMMENT ON POLICY decision_through_engine ON sdbc.decision IS
  'Decisions are inserted through sdbc.decision_check, which reads and locks the case under the caller''s row-level security: a case the caller does not see is refused as not existing';

-- Money leaves an account only through the engine: community staff insert
-- debits only from inside the payment trigger (sdbc.pay), never credits.
CREATE POLICY account_entry_engine_only ON sdbc.account_entry AS RESTRICTIVE FOR INSERT TO sdbc_community_staff
  WITH CHECK (kind = 'debit' AND sdbc.engine_writing());
COMMENT ON POLICY account_entry_engine_only ON sdbc.account_entry IS
  'Community staff write no credits, and debits only through the payment of an expense (the trigger of sdbc.pay), R3.4';

-- Offices and A/B posts: everyone of the staff roles reads them (the
-- approval engine checks membership and acting across divisions: a street
-- office acts on a community''s case); they are written inside the
-- jurisdiction.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['office_member', 'post'] LOOP
    EXECUTE format('ALTER TABLE sdbc.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR SELECT USING (true)', t || '_read', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_read', t,
                   'Everyone who may read the table reads every row (the approval engine checks membership and A/B acting across divisions)');
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR INSERT TO sdbc_prefecture_admin, sdbc_street_office WITH CHECK (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))', t || '_write', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_write', t,
                   'Rows are added for a division the role serves');
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR UPDATE TO sdbc_prefecture_admin, sdbc_street_office USING (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[])) WITH CHECK (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))', t || '_change', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_change', t,
                   'Rows of a division the role serves are changed, and stay inside it');
    EXECUTE format('CREATE POLICY %I ON sdbc.%I FOR DELETE TO sdbc_prefecture_admin USING (division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))', t || '_delete', t);
    EXECUTE format('COMMENT ON POLICY %I ON sdbc.%I IS %L', t || '_delete', t,
                   'The prefecture deletes rows of a division it serves');
  END LOOP;
END $$;

-- Identity numbers staff entered through sdbc.resident_set_id_number()
-- (sql/98_id_number.sql): pending until the HR office applies them
-- (sdbc.id_numbers_apply), then set, or held by another resident and left
-- to resolve.  Staff see neither the table nor the outcome: for them an
-- entered number looks set at once (sdbc.resident_masked below), so that
-- trying numbers tells them nothing.
CREATE TABLE sdbc.id_number_attempt (
  attempt_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  role_name     name NOT NULL,
  attempted_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  resident_id   bigint NOT NULL REFERENCES sdbc.resident (resident_id),
  community     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  id_number     sdbc.idcard NOT NULL,
  outcome       text NOT NULL CONSTRAINT id_number_attempt_outcome CHECK (outcome IN ('pending', 'set', 'held_elsewhere', 'resolved'))
);
COMMENT ON TABLE sdbc.id_number_attempt IS
  'Identity numbers 公民身份号码 entered through sdbc.resident_set_id_number() (R9.1): pending until sdbc.id_numbers_apply() writes them (set) or finds them held by another resident (held_elsewhere, to be resolved by the HR office — a resident who moved, or a mistyped number); staff see an entered number as set at once; written by the function, read and applied by sdbc_id_reader only';
COMMENT ON COLUMN sdbc.id_number_attempt.attempt_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.id_number_attempt.role_name IS 'role that entered the number';
COMMENT ON COLUMN sdbc.id_number_attempt.attempted_at IS 'when';
COMMENT ON COLUMN sdbc.id_number_attempt.resident_id IS 'resident whose number was entered';
COMMENT ON COLUMN sdbc.id_number_attempt.community IS 'community 社区 of that resident';
COMMENT ON COLUMN sdbc.id_number_attempt.id_number IS 'the number entered (personal data)';
COMMENT ON COLUMN sdbc.id_number_attempt.outcome IS 'pending 待核 (entered, not yet applied); set 已登记; held_elsewhere 他人已登记 (not written); resolved 已处理 (by sdbc_id_reader)';
CREATE INDEX id_number_attempt_resident_idx ON sdbc.id_number_attempt (resident_id, attempt_id);
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.id_number_attempt_attempt_id_seq', '');

-- ID numbers masked unless the caller is a member of sdbc_id_reader.  The
-- views run with their owner's rights (the staff roles may not read the
-- id_number columns) and so filter rows themselves, exactly as the tables'
-- policies do; current_user inside a view is the caller.
CREATE VIEW sdbc.resident_masked WITH (security_barrier) AS
  SELECT r.resident_id, r.household_id, h.community,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN r.id_number::text
              ELSE sdbc.idcard_mask(s.shown) END AS id_number,
         sdbc.idcard_age(CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN r.id_number
                              ELSE s.shown END) AS age,
         r.name, r.floating, r.key_population, r.key_reason
    FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
         -- the number shown to staff: the latest number entered for the
         -- resident while pending or held by another resident, else his own (R9.1)
         CROSS JOIN LATERAL (
           SELECT coalesce((SELECT CASE WHEN a.outcome IN ('pending', 'held_elsewhere') THEN a.id_number END
                              FROM sdbc.id_number_attempt a
                             WHERE a.resident_id = r.resident_id AND a.outcome <> 'resolved'
                             ORDER BY a.attempt_id DESC LIMIT 1), r.id_number) AS shown) s
   WHERE sdbc.sees_all() OR h.community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON VIEW sdbc.resident_masked IS
  'Residents 居民 the caller serves, ID numbers masked 脱敏 unless the caller is a member of sdbc_id_reader (the staff roles cannot read sdbc.resident.id_number); for staff, a number entered shows as entered, pending or held by another resident alike (sdbc.id_number_attempt)';
COMMENT ON COLUMN sdbc.resident_masked.resident_id IS 'resident';
COMMENT ON COLUMN sdbc.resident_masked.household_id IS 'household 户';
COMMENT ON COLUMN sdbc.resident_masked.community IS 'community 社区';
COMMENT ON COLUMN sdbc.resident_masked.id_number IS 'identity number 公民身份号码: in full for members of sdbc_id_reader, else masked (sdbc.idcard_mask), as staff last entered it (sdbc.id_number_attempt)';
COMMENT ON COLUMN sdbc.resident_masked.age IS 'age today 年龄, from the identity number shown (NULL without one)';
COMMENT ON COLUMN sdbc.resident_masked.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.resident_masked.floating IS 'floating population 流动人口';
COMMENT ON COLUMN sdbc.resident_masked.key_population IS 'key population 重点人口';
COMMENT ON COLUMN sdbc.resident_masked.key_reason IS 'why key population';

CREATE VIEW sdbc.staff_masked WITH (security_barrier) AS
  SELECT s.staff_id, s.name,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN s.id_number::text
              ELSE sdbc.idcard_mask(s.id_number) END AS id_number,
         s.division, s.category, s.sex, s.education, s.rank, s.party_member, s.street_leader
    FROM sdbc.staff s
   WHERE sdbc.sees_all() OR s.division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON VIEW sdbc.staff_masked IS
  'Staff 工作人员 the caller serves, ID numbers masked 脱敏 unless the caller is a member of sdbc_id_reader (the staff roles cannot read sdbc.staff.id_number)';
COMMENT ON COLUMN sdbc.staff_masked.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.staff_masked.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.staff_masked.id_number IS 'identity number 公民身份号码: in full for members of sdbc_id_reader, else masked (sdbc.idcard_mask)';
COMMENT ON COLUMN sdbc.staff_masked.division IS 'division served now 工作单位';
COMMENT ON COLUMN sdbc.staff_masked.category IS 'establishment 编制';
COMMENT ON COLUMN sdbc.staff_masked.sex IS 'sex 性别';
COMMENT ON COLUMN sdbc.staff_masked.education IS 'education 学历';
COMMENT ON COLUMN sdbc.staff_masked.rank IS 'rank 职级';
COMMENT ON COLUMN sdbc.staff_masked.party_member IS 'party member 党员';
COMMENT ON COLUMN sdbc.staff_masked.street_leader IS 'street leadership 街道领导班子';

-- Eligibility by age reads the age from the masked view, so that it works
-- for staff roles, which may not read id_number (same result for the owner).
CREATE OR REPLACE FUNCTION sdbc.eligible_working_age(resident_id bigint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN EXISTS (SELECT 1 FROM sdbc.resident_masked r WHERE r.resident_id = eligible_working_age.resident_id
                    AND r.age BETWEEN 16 AND 59);

-- The other views of sdbc run with their owner's rights (the reporting
-- views read through them), so they would not be filtered: the staff roles
-- get no rights on them.

-- Privileges.
-- Reference data and the engine's lookup tables: read by every staff role.
GRANT SELECT ON sdbc.office, sdbc.office_member, sdbc.post, sdbc.route, sdbc.route_step, sdbc.route_rule,
                sdbc.calendar_day, sdbc.service_matter, sdbc.task_type, sdbc.grid, sdbc.grid_class,
                sdbc.street_office
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
-- Rows the triggers lock writers on (no data).
GRANT SELECT, INSERT, UPDATE ON sdbc.grid_write_lock, sdbc.staff_limit_lock, sdbc.staff_absence_lock
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA sdbc
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
GRANT SELECT ON sdbc.resident_masked, sdbc.staff_masked
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;

-- Everything but the ID numbers (column privileges; read them masked in
-- sdbc.resident_masked / sdbc.staff_masked, or in full as sdbc_id_reader).
GRANT SELECT (resident_id, household_id, name, floating, key_population, key_reason) ON sdbc.resident
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
GRANT SELECT (staff_id, name, division, category, sex, education, rank, party_member, street_leader) ON sdbc.staff
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;
GRANT SELECT (id_number) ON sdbc.resident, sdbc.staff TO sdbc_id_reader;
GRANT SELECT ON sdbc.resident_masked, sdbc.staff_masked TO sdbc_id_reader;

-- Community staff: the registry, visits, duty and absences of their
-- community; expenses and applications (the engine writes cases, decisions
-- and debits for them); refusing a task.
GRANT SELECT, INSERT, UPDATE ON sdbc.building, sdbc.household, sdbc.duty_shift, sdbc.expense,
                                sdbc.approval_case
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
-- id_number is not among the columns they write: a unique violation would
-- tell them whether any number is registered (sdbc.resident_set_id_number()
-- sets it instead, sql/98_id_number.sql); sdbc_id_reader may write it.
GRANT INSERT (household_id, name, floating, key_population, key_reason),
      UPDATE (household_id, name, floating, key_population, key_reason)
  ON sdbc.resident TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT (id_number), UPDATE (id_number) ON sdbc.resident, sdbc.staff TO sdbc_id_reader;
GRANT SELECT, INSERT ON sdbc.household_visit, sdbc.absence, sdbc.decision, sdbc.service_application,
                        sdbc.account_entry
  TO sdbc_community_staff, sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT ON sdbc.staff_move, sdbc.account, sdbc.task_assignment TO sdbc_community_staff;
GRANT UPDATE (last_paid_at) ON sdbc.account TO sdbc_community_staff;
GRANT UPDATE (status, refusal_reason, refused_on, refused_by) ON sdbc.task_assignment TO sdbc_community_staff;
-- Street offices and the prefecture: also staff and their moves, accounts.
GRANT INSERT (name, division, category, sex, education, rank, party_member, street_leader),
      UPDATE (name, division, category, sex, education, rank, party_member, street_leader)
  ON sdbc.staff TO sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT, INSERT ON sdbc.staff_move TO sdbc_street_office, sdbc_prefecture_admin;
GRANT SELECT, INSERT, UPDATE ON sdbc.account, sdbc.task_assignment TO sdbc_street_office, sdbc_prefecture_admin;
GRANT INSERT, UPDATE ON sdbc.office_member, sdbc.post TO sdbc_street_office, sdbc_prefecture_admin;
-- The prefecture corrects mistakes: deletes where history does not forbid it.
GRANT DELETE ON sdbc.building, sdbc.household, sdbc.resident, sdbc.absence, sdbc.duty_shift, sdbc.household_visit,
                sdbc.office_member, sdbc.post
  TO sdbc_prefecture_admin;
-- County departments: the cases routed to them (decide; the engine updates
-- the case), the applications behind them, the tasks they hand down.
GRANT SELECT, UPDATE ON sdbc.approval_case TO sdbc_county_department;
GRANT SELECT, INSERT ON sdbc.decision TO sdbc_county_department;
GRANT SELECT ON sdbc.service_application TO sdbc_county_department;
GRANT SELECT, INSERT ON sdbc.task_assignment TO sdbc_county_department;

-- Functions applications call (also executable by PUBLIC unless a DBA
-- revokes that; these grants keep them callable then).
GRANT EXECUTE ON FUNCTION sdbc.submit_expense(bigint, text, text, numeric, bigint, text),
                          sdbc.sign(bigint, bigint, bigint), sdbc.withdraw(bigint, bigint),
                          sdbc.decide(bigint, bigint, text, text, integer, bigint, integer),
                          sdbc.pay(bigint, bigint),
                          sdbc.apply(text, bigint, bigint, text[], text),
                          sdbc.refuse_task(bigint, text),
                          sdbc.my_divisions(), sdbc.my_offices(), sdbc.serves(sdbc.divcode)
  TO sdbc_prefecture_admin, sdbc_county_department, sdbc_street_office, sdbc_community_staff;
GRANT EXECUTE ON FUNCTION sdbc.credit(bigint, numeric, text) TO sdbc_street_office, sdbc_prefecture_admin;
-- Row-level security on the rest of a community's data (issue 8, second
-- part): grids and their history, incidents and drawing reports; emergency
-- squads, drills and joint defence; party organisation; evaluation scores
-- and reverse ratings; allocations; platforms, premises, themes and
-- activities; the street's internal offices.  Same pattern and helpers as
-- sql/97_roles.sql (sdbc.my_divisions(), sdbc.my_offices()): one policy per
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
-- County departments: grids are no business of theirs (sql/97_roles.sql
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
GRANT EXECUTE ON FUNCTION sdbc.drill_missed(date, sdbc.divcode), sdbc.party_totals(sdbc.divcode),
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

-- sdbc.party_totals() runs as the caller but read the owner-rights view
-- sdbc.party_by_community, closed to the staff roles: it reads the copy,
-- so that it counts the caller's jurisdiction (the owner, whom row-level
-- security does not filter, gets what it got before).
CREATE OR REPLACE FUNCTION sdbc.party_totals(under sdbc.divcode DEFAULT NULL)
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
-- The person behind a login (docs/security.md): the approval engine records
-- who acted, and a login acts only as the staff member it is mapped to here
-- (src/login_staff.c: SD317 without a mapping, SD318 as someone else).

CREATE TABLE sdbc.role_staff (
  role_name  name PRIMARY KEY CONSTRAINT role_staff_role_not_blank CHECK (btrim(role_name) <> ''),
  staff_id   bigint REFERENCES sdbc.staff (staff_id),
  note       text
);
COMMENT ON TABLE sdbc.role_staff IS
  'Login role → the staff member 工作人员 it is: decisions (decision.actor), submissions and payments (expense.paid_by) by a role that is not a superuser or the tables'' owner must name this person (R3.2, R3.3, R4.1; SD317, SD318). Written by the administrator only';
COMMENT ON COLUMN sdbc.role_staff.role_name IS 'login role (by name; the role itself, not a group it belongs to)';
COMMENT ON COLUMN sdbc.role_staff.staff_id IS 'the staff member the role is; NULL: the role may record any staff member (an application server that authenticates its users itself — grant with care)';
COMMENT ON COLUMN sdbc.role_staff.note IS 'free text, e.g. who approved the mapping';
CREATE INDEX role_staff_staff_idx ON sdbc.role_staff (staff_id);
SELECT pg_catalog.pg_extension_config_dump('sdbc.role_staff', '');

-- Each role reads its own row; only the owner (the administrator) writes.
ALTER TABLE sdbc.role_staff ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_staff_own ON sdbc.role_staff FOR SELECT
  USING (role_name = current_user);
COMMENT ON POLICY role_staff_own ON sdbc.role_staff IS
  'A role reads its own mapping (the engine''s check runs as the role)';
GRANT SELECT ON sdbc.role_staff TO PUBLIC;

-- The current role's staff member: what a record of its own defaults to
-- (absences, task refusals); NULL without a mapping or for a role that may
-- record anyone.  As the caller: the table's policy shows its own row.
CREATE FUNCTION sdbc.my_staff_id() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT rs.staff_id FROM sdbc.role_staff rs WHERE rs.role_name = current_user $$;
COMMENT ON FUNCTION sdbc.my_staff_id() IS
  'The staff member 工作人员 the current role is (sdbc.role_staff); NULL without a mapping or for a role that may record anyone';

-- For the PL/pgSQL triggers that record a person (visits, absences).
CREATE FUNCTION sdbc.check_login_is(tbl regclass, staff_id bigint, doing text) RETURNS void
  AS 'MODULE_PATHNAME', 'check_login_is' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.check_login_is(regclass, bigint, text) IS
  'Raise SD317 or SD318 unless the current role is staff_id (sdbc.role_staff), or is a superuser or the owner of tbl; a NULL staff_id passes only for those (the record must name its author)';
-- Identity numbers written without an oracle (R9.1, docs/security.md): the
-- staff roles enter a resident's number through
-- sdbc.resident_set_id_number() (src/id_registration.c), which records it as
-- pending — the same for every number, so nothing in their transaction
-- depends on it — and staff see it as entered (sdbc.id_number_attempt,
-- sql/97_roles.sql).  The HR office (sdbc_id_reader) or the administrator
-- applies pending numbers to the registry with sdbc.id_numbers_apply().

ALTER TABLE sdbc.id_number_attempt ENABLE ROW LEVEL SECURITY;
CREATE POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt FOR ALL TO sdbc_id_reader
  USING (community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]))
  WITH CHECK (community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]));
COMMENT ON POLICY id_number_attempt_jurisdiction ON sdbc.id_number_attempt IS
  'Jurisdiction 属地管理: the HR office (sdbc_id_reader) reads and resolves the numbers entered in the divisions it serves (sdbc.role_division)';
GRANT SELECT, UPDATE (outcome) ON sdbc.id_number_attempt TO sdbc_id_reader;
-- (the apply function writes id_number as its caller: sdbc_id_reader has UPDATE (id_number) on sdbc.resident, sql/97_roles.sql)

CREATE FUNCTION sdbc.resident_set_id_number(resident_id bigint, id_number sdbc.idcard) RETURNS void
  AS 'MODULE_PATHNAME', 'resident_set_id_number' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) IS
  'Enter the identity number 公民身份号码 of a resident the caller serves (SD701 otherwise), R9.1: recorded as pending in sdbc.id_number_attempt and shown to staff as entered; sdbc.id_numbers_apply() writes it to the registry later, or finds it held by another resident — the caller learns neither';
REVOKE ALL ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.resident_set_id_number(bigint, sdbc.idcard)
  TO sdbc_prefecture_admin, sdbc_street_office, sdbc_community_staff;

-- Apply pending numbers: in the caller's (HR office's or administrator's)
-- transaction, each pending number is written to its resident, or marked
-- held_elsewhere when another resident holds it (unique violation).
CREATE FUNCTION sdbc.id_numbers_apply()
  RETURNS TABLE (attempt_id bigint, resident_id bigint, outcome text)
  LANGUAGE plpgsql SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  a record;
  result text;
BEGIN
  FOR a IN SELECT x.attempt_id, x.resident_id, x.id_number FROM sdbc.id_number_attempt x
            WHERE x.outcome = 'pending' ORDER BY x.attempt_id FOR UPDATE LOOP
    BEGIN
      UPDATE sdbc.resident r SET id_number = a.id_number WHERE r.resident_id = a.resident_id;
      result := 'set';
    EXCEPTION WHEN unique_violation THEN
      result := 'held_elsewhere';
    END;
    UPDATE sdbc.id_number_attempt x SET outcome = result WHERE x.attempt_id = a.attempt_id;
    attempt_id := a.attempt_id; resident_id := a.resident_id; outcome := result;
    RETURN NEXT;
  END LOOP;
END $$;
COMMENT ON FUNCTION sdbc.id_numbers_apply() IS
  'Apply the pending identity numbers the caller may see (R9.1): each is written to its resident (set), or marked held_elsewhere when another resident holds it; returns what it did. For the HR office (sdbc_id_reader, which may write id_number) and the administrator, in a transaction of their own';
REVOKE ALL ON FUNCTION sdbc.id_numbers_apply() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.id_numbers_apply() TO sdbc_id_reader;
-- Built-in policy rows get fixed ids, the same in every database whatever
-- the order in which releases inserted them: negative, numbered by key,
-- division and date.  Rows a user adds take positive ids from the identity
-- sequence, so a dump of user rows (pg_extension_config_dump … 'WHERE NOT
-- builtin') restores into a fresh install of the same release without
-- colliding with its built-in rows, also when the dumped database was
-- updated from an earlier release (test/t/006_upgrade.pl).  Nothing refers
-- to policy_id; it is the row's handle only.  Runs at the end of the install
-- script and of every update script.
WITH old AS (DELETE FROM sdbc.policy WHERE builtin RETURNING *)
INSERT INTO sdbc.policy OVERRIDING SYSTEM VALUE
SELECT -row_number() OVER (ORDER BY key, division NULLS FIRST, valid_from), key, division, valid_from, value, builtin, note
  FROM old;
COMMENT ON COLUMN sdbc.policy.policy_id IS
  'surrogate key: negative and fixed for built-in rows (numbered by key, division, valid_from), positive for rows users add';
