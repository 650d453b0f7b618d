-- sdbc.divcode input and output: the accepted forms, the canonical output,
-- and core-style 22P02 errors for malformed codes.
\set VERBOSITY default
SET search_path = sdbc, public;

-- Accepted forms all print as 12 digits.
SELECT input, input::sdbc.divcode AS code
  FROM (VALUES ('65'), ('6529'), ('652900'), ('652901'), ('652901001'),
               ('652901001001'), ('650000'), ('  652901  '), ('441900003'),
               ('441900003001'), ('460400100')) AS v(input);

-- The canonical form reads back to the same value (round trip).
SELECT c::text::sdbc.divcode = c AS round_trip, sdbc.divcode_short(c)::sdbc.divcode = c AS short_round_trip
  FROM (VALUES ('65'::sdbc.divcode), ('652901'), ('652901001'), ('652901001001'), ('4419'), ('441900003')) AS v(c);

-- The national data names 东莞 both as a city (4419) and as a county (441900): one code.
SELECT '4419'::sdbc.divcode = '441900'::sdbc.divcode AS same_code;

-- Malformed codes: each rejected with 22P02 and a reason.
SELECT ''::sdbc.divcode;
SELECT '   '::sdbc.divcode;
SELECT '6529a1'::sdbc.divcode;
SELECT '-652901'::sdbc.divcode;
SELECT '65290'::sdbc.divcode;
SELECT '6529010010011'::sdbc.divcode;
SELECT '00'::sdbc.divcode;
SELECT '000000000000'::sdbc.divcode;
SELECT '99'::sdbc.divcode;
SELECT '652901600'::sdbc.divcode;
SELECT '652901001600'::sdbc.divcode;
SELECT '650001'::sdbc.divcode;
SELECT '652900001'::sdbc.divcode;
SELECT '652901000001'::sdbc.divcode;
-- Only the countyless prefectures may skip the county segment.
SELECT '652900001001'::sdbc.divcode;

-- The error's SQLSTATE is 22P02.
DO $$
BEGIN
  PERFORM '6529x'::sdbc.divcode;
EXCEPTION WHEN invalid_text_representation THEN
  RAISE NOTICE 'caught %', SQLSTATE;
END $$;

-- Casts to and from bigint and text.
SELECT '652901001'::sdbc.divcode::bigint AS as_bigint,
       652901001000::bigint::sdbc.divcode AS from_bigint,
       '652901'::text::sdbc.divcode AS from_text,
       ('652901'::sdbc.divcode)::text AS as_text;
SELECT 652901::bigint::sdbc.divcode;
SELECT (-1)::bigint::sdbc.divcode;
SELECT 1000000000000::bigint::sdbc.divcode;

-- Binary output is the 12-digit value as int8; binary input reads it back
-- (COPY BINARY round trip) and checks it like text input.
SELECT sdbc.divcode_send('652901001') = int8send(652901001000) AS send_is_int8;
CREATE TEMP TABLE bin_in (c sdbc.divcode);
SELECT '/tmp/sdbc_divcode_input_' || pg_backend_pid() || '.bin' AS binfile \gset
COPY (SELECT v::sdbc.divcode FROM (VALUES ('652901001'), ('4419'), ('65')) t(v)) TO :'binfile' (FORMAT binary);
COPY bin_in FROM :'binfile' (FORMAT binary);
SELECT c FROM bin_in ORDER BY c;
COPY (SELECT 652900001001::bigint) TO :'binfile' (FORMAT binary);
COPY bin_in FROM :'binfile' (FORMAT binary);

-- Comparison operators and sorting follow code order.
SELECT array_agg(c ORDER BY c) FROM (VALUES ('652902'::sdbc.divcode), ('65'), ('652901001'), ('652901')) v(c);
SELECT '652901'::sdbc.divcode < '652902', '652901'::sdbc.divcode = '652901000000',
       '652901'::sdbc.divcode <> '652902', '652902'::sdbc.divcode >= '652901';
