-- money.sql — the demo's money section (R3): offices, accounts, allocations,
-- a year of expenses through their routes, and the reports.  Dates are
-- relative to the day the demo runs (current_date): the same shape on every
-- run, the past year up to today; the year of the allocations is this year.
\echo
\echo '================================================================================'
\echo ' Community money (R3): expenses routed by amount, approved, paid'
\echo '================================================================================'
SET search_path = sdbc, public;
SELECT extract(year FROM current_date)::int AS year \gset
-- For the 11 streets: a finance office and a party working committee; for
-- each of their communities: three handlers and a finance lead.
CREATE TEMP TABLE demo_unit AS
  SELECT d.code, d.kind FROM division d
   WHERE (d.kind = 'street' AND d.code <@ '6529')
      OR (d.kind = 'residents_committee' AND divcode_ancestor(d.code, 4) IN (SELECT code FROM division WHERE kind = 'street' AND code <@ '6529'));
WITH wanted AS (
  SELECT u.code, o.office, n, format('%s %s %s', u.code, o.office, n) AS name
    FROM demo_unit u
    JOIN (VALUES ('street', 'street_finance_office', 2), ('street', 'street_party_committee', 3),
                 ('residents_committee', 'community_handler', 3), ('residents_committee', 'community_finance_lead', 1)) o(kind, office, k)
      ON o.kind = u.kind, generate_series(1, o.k) n
), ins AS (
  INSERT INTO staff (name, division) SELECT name, code FROM wanted RETURNING staff_id, name
)
INSERT INTO office_member (staff_id, office, division, valid_from)
SELECT i.staff_id, w.office, w.code, '2020-01-01' FROM ins i JOIN wanted w USING (name);
-- Accounts: working and service funds for every community, allocations for this year.
INSERT INTO account (community, kind, name)
SELECT code, k, CASE k WHEN 'working' THEN '工作经费' ELSE '服务群众专项经费' END
  FROM demo_unit, (VALUES ('working'), ('service')) v(k) WHERE kind = 'residents_committee';
INSERT INTO street_allocation (street, year, amount)
SELECT code, :year, 3000000 + (hashtextextended(code::text, 1) & 1023) * 1000 FROM demo_unit WHERE kind = 'street';
INSERT INTO community_allocation (community, year, fund, amount)
SELECT code, :year, f, CASE f WHEN 'working' THEN 100000 + (hashtextextended(code::text, 2) & 63) * 1000
                               ELSE 180000 + (hashtextextended(code::text, 3) & 63) * 1000 END
  FROM demo_unit, (VALUES ('working'), ('service')) v(f) WHERE kind = 'residents_committee';
SELECT credit(a.account_id, c.amount, :'year' || ' 拨款')
  FROM account a JOIN community_allocation c ON c.community = a.community AND c.fund = a.kind AND c.year = :year \g /dev/null

