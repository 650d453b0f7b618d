# Updates (issue 8, docs/upgrades.md): every earlier release, installed and
# then updated with ALTER EXTENSION sdbc UPDATE, equals a fresh install of
# this one — every object, privilege, comment, policy and shipped row
# (test/t/catalog_describe.sql reads the catalogs, since pg_dump -s leaves
# extension members out) — and a database with data keeps it, keeps working
# and can be dumped and restored into a fresh install (R14.1: the user's
# policy rows survive, the built-in ones are not duplicated).
use strict;
use warnings;
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my @earlier = ('0.1.0', '0.2.0');
my $describe = slurp_file(dirname(__FILE__) . '/catalog_describe.sql');

# Two clusters: the roles the extension ships are cluster-wide, so a fresh
# install must not share them with the updated one.
my $fresh = PostgreSQL::Test::Cluster->new('fresh');
$fresh->init;
$fresh->start;
my $old = PostgreSQL::Test::Cluster->new('old');
$old->init;
$old->start;

$fresh->safe_psql('postgres', 'CREATE DATABASE fresh');
$fresh->safe_psql('fresh', 'CREATE EXTENSION sdbc CASCADE');
my $version = $fresh->safe_psql('fresh', q{SELECT extversion FROM pg_extension WHERE extname = 'sdbc'});
my $expected = $fresh->safe_psql('fresh', $describe);
my $lines = () = $expected =~ /\n/g;
cmp_ok($lines, '>', 4000, "the description of a fresh install of $version has $lines lines");

foreach my $from (@earlier)
{
	my $db = "bare_$from" =~ s/\./_/gr;
	$old->safe_psql('postgres', "CREATE DATABASE $db");
	$old->safe_psql($db, "CREATE EXTENSION sdbc VERSION '$from' CASCADE");
	is($old->safe_psql($db, q{SELECT extversion FROM pg_extension WHERE extname = 'sdbc'}), $from,
		"$from installs");
	$old->safe_psql($db, 'ALTER EXTENSION sdbc UPDATE');
	is($old->safe_psql($db, q{SELECT extversion FROM pg_extension WHERE extname = 'sdbc'}), $version,
		"$from updates to $version");
	my $got = $old->safe_psql($db, $describe);
	is($got, $expected, "$from updated to $version equals a fresh install of $version");
	if ($got ne $expected)
	{
		# the lines that differ, for the log
		my %want = map { $_ => 1 } split /\n/, $expected;
		my %have = map { $_ => 1 } split /\n/, $got;
		diag("only after the update: $_") foreach grep { !$want{$_} } sort keys %have;
		diag("only in a fresh install: $_") foreach grep { !$have{$_} } sort keys %want;
	}
}

