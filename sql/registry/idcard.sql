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
