# The per-backend caches (policy and policy keys, routes with their steps and
# rules, the working-day calendar: src/common/table_cache.c) stay true on a node that
# receives the reference data through logical replication (issue 16, "What
# sdbc itself must change", item 1; R14.1, R3.2, R8.1).
#
# A coordinator publishes the cached tables; a subscriber (a shard) has sdbc
# installed too.  A session on the subscriber reads a value (warming its
# cache) and stays open; the coordinator changes the table; once the
# subscriber has applied the change, the same session sees it in its next
# transaction.  The apply worker fires no statement triggers, so before the
# replica triggers of docs/architecture.md ("Caches") this session kept the
# old value.
#
# Both nodes run CREATE EXTENSION, so both hold the same built-in rows: the
# subscription copies no data (copy_data = false), and only what the
# coordinator changes afterwards travels.  sdbc.calendar_day has no primary
# key, so the coordinator gives it REPLICA IDENTITY FULL before publishing
# its updates and deletes.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $coord = PostgreSQL::Test::Cluster->new('coordinator');
$coord->init(allows_streaming => 'logical');
$coord->start;
my $shard = PostgreSQL::Test::Cluster->new('shard');
$shard->init;
$shard->start;

my $divisions = q{
  INSERT INTO sdbc.division (code, name, key_complex) VALUES
    ('65', '新疆维吾尔自治区', false), ('6529', '阿克苏地区', false), ('652901', '阿克苏市', false),
    ('652901001', '兰干街道', false), ('652901001001', '前进社区居民委员会', true);
};
for my $node ($coord, $shard)
{
	$node->safe_psql('postgres', 'CREATE EXTENSION sdbc CASCADE');
	$node->safe_psql('postgres', $divisions);
}
# The shard's own people and money, to start cases on it.
$shard->safe_psql('postgres', q{
  INSERT INTO sdbc.staff (name, division) VALUES ('经办甲', '652901001001'), ('经办乙', '652901001001'),
    ('财务丁', '652901001001'), ('街财戊', '652901001');
  INSERT INTO sdbc.office_member (staff_id, office, division, valid_from) VALUES
    (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
    (3, 'community_finance_lead', '652901001001', '2020-01-01'), (4, 'street_finance_office', '652901001', '2020-01-01');
  INSERT INTO sdbc.account (community, kind, name) VALUES ('652901001001', 'working', '工作经费');
  SELECT sdbc.credit(1, 100000, '拨款');
});

$coord->safe_psql('postgres', q{
  ALTER TABLE sdbc.calendar_day REPLICA IDENTITY FULL;
  CREATE PUBLICATION sdbc_reference FOR TABLE sdbc.policy_key, sdbc.policy, sdbc.calendar_day,
    sdbc.route, sdbc.route_step, sdbc.route_rule;
});
my $coord_conn = 'host=' . $coord->host . ' port=' . $coord->port . ' dbname=postgres';
$shard->safe_psql('postgres', qq{
  CREATE SUBSCRIPTION sdbc_reference CONNECTION '$coord_conn' PUBLICATION sdbc_reference
    WITH (copy_data = false);
});
$shard->wait_for_subscription_sync($coord, 'sdbc_reference');

# The open session on the shard; each query_safe is a transaction of its own.
my $session = $shard->background_psql('postgres');
my $pid = $session->query_safe('SELECT pg_backend_pid()');

# Change on the coordinator (sdbc's operators on the path), wait until the shard has it, read in the session.
sub changed_then_read
{
	my ($change, $read) = @_;
	$coord->safe_psql('postgres', "SET search_path = sdbc, public; $change");
	$coord->wait_for_catchup('sdbc_reference');
	return $session->query_safe($read);
}

my $limit = q{SELECT sdbc.policy_value('expense.small_limit', '652901001001', '2024-06-03')};
my $deadline = q{SELECT sdbc.add_working_days('2024-06-03', 1, '652901001001')};
# The route of a new expense's case, or the SQLSTATE of its refusal.
$session->query_safe(q{
  CREATE FUNCTION pg_temp.route_of_new_expense() RETURNS text LANGUAGE plpgsql AS $$
  DECLARE
    id bigint;
  BEGIN
    id := sdbc.submit_expense(1, '办公', '文具店', 1200, 1);
    RETURN (SELECT c.route_code || ' v' || c.route_version
              FROM sdbc.expense e JOIN sdbc.approval_case c USING (case_id) WHERE e.expense_id = id);
  EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
  END $$});
my $submit = q{SELECT pg_temp.route_of_new_expense()};

# Warm every cache of the session.
is($session->query_safe($limit), '5000', 'shard session: built-in small-expense limit');
is($session->query_safe($deadline), '2024-06-04', 'shard session: one working day after Monday 2024-06-03');
is($session->query_safe($submit), 'expense_small v1', 'shard session: an expense takes expense_small v1');

# Policy (R14.1): a county override, inserted, updated, deleted (each step
# gives a value that neither the built-in one nor the step before gives).
is(changed_then_read(q{INSERT INTO sdbc.policy (key, division, valid_from, value, note)
                         VALUES ('expense.small_limit', '652901', '2024-01-01', 3000, 'county decision')}, $limit),
	'3000', 'policy row inserted on the coordinator: the open shard session sees it');
is( changed_then_read(
		q{UPDATE sdbc.policy SET value = 2500 WHERE key = 'expense.small_limit' AND division = '652901';
          INSERT INTO sdbc.policy (key, division, valid_from, value) VALUES ('expense.small_limit', '6529', '2024-01-01', 4000)},
		$limit),
	'2500', 'policy row updated on the coordinator: the open shard session sees it');
is(changed_then_read(q{DELETE FROM sdbc.policy WHERE key = 'expense.small_limit' AND division = '652901'}, $limit),
	'4000', 'policy row deleted on the coordinator: the open shard session falls back on the prefecture');

# Policy keys: a key the shard's session has found unknown (SD104) becomes
# known without a value (SD103), then gets one.
$session->query_safe(q{
  CREATE FUNCTION pg_temp.patrol_cars() RETURNS text LANGUAGE plpgsql AS $$
  BEGIN
    RETURN sdbc.policy_value('patrol.cars.min', '652901001001', '2024-06-03')::text;
  EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
  END $$});
my $new_key = q{SELECT pg_temp.patrol_cars()};
is($session->query_safe($new_key), 'SD104', 'shard session: key patrol.cars.min unknown');
is( changed_then_read(
		q{INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh)
            VALUES ('patrol.cars.min', 'R12.3', 'count', 0, 10, 'patrol cars per community', '每社区巡逻车数')},
		$new_key),
	'SD103', 'policy key inserted on the coordinator: the open shard session knows it (nothing in force yet)');
