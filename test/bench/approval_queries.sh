#!/usr/bin/env bash
# approval_queries.sh — how many SQL statements one approval costs (issue 14
# §4: fewer SPI queries per approval).  Counts, with pg_stat_statements
# (track = all, so the statements the C triggers run through SPI count too),
# the statements run by 2 (N - 1) approvals through the public API
# (sdbc.sign) on N - 1 expenses at the first step of the small route (two
# handlers each: the first leaves the step open, the second completes it),
# and prints them per approval: all nested statements, and those of the
# decision trigger (all but sdbc.sign's and sdbc.decide's own and the
# foreign-key checks).
#
#   bash test/bench/approval_queries.sh
#
# Run as root with the extension installed in PG_BIN's tree (make install).
# Starts a throwaway cluster as user postgres (socket in a temp dir, no TCP)
# and removes it on exit.  Reports, never asserts.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), N (200).
set -euo pipefail
export LC_ALL=C.UTF-8
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
N=${N:-200}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d /tmp/sdbc-approvalq.XXXXXX)
chown postgres "$work"
port=56999

# Stop the cluster and remove the directory.
cleanup() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# psql on database bench as postgres.
q() { "$PG_BIN/psql" -X -q -h "$work" -p "$port" -U postgres -d bench -v ON_ERROR_STOP=1 "$@"; }

runuser -u postgres -- "$PG_BIN/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$work/initdb.log" 2>&1
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/data" -l "$work/log" -w \
    -o "-k $work -p $port -c listen_addresses='' -c fsync=off -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.max=10000" \
    start >/dev/null
"$PG_BIN/psql" -X -q -h "$work" -p "$port" -U postgres -d postgres -c "CREATE DATABASE bench"
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION sdbc CASCADE" -c "CREATE EXTENSION pg_stat_statements"
# expenses.sql's staff, offices and accounts (credited within policy expense.amount.max)
sed 's/sdbc.credit(a.account_id, 100000000,/sdbc.credit(a.account_id, 5000000,/' "$here/expenses.sql" >"$work/setup.sql"
q -v rows=1000 -f "$work/setup.sql" >/dev/null
q -c "INSERT INTO sdbc.expense (account_id, community, purpose, payee, amount, submitted_by)
      SELECT c.working_account, c.code, '办公用品', 'q ' || i, 100 + i % 4000, c.submitter
        FROM generate_series(1, $N) i JOIN bench_community c ON c.no = 1 + i % 20" \
  -c "ANALYZE"
# who signs each expense: two members of its first step's office, not its
# submitter; the first signature leaves the step open, the second completes it
q -c "CREATE TABLE q_plan AS
      SELECT e.expense_id, k.n, (SELECT m.staff_id FROM sdbc.office_member m
                             WHERE m.office = s.office AND m.division = sdbc.divcode_ancestor(c.division, o.level)
                               AND m.staff_id <> c.submitted_by ORDER BY m.staff_id OFFSET k.n - 1 LIMIT 1) AS who
        FROM sdbc.expense e JOIN sdbc.approval_case c USING (case_id)
        JOIN sdbc.route_step s ON s.route_code = c.route_code AND s.version = c.route_version AND s.step_no = c.current_step
        JOIN sdbc.office o ON o.office = s.office, (VALUES (1), (2)) k(n)"
# warm the plans and caches on one expense, then count the others
first=$(q -At -c "SELECT min(expense_id) FROM q_plan")
q -At -c "SELECT sdbc.sign(expense_id, who) FROM q_plan WHERE expense_id = $first ORDER BY n" >/dev/null
q -At -c "SELECT pg_stat_statements_reset()" >/dev/null
for n in 1 2; do
    for id in $(q -At -c "SELECT expense_id FROM q_plan WHERE expense_id > $first AND n = $n ORDER BY 1"); do
        echo "SELECT sdbc.sign($id, (SELECT who FROM q_plan WHERE expense_id = $id AND n = $n));"
    done
done | q >/dev/null
q -c "SELECT count(*) FILTER (WHERE verdict = 'approve') AS approvals FROM sdbc.decision"
# the engine's statements: all but the wrapper's (sdbc.sign, sdbc.decide) and the foreign-key checks
q -c "WITH s AS (SELECT regexp_replace(query, '\s+', ' ', 'g') AS query, calls FROM pg_stat_statements),
            s2 AS (SELECT * FROM s WHERE query NOT LIKE 'SELECT sdbc.sign(%' AND query NOT LIKE '%pg_stat_statements%'
                     AND query NOT LIKE '%q_plan%' AND query NOT LIKE 'SELECT count(*) FILTER%'),
            engine AS (SELECT * FROM s2 WHERE query NOT LIKE '%FOR KEY SHARE%'
                         AND query NOT LIKE 'SELECT * FROM sdbc.approval_case x WHERE x.case_id = decide.case_id%'
                         AND query NOT LIKE 'INSERT INTO sdbc.decision %' AND query NOT LIKE 'SELECT e.case_id FROM sdbc.expense e %')
      SELECT 2 * ($N - 1) AS approvals_counted,
             round((SELECT sum(calls) FROM s2) / (2 * ($N - 1.0)), 2) AS statements_per_approval,
             round((SELECT sum(calls) FROM engine) / (2 * ($N - 1.0)), 2) AS trigger_statements_per_approval"
q -c "SELECT calls, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
      FROM pg_stat_statements
      WHERE query NOT LIKE 'SELECT sdbc.sign(%' AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC, query"
