-- Money reports: open expenses, balances, overdue steps, split expenses,
-- budget sinking (R3.1), minimum funds (R3.5), and a what-if on the limit.

CREATE VIEW sdbc.case_step_open AS
  SELECT c.case_id, c.case_kind, c.division, c.route_code, c.route_version, c.current_step,
         s.office, s.action, s.name_zh AS step_zh, s.name_en AS step_en,
         c.step_started_on, d.due_on,
         sdbc.working_days_between(CURRENT_DATE, d.due_on, c.division) AS working_days_left,
         d.due_on < CURRENT_DATE AS overdue
    FROM sdbc.approval_case c
    JOIN sdbc.route_step s ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step
    CROSS JOIN LATERAL (SELECT sdbc.add_working_days(c.step_started_on, s.time_limit_days, c.division) AS due_on) d
   WHERE c.status = 'open';
COMMENT ON VIEW sdbc.case_step_open IS 'Open cases at their current step: office, deadline in working days by the calendar of the case''s division (weekends, national and regional holidays off), days left, overdue';
COMMENT ON COLUMN sdbc.case_step_open.case_id IS 'case';
COMMENT ON COLUMN sdbc.case_step_open.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.case_step_open.division IS 'division of the case';
COMMENT ON COLUMN sdbc.case_step_open.route_code IS 'route';
COMMENT ON COLUMN sdbc.case_step_open.route_version IS 'route version';
COMMENT ON COLUMN sdbc.case_step_open.current_step IS 'current step';
COMMENT ON COLUMN sdbc.case_step_open.office IS 'office that must act';
COMMENT ON COLUMN sdbc.case_step_open.action IS 'what it does';
COMMENT ON COLUMN sdbc.case_step_open.step_zh IS 'step, Chinese 步骤';
COMMENT ON COLUMN sdbc.case_step_open.step_en IS 'step, English';
COMMENT ON COLUMN sdbc.case_step_open.step_started_on IS 'day the step opened';
COMMENT ON COLUMN sdbc.case_step_open.due_on IS 'deadline 截止日期';
COMMENT ON COLUMN sdbc.case_step_open.working_days_left IS 'working days until the deadline (0 when due or past)';
COMMENT ON COLUMN sdbc.case_step_open.overdue IS 'past its deadline 逾期';

CREATE VIEW sdbc.case_overdue AS SELECT * FROM sdbc.case_step_open WHERE overdue;
COMMENT ON VIEW sdbc.case_overdue IS 'Open cases whose current step is past its time limit in working days';
COMMENT ON COLUMN sdbc.case_overdue.case_id IS 'case';
COMMENT ON COLUMN sdbc.case_overdue.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.case_overdue.division IS 'division';
COMMENT ON COLUMN sdbc.case_overdue.route_code IS 'route';
COMMENT ON COLUMN sdbc.case_overdue.route_version IS 'route version';
COMMENT ON COLUMN sdbc.case_overdue.current_step IS 'current step';
COMMENT ON COLUMN sdbc.case_overdue.office IS 'office that must act';
COMMENT ON COLUMN sdbc.case_overdue.action IS 'what it does';
COMMENT ON COLUMN sdbc.case_overdue.step_zh IS 'step, Chinese';
COMMENT ON COLUMN sdbc.case_overdue.step_en IS 'step, English';
COMMENT ON COLUMN sdbc.case_overdue.step_started_on IS 'day the step opened';
COMMENT ON COLUMN sdbc.case_overdue.due_on IS 'deadline';
COMMENT ON COLUMN sdbc.case_overdue.working_days_left IS '0';
COMMENT ON COLUMN sdbc.case_overdue.overdue IS 'true';

CREATE VIEW sdbc.expense_open AS
  SELECT e.expense_id, e.community, e.account_id, e.purpose, e.payee, e.amount, e.route_code, e.split_flag,
         c.status, o.current_step, o.office, o.step_zh, o.due_on, o.overdue
    FROM sdbc.expense e
    JOIN sdbc.approval_case c USING (case_id)
    LEFT JOIN sdbc.case_step_open o USING (case_id)
   WHERE e.paid_at IS NULL AND c.status IN ('open', 'approved');
