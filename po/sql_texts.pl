#!/usr/bin/perl
#
# po/sql_texts.pl — the texts of the errors the extension raises in SQL
# (PL/pgSQL RAISE … USING MESSAGE/DETAIL/HINT in sql/*/*.sql), written as the C
# header src/common/sql_texts.h (docs/errors.md, "Messages in Chinese").
#
#   perl po/sql_texts.pl sql/common/schema.sql … > src/common/sql_texts.h
#
# Each text becomes one gettext_noop() entry, so that po/extract.sh
# (xgettext) puts it into the one catalogue with the C messages, and
# src/common/messages.c (the emit_log_hook) finds it again at run time:
#   - format('… %s …', args) and a concatenation 'text ' || expr give a
#     FORMAT: the English text with %s where the arguments go;
#   - a plain literal gives a LITERAL, looked up as it is;
#   - literal arguments of format() (e.g. 'nowhere') and the descriptions the
#     triggers of sdbc.history_is_insert_only() pass give ARGUMENT words,
#     translated when they appear as a whole argument.
# Core perl only (the build runs it).
use strict;
use warnings;

my (@formats, @literals, @words, %seen);

# Remember one text of kind $kind ('f', 'l' or 'w') found at $where.
sub add {
	my ($kind, $text, $where) = @_;
	return if $text eq '' || $seen{"$kind\0$text"}++;
	my $list = $kind eq 'f' ? \@formats : $kind eq 'l' ? \@literals : \@words;
	push @$list, [ $text, $where ];
}