-- A year of expenses: 10 per community, each on a day of the past 365
-- (hashed), amounts from 80 to 9,000 yuan; a payee paid twice for one
-- purpose within policy expense.split_window_days (30) is a split (R3.3).
-- The engine records an expense at most policy expense.backdate.max_days (7
-- by default) after its day (SD342): to load the year, the demo gives the
-- prefecture a policy row of its own (366 days) while it loads, in date
-- order, and deletes the row after.
\echo '-- Loading a year of expenses: a temporary policy row expense.backdate.max_days = 366'
\echo '   for the prefecture 6529 while they load (the default allows 7 days), deleted after.'
INSERT INTO policy (key, division, valid_from, value, note)
VALUES ('expense.backdate.max_days', '6529', current_date, 366, 'demo: load a year of history (deleted after loading)');
CREATE TEMP TABLE demo_expense AS
WITH plan AS (
  SELECT a.account_id, a.community,
         (ARRAY['办公用品','活动经费','维修','宣传','慰问'])[1 + (hashtextextended(a.account_id || '-' || n, 4) & 3)::int] AS purpose,
         (ARRAY['文具店','饭店','建筑队','印刷厂','超市','电工'])[1 + (hashtextextended(a.account_id || '-' || n, 5) % 6 + 6)::int % 6] AS payee,
         round((80 + (hashtextextended(a.account_id || '-' || n, 6) & 8191) * 1.09)::numeric, 2) AS amount,
         (SELECT min(m.staff_id) FROM office_member m WHERE m.office = 'community_handler' AND m.division = a.community) AS handler,
         current_date - ((hashtextextended(a.account_id || '-' || n, 7) & 65535) % 365)::int AS day, n
    FROM account a, generate_series(1, 10) n
   WHERE a.kind = 'working'
), ins AS (
  INSERT INTO expense (account_id, community, purpose, payee, amount, submitted_by, submitted_on)
  SELECT account_id, community, purpose, payee, amount, handler, day FROM plan ORDER BY day, account_id, n
  RETURNING expense_id, submitted_on
)
SELECT * FROM ins;
DELETE FROM policy WHERE key = 'expense.backdate.max_days' AND division = '6529';
-- Everyone acts in turn; one expense in nine is sent back once, one in thirteen
-- rejected; one in four of those of the last 30 days still waits for its
-- handlers (open, and overdue once its 3 working days have passed).
DO $$
DECLARE
  c record; actor bigint; guard int := 0;
BEGIN
  LOOP
    guard := guard + 1;
    EXIT WHEN guard > 12;
    FOR c IN SELECT o.case_id, o.office, o.division, o.current_step, e.expense_id
               FROM sdbc.case_step_open o JOIN sdbc.expense e USING (case_id)
              WHERE NOT (e.submitted_on > current_date - 30 AND e.expense_id % 4 = 0) LOOP
      SELECT m.staff_id INTO actor FROM sdbc.office_member m
       WHERE m.office = c.office AND m.division = sdbc.divcode_ancestor(c.division, (SELECT level FROM sdbc.office WHERE office = c.office))
         AND m.staff_id <> (SELECT submitted_by FROM sdbc.approval_case WHERE case_id = c.case_id)
         AND NOT EXISTS (SELECT 1 FROM sdbc.decision d JOIN sdbc.approval_case k USING (case_id)
                          WHERE d.case_id = c.case_id AND d.step_no = c.current_step AND d.round = k.round
                            AND d.actor = m.staff_id)
       ORDER BY m.staff_id LIMIT 1;
      CONTINUE WHEN actor IS NULL;
      IF c.expense_id % 13 = 0 AND c.current_step = 1 THEN
        PERFORM sdbc.decide(c.case_id, actor, 'reject', '不符合开支范围');
      ELSIF c.expense_id % 9 = 0 AND c.current_step = 2
            AND NOT EXISTS (SELECT 1 FROM sdbc.decision WHERE case_id = c.case_id AND verdict = 'send_back') THEN
        PERFORM sdbc.decide(c.case_id, actor, 'send_back', '票据不全', 1);
      ELSE
        PERFORM sdbc.decide(c.case_id, actor);
      END IF;
    END LOOP;
  END LOOP;
END $$;
-- Pay what is approved (while the money lasts).
DO $$
DECLARE e record;
BEGIN
  FOR e IN SELECT x.expense_id, (SELECT min(m.staff_id) FROM sdbc.office_member m
                                   WHERE m.office = 'street_finance_office'
                                     AND m.division = sdbc.divcode_ancestor(x.community, 4)) AS payer
             FROM sdbc.expense x JOIN sdbc.approval_case c USING (case_id)
            WHERE c.status = 'approved' AND x.paid_at IS NULL ORDER BY x.expense_id LOOP
    BEGIN
      PERFORM sdbc.pay(e.expense_id, e.payer);
    EXCEPTION WHEN SQLSTATE 'SD324' THEN NULL;
    END;
  END LOOP;
END $$;

