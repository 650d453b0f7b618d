-- Community money (R3): separate accounts, expenses routed by amount,
-- payment only after the route, never overdrawn; budget sinking (R3.1) and
-- minimum funds (R3.5) reported.

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('expense.split_window_days', 'R3.3', 'days', 1, 366,
   'window in which expenses of one community to one payee for one purpose are added up against the limit (split expenses)', '拆分支出合并计算的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('expense.split_window_days', NULL, '2014-01-01', 30, true, 'local default, not in the paper: splitting to stay under R3.3''s limit');

CREATE TABLE sdbc.account (
  account_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community      sdbc.divcode NOT NULL,
  kind           text NOT NULL CONSTRAINT account_kind CHECK (kind IN ('working', 'service', 'earmarked')),
  purpose        text,
  name           text NOT NULL,
  last_paid_at   timestamptz,
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee'),
  CONSTRAINT account_earmark_purpose CHECK ((kind = 'earmarked') = (purpose IS NOT NULL AND btrim(purpose) <> ''))
);
COMMENT ON TABLE sdbc.account IS
  'Separate accounts of a community 分账核算 (R3.4): working funds 工作经费, special funds for serving residents 服务群众专项经费, and earmarked funds 专项资金 that pay only their purpose';
COMMENT ON COLUMN sdbc.account.account_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.account.community IS 'community 社区 owning the account';
COMMENT ON COLUMN sdbc.account.kind IS 'working, service or earmarked';
COMMENT ON COLUMN sdbc.account.purpose IS 'the one purpose an earmarked account pays (专款专用); NULL otherwise';
COMMENT ON COLUMN sdbc.account.name IS 'name 账户名称';
COMMENT ON COLUMN sdbc.account.last_paid_at IS 'when the account last paid an expense (written by every payment, which so locks the account)';

CREATE TABLE sdbc.account_entry (
  entry_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES sdbc.account (account_id),
  kind        text NOT NULL CONSTRAINT account_entry_kind CHECK (kind IN ('credit', 'debit')),
  amount      numeric NOT NULL CONSTRAINT account_entry_positive CHECK (amount > 0)
                CONSTRAINT account_entry_fen CHECK (amount = round(amount, 2))
                -- numeric's NaN sorts above Infinity: both are refused (a NaN balance would pass any overdraw test)
                CONSTRAINT account_entry_finite CHECK (amount < 'Infinity'),
  expense_id  bigint,
  source      text,
  entered_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT account_entry_debit_has_expense CHECK ((kind = 'debit') = (expense_id IS NOT NULL))
);
COMMENT ON TABLE sdbc.account_entry IS 'Money in (credits: allocations) and out (debits: paid expenses) of an account; insert-only; the balance is credits minus debits';
COMMENT ON COLUMN sdbc.account_entry.entry_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.account_entry.account_id IS 'account';
COMMENT ON COLUMN sdbc.account_entry.kind IS 'credit or debit';
COMMENT ON COLUMN sdbc.account_entry.amount IS 'amount in yuan, two decimals at most';
COMMENT ON COLUMN sdbc.account_entry.expense_id IS 'the expense a debit pays';
COMMENT ON COLUMN sdbc.account_entry.source IS 'where a credit came from (e.g. street allocation 2024)';
COMMENT ON COLUMN sdbc.account_entry.entered_at IS 'when';
CREATE INDEX account_entry_account_idx ON sdbc.account_entry (account_id, entered_at);

CREATE TABLE sdbc.expense (
  expense_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    bigint NOT NULL REFERENCES sdbc.account (account_id),
  community     sdbc.divcode NOT NULL,
  purpose       text NOT NULL CONSTRAINT expense_purpose_not_blank CHECK (btrim(purpose) <> ''),
  payee         text NOT NULL CONSTRAINT expense_payee_not_blank CHECK (btrim(payee) <> ''),
  amount        numeric NOT NULL CONSTRAINT expense_amount_positive CHECK (amount > 0)
                  CONSTRAINT expense_amount_fen CHECK (amount = round(amount, 2))
                  CONSTRAINT expense_amount_finite CHECK (amount < 'Infinity'),
  description   text,
  submitted_by  bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  submitted_on  date NOT NULL DEFAULT CURRENT_DATE,
  case_id       bigint REFERENCES sdbc.approval_case (case_id),
  route_code    text,
  split_flag    boolean NOT NULL DEFAULT false,
  paid_at       timestamptz,
  paid_by       bigint REFERENCES sdbc.staff (staff_id),
  -- a payment names who paid (the engine checks that person against the login, SD317/SD318)
  CONSTRAINT expense_paid_by_payer CHECK ((paid_at IS NULL) = (paid_by IS NULL))
);
COMMENT ON TABLE sdbc.expense IS
  'Community operating expenses: routed on submission (R3.2 up to the limit, R3.3 above it), payable only once the route is complete, from their own account (R3.4)';
COMMENT ON COLUMN sdbc.expense.expense_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.expense.account_id IS 'account that pays';
COMMENT ON COLUMN sdbc.expense.community IS 'community (set from the account)';
COMMENT ON COLUMN sdbc.expense.purpose IS 'purpose 用途';
COMMENT ON COLUMN sdbc.expense.payee IS 'payee 收款方';
COMMENT ON COLUMN sdbc.expense.amount IS 'amount in yuan, positive, two decimals at most';
COMMENT ON COLUMN sdbc.expense.description IS 'free text';
COMMENT ON COLUMN sdbc.expense.submitted_by IS 'who submitted it (never approves it)';
COMMENT ON COLUMN sdbc.expense.submitted_on IS 'day submitted';
COMMENT ON COLUMN sdbc.expense.case_id IS 'its approval case (set by the database)';
COMMENT ON COLUMN sdbc.expense.route_code IS 'route chosen (set by the database)';
COMMENT ON COLUMN sdbc.expense.split_flag IS 'with earlier expenses to the same payee for the same purpose in the window it exceeds the limit (set by the database)';
COMMENT ON COLUMN sdbc.expense.paid_at IS 'when paid; NULL while unpaid';
COMMENT ON COLUMN sdbc.expense.paid_by IS 'who paid it';
CREATE INDEX expense_split_idx ON sdbc.expense (community, payee, purpose, submitted_on);
CREATE INDEX expense_case_idx ON sdbc.expense (case_id);
-- A debit pays an expense: its account and amount are the expense's (R3.4;
-- hostile-login review, session 4: a debit used to name any expense id, or none).
ALTER TABLE sdbc.expense ADD CONSTRAINT expense_payment_key UNIQUE (expense_id, account_id, amount);
ALTER TABLE sdbc.account_entry ADD CONSTRAINT account_entry_expense_fkey
  FOREIGN KEY (expense_id, account_id, amount) REFERENCES sdbc.expense (expense_id, account_id, amount);
