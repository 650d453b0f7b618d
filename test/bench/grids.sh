#!/usr/bin/env bash
# grids.sh — benchmark: drawing grids (R7.1) and placing households in them
# (R7.4), in one run, side by side:
#
#   1. kernel      sdbc.grid_partition() on one synthetic community of 20,000
#                  buildings / ~330,000 households, against ST_ClusterKMeans
#                  (grids_kernel.sql; grids_kernel_profile.c times the same
#                  kernel outside the server);
#   2. end to end  the Aksu-like data set (132 communities, 310,000
#                  households): sdbc.grid_draw_all('6529'), the reports, and
#                  sdbc.grid_reclassify('6529');
#   3. placement   re-placing every building and household set-based, the
#                  plain spatial join, and the per-row C trigger on INSERT
#                  against the same INSERT into a table without it.
#
#   bash test/bench/grids.sh
#
# Run as root, from anywhere, with the extension installed (make install, or
# bash test/run.sh). It starts a throwaway cluster of its own as user
# postgres (socket in a temp dir, no TCP, fsync=off), prints the figures and
# a summary against the targets, and stops and removes the cluster on exit
# (KEEP_BENCH_DIR=1 keeps it). Timings are reported, never asserted: the
# script exits 0 whatever they are. Takes about 5 minutes on 2 cores.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), SEED (2016),
# HOUSEHOLDS (310000, end to end), KMEANS_HOUSEHOLD_TIMEOUT (120s: the limit
# on k-means over one point per household), PERF=1 to also profile the kernel
# with perf (when perf is installed).
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SEED=${SEED:-2016}
HOUSEHOLDS=${HOUSEHOLDS:-310000}
KMEANS_HOUSEHOLD_TIMEOUT=${KMEANS_HOUSEHOLD_TIMEOUT:-120s}
NEW_HOUSEHOLDS=100000            # rows per INSERT of part 3(b)

# Stop with a message.
die() { echo "grids.sh: $*" >&2; exit 1; }

# Refuse to start without root, user postgres and the installed extension.
check_prerequisites() {
    [ "$(id -u)" -eq 0 ] || die "run as root (the cluster is started as user postgres with runuser)"
    id postgres >/dev/null 2>&1 || die "no user postgres"
    local sharedir
    sharedir=$("$PG_BIN/pg_config" --sharedir)
    [ -f "$sharedir/extension/sdbc.control" ] \
        || die "extension sdbc is not installed in $sharedir (run make install, or bash test/run.sh)"
    [ -f "$top/test/demo/generate_aksu.sql" ] || die "$top/test/demo/generate_aksu.sql is missing"
}

# Stop the cluster and remove its directory (the EXIT trap).
cleanup() {
    if [ -f "$work/data/postmaster.pid" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP_BENCH_DIR:-0}" = 1 ]; then
        echo "grids.sh: kept $work (socket $work/sock, port $port)" >&2
    else
        rm -rf "$work"
    fi
}

# A port nobody listens on and no socket file names.
free_port() {
    local p=55620
    while ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || [ -e "/tmp/.s.PGSQL.$p" ] \
          || [ -e "/var/run/postgresql/.s.PGSQL.$p" ]; do
        p=$((p + 1))
    done
    echo "$p"
}

