-- Community money (R3): separate accounts, expenses routed by amount,
-- payment only after the route, never overdrawn; budget sinking (R3.1) and
-- minimum funds (R3.5) reported.

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('expense.split_window_days', 'R3.3', 'days', 1, 366,
   'window in which expenses of one community to one payee for one purpose are added up against the limit (split expenses)', '拆分支出合并计算的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('expense.split_window_days', NULL, '2014-01-01', 30, true, 'local default, not in the paper: splitting to stay under R3.3''s limit');
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('expense.backdate.max_days', 'R3.3', 'days', 0, 366,
   'how many days back the street office may date an expense''s submission (submitted_on); community staff submit today only', '支出申报日期最多可补记的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('expense.backdate.max_days', NULL, '2014-01-01', 7, true, 'local default, not in the paper: a late receipt recorded within a week, so that back-dating cannot dodge the split test (R3.3)');
-- Amounts have an upper bound (issue 13, section 8): 1e30 yuan is a typing
-- mistake, not an expense or an allocation.
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('expense.amount.max', 'R3.3', 'yuan', 1, NULL,
   'largest single expense or account credit the engine takes (SD353); above it the amount is refused as a mistake', '单笔支出或拨款的最大金额', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('expense.amount.max', NULL, '2014-01-01', 10000000, true, 'local default, not in the paper: 10,000,000 yuan, far above any community expense');

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
COMMENT ON COLUMN sdbc.expense.submitted_on IS 'day submitted 申报日期: today, or back-dated up to policy expense.backdate.max_days by the street office or the prefecture (SD341-SD343)';
COMMENT ON COLUMN sdbc.expense.case_id IS 'its approval case (set by the database)';
COMMENT ON COLUMN sdbc.expense.route_code IS 'route chosen (set by the database)';
COMMENT ON COLUMN sdbc.expense.split_flag IS 'with earlier expenses to the same payee for the same purpose in the window it exceeds the limit (set by the database)';
COMMENT ON COLUMN sdbc.expense.paid_at IS 'when paid 支付时间 (set by the database at the payment); NULL while unpaid';
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
  'Trigger (C) on sdbc.expense: on insert, an id the identity default drew (SD340), the day submitted within policy (SD341-SD343), account and purpose (R3.4), split detection serialised per community, payee and purpose (40001 at REPEATABLE READ when a concurrent one was missed), route choice (R3.2/R3.3) and the case with its submission; on update, payment only after the route and never overdrawing (R3.4), paid_at set by the database; nothing else changes';
CREATE TRIGGER expense_check BEFORE INSERT OR UPDATE OR DELETE ON sdbc.expense
  FOR EACH ROW EXECUTE FUNCTION sdbc.expense_check();

-- Entries are insert-only; the balance is their sum (sdbc.account_balance).
CREATE TRIGGER account_entry_insert_only BEFORE UPDATE OR DELETE ON sdbc.account_entry
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R3.4', 'account entries');

-- Credits get the same door as expenses (issue 13, section 8): a positive
-- amount not above policy expense.amount.max (SD352, SD353), before the
-- table's constraints, which stay as the last line.  Debits are the engine's
-- (the expense's amount was checked on submission).
CREATE FUNCTION sdbc.account_entry_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  top numeric;
BEGIN
  IF NEW.kind = 'credit' AND NEW.amount IS NOT NULL AND NOT NEW.amount = 'NaN'::numeric THEN
    IF NEW.amount <= 0 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD352',
        MESSAGE = format('a credit of %s yuan to account %s is not positive', NEW.amount, NEW.account_id),
        DETAIL = 'Rule R3.4: an allocation puts money on an account; it is more than zero.',
        HINT = 'Give the amount as a positive number of yuan with two decimals at most.';
    END IF;
    top := sdbc.policy_value('expense.amount.max',
                             (SELECT a.community FROM sdbc.account a WHERE a.account_id = NEW.account_id),
                             CURRENT_DATE);
    IF NEW.amount > top THEN
      RAISE EXCEPTION USING ERRCODE = 'SD353',
        MESSAGE = format('a credit of %s yuan to account %s is above the largest amount the engine takes, %s yuan',
                         CASE WHEN length(NEW.amount::text) > 40 THEN 'more than 10^40' ELSE NEW.amount::text END,
                         NEW.account_id, top),
        DETAIL = 'Rule R3.4 (policy expense.amount.max, a local bound not in the paper): a larger single allocation is a mistake.',
        HINT = 'Check the amount; the county may raise expense.amount.max in sdbc.policy.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.account_entry_check() IS
  'Trigger on sdbc.account_entry: a credit is positive (SD352) and not above policy expense.amount.max (SD353), R3.4 拨款金额检查';
CREATE TRIGGER account_entry_check BEFORE INSERT ON sdbc.account_entry
  FOR EACH ROW EXECUTE FUNCTION sdbc.account_entry_check();

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

-- decide, sign and withdraw are C (src/decide_api.c, issue 14 section 4):
-- the same statements as the PL/pgSQL they replace, through saved plans, with
-- the caller's rights and the same errors: a NULL case_id is 23502, a case
-- the caller does not see 23503; sign and withdraw name a missing expense
-- (23503) as sdbc.expense_case does.
CREATE FUNCTION sdbc.decide(case_id bigint, actor bigint, verdict text DEFAULT 'approve',
                            reason text DEFAULT NULL, send_back_to integer DEFAULT NULL,
                            acting_for bigint DEFAULT NULL, step_no integer DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE C VOLATILE
  AS 'MODULE_PATHNAME', 'sdbc_decide';
COMMENT ON FUNCTION sdbc.decide(bigint, bigint, text, text, integer, bigint, integer) IS
  'Act on a step of a case (by default its current step; step_no names a non-blocking step that runs alongside, e.g. the optional democratic review of 低保): approve (sign, send, review … as the step says), reject with a reason, send_back with a reason to an earlier step or the applicant (0), withdraw (submitter, before anyone acted), submit (resubmit after a send-back), object (during a public notice), reasons (written reasons after a refusal); acting_for names the absent principal when a backup acts (R7.3). Returns the case';

-- The case of an expense, or an error naming the expense (issue 13,
-- section 8): a missing expense, or one the caller cannot see, is not a
-- decision on case NULL.
CREATE FUNCTION sdbc.expense_case(expense_id bigint)
  RETURNS bigint LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  c bigint;
BEGIN
  SELECT e.case_id INTO c FROM sdbc.expense e WHERE e.expense_id = expense_case.expense_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503',
      MESSAGE = format('expense %s does not exist', coalesce(expense_case.expense_id::text, 'NULL')),
      DETAIL = 'Rule R3.2/R3.3: an expense is signed, withdrawn or paid once it is submitted (sdbc.expense), in a community the login serves.',
      HINT = 'Take the expense_id that sdbc.submit_expense() returned.';
  END IF;
  RETURN c;
END $$;
COMMENT ON FUNCTION sdbc.expense_case(bigint) IS
  'The case of an expense the caller sees; 23503 naming the expense when there is none 支出对应的审批案件';

CREATE FUNCTION sdbc.sign(expense_id bigint, actor bigint, acting_for bigint DEFAULT NULL)
  RETURNS sdbc.approval_case LANGUAGE C VOLATILE
  AS 'MODULE_PATHNAME', 'sdbc_sign';
COMMENT ON FUNCTION sdbc.sign(bigint, bigint, bigint) IS 'Approve the current step of an expense''s route (sign, send, re-review or approve, as the step says)';

CREATE FUNCTION sdbc.withdraw(expense_id bigint, actor bigint)
  RETURNS sdbc.approval_case LANGUAGE C VOLATILE
  AS 'MODULE_PATHNAME', 'sdbc_withdraw';
COMMENT ON FUNCTION sdbc.withdraw(bigint, bigint) IS 'Withdraw 撤回 an expense: its submitter, before anyone else acted';

CREATE FUNCTION sdbc.pay(expense_id bigint, actor bigint)
  RETURNS sdbc.expense LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  e sdbc.expense;
BEGIN
  UPDATE sdbc.expense x SET paid_at = clock_timestamp(), paid_by = pay.actor
   WHERE x.expense_id = pay.expense_id
  RETURNING * INTO e;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503',
      MESSAGE = format('expense %s does not exist', coalesce(pay.expense_id::text, 'NULL')),
      DETAIL = 'Rule R3.4: a payment pays a submitted expense (sdbc.expense) of a community the login serves.',
      HINT = 'Take the expense_id that sdbc.submit_expense() returned.';
  END IF;
  RETURN e;
END $$;
COMMENT ON FUNCTION sdbc.pay(bigint, bigint) IS
  'Pay an expense whose route is complete, from its account, never below zero (R3.2, R3.3, R3.4), by another person than its submitter (SD351); a concurrent payment that no longer fits fails with SD324; an expense that does not exist or the caller cannot see is an error naming it (23503)';

CREATE FUNCTION sdbc.credit(account_id bigint, amount numeric, source text)
  RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO sdbc.account_entry (account_id, kind, amount, source)
  VALUES (credit.account_id, 'credit', credit.amount, credit.source)
  RETURNING entry_id;
END;
COMMENT ON FUNCTION sdbc.credit(bigint, numeric, text) IS 'Put money on an account (an allocation), as an insert-only entry';