is( changed_then_read(
		q{INSERT INTO sdbc.policy (key, division, valid_from, value) VALUES ('patrol.cars.min', '65', '2016-01-01', 1)},
		$new_key),
	'1', 'and its value: the open shard session reads it');

# Calendar (R8.1): a county holiday on Tuesday 2024-06-04 moves a deadline;
# then the county's holidays of that week as the open session sees them.
is(changed_then_read(q{INSERT INTO sdbc.calendar_day (day, working, name, division)
                         VALUES ('2024-06-04', false, '县假日', '652901')}, $deadline),
	'2024-06-05', 'calendar day inserted on the coordinator: the deadline moves in the open shard session');
my $holidays = q{SELECT string_agg(d::date::text, ',' ORDER BY d)
                   FROM generate_series(date '2024-06-03', date '2024-06-07', interval '1 day') d
                  WHERE NOT sdbc.is_working_day(d::date, '652901001001')};
is( changed_then_read(
		q{UPDATE sdbc.calendar_day SET day = '2024-06-05' WHERE NOT builtin;
          INSERT INTO sdbc.calendar_day (day, working, name, division) VALUES ('2024-06-07', false, '县假日二', '6529')},
		$holidays),
	'2024-06-05,2024-06-07', 'calendar day updated on the coordinator: the open shard session follows');
is(changed_then_read(q{DELETE FROM sdbc.calendar_day WHERE day = '2024-06-05' AND NOT builtin}, $holidays),
	'2024-06-07', 'calendar day deleted on the coordinator: the open shard session follows');