# A database of 0.1.0 with data: the registry, user policy, money, a case
# sent back and an application — written through 0.1.0's functions.
$old->safe_psql('postgres', 'CREATE DATABASE data');
$old->safe_psql('data', q{
  CREATE EXTENSION sdbc VERSION '0.1.0' CASCADE;
  INSERT INTO sdbc.division (code, name, key_complex) VALUES
    ('65', '新疆维吾尔自治区', false), ('6529', '阿克苏地区', false), ('652901', '阿克苏市', false),
    ('652901001', '兰干街道', false), ('652901001001', '前进社区居民委员会', true);
  INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh)
    VALUES ('patrol.cars.min', 'R12.3', 'persons', 0, 10, 'patrol cars per community', '每社区巡逻车数');
  INSERT INTO sdbc.policy (key, division, valid_from, value, note) VALUES
    ('expense.small_limit', '652901', '2020-01-01', 3000, 'county decision'),
    ('grid.households.max', '652901001', '2023-01-01', 350, NULL),
    ('patrol.cars.min', '6529', '2016-01-01', 1, NULL);
  UPDATE sdbc.division SET boundary = ST_Multi(ST_GeomFromText(
    'POLYGON((80.250 41.160, 80.260 41.160, 80.260 41.170, 80.250 41.170, 80.250 41.160))', 4490))
   WHERE code OPERATOR(sdbc.=) '652901001001';
  INSERT INTO sdbc.building (community, address, households, location)
  SELECT '652901001001', 'B' || i, 20 + i % 7,
         ST_SetSRID(ST_MakePoint(80.2505 + (i % 10) * 0.001, 41.1605 + (i / 10) * 0.001), 4490)
    FROM generate_series(0, 99) i;
  INSERT INTO sdbc.household (building_id, rental) SELECT building_id, s % 5 = 0 FROM sdbc.building, generate_series(1, households) s;
  INSERT INTO sdbc.resident (household_id, id_number, name)
  SELECT household_id, sdbc.idcard_make('652901', date '1980-01-01' + household_id::int, 1), '居民' || household_id
    FROM sdbc.household;
  SELECT count(*) FROM sdbc.grid_draw('652901001001', '2024-01-01');
  INSERT INTO sdbc.staff (name, division) VALUES ('经办甲', '652901001001'), ('经办乙', '652901001001'),
    ('经办丙', '652901001001'), ('财务丁', '652901001001'), ('街财戊', '652901001');
  INSERT INTO sdbc.office_member (staff_id, office, division, valid_from) VALUES
    (1, 'community_handler', '652901001001', '2020-01-01'), (2, 'community_handler', '652901001001', '2020-01-01'),
    (3, 'community_handler', '652901001001', '2020-01-01'), (4, 'community_finance_lead', '652901001001', '2020-01-01'),
    (5, 'street_finance_office', '652901001', '2020-01-01');
  INSERT INTO sdbc.account (community, kind, name) VALUES ('652901001001', 'working', '工作经费');
  SELECT sdbc.credit(1, 10000, '拨款');
  -- what 0.1.0 let in and 0.2.0 refuses: a NaN credit (on an account of its own)
  INSERT INTO sdbc.account (community, kind, name) VALUES ('652901001001', 'service', '服务经费');
  SELECT sdbc.credit(2, 'NaN', '坏数据');
  SELECT sdbc.submit_expense(1, '办公', '文具店', 1200, 1), sdbc.submit_expense(1, '维修', '建筑队', 800, 1);
  SELECT sdbc.sign(1, 2), sdbc.sign(1, 3);
  SELECT sdbc.sign(1, 4);
  SELECT sdbc.sign(1, 5);
  SELECT sdbc.pay(1, 5);
  SELECT sdbc.sign(2, 2);
  SELECT sdbc.decide(2, 3, 'send_back', '缺发票', 0);
  SELECT sdbc.apply('public_housing', 1, 1,
                    (SELECT documents FROM sdbc.service_matter WHERE matter_code = 'public_housing'), 'handle_for');
});

