-- The approval engine: routes as data, cases, decisions (R3.2, R3.3, R4.2, R7.3).

CREATE TABLE sdbc.route (
  route_code  text NOT NULL CONSTRAINT route_code_form CHECK (route_code ~ '^[a-z][a-z0-9_]*$'),
  version     integer NOT NULL CHECK (version > 0),
  case_kind   text NOT NULL CONSTRAINT route_case_kind CHECK (case_kind IN ('expense', 'service')),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  builtin     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (route_code, version)
);
COMMENT ON TABLE sdbc.route IS
  'Routes 审批流程: an ordered list of steps (sdbc.route_step); a change is a new version, and a case keeps the version it started with';
COMMENT ON COLUMN sdbc.route.route_code IS 'identifier';
COMMENT ON COLUMN sdbc.route.version IS 'version; the highest is the one new cases take';
COMMENT ON COLUMN sdbc.route.case_kind IS 'expense (R3) or service application (R4.2)';
COMMENT ON COLUMN sdbc.route.name_zh IS 'Chinese name 中文名称';
COMMENT ON COLUMN sdbc.route.name_en IS 'English name';
COMMENT ON COLUMN sdbc.route.created_at IS 'when this version was defined';
COMMENT ON COLUMN sdbc.route.builtin IS 'shipped by the extension (not dumped)';

CREATE TABLE sdbc.route_step (
  route_code       text NOT NULL,
  version          integer NOT NULL,
  step_no          integer NOT NULL CHECK (step_no > 0),
  office           text NOT NULL REFERENCES sdbc.office (office),
  action           text NOT NULL CONSTRAINT route_step_action CHECK (action IN ('sign', 'send', 'review', 'approve', 'submit', 'decide', 'accept', 'investigate', 'notice')),
  quorum           text NOT NULL CONSTRAINT route_step_quorum CHECK (quorum IN ('all', 'any', 'at_least')),
  quorum_n         integer NOT NULL DEFAULT 1 CHECK (quorum_n >= 1),
  blocking         boolean NOT NULL DEFAULT true,
  time_limit_days  integer NOT NULL DEFAULT 5 CHECK (time_limit_days > 0),
  step_kind        text NOT NULL DEFAULT 'act' CONSTRAINT route_step_kind CHECK (step_kind IN ('act', 'notice')),
  notice_days      integer CHECK (notice_days > 0),
  objection_to     integer,
  refusal_reasons_days integer CHECK (refusal_reasons_days > 0),
  name_zh          text NOT NULL,
  name_en          text NOT NULL,
  PRIMARY KEY (route_code, version, step_no),
  CONSTRAINT route_step_notice CHECK ((step_kind = 'notice') = (notice_days IS NOT NULL AND objection_to IS NOT NULL)),
  CONSTRAINT route_step_objection_back CHECK (objection_to IS NULL OR (objection_to >= 1 AND objection_to < step_no)),
  FOREIGN KEY (route_code, version) REFERENCES sdbc.route (route_code, version),
  CONSTRAINT route_step_quorum_n CHECK (quorum = 'at_least' OR quorum_n = 1)
);
COMMENT ON TABLE sdbc.route_step IS
  'Steps of a route, in order: which office acts, how many of it must (all, any, or at least N distinct people), whether the step blocks later ones, and its time limit in working days';
COMMENT ON COLUMN sdbc.route_step.route_code IS 'route';
COMMENT ON COLUMN sdbc.route_step.version IS 'route version';
COMMENT ON COLUMN sdbc.route_step.step_no IS 'position, from 1';
COMMENT ON COLUMN sdbc.route_step.office IS 'office that acts, for the division of the case at the office''s level';
COMMENT ON COLUMN sdbc.route_step.action IS 'what acting means here: sign 签字, send 报送, review 复审/初审, approve 审批, submit 上报, decide 决定, accept 受理, investigate 入户调查, notice 公示';
COMMENT ON COLUMN sdbc.route_step.quorum IS 'all members of the office, any one, or at least quorum_n distinct people';
COMMENT ON COLUMN sdbc.route_step.quorum_n IS 'N of at_least';
COMMENT ON COLUMN sdbc.route_step.blocking IS 'a blocking step must be complete before later steps act; a non-blocking one runs alongside';
COMMENT ON COLUMN sdbc.route_step.time_limit_days IS 'time limit 时限 in working days from the step''s start';
COMMENT ON COLUMN sdbc.route_step.step_kind IS 'act: members of the office act; notice 公示: a public notice that closes only after notice_days, where an objection sends the case back to step objection_to and the notice starts again';
COMMENT ON COLUMN sdbc.route_step.notice_days IS 'for a notice: its length in days (never below policy service.notice.min_days)';
COMMENT ON COLUMN sdbc.route_step.objection_to IS 'for a notice: the earlier step an objection returns the case to';
COMMENT ON COLUMN sdbc.route_step.refusal_reasons_days IS 'when a refusal at this step must be followed by written reasons: within so many working days';
COMMENT ON COLUMN sdbc.route_step.name_zh IS 'Chinese name';
COMMENT ON COLUMN sdbc.route_step.name_en IS 'English name';

