-- Policy errors: each with its own SQLSTATE in the extension's class SD,
-- the rule in the detail and what would satisfy it in the hint.
SET search_path = sdbc, public;
-- (each SQLSTATE is shown by the DO block at the end)
INSERT INTO division (code, name) VALUES ('65', '新疆维吾尔自治区'), ('6529', '阿克苏地区'), ('652901', '阿克苏市');

-- SD104: an unknown key.
SELECT policy_value('grid.households.maximum', '652901', '2024-01-01');
-- SD103: nothing in force on the date.
SELECT policy_value('grid.households.max', '652901', '2000-01-01');

-- SD101: built-in rows are read-only, whoever asks.
UPDATE policy SET value = 250 WHERE key = 'grid.households.min' AND builtin;
DELETE FROM policy WHERE key = 'expense.small_limit' AND builtin;
INSERT INTO policy (key, division, valid_from, value, builtin) VALUES ('expense.small_limit', '652901', '2024-01-01', 4000, true);
UPDATE policy_key SET max_value = 2 WHERE key = 'street.staff_sent_down.min_share';
DELETE FROM policy_key WHERE key = 'grid.households.max';
TRUNCATE policy;
TRUNCATE policy_key CASCADE;

-- SD102: a value outside its key's bounds (a share above 1, a negative limit).
INSERT INTO policy (key, division, valid_from, value) VALUES ('street.staff_sent_down.min_share', '652901', '2024-01-01', 1.5);
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', '652901', '2024-01-01', -1);
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', '652901', '2024-01-01', 4000);
UPDATE policy SET value = -5 WHERE key = 'expense.small_limit' AND division = '652901';
-- A key without a maximum: NaN would pass its bounds; the value must be finite (23514).
\set VERBOSITY terse
INSERT INTO policy (key, division, valid_from, value) VALUES ('grid.households.max', '652901', '2024-01-01', 'NaN');
INSERT INTO policy (key, division, valid_from, value) VALUES ('grid.households.max', '652901', '2024-01-01', 'Infinity');
\set VERBOSITY default

-- Core constraints: unknown key, unknown division, a second row for the
-- same key, division and date (NULL division included), a malformed code.
INSERT INTO policy (key, division, valid_from, value) VALUES ('no.such.key', '652901', '2024-01-01', 1);
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', '652902', '2024-01-01', 1);
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', '652901', '2024-01-01', 4500);
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', NULL, '2014-01-01', 4500);
INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', '65290x', '2024-01-01', 4500);
INSERT INTO policy_key (key, rule_id, unit, description_en, description_zh) VALUES ('Bad Key', 'R1.1', 'yuan', 'x', 'x');
INSERT INTO policy_key (key, rule_id, unit, description_en, description_zh) VALUES ('a.b', 'rule 1', 'yuan', 'x', 'x');
INSERT INTO policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh) VALUES ('a.b', 'R1.1', 'yuan', 5, 1, 'x', 'x');

-- Nothing half-written: a multi-row insert with one bad value leaves no row.
INSERT INTO policy (key, division, valid_from, value) VALUES
  ('grid.households.min', '652901', '2024-01-01', 150),
  ('street.funds_passed_on.min_share', '652901', '2024-01-01', 7);
SELECT count(*) AS user_rows FROM policy WHERE NOT builtin;

-- The SQLSTATEs, as an application would catch them.
DO $$
DECLARE st text;
BEGIN
  BEGIN PERFORM sdbc.policy_value('nope.nope', NULL, '2024-01-01');
  EXCEPTION WHEN OTHERS THEN st := SQLSTATE; RAISE NOTICE 'unknown key: %', st; END;
  BEGIN PERFORM sdbc.policy_value('grid.households.max', NULL, '1999-01-01');
  EXCEPTION WHEN OTHERS THEN st := SQLSTATE; RAISE NOTICE 'nothing in force: %', st; END;
  BEGIN UPDATE sdbc.policy SET value = 1 WHERE builtin;
  EXCEPTION WHEN OTHERS THEN st := SQLSTATE; RAISE NOTICE 'built-in row: %', st; END;
  BEGIN INSERT INTO sdbc.policy (key, valid_from, value) VALUES ('street_grade.street_weight', '2030-01-01', 2);
  EXCEPTION WHEN OTHERS THEN st := SQLSTATE; RAISE NOTICE 'out of range: %', st; END;
END $$;

-- Leave the database as the next test expects it.
DELETE FROM policy WHERE NOT builtin;
DELETE FROM policy_key WHERE NOT builtin;
DELETE FROM division;