# Each table's rows, as JSON restricted to the columns it had before the
# update (new columns are compared with a fresh install above); built-in
# rows are left out (their ids are renumbered by the update, 99_builtin_ids).
my $columns_sql = q{
  SELECT jsonb_object_agg(c.relname, (SELECT jsonb_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
                                        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                          -- (0.3.0 names the grids: checked on its own below)
                                          AND NOT (c.relname = 'grid' AND a.attname = 'name')))
    FROM pg_class c WHERE c.relnamespace = 'sdbc'::regnamespace AND c.relkind = 'r'
};
sub digest_sql
{
	my ($columns) = @_;
	return qq{
  CREATE FUNCTION pg_temp.digest(cols jsonb) RETURNS TABLE (name text, n bigint, h text) LANGUAGE plpgsql AS \$\$
  DECLARE
    r record;
  BEGIN
    FOR r IN SELECT key AS relname, value AS c,
                    -- built-in rows are left out wherever the table has them now
                    -- (sdbc.calendar_day gained built-in rows in 0.3.0)
                    EXISTS (SELECT 1 FROM pg_attribute a
                             WHERE a.attrelid = pg_catalog.format('sdbc.%I', key)::regclass
                               AND a.attname = 'builtin' AND NOT a.attisdropped) AS has_builtin
               FROM jsonb_each(cols) ORDER BY 1 LOOP
      RETURN QUERY EXECUTE format(
        'SELECT %L::text, count(*), md5(coalesce(string_agg(x, %L ORDER BY x), %L))
           FROM (SELECT (SELECT jsonb_object_agg(k, v) FROM jsonb_each(to_jsonb(t)) e(k, v)
                          WHERE k IN (SELECT jsonb_array_elements_text(%L::jsonb)))::text AS x
                   FROM sdbc.%I t %s) s',
        r.relname, '|', '', r.c, r.relname, CASE WHEN r.has_builtin THEN 'WHERE NOT t.builtin' ELSE '' END);
    END LOOP;
  END \$\$;
  SELECT name || '|' || n || '|' || h FROM pg_temp.digest('$columns');
};
}
my $columns = $old->safe_psql('data', $columns_sql);
my $grid_names_sql = q{SELECT count(*) || ' grids, ' || count(*) FILTER (WHERE name = format('第%s网格', grid_code % 1000)) || ' named 第N网格' FROM sdbc.grid};
my $grids_before = $old->safe_psql('data', 'SELECT count(*) FROM sdbc.grid');
cmp_ok($grids_before, '>', 0, 'the old database has grids');
my $before = $old->safe_psql('data', digest_sql($columns));
my $lookups_sql = q{
  SELECT sdbc.policy_value('expense.small_limit', '652901001001', '2024-01-01'),
         sdbc.policy_value('grid.households.max', '652901001001', '2024-01-01'),
         sdbc.policy_value('patrol.cars.min', '652901001001', '2024-01-01'),
         sdbc.policy_value('grid.households.max', '652901001001', '2022-01-01')
};
my $lookups = $old->safe_psql('data', $lookups_sql);
is($lookups, '3000|350|1|300', 'policy lookups on 0.1.0');

my ($rc, $update_out, $update_err) = $old->psql('data', 'ALTER EXTENSION sdbc UPDATE');
is($rc, 0, 'the update runs on a database that holds a NaN credit');
like($update_err, qr/WARNING:  sdbc.account_entry holds rows of 0.1.0 that break account_entry_finite/,
	'the update warns of the NaN credit, with the query to find it');
is($old->safe_psql('data', q{SELECT conname || ':' || convalidated FROM pg_constraint
                              WHERE conname IN ('account_entry_finite', 'expense_amount_finite') ORDER BY 1}),
	"account_entry_finite:false\nexpense_amount_finite:true", 'only the broken constraint is left NOT VALID');
($rc, $update_out, $update_err) = $old->psql('data', q{SELECT sdbc.credit(2, 'NaN', 'again')});
like($update_err, qr/violates check constraint "account_entry_finite"/, 'a new NaN credit is refused after the update');
is($old->safe_psql('data', q{SELECT extversion FROM pg_extension WHERE extname = 'sdbc'}), $version,
	"the database with data updates to $version");
is($old->safe_psql('data', digest_sql($columns)), $before, 'every table keeps its rows through the update');
is($old->safe_psql('data', $grid_names_sql), "$grids_before grids, $grids_before named 第N网格",
	'the update names every grid 第N网格 after its sequence (issue 15 §6)');
like($before, qr/^decision\|9\|/m, 'the comparison held the decisions (expense 1: 5, expense 2: 3, application: 1)');
like($before, qr/^resident\|\d{4}\|/m, 'the comparison held the residents');
is($old->safe_psql('data', $lookups_sql), $lookups, 'policy lookups unchanged by the update');
is($old->safe_psql('data', q{SELECT count(*) FILTER (WHERE builtin AND policy_id < 0) = count(*) FILTER (WHERE builtin),
                                    count(*) FILTER (WHERE NOT builtin AND policy_id > 0)
                               FROM sdbc.policy}),
	't|3', 'built-in policy rows have fixed negative ids, the user\'s keep theirs');
