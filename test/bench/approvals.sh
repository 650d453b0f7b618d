#!/usr/bin/env bash
# approvals.sh — benchmark: the approval engine's public API, two installed
# builds SIDE BY SIDE in one run (issue 14 section 4): today's baseline
# (BASE_PG_BIN) and the build under test (PG_BIN), each in its own throwaway
# cluster, both running at once, runs interleaved (base, new, base, new …),
# fsync=off and one client, so that the figures are CPU per call; the load
# average is printed beside every figure.  Both clusters get the same data
# (test/bench/expenses.sql of this checkout, whatever the build's own
# release had, plus approvals.sql) and run the same statements.
#
#   (d) C triggers against the PL/pgSQL baseline: expenses.sh part 1's
#       inserts (this script sources expenses.sh for them), D_ROWS expenses
#       into sdbc.expense and into expense_plpgsql.sql's copies, D_REPS times;
#   then at two data sizes, 1x and 4x OPEN_CASES open expenses (submitted
#   through the triggers on expense_small):
#   (a) approvals per second through sdbc.sign: a file of APPROVALS single
#       statements "SELECT sdbc.sign(expense, actor);" sent one by one by
#       psql, as an application sends them (bench_plan in approvals.sql:
#       every step of APPROVALS/4 open expenses, the same ones on both builds);
#   (b) submissions per second, SUBMISSIONS single statements each, through
#       sdbc.submit_expense(…) and through a plain one-row INSERT INTO
#       sdbc.expense;
#   (c) the floor: FLOOR_ROWS submissions written set-based in one statement
#       (case, submission decision with its hash, expense) into copies of the
#       three tables with every index and foreign key but no trigger, as big
#       as the real ones; beside it the same FLOOR_ROWS expenses by one
#       INSERT … SELECT into sdbc.expense through the triggers.
#   Each figure is the median of REPS runs (wall time, and the backend's CPU
#   time from /proc, which holds better when others share the machine); then
#   a table: figure | base | new | ratio by wall and by CPU time | target |
#   met / not met (verdicts by CPU time).  Targets (issue 14 section 4):
#   approvals >= 1.7x base; a submission within 1.5x of the floor (the
#   set-based insert through the triggers against the floor, same rows);
#   C >= 2x PL/pgSQL.  Reported, never asserted: the script exits 0 whatever
#   the figures are.  Afterwards both builds must have approved the same
#   cases with no broken chain (printed).
#
#   bash test/bench/approvals.sh
#
# Run as root with both builds installed (make install into each; never
# reinstall into the baseline's tree); no other setting.  At a quarter of
# the default sizes it took 4.5 minutes under a load of 7 on 2 cores; the
# default sizes are meant to fit in about 8 minutes on idle cores (not yet
# timed: lower OPEN_CASES, REPS or D_ROWS if they do not).  Environment: BASE_PG_BIN (/opt/pg7/usr/lib/postgresql/15/bin: the
# baseline, commit 612f712), PG_BIN (/usr/lib/postgresql/15/bin: the build
# under test), OPEN_CASES (20000: size 1x; 4x adds 3 x OPEN_CASES), APPROVALS
# (2000 a run), SUBMISSIONS (1000 a run and kind), FLOOR_ROWS (5000), REPS
# (3), D_ROWS (10000), D_REPS (2), KEEP_BENCH_DIR (1 keeps the clusters'
# directory).  Clusters: initdb'd as user postgres in a temp dir, sockets
# only, fsync=off, autovacuum=off, stopped and removed on exit.
set -euo pipefail
export LC_ALL=C.UTF-8

BASE_PG_BIN=${BASE_PG_BIN:-/opt/pg7/usr/lib/postgresql/15/bin}
NEW_PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
OPEN_CASES=${OPEN_CASES:-20000}
APPROVALS=${APPROVALS:-2000}
SUBMISSIONS=${SUBMISSIONS:-1000}
FLOOR_ROWS=${FLOOR_ROWS:-5000}
REPS=${REPS:-3}
D_REPS=${D_REPS:-2}
ROWS=${D_ROWS:-10000}       # expenses.sh's ROWS: the size of bench_input, part (d)'s insert

# expenses.sh's functions (start_cluster, q, val, time_sql, median, rate,
# reset_real, reset_plpgsql, prepare_open_cases, …); they act on the cluster
# that PG_BIN and port name, which use() sets.
# shellcheck source=expenses.sh
source "$(cd "$(dirname "$0")" && pwd)/expenses.sh"