\echo '-- 11. Expenses by route (R3.2 up to 5,000 yuan incl.; R3.3 above) --------------'
SELECT r.name_zh AS "流程", e.route_code AS route, count(*) AS expenses, sum(e.amount) AS yuan,
       count(*) FILTER (WHERE c.status = 'approved' AND e.paid_at IS NOT NULL) AS paid,
       count(*) FILTER (WHERE c.status = 'rejected') AS rejected,
       count(*) FILTER (WHERE c.status = 'open') AS open,
       count(*) FILTER (WHERE e.split_flag) AS split_flagged
  FROM expense e JOIN approval_case c USING (case_id)
  JOIN route r ON r.route_code = c.route_code AND r.version = c.route_version
 GROUP BY r.name_zh, e.route_code ORDER BY route DESC;
\echo '   (open: one in four of the last 30 days'' expenses still waits for its first step;'
\echo '    the overdue ones are listed under section 15)'
\echo '   By quarter of the day submitted (the past year):'
SELECT to_char(date_trunc('quarter', e.submitted_on), 'YYYY-"Q"Q') AS quarter, count(*) AS expenses,
       count(*) FILTER (WHERE e.route_code = 'expense_large') AS large, count(*) FILTER (WHERE e.split_flag) AS split_flagged
  FROM expense e GROUP BY 1 ORDER BY 1;
\echo '   Every decision chained: cases whose chain is broken ='
SELECT count(*) AS broken_chains FROM approval_case c WHERE EXISTS (SELECT 1 FROM verify_chain(c.case_id));
\echo '-- 12. What if the limit were 3,000 yuan? ---------------------------------------'
SELECT * FROM expense_route_whatif(3000);
\echo '   Note: the what-if routes by amount alone (expense_route_whatif: split detection'
\echo '   aside). Expenses of 3,000 yuan or less that took the large route did so because'
\echo '   they were flagged as splits (R3.3: with earlier ones to the same payee for the'
\echo '   same purpose within expense.split_window_days they pass the limit); by amount'
\echo '   they count under expense_small here, and now_on_route counts those that took'
\echo '   the route in fact. Lowering the limit moves expenses from small to large only;'
\echo '   here, of the large route''s expenses:'
SELECT count(*) FILTER (WHERE amount <= 3000) AS "≤ 3,000 yuan",
       count(*) FILTER (WHERE amount <= 3000 AND split_flag) AS "≤ 3,000, flagged as splits",
       count(*) FILTER (WHERE amount <= 5000) AS "≤ 5,000 yuan",
       count(*) FILTER (WHERE amount <= 5000 AND split_flag) AS "≤ 5,000, flagged as splits"
  FROM expense WHERE route_code = 'expense_large';
\echo '-- 13. Budget sinking (R3.1): streets that pass on less than 70 % -----------------'
SELECT s.name, f.year, f.allocated, f.passed_on, f.share, f.min_share, f.keeps_too_much
  FROM street_funds_passed_on f JOIN division s ON s.code = f.street WHERE f.year = :year ORDER BY f.street;
\echo '   Note: generated, not the paper''s figures: each street gets 3.0–4.0 million yuan and'
\echo '   each community 280,000–406,000 (hashed), so a street with few communities passes on'
\echo '   less than the 70 % that policy street.funds_passed_on.min_share asks (R3.1).'
\echo '-- 14. Minimum funds (R3.5): communities below 120,000 / 200,000 yuan this year ---'
SELECT year, count(*) AS communities, count(*) FILTER (WHERE below_minimum) AS below_minimum
  FROM community_min_funds WHERE year = :year GROUP BY year;
\echo '   Note: the communities of the 11 streets (the money section leaves the seat towns'
\echo '   out); their working funds are drawn from 100,000–163,000 and service funds from'
\echo '   180,000–243,000 yuan (hashed), so some fall below the minimums of policy'
\echo '   community.working_funds / service_funds.min_yearly (R3.5) — generated, to be seen.'
