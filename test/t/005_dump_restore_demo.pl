# Dump and restore of the full demo (issue 8, R14.1): the Aksu demo of
# test/demo/main.sql (1,465 divisions, 310,000 households, 852,000 residents,
# staff, cases, money, evaluation, facilities) plus policy, catalogue,
# calendar, grant and role rows a user adds; pg_dump -Fc, pg_restore into a
# fresh database (the restore runs CREATE EXTENSION), then every table and
# view of the extension's schemas compared, row count and an order-independent
# checksum of the whole content; built-in rows as in a fresh install; hash
# chains; sequences; RLS policies and grants.  About 2–3 minutes.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;
use IPC::Run;
use Time::HiRes qw(time);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $started = time;
my $top = File::Spec->rel2abs(dirname(__FILE__) . '/../..');
ok(-f "$top/test/demo/main.sql" && -f "$top/test/data/aksu_divisions.csv",
	'the demo scripts and the division codes are there')
  or BAIL_OUT("test/demo/main.sql or test/data/aksu_divisions.csv not found under $top");

my $node = PostgreSQL::Test::Cluster->new('dump_demo');
$node->init;
$node->append_conf('postgresql.conf', "shared_buffers = 256MB\nmax_wal_size = 2GB\n");
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE src');

# ---------------------------------------------------------------- the demo
# As `bash test/run.sh demo` runs it: psql -f test/demo/main.sql from the top
# of a tree (the CSV path is relative to psql's working directory, and the
# demo writes its SVG charts to out/).  Here the working directory is a temp
# dir whose test/ links to the tree's, so out/ lands in the temp dir.
my $work = PostgreSQL::Test::Utils::tempdir('demo');
symlink("$top/test", "$work/test") or die "symlink $work/test: $!";
my ($demo_out, $demo_err) = ('', '');
my $phase = time;
my $demo_ok = IPC::Run::run(
	[ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('src'), '-f', "$top/test/demo/main.sql" ],
	'<', \'', '>', \$demo_out, '2>', \$demo_err,
	init => sub { chdir $work or die "chdir $work: $!" },
	IPC::Run::timeout(20 * $PostgreSQL::Test::Utils::timeout_default));
my $demo_secs = time - $phase;
ok($demo_ok, sprintf('the demo (test/demo/main.sql) loads without error (%.0f s)', $demo_secs))
  or BAIL_OUT("demo failed:\n$demo_err");
like($demo_out, qr/written: out\/grid_sizes\.svg/, 'the demo ran to its last section');
ok(-s "$work/out/street_grades.svg", 'the demo wrote its charts to the working directory, not the tree');

