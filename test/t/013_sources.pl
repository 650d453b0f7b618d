# The C sources by concept (issue 17 §2): read as text, no server.
#
# 1. src/common/sqlstates.h defines every SQLSTATE of class SD that the C
#    code raises, and nothing else: every ERRCODE_SDBC_ macro a .c file uses
#    is defined there and every one defined there is used (the approval
#    kernel, without postgres.h, names its codes as text: each of those is
#    defined there too); no other file makes an SD code.  docs/errors.md has
#    a row for every code of the header, and every row that says C raises it
#    (a src/ path, or a trigger or function the library implements: LANGUAGE
#    C in the install script) names a code of the header.
# 2. No include circle: the files of a concept (x.c and x.h are one node)
#    include the headers of others only one way round.
# 3. Every prototype in a header is defined in the .c file of the same name
#    (the exceptions are listed below and printed); none is declared in two
#    headers; no header declares a variable (a global passed between files).
use strict;
use warnings;
use File::Basename qw(basename dirname);
use Test::More;

sub slurp {
	my ($file) = @_;
	open my $fh, '<', $file or die "$file: $!";
	local $/;
	my $text = <$fh>;
	close $fh;
	return $text;
}

# Passes when the list is empty; else prints every item of it.
sub none_of {
	my ($list, $name) = @_;
	ok(!@$list, $name) or diag(join("\n", @$list));
	return;
}

