-- sdbc 0.2.0 → 0.3.0, the hand-written part: what changed in the files that
-- 0.2.0 already had (docs/upgrades.md).  The files new in 0.3.0 follow it in
-- the built script (UPDATE_NEW in the Makefile).
\echo Use "ALTER EXTENSION sdbc UPDATE TO '0.3.0'" to load this file. \quit

-- h-hard: hostile-login review, session 4 (docs/security.md).
-- Finding 5: a cap on the sites of one grid partition (policy
-- grid.partition.max_sites, a local default), so the kernel reads a policy
-- (STABLE); executable by the roles of sdbc.grid_draw only.
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('grid.partition.max_sites', 'R7.1', 'count', 1, NULL,
   'most building sites one call of sdbc.grid_partition() partitions (a community has far fewer); local default, not from the paper',
   '单次网格划分的楼栋点位上限(本地默认值,非文件规定)', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('grid.partition.max_sites', NULL, '2014-01-01', 50000, true, 'local default, not from the paper: bounds one grid drawing (R7.1)');
ALTER FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer) IS
  'Kernel (C) of grid drawing: sites with coordinates and households, pairs of 1-based sites whose cells share an edge, and the bounds → the grid (1-based) of every site, contiguous, within bounds where possible, with the reasons where not (R7.1); at most policy grid.partition.max_sites sites (SD381), cancellable; for sdbc.grid_draw (street offices and the prefecture)';
REVOKE ALL ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sdbc.grid_partition(double precision[], double precision[], integer[], integer[], integer, integer)
  TO sdbc_street_office, sdbc_prefecture_admin;

-- Finding 3: a debit refers to its expense, with the expense's account and
-- amount; no role writes a debit but through the payment trigger.
ALTER TABLE sdbc.expense ADD CONSTRAINT expense_payment_key UNIQUE (expense_id, account_id, amount);
ALTER TABLE sdbc.account_entry ADD CONSTRAINT account_entry_expense_fkey
  FOREIGN KEY (expense_id, account_id, amount) REFERENCES sdbc.expense (expense_id, account_id, amount);
COMMENT ON CONSTRAINT expense_payment_key ON sdbc.expense IS
  'What a debit refers to (account_entry_expense_fkey): the expense with its account and amount';
COMMENT ON CONSTRAINT account_entry_expense_fkey ON sdbc.account_entry IS
  'A debit 支出 pays an expense from the expense''s account, for the expense''s amount (R3.4); credits name no expense';
CREATE POLICY account_entry_debit_engine_only ON sdbc.account_entry AS RESTRICTIVE FOR INSERT TO PUBLIC
  WITH CHECK (kind <> 'debit' OR sdbc.engine_writing());
COMMENT ON POLICY account_entry_debit_engine_only ON sdbc.account_entry IS
  'Money leaves an account 支出 only through the payment of an expense (the trigger of sdbc.pay), for every role (R3.4)';

-- Finding 6: no sequence rights for the staff roles — revoked by
-- sql/98_rights_hardening.sql, which follows (as in a fresh install).

-- Finding 4: the age (and so eligibility by age) from the number the HR
-- office applied, never from a pending or "held elsewhere" entry.
CREATE OR REPLACE VIEW sdbc.resident_masked WITH (security_barrier) AS
  SELECT r.resident_id, r.household_id, h.community,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN r.id_number::text
              ELSE sdbc.idcard_mask(s.shown) END AS id_number,
         sdbc.idcard_age(r.id_number) AS age,
         r.name, r.floating, r.key_population, r.key_reason
    FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
         -- the number shown to staff: the latest number entered for the
         -- resident while pending or held by another resident, else his own (R9.1)
         CROSS JOIN LATERAL (
           SELECT coalesce((SELECT CASE WHEN a.outcome IN ('pending', 'held_elsewhere') THEN a.id_number END
                              FROM sdbc.id_number_attempt a
                             WHERE a.resident_id = r.resident_id AND a.outcome <> 'resolved'
                             ORDER BY a.attempt_id DESC LIMIT 1), r.id_number) AS shown) s
   WHERE sdbc.sees_all() OR h.community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON COLUMN sdbc.resident_masked.age IS 'age today 年龄, from the identity number the HR office applied (sdbc.resident.id_number; NULL without one, and while an entered number is pending): eligibility reads it (R4.2, R9.1)';
-- (Finding 1: EXECUTE on trigger functions is revoked by sql/98_rights_hardening.sql, which follows.)
