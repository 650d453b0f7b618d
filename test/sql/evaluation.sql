-- Evaluation (R5): the "3+1" composite of each community (R5.3), the
-- street's year-end grade (R5.2: 0.9 × communities' average + 0.1 × own),
-- bands, rankings with ties, reverse evaluation of departments (R5.4), and
-- the errors SD601–SD607.  Only parts are stored: changing a part changes
-- the composite, the grade and the ranks at once.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE task_assignment_assignment_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652902', '库车市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区'), ('652901001003', '团结社区'),
  ('652901002', '英巴扎街道'), ('652901002001', '英巴扎社区'), ('652901002002', '多浪社区'),
  ('652902001', '热斯坦街道'), ('652902001001', '热斯坦社区');
INSERT INTO evaluation_period (period_code, kind, starts_on, ends_on, name_zh) VALUES
  ('2024', 'year_end', '2024-01-01', '2024-12-31', '2024年度考核'),
  ('2024-Q2', 'routine', '2024-04-01', '2024-06-30', '2024年第二季度平时考核');

-- The policy in force: the paper's 0.9 / 0.1; sdbc's 0.6 / 0.2 / 0.2, scale 100, caps 5, bands 90/80/60.
SELECT key, value FROM policy_described WHERE rule_id IN ('R5.2', 'R5.3', 'R5.4') AND division IS NULL ORDER BY key;

-- Parts, and the composites computed from them: 0.6·i + 0.2·s + 0.2·l + merit − error.
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership, merit, error) VALUES
  ('2024', '652901001001', 85, 90, 80, 2, 1),        -- 51 + 18 + 16 + 2 − 1 = 86
  ('2024', '652901001002', 90, 80, 70, 0, 0),        -- 54 + 16 + 14 = 84
  ('2024', '652901001003', 83.33, 90, 80, 0, 0),     -- 49.998 + 34 = 83.998 → 84.00: ties with 友谊
  ('2024', '652901002001', 70, 70, 70, 0, 5),        -- 70 − 5 = 65
  ('2024', '652901002002', 100, 100, 100, 5, 0),     -- 105: the top possible
  ('2024', '652902001001', 60, 60, 60, 0, 0),        -- another county: ranked on its own
  ('2024-Q2', '652901001001', 50, 50, 50, 0, 0);     -- a routine period: not in the street grade
SELECT period_code, kind, community, county, composite, county_rank, county_dense_rank
  FROM community_evaluation ORDER BY period_code, county, county_rank, community;
-- The composite is reproducible from the stored parts with the C function.
SELECT community, composite = evaluation_composite(community, '2024-12-31', indicator, satisfaction, leadership, merit, error) AS reproducible
  FROM community_evaluation WHERE period_code = '2024' ORDER BY community;

-- Street grades (R5.2), year-end only.
INSERT INTO street_score (period_code, street, own_score) VALUES
  ('2024', '652901001', 70), ('2024', '652901002', 95), ('2024', '652902001', 88);
-- 兰干: avg(86, 84, 84) = 84.67 → 0.9·84.67 + 0.1·70 = 76.203 + 7 = 83.20 (good);
-- 英巴扎: avg(65, 105) = 85 → 76.5 + 9.5 = 86.00 (good); 热斯坦: 54 + 8.8 = 62.80 (pass)
SELECT period_code, street, county, communities, communities_scored, community_average, own_score, grade_score, band, county_rank, county_dense_rank
  FROM street_grade ORDER BY street;

-- A change to any part recomputes what depends on it: 友谊 90 → 100 indicator
-- lifts its composite (84 → 90), breaks the tie (ranks 3, 3, 5 become 2, 3, 4),
-- raises 兰干's average (84.67 → 86.67) and grade (83.20 → 85.00).
UPDATE community_score SET indicator = 100 WHERE period_code = '2024' AND community = '652901001002';
SELECT community, composite, county_rank, county_dense_rank FROM community_evaluation
 WHERE period_code = '2024' AND county = '652901' ORDER BY county_rank, community;
SELECT street, community_average, grade_score, band, county_rank FROM street_grade WHERE county = '652901' ORDER BY county_rank;
-- A street's own score too: 英巴扎 95 → 80 gives 84.50, and 兰干 overtakes it.
UPDATE street_score SET own_score = 80 WHERE street = '652901002';
SELECT street, grade_score, band, county_rank FROM street_grade WHERE county = '652901' ORDER BY county_rank;
-- A tie among streets shares a rank (rank 1, 1; dense 1, 1).
UPDATE street_score SET own_score = 85 WHERE street = '652901002';  -- 76.5 + 8.5 = 85.00 = 兰干
SELECT street, grade_score, county_rank, county_dense_rank FROM street_grade WHERE county = '652901' ORDER BY street;

-- A county overrides policy: 热斯坦's county weights its own score 0.2 and
-- raises the bands; the grade follows (0.8·60 + 0.2·88 = 65.60, now fail).
BEGIN;
INSERT INTO policy (key, division, valid_from, value, note) VALUES
  ('street_grade.community_weight', '652902', '2024-01-01', 0.8, 'test'),
  ('street_grade.street_weight', '652902', '2024-01-01', 0.2, 'test'),
  ('street_grade.band.pass', '652902', '2024-01-01', 70, 'test');
COMMIT;
SELECT street, grade_score, band FROM street_grade WHERE county = '652902';

