#!/usr/bin/env bash
# service.sh — benchmark: a year of service-matter applications (R4.2) at
# Aksu scale through the approval engine, then the overdue view.
#
#   1. load      the Aksu division codes and registry (test/demo/generate_aksu.sql:
#                132 communities, 310,000 households, ~852,000 residents; timed
#                apart), staff per community (hall, a handler at the window,
#                two investigating handlers, a review board member) and per
#                county (one member of every county office on the matters'
#                routes); then, timed, 150,000 applications by sdbc.apply()
#                over the 13 built-in matters (about 15 % dibao 低保) and every
#                step decided by sdbc.decide(), set-based: one statement per
#                step (service.sql, phases apply … reasons).  About 5 % are
#                refused at the county (with written reasons afterwards), half
#                of the dibao cases get the optional democratic review, about
#                2 % of them an objection during the public notice (and go
#                round again).  The 7 days of the notice are simulated: the
#                notice's step_started_on moves back 7 days (superuser, with
#                the trigger approval_case_guard disabled meanwhile).
#                Afterwards every case's hash chain is checked (verify_chain).
#   2. overdue   15,000 more applications (10 % of the year) left open at
#                various steps, their steps started over the past 60 days;
#                then, median of 10 runs each (and one EXPLAIN ANALYZE):
#                  SELECT count(*) FROM sdbc.service_open WHERE county = '652901' AND overdue
#                  SELECT * FROM sdbc.case_overdue WHERE division <@ '652901'
#
#   bash test/bench/service.sh
#
# Run as root, from anywhere, with the extension installed (make install from
# a copy of the repo). It first waits (up to 15 minutes) until no other
# benchmark of test/bench runs, since the machine has 2 cores; then starts a
# throwaway cluster as user postgres (socket in a temp dir, no TCP,
# fsync=off), prints the figures and the targets met / not met, and stops and
# removes the cluster on exit (KEEP_BENCH_DIR=1 keeps it). Timings are
# reported, never asserted: the script exits 0 whatever they are. Takes about
# 6-10 minutes on 2 cores, besides the wait.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), SEED (2016),
# HOUSEHOLDS (310000), APPLICATIONS (150000), OPEN_APPLICATIONS (15000),
# JOBS (1: sessions sharing each decision phase, on disjoint cases),
# VERIFY_SAMPLE (0: check every case's chain; N: N random cases),
# RUNS (10), WAIT_QUIET (900 s; 0 to skip the wait).
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SEED=${SEED:-2016}
HOUSEHOLDS=${HOUSEHOLDS:-310000}
APPLICATIONS=${APPLICATIONS:-150000}
OPEN_APPLICATIONS=${OPEN_APPLICATIONS:-15000}
JOBS=${JOBS:-1}
VERIFY_SAMPLE=${VERIFY_SAMPLE:-0}
RUNS=${RUNS:-10}
WAIT_QUIET=${WAIT_QUIET:-900}
COUNTY=652901

# The decision phases of service.sql, in order, with what they do.  Both
# investigation phases run twice: the second time for the cases an
# objection sent back.
PHASES=(apply hall investigate1 investigate2 review object investigate1 investigate2
        notice_days close_notice county reasons)
declare -A PHASE_DOES=(
    [apply]="sdbc.apply(): application taken, case submitted"
    [hall]="hall: devolved review 初审 / dibao accept 受理 (step 1)"
    [investigate1]="dibao: first investigator (step 2)"
    [investigate2]="dibao: second investigator (step 2)"
    [review]="dibao: democratic review, optional (step 3, decide)"
    [object]="dibao: objection during the notice → step 2"
    [notice_days]="dibao: 7 days pass (UPDATE step_started_on, guard off)"
    [close_notice]="dibao: the hall closes the notice (step 4)"
    [county]="county department decides: approve / reject"
    [reasons]="written reasons after each refusal"
)

# When the installed sdbc.so was written (each phase is a new session, so a
# reinstall during the run would change the build under it).
so_time() { date -u -r "$("$PG_BIN/pg_config" --pkglibdir)/sdbc.so" +%Y-%m-%dT%H:%M:%SZ; }

# Stop with a message.
die() { echo "service.sh: $*" >&2; exit 1; }

