-- expenses.sql — data and helpers of test/bench/expenses.sh (run by it, in a
-- fresh database with postgis and sdbc created; not a regression test).
--
--   * one street 652901001 with 20 communities, each with three handlers, a
--     finance lead, a working-funds account and an earmarked account (老年食堂)
--     credited with 100,000,000 yuan; two people in the street finance office
--     and one in the street party working committee;
--   * bench_community: per community its code and the ids the input needs;
--   * bench_input: the 100,000 expenses every path of part 1 inserts, the
--     same rows in the same order (deterministic, no random());
--   * bench_plain_expense: sdbc.expense's shape, indexes and foreign keys,
--     without a trigger (part 1 (a));
--   * bench_act(case_id): part 2's one decision on a case, by whoever may act.
-- The PL/pgSQL implementation of part 1 (b) is in expense_plpgsql.sql.
SET client_min_messages = warning;
-- sdbc's operators (divcode =) by their plain names, here and in every later
-- session (pgbench's, the timed inserts'); the bench's own objects in public.
SET search_path = public, sdbc;
SELECT format('ALTER DATABASE %I SET search_path = public, sdbc', current_database()) \gexec

-- The division tree: province, prefecture, county, one street, 20 communities.
INSERT INTO sdbc.division (code, name) VALUES
  ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'), ('652901001', '兰干街道');
INSERT INTO sdbc.division (code, name)
SELECT ('652901001' || lpad(c::text, 3, '0'))::sdbc.divcode, '社区' || c
  FROM generate_series(1, 20) c;

-- Staff and offices: per community handlers 1–3 and a finance lead; the
-- street's finance office (two people) and party working committee (one).
INSERT INTO sdbc.staff (name, division)
SELECT format('社区%s-%s', c, r), ('652901001' || lpad(c::text, 3, '0'))::sdbc.divcode
  FROM generate_series(1, 20) c, generate_series(1, 4) r ORDER BY c, r;
INSERT INTO sdbc.staff (name, division) VALUES
  ('街财甲', '652901001'), ('街财乙', '652901001'), ('党工委丙', '652901001');
INSERT INTO sdbc.office_member (staff_id, office, division, valid_from)
SELECT s.staff_id, CASE WHEN s.name LIKE '%-4' THEN 'community_finance_lead' ELSE 'community_handler' END,
       s.division, '2020-01-01'
  FROM sdbc.staff s WHERE s.name LIKE '社区%';
INSERT INTO sdbc.office_member (staff_id, office, division, valid_from)
SELECT s.staff_id, CASE WHEN s.name LIKE '街财%' THEN 'street_finance_office' ELSE 'street_party_committee' END,
       s.division, '2020-01-01'
  FROM sdbc.staff s WHERE s.name NOT LIKE '社区%';

-- Accounts: working funds and an earmarked 老年食堂 account per community,
-- each credited far beyond what the benchmark spends.
INSERT INTO sdbc.account (community, kind, purpose, name)
SELECT d.code, k.kind, CASE k.kind WHEN 'earmarked' THEN '老年食堂' END,
       CASE k.kind WHEN 'earmarked' THEN '老年食堂专项' ELSE '工作经费' END
  FROM sdbc.division d, (VALUES (1, 'working'), (2, 'earmarked')) k(n, kind)
 WHERE d.kind = 'residents_committee' ORDER BY d.code, k.n;
-- Ten credits of 10,000,000 each: one credit may not exceed policy
-- expense.amount.max (SD353, 10,000,000 by default).
SELECT count(sdbc.credit(a.account_id, 10000000, 'bench allocation')) AS credited
  FROM sdbc.account a CROSS JOIN generate_series(1, 10);

-- Per community (1–20): its code, its two accounts, and who submits
-- (handler 1; handlers 2 and 3 sign in part 2).
CREATE TABLE bench_community AS
SELECT row_number() OVER (ORDER BY d.code)::integer AS no, d.code,
       (SELECT a.account_id FROM sdbc.account a WHERE a.community = d.code AND a.kind = 'working') AS working_account,
       (SELECT a.account_id FROM sdbc.account a WHERE a.community = d.code AND a.kind = 'earmarked') AS earmarked_account,
       (SELECT min(m.staff_id) FROM sdbc.office_member m
         WHERE m.division = d.code AND m.office = 'community_handler') AS submitter
  FROM sdbc.division d WHERE d.kind = 'residents_committee';
