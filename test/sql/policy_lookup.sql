-- Policy as data (R14.1): the paper's defaults, overrides inherited down the
-- division tree, and effective dates.
SET search_path = sdbc, public;
INSERT INTO division (code, name) VALUES
  ('65', '新疆维吾尔自治区'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652902', '库车市'), ('652901001', '兰干街道'), ('652901002', '英巴扎街道'),
  ('652901001001', '前进社区居民委员会'), ('652901001002', '某社区居民委员会');

-- The built-in defaults, each tied to its rule.
SELECT key, rule_id, unit, value, valid_from
  FROM policy JOIN policy_key USING (key) WHERE policy.builtin ORDER BY rule_id, key;

-- Read anywhere: a community inherits the default for everywhere.
SELECT key, policy_value(key, '652901001001', '2024-06-01') AS community,
            policy_value(key, NULL, '2024-06-01') AS everywhere
  FROM policy_key ORDER BY key;

-- Overrides: Aksu city lowers the expense limit from 2020; one street raises
-- the grid maximum from 2023; a community sets its own from 2024.
INSERT INTO policy (key, division, valid_from, value, note) VALUES
  ('expense.small_limit', '652901', '2020-01-01', 3000, 'county decision'),
  ('grid.households.max', '652901001', '2023-01-01', 350, 'street decision'),
  ('grid.households.max', '652901001001', '2024-01-01', 400, 'community decision');

SELECT d AS on_date,
       policy_value('expense.small_limit', '652901001001', d) AS aksu_community_limit,
       policy_value('expense.small_limit', '652902', d) AS kuqa_limit,
       policy_value('grid.households.max', '652901001001', d) AS community_grid_max,
       policy_value('grid.households.max', '652901001002', d) AS sibling_grid_max,
       policy_value('grid.households.max', '652901002', d) AS other_street_grid_max
  FROM unnest(ARRAY['2019-12-31', '2020-01-01', '2023-06-01', '2024-01-01']::date[]) AS d;

-- Effective dates: R3.5's minimum funds hold from 2016 only.
SELECT policy_value('community.working_funds.min_yearly', '652901001001', '2016-01-01') AS from_2016;
SELECT policy_value('community.working_funds.min_yearly', '652901001001', '2015-12-31') AS before_2016;

-- A later row for everywhere replaces the default from its date on.
INSERT INTO policy (key, division, valid_from, value) VALUES ('grid.households.min', NULL, '2025-01-01', 180);
SELECT policy_value('grid.households.min', '652902', '2024-12-31') AS before,
       policy_value('grid.households.min', '652902', '2025-01-01') AS after;

-- NULL key or date gives NULL; the date defaults to today.
SELECT policy_value(NULL, '652901', '2024-01-01') IS NULL AS null_key,
       policy_value('grid.households.max', '652901', NULL) IS NULL AS null_date,
       policy_value('grid.households.max', '6529') = policy_value('grid.households.max', '6529', current_date) AS default_today;

-- The cache sees changes made earlier in the same transaction and session.
BEGIN;
UPDATE policy SET value = 2500 WHERE key = 'expense.small_limit' AND division = '652901';
SELECT policy_value('expense.small_limit', '652901', '2024-01-01') AS in_transaction;
ROLLBACK;
SELECT policy_value('expense.small_limit', '652901', '2024-01-01') AS after_rollback;
DELETE FROM policy WHERE key = 'expense.small_limit' AND division = '652901';
SELECT policy_value('expense.small_limit', '652901', '2024-01-01') AS after_delete;

-- A county adds a key of its own; the cache learns it in the same session.
INSERT INTO policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh)
  VALUES ('patrol.cars.min', 'R12.3', 'persons', 0, 10, 'patrol cars per community', '每社区巡逻车数');
INSERT INTO policy (key, division, valid_from, value) VALUES ('patrol.cars.min', '6529', '2016-01-01', 1);
SELECT policy_value('patrol.cars.min', '652901001001', '2024-01-01') AS patrol_cars;

-- Lookups by key for many rows at once (a per-row call stays correct).
SELECT count(*) AS rows, sum(policy_value('grid.households.max', c, '2024-06-01')) AS sum_max
  FROM (VALUES ('652901001001'::divcode), ('652901001002'), ('652902'), ('652901002')) v(c);

-- In parallel mode no fresh snapshot may be taken: a cache (re)loaded inside a
-- parallel query reads with the transaction's snapshot and is dropped when
-- the transaction ends.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
INSERT INTO policy (key, division, valid_from, value) VALUES ('grid.households.max', '652902', '2024-01-01', 320);
EXPLAIN (COSTS OFF) SELECT sum(policy_value('grid.households.max', code, '2024-06-01')) FROM division;
SELECT sum(policy_value('grid.households.max', code, '2024-06-01')) AS sum_in_parallel_query FROM division;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
UPDATE policy SET value = 310 WHERE key = 'grid.households.max' AND division = '652902';
SELECT policy_value('grid.households.max', '652902', '2024-06-01') AS after_parallel_use;

-- Leave the database as the next test expects it.
DELETE FROM policy WHERE NOT builtin;
DELETE FROM policy_key WHERE NOT builtin;
DELETE FROM division;