COMMENT ON VIEW sdbc.expense_open IS 'Unpaid expenses of each community: on their route (open) or approved and awaiting payment';
COMMENT ON COLUMN sdbc.expense_open.expense_id IS 'expense';
COMMENT ON COLUMN sdbc.expense_open.community IS 'community 社区';
COMMENT ON COLUMN sdbc.expense_open.account_id IS 'account';
COMMENT ON COLUMN sdbc.expense_open.purpose IS 'purpose 用途';
COMMENT ON COLUMN sdbc.expense_open.payee IS 'payee 收款方';
COMMENT ON COLUMN sdbc.expense_open.amount IS 'amount, yuan';
COMMENT ON COLUMN sdbc.expense_open.route_code IS 'route';
COMMENT ON COLUMN sdbc.expense_open.split_flag IS 'flagged as a split expense';
COMMENT ON COLUMN sdbc.expense_open.status IS 'open or approved';
COMMENT ON COLUMN sdbc.expense_open.current_step IS 'current step while open';
COMMENT ON COLUMN sdbc.expense_open.office IS 'office that must act';
COMMENT ON COLUMN sdbc.expense_open.step_zh IS 'step, Chinese';
COMMENT ON COLUMN sdbc.expense_open.due_on IS 'deadline of the step';
COMMENT ON COLUMN sdbc.expense_open.overdue IS 'past its deadline';

CREATE VIEW sdbc.account_balance AS
  SELECT a.account_id, a.community, a.kind, a.purpose, a.name,
         (coalesce(x.credited, 0) - coalesce(x.paid, 0))::numeric(16,2) AS balance,
         coalesce(x.credited, 0)::numeric(16,2) AS credited,
         coalesce(x.paid, 0)::numeric(16,2) AS paid,
         coalesce((SELECT sum(e.amount) FROM sdbc.expense e JOIN sdbc.approval_case c USING (case_id)
                    WHERE e.account_id = a.account_id AND e.paid_at IS NULL AND c.status IN ('open', 'approved')), 0)::numeric(16,2) AS committed
    FROM sdbc.account a
    LEFT JOIN (SELECT account_id, sum(amount) FILTER (WHERE kind = 'credit') AS credited,
                      sum(amount) FILTER (WHERE kind = 'debit') AS paid
                 FROM sdbc.account_entry GROUP BY account_id) x USING (account_id);
COMMENT ON VIEW sdbc.account_balance IS 'Each account: balance, money in, money paid, and unpaid expenses still on their route (R3.4)';
COMMENT ON COLUMN sdbc.account_balance.account_id IS 'account';
COMMENT ON COLUMN sdbc.account_balance.community IS 'community';
COMMENT ON COLUMN sdbc.account_balance.kind IS 'working, service or earmarked';
COMMENT ON COLUMN sdbc.account_balance.purpose IS 'purpose of an earmarked account';
COMMENT ON COLUMN sdbc.account_balance.name IS 'name';
COMMENT ON COLUMN sdbc.account_balance.balance IS 'balance 余额: credits minus payments';
COMMENT ON COLUMN sdbc.account_balance.credited IS 'all credits';
COMMENT ON COLUMN sdbc.account_balance.paid IS 'all payments';
COMMENT ON COLUMN sdbc.account_balance.committed IS 'unpaid expenses open or approved';

CREATE VIEW sdbc.expense_split AS
  SELECT e.expense_id, e.community, e.payee, e.purpose, e.amount, e.submitted_on, e.route_code,
         (SELECT sum(p.amount) FROM sdbc.expense p JOIN sdbc.approval_case pc USING (case_id)
           WHERE p.community = e.community AND p.payee = e.payee AND p.purpose = e.purpose
             AND p.submitted_on <= e.submitted_on
             AND p.submitted_on > e.submitted_on - sdbc.policy_value('expense.split_window_days', e.community, e.submitted_on)::integer
             AND pc.status IN ('open', 'approved')) AS window_total
    FROM sdbc.expense e WHERE e.split_flag;
COMMENT ON VIEW sdbc.expense_split IS 'Expenses flagged as splits: with earlier ones of the same community, payee and purpose inside the policy window they exceed expense.small_limit, and were routed to the street party working committee (R3.3)';
COMMENT ON COLUMN sdbc.expense_split.expense_id IS 'expense';
COMMENT ON COLUMN sdbc.expense_split.community IS 'community';
COMMENT ON COLUMN sdbc.expense_split.payee IS 'payee';
COMMENT ON COLUMN sdbc.expense_split.purpose IS 'purpose';
COMMENT ON COLUMN sdbc.expense_split.amount IS 'amount of this expense';
COMMENT ON COLUMN sdbc.expense_split.submitted_on IS 'day';
COMMENT ON COLUMN sdbc.expense_split.route_code IS 'route it took';
COMMENT ON COLUMN sdbc.expense_split.window_total IS 'sum within the window, this one included';

