-- sdbc.idcard (GB 11643): input forms, check character, birth date, sex,
-- address code, masking, and 22P02 errors that say which check failed.
SET search_path = sdbc, public;

-- Accepted: 18 characters (x or X), the old 15-digit form (19 inserted before
-- the year and the check computed).
SELECT input, input::idcard AS id
  FROM (VALUES ('11010519491231002X'), ('11010519491231002x'), ('110105491231002'),
               (' 652901198001010011 '), ('652901200002290027')) AS v(input);

-- Parts of the number.
SELECT id, idcard_birth_date(id) AS born, idcard_sex(id) AS sex,
       idcard_address_code(id) AS address, idcard_mask(id) AS masked,
       idcard_age(id, '2024-06-01') AS age_2024
  FROM (VALUES ('11010519491231002X'::idcard), ('652901198001010011'), ('652901200002290027')) AS v(id);

-- The address code is not tied to today's division table: a county code
-- that no longer exists (Aksu's old 652923 库车县, now 652902) stays valid.
SELECT '652923197001010015'::idcard AS old_kuqa_county, idcard_address_code('652923197001010015');

-- Rejected, each with its reason (22P02).
SELECT '1101051949123100'::idcard;           -- 16 characters
SELECT '11010519491231002Y'::idcard;         -- bad character
SELECT 'X10105194912310020'::idcard;         -- X only at the end
SELECT '110105194912310021'::idcard;         -- wrong check character
SELECT '110105194902300020'::idcard;         -- 30 February
SELECT '652901190002290012'::idcard;         -- 1900 is not a leap year
SELECT '110105491331002'::idcard;            -- month 13, old form
SELECT '990105194912310020'::idcard;         -- province 99 does not exist
-- born tomorrow (the number changes daily, so only the reason is shown)
DO $$
BEGIN
  PERFORM ('110105' || to_char(current_date + 1, 'YYYYMMDD') || '0010')::sdbc.idcard;
EXCEPTION WHEN invalid_text_representation THEN
  RAISE NOTICE '% %', SQLSTATE, (SELECT regexp_replace(SQLERRM, '"[0-9X]+"', '"…"'));
END $$;
DO $$
DECLARE d text;
BEGIN
  PERFORM ('110105' || to_char(current_date + 1, 'YYYYMMDD') || '0010')::sdbc.idcard;
EXCEPTION WHEN invalid_text_representation THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RAISE NOTICE '%', d;
END $$;

DO $$
BEGIN
  PERFORM '110105194912310021'::sdbc.idcard;
EXCEPTION WHEN invalid_text_representation THEN
  RAISE NOTICE 'caught %', SQLSTATE;
END $$;

-- For any 17 digits exactly one of the 11 check characters is accepted, and
-- the accepted numbers read back to themselves (500 bodies).
CREATE FUNCTION pg_temp.accepts(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM t::sdbc.idcard;
  RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
  RETURN false;
END $$;
WITH bodies AS (
  SELECT '652901' || to_char(date '1950-01-01' + i * 37, 'YYYYMMDD') || lpad((i * 7 % 1000)::text, 3, '0') AS body
    FROM generate_series(0, 499) i
), candidates AS (
  SELECT body, body || c AS t, pg_temp.accepts(body || c) AS ok
    FROM bodies, unnest(ARRAY['0','1','2','3','4','5','6','7','8','9','X']) c
)
SELECT count(DISTINCT body) AS bodies,
       count(*) FILTER (WHERE ok) AS accepted,
       count(*) FILTER (WHERE ok AND t::idcard::text = t) AS round_trip,
       count(DISTINCT right(t, 1)) FILTER (WHERE ok) AS distinct_check_chars
  FROM candidates;

-- Ordering, equality, and a unique index.
CREATE TEMP TABLE people (id idcard PRIMARY KEY);
INSERT INTO people VALUES ('11010519491231002X'), ('652901198001010011');
INSERT INTO people VALUES ('11010519491231002x');
SELECT id FROM people WHERE id = '110105491231002';