# Routes (R3.2): a new version of expense_small, with its steps.
is( changed_then_read(
		q{INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en)
            VALUES ('expense_small', 2, 'expense', '5000元以内支出（二版）', 'expense up to the limit, version 2');
          INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, quorum_n, name_zh, name_en) VALUES
            ('expense_small', 2, 1, 'community_handler', 'sign', 'at_least', 2, '两名以上经办人签字', 'two handlers sign'),
            ('expense_small', 2, 2, 'street_finance_office', 'review', 'any', 1, '街道财务办复审', 'street re-reviews')},
		$submit),
	'expense_small v2', 'route version from the coordinator: the open shard session starts cases on it');
# Route rules: every expense goes the large way from priority 5 on.
is( changed_then_read(
		q{INSERT INTO sdbc.route_rule (case_kind, priority, policy_key, comparison, route_code)
            VALUES ('expense', 5, NULL, NULL, 'expense_large')}, $submit),
	'expense_large v1', 'route rule from the coordinator: the open shard session follows it');

# A TRUNCATE on the coordinator reaches the shard as a TRUNCATE (statement
# triggers only).  The shard has no rule left to route an expense by (SD311).
is(changed_then_read(q{TRUNCATE sdbc.route_rule}, $submit),
	'SD311', 'route rules truncated on the coordinator: the open shard session has no route for an expense');

# The initial copy of a table newly published (what a shard joining later
# receives): route_rule leaves the publication, gets a rule on the
# coordinator alone, comes back and is copied (copy_data = true); the copy
# writes in replica mode too.
$coord->safe_psql('postgres', 'ALTER PUBLICATION sdbc_reference DROP TABLE sdbc.route_rule');
$shard->safe_psql('postgres', 'ALTER SUBSCRIPTION sdbc_reference REFRESH PUBLICATION');
$coord->safe_psql('postgres', q{
  INSERT INTO sdbc.route_rule (case_kind, priority, policy_key, comparison, route_code)
    VALUES ('expense', 1, NULL, NULL, 'expense_small');
  ALTER PUBLICATION sdbc_reference ADD TABLE sdbc.route_rule});
is($session->query_safe($submit), 'SD311', 'shard session: still no route rule');
$shard->safe_psql('postgres', 'ALTER SUBSCRIPTION sdbc_reference REFRESH PUBLICATION WITH (copy_data = true)');
$shard->wait_for_subscription_sync($coord, 'sdbc_reference');
is($session->query_safe($submit), 'expense_small v2',
	'route rule copied by the initial sync of its table: the open shard session routes by it');

# Rows written in replica mode by a session of the shard itself (as a tool
# replaying changes may): the invalidation queued in a savepoint that rolls
# back is gone with it, and the next row queues it again (src/common/table_cache.c
# queues it once per transaction).
$shard->safe_psql('postgres', q{
  SET session_replication_role = replica;
  BEGIN;
  SAVEPOINT s;
  INSERT INTO sdbc.calendar_day (day, working, name, division) VALUES ('2024-06-03', false, '撤回', '652901');
  ROLLBACK TO SAVEPOINT s;
  INSERT INTO sdbc.calendar_day (day, working, name, division) VALUES ('2024-06-06', false, '本地假日', '652901');
  COMMIT});
is($session->query_safe($holidays), '2024-06-06,2024-06-07',
	'a row written in replica mode after a rolled-back savepoint: the open session sees it');

is($session->query_safe('SELECT pg_backend_pid()'), $pid, 'all of it in one shard session');
$session->quit;

# A new session reads the same: what the open one saw is what replication brought.
is($shard->safe_psql('postgres', $limit), '4000', 'new shard session: limit');
is($shard->safe_psql('postgres', q{SELECT sdbc.policy_value('patrol.cars.min', '652901001001', '2024-06-03')}), '1',
	'new shard session: new key');
is($shard->safe_psql('postgres', q{SELECT count(*) FROM sdbc.route_rule}), '1',
	'new shard session: the truncation and the copy arrived');
is($shard->safe_psql('postgres', q{SELECT apply_error_count FROM pg_stat_subscription_stats}), '0',
	'the subscription applied everything without error');

done_testing();