-- What if the limit were different: routes past expenses would have taken.
-- The route comes from the rules of sdbc.route_rule through the kernel the
-- engine uses (sdbc.route_by_rules, src/route_whatif.c), with the proposed
-- value for expense.small_limit; the basis is the amount, or — as the engine
-- flags a split (src/expense_check.c) — the sum with the expenses of the
-- same community, payee and purpose recorded before it within policy
-- expense.split_window_days, when there are such and the sum passes the
-- proposed limit.  (The window's cases count by their status now.)
CREATE FUNCTION sdbc.route_by_rules(case_kind text, basis numeric, division sdbc.divcode, on_date date,
                                    proposed_key text DEFAULT NULL, proposed_value numeric DEFAULT NULL)
  RETURNS text AS 'MODULE_PATHNAME', 'route_by_rules' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.route_by_rules(text, numeric, sdbc.divcode, date, text, numeric) IS
  'The route a case of case_kind would take by sdbc.route_rule 路线规则试算 (R3.2, R3.3): the first rule (by priority, rules for any matter) whose test holds for basis, with the policy values in force for the division on on_date — proposed_value for proposed_key — compared exactly by the engine''s kernel; NULL when no rule holds or a value it needs is missing or not a number';
CREATE FUNCTION sdbc.expense_route_whatif(small_limit numeric, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (route text, expenses bigint, total numeric, now_on_route bigint)
  LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT r.route, count(*), sum(e.amount), count(*) FILTER (WHERE e.route_code = r.route)
    FROM sdbc.expense e
    LEFT JOIN sdbc.approval_case ec ON ec.case_id = e.case_id
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(p.amount), 0) AS prior
       FROM sdbc.expense p JOIN sdbc.approval_case pc ON pc.case_id = p.case_id
      WHERE p.community OPERATOR(sdbc.=) e.community AND p.payee = e.payee AND p.purpose = e.purpose
        AND p.expense_id < e.expense_id
        AND p.submitted_on > e.submitted_on - sdbc.policy_value('expense.split_window_days', e.community, e.submitted_on)::integer
        AND p.submitted_on <= greatest(e.submitted_on, coalesce(ec.submitted_at::date, e.submitted_on))
        AND pc.status IN ('open', 'approved')) w
   CROSS JOIN LATERAL (
     SELECT sdbc.route_by_rules('expense',
              CASE WHEN w.prior > 0 AND w.prior + e.amount > small_limit THEN w.prior + e.amount ELSE e.amount END,
              e.community, e.submitted_on, 'expense.small_limit', small_limit) AS route) r
   WHERE under IS NULL OR e.community OPERATOR(sdbc.<@) under
   GROUP BY 1 ORDER BY 1;
END;
COMMENT ON FUNCTION sdbc.expense_route_whatif(numeric, sdbc.divcode) IS
  'For a proposed limit (R3.2/R3.3), how many past expenses would have taken each route by the rules of sdbc.route_rule (as the engine chooses, sdbc.route_by_rules), split expenses routed by their sum as the engine flags them (same window, same community, payee and purpose), their total, and how many of those took it in fact';

-- Budget sinking (R3.1): a street's yearly operating allocation and what it passes on.
CREATE TABLE sdbc.street_allocation (
  street     sdbc.divcode NOT NULL,
  year       integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  amount     numeric NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (street, year),
  FOREIGN KEY (street) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(street) = 'street')
);
COMMENT ON TABLE sdbc.street_allocation IS 'Operating funds the treasury gives a street for a year (R3.1)';
COMMENT ON COLUMN sdbc.street_allocation.street IS 'street 街道';
COMMENT ON COLUMN sdbc.street_allocation.year IS 'year';
COMMENT ON COLUMN sdbc.street_allocation.amount IS 'yuan';