# ------------------------------------------------- what a user adds on top
# Policy (a county raises the merit cap and a community score uses it; a new
# key and its value; a national change to come), catalogue (a county
# department, its route and devolved matter; a room kind), calendar days, a
# role mapping and grants.  The merit score comes back before the policy row
# that allows it (pg_dump orders extension data by foreign key only).
$node->safe_psql('src', q{
  SET search_path = sdbc, public;
  INSERT INTO policy (key, division, valid_from, value, note)
    VALUES ('evaluation.merit.max', '652901', '2014-01-01', 8, '县里提高绩优加分上限');
  INSERT INTO policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh)
    VALUES ('patrol.cars.min', 'R12.3', 'persons', 0, 10, 'patrol cars per community', '每社区巡逻车数');
  INSERT INTO policy (key, division, valid_from, value) VALUES ('patrol.cars.min', '6529', '2016-01-01', 1);
  INSERT INTO policy (key, division, valid_from, value, note)
    VALUES ('grid.households.min', NULL, '2030-01-01', 180, 'national change');
  INSERT INTO office (office, level, name_zh, name_en) VALUES ('county_education', 3, '县教育局', 'county education bureau');
  INSERT INTO route (route_code, version, case_kind, name_zh, name_en)
    VALUES ('devolved_education', 1, 'service', '社区初审、县教育局审批', 'education');
  INSERT INTO route_step (route_code, version, step_no, office, action, quorum, name_zh, name_en) VALUES
    ('devolved_education', 1, 1, 'community_handler', 'review', 'any', '社区初审', 'community review'),
    ('devolved_education', 1, 2, 'county_education', 'decide', 'any', '县教育局审批', 'county decides');
  INSERT INTO service_matter (matter_code, county, name_zh, name_en, final_office, documents, time_limit_days, route_code)
    VALUES ('school_subsidy', '652901', '困难学生资助', 'school subsidy', 'county_education', '{申请表}', 20, 'devolved_education');
  INSERT INTO room_kind (room_kind, name_zh, name_en) VALUES ('elder_canteen', '老年食堂', 'canteen for the elderly');
  INSERT INTO calendar_day (day, working, name) VALUES ('2030-10-01', false, '国庆节'), ('2030-09-29', true, '国庆调休');
  CREATE ROLE t005_loader NOLOGIN;
  GRANT EXECUTE ON FUNCTION sdbc.report_refresh() TO t005_loader;
  GRANT SELECT ON sdbc.drill TO t005_loader;
  INSERT INTO role_division (role_name, division, note) VALUES ('t005_loader', '652901', 'loads the county''s data');
});
# (a new transaction: the policy cache reads the raised cap after commit)
is($node->safe_psql('src', q{
  SET search_path = sdbc, public;
  UPDATE community_score SET merit = 7
   WHERE (period_code, community) = (SELECT period_code, community FROM community_score
                                      WHERE community <@ '652901' ORDER BY period_code, community LIMIT 1)
  RETURNING merit;
}), '7', 'a score uses the cap the county raised');
$node->safe_psql('src', 'SELECT sdbc.report_refresh()');

my %src_max = split /\|/, $node->safe_psql('src', q{
  SELECT concat_ws('|', 'staff', (SELECT max(staff_id) FROM sdbc.staff), 'expense', (SELECT max(expense_id) FROM sdbc.expense),
                   'case', (SELECT max(case_id) FROM sdbc.approval_case), 'decision', (SELECT max(decision_id) FROM sdbc.decision),
                   'policy', (SELECT max(policy_id) FROM sdbc.policy), 'cases', (SELECT count(*) FROM sdbc.approval_case))
});
cmp_ok($src_max{cases}, '>', 500, "the demo made cases to restore ($src_max{cases})");

# ---------------------------------------------------------------- dump, restore
my $dump = $node->basedir . '/src.dump';
$phase = time;
$node->command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('src'), '-f', $dump ], 'pg_dump -Fc of the demo');
my $dump_secs = time - $phase;
$node->safe_psql('postgres', 'CREATE DATABASE dst');
is($node->safe_psql('dst', q{SELECT count(*) FROM pg_extension WHERE extname IN ('sdbc', 'postgis')}), '0',
	'the target database is empty: the restore creates the extensions');
$phase = time;
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst'), $dump ],
	'pg_restore into a fresh database, stopping at the first error');
my $restore_secs = time - $phase;
is($node->safe_psql('dst', q{SELECT extversion FROM pg_extension WHERE extname = 'sdbc'}),
	$node->safe_psql('src', q{SELECT extversion FROM pg_extension WHERE extname = 'sdbc'}),
	'the restore created the extension, same version');

# A fresh install, for the built-in rows.
$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'SET client_min_messages = warning; CREATE EXTENSION sdbc CASCADE');

# Documented (docs/reporting.md, "Refresh"): the key-figures snapshot is an
# extension member, not dumped: empty after a restore until report_refresh().
is($node->safe_psql('dst', 'SELECT count(*) FROM sdbc_report.key_figures'), '0',
	'the key-figures snapshot starts empty after the restore, as documented');
$node->safe_psql('dst', 'SELECT sdbc.report_refresh()');

