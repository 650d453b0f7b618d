#!/usr/bin/env bash
# expenses.sh — benchmark: community expenses (R3.2–R3.4) through the C
# triggers, in one run:
#
#   1. inserts   100,000 expenses by one INSERT … SELECT … FROM
#                generate_series, side by side into
#                  (a) a copy of sdbc.expense without a trigger,
#                  (b) copies of sdbc.expense / approval_case / decision with
#                      PL/pgSQL triggers doing the same work
#                      (expense_plpgsql.sql),
#                  (c) sdbc.expense itself (C triggers expense_check and
#                      decision_check);
#                rows/s, median of REPS runs each, and the ratio (c) / (b);
#                then, when C is not 2x as fast, a timing breakdown by
#                statement (pg_stat_statements, track = all) of the same
#                insert on both trigger paths;
#   2. decisions pgbench, 2 clients, 30 s, durable commits (fsync and
#                synchronous_commit on): each transaction has a member of
#                the current step's office sign a random open expense of
#                20,000 (bench_act in expenses.sql); decisions/s, tps, and
#                the hash chains checked afterwards (sdbc.verify_chain);
#                then 10 rounds of the same on 20 new expenses for 2 s, so
#                that both clients act on the same cases most of the time.
#
#   bash test/bench/expenses.sh
#
# Run as root, from anywhere, with the extension installed (make install). It
# starts throwaway clusters of its own as user postgres (socket in a temp dir,
# no TCP): part 1 with fsync=off, part 2 with fsync=on and
# synchronous_commit=on; prints the figures and a summary against the
# targets; stops and removes the clusters on exit (KEEP_BENCH_DIR=1 keeps
# the directory). Timings are reported, never asserted: the script exits 0
# whatever they are. Takes about 6 minutes on 2 cores.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), ROWS (100000),
# REPS (3), PROFILE_ROWS (ROWS: the breakdown's insert), OPEN_CASES (20000),
# HOT_CASES (20), HOT_ROUNDS (10), HOT_DURATION (2 s a round), CLIENTS (2),
# DURATION (30 s).
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROWS=${ROWS:-100000}
REPS=${REPS:-3}
PROFILE_ROWS=${PROFILE_ROWS:-$ROWS}
OPEN_CASES=${OPEN_CASES:-20000}
HOT_CASES=${HOT_CASES:-20}
CLIENTS=${CLIENTS:-2}
DURATION=${DURATION:-30}
HOT_DURATION=${HOT_DURATION:-2}
HOT_ROUNDS=${HOT_ROUNDS:-10}

# The columns every path of part 1 inserts, from the view bench_input.
COLUMNS="account_id, community, purpose, payee, amount, submitted_by"

# Stop with a message.
die() { echo "expenses.sh: $*" >&2; exit 1; }

# Refuse to start without root, user postgres, pgbench and the installed extension.
check_prerequisites() {
    [ "$(id -u)" -eq 0 ] || die "run as root (the clusters are started as user postgres with runuser)"
    id postgres >/dev/null 2>&1 || die "no user postgres"
    [ -x "$PG_BIN/pgbench" ] || die "no $PG_BIN/pgbench"
    local sharedir
    sharedir=$("$PG_BIN/pg_config" --sharedir)
    [ -f "$sharedir/extension/sdbc.control" ] \
        || die "extension sdbc is not installed in $sharedir (run make install)"
}

# The installed sdbc.so, as an md5 sum: the machine's one installation may
# be replaced by another make install while the benchmark runs.
build_id() { md5sum "$("$PG_BIN/pg_config" --pkglibdir)/sdbc.so" | cut -c1-12; }

# Stop whichever cluster runs and remove the directory (the EXIT trap).
cleanup() {
    local d
    for d in "$work"/data-*; do
        if [ -f "$d/postmaster.pid" ]; then
            runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true
        fi
    done
    if [ "${KEEP_BENCH_DIR:-0}" = 1 ]; then
        echo "expenses.sh: kept $work" >&2
    else
        rm -rf "$work"
    fi
}

# A port nobody listens on and no socket file names (5499 and 55432 are
# other people's clusters, skipped).
free_port() {
    local p=55640
    while [ "$p" = 55432 ] || ss -Hltn "sport = :$p" 2>/dev/null | grep -q . \
          || [ -e "/tmp/.s.PGSQL.$p" ] || [ -e "/var/run/postgresql/.s.PGSQL.$p" ]; do
        p=$((p + 1))
    done
    echo "$p"
}

