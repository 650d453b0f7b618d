# Dump and restore keep the user's data and policy (R14.1) and do not
# duplicate the extension's built-in policy rows.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->safe_psql('src', q{
  CREATE EXTENSION sdbc CASCADE;
  INSERT INTO sdbc.division (code, name, key_complex) VALUES
    ('65', '新疆维吾尔自治区', false), ('6529', '阿克苏地区', false), ('652901', '阿克苏市', false),
    ('652901001', '兰干街道', false), ('652901001001', '前进社区居民委员会', true);
  INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh)
    VALUES ('patrol.cars.min', 'R12.3', 'persons', 0, 10, 'patrol cars per community', '每社区巡逻车数');
  INSERT INTO sdbc.policy (key, division, valid_from, value, note) VALUES
    ('expense.small_limit', '652901', '2020-01-01', 3000, 'county decision'),
    ('grid.households.max', '652901001', '2023-01-01', 350, NULL),
    ('patrol.cars.min', '6529', '2016-01-01', 1, NULL),
    ('grid.households.min', NULL, '2025-01-01', 180, 'national change');
  UPDATE sdbc.division SET boundary = ST_Multi(ST_GeomFromText(
    'POLYGON((80.250 41.160, 80.260 41.160, 80.260 41.170, 80.250 41.170, 80.250 41.160))', 4490))
   WHERE code OPERATOR(sdbc.=) '652901001001';
  INSERT INTO sdbc.building (community, address, households, location)
  SELECT '652901001001', 'B' || i, 20 + i % 7,
         ST_SetSRID(ST_MakePoint(80.2505 + (i % 10) * 0.001, 41.1605 + (i / 10) * 0.001), 4490)
    FROM generate_series(0, 99) i;
  INSERT INTO sdbc.household (building_id, rental) SELECT building_id, s % 5 = 0 FROM sdbc.building, generate_series(1, households) s;
  INSERT INTO sdbc.resident (household_id, id_number, name, key_population, key_reason)
  SELECT household_id, sdbc.idcard_make('652901', date '1980-01-01' + household_id::int, 1), '居民' || household_id,
         household_id % 50 = 0, CASE WHEN household_id % 50 = 0 THEN '重点' END
    FROM sdbc.household;
  SELECT count(*) FROM sdbc.grid_draw('652901001001', '2024-01-01');
  SELECT count(*) FROM sdbc.grid_reclassify(NULL, '2024-01-01');
  INSERT INTO sdbc.staff (name, division) VALUES ('经办甲', '652901001001'), ('经办乙', '652901001001'),
    ('经办丙', '652901001001'), ('财务丁', '652901001001'), ('街财戊', '652901001');
  INSERT INTO sdbc.office_member (staff_id, office, division, valid_from) VALUES
    (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
    (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
    (5, 'street_finance_office', '652901001', '2020-01-01');
  INSERT INTO sdbc.account (community, kind, name) VALUES ('652901001001', 'working', '工作经费');
  SELECT sdbc.credit(1, 10000, '拨款');
  SELECT sdbc.submit_expense(1, '办公', '文具店', 1200, 1), sdbc.submit_expense(1, '维修', '建筑队', 800, 1);
  SELECT sdbc.sign(1, 2), sdbc.sign(1, 3);
  SELECT sdbc.sign(1, 4);
  SELECT sdbc.sign(1, 5);
  SELECT sdbc.pay(1, 5);
  SELECT sdbc.sign(2, 2);
  SELECT sdbc.decide(2, 3, 'send_back', '缺发票', 0);
  -- a county's own department, matter and route; an application on it
  INSERT INTO sdbc.office (office, level, name_zh, name_en) VALUES ('county_education', 3, '县教育局', 'county education bureau');
  INSERT INTO sdbc.route (route_code, version, case_kind, name_zh, name_en) VALUES ('devolved_education', 1, 'service', '社区初审、县教育局审批', 'education');
  INSERT INTO sdbc.route_step (route_code, version, step_no, office, action, quorum, name_zh, name_en) VALUES
    ('devolved_education', 1, 1, 'community_handler', 'review', 'any', '社区初审', 'community review'),
    ('devolved_education', 1, 2, 'county_education', 'decide', 'any', '县教育局审批', 'county decides');
  INSERT INTO sdbc.service_matter (matter_code, county, name_zh, name_en, final_office, documents, time_limit_days, route_code)
  VALUES ('school_subsidy', '652901', '困难学生资助', 'school subsidy', 'county_education', '{申请表}', 20, 'devolved_education');
  SELECT sdbc.apply('school_subsidy', 1, 1, '{申请表}', 'visit_for');
  -- people in posts (R2, R6.1, R7.3, R7.4, R8.1, R12.2, R12.3)
  UPDATE sdbc.staff SET category = 'institutional', sex = 'male', education = 'bachelor' WHERE staff_id <= 3;
  INSERT INTO sdbc.staff (name, division, category, street_leader) VALUES ('下沉己', '652901001', 'administrative', true);
  INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division)
    SELECT staff_id, '2016-03-01', 'sent_down', '652901001', '652901001001' FROM sdbc.staff WHERE name = '下沉己';
  INSERT INTO sdbc.street_office (street, name, general) VALUES ('652901001', '综合办公室', true);
  INSERT INTO sdbc.post (office, division, grid_code, principal, backup)
    SELECT 'grid_leader', '652901001001', min(grid_code), 1, 2 FROM sdbc.grid;
  INSERT INTO sdbc.absence (staff_id, during, reason) VALUES (1, '[2024-03-04, 2024-03-09)', 'leave');
  INSERT INTO sdbc.household_visit (household_id, staff_id, visited_on) VALUES (1, 1, '2024-03-01'), (2, 2, '2024-03-02');
  INSERT INTO sdbc.duty_shift (community, staff_id, during) VALUES ('652901001001', 3, '[2024-03-04 00:00, 2024-03-05 00:00)');
  INSERT INTO sdbc.squad_member (community, name, staff_id, joined_on) VALUES ('652901001001', '经办甲', 1, '2024-01-01');
  INSERT INTO sdbc.drill (community, held_on, kind, participants) VALUES ('652901001001', '2024-01-20', '消防', 12);
  INSERT INTO sdbc.joint_defence_group (community, name) VALUES ('652901001001', '解放路联防组');
  INSERT INTO sdbc.joint_defence_shop (group_id, name) SELECT group_id, '商铺' FROM sdbc.joint_defence_group;
  INSERT INTO sdbc.party_committee (community, name) VALUES ('652901001001', '前进社区大党委');
  INSERT INTO sdbc.party_member_unit (committee_id, unit_name) SELECT committee_id, '第一中学' FROM sdbc.party_committee;
  INSERT INTO sdbc.party_branch (committee_id, grid_code, name) SELECT committee_id, (SELECT min(grid_code) FROM sdbc.grid), '党支部' FROM sdbc.party_committee;
  INSERT INTO sdbc.party_group (branch_id, building_id, name)
    SELECT branch_id, (SELECT min(building_id) FROM sdbc.building b WHERE b.grid_code = p.grid_code), '党小组' FROM sdbc.party_branch p;
});