-- Which route a case takes: the first rule (by priority) whose test holds.
CREATE TABLE sdbc.route_rule (
  case_kind    text NOT NULL CONSTRAINT route_rule_case_kind CHECK (case_kind IN ('expense', 'service')),
  priority     integer NOT NULL,
  policy_key   text REFERENCES sdbc.policy_key (key),
  comparison   text CONSTRAINT route_rule_comparison CHECK (comparison IN ('<=', '>')),
  route_code   text NOT NULL,
  builtin      boolean NOT NULL DEFAULT false,
  matter_code  text,
  PRIMARY KEY (case_kind, priority),
  CONSTRAINT route_rule_test CHECK ((policy_key IS NULL) = (comparison IS NULL)),
  CONSTRAINT route_rule_matter CHECK (matter_code IS NULL OR case_kind = 'service'),
  CONSTRAINT route_rule_service_test CHECK (case_kind <> 'service' OR policy_key IS NULL)
);
COMMENT ON TABLE sdbc.route_rule IS
  'Route selection as data 审批路线规则: for an expense, "amount <= policy expense.small_limit → expense_small" (R3.2) and "amount > limit → expense_large" (R3.3), the limit read from policy for the case''s division and date; for a service matter, the route of the matter (R4.2) — a rule naming the matter (or any matter) wins over the matter''s own sdbc.service_matter.route_code, which holds when no rule names it';
COMMENT ON COLUMN sdbc.route_rule.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.route_rule.priority IS 'rules are tried in this order';
COMMENT ON COLUMN sdbc.route_rule.policy_key IS 'policy value the amount is compared with; NULL: always (service rules have no test)';
COMMENT ON COLUMN sdbc.route_rule.comparison IS '<= or >';
COMMENT ON COLUMN sdbc.route_rule.route_code IS 'route taken when the test holds';
COMMENT ON COLUMN sdbc.route_rule.builtin IS 'shipped by the extension (not dumped)';
COMMENT ON COLUMN sdbc.route_rule.matter_code IS 'for case kind service: the matter 事项 the rule routes (NULL: any matter); NULL for expenses';

INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en, builtin) VALUES
  ('expense_small', 1, 'expense', '5000元以内支出', 'expense up to the limit (R3.2)', true),
  ('expense_large', 1, 'expense', '5000元以上支出', 'expense above the limit (R3.3)', true);
INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, quorum_n, blocking, time_limit_days, name_zh, name_en) VALUES
  ('expense_small', 1, 1, 'community_handler',      'sign',    'at_least', 2, true, 3, '两名以上经办人签字', 'two or more community handlers sign'),
  ('expense_small', 1, 2, 'community_finance_lead', 'send',    'any',      1, true, 2, '社区财务负责人报送', 'community finance lead sends to the street'),
  ('expense_small', 1, 3, 'street_finance_office',  'review',  'any',      1, true, 5, '街道财务办复审',     'street finance office re-reviews'),
  ('expense_large', 1, 1, 'community_finance_lead', 'submit',  'any',      1, true, 2, '社区上报',           'the community reports it'),
  ('expense_large', 1, 2, 'street_party_committee', 'approve', 'any',      1, true, 10, '街道党工委审批',    'street party working committee approves');
INSERT INTO sdbc.route_rule (case_kind, priority, policy_key, comparison, route_code, builtin) VALUES
  ('expense', 10, 'expense.small_limit', '<=', 'expense_small', true),
  ('expense', 20, 'expense.small_limit', '>',  'expense_large', true);