ALTER TABLE bench_community ADD PRIMARY KEY (no);

-- The input of part 1 (:rows rows, psql variable; expenses.sh passes ROWS,
-- 100,000): row i of generate_series(1, :rows) is an expense of
-- community 1 + i % 20 to payee i % 25000 (so each community/payee/purpose
-- group has 4 rows, 25,000 apart), for one of 10 purposes (老年食堂 from the
-- earmarked account, the others from working funds). About 1 row in 20 is
-- above the 5,000-yuan limit; the rest are 50–1,549.99 yuan, so that groups
-- that had a large expense, or add up past the limit, are flagged as splits.
CREATE VIEW bench_input AS
SELECT CASE WHEN x.purpose = '老年食堂' THEN c.earmarked_account ELSE c.working_account END AS account_id,
       c.code AS community, x.purpose, x.payee, x.amount, c.submitter AS submitted_by
  FROM (SELECT i,
               1 + i % 20 AS community_no,
               (ARRAY['办公用品', '维修', '宣传', '活动', '老年食堂', '水电', '培训', '慰问', '保洁', '印刷'])[1 + (i / 20) % 10] AS purpose,
               '收款方' || (i % 25000) AS payee,
               CASE WHEN (i * 2654435761) % 97 < 5
                    THEN 5000.01 + ((i * 40503) % 900000) / 100.0
                    ELSE 50 + ((i * 69069) % 150000) / 100.0 END::numeric(12,2) AS amount
          FROM generate_series(1::bigint, :rows) i) x
  JOIN bench_community c ON c.no = x.community_no;

-- Part 1 (a): sdbc.expense's columns, defaults, checks, indexes and foreign
-- keys, and no trigger.
CREATE TABLE bench_plain_expense (LIKE sdbc.expense INCLUDING ALL);
ALTER TABLE bench_plain_expense
  ADD FOREIGN KEY (account_id) REFERENCES sdbc.account (account_id),
  ADD FOREIGN KEY (submitted_by) REFERENCES sdbc.staff (staff_id),
  ADD FOREIGN KEY (case_id) REFERENCES sdbc.approval_case (case_id),
  ADD FOREIGN KEY (paid_by) REFERENCES sdbc.staff (staff_id);

-- Part 2: one decision on expense $1's case, by someone who may act on its
-- current step: a handler who has not signed it yet (never the submitter),
-- the finance lead, or one of the street finance office, through
-- sdbc.sign. Returns the step acted on, or 0 when the case is closed or
-- another session got there first: SD302 (the step moved on meanwhile),
-- SD303 (it moved on between this function's read and sdbc.decide's, so
-- the person chosen is not in the new step's office), SD305 (that person's
-- signature is already in), SD301 (closed meanwhile).
CREATE FUNCTION bench_act(p_expense bigint) RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  c sdbc.approval_case;
  step_office text;
  office_level integer;
  who bigint;
BEGIN
  SELECT x.* INTO c FROM sdbc.approval_case x JOIN sdbc.expense e USING (case_id)
   WHERE e.expense_id = p_expense;
  IF NOT FOUND OR c.status <> 'open' OR c.current_step < 1 THEN
    RETURN 0;
  END IF;
  SELECT s.office, o.level INTO step_office, office_level
    FROM sdbc.route_step s JOIN sdbc.office o USING (office)
   WHERE s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step;
  SELECT m.staff_id INTO who
    FROM sdbc.office_member m
   WHERE m.office = step_office
     AND m.division = sdbc.divcode_ancestor(c.division, office_level)
     AND m.staff_id <> c.submitted_by
     AND NOT EXISTS (SELECT 1 FROM sdbc.decision d
                      WHERE d.case_id = c.case_id AND d.step_no = c.current_step AND d.round = c.round
                        AND d.verdict = 'approve' AND d.actor = m.staff_id)
   ORDER BY random() LIMIT 1;
  IF who IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM sdbc.sign(p_expense, who);
  RETURN c.current_step;
EXCEPTION
  WHEN SQLSTATE 'SD302' OR SQLSTATE 'SD303' OR SQLSTATE 'SD305' OR SQLSTATE 'SD301' THEN
    RETURN 0;
END $$;