# initdb and start a cluster as postgres: unix socket in $work/sock only,
# fsync off, memory for the 310,000-household data set, pg_stat_statements
# loaded (used only by the breakdown of part 2, with track = all there).
start_cluster() {
    runuser -u postgres -- "$PG_BIN/initdb" -D "$work/data" -A trust -U postgres \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 \
        || { cat "$work/initdb.log" >&2; die "initdb failed"; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
        -o "-k $work/sock -p $port -c listen_addresses='' -c fsync=off \
            -c shared_buffers=512MB -c work_mem=64MB -c maintenance_work_mem=256MB \
            -c max_wal_size=8GB -c checkpoint_timeout=1h \
            -c shared_preload_libraries=pg_stat_statements" \
        start >/dev/null || { cat "$work/server.log" >&2; die "server did not start"; }
}

# psql on database $1, stopping on the first error; other arguments follow.
q() {
    local db=$1
    shift
    "$PG_BIN/psql" -X -q -h "$work/sock" -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}

# Run one SQL statement on database $1 with \timing; print its wall time in
# ms, leave its unaligned output in $work/last.out.
time_sql() {
    q "$1" -At -c '\timing on' -c "$2" >"$work/last.raw"
    grep -v -e '^Time: ' -e '^Timing is on' "$work/last.raw" >"$work/last.out" || true
    sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/last.raw" | tail -1 | xargs printf '%.0f\n'
}

# Median of the numbers on stdin.
median() {
    sort -g | awk '{ a[NR] = $1 } END { printf "%.0f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# Milliseconds between two now() readings.
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

# One decimal.
r1() { awk -v x="$1" 'BEGIN { printf "%.1f", x }'; }

# Server log lines written since byte offset $1: the durations, executor
# lines and trigger times that auto_explain logged.
auto_explain_summary() {
    tail -c +"$(($1 + 1))" "$work/server.log" | awk '
        /LOG:  duration: / { sub(/.*duration: /, ""); d = $1; getline; sub(/^[ \t]*Query Text: /, "");
                             printf "  %9.0f ms  %s\n", d, substr($0, 1, 70); next }
        /^[ \t]*(Update|Insert) on / { sub(/^[ \t]*/, ""); t = $0; sub(/.*actual time=[0-9.]+\.\./, "", t); sub(/ .*/, "", t);
                                       sub(/  \(cost.*/, ""); printf "               %s: %.0f ms in the executor (before its AFTER triggers)\n", $0, t; next }
        /^[ \t]*Trigger / { sub(/^[ \t]*/, ""); printf "               %s\n", $0 }'
}

# Summary rows: target, measured, met / not met.
summary=()
# Add a summary row; $4 is an awk condition on x (the measured number).
target() {
    local what=$1 measured=$2 x=$3 cond=$4 verdict
    verdict=$(awk -v x="$x" "BEGIN { print (($cond) ? \"met\" : \"not met\") }")
    summary+=("$(printf '%-58s | %-26s | %s' "$what" "$measured" "$verdict")")
}

# Part 1: the kernel on one 20,000-building community, and k-means.
part1_kernel() {
    echo "## 1. Kernel: one community of 20,000 buildings, bounds 200–300"
    q postgres -c "CREATE DATABASE kernel"
    q kernel -c "SET client_min_messages = warning" -c "CREATE EXTENSION sdbc CASCADE"
    local t0
    t0=$(now)
    (cd "$here" && q kernel -v seed="$SEED" -v kmeans_household_timeout="$KMEANS_HOUSEHOLD_TIMEOUT" \
        -f grids_kernel.sql) >"$work/kernel.log" 2>&1 || { cat "$work/kernel.log" >&2; die "grids_kernel.sql failed"; }
    echo "(part 1 took $(($(ms_since "$t0") / 1000)) s)"
    q kernel -At -F ' ' -c "SELECT count(*), sum(households), count(*) FILTER (WHERE households <= 2),
                                   count(*) FILTER (WHERE households > 2 AND households < 55),
                                   count(*) FILTER (WHERE households >= 55) FROM kb.building" \
        | { read -r nb hh small mid big
            echo "input: $nb buildings, $hh households ($small of 1–2, $mid walk-ups, $big towers), $(q kernel -At -c 'SELECT count(*) FROM kb.cell') sites, $(q kernel -At -c 'SELECT cardinality(e) / 2 FROM kb.input') shared edges"; }
    echo "preparation (not timed as the kernel; the SQL of sdbc.grid_draw()):"
    q kernel -At -F '|' -c "SELECT step, round(ms) FROM kb.timing WHERE step IN ('voronoi cells', 'edges and arrays') ORDER BY step DESC" \
        | while IFS='|' read -r step ms; do echo "  $step: $ms ms"; done
    echo
    q kernel -P footer=off -c "SELECT method, time_ms AS \"time ms (median)\", grids,
                                      pct_in_bounds AS \"% in bounds\", in_pieces AS \"grids in pieces\",
                                      mean_pp AS \"mean PP\", min_hh AS \"min hh\", max_hh AS \"max hh\"
                                 FROM kb.result ORDER BY method LIKE 'sdbc%' DESC, time_ms NULLS LAST"
    q kernel -At -F ' ' -c "SELECT step, string_agg(round(ms)::text, ' ' ORDER BY run) FROM kb.timing
                             WHERE step NOT IN ('voronoi cells', 'edges and arrays') GROUP BY step ORDER BY step" \
        | sed 's/^/  runs (ms): /'
    q kernel -At -c "SELECT 'kernel report: ' || grids || ' grids, ' || in_bounds || ' in bounds, ' || pieces
                            || ' in pieces, reasons ' || reasons::text FROM kb.part"
    kernel_alone
    echo

    local ms grids inb pieces pp
    read -r ms grids inb pieces pp < <(q kernel -At -F ' ' -c \
        "SELECT time_ms, grids, pct_in_bounds, in_pieces, mean_pp FROM kb.result WHERE method LIKE 'sdbc%'")
    target "1. kernel time, 20,000 buildings: < 100 ms" "$ms ms (median of 5)" "$ms" "x < 100"
    target "1. kernel grids within 200-300: 100 %" "$inb % of $grids" "$inb" "x == 100"
    target "1. kernel grids in pieces: 0" "$pieces" "$pieces" "x == 0"
    target "1. kernel mean Polsby-Popper: >= 0.45" "$pp" "$pp" "x >= 0.45"
}

# The kernel alone, outside the server: grids_kernel_profile.c linked with
# src/kernel/grid_kernel.c, on the arrays grids_kernel.sql passed to the kernel.
kernel_alone() {
    command -v cc >/dev/null || { echo "kernel alone: no C compiler, skipped"; return; }
    q kernel -At -c "SELECT format('%s %s 200 300', cardinality(x), cardinality(e)) FROM kb.input" >"$work/kin.txt"
    q kernel -At -F ' ' -c "SELECT u.x, u.y, u.w FROM kb.input i, unnest(i.x, i.y, i.w) WITH ORDINALITY u(x, y, w, o) ORDER BY o" >>"$work/kin.txt"
    q kernel -At -c "SELECT array_to_string(e, ' ') FROM kb.input" >>"$work/kin.txt"
    cc -O2 -I "$top/src/kernel" "$here/grids_kernel_profile.c" "$top/src/kernel/grid_kernel.c" -lm -o "$work/kprof"
    "$work/kprof" 9 <"$work/kin.txt"
    if [ "${PERF:-0}" = 1 ] && command -v perf >/dev/null; then
        # not inlined, so that the time is charged to the kernel's steps
        cc -O2 -g -fno-inline -fno-omit-frame-pointer -I "$top/src/kernel" "$here/grids_kernel_profile.c" \
            "$top/src/kernel/grid_kernel.c" -lm -o "$work/kprof_ni"
        if perf record -q -o "$work/perf.data" "$work/kprof_ni" 9 <"$work/kin.txt" >/dev/null 2>&1; then
            echo "perf, kernel built with -fno-inline (share of samples, top 6):"
            perf report -i "$work/perf.data" --no-children --stdio 2>/dev/null \
                | awk '/^ +[0-9.]+%/ && n++ < 6 { printf "  %7s  %s\n", $1, $NF }'
        else
            echo "perf: cannot record here, skipped"
        fi
    fi
}

# Part 2: the whole Aksu-like data set, drawn end to end.
part2_end_to_end() {
    echo "## 2. End to end: Aksu-like data set, sdbc.grid_draw_all('6529')"
    q postgres -c "CREATE DATABASE aksu"
    q aksu -c "SET client_min_messages = warning" -c "CREATE EXTENSION sdbc CASCADE"
    (cd "$top" && q aksu -v csv=test/data/aksu_divisions.csv -f test/data/load_divisions.sql) >"$work/load.log"
    local t0 gen_ms
    t0=$(now)
    (cd "$top" && q aksu -v seed="$SEED" -v households="$HOUSEHOLDS" -f test/demo/generate_aksu.sql) >"$work/gen.log"
    gen_ms=$(ms_since "$t0")
    # an untouched copy, drawn again later for the breakdown
    q postgres -c "CREATE DATABASE aksu_profile TEMPLATE aksu"

    local draw_ms reclass_ms reclassed communities grids inb pieces hh outside gaps gap_m2 buildings residents live
    draw_ms=$(time_sql aksu "CREATE TABLE bench_draw AS SELECT * FROM sdbc.grid_draw_all('6529')")
    read -r communities grids inb pieces hh buildings < <(q aksu -At -F ' ' -c \
        "SELECT count(*), sum(grids), sum(in_bounds), sum(pieces), sum(households), sum(buildings) FROM bench_draw")
    residents=$(q aksu -At -c "SELECT count(*) FROM sdbc.resident")
    live=$(q aksu -At -c "SELECT count(*) FROM sdbc.grid WHERE valid_to IS NULL")
    outside=$(q aksu -At -c "SELECT count(*) FROM sdbc.household_outside_grid")
    read -r gaps gap_m2 < <(q aksu -At -F ' ' -c "SELECT count(*), coalesce(round(sum(gap_m2)), 0) FROM sdbc.community_coverage_gap")
    reclass_ms=$(time_sql aksu "SELECT count(*) FROM sdbc.grid_reclassify('6529')")
    reclassed=$(cat "$work/last.out")

    printf '%-44s %12s\n' "step" "result" "generate_aksu.sql (seed $SEED, $HOUSEHOLDS hh)" "$(r1 "$gen_ms") ms" \
        "  buildings / households / residents" "$buildings / $hh / $residents" \
        "grid_draw_all('6529')" "$(r1 "$draw_ms") ms" \
        "  communities drawn" "$communities" \
        "  grids (live grids in sdbc.grid)" "$grids ($live)" \
        "  grids within 200-300" "$inb" \
        "  grids in pieces" "$pieces" \
        "  households outside any grid" "$outside" \
        "  communities with a coverage gap (m2)" "$gaps ($gap_m2)" \
        "grid_reclassify('6529')" "$(r1 "$reclass_ms") ms" \
        "  grids reclassed" "$reclassed" | sed '1a\
-------------------------------------------- ------------'
    draw_breakdown
    echo

    local secs
    secs=$(awk -v x="$draw_ms" 'BEGIN { printf "%.1f", x / 1000 }')
    target "2. all grids drawn, $communities communities: < 60 s" "$secs s ($grids grids)" "$secs" "x < 60"
    target "2. grids within bounds / in pieces" "$inb of $grids / $pieces" "$((grids - inb + pieces))" "x == 0"
    target "2. households outside any grid / coverage gaps: 0" "$outside / $gaps" "$((outside + gaps))" "x == 0"
}

# Where the time of grid_draw_all goes: the untouched copy drawn again with
# pg_stat_statements tracking nested statements (times include children).
draw_breakdown() {
    q aksu_profile -c "CREATE EXTENSION pg_stat_statements"
    echo "breakdown (a second draw on an identical copy, pg_stat_statements.track = all; times include nested statements):"
    q aksu_profile -P footer=off <<'SQL' | sed 's/^/  /'
SET pg_stat_statements.track = 'all';
SELECT pg_stat_statements_reset() \gset
SELECT count(*) AS communities FROM sdbc.grid_draw_all('6529') \gset
SELECT round(total_exec_time) AS "total ms", calls,
       left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS statement
  FROM pg_stat_statements
 WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND query NOT LIKE '%pg_stat_statements%'
 ORDER BY total_exec_time DESC LIMIT 12;
SQL
}

# Part 3(a): set-based placement after grids change, and the plain join.
part3a_set_based() {
    echo "## 3a. Placement, set-based (aksu database)"
    local replace_sql="UPDATE sdbc.building b SET grid_code = sdbc.grid_at(b.community, b.location) WHERE b.grid_code IS DISTINCT FROM sdbc.grid_at(b.community, b.location)"
    local join_sql="SELECT count(*) FROM sdbc.household h JOIN sdbc.building b USING (building_id) JOIN sdbc.grid g ON g.valid_to IS NULL AND g.community OPERATOR(sdbc.=) b.community AND ST_Intersects(g.boundary, b.location)"
    local r ms reset_runs=() replace_runs=() join_runs=() replaced placed unplaced joined households grids
    households=$(q aksu -At -c "SELECT count(*) FROM sdbc.household")
    grids=$(q aksu -At -c "SELECT count(*) FROM sdbc.grid WHERE valid_to IS NULL")
    for r in 1 2 3; do
        # every building (and through its trigger every household) loses its grid
        reset_runs+=("$(time_sql aksu "UPDATE sdbc.building SET grid_code = NULL")")
        q aksu -c "VACUUM ANALYZE sdbc.building, sdbc.household"
        replace_runs+=("$(time_sql aksu "$replace_sql")")
        q aksu -c "VACUUM ANALYZE sdbc.building, sdbc.household"
    done
    placed=$(q aksu -At -c "SELECT count(*) FROM sdbc.household_placed WHERE grid_code IS NOT NULL")
    unplaced=$(q aksu -At -c "SELECT count(*) FROM sdbc.household_placed WHERE grid_code IS NULL")
    for r in 1 2 3; do
        join_runs+=("$(time_sql aksu "$join_sql")")
        joined=$(cat "$work/last.out")
    done
    printf '%-58s %14s  %s\n' "statement" "median ms" "runs" \
        "UPDATE building SET grid_code = NULL (reset, + trigger)" "$(printf '%s\n' "${reset_runs[@]}" | median)" "${reset_runs[*]}" \
        "UPDATE building SET grid_code = grid_at(...) (+ trigger)" "$(printf '%s\n' "${replace_runs[@]}" | median)" "${replace_runs[*]}" \
        "SELECT count(*) household JOIN building JOIN grid" "$(printf '%s\n' "${join_runs[@]}" | median)" "${join_runs[*]}" \
        | sed '1a\
---------------------------------------------------------- -------------- ----------------------'
    echo "households: $households in $grids live grids; after re-placement $placed placed, $unplaced without grid; the join finds $joined"

    # breakdown: one more reset and re-placement, logged by auto_explain
    q aksu -c "UPDATE sdbc.building SET grid_code = NULL" -c "VACUUM ANALYZE sdbc.building, sdbc.household"
    local off
    off=$(stat -c %s "$work/server.log")
    q aksu >/dev/null <<SQL
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 100;
SET auto_explain.log_analyze = on;
SET auto_explain.log_triggers = on;
SET auto_explain.log_nested_statements = on;
$replace_sql;
SQL
    sleep 0.5
    echo "breakdown of one re-placement (auto_explain, log_triggers; statements over 100 ms):"
    auto_explain_summary "$off"
    echo

    local rep_med join_med
    rep_med=$(printf '%s\n' "${replace_runs[@]}" | median)
    join_med=$(printf '%s\n' "${join_runs[@]}" | median)
    target "3a. re-place all $households households: < 1 s" "$(r1 "$rep_med") ms (UPDATE + trigger)" "$rep_med" "x < 1000"
    target "3a. spatial join, $households households: < 1 s" "$(r1 "$join_med") ms" "$join_med" "x < 1000"
}

# Part 3(b): the per-row C trigger on INSERT against no trigger.
part3b_per_row() {
    echo "## 3b. Placement, per row: INSERT … SELECT of $NEW_HOUSEHOLDS households into existing buildings"
    # the new households (a table, so that each INSERT reads the same rows)
    # and two copies of sdbc.household: without anything, and with its
    # foreign keys but no trigger
    q aksu <<SQL
CREATE TABLE bench_new_household AS
SELECT b.building_id, b.community, format('新%s室', i) AS unit,
       CASE WHEN i % 5 = 0 THEN 'floating' ELSE 'registered' END AS registration, i % 7 = 0 AS rental
  FROM generate_series(1, $NEW_HOUSEHOLDS) i
  JOIN (SELECT building_id, community, row_number() OVER (ORDER BY building_id) AS n FROM sdbc.building) b
    ON b.n = 1 + (i::bigint * 7919) % (SELECT count(*) FROM sdbc.building);
CREATE TABLE bench_household (LIKE sdbc.household INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES);
CREATE TABLE bench_household_fk (LIKE sdbc.household INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES);
ALTER TABLE bench_household_fk ADD FOREIGN KEY (building_id) REFERENCES sdbc.building;
VACUUM ANALYZE bench_new_household, sdbc.household;
SQL
    local hmax cols r t_trig=() t_plain=() t_fk=()
    hmax=$(q aksu -At -c "SELECT max(household_id) FROM sdbc.household")
    cols="building_id, community, unit, registration, rental"
    for r in 1 2 3; do
        t_trig+=("$(time_sql aksu "INSERT INTO sdbc.household ($cols) SELECT $cols FROM bench_new_household")")
        [ "$(q aksu -At -c "SELECT count(*) FROM sdbc.household_placed WHERE household_id > $hmax AND grid_code IS NOT NULL")" = "$NEW_HOUSEHOLDS" ] \
            || echo "warning: not every new household was placed in a grid"
        q aksu -c "DELETE FROM sdbc.household WHERE household_id > $hmax" -c "VACUUM sdbc.household"
        t_plain+=("$(time_sql aksu "INSERT INTO bench_household ($cols) SELECT $cols FROM bench_new_household")")
        q aksu -c "TRUNCATE bench_household"
        t_fk+=("$(time_sql aksu "INSERT INTO bench_household_fk ($cols) SELECT $cols FROM bench_new_household")")
        q aksu -c "TRUNCATE bench_household_fk"
    done
    local m_trig m_plain m_fk
    m_trig=$(printf '%s\n' "${t_trig[@]}" | median)
    m_plain=$(printf '%s\n' "${t_plain[@]}" | median)
    m_fk=$(printf '%s\n' "${t_fk[@]}" | median)
    printf '%-56s %10s %10s  %s\n' "INSERT ... SELECT of $NEW_HOUSEHOLDS rows into" "median ms" "rows/s" "runs (ms)" \
        "sdbc.household (C trigger household_place, FK)" "$m_trig" "$(awk -v n=$NEW_HOUSEHOLDS -v m="$m_trig" 'BEGIN { printf "%.0f", n / m * 1000 }')" "${t_trig[*]}" \
        "bench_household_fk (same FK, no trigger)" "$m_fk" "$(awk -v n=$NEW_HOUSEHOLDS -v m="$m_fk" 'BEGIN { printf "%.0f", n / m * 1000 }')" "${t_fk[*]}" \
        "bench_household (no trigger, no FK)" "$m_plain" "$(awk -v n=$NEW_HOUSEHOLDS -v m="$m_plain" 'BEGIN { printf "%.0f", n / m * 1000 }')" "${t_plain[*]}" \
        | sed '1a\
-------------------------------------------------------- ---------- ----------  ---------------------'

    # breakdown: one more INSERT, logged by auto_explain
    local off
    off=$(stat -c %s "$work/server.log")
    q aksu >/dev/null <<SQL
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 100;
SET auto_explain.log_analyze = on;
SET auto_explain.log_triggers = on;
INSERT INTO sdbc.household ($cols) SELECT $cols FROM bench_new_household;
SQL
    q aksu -c "DELETE FROM sdbc.household WHERE household_id > $hmax"
    sleep 0.5
    echo "breakdown of one INSERT into sdbc.household (auto_explain, log_triggers):"
    auto_explain_summary "$off"
    echo

    local rate
    rate=$(awk -v n=$NEW_HOUSEHOLDS -v m="$m_trig" 'BEGIN { printf "%.0f", n / m * 1000 }')
    target "3b. per-row trigger path: >= 40,000 rows/s" "$rate rows/s" "$rate" "x >= 40000"
}

check_prerequisites
work=$(mktemp -d "${TMPDIR:-/tmp}/sdbc-grids.XXXXXX")
chmod 755 "$work"
mkdir "$work/sock"
chown postgres: "$work" "$work/sock"
port=$(free_port)
trap cleanup EXIT
start_cluster

echo "# sdbc grids benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# $(q postgres -At -c 'SELECT version()' | sed 's/ on x86_64.*//'), PostGIS $(q postgres -At -c "CREATE EXTENSION postgis" -c "SELECT postgis_lib_version() || ', GEOS ' || postgis_geos_version()" -c "DROP EXTENSION postgis")"
echo "# repo at $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$top" status --porcelain -- src sql 2>/dev/null | wc -l) files changed in src/ sql/); installed sdbc.so of $(date -u -r "$("$PG_BIN/pg_config" --pkglibdir)/sdbc.so" +%Y-%m-%dT%H:%MZ)"
echo "# seed $SEED; load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine makes timings noisy)"
echo
part1_kernel
part2_end_to_end
part3a_set_based
part3b_per_row
echo "## Targets"
printf '%-58s | %-26s | %s\n' "target" "measured" "verdict"
printf '%s\n' "${summary[@]}"
echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
