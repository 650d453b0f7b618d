-- Navigation: level, parent, ancestor, kind, short form, and the hierarchy
-- operators @> / <@, including the countyless prefectures (东莞 4419).
SET search_path = sdbc, public;

SELECT c, divcode_level(c) AS level, divcode_parent(c) AS parent, divcode_kind(c) AS kind,
       divcode_short(c) AS short
  FROM (VALUES ('65'::divcode), ('6529'), ('652901'), ('652901001'), ('652901101'),
               ('652901201'), ('652901404'), ('652901001001'), ('652901101201'),
               ('652901101401'), ('4419'), ('441900003'), ('441900003001')) AS v(c);

-- Ancestors at each level; NULL below the code's own level, and NULL for the
-- county of a township under a countyless prefecture.
SELECT lvl, divcode_ancestor('652901001001', lvl) AS aksu_community,
            divcode_ancestor('441900003001', lvl) AS dongguan_community,
            divcode_ancestor('652901', lvl) AS aksu_city
  FROM generate_series(1, 5) AS lvl;
SELECT divcode_ancestor('652901', 0);
SELECT divcode_ancestor('652901', 6);

-- Ancestor-or-self and descendant-or-self.
SELECT a, b, a @> b AS contains, a <@ b AS contained_by
  FROM (VALUES ('652901'::divcode, '652901001001'::divcode),
               ('652901001001', '652901'),
               ('652901', '652901'),
               ('652901', '652902001'),
               ('65', '652929'),
               ('4419', '441900003001'),
               ('441900003', '4419')) AS v(a, b);

-- A code's subtree is the range [code, divcode_subtree_last(code)].
SELECT c, divcode_subtree_last(c) FROM (VALUES ('65'::divcode), ('6529'), ('652901'), ('652901001'), ('652901001001')) v(c);

-- Every code in a sample is contained by each of its ancestors and by nothing
-- just outside its parent's range (property check over generated codes).
WITH codes AS (
  SELECT (65 * 10000000000::bigint + 29 * 100000000::bigint + c * 1000000::bigint
          + t * 1000::bigint + v)::divcode AS code
    FROM generate_series(1, 3) c, generate_series(0, 120, 40) t, generate_series(0, 450, 150) v
   WHERE t > 0 OR v = 0
)
SELECT count(*) AS codes,
       count(*) FILTER (WHERE divcode_parent(code) @> code AND code <@ divcode_parent(code)) AS under_parent,
       count(*) FILTER (WHERE divcode_level(divcode_parent(code)) = divcode_level(code) - 1) AS parent_one_level_up,
       count(*) FILTER (WHERE divcode_ancestor(code, divcode_level(code)) = code) AS own_level_is_self
  FROM codes;

-- Labels for every kind, in Chinese and English.
SELECT kind, level, name_zh, name_en FROM division_kind ORDER BY level, kind;

-- Hash opclass: hash joins and hash indexes work.
CREATE TEMP TABLE h (c divcode);
INSERT INTO h VALUES ('652901'), ('652902'), ('652901001');
CREATE INDEX ON h USING hash (c);
SET enable_seqscan = off;
SELECT c FROM h WHERE c = '652902';
RESET enable_seqscan;
SELECT divcode_hash('652901') = hashint8(652901000000) AS hash_is_int8_hash;
