#!/usr/bin/env bash
#
# test/run.sh — build sdbc and run its tests, or its demo, on a throwaway
# PostgreSQL 15 cluster.  Run as root (it installs packages and the
# extension); needs no stdin.
#
#   bash test/run.sh check   unit tests, regression tests, isolation specs and
#                            TAP tests; prints everything, then on failure the
#                            diffs and TAP logs, and ends with the one line
#                            "N passed, N failed".  Exit status non-zero if
#                            anything failed or nothing ran.
#   bash test/run.sh slow    the same, with each kernel fuzzed for 300 s
#                            (FUZZ_SECONDS) instead of 10, SQLsmith run for
#                            600 s (SQLSMITH_SECONDS) instead of 60 per login,
#                            and the regression suite run again against a
#                            server under valgrind.
#   bash test/run.sh demo    createdb sdbc_demo and run test/demo/main.sql.
#
# PG_BIN (default /usr/lib/postgresql/15/bin) chooses the PostgreSQL build.
# A developer's shortcut (never set by CI): SDBC_ONLY_REGRESS, SDBC_ONLY_ISOLATION
# and SDBC_ONLY_TAP (a glob such as 'test/t/006*.pl') run only the tests they
# name; a kind whose variable is set to "none" is not run, and while any of
# them is set the unit, fuzz and SQLsmith phases are left out too (setting
# SQLSMITH_SECONDS runs the SQLsmith phase anyway).
# SDBC_KEEP=1 leaves the throwaway cluster (and its temp dir) running and
# prints how to connect to it and how to stop it.
#
set -euo pipefail

# PG_BIN may point at a relocated copy of the PostgreSQL 15 tree (a second
# install that a parallel build can use without touching the system one).
readonly PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
readonly PG_CONFIG=$PG_BIN/pg_config
readonly PACKAGES=(build-essential postgresql-15 postgresql-server-dev-15
	postgresql-15-postgis-3 postgresql-15-postgis-3-scripts libipc-run-perl gdal-bin
	python3-psycopg2 clang libclang-rt-14-dev valgrind fonts-noto-cjk librsvg2-bin sqlsmith
	gettext locales)
readonly FIRST_PORT=55432

export PATH="$PG_BIN:$PATH"
# Untranslated, predictable messages from pg_regress, prove and perl.
export LC_ALL=C.UTF-8
unset LANGUAGE

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly TOP

WORK=""          # temp dir: the postgres-owned copy, cluster, socket, logs
COPY=""          # $WORK/tree: copy of $TOP the tests run in
PGDATA_DIR=""    # $WORK/data
SOCK_DIR=""      # $WORK/sock
PORT=""
CLUSTER_UP=0
TORN_DOWN=0
LAST_RC=0        # exit status of the last run_logged command
PASSED=0
FAILED=0
KEEP_DB=postgres # the database SDBC_KEEP=1 tells the user to connect to
declare -A PHASE_FAILED=()   # phase name -> failures counted in it

# ---------------------------------------------------------------- helpers

# Print a progress line.
say() { echo "==> $*"; }

# Print an error and stop (the EXIT trap tears the cluster down).
die() {
	echo "run.sh: error: $*"
	exit 1
}

# Run "$@" with no stdin, showing its output and saving it to log file $1;
# its exit status goes to LAST_RC (never trips set -e).
run_logged() {
	local logfile=$1
	shift
	LAST_RC=0
	"$@" </dev/null 2>&1 | tee "$logfile" || LAST_RC=$?
}

# Run "$@" as user postgres in directory $1, with PATH and the throwaway
# cluster's connection settings (runuser would otherwise reset PATH).
as_pg() {
	local dir=$1
	shift
	(cd "$dir" && runuser -u postgres -- env PATH="$PATH" LC_ALL="$LC_ALL" \
		PGHOST="$SOCK_DIR" PGPORT="$PORT" PGUSER=postgres PGDATABASE=postgres \
		"$@" </dev/null)
}