# initdb a cluster named $1 and start it with the settings $2 (on top of
# the common ones: unix socket in $work/sock only, memory for 100,000
# expenses with their cases and decisions, checkpoints far apart, no JIT,
# pg_stat_statements loaded but tracking nothing unless a session asks).
start_cluster() {
    local name=$1 settings=$2
    runuser -u postgres -- "$PG_BIN/initdb" -D "$work/data-$name" -A trust -U postgres \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb-$name.log" 2>&1 \
        || { cat "$work/initdb-$name.log" >&2; die "initdb failed"; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data-$name" -l "$work/server-$name.log" -w \
        -o "-k $work/sock -p $port -c listen_addresses='' $settings \
            -c shared_buffers=512MB -c work_mem=16MB -c max_wal_size=8GB -c checkpoint_timeout=1h \
            -c jit=off -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=none" \
        start >/dev/null || { cat "$work/server-$name.log" >&2; die "server $name did not start"; }
}

# Stop the cluster named $1.
stop_cluster() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data-$1" -m fast -w stop >/dev/null
}

# psql on database $1, stopping on the first error; other arguments follow.
q() {
    local db=$1
    shift
    "$PG_BIN/psql" -X -q -h "$work/sock" -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}

# One value from a query on database bench.
val() { q bench -At -c "$1"; }

# A database "bench" with postgis, sdbc, the staff, offices and accounts of
# expenses.sql and the PL/pgSQL copies of expense_plpgsql.sql.
create_bench_db() {
    q postgres -c "CREATE DATABASE bench"
    q bench -c "SET client_min_messages = warning" -c "CREATE EXTENSION sdbc CASCADE" \
            -c "CREATE EXTENSION pg_stat_statements"
    q bench -v rows="$ROWS" -f "$here/expenses.sql" >/dev/null
    q bench -f "$here/expense_plpgsql.sql" >/dev/null
}