# Everything a restore must reproduce, as one text per table.
my $snapshot_sql = q{
  SELECT 'division', count(*), md5(string_agg(d::text, '|' ORDER BY code)) FROM sdbc.division d
  UNION ALL
  SELECT 'policy', count(*), md5(string_agg(format('%s %s %s %s %s %s', key, division, valid_from, value, builtin, note), '|'
                                             ORDER BY key, division NULLS FIRST, valid_from)) FROM sdbc.policy
  UNION ALL
  SELECT 'policy_key', count(*), md5(string_agg(k::text, '|' ORDER BY key)) FROM sdbc.policy_key k
  UNION ALL
  SELECT 'grid', count(*), md5(string_agg(g::text, '|' ORDER BY grid_code)) FROM sdbc.grid g
  UNION ALL
  SELECT 'building', count(*), md5(string_agg(b::text, '|' ORDER BY building_id)) FROM sdbc.building b
  UNION ALL
  SELECT 'household', count(*), md5(string_agg(h::text, '|' ORDER BY household_id)) FROM sdbc.household h
  UNION ALL
  SELECT 'resident', count(*), md5(string_agg(r::text, '|' ORDER BY resident_id)) FROM sdbc.resident r
  UNION ALL
  SELECT 'approval_case', count(*), md5(string_agg(c::text, '|' ORDER BY case_id)) FROM sdbc.approval_case c
  UNION ALL
  SELECT 'decision', count(*), md5(string_agg(d::text, '|' ORDER BY decision_id)) FROM sdbc.decision d
  UNION ALL
  SELECT 'expense', count(*), md5(string_agg(e::text, '|' ORDER BY expense_id)) FROM sdbc.expense e
  UNION ALL
  SELECT 'account_balance', count(*), md5(string_agg(b::text, '|' ORDER BY account_id)) FROM sdbc.account_balance b
  UNION ALL
  SELECT 'service_matter', count(*), md5(string_agg(m::text, '|' ORDER BY matter_code)) FROM sdbc.service_matter m
  UNION ALL
  SELECT 'office', count(*), md5(string_agg(o::text, '|' ORDER BY office)) FROM sdbc.office o
  UNION ALL
  SELECT 'route_step', count(*), md5(string_agg(s::text, '|' ORDER BY route_code, version, step_no)) FROM sdbc.route_step s
  UNION ALL
  SELECT 'service_application', count(*), md5(string_agg(a::text, '|' ORDER BY application_id)) FROM sdbc.service_application a
  UNION ALL
  SELECT 'staff', count(*), md5(string_agg(s::text, '|' ORDER BY staff_id)) FROM sdbc.staff s
  UNION ALL
  SELECT 'staff_move', count(*), md5(string_agg(m::text, '|' ORDER BY move_id)) FROM sdbc.staff_move m
  UNION ALL
  SELECT 'street_office', count(*), md5(string_agg(o::text, '|' ORDER BY street_office_id)) FROM sdbc.street_office o
  UNION ALL
  SELECT 'post', count(*), md5(string_agg(p::text, '|' ORDER BY post_id)) FROM sdbc.post p
  UNION ALL
  SELECT 'absence', count(*), md5(string_agg(a::text, '|' ORDER BY absence_id)) FROM sdbc.absence a
  UNION ALL
  SELECT 'household_visit', count(*), md5(string_agg(v::text, '|' ORDER BY visit_id)) FROM sdbc.household_visit v
  UNION ALL
  SELECT 'duty_shift', count(*), md5(string_agg(d::text, '|' ORDER BY shift_id)) FROM sdbc.duty_shift d
  UNION ALL
  SELECT 'squad_member', count(*), md5(string_agg(m::text, '|' ORDER BY community, name, joined_on)) FROM sdbc.squad_member m
  UNION ALL
  SELECT 'drill', count(*), md5(string_agg(d::text, '|' ORDER BY drill_id)) FROM sdbc.drill d
  UNION ALL
  SELECT 'joint_defence_shop', count(*), md5(string_agg(j::text, '|' ORDER BY shop_id)) FROM sdbc.joint_defence_shop j
  UNION ALL
  SELECT 'party', count(*), md5(string_agg(p::text, '|' ORDER BY community)) FROM sdbc.party_by_community p
  UNION ALL
  SELECT 'party_group', count(*), md5(string_agg(g::text, '|' ORDER BY group_id)) FROM sdbc.party_group g
  UNION ALL
  SELECT 'grid_class_history', count(*), md5(string_agg(format('%s %s %s', grid_code, to_class, indicators), '|' ORDER BY grid_code, changed_at)) FROM sdbc.grid_class_history
  ORDER BY 1
};
my $before = $node->safe_psql('src', $snapshot_sql);
my $lookups_sql = q{
  SELECT sdbc.policy_value('expense.small_limit', '652901001001', '2024-01-01'),
         sdbc.policy_value('grid.households.max', '652901001001', '2024-01-01'),
         sdbc.policy_value('grid.households.min', '652901001001', '2025-06-01'),
         sdbc.policy_value('patrol.cars.min', '652901001001', '2024-01-01')
};
is($node->safe_psql('src', $lookups_sql), '3000|350|180|1', 'lookups before the dump');