# Print the value of a variable of the project's Makefile (e.g. REGRESS),
# without touching the Makefile: a print rule is added with --eval.
make_var() {
	local only=""
	case $1 in
		REGRESS) only=${SDBC_ONLY_REGRESS:-} ;;
		ISOLATION) only=${SDBC_ONLY_ISOLATION:-} ;;
		PROVE_TESTS) only=${SDBC_ONLY_TAP:-} ;;
		TAP_TESTS) [[ ${SDBC_ONLY_TAP:-} == none ]] && return 0 ;;
	esac
	if [[ -n $only ]]; then
		[[ $only == none ]] || echo "$only"
		return 0
	fi
	# shellcheck disable=SC2016  # $(...) is make syntax, not shell
	make -s --no-print-directory -C "$TOP" PG_CONFIG="$PG_CONFIG" \
		--eval='sdbc-print-var-%: ; @$(info $($*)):' "sdbc-print-var-$1"
}

# Count the words of $1.
word_count() {
	local -a words
	read -r -a words <<<"$1" || true
	echo "${#words[@]}"
}

# Add one phase's counts to the totals and print them.
record() {
	local phase=$1 pass=$2 fail=$3
	PASSED=$((PASSED + pass))
	FAILED=$((FAILED + fail))
	PHASE_FAILED[$phase]=$fail
	say "$phase: $pass passed, $fail failed"
}

# Print a file under a header, if it exists and is not empty.
show_file() {
	[[ -s $1 ]] || return 0
	echo
	echo "===================== $1 ====================="
	cat "$1"
}

# ---------------------------------------------------------------- setup

