-- approvals.sql — helpers of test/bench/approvals.sh (run by it after
-- expenses.sql, in a fresh database with postgis and sdbc; not a regression
-- test).  Plain SQL that every build since 0.2.0 runs alike:
--
--   * bench_plan: the approvals that take open expenses of expense_small
--     through their route, in the order an application sends them (per
--     expense: handlers 2 and 3 of its community sign step 1, its finance
--     lead step 2, the first of the street finance office step 3);
--     bench_plan_add(lo, hi) appends those of the expenses of ids lo..hi;
--   * the floor (issue 14 section 4): copies of sdbc.approval_case,
--     sdbc.decision and sdbc.expense with every column, default, check,
--     index and foreign key (references among the three go to the copies)
--     and no trigger; bench_floor_sync() fills them with the rows of the
--     real tables, so that they are as big; bench_floor_insert(n, tag)
--     writes n submissions set-based (case, submission decision with its
--     hash, expense) in one statement.
SET client_min_messages = warning;

CREATE TABLE bench_plan (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  expense_id bigint NOT NULL,
  actor      bigint NOT NULL
);

-- Append the approvals of expenses lo..hi (all on expense_small) to the plan.
CREATE FUNCTION bench_plan_add(lo bigint, hi bigint) RETURNS bigint
  LANGUAGE sql AS $$
  WITH added AS (
    INSERT INTO bench_plan (expense_id, actor)
    SELECT e.expense_id, a.actor
      FROM sdbc.expense e
      CROSS JOIN (SELECT level FROM sdbc.office WHERE office = 'street_finance_office') o
      CROSS JOIN LATERAL (
        SELECT m.staff_id AS actor, 1 AS step, m.staff_id AS ord
          FROM sdbc.office_member m
         WHERE m.office = 'community_handler' AND m.division = e.community AND m.staff_id <> e.submitted_by
        UNION ALL
        SELECT m.staff_id, 2, 0 FROM sdbc.office_member m
         WHERE m.office = 'community_finance_lead' AND m.division = e.community
        UNION ALL
        SELECT min(m.staff_id), 3, 0 FROM sdbc.office_member m
         WHERE m.office = 'street_finance_office'
           AND m.division = sdbc.divcode_ancestor(e.community, o.level)) a
     WHERE e.expense_id BETWEEN lo AND hi AND e.route_code = 'expense_small'
     ORDER BY e.expense_id, a.step, a.ord
    RETURNING 1)
  SELECT count(*) FROM added $$;

-- The floor's copies: the real tables' columns, defaults, checks and indexes
-- (LIKE … INCLUDING ALL copies no foreign key), then their foreign keys as
-- the real tables declare them, with references among the three redirected.
CREATE TABLE bench_floor_case (LIKE sdbc.approval_case INCLUDING ALL);
CREATE TABLE bench_floor_decision (LIKE sdbc.decision INCLUDING ALL);
CREATE TABLE bench_floor_expense (LIKE sdbc.expense INCLUDING ALL);
SELECT format('ALTER TABLE %s ADD %s', c.copy,
              replace(replace(pg_get_constraintdef(k.oid),
                      'REFERENCES sdbc.approval_case(', 'REFERENCES bench_floor_case(')
                      , 'REFERENCES approval_case(', 'REFERENCES bench_floor_case('))
  FROM pg_constraint k
  JOIN (VALUES ('sdbc.approval_case'::regclass, 'bench_floor_case'),
               ('sdbc.decision'::regclass, 'bench_floor_decision'),
               ('sdbc.expense'::regclass, 'bench_floor_expense')) c(real, copy) ON c.real = k.conrelid
 WHERE k.contype = 'f'
 ORDER BY c.copy, k.conname
\gexec

