# The README's tour runs as written (issue 15 §1): its one ```sql block,
# taken from README.md as it stands, runs with psql -f on an empty database
# from the top of the tree; the statements that fail are exactly those
# marked "-- ERROR <SQLSTATE>" on their line, with that SQLSTATE, and the
# tour runs to its last statement.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $top = abs_path(dirname(__FILE__) . '/../..');
my $readme = slurp_file("$top/README.md");
my ($section) = $readme =~ /^## A five-minute tour\n(.*?)^## /ms;
ok(defined $section, 'README.md has the tour section') or BAIL_OUT('no tour');
my @blocks = $section =~ /^```sql\n(.*?)^```$/msg;
is(scalar @blocks, 1, 'the tour is one sql block');
my $tour = $blocks[0];
like($tour, qr/^CREATE EXTENSION IF NOT EXISTS sdbc CASCADE;/m, 'the tour creates the extension itself');

# the failures it announces: line number → SQLSTATE
my %want;
my $n = 0;
for my $line (split /\n/, $tour)
{
	$n++;
	$want{$n} = $1 if $line =~ /-- ERROR (\w{5})\b/;
}
cmp_ok(scalar keys %want, '>=', 4, 'the tour shows rule errors (' . scalar(keys %want) . ')');

my $node = PostgreSQL::Test::Cluster->new('tour');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE tour');
my $file = $node->basedir . '/tour.sql';
open my $fh, '>', $file or die "cannot write $file: $!";
print $fh $tour;
close $fh;
my $out = $node->basedir . '/tour.out';
my $rc = system('sh', '-c', sprintf('cd %s && psql -X -h %s -p %s -d tour -f %s >%s 2>&1',
	$top, $node->host, $node->port, $file, $out));
is($rc, 0, 'psql runs the tour to its end');
my $log = slurp_file($out);

my %got;
while ($log =~ /^psql:\Q$file\E:(\d+): ERROR:  (\w{5}): /mg)
{
	$got{$1} = $2;
}
is(join(' ', map { "$_:$got{$_}" } sort { $a <=> $b } keys %got),
   join(' ', map { "$_:$want{$_}" } sort { $a <=> $b } keys %want),
   'the statements that fail are exactly those marked, each with its SQLSTATE')
  or diag($log);
unlike($log, qr/^psql:.*: (WARNING|FATAL|PANIC)/m, 'no warnings') or diag($log);
like($log, qr/public_housing \| community_service_hall/, 'the tour reaches its last statement (a service application at the hall)');
like($log, qr/expense_large \| t/, 'the split expense is flagged and goes up (R3.3)');
like($log, qr/^\s+3 \| approved$/m, 'the small expense completes its route');

$node->stop;
done_testing();