# Refuse to start without root, user postgres, the installed extension and the data.
check_prerequisites() {
    [ "$(id -u)" -eq 0 ] || die "run as root (the cluster is started as user postgres with runuser)"
    id postgres >/dev/null 2>&1 || die "no user postgres"
    local sharedir
    sharedir=$("$PG_BIN/pg_config" --sharedir)
    [ -f "$sharedir/extension/sdbc.control" ] \
        || die "extension sdbc is not installed in $sharedir (make install from a copy of the repo)"
    [ -f "$top/test/demo/generate_aksu.sql" ] || die "$top/test/demo/generate_aksu.sql is missing"
    [ -f "$top/test/data/aksu_divisions.csv" ] || die "$top/test/data/aksu_divisions.csv is missing"
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

# Other benchmarks of test/bench running now (another service.sh included,
# this one and its children not), one per line.
other_benchmarks() {
    local pid rest
    pgrep -af 'test/bench/' | while read -r pid rest; do
        is_ours "$pid" || echo "$pid $rest"
    done
}

# Wait until no other benchmark runs, checking every 30 s, for at most
# WAIT_QUIET seconds; note in $quiet_note what was found.
wait_for_quiet() {
    local waited=0 others
    others=$(other_benchmarks)
    while [ -n "$others" ] && [ "$waited" -lt "$WAIT_QUIET" ]; do
        echo "service.sh: waiting for other benchmarks to finish ($waited s):" >&2
        echo "$others" | sed 's/^/    /' >&2
        sleep 30
        waited=$((waited + 30))
        others=$(other_benchmarks)
    done
    if [ -z "$others" ]; then
        quiet_note="no other benchmark of test/bench running (waited $waited s)"
    else
        quiet_note="other benchmarks still running after $waited s: $(echo "$others" | cut -c1-120 | paste -sd ';')"
    fi
}

# Stop the cluster and remove its directory (the EXIT trap).
cleanup() {
    if [ -f "$work/data/postmaster.pid" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP_BENCH_DIR:-0}" = 1 ]; then
        echo "service.sh: kept $work (socket $work/sock, port $port)" >&2
    else
        rm -rf "$work"
    fi
}

# A port nobody listens on and no socket file names (5499 and 55432 are
# other people's clusters, skipped).
free_port() {
    local p=55860
    while [ "$p" = 55432 ] || [ "$p" = 5499 ] || ss -Hltn "sport = :$p" 2>/dev/null | grep -q . \
          || [ -e "/tmp/.s.PGSQL.$p" ] || [ -e "/var/run/postgresql/.s.PGSQL.$p" ]; do
        p=$((p + 1))
    done
    echo "$p"
}

# initdb and start the cluster: unix socket in $work/sock only, fsync off,
# memory for the registry and the cases, checkpoints far apart, no JIT.
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

# psql on database $1, stopping on the first error; other arguments follow.
q() {
    local db=$1
    shift
    "$PG_BIN/psql" -X -q -h "$work/sock" -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}

# Milliseconds since the epoch, and since $1.
now() { date +%s%3N; }
ms_since() { echo $(( $(now) - $1 )); }

# Seconds with one decimal from milliseconds.
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

# Median of the numbers on stdin.
median() {
    sort -g | awk '{ a[NR] = $1 } END { printf "%.1f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Per second: $1 things in $2 ms.
per_sec() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0) ? n / (ms / 1000) : 0 }'; }

# Run one phase of service.sql on batch $2 ($1 = phase), in JOBS sessions at
# once on disjoint cases (notice_days and spread in one); set phase_ms and
# phase_n (the decisions the phase made).
run_phase() {
    local phase=$1 batch=$2 jobs=$JOBS p t0 pids=()
    case $phase in notice_days|spread) jobs=1 ;; esac
    rm -f "$work"/phase.*
    t0=$(now)
    for p in $(seq 0 $((jobs - 1))); do
        q bench -At -v phase="$phase" -v batch="$batch" -v jobs="$jobs" -v part="$p" \
            -v applications="$APPLICATIONS" -v open_applications="$OPEN_APPLICATIONS" \
            -f "$here/service.sql" >"$work/phase.$p" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do
        wait "$p" || { cat "$work"/phase.* >&2; die "phase $phase ($batch) failed"; }
    done
    phase_ms=$(ms_since "$t0")
    phase_n=$(cat "$work"/phase.* | awk '/^[0-9]+$/ { s += $1 } END { print s + 0 }')
}