# Make build $1 (base or new) the one expenses.sh's functions act on.
use() {
    case $1 in
        base) PG_BIN=$BASE_PG_BIN; port=$base_port ;;
        new) PG_BIN=$NEW_PG_BIN; port=$new_port ;;
    esac
}

# The 1-minute load average.
load() { cut -d' ' -f1 /proc/loadavg; }

# Refuse to start without both builds (expenses.sh checks the rest).
check_builds() {
    local b
    for b in "$BASE_PG_BIN" "$NEW_PG_BIN"; do
        PG_BIN=$b
        check_prerequisites
    done
    [ "$BASE_PG_BIN" != "$NEW_PG_BIN" ] || echo "approvals.sh: BASE_PG_BIN and PG_BIN are the same build" >&2
}

# The installed sdbc.so of build $1, as an md5 sum.
build_of() { use "$1"; build_id; }

# A second free port after $1 (free_port skips only sockets in /tmp and
# /var/run/postgresql and TCP listeners; the base cluster's is in $work/sock).
next_port() {
    local p=$(($1 + 1))
    while ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || [ -e "/tmp/.s.PGSQL.$p" ] \
          || [ -e "/var/run/postgresql/.s.PGSQL.$p" ] || [ "$p" = 55432 ] || [ "$p" = 5499 ]; do
        p=$((p + 1))
    done
    echo "$p"
}

# Run the statements of file $2 on build $1 in one new session, one by one
# (psql sends each as its own query), after a checkpoint; print "wall_ms
# cpu_ms load" (wall time of the statements, the backend's CPU time, the
# load average after).
run_file() {
    local b=$1 file=$2
    use "$b"
    q bench -c CHECKPOINT
    {
        echo "SELECT pg_backend_pid() AS pid \\gset"
        echo "\\set cpu0 \`awk '{ print \$14 + \$15 }' /proc/:pid/stat\`"
        echo "\\set t0 \`date +%s%N\`"
        echo "\\o /dev/null"
        cat "$file"
        echo "\\o"
        echo "\\set t1 \`date +%s%N\`"
        echo "\\set cpu1 \`awk '{ print \$14 + \$15 }' /proc/:pid/stat\`"
        echo "\\echo times :t0 :t1 :cpu0 :cpu1"
    } >"$work/run.sql"
    q bench -At -f "$work/run.sql" >"$work/run.raw"
    awk -v hz="$(getconf CLK_TCK)" -v l="$(load)" '$1 == "times" {
        printf "%.1f %.0f %s\n", ($3 - $2) / 1e6, ($5 - $4) * 1000 / hz, l }' "$work/run.raw"
}

# Time one statement $2 on build $1 as expenses.sh's time_sql does; print
# "wall_ms cpu_ms load".
run_sql() {
    use "$1"
    printf '%s %s\n' "$(time_sql "$2")" "$(load)"
}

# Results: file $work/fig-<figure>-<build> holds one "wall_ms cpu_ms load"
# line per run.  Print a run's line: figure, run, both builds.
show_run() {
    local fig=$1 rep=$2
    printf '  %-28s run %d: base %s ms wall / %s ms CPU (load %s) | new %s ms wall / %s ms CPU (load %s)\n' \
        "$fig" "$rep" $(tail -1 "$work/fig-$fig-base") $(tail -1 "$work/fig-$fig-new")
}

# Median of column $2 (1 wall, 2 CPU, 3 load) of figure $1 on build $3.
fig_median() { cut -d' ' -f"$2" "$work/fig-$1-$3" | median; }

# Calls per second of $2 calls in the median wall time of figure $1, build $3.
fig_rate() { rate "$2" "$(fig_median "$1" 1 "$3")"; }

# µs per call of the median backend CPU time of figure $1, build $3, $2 calls.
fig_cpu_us() { awk -v ms="$(fig_median "$1" 2 "$3")" -v n="$2" 'BEGIN { printf "%.1f", ms * 1000 / n }'; }

# Build two identical databases and run part (d) interleaved.
setup_and_part_d() {
    local b rep
    for b in base new; do
        use "$b"
        start_cluster "$b" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off \
            -c max_locks_per_transaction=256"
    done
    both create_db
    echo "## (d) C triggers against the PL/pgSQL baseline: $ROWS expenses in one INSERT … SELECT (expenses.sh part 1), $D_REPS runs"
    for rep in $(seq 1 "$D_REPS"); do
        for b in base new; do
            use "$b"
            reset_plpgsql
            run_sql "$b" "INSERT INTO bench_expense ($COLUMNS) SELECT $COLUMNS FROM bench_input" >>"$work/fig-plpgsql-$b"
            reset_real
            run_sql "$b" "INSERT INTO sdbc.expense ($COLUMNS) SELECT $COLUMNS FROM bench_input" >>"$work/fig-ctrig-$b"
        done
        show_run plpgsql "$rep"
        show_run ctrig "$rep"
    done
    both reset_db
}

