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