-- Make the copies hold what the real tables hold (same sizes), with their
-- identity sequences after the real ones.
CREATE FUNCTION bench_floor_sync() RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE bench_floor_expense, bench_floor_decision, bench_floor_case;
  INSERT INTO bench_floor_case OVERRIDING SYSTEM VALUE SELECT * FROM sdbc.approval_case;
  INSERT INTO bench_floor_decision OVERRIDING SYSTEM VALUE SELECT * FROM sdbc.decision;
  INSERT INTO bench_floor_expense OVERRIDING SYSTEM VALUE SELECT * FROM sdbc.expense;
  PERFORM setval(pg_get_serial_sequence('bench_floor_case', 'case_id'),
                 (SELECT coalesce(max(case_id), 0) + 1 FROM bench_floor_case), false);
  PERFORM setval(pg_get_serial_sequence('bench_floor_decision', 'decision_id'),
                 (SELECT coalesce(max(decision_id), 0) + 1 FROM bench_floor_decision), false);
  PERFORM setval(pg_get_serial_sequence('bench_floor_expense', 'expense_id'),
                 (SELECT coalesce(max(expense_id), 0) + 1 FROM bench_floor_expense), false);
END $$;

-- The floor: n submissions of small expenses (payees tag 1..n, one each, so
-- no split) written set-based: each case open at step 1 with its chain's
-- anchor, its submission decision with the hash sdbc.decision_hash gives,
-- and the expense on that case.  Returns n.
CREATE FUNCTION bench_floor_insert(n integer, tag text) RETURNS bigint
  LANGUAGE sql AS $$
  WITH input AS (
    SELECT i, c.code, c.working_account, c.submitter, t,
           nextval(pg_get_serial_sequence('bench_floor_case', 'case_id')) AS case_id
      FROM generate_series(1, n) i JOIN bench_community c ON c.no = 1 + i % 20, clock_timestamp() t),
  hashed AS (
    SELECT input.*, sdbc.decision_hash(NULL, case_id, 0, 1, submitter, NULL, 'submit', NULL, NULL, t) AS hash
      FROM input),
  cases AS (
    INSERT INTO bench_floor_case (case_id, case_kind, division, route_code, route_version, submitted_by,
                                  chain_length, chain_head)
    OVERRIDING SYSTEM VALUE
    SELECT case_id, 'expense', code, 'expense_small', 1, submitter, 1, hash FROM hashed),
  decisions AS (
    INSERT INTO bench_floor_decision (case_id, step_no, round, actor, verdict, decided_at, prev_hash, hash)
    SELECT case_id, 0, 1, submitter, 'submit', t, NULL, hash FROM hashed),
  expenses AS (
    INSERT INTO bench_floor_expense (account_id, community, purpose, payee, amount, submitted_by, case_id,
                                     route_code)
    SELECT working_account, code, '办公用品', tag || ' ' || i, 100 + i % 4000, submitter, case_id,
           'expense_small'
      FROM hashed
    RETURNING 1)
  SELECT count(*) FROM expenses $$;

-- Remove what the submission runs added (payees 'api …', 'row …', 'set …'
-- in sdbc.expense, 'floor …' in the copies), with their cases and decisions,
-- so that every run of a size sees the same number of open cases.  The
-- insert-only and expense triggers are off meanwhile, as in expenses.sh's
-- reset_real.
CREATE FUNCTION bench_forget_runs() RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  ALTER TABLE sdbc.decision DISABLE TRIGGER decision_insert_only;
  ALTER TABLE sdbc.expense DISABLE TRIGGER expense_check;
  CREATE TEMP TABLE forget ON COMMIT DROP AS
  SELECT case_id FROM sdbc.expense WHERE payee LIKE 'api %' OR payee LIKE 'row %' OR payee LIKE 'set %';
  DELETE FROM sdbc.expense WHERE case_id IN (SELECT case_id FROM forget);
  DELETE FROM sdbc.decision WHERE case_id IN (SELECT case_id FROM forget);
  DELETE FROM sdbc.approval_case WHERE case_id IN (SELECT case_id FROM forget);
  ALTER TABLE sdbc.decision ENABLE TRIGGER decision_insert_only;
  ALTER TABLE sdbc.expense ENABLE TRIGGER expense_check;
  DELETE FROM forget;
  INSERT INTO forget SELECT case_id FROM bench_floor_expense WHERE payee LIKE 'floor %';
  DELETE FROM bench_floor_expense WHERE case_id IN (SELECT case_id FROM forget);
  DELETE FROM bench_floor_decision WHERE case_id IN (SELECT case_id FROM forget);
  DELETE FROM bench_floor_case WHERE case_id IN (SELECT case_id FROM forget);
END $$;