# Empty build $1's engine tables after part (d) (expenses.sh's reset_real).
reset_db() { reset_real >/dev/null; }

# Run "$1 <build> args…" for both builds at once (untimed set-up: two
# cores); stop when either failed.
both() {
    local f=$1 pb pn
    shift
    ( use base; "$f" base "$@" ) & pb=$!
    ( use new; "$f" new "$@" ) & pn=$!
    wait "$pb" || die "$f failed on base"
    wait "$pn" || die "$f failed on new"
}

# The database bench of build $1 (expenses.sh's, and approvals.sql).
create_db() {
    create_bench_db
    q bench -f "$here/approvals.sql" >/dev/null
    q bench -c "CREATE TABLE bench_plan_used (seq bigint PRIMARY KEY)"
}

# Add $2 open expenses (payees $3 …) on build $1 and their approvals to its plan.
open_cases() {
    local n=$2 tag=$3 lo hi k=0 chunk
    lo=$(val "SELECT coalesce(max(expense_id), 0) + 1 FROM sdbc.expense")
    # in statements of 5,000 at most (the split test's locks, one per payee)
    while [ "$n" -gt 0 ]; do
        chunk=$((n < 5000 ? n : 5000))
        k=$((k + 1))
        prepare_open_cases "$chunk" "$tag $k" >/dev/null
        n=$((n - chunk))
    done
    hi=$(val "SELECT max(expense_id) FROM sdbc.expense")
    val "SELECT bench_plan_add($lo, $hi)" >/dev/null
    q bench -c "VACUUM ANALYZE bench_plan" >/dev/null
}

# The statement files of run $2 at size $1 (the same on both builds: the
# plan and bench_community are built alike).
write_files() {
    local size=$1 rep=$2 lo
    use base
    lo=$(val "SELECT min(seq) FROM bench_plan WHERE seq > coalesce((SELECT max(seq) FROM bench_plan_used), 0)")
    val "INSERT INTO bench_plan_used SELECT seq FROM bench_plan WHERE seq BETWEEN $lo AND $lo + $APPROVALS - 1 RETURNING 0" >/dev/null
    val "SELECT format('SELECT sdbc.sign(%s, %s);', expense_id, actor) FROM bench_plan
          WHERE seq BETWEEN $lo AND $lo + $APPROVALS - 1 ORDER BY seq" >"$work/sign.sql"
    val "SELECT format('SELECT sdbc.submit_expense(%s, %L, %L, %s, %s);', c.working_account, '办公用品',
                       'api $size $rep ' || i, 100 + i % 4000, c.submitter)
           FROM generate_series(1, $SUBMISSIONS) i JOIN bench_community c ON c.no = 1 + i % 20 ORDER BY i" >"$work/submit.sql"
    val "SELECT format('INSERT INTO sdbc.expense ($COLUMNS) VALUES (%s, %L, %L, %L, %s, %s);', c.working_account,
                       c.code, '办公用品', 'row $size $rep ' || i, 100 + i % 4000, c.submitter)
           FROM generate_series(1, $SUBMISSIONS) i JOIN bench_community c ON c.no = 1 + i % 20 ORDER BY i" >"$work/insert.sql"
}

# Remove what build $1's submission runs added (bench_forget_runs); vacuum.
forget_runs() {
    val "SELECT bench_forget_runs()" >/dev/null
    q bench -c "VACUUM sdbc.expense, sdbc.decision, sdbc.approval_case,
                       bench_floor_expense, bench_floor_decision, bench_floor_case"
}

# Fill build $1's floor copies as big as its real tables; vacuum, analyze.
sync_floor() {
    val "SELECT bench_floor_sync()" >/dev/null
    q bench -c "VACUUM ANALYZE" >/dev/null
}

