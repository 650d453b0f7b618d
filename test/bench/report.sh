#!/usr/bin/env bash
# report.sh — benchmark: the reporting schema sdbc_report as a dashboard reads
# it, on the Aksu-scale demo data (issue 7: every view under 200 ms for one
# county, the prefecture-wide key figures under 1 s).
#
#   0. setup     the whole demo (test/demo/main.sql: the Aksu division codes,
#                132 communities, 310,000 households, ~852,000 residents, the
#                grids, 3,240 staff, expenses, service applications, tasks,
#                evaluations, platforms, premises, activities; its printout
#                goes to a log); then APPLICATIONS (20,000) more service
#                applications, left open at their first step
#                (report_volume.sql); then sdbc.report_refresh() and ANALYZE;
#                timed, not part of the targets.
#   1. views     as sdbc_reader (SET ROLE), each view of sdbc_report filtered
#                to county 652901 (key_figures: division_code = the county;
#                the others: county_code), and the key figures of the
#                prefecture 652900 — the snapshot (key_figures) and the live
#                view (key_figures_live); median of RUNS runs each, client-side
#                psql \timing, rows to /dev/null.
#   2. before    the same for the definitions before this benchmark
#                (test/bench/report.sql, schema bench: the key figures
#                computed when read, grid_sizes over sdbc.grid_size), and the
#                time of sdbc.report_refresh() itself.
#
#   bash test/bench/report.sh
#
# Run as root, from anywhere, with the extension installed (make install from
# a copy of the repo). It first waits (up to WAIT_QUIET seconds) until no
# other benchmark of test/bench and no test suite (ci/run, test/run.sh check)
# runs, since the machine has 2 cores, and prints what it found; then starts
# a throwaway cluster as user postgres (socket in a temp dir, no TCP,
# fsync=off), prints the figures and the targets met / not met, and stops and
# removes the cluster on exit (KEEP_BENCH_DIR=1 keeps it). Timings are
# reported, never asserted: the script exits 0 whatever they are. About 3–5
# minutes on 2 cores, besides the wait.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), COUNTY (652901),
# RUNS (10), APPLICATIONS (20000), WAIT_QUIET (900 s; 0 to skip the wait).
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
COUNTY=${COUNTY:-652901}
RUNS=${RUNS:-10}
APPLICATIONS=${APPLICATIONS:-20000}
WAIT_QUIET=${WAIT_QUIET:-900}
county12="${COUNTY}000000"

die() { echo "report.sh: $*" >&2; exit 1; }

check_prerequisites() {
    [ "$(id -u)" -eq 0 ] || die "run as root (the cluster is started as user postgres with runuser)"
    id postgres >/dev/null 2>&1 || die "no user postgres"
    [ -f "$("$PG_BIN/pg_config" --sharedir)/extension/sdbc.control" ] \
        || die "extension sdbc is not installed for $PG_BIN (make install from a copy of the repo)"
    [ -f "$top/test/demo/main.sql" ] || die "$top/test/demo/main.sql is missing"
}

# True when process $1 is this script or one of its descendants.
is_ours() {
    local p=$1
    while [ -n "$p" ] && [ "$p" -gt 1 ]; do
        [ "$p" = "$$" ] && return 0
        p=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
    done
    return 1
}

# Other benchmarks and test suites running now, one per line.
others() {
    local pid rest
    pgrep -af 'test/bench/|ci/run|test/run.sh (check|slow)' | while read -r pid rest; do
        is_ours "$pid" || echo "$pid $rest"
    done
}

# Wait until nothing else runs, checking every 30 s, for at most WAIT_QUIET s.
wait_for_quiet() {
    local waited=0 found
    found=$(others)
    while [ -n "$found" ] && [ "$waited" -lt "$WAIT_QUIET" ]; do
        echo "report.sh: waiting for other suites/benchmarks ($waited s):" >&2
        echo "$found" | sed 's/^/    /' >&2
        sleep 30
        waited=$((waited + 30))
        found=$(others)
    done
    if [ -z "$found" ]; then
        quiet_note="no other benchmark or test suite running (waited $waited s)"
    else
        quiet_note="still running after $waited s: $(echo "$found" | cut -c1-100 | paste -sd ';')"
    fi
}