COMMENT ON CONSTRAINT expense_payment_key ON sdbc.expense IS
  'What a debit refers to (account_entry_expense_fkey): the expense with its account and amount';
COMMENT ON CONSTRAINT account_entry_expense_fkey ON sdbc.account_entry IS
  'A debit 支出 pays an expense from the expense''s account, for the expense''s amount (R3.4); credits name no expense';

SELECT pg_catalog.pg_extension_config_dump('sdbc.account', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.account_account_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.account_entry', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.account_entry_entry_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.expense', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.expense_expense_id_seq', '');

CREATE FUNCTION sdbc.expense_check() RETURNS trigger
  AS 'MODULE_PATHNAME', 'expense_check' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.expense_check() IS
  'Trigger (C) on sdbc.expense: on insert, account and purpose (R3.4), split detection, route choice (R3.2/R3.3) and the case with its submission; on update, payment only after the route and never overdrawing (R3.4); nothing else changes';
CREATE TRIGGER expense_check BEFORE INSERT OR UPDATE OR DELETE ON sdbc.expense
  FOR EACH ROW EXECUTE FUNCTION sdbc.expense_check();

-- Entries are insert-only; the balance is their sum (sdbc.account_balance).
CREATE TRIGGER account_entry_insert_only BEFORE UPDATE OR DELETE ON sdbc.account_entry
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R3.4', 'account entries');

-- Functions an application calls.
CREATE FUNCTION sdbc.submit_expense(account_id bigint, purpose text, payee text, amount numeric,
                                    submitted_by bigint, description text DEFAULT NULL)
  RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO sdbc.expense (account_id, community, purpose, payee, amount, submitted_by, description)
  VALUES (submit_expense.account_id,
          (SELECT a.community FROM sdbc.account a WHERE a.account_id = submit_expense.account_id),
          submit_expense.purpose, submit_expense.payee, submit_expense.amount,
          submit_expense.submitted_by, submit_expense.description)
  RETURNING expense_id;
END;
COMMENT ON FUNCTION sdbc.submit_expense(bigint, text, text, numeric, bigint, text) IS
  'Submit an expense from an account: routed by amount (R3.2 up to expense.small_limit, R3.3 above), returns its id';

CREATE FUNCTION sdbc.decide(case_id bigint, actor bigint, verdict text DEFAULT 'approve',
                            reason text DEFAULT NULL, send_back_to integer DEFAULT NULL,
                            acting_for bigint DEFAULT NULL, step_no integer DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, public, pg_temp AS $$
DECLARE
  c sdbc.approval_case;
  step integer;
BEGIN
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('case %s does not exist', decide.case_id),
      DETAIL = 'A decision is recorded on an existing case (sdbc.approval_case).',
      HINT = 'Take the case_id from the expense (sdbc.expense) or the application (sdbc.service_application).';
  END IF;
  step := CASE WHEN verdict IN ('submit', 'withdraw') THEN 0 ELSE coalesce(decide.step_no, c.current_step) END;
  INSERT INTO sdbc.decision (case_id, step_no, actor, acting_for, verdict, send_back_to, reason)
  VALUES (decide.case_id, step, decide.actor, decide.acting_for, decide.verdict, decide.send_back_to, decide.reason);
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = decide.case_id;
  RETURN c;
END $$;
COMMENT ON FUNCTION sdbc.decide(bigint, bigint, text, text, integer, bigint, integer) IS
  'Act on a step of a case (by default its current step; step_no names a non-blocking step that runs alongside, e.g. the optional democratic review of 低保): approve (sign, send, review … as the step says), reject with a reason, send_back with a reason to an earlier step or the applicant (0), withdraw (submitter, before anyone acted), submit (resubmit after a send-back), object (during a public notice), reasons (written reasons after a refusal); acting_for names the absent principal when a backup acts (R7.3). Returns the case';

CREATE FUNCTION sdbc.sign(expense_id bigint, actor bigint, acting_for bigint DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE sql
  RETURN sdbc.decide((SELECT e.case_id FROM sdbc.expense e WHERE e.expense_id = sign.expense_id),
                     actor, 'approve', NULL, NULL, acting_for);
COMMENT ON FUNCTION sdbc.sign(bigint, bigint, bigint) IS 'Approve the current step of an expense''s route (sign, send, re-review or approve, as the step says)';

CREATE FUNCTION sdbc.withdraw(expense_id bigint, actor bigint)
  RETURNS sdbc.approval_case LANGUAGE sql
  RETURN sdbc.decide((SELECT e.case_id FROM sdbc.expense e WHERE e.expense_id = withdraw.expense_id),
                     actor, 'withdraw');
COMMENT ON FUNCTION sdbc.withdraw(bigint, bigint) IS 'Withdraw 撤回 an expense: its submitter, before anyone else acted';

CREATE FUNCTION sdbc.pay(expense_id bigint, actor bigint)
  RETURNS sdbc.expense LANGUAGE sql
BEGIN ATOMIC
  UPDATE sdbc.expense e SET paid_at = clock_timestamp(), paid_by = pay.actor
   WHERE e.expense_id = pay.expense_id
  RETURNING *;
END;
COMMENT ON FUNCTION sdbc.pay(bigint, bigint) IS
  'Pay an expense whose route is complete, from its account, never below zero (R3.2, R3.3, R3.4); a concurrent payment that no longer fits fails with SD324';

CREATE FUNCTION sdbc.credit(account_id bigint, amount numeric, source text)
  RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO sdbc.account_entry (account_id, kind, amount, source)
  VALUES (credit.account_id, 'credit', credit.amount, credit.source)
  RETURNING entry_id;
END;
COMMENT ON FUNCTION sdbc.credit(bigint, numeric, text) IS 'Put money on an account (an allocation), as an insert-only entry';