# The figures (a)–(c) at size $1 (1x or 4x): REPS runs, builds interleaved.
measure_size() {
    local size=$1 rep b f
    both sync_floor
    use base
    echo
    echo "## Size $size: $(val "SELECT count(*) FROM sdbc.approval_case WHERE status = 'open'") open cases, $(val "SELECT count(*) FROM sdbc.expense") expenses, $(val "SELECT count(*) FROM sdbc.decision") decisions (base; new alike)"
    for rep in $(seq 1 "$REPS"); do
        write_files "$size" "$rep"
        for b in base new; do
            run_file "$b" "$work/sign.sql" >>"$work/fig-sign$size-$b"
            run_file "$b" "$work/submit.sql" >>"$work/fig-submit$size-$b"
            run_file "$b" "$work/insert.sql" >>"$work/fig-insert$size-$b"
            run_sql "$b" "SELECT bench_floor_insert($FLOOR_ROWS, 'floor $size $rep')" >>"$work/fig-floor$size-$b"
            run_sql "$b" "INSERT INTO sdbc.expense ($COLUMNS)
                          SELECT c.working_account, c.code, '办公用品', 'set $size $rep ' || i, 100 + i % 4000, c.submitter
                            FROM generate_series(1, $FLOOR_ROWS) i JOIN bench_community c ON c.no = 1 + i % 20" \
                >>"$work/fig-setbased$size-$b"
        done
        for f in sign submit insert floor setbased; do show_run "$f$size" "$rep"; done
        both forget_runs
    done
}

