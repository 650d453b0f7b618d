# replica_caches.pl — benchmark: what the cache-invalidation row triggers
# enabled REPLICA (docs/architecture.md, "Caches") cost (issue 16 item 1).
#
#   1. apply   a coordinator writes ROWS calendar days in one transaction
#              (INSERT, then UPDATE of all, then DELETE of all); a subscriber
#              with sdbc applies them; the time from the coordinator's commit
#              until the subscriber has replayed it, with the subscriber's
#              row trigger calendar_cache_invalidate_replica enabled REPLICA
#              (as installed) and disabled (what main did);
#   2. local   the same three statements in an ordinary session on one node:
#              with the trigger as installed (REPLICA: does not fire here),
#              dropped, and enabled ALWAYS (the alternative design: fires per
#              row in every session).
# Median of REPS runs each; figures for docs/architecture.md, never asserted.
#
#   runuser -u postgres -- env PATH=$PG_BIN:$PATH PG_REGRESS=$PG_BIN/../lib/pgxs/src/test/regress/pg_regress \
#     perl -I $PG_BIN/../lib/pgxs/src/test/perl test/bench/replica_caches.pl
#
# with the extension installed into PG_BIN's tree and a current directory
# user postgres may write in (the clusters go to tmp_check/ below it).
# ROWS (default 20000) and REPS (default 3) from the environment.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Time::HiRes qw(time);

my $rows = $ENV{ROWS} // 20000;
my $reps = $ENV{REPS} // 3;

my $coord = PostgreSQL::Test::Cluster->new('bench_coordinator');
$coord->init(allows_streaming => 'logical');
$coord->append_conf('postgresql.conf', "fsync = off\nsynchronous_commit = off");
$coord->start;
my $shard = PostgreSQL::Test::Cluster->new('bench_shard');
$shard->init;
$shard->append_conf('postgresql.conf', "fsync = off\nsynchronous_commit = off");
$shard->start;
$_->safe_psql('postgres', 'CREATE EXTENSION sdbc CASCADE') for ($coord, $shard);
$coord->safe_psql('postgres', q{
  ALTER TABLE sdbc.calendar_day REPLICA IDENTITY FULL;
  CREATE PUBLICATION bench FOR TABLE sdbc.calendar_day});
my $conn = 'host=' . $coord->host . ' port=' . $coord->port . ' dbname=postgres';
$shard->safe_psql('postgres',
	"CREATE SUBSCRIPTION bench CONNECTION '$conn' PUBLICATION bench WITH (copy_data = false)");
$shard->wait_for_subscription_sync($coord, 'bench');

my %sql = (
	insert => qq{INSERT INTO sdbc.calendar_day (day, working, name, division)
                 SELECT date '2100-01-01' + i, false, 'bench', '652901' FROM generate_series(1, $rows) i},
	update => q{UPDATE sdbc.calendar_day SET name = 'bench2' WHERE name = 'bench'},
	delete => q{DELETE FROM sdbc.calendar_day WHERE name = 'bench2'});
my @steps = qw(insert update delete);

# Median of a list of numbers.
sub median
{
	my @s = sort { $a <=> $b } @_;
	return $s[ int(@s / 2) ];
}

# Seconds from the coordinator's commit until the shard has applied it
# (polled every 0.1 s by wait_for_catchup).
sub apply_seconds
{
	my ($step) = @_;
	$coord->safe_psql('postgres', $sql{$step});
	my $t0 = time;
	$coord->wait_for_catchup('bench');
	return time - $t0;
}

# Seconds one statement takes in an ordinary session on the coordinator.
sub local_seconds
{
	my ($step) = @_;
	my $t0 = time;
	$coord->safe_psql('postgres', $sql{$step});
	return time - $t0;
}

# Run every step REPS times; print the medians under a label.
sub measure
{
	my ($label, $how) = @_;
	my %t;
	for (1 .. $reps)
	{
		push @{ $t{$_} }, $how->($_) for @steps;
	}
	printf "%-44s %s\n", $label,
	  join('  ', map { sprintf '%s %.3f s', $_, median(@{ $t{$_} }) } @steps);
}

print "rows per statement: $rows, median of $reps\n";
measure('apply, row trigger enabled REPLICA', \&apply_seconds);
$shard->safe_psql('postgres', 'ALTER TABLE sdbc.calendar_day DISABLE TRIGGER calendar_cache_invalidate_replica');
measure('apply, row trigger disabled (main)', \&apply_seconds);
$shard->safe_psql('postgres', 'ALTER TABLE sdbc.calendar_day ENABLE REPLICA TRIGGER calendar_cache_invalidate_replica');
$shard->safe_psql('postgres', 'DROP SUBSCRIPTION bench');

measure('local, row trigger enabled REPLICA', \&local_seconds);
$coord->safe_psql('postgres', 'ALTER TABLE sdbc.calendar_day ENABLE ALWAYS TRIGGER calendar_cache_invalidate_replica');
measure('local, row trigger enabled ALWAYS', \&local_seconds);
$coord->safe_psql('postgres', 'ALTER TABLE sdbc.calendar_day DISABLE TRIGGER calendar_cache_invalidate_replica');
measure('local, row trigger disabled (main)', \&local_seconds);

$shard->stop;
$coord->stop;