# ---------------------------------------------------------------- helpers
# Run one script with psql in several databases at once; their outputs.
sub psql_each
{
	my ($sql, @dbs) = @_;
	my (%in, %out, %err, @runs);
	for my $db (@dbs)
	{
		# one input per run: IPC::Run consumes the scalar it sends
		($in{$db}, $out{$db}, $err{$db}) = ($sql, '', '');
		push @runs, [ $db, IPC::Run::start(
			[ 'psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr($db) ],
			'<', \$in{$db}, '>', \$out{$db}, '2>', \$err{$db},
			IPC::Run::timeout(10 * $PostgreSQL::Test::Utils::timeout_default)) ];
	}
	for my $run (@runs)
	{
		my ($db, $h) = @$run;
		$h->finish or die "psql in $db failed: $err{$db}";
		chomp $out{$db};
	}
	return map { $out{$_} } @dbs;
}

# "key|rest" lines into a hash.
sub by_key
{
	my %h;
	for (split /\n/, shift)
	{
		my ($k, $v) = split /\|/, $_, 2;
		die "duplicate key $k" if exists $h{$k};
		$h{$k} = $v;
	}
	return \%h;
}

# ------------------------------------------------ every table and view, digested
# For each table, view and materialised view of the schemas the extension
# owns: the row count and md5 over the sorted md5s of the rows' text (order
# independent, whole rows).  Tables with shipped rows in two parts: the
# user's rows whole, the built-in ones without columns that hold the install
# time (route.created_at).  The key figures without refreshed_at (the time of
# their snapshot).  Not compared: the three lock tables, internal row locks
# whose rows the triggers create on demand (checked below).
my @lock_tables = qw(grid_write_lock staff_absence_lock staff_limit_lock);
my $digest_sql = q{
  CREATE FUNCTION pg_temp.digest() RETURNS TABLE (name text, n bigint, h text) LANGUAGE plpgsql AS $$
  DECLARE
    r record;
    q constant text := 'SELECT %L::text, count(*), md5(coalesce(string_agg(md5(%s), '''' ORDER BY md5(%s)), '''')) FROM %s x %s';
  BEGIN
    FOR r IN SELECT c.oid::regclass::text || CASE WHEN c.relkind IN ('v', 'm') THEN ' (view)' ELSE '' END AS label,
                    c.oid::regclass AS t,
                    EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'builtin' AND NOT a.attisdropped) AS has_builtin,
                    EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'refreshed_at' AND NOT a.attisdropped) AS snapshot,
                    coalesce((SELECT array_agg(a.attname::text) FROM pg_attrdef d
                                JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                               WHERE d.adrelid = c.oid AND pg_get_expr(d.adbin, d.adrelid) ~* 'now\(\)|current_timestamp'), '{}') AS install_time
               FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
              WHERE s.nspname IN (SELECT nspname FROM pg_namespace WHERE nspname = 'sdbc' OR oid IN
                                   (SELECT objid FROM pg_depend WHERE classid = 'pg_namespace'::regclass AND deptype = 'e'
                                       AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sdbc')))
                AND c.relkind IN ('r', 'p', 'v', 'm')
                AND c.relname <> ALL (string_to_array(:'lock_tables', ' '))
              ORDER BY 1 LOOP
      IF r.has_builtin THEN
        RETURN QUERY EXECUTE format(q, r.label || ' (user rows)', 'x::text', 'x::text', r.t, 'WHERE NOT x.builtin');
        RETURN QUERY EXECUTE format(q, r.label || ' (built-in rows)', '(to_jsonb(x) - $1)::text', '(to_jsonb(x) - $1)::text', r.t, 'WHERE x.builtin')
          USING r.install_time;
      ELSIF r.snapshot THEN
        RETURN QUERY EXECUTE format(q, r.label, '(to_jsonb(x) - ''refreshed_at'')::text', '(to_jsonb(x) - ''refreshed_at'')::text', r.t, '');
      ELSE
        RETURN QUERY EXECUTE format(q, r.label, 'x::text', 'x::text', r.t, '');
      END IF;
    END LOOP;
  END $$;
  SELECT name || '|' || n || '|' || h FROM pg_temp.digest() ORDER BY name;
};
my $lock_list = join ' ', @lock_tables;
$digest_sql =~ s/:'lock_tables'/'$lock_list'/;
$phase = time;
my ($digest_src, $digest_dst, $digest_fresh) = map { by_key($_) } psql_each($digest_sql, 'src', 'dst', 'fresh');
my $compare_secs = time - $phase;

# Known defect (not in this branch's files, sql/service/service_hall.sql, then 89_service_hall.sql, existed
# in release 0.1.0): the INSERT trigger sdbc.task_assignment_check()
# recomputes status and basis from the access list and clears refusals, also
# for a restored row; sdbc.task_assignment comes back before sdbc.task_type
# (no foreign key between them), so every restored task is "refusable, not on
# the county's access list" and the communities' refusals (R1.3) are gone.
my ($tables, $rows, $views, %base) = (0, 0, 0);
for my $name (sort keys %$digest_src)
{
	my ($n) = split /\|/, $digest_src->{$name};
	if ($name =~ / \(view\)/) { $views++ }
	else { $tables++; $rows += $n; $base{ $name =~ s/ \(.*//r } = 1 }
	is($digest_dst->{$name}, $digest_src->{$name}, "$name: same count and content after restore ($n rows)");
}
is(join(',', sort grep { !exists $digest_src->{$_} } keys %$digest_dst), '',
	'no table or view after the restore that was not there before');
note(sprintf('compared %d tables (%d parts) with %d rows, and %d views', scalar(keys %base), $tables, $rows, $views));
is(scalar(keys %base), $node->safe_psql('src', q{
  SELECT count(*) - } . scalar(@lock_tables) . q{ FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
   WHERE s.nspname IN ('sdbc', 'sdbc_report') AND c.relkind IN ('r', 'p')}),
	'every table of the extension\'s schemas compared but the lock tables (' . scalar(keys %base) . ')');
cmp_ok($rows, '>', 1_200_000, "the comparison covers the demo's rows ($rows)");
cmp_ok($views, '>=', 40, "and the views, sdbc_report's among them ($views)");
like($digest_src->{'sdbc.resident'}, qr/^8\d{5}\|/, 'the residents of the demo were compared');
like($digest_src->{'sdbc_report.key_figures (view)'}, qr/^[1-9]\d+\|/, 'the key figures were compared, after the refresh');
like($digest_src->{'sdbc.policy (user rows)'}, qr/^3\|/, "the user's policy rows were compared");
like($digest_src->{'sdbc.calendar_day (user rows)'}, qr/^2\|/, "the user's calendar days were compared");
like($digest_src->{'sdbc.calendar_day (built-in rows)'}, qr/^1\d\d\|/, 'the built-in calendar days (the published arrangements) were compared');

# The tables the dump leaves out are exactly the lock tables, the lookup
# tables CREATE EXTENSION fills (compared above; sdbc.delete_right, 0.3.0,
# holds the staff roles' delete rights), and the snapshot.
is($node->safe_psql('src', q{
  SELECT string_agg(c.relname, ' ' ORDER BY c.relname)
    FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace, pg_extension e
   WHERE e.extname = 'sdbc' AND s.nspname IN ('sdbc', 'sdbc_report') AND c.relkind IN ('r', 'p', 'm')
     AND c.oid <> ALL (e.extconfig)}),
	'delete_right division_kind grid_class grid_write_lock report_key_figures staff_absence_lock staff_limit_lock urban_rural_class',
	'not dumped: lookup tables, lock tables and the key-figures snapshot only');

# ---------------------------------------------------------------- built-in rows
# As many, and the same, as a fresh CREATE EXTENSION makes: none twice.
my $builtin_parts = 0;
for my $name (sort grep { / \(built-in rows\)$|^sdbc\.(delete_right|division_kind|grid_class|urban_rural_class)$/ } keys %$digest_fresh)
{
	$builtin_parts++;
	is($digest_dst->{$name}, $digest_fresh->{$name}, "$name: as in a fresh install, not duplicated");
}
cmp_ok($builtin_parts, '>=', 10, "built-in rows of every table that ships them ($builtin_parts)");

# ---------------------------------------------------------------- catalogue
# Grants (relations, functions, schemas), RLS switches and policies, and the
# sequences, as the catalogue has them.
my $catalog_sql = q{
  SELECT 'relations|' || md5(string_agg(format('%s %s acl=%s rls=%s/%s', c.oid::regclass, c.relkind, c.relacl, c.relrowsecurity, c.relforcerowsecurity), E'\n' ORDER BY c.oid::regclass::text))
         || '|' || count(*) || '|' || count(*) FILTER (WHERE c.relrowsecurity)
    FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname IN ('sdbc', 'sdbc_report')
  UNION ALL
  SELECT 'policies|' || md5(string_agg(format('%s %s %s %s roles=%s using=%s check=%s', p.polrelid::regclass, p.polname, p.polcmd, p.polpermissive,
                                              (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END, ',' ORDER BY 1) FROM unnest(p.polroles) r),
                                              pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)), E'\n'
                                       ORDER BY p.polrelid::regclass::text, p.polname)) || '|' || count(*)
    FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace s ON s.oid = c.relnamespace
   WHERE s.nspname IN ('sdbc', 'sdbc_report')
  UNION ALL
  SELECT 'functions|' || md5(string_agg(format('%s acl=%s definer=%s config=%s', p.oid::regprocedure, p.proacl, p.prosecdef, p.proconfig), E'\n'
                                        ORDER BY p.oid::regprocedure::text)) || '|' || count(*) || '|' || count(*) FILTER (WHERE p.proacl IS NOT NULL)
    FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname IN ('sdbc', 'sdbc_report')
  UNION ALL
  SELECT 'schemas|' || string_agg(format('%s acl=%s', nspname, nspacl), ' ' ORDER BY nspname)
    FROM pg_namespace WHERE nspname IN ('sdbc', 'sdbc_report')
  UNION ALL
  SELECT 'sequences|' || md5(string_agg(format('%s.%s %s', schemaname, sequencename, last_value), E'\n' ORDER BY sequencename)) || '|' || count(*)
    FROM pg_sequences WHERE schemaname IN ('sdbc', 'sdbc_report')
  UNION ALL
  SELECT 'members|' || count(*) FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
     AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sdbc')
  ORDER BY 1
};
my ($cat_src, $cat_dst) = map { by_key($_) } psql_each($catalog_sql, 'src', 'dst');
for my $what (sort keys %$cat_src)
{
	is($cat_dst->{$what}, $cat_src->{$what}, "catalogue, $what: the same after restore");
}
like($cat_src->{policies}, qr/\|([2-9]\d|\d{3,})$/, "the RLS policies compared ($cat_src->{policies})");
like($cat_src->{relations}, qr/\|\d+\|[1-9]\d*$/, 'tables with row-level security among the relations compared');
like($cat_src->{sequences}, qr/\|([2-9]\d)$/, 'every sequence compared');
is($node->safe_psql('dst', q{SELECT has_function_privilege('t005_loader', 'sdbc.report_refresh()', 'EXECUTE')
                                  AND has_table_privilege('t005_loader', 'sdbc.drill', 'SELECT')
                                  AND NOT has_function_privilege('public', 'sdbc.report_refresh()', 'EXECUTE')}),
	't', "the user's grants survive, the extension's revokes too");

# ---------------------------------------------------------------- after the restore
is($node->safe_psql('dst',
	'SELECT count(*) FROM sdbc.approval_case c WHERE EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))'),
	'0', "every case's decision chain verifies after restore");
is($node->safe_psql('dst', 'SELECT count(*) FROM sdbc.approval_case'), $src_max{cases}, 'all cases checked');
is($node->safe_psql('dst', q{
  SELECT sdbc.policy_value('evaluation.merit.max', '652901001001', '2024-12-31') || ' ' ||
         sdbc.policy_value('patrol.cars.min', '652901001001', '2024-01-01') || ' ' ||
         sdbc.policy_value('grid.households.min', '652901001001', '2030-06-01') || ' ' ||
         sdbc.is_working_day('2030-09-29') || ' ' || sdbc.is_working_day('2030-10-01')}),
	'8 1 180 true false', "the user's policy and calendar are in force after restore");

# Every sequence continues past its table's largest id.
is($node->safe_psql('dst', q{
  CREATE FUNCTION pg_temp.behind() RETURNS SETOF text LANGUAGE plpgsql AS $$
  DECLARE r record; top bigint;
  BEGIN
    FOR r IN SELECT d.objid::regclass AS seq, d.refobjid::regclass AS t, a.attname
               FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
               JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
               JOIN pg_namespace n ON n.oid = s.relnamespace
              WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                AND d.deptype IN ('a', 'i') AND n.nspname = 'sdbc' LOOP
      EXECUTE format('SELECT max(%I) FROM %s', r.attname, r.t) INTO top;
      IF top IS NOT NULL AND top > coalesce((SELECT last_value FROM pg_sequences
                                              WHERE format('%I.%I', schemaname, sequencename)::regclass = r.seq), 0) THEN
        RETURN NEXT r.seq::text;
      END IF;
    END LOOP;
  END $$;
  SELECT count(*) || ' ' || coalesce(string_agg(b, ','), 'none') FROM pg_temp.behind() b}),
	'0 none', 'no sequence behind its table');
my $new = $node->safe_psql('dst', q{
  SET search_path = sdbc, public;
  INSERT INTO staff (name, division) VALUES ('恢复后新人', '652901001001');
  INSERT INTO policy (key, division, valid_from, value) VALUES ('expense.small_limit', '652901', '2031-01-01', 4000);
  SELECT (SELECT max(staff_id) FROM staff) || '|' || (SELECT max(policy_id) FROM policy) || '|' ||
         submit_expense(a.account_id, '办公用品', '文具店', 120,
                        (SELECT min(m.staff_id) FROM office_member m WHERE m.office = 'community_handler' AND m.division = a.community))
    FROM account a WHERE a.kind = 'working' ORDER BY a.account_id LIMIT 1;
});
my ($new_staff, $new_policy, $new_expense) = split /\|/, $new;
cmp_ok($new_staff, '>', $src_max{staff}, "a new staff member after restore gets a fresh id ($new_staff)");
# The lock tables were not restored: their rows come on demand.
is($node->safe_psql('dst', qq{
  INSERT INTO sdbc.absence (staff_id, during, reason) VALUES ($new_staff, '[2031-01-06, 2031-01-08)', 'leave');
  SELECT count(*) FROM sdbc.staff_absence_lock WHERE staff_id = $new_staff}),
	'1', 'an absence after restore takes its lock row (sdbc.staff_absence_lock, not dumped)');
cmp_ok($new_policy, '>', $src_max{policy}, "a new policy row gets a fresh id ($new_policy)");
cmp_ok($new_expense, '>', $src_max{expense}, "a new expense gets a fresh id ($new_expense)");
my ($new_case, $new_decision) = split /\|/, $node->safe_psql('dst', qq{
  SELECT e.case_id || '|' || (SELECT max(d.decision_id) FROM sdbc.decision d WHERE d.case_id = e.case_id)
    FROM sdbc.expense e WHERE e.expense_id = $new_expense});
cmp_ok($new_case, '>', $src_max{case}, "its case gets a fresh id ($new_case)");
cmp_ok($new_decision, '>', $src_max{decision}, "its submit decision gets a fresh id ($new_decision)");
is($node->safe_psql('dst', "SELECT count(*) FROM sdbc.verify_chain($new_case)"), '0', 'and its chain verifies');

# Built-in rows stay protected in the restored database.
my ($ret, $out, $err) = $node->psql('dst', q{UPDATE sdbc.policy SET value = 1 WHERE builtin});
like($err, qr/cannot update built-in rows of policy/, 'built-in policy rows are still read-only after restore');

note(sprintf('timings: demo %.0f s, pg_dump %.0f s, pg_restore %.0f s, comparison %.0f s, whole test %.0f s',
	$demo_secs, $dump_secs, $restore_secs, $compare_secs, time - $started));

$node->stop;
done_testing();