-- Bad input.  A score outside its scale or cap (SD602); more than two decimals (SD602).
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership) VALUES ('2024-Q2', '652901001002', 85, 100.5, 80);
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership, merit) VALUES ('2024-Q2', '652901001002', 85, 90, 80, 6);
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership, error) VALUES ('2024-Q2', '652901001002', 85, 90, 80, -1);
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership) VALUES ('2024-Q2', '652901001002', 85.001, 90, 80);
UPDATE community_score SET leadership = 101 WHERE period_code = '2024' AND community = '652901001001';
INSERT INTO street_score (period_code, street, own_score) VALUES ('2024', '652902001', 120);
-- An evaluation of a division that is not a community (SD601); a street score of a non-street (SD603)
-- or in a routine period (SD604).
INSERT INTO community_score (period_code, community, indicator, satisfaction, leadership) VALUES ('2024', '652901001', 85, 90, 80);
INSERT INTO street_score (period_code, street, own_score) VALUES ('2024', '652901', 80);
INSERT INTO street_score (period_code, street, own_score) VALUES ('2024-Q2', '652901001', 80);
-- Weights that do not sum to 1 (SD606, at commit) and bands that do not descend (SD607).
BEGIN;
INSERT INTO policy (key, division, valid_from, value, note) VALUES ('street_grade.street_weight', '652901', '2024-01-01', 0.2, 'test');
COMMIT;
BEGIN;
INSERT INTO policy (key, division, valid_from, value, note) VALUES ('evaluation.weight.indicator', '652901', '2024-01-01', 0.5, 'test');
COMMIT;
BEGIN;
INSERT INTO policy (key, division, valid_from, value, note) VALUES ('street_grade.band.good', NULL, '2025-01-01', 95, 'test');
COMMIT;
-- Nothing of them was kept: only the three rows of 库车's override are there.
SELECT key, division FROM policy WHERE NOT builtin ORDER BY key;
SELECT community, composite FROM community_evaluation WHERE period_code = '2024-Q2';
-- Overriding the three weights together is accepted, and changes the composite:
-- 友谊 in Aksu city at 0.5 / 0.3 / 0.2: 50 + 24 + 14 = 88.
BEGIN;
INSERT INTO policy (key, division, valid_from, value, note) VALUES
  ('evaluation.weight.indicator', '652901', '2024-01-01', 0.5, 'test'),
  ('evaluation.weight.satisfaction', '652901', '2024-01-01', 0.3, 'test');
COMMIT;
SELECT community, composite FROM community_evaluation WHERE community = '652901001002' AND period_code = '2024';
SELECT evaluation_composite('652901001001', '2024-12-31', 85, 90, 80, 0, 0);
-- The C function checks the weights it reads as well (here the commit-time check is switched off).
BEGIN;
ALTER TABLE policy DISABLE TRIGGER policy_group_check;
INSERT INTO policy (key, division, valid_from, value, note) VALUES ('evaluation.weight.leadership', '652902', '2024-01-01', 0.3, 'test');
SELECT evaluation_composite('652902001001', '2024-12-31', 85, 90, 80, 0, 0);
ROLLBACK;
SELECT grade_band('652901001', '2024-12-31', 89.99), grade_band('652901001', '2024-12-31', 90);

-- Reverse evaluation (R5.4): communities rate the departments that assigned them tasks.
INSERT INTO task_type (county, task_code, name_zh, name_en, class) VALUES
  ('652901', 'elderly_visit', '高龄老人走访', 'visits to the very old', 'handle');
INSERT INTO task_assignment (department, community, task_code, handed_on, funding) VALUES
  ('county_civil_affairs', '652901001001', 'elderly_visit', '2024-03-01', 1000),
  ('county_civil_affairs', '652901001002', 'elderly_visit', '2024-05-01', 1000),
  ('county_health',        '652901001001', 'elderly_visit', '2024-05-01', 1000),
  ('county_health',        '652901002001', 'elderly_visit', '2024-06-01', 1000),
  ('county_hrss',          '652901001003', 'elderly_visit', '2024-07-01', 1000);
INSERT INTO department_rating (period_code, community, department, rating) VALUES
  ('2024', '652901001001', 'county_civil_affairs', 90),
  ('2024', '652901001002', 'county_civil_affairs', 80),   -- average 85
  ('2024', '652901001001', 'county_health', 85),
  ('2024', '652901002001', 'county_health', 85),          -- average 85: ties with civil affairs
  ('2024-Q2', '652901002001', 'county_health', 70);
SELECT period_code, county, department, communities_assigned, communities_rated, average_rating, county_rank, county_dense_rank
  FROM department_evaluation ORDER BY period_code, county, county_rank, department;
-- A rating of a department that assigned no task in the period (SD605), outside the scale (SD602), by a street (SD601).
INSERT INTO department_rating (period_code, community, department, rating) VALUES ('2024-Q2', '652901001001', 'county_civil_affairs', 80);
INSERT INTO department_rating (period_code, community, department, rating) VALUES ('2024', '652901001003', 'county_hrss', 101);
INSERT INTO department_rating (period_code, community, department, rating) VALUES ('2024', '652901001', 'county_hrss', 80);
-- A rating changed: the department's result follows.
UPDATE department_rating SET rating = 100 WHERE community = '652901002001' AND department = 'county_health' AND period_code = '2024';
SELECT department, average_rating, county_rank FROM department_evaluation WHERE period_code = '2024' ORDER BY county_rank, department;

-- Leave the database as the next test expects it.
DELETE FROM policy WHERE NOT builtin;
DELETE FROM department_rating; DELETE FROM street_score; DELETE FROM community_score; DELETE FROM evaluation_period;
DELETE FROM task_assignment; DELETE FROM task_type; DELETE FROM division;