# Install the Debian packages the build and tests need; skip apt entirely
# when all are installed already, so re-runs are quick.
install_packages() {
	local pkg missing=()
	for pkg in "${PACKAGES[@]}"; do
		if [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) != installed ]]; then
			missing+=("$pkg")
		fi
	done
	if ((${#missing[@]} == 0)); then
		say "packages: all installed"
		return
	fi
	say "packages: installing ${missing[*]}"
	apt-get update </dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${missing[@]}" </dev/null
}

# Generate the zh_CN.UTF-8 locale (package locales) unless the system has it:
# the message test (messages_zh) sets lc_messages to it, and the server can
# only switch to a locale the C library knows.
ensure_locales() {
	if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
		say "locale: zh_CN.UTF-8 present"
		return
	fi
	say "locale: generating zh_CN.UTF-8"
	if [[ -f /etc/locale.gen ]] && command -v locale-gen >/dev/null; then
		grep -qx 'zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
		locale-gen </dev/null
	else
		localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 </dev/null
	fi
	locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8' || die "could not generate the zh_CN.UTF-8 locale"
}

# Build the extension in the work tree and install it into PostgreSQL 15.
build_and_install() {
	say "build: make && make install"
	(cd "$TOP" && make PG_CONFIG="$PG_CONFIG" </dev/null && make PG_CONFIG="$PG_CONFIG" install </dev/null) ||
		die "build or install failed"
}

# Copy the tree to a temp dir owned by postgres (initdb refuses root, and
# the tests write results/, output_iso/ and tmp_check/ into the tree).
make_pg_copy() {
	WORK=$(mktemp -d /tmp/sdbc-test.XXXXXX)
	COPY=$WORK/tree
	PGDATA_DIR=$WORK/data
	SOCK_DIR=$WORK/sock
	cp -a "$TOP/." "$COPY"
	rm -rf "$COPY/results" "$COPY/output_iso" "$COPY/tmp_check" \
		"$COPY/regression.diffs" "$COPY/regression.out"
	mkdir "$SOCK_DIR"
	chown -R postgres:postgres "$WORK"
	link_expected_dir
}

# PostgreSQL 15's pg_regress has no --expecteddir: with --inputdir=test it
# reads expected output from test/expected/.  If the tree keeps it at the top
# (expected/), link it in the copy so the tests can run, and say so.
link_expected_dir() {
	if [[ ! -e $COPY/test/expected && -d $COPY/expected ]]; then
		say "WARNING: expected/ is at the top, but pg_regress 15 with --inputdir=test reads test/expected/;"
		say "WARNING: linking test/expected -> ../expected in the test copy (plain 'make installcheck' will not find it)"
		ln -s ../expected "$COPY/test/expected"
		chown -h postgres:postgres "$COPY/test/expected"
	fi
}

# True if something already uses port $1 (a socket file in a usual place, or
# a TCP listener on localhost).
port_in_use() {
	[[ -e /tmp/.s.PGSQL.$1 || -e /var/run/postgresql/.s.PGSQL.$1 ]] && return 0
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Pick the first free port from FIRST_PORT on.
pick_port() {
	local p
	for ((p = FIRST_PORT; p < FIRST_PORT + 1000; p++)); do
		if ! port_in_use "$p"; then
			echo "$p"
			return
		fi
	done
	die "no free port in $FIRST_PORT..$((FIRST_PORT + 999))"
}

# initdb and start a throwaway cluster as postgres: trust auth, UTF8,
# Unix socket only (in $SOCK_DIR), fsync off.
start_cluster() {
	local locale=C
	if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
		locale=C.UTF-8
	fi
	PORT=$(pick_port)
	say "cluster: initdb in $PGDATA_DIR, socket $SOCK_DIR, port $PORT"
	as_pg "$WORK" initdb -D "$PGDATA_DIR" -A trust -U postgres -E UTF8 \
		--locale="$locale" >"$WORK/initdb.log" 2>&1 ||
		{ cat "$WORK/initdb.log"; die "initdb failed"; }
	cat >>"$PGDATA_DIR/postgresql.conf" <<-EOF

		# test/run.sh: throwaway test cluster
		port = $PORT
		listen_addresses = ''
		unix_socket_directories = '$SOCK_DIR'
		fsync = off
	EOF
	as_pg "$WORK" pg_ctl -D "$PGDATA_DIR" -l "$WORK/server.log" -w -t 120 start >/dev/null ||
		{ cat "$WORK/server.log"; die "cluster did not start"; }
	CLUSTER_UP=1
}

# Stop and remove the throwaway cluster and the temp dir, or with
# SDBC_KEEP=1 leave them and print how to connect.  Safe to call twice.
teardown() {
	((TORN_DOWN)) && return 0
	TORN_DOWN=1
	[[ -n $WORK ]] || return 0
	if [[ ${SDBC_KEEP:-0} == 1 ]] && ((CLUSTER_UP)); then
		say "SDBC_KEEP=1: cluster left running (tree $COPY, log $WORK/server.log)"
		say "  connect: $PG_BIN/psql -h $SOCK_DIR -p $PORT -U postgres -d $KEEP_DB"
		say "  stop:    runuser -u postgres -- $PG_BIN/pg_ctl -D $PGDATA_DIR stop; rm -rf $WORK"
		return 0
	fi
	if ((CLUSTER_UP)); then
		as_pg "$WORK" pg_ctl -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1 ||
			as_pg "$WORK" pg_ctl -D "$PGDATA_DIR" -m immediate stop >/dev/null 2>&1 || true
		CLUSTER_UP=0
	fi
	rm -rf "$WORK"
}

# EXIT trap: tear down even when a step failed; output goes to stderr so a
# summary line already printed stays the last line of stdout.
on_exit() {
	teardown >&2
}

# Everything both modes do before their own steps.
prepare() {
	[[ $(id -u) == 0 ]] || die "run as root (installs packages and the extension)"
	trap on_exit EXIT
	trap 'exit 130' INT TERM
	install_packages
	ensure_locales
	build_and_install
}

# ---------------------------------------------------------------- counting

# Count pg_regress / pg_isolation_regress results in log $1; print
# "passed failed".  PG 15 prints "test NAME ... ok|FAILED|failed (ignored)"
# (or "     NAME ..." inside a parallel group); PG 16+ prints TAP-like
# "ok N - NAME" / "not ok N - NAME" (also "+" in groups).  An ignored
# failure counts as failed.
count_regress() {
	awk '
		/^(test |     )[^ ].* \.\.\. +ok( |$)/            { p++; next }
		/^(test |     )[^ ].* \.\.\. +(FAILED|failed)/     { f++; next }
		/^ok +[0-9]+ +[-+] /                               { p++; next }
		/^not ok +[0-9]+ +[-+] /                           { f++; next }
		END { print p + 0, f + 0 }' "$1"
}

# Count TAP assertions in log $1 (unit tests or prove -v); print
# "passed failed plans".  Only top-level lines count (subtest lines are
# indented); "not ok ... # TODO" is not a failure.  When a prove summary is
# present, a file listed as failed without any failed assertion (died
# without a plan, bad plan, non-zero exit) adds one failure.
count_tap() {
	awk '
		/^ok [0-9]+/                   { p++; next }
		/^not ok [0-9]+/ {
			if ($0 ~ /[^\\]#[ \t]*[Tt][Oo][Dd][Oo]/) p++; else f++
			next
		}
		/^1\.\.[0-9]+/                 { plans++; next }
		/^Test Summary Report/         { in_summary = 1; next }
		in_summary && /^[^ ].* \(Wstat: [0-9]+.* Tests: [0-9]+ Failed: [0-9]+\)$/ {
			flush()
			entry = 1
			wstat = $0; sub(/.*\(Wstat: /, "", wstat); sub(/[^0-9].*/, "", wstat)
			nfail = $0; sub(/.*Failed: /, "", nfail); sub(/\).*/, "", nfail)
			parse_err = 0
			next
		}
		in_summary && /^  Parse errors:/ { parse_err = 1; next }
		function flush() {
			if (entry && nfail + 0 == 0 && (wstat + 0 != 0 || parse_err)) f++
			entry = 0
		}
		END { flush(); print p + 0, f + 0, plans + 0 }' "$1"
}

# ---------------------------------------------------------------- check phases

# C unit tests: make unitcheck as root in the work tree.  A test program
# that printed no plan (crashed, or was not built) counts as one failure, and
# so does a failed make with no failed assertion.
run_unit_tests() {
	local log=$WORK/unit.log declared pass fail plans
	declared=$(word_count "$(make_var UNIT_TESTS)")
	say "unit: make unitcheck"
	run_logged "$log" make -C "$TOP" --no-print-directory PG_CONFIG="$PG_CONFIG" unitcheck
	read -r pass fail plans < <(count_tap "$log")
	if ((plans < declared)); then
		fail=$((fail + declared - plans))
	fi
	if ((LAST_RC != 0 && fail == 0)); then
		fail=1
	fi
	record unit "$pass" "$fail"
}

# Fuzzing: make fuzzcheck as root in the work tree, FUZZ_SECONDS per target
# (10 by default; the slow mode runs longer).  One result per target; a
# target that printed no result counts as failed.
run_fuzz_phase() {
	local log=$WORK/fuzz.log declared pass fail plans secs=${FUZZ_SECONDS:-10}
	declared=$(word_count "$(make_var FUZZ_TARGETS)")
	say "fuzz: make fuzzcheck ($declared targets, $secs s each)"
	run_logged "$log" make -C "$TOP" --no-print-directory PG_CONFIG="$PG_CONFIG" \
		FUZZ_SECONDS="$secs" fuzzcheck
	read -r pass fail plans < <(count_tap "$log")
	if ((pass + fail < declared)); then
		fail=$((declared - pass))
	fi
	if ((LAST_RC != 0 && fail == 0)); then
		fail=1
	fi
	record fuzz "$pass" "$fail"
}

# Slow mode only: the regression suite against a server under valgrind
# (test/valgrind/check.sh, its own cluster); one result per kind of memory
# error through sdbc.so, and one for the suite.
run_valgrind_phase() {
	local log=$WORK/valgrind.log pass fail plans
	say "valgrind: make valgrindcheck (the regression suite under valgrind; 10-20 minutes)"
	run_logged "$log" make -C "$TOP" --no-print-directory PG_CONFIG="$PG_CONFIG" valgrindcheck
	read -r pass fail plans < <(count_tap "$log")
	if ((plans == 0 || (LAST_RC != 0 && fail == 0))); then
		fail=$((fail + 1))
	fi
	record valgrind "$pass" "$fail"
}

# One pg_regress-style phase: `make installcheck` as postgres in the copy,
# with the other phases switched off by overrides ($3...).  $1 = phase name,
# $2 = Makefile variable listing its tests.  Declared tests without a result
# line count as failures, and a failed run with no failure counted as one.
run_regress_phase() {
	local phase=$1 var=$2 log=$WORK/$1.log declared pass fail
	shift 2
	declared=$(word_count "$(make_var "$var")")
	if ((declared == 0)); then
		say "$phase: no tests in $var, skipped"
		return
	fi
	say "$phase: make installcheck ($declared tests)"
	run_logged "$log" as_pg "$COPY" make --no-print-directory PG_CONFIG="$PG_CONFIG" installcheck "$@"
	read -r pass fail < <(count_regress "$log")
	if ((pass + fail < declared)); then
		fail=$((declared - pass))
	fi
	if ((LAST_RC != 0 && fail == 0)); then
		fail=1
	fi
	record "$phase" "$pass" "$fail"
}

# SQLsmith (issue 13 §1: no statement crashes the server): random queries
# from the sqlsmith package against a database with the extension and sample
# data (test/sqlsmith/setup.sql), SQLSMITH_SECONDS (60; slow 600) as a
# superuser and as many as the hostile staff login sdbc_smith_staff.  The
# superuser's run leaves the catalogs alone (--exclude-catalog: its DML on
# them would wreck the cluster, not find a bug).  statement_timeout,
# lock_timeout and idle_in_transaction_session_timeout are set on the
# database, sqlsmith is stopped by timeout(1) and whatever it left running is
# terminated, so it cannot hold the phase up.  One result per run: failed
# when the server crashed meanwhile (the server log says a server process
# was terminated, by a signal or an exception, or the postmaster
# reinitialized) or when sqlsmith ran no query.  SQLSMITH_SEED (default:
# random, printed) repeats a run.
readonly SQLSMITH_CRASH='terminated by signal|terminated by exception|server process .* was terminated|all server processes terminated|reinitializing|PANIC:'
run_sqlsmith_phase() {
	local secs=${SQLSMITH_SECONDS:-60} seed=${SQLSMITH_SEED:-$RANDOM} db=sdbc_smith
	local pass=0 fail=0 who log before queries crash
	local -a extra
	say "sqlsmith: database $db from test/sqlsmith/setup.sql; $secs s per login, seed $seed"
	if ! as_pg "$COPY" createdb "$db" >"$WORK/sqlsmith-setup.log" 2>&1 ||
		! as_pg "$COPY" psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/sqlsmith/setup.sql \
			>>"$WORK/sqlsmith-setup.log" 2>&1 ||
		! as_pg "$COPY" psql -X -q -v ON_ERROR_STOP=1 -d postgres \
			-c "ALTER DATABASE $db SET statement_timeout = '2s'" \
			-c "ALTER DATABASE $db SET lock_timeout = '1s'" \
			-c "ALTER DATABASE $db SET idle_in_transaction_session_timeout = '10s'" \
			>>"$WORK/sqlsmith-setup.log" 2>&1; then
		cat "$WORK/sqlsmith-setup.log"
		record sqlsmith 0 2
		return
	fi
	for who in postgres sdbc_smith_staff; do
		log=$WORK/sqlsmith-$who.log
		extra=()
		[[ $who == postgres ]] && extra=(--exclude-catalog)
		before=$(stat -c %s "$WORK/server.log")
		say "sqlsmith: $secs s as $who"
		timeout -k 10 "$secs" runuser -u postgres -- sqlsmith --verbose --seed="$seed" "${extra[@]}" \
			--target="host=$SOCK_DIR port=$PORT dbname=$db user=$who" >"$log" 2>&1 </dev/null || true
		# what sqlsmith left running, then the server log of the run
		as_pg "$COPY" psql -X -q -At -d postgres -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null 2>&1 || true
		sleep 1
		queries=$(grep -E '^[.a-zA-Z]{1,200}$' "$log" | tr -cd '.e' | wc -c || true)
		crash=$(tail -c +$((before + 1)) "$WORK/server.log" | grep -E -A12 "$SQLSMITH_CRASH" || true)
		if [[ -n $crash ]]; then
			fail=$((fail + 1))
			say "sqlsmith: as $who: THE SERVER CRASHED (seed $seed); server log:"
			echo "$crash"
			tail -n 40 "$log"
		elif ((queries == 0)); then
			fail=$((fail + 1))
			say "sqlsmith: as $who: no query ran; its output:"
			tail -n 40 "$log"
		else
			pass=$((pass + 1))
			say "sqlsmith: as $who: $queries queries, no crash"
		fi
	done
	as_pg "$COPY" dropdb --if-exists "$db" >/dev/null 2>&1 || true
	record sqlsmith "$pass" "$fail"
}

# TAP tests: make installcheck with only TAP_TESTS on and PROVE_FLAGS=-v, so
# prove prints every assertion.  Skipped if TAP_TESTS is off or no file
# matches PROVE_TESTS.
run_tap_phase() {
	local log=$WORK/tap.log pattern pass fail plans nfiles
	if [[ -z $(make_var TAP_TESTS) ]]; then
		say "tap: TAP_TESTS off, skipped"
		return
	fi
	pattern=$(make_var PROVE_TESTS)
	# shellcheck disable=SC2086  # the pattern is meant to be globbed
	nfiles=$(cd "$COPY" && shopt -s nullglob && set -- ${pattern:-t/*.pl} && echo $#)
	if ((nfiles == 0)); then
		say "tap: no file matches '${pattern:-t/*.pl}', skipped"
		return
	fi
	say "tap: make installcheck ($nfiles files, prove -v)"
	run_logged "$log" as_pg "$COPY" make --no-print-directory PG_CONFIG="$PG_CONFIG" installcheck \
		REGRESS= ISOLATION= PROVE_FLAGS=-v PROVE_TESTS="$pattern"
	read -r pass fail plans < <(count_tap "$log")
	if ((LAST_RC != 0 && fail == 0)); then
		fail=1
	fi
	record tap "$pass" "$fail"
}

# After failures: print the regression diffs, the TAP logs and the end of
# the test cluster's server log.
show_failure_details() {
	local f
	if ((${PHASE_FAILED[regress]:-0})); then
		show_file "$COPY/regression.diffs"
	fi
	if ((${PHASE_FAILED[isolation]:-0})); then
		show_file "$COPY/output_iso/regression.diffs"
	fi
	if ((${PHASE_FAILED[tap]:-0})); then
		for f in "$COPY"/tmp_check/log/*; do
			[[ -f $f ]] && show_file "$f"
		done
	fi
	if ((${PHASE_FAILED[regress]:-0} + ${PHASE_FAILED[isolation]:-0})); then
		echo
		echo "===================== $WORK/server.log (last 100 lines) ====================="
		tail -n 100 "$WORK/server.log" || true
	fi
}

# ---------------------------------------------------------------- modes

# check: build, run every kind of test (each runs even if an earlier kind
# failed), print details of failures, end with "N passed, N failed".
mode_check() {
	prepare
	make_pg_copy
	if [[ -z ${SDBC_ONLY_REGRESS:-}${SDBC_ONLY_ISOLATION:-}${SDBC_ONLY_TAP:-} ]]; then
		run_unit_tests
		run_fuzz_phase
	fi
	start_cluster
	run_regress_phase regress REGRESS ISOLATION= TAP_TESTS= REGRESS="$(make_var REGRESS)"
	run_regress_phase isolation ISOLATION REGRESS= TAP_TESTS= ISOLATION="$(make_var ISOLATION)"
	run_tap_phase
	if [[ -z ${SDBC_ONLY_REGRESS:-}${SDBC_ONLY_ISOLATION:-}${SDBC_ONLY_TAP:-} || -n ${SQLSMITH_SECONDS:-} ]]; then
		run_sqlsmith_phase
	fi
	if [[ ${SDBC_VALGRIND:-0} == 1 ]]; then
		run_valgrind_phase
	fi
	if ((FAILED > 0)); then
		show_failure_details
	fi
	teardown
	echo
	echo "$PASSED passed, $FAILED failed"
	((FAILED == 0 && PASSED > 0))
}

# demo: build, then on a throwaway cluster create database sdbc_demo and run
# test/demo/main.sql from the top of the copy (for relative \copy paths).
mode_demo() {
	prepare
	[[ -f $TOP/test/demo/main.sql ]] || die "test/demo/main.sql not found"
	make_pg_copy
	start_cluster
	say "demo: createdb sdbc_demo; psql -f test/demo/main.sql"
	KEEP_DB=sdbc_demo
	as_pg "$COPY" createdb sdbc_demo
	as_pg "$COPY" psql -X -v ON_ERROR_STOP=1 -d sdbc_demo -f test/demo/main.sql 2>&1
	# pictures and other files the demo wrote go back to the tree's out/
	if [[ -d $COPY/out ]]; then
		mkdir -p "$TOP/out"
		cp -r "$COPY/out/." "$TOP/out/"
		say "demo: files written to $TOP/out: $(cd "$TOP/out" && echo *)"
	fi
	teardown
}

case ${1:-} in
	check) mode_check ;;
	slow) FUZZ_SECONDS=${FUZZ_SECONDS:-300} SQLSMITH_SECONDS=${SQLSMITH_SECONDS:-600} SDBC_VALGRIND=1 mode_check ;;
	demo) mode_demo ;;
	*)
		echo "usage: bash test/run.sh check|slow|demo" >&2
		exit 2
		;;
esac
