# Each SQL object is defined once (issue 17 §1, §2): the install script is
# the Makefile's SQL_SOURCES in their order, and no function, procedure,
# aggregate (by name and argument types), view, table, type, domain,
# sequence or trigger (by name and table) is created twice in it — a later
# CREATE OR REPLACE that silently replaces an earlier one hides where an
# object really lives.  The same holds for the update script of the release
# being made (its hand-written part, the files new in the release and the
# built-in ids, as the Makefile puts them together).  Read as text, no server.
use strict;
use warnings;
use Test::More;

sub slurp {
	my ($file) = @_;
	open my $fh, '<', $file or die "$file: $!";
	local $/;
	my $text = <$fh>;
	close $fh;
	return $text;
}

# A variable of the Makefile, continuation lines joined.
my $makefile = slurp('Makefile');
$makefile =~ s/\\\n/ /g;

sub make_var {
	my ($name) = @_;
	my ($value) = $makefile =~ /^\Q$name\E\s*=\s*([^\n]*)/m;
	die "no $name in the Makefile" unless defined $value;
	$value =~ s/\$\((\w+)\)/make_var($1)/ge;
	# EXTVERSION: default_version of sdbc.control, as the Makefile reads it
	($value) = slurp('sdbc.control') =~ /^default_version\s*=\s*'([^']+)'/m if $name eq 'EXTVERSION';
	return $value;
}

# The argument types of a function's signature: names, modes OUT (not part
# of the signature), defaults and pg_catalog. left out.
sub signature {
	my ($args, $kind) = @_;
	my @parts;
	my ($cur, $depth) = ('', 0);
	for my $ch (split //, $args)
	{
		$depth++ if $ch eq '(';
		$depth-- if $ch eq ')';
		if ($ch eq ',' && $depth == 0) { push @parts, $cur; $cur = ''; }
		else { $cur .= $ch; }
	}
	push @parts, $cur if $cur =~ /\S/;
	my @types;
	for my $arg (@parts)
	{
		$arg = lc $arg;
		$arg =~ s/\s+(?:default\b|=).*//s;
		$arg =~ s/^\s+|\s+$//g;
		next if $arg =~ /^out\s/;
		$arg =~ s/^(?:in|inout|variadic)\s+//;
		# a leading name, unless the type itself has several words
		if ($kind ne 'AGGREGATE'
			&& $arg !~ /^(?:double precision|character varying|bit varying|timestamp|time|interval)\b/)
		{
			my @words = split /\s+/, $arg, 2;
			$arg = $words[1] if @words == 2;
		}
		$arg =~ s/\s+/ /g;
		$arg =~ s/^pg_catalog\.//;
		push @types, $arg;
	}
	return '(' . join(',', @types) . ')';
}

# object key -> list of "file:line" where it is created
sub creations {
	my (@files) = @_;
	my %seen;
	for my $file (@files)
	{
		my $sql = slurp($file);
		# comments out, lines kept
		$sql =~ s/--[^\n]*//g;
		$sql =~ s{/\*.*?\*/}{ (my $c = $&) =~ s/[^\n]/ /g; $c }gse;
		while ($sql =~ /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(FUNCTION|PROCEDURE|AGGREGATE|VIEW|MATERIALIZED\s+VIEW|TABLE|TYPE|DOMAIN|SEQUENCE|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?("?[\w.]+"?(?:\."?\w+"?)?)/gi)
		{
			my ($kind, $name, $pos) = (uc $1, lc $2, pos($sql));
			$kind =~ s/\s+/ /g;
			$name =~ s/"//g;
			my $line = 1 + (() = substr($sql, 0, $pos) =~ /\n/g);
			my $key = "$kind $name";
			my $rest = substr($sql, $pos, 4000);
			if ($kind =~ /^(?:FUNCTION|PROCEDURE|AGGREGATE)$/)
			{
				next unless $rest =~ /^\s*\(/;
				# the balanced parentheses of the argument list
				my ($depth, $i) = (0, index($rest, '('));
				my $start = $i;
				for (; $i < length $rest; $i++)
				{
					my $ch = substr($rest, $i, 1);
					$depth++ if $ch eq '(';
					$depth-- if $ch eq ')';
					last if $depth == 0;
				}
				$key .= signature(substr($rest, $start + 1, $i - $start - 1), $kind);
			}
			elsif ($kind eq 'TRIGGER')
			{
				$key .= ' ON ' . lc $1 if $rest =~ /\bON\s+("?[\w."]+)/i;
			}
			elsif ($kind eq 'TYPE')
			{
				# a shell type (CREATE TYPE x;) is the first half of one definition
				next if $rest =~ /^\s*;/;
			}
			push @{ $seen{$key} }, "$file:$line";
		}
	}
	return \%seen;
}

sub once {
	my ($what, @files) = @_;
	my $seen = creations(@files);
	my @twice = map { "$_: @{ $seen->{$_} }" } sort grep { @{ $seen->{$_} } > 1 } keys %$seen;
	ok(!@twice, "$what: " . scalar(keys %$seen) . ' objects, each created once') or diag(join("\n", @twice));
	return $seen;
}

my @install = split ' ', make_var('SQL_SOURCES');
ok(@install > 20, 'install script: ' . scalar(@install) . ' files (SQL_SOURCES)');
my $objects = once('install script', @install);
ok(keys(%$objects) > 300, 'install script: the objects are found (' . scalar(keys %$objects) . ')');
ok(exists $objects->{'FUNCTION sdbc.party_totals(sdbc.divcode)'}
	  && exists $objects->{'FUNCTION sdbc.eligible_working_age(bigint)'}
	  && exists $objects->{'TRIGGER decision_check ON sdbc.decision'},
	'install script: functions are told by their argument types, triggers by their table');

my @update = ('sql/upgrade/' . make_var('PREVIOUS') . '--' . make_var('EXTVERSION') . '.sql',
	split(' ', make_var('UPDATE_NEW')), 'sql/policy/builtin_ids.sql');
once('update script ' . make_var('PREVIOUS') . ' -> ' . make_var('EXTVERSION'), @update);

# The check finds what it looks for: a script that makes a function twice
# (once under other argument names, with OR REPLACE) fails it.
my $tmp = "tmp_check/016_twice.sql";
mkdir 'tmp_check';
open my $fh, '>', $tmp or die "$tmp: $!";
print $fh "CREATE FUNCTION sdbc.f(a bigint, b text DEFAULT 'x') RETURNS int LANGUAGE sql RETURN 1;\n",
  "CREATE FUNCTION sdbc.f(a bigint) RETURNS int LANGUAGE sql RETURN 1;\n",
  "-- CREATE FUNCTION sdbc.f(bigint, text) in a comment does not count\n",
  "CREATE OR REPLACE FUNCTION sdbc.f(c bigint, d text) RETURNS int LANGUAGE sql RETURN 2;\n";
close $fh;
my $seen = creations($tmp);
is_deeply($seen->{'FUNCTION sdbc.f(bigint,text)'}, [ "$tmp:1", "$tmp:4" ], 'a function created twice is found, with both places');
is_deeply($seen->{'FUNCTION sdbc.f(bigint)'}, ["$tmp:2"], 'an overload is another object');
unlink $tmp;

done_testing();
