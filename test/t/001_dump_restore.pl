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
});

# Everything a restore must reproduce, as one text per table.
my $snapshot_sql = q{
  SELECT 'division', count(*), md5(string_agg(d::text, '|' ORDER BY code)) FROM sdbc.division d
  UNION ALL
  SELECT 'policy', count(*), md5(string_agg(format('%s %s %s %s %s %s', key, division, valid_from, value, builtin, note), '|'
                                             ORDER BY key, division NULLS FIRST, valid_from)) FROM sdbc.policy
  UNION ALL
  SELECT 'policy_key', count(*), md5(string_agg(k::text, '|' ORDER BY key)) FROM sdbc.policy_key k
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
is($node->safe_psql('dst', 'SELECT count(*) FROM sdbc.policy WHERE builtin'),
	'12', 'built-in policy rows are not duplicated');
is($node->safe_psql('dst', 'SELECT count(*) FROM sdbc.policy_key WHERE builtin'),
	'12', 'built-in policy keys are not duplicated');
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