# One row of the table: label, figure, calls a run, target text, awk
# condition on x, the ratio new / base by backend CPU time (empty: no
# target).  Rates are calls per second of wall time and of backend CPU time.
row() {
    local label=$1 fig=$2 n=$3 target=$4 cond=$5 bcpu ncpu wall_ratio cpu_ratio verdict
    bcpu=$(fig_cpu_us "$fig" "$n" base)
    ncpu=$(fig_cpu_us "$fig" "$n" new)
    wall_ratio=$(awk -v a="$(fig_median "$fig" 1 base)" -v b="$(fig_median "$fig" 1 new)" 'BEGIN { printf "%.2f", a / b }')
    cpu_ratio=$(awk -v a="$bcpu" -v b="$ncpu" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    verdict=-
    if [ -n "$cond" ]; then
        verdict=$(awk -v x="$cpu_ratio" "BEGIN { print (($cond) ? \"met\" : \"not met\") }")
    fi
    printf '| %-42s | %7s/s %7s µs (load %5s) | %7s/s %7s µs (load %5s) | %5sx | %5sx | %-13s | %-7s |\n' \
        "$label" "$(fig_rate "$fig" "$n" base)" "$bcpu" "$(fig_median "$fig" 3 base)" \
        "$(fig_rate "$fig" "$n" new)" "$ncpu" "$(fig_median "$fig" 3 new)" "$wall_ratio" "$cpu_ratio" \
        "${target:--}" "$verdict"
}

# A row comparing two figures of the same build $1: backend CPU µs per row
# of figure $2 against figure $3 (the floor), both of $4 rows; target: <= 1.5x.
floor_row() {
    local b=$1 fig=$2 floor=$3 n=$4 label=$5 a f x
    a=$(fig_cpu_us "$fig" "$n" "$b")
    f=$(fig_cpu_us "$floor" "$n" "$b")
    x=$(awk -v a="$a" -v f="$f" 'BEGIN { printf "%.2f", (f > 0) ? a / f : 0 }')
    printf '| %-50s | %8s µs | %8s µs | %5s | %5sx | %-7s |\n' "$label ($b)" "$a" "$f" \
        "$(fig_median "$fig" 3 "$b")" "$x" "$(awk -v x="$x" 'BEGIN { print (x <= 1.5) ? "met" : "not met" }')"
}

# The summary table.
print_table() {
    local size b x
    echo
    echo "## Summary (reported, not asserted): medians of runs; calls/s by wall time and µs of backend CPU a call;"
    echo "## ratios new over base by wall time and by CPU time; verdicts by CPU time (the machine is shared)"
    printf '| %-42s | %-33s | %-33s | %6s | %6s | %-13s | %-7s |\n' "figure" "base" "new" "wall" "CPU" "target" "verdict"
    printf '| %-42s | %-33s | %-33s | %6s | %6s | %-13s | %-7s |\n' "---" "---:" "---:" "---:" "---:" "---" "---"
    for size in 1x 4x; do
        row "(a) approvals, sdbc.sign, $size" "sign$size" "$APPROVALS" ">= 1.7x base" "x >= 1.7"
        row "(b) submissions, sdbc.submit_expense, $size" "submit$size" "$SUBMISSIONS" "" ""
        row "(b) submissions, one-row INSERT, $size" "insert$size" "$SUBMISSIONS" "" ""
        row "(c) floor: set-based, no trigger, $size" "floor$size" "$FLOOR_ROWS" "" ""
        row "(c) set-based through the triggers, $size" "setbased$size" "$FLOOR_ROWS" "" ""
    done
    row "(d) PL/pgSQL triggers, $ROWS rows" plpgsql "$ROWS" "" ""
    row "(d) C triggers, $ROWS rows" ctrig "$ROWS" "" ""
    echo
    echo "Submissions against the floor, backend CPU a row (target <= 1.5x; issue 14: 134 µs through the triggers, 75 µs floor):"
    printf '| %-50s | %11s | %11s | %5s | %6s | %-7s |\n' "submission" "µs a row" "floor" "load" "ratio" "verdict"
    printf '| %-50s | %11s | %11s | %5s | %6s | %-7s |\n' "---" "---:" "---:" "---:" "---:" "---"
    for size in 1x 4x; do
        for b in base new; do
            floor_row "$b" "setbased$size" "floor$size" "$FLOOR_ROWS" "set-based through the triggers, $size"
        done
        for b in base new; do
            printf '| %-50s | %8s µs | %8s µs | %5s | %5sx | %-7s |\n' "sdbc.submit_expense, one a statement, $size ($b)" \
                "$(fig_cpu_us "submit$size" "$SUBMISSIONS" "$b")" "$(fig_cpu_us "floor$size" "$FLOOR_ROWS" "$b")" \
                "$(fig_median "submit$size" 3 "$b")" \
                "$(awk -v a="$(fig_cpu_us "submit$size" "$SUBMISSIONS" "$b")" -v f="$(fig_cpu_us "floor$size" "$FLOOR_ROWS" "$b")" \
                    'BEGIN { printf "%.2f", (f > 0) ? a / f : 0 }')" "-"
        done
    done
    echo
    echo "C triggers against PL/pgSQL, $ROWS rows in one INSERT (target >= 2x), by backend CPU time:"
    for b in base new; do
        x=$(awk -v c="$(fig_median ctrig 2 "$b")" -v p="$(fig_median plpgsql 2 "$b")" 'BEGIN { printf "%.2f", (c > 0) ? p / c : 0 }')
        printf '  %-4s: C %s ms, PL/pgSQL %s ms CPU (wall %s / %s ms, load %s): %sx — %s\n' "$b" \
            "$(fig_median ctrig 2 "$b")" "$(fig_median plpgsql 2 "$b")" "$(fig_median ctrig 1 "$b")" \
            "$(fig_median plpgsql 1 "$b")" "$(fig_median ctrig 3 "$b")" "$x" \
            "$(awk -v x="$x" 'BEGIN { print (x >= 2) ? "met" : "not met" }')"
    done
}

# Integrity after the runs: both builds approved the same cases, no chain broken.
print_checks() {
    local b
    echo
    for b in base new; do
        use "$b"
        echo "$b: $(val "SELECT count(*) FILTER (WHERE status = 'approved') || ' approved, ' ||
                            count(*) FILTER (WHERE status = 'open') || ' open, ' ||
                            (SELECT count(*) FROM sdbc.approval_case c WHERE c.status = 'approved'
                                AND EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))) || ' approved cases with a broken chain'
                       FROM sdbc.approval_case")"
    done
}

main_approvals() {
    check_builds
    work=$(mktemp -d "${TMPDIR:-/tmp}/sdbc-bench-approvals.XXXXXX")
    chmod 755 "$work"
    mkdir "$work/sock"
    chown postgres: "$work" "$work/sock"
    trap cleanup EXIT
    base_port=$(free_port)
    new_port=$(next_port "$base_port")
    local base_build new_build
    base_build=$(build_of base)
    new_build=$(build_of new)
    echo "# Approvals benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "base: $BASE_PG_BIN, sdbc.so md5 $base_build…"
    echo "new:  $NEW_PG_BIN, sdbc.so md5 $new_build…"
    echo "fsync=off, one client; figures are medians of runs, builds interleaved"
    echo
    setup_and_part_d
    both open_cases "$OPEN_CASES" "open 1x 收款方"
    measure_size 1x
    both open_cases $((3 * OPEN_CASES)) "open 4x 收款方"
    measure_size 4x
    print_checks
    print_table
    echo
    echo "elapsed: ${SECONDS} s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$(build_of base)" != "$base_build" ] || [ "$(build_of new)" != "$new_build" ]; then
        echo "WARNING: an sdbc.so was reinstalled during the run: figures may mix builds"
    fi
}

main_approvals "$@"