my $dump = $node->basedir . '/src.dump';
$node->command_ok(
	[ 'pg_dump', '-Fc', '-d', $node->connstr('src'), '-f', $dump ],
	'pg_dump in custom format');
$node->command_ok(
	[ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst'), $dump ],
	'pg_restore into a fresh database');

my $after = $node->safe_psql('dst', $snapshot_sql);
is($after, $before, 'row counts and content checksums equal after restore');

# Every table the extension dumps (pg_extension.extconfig: the user's data,
# with built-in rows filtered out by the dump), whole rows compared.
my $every_table_sql = q{
  CREATE FUNCTION pg_temp.table_digest() RETURNS TABLE (name text, n bigint, h text) LANGUAGE plpgsql AS $$
  DECLARE
    r record;
  BEGIN
    FOR r IN SELECT c.oid::regclass AS t, c.relname,
                    EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'builtin') AS has_builtin
               FROM pg_extension e, unnest(e.extconfig) AS cfg(oid) JOIN pg_class c ON c.oid = cfg.oid
              WHERE e.extname = 'sdbc' AND c.relkind = 'r' ORDER BY c.relname LOOP
      -- built-in rows come from CREATE EXTENSION on both sides (install
      -- times differ): they are counted; the user's rows are compared whole
      RETURN QUERY EXECUTE format('SELECT %L::text, count(*), md5(coalesce(string_agg(x::text, %L ORDER BY x::text) %s, %L)) FROM %s x',
                                  r.relname, '|', CASE WHEN r.has_builtin THEN 'FILTER (WHERE NOT x.builtin)' ELSE '' END, '', r.t);
    END LOOP;
  END $$;
  SELECT name || '|' || n || '|' || h FROM pg_temp.table_digest();
};
my $every_before = $node->safe_psql('src', $every_table_sql);
my $every_after = $node->safe_psql('dst', $every_table_sql);
is($every_after, $every_before, 'every dumped table: the same rows after restore');
my $tables = () = $every_before =~ /\n/g;
cmp_ok($tables + 1, '>=', 40, 'the comparison covers every dumped table (' . ($tables + 1) . ')');
like($before, qr/^building\|100\|/m, 'the dump held the registry');
is($node->safe_psql('dst', 'SELECT count(*) FROM sdbc.household_outside_grid'), '0',
	'every household placed after restore');