cleanup() {
    if [ -f "$work/data/postmaster.pid" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP_BENCH_DIR:-0}" = 1 ]; then
        echo "report.sh: kept $work (socket $work/sock, port $port)" >&2
    else
        rm -rf "$work"
    fi
}

free_port() {
    local p=55960
    while ss -Hltn "sport = :$p" 2>/dev/null | grep -q . \
          || [ -e "/tmp/.s.PGSQL.$p" ] || [ -e "/var/run/postgresql/.s.PGSQL.$p" ]; do
        p=$((p + 1))
    done
    echo "$p"
}

start_cluster() {
    runuser -u postgres -- "$PG_BIN/initdb" -D "$work/data" -A trust -U postgres \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 \
        || { cat "$work/initdb.log" >&2; die "initdb failed"; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
        -o "-k $work/sock -p $port -c listen_addresses='' -c fsync=off -c full_page_writes=off \
            -c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=256MB \
            -c max_wal_size=8GB -c checkpoint_timeout=1h -c jit=off" \
        start >/dev/null || { cat "$work/server.log" >&2; die "server did not start"; }
}

q() {
    local db=$1
    shift
    "$PG_BIN/psql" -X -q -h "$work/sock" -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}

now() { date +%s%3N; }
ms_since() { echo $(( $(now) - $1 )); }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
median() {
    sort -g | awk '{ a[NR] = $1 } END { printf "%.1f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Time query $1 RUNS times in one session as sdbc_reader (after one warm-up
# run); set query_median (ms), query_runs and query_rows.
time_query() {
    local sql=$1 i script
    script="SET ROLE sdbc_reader;"$'\n'"\\o /dev/null"$'\n'"$sql;"$'\n'"\\timing on"$'\n'
    for i in $(seq 1 "$RUNS"); do script+="$sql;"$'\n'; done
    q bench -At <<<"$script" >"$work/timing.out"
    query_runs=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/timing.out" | paste -sd ' ')
    query_median=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/timing.out" | median)
    query_rows=$(q bench -At -c "SET ROLE sdbc_reader" -c "SELECT count(*) FROM ($sql) x")
}

summary=()
# One result row: label, query, target in ms (or "-").
measure() {
    local label=$1 sql=$2 limit=$3 verdict=""
    time_query "$sql"
    if [ "$limit" != "-" ]; then
        verdict=$(awk -v x="$query_median" -v t="$limit" 'BEGIN { print (x < t) ? "met" : "NOT met" }')
        verdict="< $limit ms: $verdict"
    fi
    printf '%-44s %6s %10s  %-18s %s\n' "$label" "$query_rows" "$query_median" "$verdict" "$query_runs"
}

check_prerequisites
wait_for_quiet
work=$(mktemp -d "${TMPDIR:-/tmp}/sdbc-report.XXXXXX")
chmod 755 "$work"
mkdir "$work/sock" "$work/tree"
cp -a "$top/test" "$work/tree/"
chown -R postgres: "$work"
port=$(free_port)
trap cleanup EXIT
start_cluster

echo "# sdbc reporting benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# $(q postgres -At -c 'SELECT version()' | sed 's/ on x86_64.*//'); fsync=off, shared_buffers=1GB, jit=off"
echo "# repo at $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$top" status --porcelain -- src sql test 2>/dev/null | wc -l) files changed in src/ sql/ test/)"
echo "# before the run: $quiet_note; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "## 0. Setup (not timed for the targets)"
q postgres -c "CREATE DATABASE bench"
t0=$(now)
(cd "$work/tree" && q bench -f test/demo/main.sql) >"$work/demo.log" 2>&1 \
    || { tail -30 "$work/demo.log" >&2; die "the demo failed"; }