# Part 0: the registry, the staff and the plan (not part of the targets).
part0_setup() {
    echo "## 0. Setup (not timed for the targets)"
    q postgres -c "CREATE DATABASE bench"
    q bench -c "SET client_min_messages = warning" -c "CREATE EXTENSION sdbc CASCADE"
    local t0 div_ms gen_ms setup_ms communities households residents staff
    t0=$(now)
    (cd "$top" && q bench -v csv=test/data/aksu_divisions.csv -f test/data/load_divisions.sql) >"$work/load.log"
    div_ms=$(ms_since "$t0")
    t0=$(now)
    (cd "$top" && q bench -v seed="$SEED" -v households="$HOUSEHOLDS" -f test/demo/generate_aksu.sql) >"$work/gen.log"
    gen_ms=$(ms_since "$t0")
    t0=$(now)
    q bench -At -F ' ' -v phase=setup -v applications="$APPLICATIONS" -v open_applications="$OPEN_APPLICATIONS" \
        -f "$here/service.sql" >"$work/setup.out"
    setup_ms=$(ms_since "$t0")
    read -r communities households residents staff < <(q bench -At -F ' ' -c \
        "SELECT (SELECT count(DISTINCT community) FROM sdbc.household), (SELECT count(*) FROM sdbc.household),
                (SELECT count(*) FROM sdbc.resident), (SELECT count(*) FROM sdbc.staff)")
    printf '%-58s %12s\n' "step" "time" \
        "load_divisions.sql (aksu_divisions.csv)" "$(secs "$div_ms") s" \
        "generate_aksu.sql (seed $SEED, $HOUSEHOLDS households)" "$(secs "$gen_ms") s" \
        "  communities / households / residents" "$communities / $households / $residents" \
        "staff, office members, plan (service.sql phase setup)" "$(secs "$setup_ms") s" \
        "  staff (5 per community, 8 offices x counties)" "$staff" | sed '1a\
---------------------------------------------------------- ------------'
    echo "plan (batch, applications, dibao, to refuse, to object):"
    sed 's/^/  /' "$work/setup.out"
    echo
}

# Part 1: the year of applications, every step decided; then the chains.
part1_year() {
    echo "## 1. A year of applications: $APPLICATIONS, every step decided (JOBS=$JOBS session(s) per phase)"
    local phase total_ms=0 total_n=0 rows=()
    for phase in "${PHASES[@]}"; do
        run_phase "$phase" year
        total_ms=$((total_ms + phase_ms))
        total_n=$((total_n + phase_n))
        rows+=("$(printf '%-13s %-58s %9s %10s %9s' "$phase" "${PHASE_DOES[$phase]}" "$phase_n" \
                  "$(secs "$phase_ms")" "$(per_sec "$phase_n" "$phase_ms")")")
    done
    printf '%-13s %-58s %9s %10s %9s\n' "phase" "what" "decisions" "seconds" "per s"
    printf '%s\n' "------------- ---------------------------------------------------------- --------- ---------- ---------"
    printf '%s\n' "${rows[@]}"
    printf '%-13s %-58s %9s %10s %9s\n' "total" "" "$total_n" "$(secs "$total_ms")" "$(per_sec "$total_n" "$total_ms")"
    local in_table open_left
    read -r in_table open_left < <(q bench -At -F ' ' -c \
        "SELECT count(*), (SELECT count(*) FROM sdbc.approval_case WHERE status = 'open') FROM sdbc.decision")
    echo "decisions in sdbc.decision: $in_table; cases still open: $open_left"
    year_ms=$total_ms
    year_n=$total_n
    year_open=$open_left

    local t0 verify_ms broken checked
    t0=$(now)
    read -r broken checked < <(q bench -At -F ' ' -v phase=verify -v sample="$VERIFY_SAMPLE" -f "$here/service.sql")
    verify_ms=$(ms_since "$t0")
    verify_what=$([ "$VERIFY_SAMPLE" -gt 0 ] && echo "sample of $checked random cases" || echo "all $checked cases")
    echo "hash chains: $broken broken, $verify_what checked with sdbc.verify_chain in $(secs "$verify_ms") s"
    echo
    verify_broken=$broken
}

# Part 2a: the open applications, left at various steps, their steps
# started over the past 60 days.
part2_open_cases() {
    echo "## 2a. $OPEN_APPLICATIONS applications left open at various steps (not part of target 1)"
    local phase t0 n=0
    t0=$(now)
    for phase in "${PHASES[@]}"; do
        run_phase "$phase" open
        n=$((n + phase_n))
    done
    run_phase spread open
    echo "decisions: $n in $(secs "$(ms_since "$t0")") s (with the spread of step_started_on and VACUUM ANALYZE)"
    q bench -P footer=off -c "
        SELECT route_code = 'dibao' AS dibao, current_step, count(*) AS open_cases,
               min(step_started_on) AS earliest_start, max(step_started_on) AS latest_start
          FROM sdbc.approval_case WHERE status = 'open' GROUP BY 1, 2 ORDER BY 1, 2" | sed 's/^/  /'
    read -r open_all open_county overdue_county < <(q bench -At -F ' ' -c "
        SELECT (SELECT count(*) FROM sdbc.approval_case WHERE status = 'open'),
               (SELECT count(*) FROM sdbc.approval_case WHERE status = 'open' AND division OPERATOR(sdbc.<@) '$COUNTY'),
               (SELECT count(*) FROM sdbc.approval_case c JOIN sdbc.route_step s
                    ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step
                 WHERE c.status = 'open' AND c.division OPERATOR(sdbc.<@) '$COUNTY'
                   AND sdbc.add_working_days(c.step_started_on, s.time_limit_days) < CURRENT_DATE)")
    local cases_all
    cases_all=$(q bench -At -c "SELECT count(*) FROM sdbc.approval_case")
    echo "open cases: $open_all of $cases_all ($(awk -v a="$open_all" -v b="$cases_all" 'BEGIN { printf "%.1f", 100 * a / b }') %); in county $COUNTY: $open_county, of which overdue: $overdue_county"
    echo
}

# Time query $1 RUNS times in one session (rows to /dev/null); set
# query_median (ms) and query_runs.
time_query() {
    local sql=$1 i script
    script="SET search_path = sdbc, public;"$'\n'"\\o /dev/null"$'\n'"\\timing on"$'\n'
    for i in $(seq 1 "$RUNS"); do script+="$sql;"$'\n'; done
    q bench -At <<<"$script" >"$work/timing.out"
    query_runs=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/timing.out" | paste -sd ' ')
    query_median=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/timing.out" | median)
}

# EXPLAIN (ANALYZE, BUFFERS) of query $1, once, indented.
explain_query() {
    q bench -At -c "SET search_path = sdbc, public" -c "EXPLAIN (ANALYZE, BUFFERS) $1" | sed 's/^/    /'
}

# Part 2b: the overdue view for one county.
part2_overdue() {
    echo "## 2b. The overdue view for county $COUNTY (median of $RUNS runs, client-side \\timing)"
    local q1="SELECT count(*) FROM sdbc.service_open WHERE county = '$COUNTY' AND overdue"
    local q2="SELECT * FROM sdbc.case_overdue WHERE division <@ '$COUNTY'"
    local n1 n2
    n1=$(q bench -At -c "SET search_path = sdbc, public" -c "$q1")
    n2=$(q bench -At -c "SET search_path = sdbc, public" -c "SELECT count(*) FROM ($q2) x")
    time_query "$q1"; m1=$query_median; r1=$query_runs
    time_query "$q2"; m2=$query_median; r2=$query_runs
    printf '%-72s %6s %10s  %s\n' "query" "rows" "median ms" "runs (ms)" \
        "$q1" "$n1" "$m1" "$r1" \
        "$q2" "$n2" "$m2" "$r2" | sed '1a\
------------------------------------------------------------------------ ------ ---------- ---------------------'
    echo
    echo "EXPLAIN (ANALYZE, BUFFERS) $q1"
    explain_query "$q1"
    echo
    echo "EXPLAIN (ANALYZE, BUFFERS) $q2"
    explain_query "$q2"
    echo
    overdue_breakdown
    echo
}

# Where the time of the overdue view goes: the working-day functions alone,
# per open case of the county, against the plain join without them.
overdue_breakdown() {
    echo "breakdown, over the $open_county open cases of county $COUNTY (median of $RUNS runs each):"
    local base="FROM sdbc.approval_case c JOIN sdbc.route_step s ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step WHERE c.status = 'open' AND c.division <@ '$COUNTY'"
    local label sql rows=()
    local whatif="$base AND (SELECT w1.day FROM bench.workday w0 JOIN bench.workday w1 ON w1.k = w0.k + s.time_limit_days AND w1.working WHERE w0.day = c.step_started_on) < CURRENT_DATE"
    for label in "the join alone, no working days|SELECT count(*) $base" \
                 "overdue: add_working_days() < CURRENT_DATE|SELECT count(*) $base AND add_working_days(c.step_started_on, s.time_limit_days) < CURRENT_DATE" \
                 "overdue: working_days_between() >= limit|SELECT count(*) $base AND working_days_between(c.step_started_on, CURRENT_DATE - 1) >= s.time_limit_days" \
                 "what-if: overdue by a dense calendar table|SELECT count(*) $whatif"; do
        sql=${label#*|}
        time_query "$sql"
        rows+=("$(printf '  %-44s %6s %10s' "${label%%|*}" "$(q bench -At -c "SET search_path = sdbc, public" -c "$sql")" "$query_median")")
    done
    printf '  %-44s %6s %10s\n' "over the open cases of the county" "count" "median ms"
    printf '%s\n' "${rows[@]}"
    echo "  (the same overdue test three ways, so the counts must agree: add_working_days() as the view"
    echo "   does and working_days_between(), both C over the per-backend calendar copy (closed form"
    echo "   over whole weeks plus the listed days in range); a what-if, bench.workday: every day with"
    echo "   k = working days up to it, the n-th working day after d being the one with k = k(d) + n,"
    echo "   two index probes per case)"
}

# Part 3: figures of the data for the report.
part3_counts() {
    echo "## 3. The data afterwards"
    q bench -P footer=off -v phase=counts -f "$here/service.sql" | sed 's/^/  /'
    echo
}

# Summary rows: target, measured, met / not met.
summary=()
# Add a summary row; $4 is an awk condition on x (the measured number).
target() {
    local what=$1 measured=$2 x=$3 cond=$4 verdict
    verdict=$(awk -v x="$x" "BEGIN { print (($cond) ? \"met\" : \"not met\") }")
    summary+=("$(printf '%-62s | %-34s | %s' "$what" "$measured" "$verdict")")
}

check_prerequisites
wait_for_quiet
work=$(mktemp -d "${TMPDIR:-/tmp}/sdbc-service.XXXXXX")
chmod 755 "$work"
mkdir "$work/sock"
chown postgres: "$work" "$work/sock"
port=$(free_port)
trap cleanup EXIT
start_cluster

echo "# sdbc service-matters benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# $(q postgres -At -c 'SELECT version()' | sed 's/ on x86_64.*//'); fsync=off, shared_buffers=1GB, jit=off"
so_at_start=$(so_time)
echo "# repo at $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$top" status --porcelain -- src sql 2>/dev/null | wc -l) files changed in src/ sql/); installed sdbc.so of $so_at_start"
echo "# before the run: $quiet_note; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
part0_setup
# the machine has 2 cores: wait again before the timed part
wait_for_quiet
echo "# before the timed load: $quiet_note; load average $(cut -d' ' -f1-3 /proc/loadavg)"
part1_year
part2_open_cases
part2_overdue
part3_counts

echo "## Targets"
printf '%-62s | %-34s | %s\n' "target" "measured" "verdict"
target "1. $APPLICATIONS applications, every step decided: < 5 min" \
    "$(secs "$year_ms") s, $year_n decisions, $(per_sec "$year_n" "$year_ms")/s" "$year_ms" "x < 300000"
target "1. cases left open after the year's load: 0" "$year_open" "$year_open" "x == 0"
target "1. broken hash chains ($verify_what): 0" "$verify_broken" "$verify_broken" "x == 0"
target "2. service_open, county $COUNTY, overdue: < 100 ms" "$m1 ms (median of $RUNS)" "$m1" "x < 100"
target "2. case_overdue WHERE division <@ '$COUNTY': < 100 ms" "$m2 ms (median of $RUNS)" "$m2" "x < 100"
printf '%s\n' "${summary[@]}"
echo
echo "# after the run: other benchmarks: $(other_benchmarks | wc -l); load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$(so_time)" != "$so_at_start" ]; then
    echo "# WARNING: sdbc.so was installed again during the run ($so_at_start, now $(so_time)): phases may have run different builds"
fi
exit 0