like($before, qr/^decision\|9\|/m, 'the dump held the decisions');
like($before, qr/^service_application\|1\|/m, 'the dump held the application');
like($before, qr/^staff_move\|1\|/m, 'the dump held the staff moves');
like($before, qr/^party_group\|1\|/m, 'the dump held the party organisation');
is($node->safe_psql('dst', q{SELECT holder FROM sdbc.post_holder('2024-03-05')}), '2',
	'B acts for absent A after restore');
is($node->safe_psql('dst', q{SELECT value FROM sdbc.staff_compliance('2016-03-01') WHERE rule_id = 'R2.1'}), '0.500',
	'staff compliance after restore: 1 sent down, 1 at the street (R2.1)');
is($node->safe_psql('dst',
	'SELECT count(*) FROM sdbc.approval_case c WHERE EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))'),
	'0', 'every decision chain intact after restore');
is($node->safe_psql('dst', q{SELECT current_step FROM sdbc.decide(2, 1, 'submit')}),
	'1', 'a restored case goes on: resubmitted after its send-back');
# as many built-in rows as a fresh CREATE EXTENSION makes, none twice
$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION sdbc CASCADE');
for my $t ('policy', 'policy_key', 'service_matter', 'office', 'route')
{
	is($node->safe_psql('dst', "SELECT count(*) FROM sdbc.$t WHERE builtin"),
		$node->safe_psql('fresh', "SELECT count(*) FROM sdbc.$t WHERE builtin"),
		"built-in $t rows are not duplicated");
}
is($node->safe_psql('dst', $lookups_sql), '3000|350|180|1', 'lookups after the restore');

# The identity sequence continues past the restored rows.
$node->safe_psql('dst', q{INSERT INTO sdbc.policy (key, division, valid_from, value)
                          VALUES ('expense.small_limit', '6529', '2024-01-01', 4000)});
is($node->safe_psql('dst', 'SELECT count(DISTINCT policy_id) = count(*) FROM sdbc.policy'),
	't', 'new rows get fresh ids after restore');

# Built-in rows stay protected in the restored database.
my ($ret, $out, $err) = $node->psql('dst',
	q{UPDATE sdbc.policy SET value = 1 WHERE builtin});
like($err, qr/cannot update built-in rows of policy/, 'built-in rows read-only after restore');

$node->stop;
done_testing();