# Split SQL text into tokens: ['s', value] string literals (quotes undone),
# ['w', word], ['p', punctuation]; comments dropped.
sub tokens {
	my ($sql) = @_;
	my @t;
	while (length $sql) {
		if ($sql =~ s/^\s+//) { next; }
		if ($sql =~ s/^--[^\n]*//) { next; }
		if ($sql =~ s/^'((?:[^']|'')*)'//s) {
			(my $v = $1) =~ s/''/'/g;
			push @t, [ 's', $v ];
			next;
		}
		if ($sql =~ s/^([A-Za-z_][A-Za-z_0-9.\[\]]*)//) { push @t, [ 'w', $1 ]; next; }
		if ($sql =~ s/^(\|\||::|.)//s) { push @t, [ 'p', $1 ]; next; }
	}
	return @t;
}

# The texts of one expression (tokens @e) of a RAISE option.
sub expr_texts {
	my ($where, @e) = @_;
	my $depth = 0;
	my $plain = 1;    # only literals and || at depth 0, plus parenthesised parts
	my $text = '';
	my $args = 0;
	for (my $i = 0; $i < @e; $i++) {
		my ($k, $v) = @{ $e[$i] };
		if ($k eq 'w' && $v =~ /^(pg_catalog\.)?format$/i && $i + 2 < @e
			&& $e[$i + 1][1] eq '(' && $e[$i + 2][0] eq 's') {
			add('f', $e[$i + 2][1], $where);
			my $d = 0;    # literal arguments of this call
			for (my $j = $i + 1; $j < @e; $j++) {
				$d++ if $e[$j][1] eq '(';
				$d-- if $e[$j][1] eq ')';
				last if $d == 0;
				add('w', $e[$j][1], $where) if $j > $i + 2 && $e[$j][0] eq 's' && $e[$j][1] =~ /[a-z]/
					&& $e[$j][1] !~ /^[\w.]*[_.][\w.]*$/;    # not an identifier (matter_code)
			}
		}
		$depth++ if $v eq '(';
		$depth-- if $v eq ')';
	}
	# Top level: literal, concatenation, or CASE … THEN 'a' ELSE 'b' END.
	my @top;
	$depth = 0;
	for my $tok (@e) {
		push @top, $tok if $depth == 0;
		$depth++ if $tok->[1] eq '(';
		$depth-- if $tok->[1] eq ')';
	}
	if (@top && uc($top[0][1]) eq 'CASE') {
		for (my $i = 0; $i < @top - 1; $i++) {
			add('l', $top[$i + 1][1], $where)
				if $top[$i][1] =~ /^(THEN|ELSE)$/i && $top[$i + 1][0] eq 's'
				&& ($i + 2 >= @top || $top[$i + 2][1] =~ /^(WHEN|ELSE|END)$/i);
		}
		return;
	}
	return if grep { $_->[0] eq 'w' && $_->[1] =~ /^(pg_catalog\.)?format$/i } $top[0];
	my @parts = ([]);
	for my $tok (@top) {
		if ($tok->[1] eq '||') { push @parts, []; next; }
		push @{ $parts[-1] }, $tok;
	}
	for my $p (@parts) {
		if (@$p == 1 && $p->[0][0] eq 's') {
			(my $lit = $p->[0][1]) =~ s/%/%%/g;
			$text .= $lit;
		} else {
			$text .= '%s';
			$args++;
		}
	}
	return unless grep { @$_ == 1 && $_->[0][0] eq 's' } @parts;
	if ($args) { add('f', $text, $where); }
	else { add('l', join('', map { $_->[0][1] } @parts), $where); }
}

# Find the RAISE statements of one file and the triggers' description words.
sub scan_file {
	my ($file) = @_;
	open my $fh, '<', $file or die "$file: $!";
	my $sql = do { local $/; <$fh> };
	close $fh;
	while ($sql =~ /\bRAISE\s+EXCEPTION\b/g) {
		my $start = $-[0];
		my $line = 1 + (substr($sql, 0, $start) =~ tr/\n//);
		my $rest = substr($sql, $start);
		$rest =~ /^((?:[^';]|'(?:[^']|'')*')*);/s or die "$file:$line: RAISE without end";
		my @t = tokens($1);
		my $where = "$file:$line";
		splice @t, 0, 2;    # RAISE EXCEPTION
		if (@t && $t[0][0] eq 's') {    # RAISE EXCEPTION 'text %', args USING …
			(my $f = $t[0][1]) =~ s/%%/\0/g;
			$f =~ s/%/%s/g;
			$f =~ s/\0/%%/g;
			add($f =~ /%s/ ? 'f' : 'l', $f =~ /%s/ ? $f : $t[0][1], $where);
		}
		my ($u) = grep { uc($t[$_][1]) eq 'USING' } 0 .. $#t;
		next unless defined $u;
		my (@opt, $depth);
		$depth = 0;
		push @opt, [];
		for my $tok (@t[ $u + 1 .. $#t ]) {
			$depth++ if $tok->[1] eq '(';
			$depth-- if $tok->[1] eq ')';
			if ($depth == 0 && $tok->[1] eq ',') { push @opt, []; next; }
			push @{ $opt[-1] }, $tok;
		}
		for my $o (@opt) {
			next unless @$o > 2 && $o->[0][1] =~ /^(MESSAGE|DETAIL|HINT)$/i && $o->[1][1] eq '=';
			expr_texts($where, @$o[ 2 .. $#$o ]);
		}
	}
	while ($sql =~ /history_is_insert_only\('[^']*',\s*'([^']*)'\)/g) {
		add('w', $1, $file . ':' . (1 + (substr($sql, 0, $-[0]) =~ tr/\n//)));
	}
}

# A C string literal of $s.
sub c_string {
	my ($s) = @_;
	$s =~ s/\\/\\\\/g;
	$s =~ s/"/\\"/g;
	$s =~ s/\n/\\n/g;
	$s =~ s/\t/\\t/g;
	return "\"$s\"";
}

# Write one array of entries; $flag is the xgettext comment for each.
sub print_array {
	my ($name, $comment, $flag, $list) = @_;
	print "/* $comment */\n";
	print "static const char *const ${name}[] pg_attribute_unused() = {\n";
	for my $e (@$list) {
		print "\t/* Translators: raised in $e->[1] */\n";
		print "\t/* xgettext:$flag */ gettext_noop(", c_string($e->[0]), "),\n";
	}
	print "\tNULL\n};\n\n";
}

scan_file($_) for @ARGV;
# The most particular format first: "staff %s does not serve community %s"
# would also match the text of "… community %s on %s".
{
	my $fixed = sub { (my $t = $_[0][0]) =~ s/%s//g; length $t };
	@formats = sort { $fixed->($b) <=> $fixed->($a) } @formats;
}
print "/*\n * src/common/sql_texts.h — generated by po/sql_texts.pl from the SQL files; do not edit.\n";
print " * The texts of the errors raised in SQL, for src/common/messages.c and po/extract.sh.\n */\n\n";
print_array('sdbc_sql_formats', 'format(\'… %s …\') texts: matched against a raised text, arguments taken out',
			'c-format', \@formats);
print_array('sdbc_sql_literals', 'texts without arguments: looked up as they are', 'no-c-format', \@literals);
print_array('sdbc_sql_words', 'literal arguments and trigger descriptions: translated as a whole argument',
			'no-c-format', \@words);