demo_ms=$(ms_since "$t0")
t0=$(now)
q bench -At -v applications="$APPLICATIONS" -f "$here/report_volume.sql" >/dev/null
volume_ms=$(ms_since "$t0")
q bench -f "$here/report.sql"
t0=$(now)
q bench -At -c "SELECT sdbc.report_refresh()" >/dev/null
refresh_ms=$(ms_since "$t0")
q bench -c "VACUUM ANALYZE"
echo "test/demo/main.sql (the whole demo, printout to a log): $(secs "$demo_ms") s; $APPLICATIONS more open applications (report_volume.sql): $(secs "$volume_ms") s; first sdbc.report_refresh(): $refresh_ms ms"
q bench -P footer=off -c "
  SELECT 'communities with grids' AS what, count(*) AS n FROM sdbc.division WHERE boundary IS NOT NULL
  UNION ALL SELECT 'households', count(*) FROM sdbc.household
  UNION ALL SELECT 'residents', count(*) FROM sdbc.resident
  UNION ALL SELECT 'live grids', count(*) FROM sdbc.grid WHERE valid_to IS NULL
  UNION ALL SELECT 'staff', count(*) FROM sdbc.staff
  UNION ALL SELECT 'expenses', count(*) FROM sdbc.expense
  UNION ALL SELECT 'approval cases (expenses and applications)', count(*) FROM sdbc.approval_case
  UNION ALL SELECT 'service applications', count(*) FROM sdbc.service_application
  UNION ALL SELECT '  of them open', count(*) FROM sdbc.service_application a JOIN sdbc.approval_case c USING (case_id) WHERE c.status = 'open'
  UNION ALL SELECT 'task assignments', count(*) FROM sdbc.task_assignment
  UNION ALL SELECT 'community scores', count(*) FROM sdbc.community_score
  UNION ALL SELECT 'activities', count(*) FROM sdbc.activity" | sed 's/^/  /'
echo

wait_for_quiet
echo "# before the timed part: $quiet_note; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## 1. sdbc_report as sdbc_reader, county $COUNTY (median of $RUNS runs after a warm-up, client-side \\timing, ms)"
printf '%-44s %6s %10s  %-18s %s\n' "view (filter)" "rows" "median ms" "target" "runs (ms)"
printf '%s\n' "-------------------------------------------- ------ ----------  ------------------ ---------"
measure "key_figures, prefecture 652900" \
    "SELECT * FROM sdbc_report.key_figures WHERE division_code = '652900000000'" 1000
measure "key_figures_live, prefecture 652900" \
    "SELECT * FROM sdbc_report.key_figures_live WHERE division_code = '652900000000'" 1000
for v in $(q bench -At -c "SELECT viewname FROM pg_views WHERE schemaname = 'sdbc_report' ORDER BY viewname"); do
    case $v in
        key_figures|key_figures_live) filter="division_code = '$county12'" ;;
        *) filter="county_code = '$county12'" ;;
    esac
    measure "$v, county $COUNTY" "SELECT * FROM sdbc_report.$v WHERE $filter" 200
done
echo

echo "## 2. Before: the definitions this benchmark replaced (test/bench/report.sql), and the refresh"
printf '%-44s %6s %10s  %-18s %s\n' "view (filter)" "rows" "median ms" "target" "runs (ms)"
printf '%s\n' "-------------------------------------------- ------ ----------  ------------------ ---------"
measure "before: key_figures, prefecture 652900" \
    "SELECT * FROM bench.key_figures_before WHERE division_code = '652900000000'" 1000
measure "before: key_figures, county $COUNTY" \
    "SELECT * FROM bench.key_figures_before WHERE division_code = '$county12'" 200
measure "before: grid_sizes, county $COUNTY" \
    "SELECT * FROM bench.grid_sizes_before WHERE county_code = '$county12'" 200
script="\\timing on"$'\n'
for i in $(seq 1 "$RUNS"); do script+="SELECT sdbc.report_refresh();"$'\n'; done
q bench -At <<<"$script" >"$work/timing.out"
printf '%-44s %6s %10s  %-18s %s\n' "sdbc.report_refresh() (as postgres)" "-" \
    "$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/timing.out" | median)" "-" \
    "$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/timing.out" | paste -sd ' ')"
echo
echo "# after the run: $(others | wc -l) other suites/benchmarks running; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
