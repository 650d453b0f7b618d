# The message catalogue is complete (issue 15 §3, docs/errors.md "Messages in
# Chinese"): every text the extension raises — errmsg/errdetail/errhint and
# gettext_noop texts of the C sources, MESSAGE/DETAIL/HINT of the RAISEs in
# the SQL files — has a translation in po/zh_CN.po that msgfmt --check
# accepts (po/extract.sh --check), every glue file translates in the
# extension's text domain (sdbc.h first), and a server with lc_messages
# zh_CN.UTF-8 answers in Chinese with the same SQLSTATE.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# 1. Every text has its translation; the script lists the ones that lack it.
my ($out, $err) = ('', '');
my $ok = IPC::Run::run([ 'sh', 'po/extract.sh', '--check' ], '>', \$out, '2>', \$err);
ok($ok, 'po/extract.sh --check: every raised text has a zh_CN translation')
  or diag("$out\n$err");
like($out, qr/po\/zh_CN\.po: (\d+) texts, \1 translated, 0 untranslated/, 'counts as printed');
note($out);

# 2. A glue file that included postgres.h before sdbc.h would report in
# core's text domain, untranslated.  Its first include is sdbc.h, or a header
# of the project whose first include is (case_start.h).
sub first_include {
	my ($file) = @_;
	open my $fh, '<', $file or die "$file: $!";
	my ($first) = grep { /^#include / } <$fh>;
	close $fh;
	my ($name) = ($first // '') =~ /^#include "([^"]+)"/;
	# headers are found on the include path: every folder of src/
	my ($header) = defined $name ? glob("src/*/$name") : ();
	return $first if !defined $name || $name eq 'sdbc.h' || !defined $header;
	return first_include($header);
}
for my $file (sort glob('src/*/*.c')) {
	next if $file =~ m{^src/kernel/};
	is(first_include($file), qq{#include "sdbc.h"\n}, "$file includes sdbc.h first (TEXTDOMAIN)");
}

# 3. Every SQL RAISE with an SD code has its message among the SQL texts.
# the SQL sources: sql/<concept>/*.sql, not the frozen releases nor the update scripts
my @sql_sources = grep { !m{^sql/(?:releases|upgrade)/} } sort glob('sql/*/*.sql');
my $sql_texts = `perl po/sql_texts.pl @sql_sources`;
my ($raises, $found) = (0, 0);
for my $file (@sql_sources) {
	open my $fh, '<', $file or die "$file: $!";
	my $sql = do { local $/; <$fh> };
	close $fh;
	while ($sql =~ /RAISE\s+EXCEPTION\s+USING\s+ERRCODE\s*=\s*'SD\d+'\s*,\s*MESSAGE\s*=\s*(?:pg_catalog\.)?(?:format\(\s*)?'((?:[^']|'')*)'/g) {
		(my $text = $1) =~ s/''/'/g;
		$raises++;
		(my $c = $text) =~ s/\\/\\\\/g;
		$c =~ s/"/\\"/g;
		$found++ if index($sql_texts, qq{gettext_noop("$c")}) >= 0;
	}
}
cmp_ok($raises, '>', 30, "the SQL files raise $raises SD errors with a message");
is($found, $raises, 'each of them is in src/common/sql_texts.h, so in the catalogue');

# 4. The server answers in Chinese when lc_messages asks for it.
my $node = PostgreSQL::Test::Cluster->new('zh');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION sdbc CASCADE');
for my $case (
	[ q{SELECT sdbc.grid_draw('652901001')}, 'SD205', qr/652901001000 不是社区/, 'PL/pgSQL' ],
	[ q{SELECT sdbc.policy_value('no.such.key', '652901', '2024-01-01')}, 'SD104', qr/未知的策略键/, 'C' ])
{
	my ($sql, $code, $zh, $where) = @$case;
	my ($rc, $stdout, $stderr) = $node->psql('postgres',
		"SET lc_messages TO 'zh_CN.UTF-8'; \\set VERBOSITY verbose\n$sql");
	like($stderr, qr/$code: /, "$where error keeps its SQLSTATE $code in Chinese");
	like($stderr, $zh, "$where error reads in Chinese");
	($rc, $stdout, $stderr) = $node->psql('postgres', "SET lc_messages TO 'C'; \\set VERBOSITY verbose\n$sql");
	like($stderr, qr/$code: [\x00-\x7f]*$/m, "$where error in English with lc_messages C");
}
$node->stop;
done_testing();