-- The engine's triggers cache rules and route versions per backend (src/route_cache.c).
CREATE TRIGGER route_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER route_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.route
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.route ENABLE REPLICA TRIGGER route_cache_invalidate_replica;
COMMENT ON TRIGGER route_cache_invalidate ON sdbc.route IS
  'Backends reload their cached routes 审批流程 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER route_cache_invalidate_replica ON sdbc.route IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER route_step_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route_step
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER route_step_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.route_step
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.route_step ENABLE REPLICA TRIGGER route_step_cache_invalidate_replica;
COMMENT ON TRIGGER route_step_cache_invalidate ON sdbc.route_step IS
  'Backends reload their cached route steps 审批步骤 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER route_step_cache_invalidate_replica ON sdbc.route_step IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';
CREATE TRIGGER route_rule_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.route_rule
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER route_rule_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.route_rule
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.route_rule ENABLE REPLICA TRIGGER route_rule_cache_invalidate_replica;
COMMENT ON TRIGGER route_rule_cache_invalidate ON sdbc.route_rule IS
  'Backends reload their cached route rules 流程选择规则 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER route_rule_cache_invalidate_replica ON sdbc.route_rule IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';

SELECT pg_catalog.pg_extension_config_dump('sdbc.route', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('sdbc.route_step', 'WHERE (route_code, version) NOT IN (SELECT route_code, version FROM sdbc.route WHERE builtin)');
SELECT pg_catalog.pg_extension_config_dump('sdbc.route_rule', 'WHERE NOT builtin');

CREATE TABLE sdbc.approval_case (
  case_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_kind        text NOT NULL,
  division         sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  route_code       text NOT NULL,
  route_version    integer NOT NULL,
  submitted_by     bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  submitted_at     timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'open' CONSTRAINT approval_case_status CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn')),
  current_step     integer NOT NULL DEFAULT 1,
  round            integer NOT NULL DEFAULT 1,
  step_started_on  date NOT NULL DEFAULT CURRENT_DATE,
  closed_at        timestamptz,
  reasons_due_on   date,
  FOREIGN KEY (route_code, route_version) REFERENCES sdbc.route (route_code, version),
  chain_length     integer NOT NULL DEFAULT 0,
  chain_head       bytea
) WITH (fillfactor = 75);  -- every decision updates its case: room on the page makes most of those updates HOT (issue 14 section 4)
COMMENT ON TABLE sdbc.approval_case IS
  'Cases on a route (an expense, a service application): the route version they started with, where they stand, and their status; changed only by decisions';
COMMENT ON COLUMN sdbc.approval_case.case_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.approval_case.case_kind IS 'expense or service';
COMMENT ON COLUMN sdbc.approval_case.division IS 'division of the case (a community); offices act for its ancestor at their level';
COMMENT ON COLUMN sdbc.approval_case.route_code IS 'route';
COMMENT ON COLUMN sdbc.approval_case.route_version IS 'route version, fixed at submission';
COMMENT ON COLUMN sdbc.approval_case.submitted_by IS 'who submitted it (never approves it: four eyes)';
COMMENT ON COLUMN sdbc.approval_case.submitted_at IS 'when';
COMMENT ON COLUMN sdbc.approval_case.status IS 'open, approved (route complete), rejected or withdrawn';
COMMENT ON COLUMN sdbc.approval_case.current_step IS 'first open blocking step; 0 when sent back to the applicant';
COMMENT ON COLUMN sdbc.approval_case.round IS 'increases at every send-back: earlier votes on a step no longer count';
COMMENT ON COLUMN sdbc.approval_case.step_started_on IS 'day the current step opened (its time limit runs from here)';
COMMENT ON COLUMN sdbc.approval_case.closed_at IS 'when the case was approved, rejected or withdrawn';
COMMENT ON COLUMN sdbc.approval_case.reasons_due_on IS 'after a refusal at a step that requires written reasons: the day they are due; NULL once given';
COMMENT ON COLUMN sdbc.approval_case.chain_length IS 'the chain''s anchor 链长: how many decisions the case has (set by the engine with each decision), so that sdbc.verify_chain() notices decisions removed at its end';
COMMENT ON COLUMN sdbc.approval_case.chain_head IS 'the chain''s anchor 链头: hash of the case''s latest decision (set by the engine; NULL before the first)';
CREATE INDEX approval_case_open_idx ON sdbc.approval_case (division) WHERE status = 'open';
-- The open cases of one county: sdbc.service_open's county column is this
-- expression, and the planner cannot turn it into a range of division codes
-- (without it the county's overdue count seq-scans every case: 117 ms
-- against 11 ms with it, in test/bench/service.sh).
CREATE INDEX approval_case_open_county_idx ON sdbc.approval_case (sdbc.divcode_ancestor(division, 3)) WHERE status = 'open';

CREATE TABLE sdbc.decision (
  decision_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES sdbc.approval_case (case_id),
  step_no       integer NOT NULL,
  round         integer NOT NULL DEFAULT 0,
  actor         bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  acting_for    bigint REFERENCES sdbc.staff (staff_id),
  verdict       text NOT NULL CONSTRAINT decision_verdict CHECK (verdict IN ('submit', 'approve', 'reject', 'send_back', 'withdraw', 'object', 'reasons')),
  send_back_to  integer,
  reason        text,
  decided_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  prev_hash     bytea,
  hash          bytea NOT NULL DEFAULT '\x'
);
COMMENT ON TABLE sdbc.decision IS
  'Every submission, approval, refusal, send-back and withdrawal: insert-only, who, when, acting for whom (A/B post, R7.3), verdict and reason, each row chained to the previous one of its case by a SHA-256 hash; the rules of the route are checked by a C trigger whatever the client does';
COMMENT ON COLUMN sdbc.decision.decision_id IS 'surrogate key, in order of decision';
COMMENT ON COLUMN sdbc.decision.case_id IS 'case';
COMMENT ON COLUMN sdbc.decision.step_no IS 'step acted on (0 for submit and withdraw)';
COMMENT ON COLUMN sdbc.decision.round IS 'round of the case at the time (set by the database)';
COMMENT ON COLUMN sdbc.decision.actor IS 'who acted';
COMMENT ON COLUMN sdbc.decision.acting_for IS 'principal of an A/B post the actor stood in for (B acting for A), or NULL';
COMMENT ON COLUMN sdbc.decision.verdict IS 'submit, approve (sign, send, review … as the step says; closing a notice), reject, send_back 驳回, withdraw 撤回, object (an objection during a public notice 公示异议), reasons (written reasons after a refusal)';
COMMENT ON COLUMN sdbc.decision.send_back_to IS 'for send_back: the earlier step to return to, 0 for the applicant';
COMMENT ON COLUMN sdbc.decision.reason IS 'reason; required for reject and send_back';
COMMENT ON COLUMN sdbc.decision.decided_at IS 'when 决定时间 (set by the database)';
COMMENT ON COLUMN sdbc.decision.prev_hash IS 'hash of the previous decision of the case (NULL for the first)';
COMMENT ON COLUMN sdbc.decision.hash IS 'SHA-256 over prev_hash and this row''s fields (set by the database)';
CREATE INDEX decision_case_idx ON sdbc.decision (case_id, decision_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.approval_case', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.approval_case_case_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.decision', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.decision_decision_id_seq', '');

CREATE FUNCTION sdbc.decision_check() RETURNS trigger
  AS 'MODULE_PATHNAME', 'decision_check' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.decision_check() IS
  'Trigger (C) on sdbc.decision: the rules of the route (order of steps, office membership, four eyes, one vote per person, A/B acting, send-back, withdraw, reasons), an id the identity default drew (SD340), decided_at set by the database, the hash chain, and the case''s new state';
CREATE TRIGGER decision_check BEFORE INSERT ON sdbc.decision
  FOR EACH ROW EXECUTE FUNCTION sdbc.decision_check();
CREATE TRIGGER decision_insert_only BEFORE UPDATE OR DELETE ON sdbc.decision
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R3.2, R3.3', 'approval decisions');
CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON sdbc.decision
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R3.2, R3.3', 'approval decisions');

-- The hash of a decision: SHA-256 over the previous hash and the fields, in a fixed text form.
CREATE FUNCTION sdbc.decision_hash(prev_hash bytea, case_id bigint, step_no integer, round integer,
                                   actor bigint, acting_for bigint, verdict text, send_back_to integer,
                                   reason text, decided_at timestamptz)
  RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE   -- STABLE: to_char is, although this pattern is not locale-bound
  RETURN sha256(coalesce(prev_hash, '\x') || convert_to(concat_ws('|', case_id, step_no, round, actor,
                coalesce(acting_for::text, '-'), verdict, coalesce(send_back_to::text, '-'),
                coalesce(reason, '-'), to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8'));
COMMENT ON FUNCTION sdbc.decision_hash(bytea, bigint, integer, integer, bigint, bigint, text, integer, text, timestamptz) IS
  'SHA-256 over the previous hash and a decision''s fields (time in UTC, microseconds): the link of the chain';

-- Verify the chain of one case: the first broken link, or nothing.  The
-- case's anchor (chain_head, chain_length, written by the engine with every
-- decision) catches decisions removed at the end of the chain, which the
-- links alone cannot (issue 13, section 8).
CREATE FUNCTION sdbc.verify_chain(case_id bigint)
  RETURNS TABLE (decision_id bigint, problem text)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  c sdbc.approval_case;
  n bigint;
  last_id bigint;
  last_hash bytea;
BEGIN
  SELECT * INTO c FROM sdbc.approval_case x WHERE x.case_id = verify_chain.case_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '23503',
      MESSAGE = format('case %s does not exist', coalesce(verify_chain.case_id::text, 'NULL')),
      DETAIL = 'Rule R3.2/R3.3: a chain of decisions belongs to an existing case (sdbc.approval_case) the login sees.',
      HINT = 'Take the case_id from the expense (sdbc.expense) or the application (sdbc.service_application).';
  END IF;
  RETURN QUERY
  WITH d AS (
    SELECT x.*, lag(x.hash) OVER (ORDER BY x.decision_id) AS expected_prev
      FROM sdbc.decision x WHERE x.case_id = verify_chain.case_id
  )
  SELECT d.decision_id,
         CASE WHEN d.prev_hash IS DISTINCT FROM d.expected_prev THEN 'prev_hash does not match the previous decision'
              ELSE 'hash does not match the row' END
    FROM d
   WHERE d.prev_hash IS DISTINCT FROM d.expected_prev
      OR d.hash <> sdbc.decision_hash(d.prev_hash, d.case_id, d.step_no, d.round, d.actor, d.acting_for,
                                      d.verdict, d.send_back_to, d.reason, d.decided_at)
   ORDER BY d.decision_id
   LIMIT 1;
  IF FOUND THEN
    RETURN;
  END IF;
  SELECT count(*), max(x.decision_id) INTO n, last_id FROM sdbc.decision x WHERE x.case_id = verify_chain.case_id;
  SELECT x.hash INTO last_hash FROM sdbc.decision x WHERE x.decision_id = last_id;
  IF n <> c.chain_length OR last_hash IS DISTINCT FROM c.chain_head THEN
    decision_id := last_id;
    problem := format('the chain does not end at the case''s anchor: %s decisions, the case records %s ending in %s',
                      n, c.chain_length, coalesce(encode(c.chain_head, 'hex'), 'none'));
    RETURN NEXT;
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.verify_chain(bigint) IS 'Checks the hash chain of a case''s decisions and its end against the case''s anchor (chain_head, chain_length); returns the first broken link and why (a removed last decision: the last one left, or NULL), or no row when the chain is intact; 23503 naming a case that does not exist or the caller cannot see 校验决定链';

-- A digest of every case's anchor in a county, to be published (e.g. on the
-- county's notice board each month): a later digest over the same cases
-- that differs shows that a chain was rewritten or cut.
CREATE FUNCTION sdbc.chain_digest(county sdbc.divcode)
  RETURNS TABLE (county_code text, cases bigint, decisions bigint, digest text)
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT chain_digest.county::text, count(*), coalesce(sum(c.chain_length), 0),
         encode(sha256(convert_to(coalesce(string_agg(concat_ws(':', c.case_id, c.chain_length,
                coalesce(encode(c.chain_head, 'hex'), '-')), '|' ORDER BY c.case_id), ''), 'UTF8')), 'hex')
    FROM sdbc.approval_case c
   WHERE c.division OPERATOR(sdbc.<@) chain_digest.county;
END;
COMMENT ON FUNCTION sdbc.chain_digest(sdbc.divcode) IS
  'SHA-256 over the anchors (case, length, head hash) of every case under a division (a county), with the owner''s rights: the number to publish, so that truncating or rewriting any chain shows as a changed digest 县级决定链摘要';

-- Cases change only through decisions (and are created by submitting an
-- expense or an application); a superuser may write them (a restore does).
CREATE FUNCTION sdbc.approval_case_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'approval_case_guard' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sdbc.approval_case_guard() IS 'Trigger: cases are written only by the engine''s triggers (SD316), or by a superuser (restores)';
CREATE TRIGGER approval_case_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.approval_case
  FOR EACH ROW EXECUTE FUNCTION sdbc.approval_case_guard();
