-- The community work access list (R1): tasks a department hands down are
-- accepted when the list classes them handle or assist and they carry their
-- funds and authority (R1.1, R1.2); otherwise the community may refuse them
-- with a reason (R1.3); statutory duties are never refused.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE task_assignment_assignment_id_seq RESTART;
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区');
INSERT INTO task_type (county, task_code, name_zh, name_en, class, statutory, needs_funding, needs_authority) VALUES
  ('652901', 'census',        '人口普查入户登记', 'census registration',            'assist', true,  false, false),
  ('652901', 'elderly_visit', '高龄老人走访',     'visits to the very old',         'handle', false, true,  false),
  ('652901', 'sanitation',    '环境卫生整治',     'sanitation campaign',             'assist', false, true,  true),
  ('652901', 'tax_collection','代收税费',         'collecting taxes and fees',       'refuse', false, true,  false);

INSERT INTO task_assignment (department, community, task_code, funding, authority_granted) VALUES
  ('county_civil_affairs', '652901001001', 'census', 0, false),          -- statutory: accepted
  ('county_civil_affairs', '652901001001', 'elderly_visit', 20000, false), -- funded: accepted
  ('county_civil_affairs', '652901001002', 'elderly_visit', 0, false),   -- no funds: refusable (R1.2)
  ('county_health',        '652901001001', 'sanitation', 5000, false),   -- no authority: refusable (R1.2)
  ('county_health',        '652901001002', 'sanitation', 5000, true),    -- both: accepted
  ('county_hrss',          '652901001001', 'tax_collection', 9000, true),-- classed refuse: refusable (R1.1)
  ('county_hrss',          '652901001002', 'unlisted_survey', 1000, true); -- not on the list: refusable
SELECT assignment_id, department, community, task_code, funding, status, basis FROM task_assignment ORDER BY assignment_id;

-- The community refuses what it may, with its reason (R1.3).
SELECT status, refusal_reason FROM refuse_task(3, '未拨付工作经费');
SELECT status, refusal_reason FROM refuse_task(6, '代收税费不属于社区职责');
-- A statutory duty or an accepted task cannot be refused (SD410); a refusal needs a reason;
-- a task names its department (SD409).
SELECT refuse_task(1, '人手不足');
SELECT refuse_task(2, '人手不足');
UPDATE task_assignment SET status = 'refused' WHERE assignment_id = 4;
-- A refusal has a reason that is not blank (SD410), and is dated by the
-- engine: a refused_on before the task was handed down is not taken (issue
-- 13; found by the session-4 review).
UPDATE task_assignment SET status = 'refused', refusal_reason = ' ' WHERE assignment_id = 4;
BEGIN;
UPDATE task_assignment SET status = 'refused', refusal_reason = '无授权', refused_on = '1900-01-01' WHERE assignment_id = 4;
SELECT status, refused_on = CURRENT_DATE AS refused_today FROM task_assignment WHERE assignment_id = 4;
ROLLBACK;
UPDATE task_assignment SET funding = 1 WHERE assignment_id = 3;
INSERT INTO task_assignment (community, task_code, funding) VALUES ('652901001001', 'elderly_visit', 100);
INSERT INTO task_type (county, task_code, name_zh, name_en, class, statutory) VALUES ('652901', 'bad', '坏', 'bad', 'refuse', true);

-- Reports.
SELECT department, tasks, accepted, refusable, refused, funding FROM task_by_department ORDER BY department;
SELECT community, refused, tasks, funding_kept FROM task_refused_by_community ORDER BY community;

-- Leave the database as the next test expects it.
DELETE FROM task_assignment; DELETE FROM task_type; DELETE FROM division;