CREATE TABLE sdbc.community_allocation (
  community      sdbc.divcode NOT NULL,
  year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  fund           text NOT NULL CONSTRAINT community_allocation_fund CHECK (fund IN ('working', 'service', 'earmarked')),
  amount         numeric NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (community, year, fund),
  FOREIGN KEY (community) REFERENCES sdbc.division (code),
  CHECK (sdbc.divcode_kind(community) = 'residents_committee')
);
COMMENT ON TABLE sdbc.community_allocation IS 'Funds passed on to a community for a year, by fund: working funds, special service funds, earmarked (R3.1, R3.5)';
COMMENT ON COLUMN sdbc.community_allocation.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_allocation.year IS 'year';
COMMENT ON COLUMN sdbc.community_allocation.fund IS 'working 工作经费, service 服务群众专项经费 or earmarked';
COMMENT ON COLUMN sdbc.community_allocation.amount IS 'yuan';
SELECT pg_catalog.pg_extension_config_dump('sdbc.street_allocation', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.community_allocation', '');

CREATE VIEW sdbc.street_funds_passed_on AS
  SELECT s.street, s.year, s.amount AS allocated,
         coalesce(sum(c.amount), 0) AS passed_on,
         round(coalesce(sum(c.amount), 0) / nullif(s.amount, 0), 4) AS share,
         sdbc.policy_value('street.funds_passed_on.min_share', s.street, make_date(s.year, 12, 31)) AS min_share,
         coalesce(sum(c.amount), 0) < s.amount * sdbc.policy_value('street.funds_passed_on.min_share', s.street, make_date(s.year, 12, 31)) AS keeps_too_much,
         'R3.1'::text AS rule
    FROM sdbc.street_allocation s
    LEFT JOIN sdbc.community_allocation c ON c.community OPERATOR(sdbc.<@) s.street AND c.year = s.year
   GROUP BY s.street, s.year, s.amount;
COMMENT ON VIEW sdbc.street_funds_passed_on IS 'R3.1: each street''s yearly allocation, the share passed on to its communities, and whether it keeps more than policy allows (default: pass on at least 70 %)';
COMMENT ON COLUMN sdbc.street_funds_passed_on.street IS 'street 街道';
COMMENT ON COLUMN sdbc.street_funds_passed_on.year IS 'year';
COMMENT ON COLUMN sdbc.street_funds_passed_on.allocated IS 'allocation to the street, yuan';
COMMENT ON COLUMN sdbc.street_funds_passed_on.passed_on IS 'passed on to its communities, yuan';
COMMENT ON COLUMN sdbc.street_funds_passed_on.share IS 'passed_on / allocated';
COMMENT ON COLUMN sdbc.street_funds_passed_on.min_share IS 'policy street.funds_passed_on.min_share at the end of the year';
COMMENT ON COLUMN sdbc.street_funds_passed_on.keeps_too_much IS 'true when the share is below the policy';
COMMENT ON COLUMN sdbc.street_funds_passed_on.rule IS 'R3.1';

CREATE VIEW sdbc.community_min_funds AS
  SELECT d.code AS community, y.year,
         coalesce(sum(c.amount) FILTER (WHERE c.fund = 'working'), 0) AS working_funds,
         sdbc.policy_value('community.working_funds.min_yearly', d.code, make_date(y.year, 12, 31)) AS working_min,
         coalesce(sum(c.amount) FILTER (WHERE c.fund = 'service'), 0) AS service_funds,
         sdbc.policy_value('community.service_funds.min_yearly', d.code, make_date(y.year, 12, 31)) AS service_min,
         coalesce(sum(c.amount) FILTER (WHERE c.fund = 'working'), 0) < sdbc.policy_value('community.working_funds.min_yearly', d.code, make_date(y.year, 12, 31))
           OR coalesce(sum(c.amount) FILTER (WHERE c.fund = 'service'), 0) < sdbc.policy_value('community.service_funds.min_yearly', d.code, make_date(y.year, 12, 31)) AS below_minimum,
         'R3.5'::text AS rule
    FROM (SELECT DISTINCT year FROM sdbc.community_allocation WHERE year >= 2016) y
    CROSS JOIN sdbc.division d
    LEFT JOIN sdbc.community_allocation c ON c.community = d.code AND c.year = y.year
   WHERE d.kind = 'residents_committee'
     AND EXISTS (SELECT 1 FROM sdbc.community_allocation a WHERE a.community OPERATOR(sdbc.<@) sdbc.divcode_parent(d.code) AND a.year = y.year)
   GROUP BY d.code, y.year;
COMMENT ON VIEW sdbc.community_min_funds IS 'R3.5 (from 2016): each community''s yearly working and service funds against the minimums of policy (120,000 and 200,000 yuan by default); communities of a street that allocates that year';
COMMENT ON COLUMN sdbc.community_min_funds.community IS 'community 社区';
COMMENT ON COLUMN sdbc.community_min_funds.year IS 'year';
COMMENT ON COLUMN sdbc.community_min_funds.working_funds IS 'working funds 工作经费 allocated';
COMMENT ON COLUMN sdbc.community_min_funds.working_min IS 'policy minimum';
COMMENT ON COLUMN sdbc.community_min_funds.service_funds IS 'service funds 服务群众专项经费 allocated';
COMMENT ON COLUMN sdbc.community_min_funds.service_min IS 'policy minimum';
COMMENT ON COLUMN sdbc.community_min_funds.below_minimum IS 'true when either is below its minimum';
COMMENT ON COLUMN sdbc.community_min_funds.rule IS 'R3.5';
