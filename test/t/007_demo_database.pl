# The demo database as people meet it (issue 15 §1, §4).  Charts people can
# read: the demo's SVG charts render with a
# CJK font (Debian fonts-noto-cjk, named first in every font stack), nothing
# they draw runs past the canvas (rendered with rsvg-convert, Debian
# librsvg2-bin, by test/t/svg_inside.py), the grid-size bins respect the
# policy's inclusive bounds (R7.1), the expense chart has a legend, and two
# streets of the same name in different counties can be told apart (R5.2).
# And the example client of docs/examples works against the demo database
# as it does against a fresh one (t/003_example_client.pl).
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $top = abs_path(dirname(__FILE__) . '/../..');
my $checker = "$top/test/t/svg_inside.py";

# the tools and the font the charts need
for my $tool ('rsvg-convert', 'fc-list', 'python3')
{
	ok((grep { -x "$_/$tool" } split /:/, $ENV{PATH}), "$tool is installed")
	  or BAIL_OUT("$tool missing: test/run.sh installs librsvg2-bin, fontconfig and python3");
}
like(`fc-list : family`, qr/Noto Sans CJK SC/, 'the CJK font is installed (Debian fonts-noto-cjk)');

# the demo, as `bash test/run.sh demo` runs it, from the top of the tree
my $node = PostgreSQL::Test::Cluster->new('charts');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE sdbc_demo');
my $out_dir = "$top/out";
unlink glob("$out_dir/*.svg");
my $rc = system('sh', '-c', sprintf('cd %s && psql -X -q -v ON_ERROR_STOP=1 -h %s -p %s -d sdbc_demo -f test/demo/main.sql >%s 2>&1',
	$top, $node->host, $node->port, $node->basedir . '/demo.log'));
is($rc, 0, 'the demo runs to its end') or diag(slurp_file($node->basedir . '/demo.log'));

