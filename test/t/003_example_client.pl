# The example client of docs/examples (Python, Debian's psycopg2) runs against
# a real server: it submits, signs, approves and pays an expense and gets the
# documented SQLSTATEs for broken rules (R3.2–R3.4).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $python = '/usr/bin/python3';
ok(-x $python && system($python, '-c', 'import psycopg2') == 0,
	'Debian python3 with psycopg2 (python3-psycopg2)')
  or BAIL_OUT('python3-psycopg2 missing: test/run.sh installs it');

my $node = PostgreSQL::Test::Cluster->new('client');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION sdbc CASCADE');

my $dsn = 'host=' . $node->host . ' port=' . $node->port . ' dbname=postgres';
my ($out, $err);
my $rc = IPC::Run::run([ $python, 'docs/examples/expense_client.py', $dsn ], '>', \$out, '2>', \$err);
ok($rc, 'the client exits 0') or diag("stdout:\n$out\nstderr:\n$err");
like($out, qr/refused SD304: staff \d+ submitted case \d+ and may not approve it/, 'four eyes refused with SD304');
like($out, qr/refused SD322/, 'early payment refused with SD322');
like($out, qr/refused SD323/, 'second payment refused with SD323');
like($out, qr/detail: Rule R3\.2/, 'the detail names the rule');
like($out, qr/balance 5200\.00/, 'the payment left 5,200.00 yuan (the default limit less 200 paid from 10,000)');
like($out, qr/all as expected/, 'no surprises');
is($node->safe_psql('postgres', 'SELECT count(*) FROM sdbc.expense'), '0', 'the client rolled back');

$node->stop;
done_testing();
