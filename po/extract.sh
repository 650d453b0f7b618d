#!/bin/sh
#
# po/extract.sh — regenerate the message template po/sdbc.pot from the C
# sources (errmsg, errdetail, errhint, gettext_noop …) and the texts of the
# errors raised in SQL (po/sql_texts.pl → src/common/sql_texts.h), and merge it into
# every catalogue po/<language>.po (docs/errors.md, "Messages in Chinese").
#
#   sh po/extract.sh           write po/sdbc.pot, update po/*.po (new texts
#                              come in untranslated, texts no longer raised
#                              go), print the counts
#   sh po/extract.sh --check   change nothing; fail (status 1) and list the
#                              texts when a catalogue lacks a translation of
#                              a text the extension raises (untranslated or
#                              fuzzy), or msgfmt --check rejects it
#
# Needs xgettext, msgmerge, msgattrib, msgfmt (Debian package gettext) and
# perl.  SQL_FILES may name the SQL files (default: the Makefile's
# SQL_SOURCES, read from the Makefile without running make).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mode=${1:-update}

if [ -z "${SQL_FILES:-}" ]; then
	# The SQL_SOURCES list of the Makefile, continuation lines joined.
	SQL_FILES=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' Makefile |
		sed -n 's/^SQL_SOURCES *= *//p')
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2086  # a list of file names
perl po/sql_texts.pl $SQL_FILES >"$tmp/sql_texts.h"
if [ "$mode" != --check ]; then
	cp "$tmp/sql_texts.h" src/common/sql_texts.h
fi

# The C sources: glue, kernels (their status texts) and the SQL texts.
# Keywords and flags as PostgreSQL's own nls-global.mk (backend).
# shellcheck disable=SC2046
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-by-file \
	--package-name=sdbc --msgid-bugs-address='https://github.com/sdbc' \
	--add-comments=Translators --add-location=file \
	--keyword=errmsg --keyword=errmsg_plural:1,2 \
	--keyword=errdetail --keyword=errdetail_log --keyword=errdetail_plural:1,2 \
	--keyword=errhint --keyword=errcontext --keyword=gettext_noop --keyword=sdbc_text \
	--flag=errmsg:1:c-format --flag=errmsg_plural:1:c-format --flag=errmsg_plural:2:c-format \
	--flag=errdetail:1:c-format --flag=errdetail_log:1:c-format \
	--flag=errdetail_plural:1:c-format --flag=errdetail_plural:2:c-format \
	--flag=errhint:1:c-format --flag=errcontext:1:c-format \
	-o "$tmp/sdbc.pot" $(ls src/*/*.c | grep -v '/messages\.c$') src/common/messages.c "$tmp/sql_texts.h"
# The template names the SQL texts by their SQL file (the comment above
# each entry of sql_texts.h), not by the generated header.
sed -i "s|^#: $tmp/sql_texts.h|#: src/common/sql_texts.h|" "$tmp/sdbc.pot"

status=0
for po in po/*.po; do
	lang=$(basename "$po" .po)
	msgmerge --quiet --no-wrap --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/sdbc.pot"
	: >"$tmp/$lang.untranslated"
	: >"$tmp/$lang.fuzzy"    # msgattrib writes nothing when nothing is left
	msgattrib --untranslated --no-obsolete "$tmp/$lang.po" -o "$tmp/$lang.untranslated"
	msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" -o "$tmp/$lang.fuzzy"
	total=$(grep -c '^msgid ' "$tmp/sdbc.pot" || true)
	total=$((total - 1))    # the header
	missing=$(cat "$tmp/$lang.untranslated" "$tmp/$lang.fuzzy" | grep -c '^msgid "[^"]' || true)
	if ! msgfmt --check -o /dev/null "$tmp/$lang.po"; then
		echo "$po: msgfmt --check fails"
		status=1
	fi
	echo "$po: $total texts, $((total - missing)) translated, $missing untranslated or fuzzy"
	if [ "$missing" -gt 0 ]; then
		status=1
		echo "untranslated or fuzzy in $po:"
		cat "$tmp/$lang.untranslated" "$tmp/$lang.fuzzy" | grep -A1 '^#: \|^msgid "[^"]'
	fi
	if [ "$mode" != --check ]; then
		# texts no longer raised leave the catalogue (git keeps them)
		msgattrib --no-wrap --no-obsolete -o "$po" "$tmp/$lang.po"
	fi
done
if [ "$mode" != --check ]; then
	cp "$tmp/sdbc.pot" po/sdbc.pot
	status=0
fi
exit $status
