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
