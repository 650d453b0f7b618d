#!/usr/bin/env bash
#
# test/valgrind/check.sh — run the regression suite against a server that
# runs under valgrind, and report every memory error and definite leak whose
# stack passes through the extension (sdbc.so).  PostgreSQL's own reports
# (this Debian build has no valgrind client requests, so writes of padding
# bytes and the like show up) are counted and kept in the logs, not failed.
#
#   make valgrindcheck            (as root, with the extension installed)
#   bash test/valgrind/check.sh   the same
#
# Prints TAP: one line per kind of error (invalid read/write, use of
# uninitialised values, invalid free, definite leaks) and one for the
# regression suite itself; exits non-zero when any fails.  VALGRIND_KEEP=1
# keeps the temp dir with the per-process logs.  Takes 10-20 minutes.
set -euo pipefail
export LC_ALL=C.UTF-8

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/sdbc-valgrind.XXXXXX)
PORT=${VALGRIND_PORT:-56432}
SERVER_PID=""

# Stop the server and remove the temp dir (unless asked to keep it).
cleanup() {
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w -t 300 stop >/dev/null 2>&1 ||
			kill -9 "$SERVER_PID" 2>/dev/null || true
	fi
	[[ ${VALGRIND_KEEP:-0} == 1 ]] && { echo "# kept: $WORK"; return; }
	rm -rf "$WORK"
}
trap cleanup EXIT

command -v valgrind >/dev/null || { echo "Bail out! valgrind is not installed (apt-get install valgrind)"; exit 1; }

cp -a "$TOP/." "$WORK/tree"
rm -rf "$WORK/tree/results" "$WORK/tree/output_iso" "$WORK/tree/tmp_check"
[[ -e $WORK/tree/test/expected ]] || ln -s ../expected "$WORK/tree/test/expected"
mkdir "$WORK/sock" "$WORK/vg"
chown -R postgres:postgres "$WORK"

runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
	>"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; exit 1; }

# The server under valgrind: every backend is a fork of the postmaster, so
# valgrind follows it and writes one log per process.  No parallel workers
# and no JIT keep the runs comparable.
runuser -u postgres -- valgrind --quiet --error-limit=no --num-callers=40 --trace-children=no \
	--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	--log-file="$WORK/vg/%p.log" \
	"$PG_BIN/postgres" -D "$WORK/data" -p "$PORT" -k "$WORK/sock" -c listen_addresses= \
	-c fsync=off -c jit=off -c max_parallel_workers_per_gather=0 -c autovacuum=off \
	>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
	"$PG_BIN/pg_isready" -q -h "$WORK/sock" -p "$PORT" && break
	sleep 1
done
"$PG_BIN/pg_isready" -q -h "$WORK/sock" -p "$PORT" || { echo "Bail out! the server did not start under valgrind"; tail -20 "$WORK/server.log"; exit 1; }

echo "1..7"
rc=0
if (cd "$WORK/tree" && runuser -u postgres -- env PATH="$PG_BIN:$PATH" PGHOST="$WORK/sock" PGPORT="$PORT" \
	make --no-print-directory PG_CONFIG="$PG_BIN/pg_config" installcheck ISOLATION= TAP_TESTS= \
	>"$WORK/regress.log" 2>&1); then
	echo "ok 1 - regression suite under valgrind: $(grep -c '\.\.\. ok' "$WORK/regress.log") tests passed"
else
	rc=1
	echo "not ok 1 - regression suite under valgrind (see regress.log)"
	grep -E '\.\.\. (FAILED|failed)' "$WORK/regress.log" | sed 's/^/# /' || true
fi
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w -t 300 stop >/dev/null 2>&1 || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# A frame is ours when it names sdbc.so (no debug information) or one of
# the extension's source files (sdbc.so is built with -g, so valgrind shows
# "function (divcode.c:123)").
export OURS="sdbc\\.so|\\(($(cd "$TOP/src" && ls *.c | sed 's/\.c$//' | paste -sd'|'))\\.c:[0-9]+\\)"

# Split valgrind logs ($2...) into error records (a header line and its
# stack, up to the blank "==PID== " line) and count those of kind $1 with a
# frame of ours.
count_kind() {
	local pattern=$1
	shift
	awk -v pat="$pattern" '
		BEGIN { ours_re = ENVIRON["OURS"] }
		/^==[0-9]+== [^ ]/ && !/SUMMARY:/ { inrec = ($0 ~ pat); ours = 0; next }
		inrec && $0 ~ ours_re { ours = 1 }
		inrec && /^==[0-9]+== *$/ { if (ours) n++; inrec = 0; ours = 0 }
		END { if (inrec && ours) n++; print n + 0 }' "$@"
}
count_all() {
	cat "$WORK"/vg/*.log | grep -cE "$1" || true
}
n=2
for kind in "Invalid read|Invalid write:invalid reads or writes" \
	"uninitialised|Uninitialised:uses of uninitialised values" \
	"Invalid free|Mismatched free|free\\(\\) / delete:invalid or mismatched frees" \
	"are definitely lost:definite leaks"; do
	pattern=${kind%%:*}
	what=${kind#*:}
	ours=$(count_kind "$pattern" "$WORK"/vg/*.log)
	all=$(count_all "$pattern")
	if ((ours == 0)); then
		echo "ok $n - no $what through sdbc.so ($all in PostgreSQL itself, not ours)"
	else
		rc=1
		echo "not ok $n - $ours $what through sdbc.so"
	fi
	n=$((n + 1))
done
# The filter itself: a made-up record through divcode.c must count, one
# through PostgreSQL only must not.
cat >"$WORK/selftest.log" <<'LOG'
==1== Invalid read of size 8
==1==    at 0x1234: divcode_in (divcode.c:42)
==1==    by 0x5678: InputFunctionCall (in /usr/lib/postgresql/15/bin/postgres)
==1== 
==1== Invalid read of size 8
==1==    at 0x1234: heap_insert (in /usr/lib/postgresql/15/bin/postgres)
==1== 
LOG
if [[ $(count_kind "Invalid read" "$WORK/selftest.log") == 1 ]]; then
	echo "ok $n - the filter finds a made-up error through divcode.c and not one through PostgreSQL only"
else
	rc=1
	echo "not ok $n - the filter does not tell our frames from PostgreSQL's"
fi
n=$((n + 1))
procs=$(ls "$WORK"/vg/*.log | wc -l)
if ((procs > 3)); then
	echo "ok $n - valgrind followed $procs server processes"
else
	rc=1
	echo "not ok $n - valgrind logs of only $procs processes"
fi
if ((rc != 0)); then
	VALGRIND_KEEP=1
	echo "# the logs: $WORK/vg/ (records with sdbc.so in their stack are the ones that failed)"
fi
exit $rc