# Run one SQL statement on database bench in a new session, after a
# checkpoint; print its wall time and the CPU time its server process used
# (utime + stime from /proc, read by psql before and after), both in ms.
# The CPU time holds when other work shares the machine; the wall time
# does not.
time_sql() {
    q bench -c CHECKPOINT
    cat >"$work/timed.sql" <<EOF
SELECT pg_backend_pid() AS pid \gset
\set cpu0 \`awk '{ print \$14 + \$15 }' /proc/:pid/stat\`
\timing on
$1;
\timing off
\set cpu1 \`awk '{ print \$14 + \$15 }' /proc/:pid/stat\`
\echo cpu :cpu0 :cpu1
EOF
    q bench -At -f "$work/timed.sql" >"$work/last.raw"
    printf '%s %s\n' "$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/last.raw" | tail -1)" \
        "$(awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.0f", ($3 - $2) * 1000 / hz }' "$work/last.raw")"
}

# Median of the numbers on stdin.
median() {
    sort -g | awk '{ a[NR] = $1 } END { printf "%.1f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Rows per second for $1 rows in $2 ms.
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }

# Every timed insert starts from empty tables that the planner sees as new
# (never vacuumed or analyzed: the 10-page guess that keeps index scans),
# the state TRUNCATE leaves. Statistics of an empty table (reltuples = 0)
# would make every lookup in the triggers' cached plans a sequential scan
# for the whole 100,000-row statement, on all paths. Autovacuum is off in
# part 1, so nothing analyzes a table behind the script's back.

# Mark the tables $@ as never vacuumed or analyzed.
forget_statistics() {
    local t list=""
    for t in "$@"; do list="$list${list:+, }'$t'::regclass"; done
    q bench -c "UPDATE pg_class SET reltuples = -1, relpages = 0, relallvisible = 0 WHERE oid IN ($list)" \
            -c "DELETE FROM pg_statistic WHERE starelid IN ($list)"
}

# Empty sdbc.expense, approval_case and decision as test/sql/expense_route.sql
# does at its end (the insert-only and expense triggers disabled meanwhile),
# then VACUUM FULL (new files for the tables and their indexes, as TRUNCATE
# gives the copies: a plain VACUUM leaves the indexes at their full size,
# and against a table believed to be 10 pages a big index makes the planner
# prefer sequential scans, on this path only), and forget the statistics.
reset_real() {
    q bench -c "ALTER TABLE sdbc.decision DISABLE TRIGGER decision_insert_only" \
            -c "ALTER TABLE sdbc.expense DISABLE TRIGGER expense_check" \
            -c "DELETE FROM sdbc.expense" -c "DELETE FROM sdbc.decision" -c "DELETE FROM sdbc.approval_case" \
            -c "ALTER TABLE sdbc.decision ENABLE TRIGGER decision_insert_only" \
            -c "ALTER TABLE sdbc.expense ENABLE TRIGGER expense_check" \
            -c "ALTER SEQUENCE sdbc.expense_expense_id_seq RESTART" \
            -c "ALTER SEQUENCE sdbc.approval_case_case_id_seq RESTART" \
            -c "ALTER SEQUENCE sdbc.decision_decision_id_seq RESTART"
    q bench -c "VACUUM FULL sdbc.expense, sdbc.approval_case, sdbc.decision"
    forget_statistics sdbc.expense sdbc.approval_case sdbc.decision
}

# Empty the PL/pgSQL copies (TRUNCATE: new files, statistics forgotten).
reset_plpgsql() {
    q bench -c "TRUNCATE bench_expense, bench_decision, bench_case RESTART IDENTITY"
    forget_statistics bench_expense bench_case bench_decision
}

# Empty the copy without a trigger.
reset_plain() {
    q bench -c "TRUNCATE bench_plain_expense RESTART IDENTITY"
    forget_statistics bench_plain_expense
}

# Summary rows: target, measured, met / not met.
summary=()
# Add a summary row; $4 is an awk condition on x (the measured number).
target() {
    local what=$1 measured=$2 x=$3 cond=$4 verdict
    verdict=$(awk -v x="$x" "BEGIN { print (($cond) ? \"met\" : \"not met\") }")
    summary+=("$(printf '%-62s | %-30s | %s' "$what" "$measured" "$verdict")")
}

# Part 1: time the insert of $ROWS expenses on the three paths, $REPS times
# each, in turn (a, b, c, a, b, c, …) so that drift hits all three alike;
# every timed insert runs in a new session after a reset and a checkpoint.
# Files $work/<path>.ms get one "wall_ms cpu_ms" line per run.
part1_inserts() {
    echo "## 1. Inserting $ROWS expenses: no trigger, PL/pgSQL triggers, C triggers (median of $REPS)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    local rep path
    : >"$work/plain.ms"; : >"$work/plpgsql.ms"; : >"$work/c.ms"
    for rep in $(seq 1 "$REPS"); do
        reset_plain
        time_sql "INSERT INTO bench_plain_expense ($COLUMNS) SELECT $COLUMNS FROM bench_input" >>"$work/plain.ms"
        reset_plpgsql
        time_sql "INSERT INTO bench_expense ($COLUMNS) SELECT $COLUMNS FROM bench_input" >>"$work/plpgsql.ms"
        reset_real
        time_sql "INSERT INTO sdbc.expense ($COLUMNS) SELECT $COLUMNS FROM bench_input" >>"$work/c.ms"
        printf 'run %d (wall ms / backend CPU ms): (a) %s, (b) %s, (c) %s\n' "$rep" \
            "$(tail -1 "$work/plain.ms" | tr ' ' /)" "$(tail -1 "$work/plpgsql.ms" | tr ' ' /)" \
            "$(tail -1 "$work/c.ms" | tr ' ' /)"
    done
    echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
    for path in plain plpgsql c; do
        printf -v "${path}_ms" '%s' "$(cut -d' ' -f1 "$work/$path.ms" | median)"
        printf -v "${path}_cpu" '%s' "$(cut -d' ' -f2 "$work/$path.ms" | median)"
    done
    plain_rate=$(rate "$ROWS" "$plain_ms"); plain_cpu_rate=$(rate "$ROWS" "$plain_cpu")
    plpgsql_rate=$(rate "$ROWS" "$plpgsql_ms"); plpgsql_cpu_rate=$(rate "$ROWS" "$plpgsql_cpu")
    c_rate=$(rate "$ROWS" "$c_ms"); c_cpu_rate=$(rate "$ROWS" "$c_cpu")
    ratio=$(awk -v c="$c_rate" -v p="$plpgsql_rate" 'BEGIN { printf "%.2f", c / p }')
    cpu_ratio=$(awk -v c="$c_cpu_rate" -v p="$plpgsql_cpu_rate" 'BEGIN { printf "%.2f", c / p }')
    echo
    printf '| %-44s | %9s | %8s | %11s | %13s | %-26s |\n' "path" "wall ms" "rows/s" "CPU ms" "rows/CPU-s" "runs, wall ms"
    printf '| %-44s | %9s | %8s | %11s | %13s | %-26s |\n' "---" "---:" "---:" "---:" "---:" "---"
    printf '| %-44s | %9s | %8s | %11s | %13s | %-26s |\n' "(a) copy of sdbc.expense, no trigger" \
        "$plain_ms" "$plain_rate" "$plain_cpu" "$plain_cpu_rate" "$(cut -d' ' -f1 "$work/plain.ms" | sed 's/\..*//' | paste -sd/)"
    printf '| %-44s | %9s | %8s | %11s | %13s | %-26s |\n' "(b) PL/pgSQL triggers (expense_plpgsql.sql)" \
        "$plpgsql_ms" "$plpgsql_rate" "$plpgsql_cpu" "$plpgsql_cpu_rate" "$(cut -d' ' -f1 "$work/plpgsql.ms" | sed 's/\..*//' | paste -sd/)"
    printf '| %-44s | %9s | %8s | %11s | %13s | %-26s |\n' "(c) sdbc.expense, C triggers" \
        "$c_ms" "$c_rate" "$c_cpu" "$c_cpu_rate" "$(cut -d' ' -f1 "$work/c.ms" | sed 's/\..*//' | paste -sd/)"
    echo
    echo "C / PL/pgSQL throughput: ${ratio}x by wall time, ${cpu_ratio}x by backend CPU time"
    target "1. C triggers >= 2x PL/pgSQL throughput ($ROWS inserts)" \
        "$c_rate vs $plpgsql_rate rows/s: ${ratio}x" "$ratio" "x >= 2"
}

# Part 1, checks on the rows of the last runs: both trigger paths routed and
# flagged the same rows alike, and every chain of sdbc.decision is intact.
part1_checks() {
    echo
    echo "Routes and split flags of the last run, (b) against (c) (the same rules: they should be equal):"
    q bench -c "SELECT p.route_code, p.split_flag, p.n AS plpgsql, c.n AS c_triggers
                  FROM (SELECT route_code, split_flag, count(*) AS n FROM bench_expense GROUP BY 1, 2) p
                  FULL JOIN (SELECT route_code, split_flag, count(*) AS n FROM sdbc.expense GROUP BY 1, 2) c
                       USING (route_code, split_flag) ORDER BY 1, 2"
    same_rows=$(val "SELECT count(*) FROM bench_expense b JOIN sdbc.expense e USING (expense_id)
                      WHERE (b.route_code, b.split_flag, b.community) IS DISTINCT FROM (e.route_code, e.split_flag, e.community)")
    echo "expenses routed or flagged differently by (b) and (c): $same_rows"
    if [ "$same_rows" != 0 ]; then
        echo "  (they differ in split flags: the PL/pgSQL trigger's window sum sees the rows the same INSERT"
        echo "   added before, the C trigger's read-only SPI query runs on the statement's snapshot and does not)"
    fi
    p1_broken=$(val "SELECT count(*) FROM sdbc.approval_case c WHERE EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))")
    echo "cases of (c) with a broken chain: $p1_broken"
}

# Part 1, where the time goes: insert $PROFILE_ROWS rows on path $1 (c or
# plpgsql) with pg_stat_statements tracking nested statements, and print the
# statements by total time (the trigger's queries are nested statements).
profile_path() {
    local path=$1 table
    if [ "$path" = c ]; then reset_real; table=sdbc.expense; else reset_plpgsql; table=bench_expense; fi
    q bench -c CHECKPOINT
    q bench -At -c "SET pg_stat_statements.track = 'all'" -c "SELECT pg_stat_statements_reset()" \
        -c '\timing on' \
        -c "INSERT INTO $table ($COLUMNS) SELECT $COLUMNS FROM bench_input LIMIT $PROFILE_ROWS" \
        >"$work/profile-$path.raw"
    echo "$path: $PROFILE_ROWS rows in $(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$work/profile-$path.raw") ms with tracking on"
    q bench -c "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms,
                       round((total_exec_time / nullif(calls, 0) * 1000)::numeric, 1) AS us_per_call,
                       round((100 * total_exec_time / sum(total_exec_time) FILTER (WHERE toplevel) OVER ())::numeric, 1) AS pct_of_insert,
                       CASE WHEN toplevel THEN 'top: ' ELSE '' END || left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS statement
                  FROM pg_stat_statements
                 WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND query !~* '^(SET|SELECT pg_stat_statements_reset)'
                 ORDER BY total_exec_time DESC LIMIT 9"
}

# Part 1: the breakdown of both trigger paths (nested statements overlap:
# an INSERT into approval_case includes its own triggers' time).
part1_profile() {
    echo
    echo "Timing breakdown (perf cannot count instructions here: $(perf_state)); pg_stat_statements, track = all:"
    profile_path c
    profile_path plpgsql
}

# Whether perf can count instructions on this machine.
perf_state() {
    if command -v perf >/dev/null 2>&1 && perf stat -e instructions true 2>&1 | grep -q '^ *[0-9,]\+ *instructions'; then
        echo "it can, but the breakdown by statement says more"
    else
        echo "perf stat -e instructions says <not supported>"
    fi
}

# Part 2: $1 expenses on the small route (payees named $2 and a number:
# one payee each, so no splits), submitted through sdbc.expense.
prepare_open_cases() {
    q bench -c "INSERT INTO sdbc.expense ($COLUMNS)
                SELECT c.working_account, c.code, '办公用品', '$2 ' || i, 100 + i % 4000, c.submitter
                  FROM generate_series(1, $1) i JOIN bench_community c ON c.no = 1 + i % 20" \
            -c "VACUUM ANALYZE sdbc.expense, sdbc.approval_case, sdbc.decision" -c CHECKPOINT
}

# Part 2: run pgbench for $1 seconds on the expenses of ids $2..$3 and print
# one result line: decisions, seconds, decisions/s, tps, transactions.
run_pgbench() {
    local secs=$1 lo=$2 hi=$3 before after tps txns
    printf '\\set e random(%s, %s)\nSELECT bench_act(:e);\n' "$lo" "$hi" >"$work/act.pgbench"
    before=$(val "SELECT count(*) FROM sdbc.decision")
    "$PG_BIN/pgbench" -n -c "$CLIENTS" -j "$CLIENTS" -T "$secs" -f "$work/act.pgbench" \
        -h "$work/sock" -p "$port" -U postgres bench >"$work/pgbench.out" 2>&1 \
        || { cat "$work/pgbench.out" >&2; die "pgbench failed"; }
    after=$(val "SELECT count(*) FROM sdbc.decision")
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$work/pgbench.out")
    txns=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
    echo "$((after - before)) $secs $(awk -v d=$((after - before)) -v s="$secs" 'BEGIN { printf "%.1f", d / s }') $tps $txns"
}

# Part 2: integrity of the cases of ids $1 and up after a run: broken
# chains, people who signed a step twice, steps whose quorum is in but the
# case did not move on, and how many were approved.
print_integrity() {
    q bench -c "SELECT
        (SELECT count(*) FROM sdbc.approval_case c
          WHERE c.case_id >= $1 AND EXISTS (SELECT 1 FROM sdbc.verify_chain(c.case_id))) AS broken_chains,
        (SELECT count(*) FROM (SELECT 1 FROM sdbc.decision WHERE case_id >= $1 AND verdict = 'approve'
                                GROUP BY case_id, step_no, round, actor HAVING count(*) > 1) x) AS double_signatures,
        (SELECT count(*) FROM sdbc.approval_case c
          WHERE c.case_id >= $1 AND c.status = 'open' AND c.current_step = 1
            AND (SELECT count(DISTINCT d.actor) FROM sdbc.decision d
                  WHERE d.case_id = c.case_id AND d.step_no = 1 AND d.round = c.round AND d.verdict = 'approve') >= 2) AS stuck_at_step_1,
        (SELECT count(*) FROM sdbc.approval_case WHERE case_id >= $1 AND status = 'approved') AS approved,
        (SELECT count(*) FROM sdbc.approval_case WHERE case_id >= $1) AS cases"
}

# Part 2: pgbench on a durable cluster, then the chains; then $HOT_ROUNDS
# rounds on $HOT_CASES new expenses each (both clients on the same cases).
part2_decisions() {
    echo
    echo "## 2. Concurrent decisions: pgbench -c $CLIENTS -j $CLIENTS -T $DURATION, fsync=on, synchronous_commit=on"
    prepare_open_cases "$OPEN_CASES" "pgbench 收款方"
    local lo hi r
    lo=$(val "SELECT min(expense_id) FROM sdbc.expense")
    hi=$(val "SELECT max(expense_id) FROM sdbc.expense")
    echo "$OPEN_CASES open expenses on expense_small (ids $lo–$hi); settings: $(val "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method')")"
    r=$(run_pgbench "$DURATION" "$lo" "$hi")
    read -r p2_decisions p2_secs p2_rate p2_tps p2_txns <<<"$r"
    echo "decisions added: $p2_decisions in $p2_secs s = $p2_rate decisions/s; pgbench: $p2_txns transactions, tps $p2_tps (transactions that found the case closed or lost a race add no decision)"
    q bench -c "SELECT d.step_no, count(*) AS decisions FROM sdbc.decision d WHERE d.verdict = 'approve' GROUP BY 1 ORDER BY 1"
    print_integrity "$(val "SELECT min(case_id) FROM sdbc.expense WHERE expense_id >= $lo")" | tee "$work/integrity.out"
    p2_broken=$(awk 'NR == 3 { print $1 }' "$work/integrity.out")
    target "2. pgbench decisions, $CLIENTS clients, durable: chains broken = 0" \
        "$p2_rate decisions/s, $p2_broken broken" "$p2_broken" "x == 0"

    echo
    echo "### 2b. Contention: $HOT_ROUNDS rounds of $HOT_CASES new open expenses, pgbench $HOT_DURATION s each (both clients on the same cases)"
    local round first_case hot_total=0 hot_secs=0
    first_case=$(( $(val "SELECT max(case_id) FROM sdbc.approval_case") + 1 ))
    for round in $(seq 1 "$HOT_ROUNDS"); do
        prepare_open_cases "$HOT_CASES" "pgbench hot $round 收款方"
        lo=$((hi + 1))
        hi=$(val "SELECT max(expense_id) FROM sdbc.expense")
        r=$(run_pgbench "$HOT_DURATION" "$lo" "$hi")
        read -r hot_decisions _ _ _ _ <<<"$r"
        hot_total=$((hot_total + hot_decisions))
        hot_secs=$((hot_secs + HOT_DURATION))
    done
    echo "decisions added: $hot_total in $hot_secs s of pgbench"
    print_integrity "$first_case" | tee "$work/integrity-hot.out"
    hot_broken=$(awk 'NR == 3 { print $1 }' "$work/integrity-hot.out")
}

# The whole benchmark (the script's own run; test/bench/approvals.sh sources
# this file for its functions and runs part 1's inserts through them).
main() {
    check_prerequisites
    work=$(mktemp -d "${TMPDIR:-/tmp}/sdbc-bench-expenses.XXXXXX")
    chmod 755 "$work"
    mkdir "$work/sock"
    chown postgres: "$work" "$work/sock"
    trap cleanup EXIT
    port=$(free_port)

    build=$(build_id)
    echo "# Expenses benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $("$PG_BIN/postgres" --version), sdbc.so md5 $build…"
    echo
    start_cluster fast "-c fsync=off -c autovacuum=off"
    create_bench_db
    part1_inserts
    part1_checks
    if awk -v x="$ratio" 'BEGIN { exit !(x < 2) }' || [ "${PROFILE:-0}" = 1 ]; then
        part1_profile
    fi
    stop_cluster fast

    start_cluster durable "-c fsync=on -c synchronous_commit=on"
    create_bench_db
    part2_decisions
    stop_cluster durable

    echo
    echo "## Summary (timings are reported, not asserted)"
    printf '%-62s | %-30s | %s\n' "target" "measured" "verdict"
    printf '%s\n' "${summary[@]}"
    echo "(2b, no target: $HOT_ROUNDS rounds on $HOT_CASES cases each, $hot_broken broken chains)"
    if [ "$(build_id)" != "$build" ]; then
        echo "WARNING: sdbc.so was reinstalled during the run (md5 $build… then $(build_id)…): figures may mix builds"
    fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