# The demo tells a true and complete story (issue 15 §5): every section is
# printed, the generated year reaches every report (overdue cases, visits
# on time, late and never), and every figure off the paper or policy carries
# its note.
my $log = slurp_file($node->basedir . '/demo.log');
my @missing = grep { $log !~ /^-- $_\. /m } 1 .. 26;
is("@missing", '', 'the demo prints all 26 sections');
for my $note (
	[ qr/temporary policy row expense\.backdate\.max_days = 366/, 'back-dating of expenses: the temporary policy row is announced' ],
	[ qr/temporary policy row service\.backdate\.max_days = 366/, 'back-dating of applications: the temporary policy row is announced' ],
	[ qr/Note: the what-if routes by amount alone/, '§12: the what-if note' ],
	[ qr/Note: generated, not the paper's figures: each street gets/, '§13: budget sinking note' ],
	[ qr/Note: the communities of the 11 streets/, '§14: minimum funds note' ],
	[ qr/Note: generated — the demo leaves recent cases waiting/, '§15: overdue note' ],
	[ qr/Note: R2\.4's violations are true of the paper's own figures/, '§18: R2.4 note' ],
	[ qr/Note: the visits are generated; the gaps are the generator's/, '§19: visits note' ],
	[ qr/Note: generated gaps, not the paper's: one community leaves a night shift open/, '§20: duty, drills, joint defence note' ],
	[ qr/Note: generated scores/, '§22: grades note' ],
	[ qr/Note: generated — premises of 650–1,650 m²/, '§24: premises and activities note' ])
{
	like($log, $note->[0], $note->[1]);
}
my $year = $node->safe_psql('sdbc_demo', 'SELECT extract(year FROM current_date)');
like($log, qr/^-- 14\. .*\n.*\n-+\+.*\n\s*$year \|\s*\d+ \|\s*\d+$/m, "§14 (minimum funds) is for this year, $year, as the evaluation (§22)");
like($log, qr/^-- 22\. Street grades, year-end $year /m, "§22 is for $year");
my %figure = map { split /=/ } split /\n/, $node->safe_psql('sdbc_demo', q{
  SELECT 'overdue_service=' || count(*) FILTER (WHERE case_kind = 'service') || chr(10) ||
         'overdue_expense=' || count(*) FILTER (WHERE case_kind = 'expense') FROM sdbc.case_overdue
  UNION ALL SELECT 'expense_days=' || (max(submitted_on) - min(submitted_on)) FROM sdbc.expense
  UNION ALL SELECT 'application_days=' || (max(applied_on) - min(applied_on)) FROM sdbc.service_application
  UNION ALL SELECT 'activity_months=' || count(DISTINCT m) FROM (SELECT month AS m FROM sdbc.monthly_theme
                                                                UNION SELECT date_trunc('month', held_on) FROM sdbc.activity) x
  UNION ALL SELECT 'drill_months=' || count(DISTINCT date_trunc('month', held_on)) FROM sdbc.drill
  UNION ALL SELECT 'key_late=' || count(*) FILTER (WHERE last_visit IS NOT NULL) || chr(10) ||
                   'key_never=' || count(*) FILTER (WHERE last_visit IS NULL) FROM sdbc.key_household_unvisited(current_date)
  UNION ALL SELECT 'key_households=' || count(DISTINCT household_id) FROM sdbc.resident WHERE key_population
  UNION ALL SELECT 'visits=' || count(*) FROM sdbc.household_visit
  UNION ALL SELECT 'demo_policy_rows=' || count(*) FROM sdbc.policy WHERE division::text = '652900000000'});
cmp_ok($figure{overdue_service}, '>', 0, "overdue applications in sdbc.case_overdue ($figure{overdue_service})");
cmp_ok($figure{overdue_expense}, '>', 0, "overdue expenses in sdbc.case_overdue ($figure{overdue_expense})");
cmp_ok($figure{expense_days}, '>=', 300, "expenses spread over the past year ($figure{expense_days} days)");
cmp_ok($figure{application_days}, '>=', 300, "applications spread over the past year ($figure{application_days} days)");
is($figure{activity_months}, 12, 'monthly themes and weekly activities over 12 months');
is($figure{drill_months}, 12, 'drills in each of 12 months');
cmp_ok($figure{visits}, '>', 0, "household visits recorded ($figure{visits})");
cmp_ok($figure{key_late}, '>', 0, "key-population households visited late ($figure{key_late})");
cmp_ok($figure{key_never}, '>', 0, "key-population households never visited ($figure{key_never})");
cmp_ok($figure{key_late} + $figure{key_never}, '<', $figure{key_households} / 2,
	'most key-population households are visited on time');
is($figure{demo_policy_rows}, 0, 'the temporary back-dating policy rows are gone');

my @charts = qw(grids grid_sizes staffing expense_routes street_grades);
my %svg;
for my $chart (@charts)
{
	my $file = "$out_dir/$chart.svg";
	ok(-s $file, "$chart.svg written") or next;
	$svg{$chart} = slurp_file($file);
	like($svg{$chart}, qr/<svg\b[^>]*font-family="Noto Sans CJK SC,/, "$chart.svg names the CJK font first");
	my $verdict = `python3 $checker $file 2>&1`;
	like($verdict, qr/^ok /, "$chart.svg: nothing drawn outside the canvas") or diag($verdict);
}

# grid sizes: no bin holds grids both inside and outside the policy band,
# a bin is coloured in-band exactly when it lies inside, and the bins count
# every grid
my ($lo, $hi, $grids) = split /\|/, $node->safe_psql('sdbc_demo', q{
  SELECT sdbc.policy_value('grid.households.min', '6529'), sdbc.policy_value('grid.households.max', '6529'),
         (SELECT count(*) FROM sdbc_report.grid_sizes)});
my @bins = $svg{grid_sizes} =~ /<rect class="bin" data-lo="(\d+)" data-hi="(\d+)" data-in-band="(true|false)"[^>]*height="([\d.]+)"/g;
cmp_ok(scalar(@bins) / 4, '>=', 5, 'grid sizes: the bars carry their bounds');
my ($straddle, $mislabelled) = (0, 0);
while (my ($blo, $bhi, $in) = splice(@bins, 0, 4))
{
	$straddle++ if ($blo < $lo && $bhi >= $lo) || ($blo <= $hi && $bhi > $hi);
	$mislabelled++ if ($in eq 'true') != ($blo >= $lo && $bhi <= $hi);
}
is($straddle, 0, "grid sizes: no bin straddles the band $lo–$hi (inclusive)");
is($mislabelled, 0, 'grid sizes: a bin is in the band exactly when its bounds are');
like($svg{grid_sizes}, qr/data-hi="$hi" data-in-band="true"/, "grid sizes: the last in-band bin ends at $hi and is in the band");

# expense routes: a legend for the paid and the unpaid part
like($svg{expense_routes}, qr/>paid 已支付</, 'expense routes: legend for the paid part');
like($svg{expense_routes}, qr/not yet paid/, 'expense routes: legend for the unpaid part');

# street grades: every bar's label is distinct (two counties have a 新城街道)
my @labels = $svg{street_grades} =~ /rotate\(-45 [\d.]+ 412\)">([^<]+)</g;
my $streets = $node->safe_psql('sdbc_demo', q{
  SELECT count(*) FROM sdbc_report.street_grades WHERE period_code = extract(year FROM current_date)::text});
is(scalar @labels, $streets, "street grades: a label for each of the $streets streets");
my %seen;
is(scalar(grep { $seen{$_}++ } @labels), 0, 'street grades: no two labels alike');
ok((grep { /新城街道/ } @labels) >= 2 ? (grep { /阿克苏市 · 新城街道/ } @labels) && (grep { /库车市 · 新城街道/ } @labels) : 1,
   'street grades: Aksu city\'s and Kuqa\'s 新城街道 are labelled with their county');

# the example client, against the demo's data (its own payee, the limit in force)
my ($cout, $cerr);
my $dsn = 'host=' . $node->host . ' port=' . $node->port . ' dbname=sdbc_demo';
my $expenses = $node->safe_psql('sdbc_demo', 'SELECT count(*) FROM sdbc.expense');
ok(IPC::Run::run([ 'python3', "$top/docs/examples/expense_client.py", $dsn ], '>', \$cout, '2>', \$cerr),
   'the example client exits 0 on the demo database') or diag("stdout:\n$cout\nstderr:\n$cerr");
like($cout, qr/on route expense_small/, 'the client\'s expense takes the R3.2 route there too (no split with the demo\'s)');
like($cout, qr/all as expected/, 'no surprises on the demo database');
is($node->safe_psql('sdbc_demo', 'SELECT count(*) FROM sdbc.expense'), $expenses, 'the client rolled back');

$node->stop;
done_testing();