# Comments out (string contents are kept: the kernel's codes are strings).
sub code_of {
	my ($text) = @_;
	$text =~ s{/\*.*?\*/}{ }gs;
	$text =~ s{//[^\n]*}{}g;
	return $text;
}

my @c_files = sort glob('src/*/*.c');
my @h_files = sort grep { basename($_) ne 'sql_texts.h' } glob('src/*/*.h');
ok(@c_files > 30 && @h_files > 20, scalar(@c_files) . ' .c and ' . scalar(@h_files) . ' .h files under src/');

# ---- 1. SQLSTATEs -------------------------------------------------------

my %header;    # macro -> code
my $sqlstates = slurp('src/common/sqlstates.h');
while ($sqlstates =~ /^#define\s+(ERRCODE_SDBC_\w+)\s+MAKE_SQLSTATE\('S',\s*'D',\s*'(\d)',\s*'(\d)',\s*'(\d)'\)/mg)
{
	$header{$1} = "SD$2$3$4";
}
my %code_macro = reverse %header;
ok(keys(%header) >= 40, scalar(keys %header) . ' SD codes defined in src/common/sqlstates.h');
is(scalar(keys %code_macro), scalar(keys %header), 'no code is defined twice in sqlstates.h');

my (%used, %kernel_code, @elsewhere);
for my $file (@c_files, @h_files)
{
	next if $file eq 'src/common/sqlstates.h';
	my $code = code_of(slurp($file));
	$used{$1} = $file while $code =~ /\b(ERRCODE_SDBC_\w+)/g;
	push @elsewhere, $file if $code =~ /MAKE_SQLSTATE\(\s*'S'\s*,\s*'D'/ || $code =~ /#define\s+ERRCODE_SDBC_/;
	if ($file =~ m{^src/kernel/})
	{
		$kernel_code{$1} = $file while $code =~ /"(SD\d{3})"/g;
	}
	elsif ($code =~ /"(SD\d{3})"/)
	{
		push @elsewhere, "$file (literal \"$1\")";
	}
}
none_of(\@elsewhere, 'no file but sqlstates.h makes an SD code (no local definitions, no literals in glue)');
my @undefined = sort grep { !exists $header{$_} } keys %used;
none_of(\@undefined, 'every ERRCODE_SDBC_ macro the C code uses is defined in sqlstates.h');
my @kernel_missing = sort grep { !exists $code_macro{$_} } keys %kernel_code;
none_of(\@kernel_missing, 'every code the kernels name as text is defined in sqlstates.h');
my @unused = sort grep { !exists $used{$_} && !exists $kernel_code{ $header{$_} } } keys %header;
none_of(\@unused, 'every code of sqlstates.h is raised by the C code');

# docs/errors.md: its table's rows, code => "raised by" cell.
my (%doc_row, %doc_raiser);
for my $line (split /\n/, slurp('docs/errors.md'))
{
	next unless $line =~ /^\|\s*`(SD\d{3})`\s*\|/;
	my @cells = split /\s*\|\s*/, $line;
	# cells: '', code, condition, rule, raised by, test
	$doc_row{$1}++;
	$doc_raiser{$1} = $cells[4] // '';
}
my @duplicate_rows = sort grep { $doc_row{$_} > 1 } keys %doc_row;
none_of(\@duplicate_rows, 'docs/errors.md has one row a code');
my @no_row = sort grep { !$doc_row{$_} } values %header;
none_of(\@no_row, 'every code of sqlstates.h has its row in docs/errors.md');

# The functions the library implements: LANGUAGE C in the install sources.
my %c_function;
my $sql_sources = slurp('Makefile') =~ /^SQL_SOURCES\s*=\s*((?:[^\n]*\\\n)*[^\n]*)/m ? $1 : '';
$sql_sources =~ s/\\\n/ /g;
my @sql_files = split ' ', $sql_sources;
ok(@sql_files > 20, scalar(@sql_files) . ' install sources named by the Makefile');
for my $file (@sql_files)
{
	my $sql = slurp($file);
	while ($sql =~ /CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+sdbc\.(\w+)\s*\((.*?);/gis)
	{
		my ($name, $rest) = ($1, $2);
		$c_function{$name} = 1 if $rest =~ /\bLANGUAGE\s+C\b/i;
	}
}
ok(exists $c_function{decision_check} && exists $c_function{expense_check},
	scalar(keys %c_function) . ' functions in C (decision_check, expense_check among them)');
my (@c_rows, @not_in_header);
for my $code (sort keys %doc_raiser)
{
	my $raiser = $doc_raiser{$code};
	my @names = $raiser =~ /`(?:sdbc\.)?(\w+)(?:\(\))?`/g;
	my ($by_c) = grep { $c_function{$_} } @names;
	$by_c //= $1 if $raiser =~ m{(src/[\w/]+\.c)};
	next unless defined $by_c;
	push @c_rows, $code;
	push @not_in_header, "$code ($by_c)" unless exists $code_macro{$code};
}
ok(@c_rows >= 40, scalar(@c_rows) . ' rows of docs/errors.md name C code among their raisers');
none_of(\@not_in_header, 'every row that C raises names a code of sqlstates.h');

# ---- 2. No include circle ------------------------------------------------

my %header_path = map { basename($_) => $_ } @h_files;
my %edges;    # node -> {node}
for my $file (@c_files, @h_files)
{
	(my $node = basename($file)) =~ s/\.[ch]$//;
	for my $inc (slurp($file) =~ /^#include\s+"([^"]+)"/mg)
	{
		next unless exists $header_path{$inc};
		(my $to = $inc) =~ s/\.h$//;
		$edges{$node}{$to} = 1 unless $to eq $node;
	}
}
my (%state, @circles);    # state: 1 on the path, 2 done

sub visit
{
	my ($node, @path) = @_;
	$state{$node} = 1;
	for my $to (sort keys %{ $edges{$node} || {} })
	{
		if (($state{$to} // 0) == 1)
		{
			my @from = @path;
			shift @from while @from && $from[0] ne $to;
			push @circles, join(' -> ', @from, $node, $to);
		}
		visit($to, @path, $node) unless $state{$to};
	}
	$state{$node} = 2;
	return;
}
visit($_) for sort grep { !$state{$_} } keys %edges;
none_of(\@circles, scalar(keys %edges) . ' concepts include each other without a circle');

# ---- 3. Prototypes where they are defined --------------------------------

# Declarations that are not defined in the .c file of their header's name,
# and why (printed).
my %exception = ();
note("prototype exceptions: " . (%exception ? join('; ', map { "$_: $exception{$_}" } sort keys %exception) : 'none'));

my (%declared_in, @twice, @undefined_here, @variables);
for my $header (@h_files)
{
	my $code = code_of(slurp($header));
	(my $c_file = $header) =~ s/\.h$/.c/;
	my $c_code = -e $c_file ? code_of(slurp($c_file)) : '';
	$code =~ s/^#[^\n]*(?:\\\n[^\n]*)*//mg;    # preprocessor lines (macros)
	# top-level statements ending in ';', outside braces
	my $depth = 0;
	my $stmt = '';
	for my $ch (split //, $code)
	{
		$depth++ if $ch eq '{';
		$depth-- if $ch eq '}';
		$stmt .= $ch;
		if ($depth == 0 && ($ch eq ';' || $ch eq '}'))
		{
			my $s = $stmt;
			$stmt = '';
			next unless $s =~ /^\s*extern\b/;
			if ($s =~ /(\w+)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*;\s*$/s)
			{
				my $fn = $1;
				push @twice, "$fn ($declared_in{$fn}, $header)" if exists $declared_in{$fn};
				$declared_in{$fn} = $header;
				push @undefined_here, "$fn ($header)"
				  unless $c_code =~ /^\w[^;{}]*\b\Q$fn\E\s*\([^;]*?\)\s*\{/m || exists $exception{$fn};
			}
			else
			{
				(my $one = $s) =~ s/\s+/ /g;
				push @variables, "$header:$one";
			}
		}
	}
}
ok(keys(%declared_in) > 60, scalar(keys %declared_in) . ' prototypes in the headers');
none_of(\@twice, 'no function is declared in two headers');
none_of(\@undefined_here, 'every prototype is defined in the .c file of its header\'s name');
none_of(\@variables, 'no header declares a variable (no global between files)');

done_testing();