is($old->safe_psql('data',
	'SELECT count(*) FROM sdbc.approval_case c WHERE EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))'),
	'0', 'no decision chain is broken by the update');

# It keeps working: the case sent back is resubmitted and signed through,
# a new expense takes the route, and 0.2.0's staff figures answer.
$old->safe_psql('data', q{
  SELECT sdbc.decide(2, 1, 'submit');
  SELECT sdbc.sign(2, 2), sdbc.sign(2, 3);
  SELECT sdbc.sign(2, 4);
  SELECT sdbc.sign(2, 5);
  SELECT sdbc.pay(2, 5);
  SELECT sdbc.submit_expense(1, '印刷', '印刷厂', 300, 1);
});
is($old->safe_psql('data', q{SELECT b.balance FROM sdbc.account_balance b WHERE b.account_id = 1}),
	'8000.00', 'the resubmitted expense is paid after the update');
is($old->safe_psql('data', q{SELECT count(*) FROM sdbc.expense e JOIN sdbc.approval_case c USING (case_id)
                              WHERE e.expense_id = 3 AND c.status = 'open' AND c.current_step = 1}),
	'1', 'a new expense starts on its route after the update');
is($old->safe_psql('data', q{SELECT count(*) > 0 FROM sdbc.staff_compliance(CURRENT_DATE)}),
	't', 'functions new in the update answer on old data');
is($old->safe_psql('data',
	'SELECT count(*) FROM sdbc.approval_case c WHERE EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))'),
	'0', 'the chains written after the update verify');

# Until then the NaN balance is not taken for enough money (it sorts above
# every amount): a payment from that account is refused.
$old->safe_psql('data', q{
  SELECT sdbc.submit_expense(2, '服务', '商户', 100, 1);
  SELECT sdbc.sign(4, 2), sdbc.sign(4, 3);
  SELECT sdbc.sign(4, 4);
  SELECT sdbc.sign(4, 5);
});
($rc, $update_out, $update_err) = $old->psql('data', q{SELECT sdbc.pay(4, 5)});
like($update_err, qr/account 2 has a balance that is not a number/, 'no payment from an account whose balance is NaN');

# The repair the warning asks for, before a dump can restore into 0.2.0.
$old->safe_psql('data', q{
  ALTER TABLE sdbc.account_entry DISABLE TRIGGER account_entry_insert_only;
  DELETE FROM sdbc.account_entry WHERE NOT (amount < 'Infinity');
  ALTER TABLE sdbc.account_entry ENABLE TRIGGER account_entry_insert_only;
  ALTER TABLE sdbc.account_entry VALIDATE CONSTRAINT account_entry_finite;
});
is($old->safe_psql('data', q{SELECT convalidated FROM pg_constraint WHERE conname = 'account_entry_finite'}),
	't', 'after the repair the constraint is validated');

# Dumped after the update and restored into a fresh install: the user's
# rows (policy ids included) do not collide with the built-in ones.
my $dump = $old->basedir . '/data.dump';
$old->command_ok([ 'pg_dump', '-Fc', '-d', $old->connstr('data'), '-f', $dump ],
	'pg_dump of the updated database');
$fresh->safe_psql('postgres', 'CREATE DATABASE restored');
$fresh->command_ok([ 'pg_restore', '--exit-on-error', '-d', $fresh->connstr('restored'), $dump ],
	'pg_restore into a fresh install');
my $now = $old->safe_psql('data', digest_sql($columns));
is($fresh->safe_psql('restored', digest_sql($columns)), $now, 'the restore holds every row of the updated database');
is($fresh->safe_psql('restored', q{SELECT count(*) FROM sdbc.policy WHERE builtin}),
	$fresh->safe_psql('fresh', q{SELECT count(*) FROM sdbc.policy WHERE builtin}),
	'built-in policy rows are not duplicated by the restore');

$old->stop;
$fresh->stop;
done_testing();
