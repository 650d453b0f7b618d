# sdbc — PGXS build. `make && make install`, then CREATE EXTENSION sdbc CASCADE.
EXTENSION   = sdbc
EXTVERSION  = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" sdbc.control)

# C (docs/architecture.md, "Layout"): src/kernel/ holds the kernels (pure C,
# no postgres.h), every other folder of src/ the glue of one concept.
KERNELS     = src/kernel/divcode_kernel.o src/kernel/idcard_kernel.o src/kernel/grid_kernel.o src/kernel/grid_class_kernel.o \
              src/kernel/calendar_kernel.o src/kernel/evaluation_kernel.o src/kernel/route_select_kernel.o src/kernel/approval_kernel.o
GLUE        = src/common/module.o src/common/names.o src/divcode/divcode.o src/divcode/divcode_support.o src/divcode/int8_compare.o src/registry/idcard.o src/policy/policy_cache.o \
              src/policy/policy_guard.o src/registry/household_place.o src/grid/grid_partition.o src/grid/grid_class.o \
              src/common/spi_plans.o src/common/table_cache.o src/approval/route_cache.o src/approval/case_start.o src/service/service_start.o src/approval/route_whatif.o src/approval/decision_check.o src/approval/expense_check.o src/approval/decision_hash.o src/approval/case_guard.o src/calendar/working_days.o \
              src/service/eligibility.o src/evaluation/evaluation.o src/approval/engine_write.o src/security/login_staff.o src/registry/id_registration.o src/approval/engine_ids.o \
              src/security/delete_rows.o src/approval/rule_checks.o src/security/trigger_guard.o src/security/owner_rights.o \
              src/common/null_guard.o src/approval/decide_api.o src/common/messages.o
# Headers are included by file name; every folder of src/ is on the path.
SRC_DIRS    = kernel common divcode policy calendar registry grid approval service evaluation security
MODULE_big  = sdbc
OBJS        = $(KERNELS) $(GLUE)
# -Wno-unused-parameter: PostgreSQL's own headers (bufpage.h) trip it; our code is clean without it.
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter
PG_CPPFLAGS = $(SRC_DIRS:%=-I$(srcdir)/src/%)

# Install script: the files of sql/<concept>/ concatenated in this order,
# the one statement of the load order (a file's objects may use only what
# the files before it define).
SQL_SOURCES = sql/common/schema.sql sql/divcode/divcode.sql sql/divcode/division.sql \
              sql/policy/policy.sql sql/registry/idcard.sql sql/registry/registry.sql sql/grid/grid.sql \
              sql/grid/grid_rules.sql sql/grid/grid_draw.sql sql/approval/engine_write.sql sql/people/people.sql sql/calendar/calendar_days.sql sql/people/staff_moves.sql sql/approval/routes.sql \
              sql/people/posts_visits.sql sql/people/duty_party.sql \
              sql/approval/money.sql sql/approval/money_reports.sql sql/security/jurisdiction.sql sql/service/service.sql sql/service/service_hall.sql \
              sql/evaluation/evaluation.sql sql/facilities/facilities.sql sql/evaluation/report.sql \
              sql/security/grants.sql sql/security/roles.sql sql/security/community_rls.sql sql/security/role_staff.sql sql/registry/id_number.sql sql/security/login_safety.sql sql/security/rights_hardening.sql sql/policy/builtin_ids.sql
# Releases (docs/upgrades.md): what earlier releases shipped is kept as it
# shipped in sql/releases/ (their install scripts and update scripts: the
# upgrade test installs them and updates).  Every change of the SQL ships as
# an update script sdbc--A--B.sql.  While release B is being made, its update
# script is built from its hand-written part (sql/upgrade/A--B.sql: what
# changed in files that A already had) followed by the files new in B
# (UPDATE_NEW), so those files are written once, and by sql/policy/builtin_ids.sql
# (idempotent: built-in policy rows keep fixed ids).
PREVIOUS    = 0.2.0
UPDATE_NEW  = sql/calendar/calendar_days.sql sql/security/login_safety.sql sql/security/rights_hardening.sql
RELEASES    = sql/releases/sdbc--0.1.0.sql sql/releases/sdbc--0.1.0--0.2.0.sql sql/releases/sdbc--0.2.0.sql
DATA_built  = sdbc--$(EXTVERSION).sql sdbc--$(PREVIOUS)--$(EXTVERSION).sql
DATA        = $(RELEASES)
EXTRA_CLEAN = src/common/sql_texts.h po/*.mo sdbc--$(EXTVERSION).sql sdbc--$(PREVIOUS)--$(EXTVERSION).sql results/ output_iso/ tmp_check/ test/unit/*.bin \
              regression.diffs regression.out test/fuzz/*.bin test/fuzz/*.log

# Regression tests (test/sql), isolation specs (test/specs), TAP (test/t).
# Expected outputs live in expected/; PostgreSQL 15's pg_regress looks in
# <inputdir>/expected, so test/expected is a symlink to ../expected.
REGRESS      = catalog_comments divcode_input divcode_functions divcode_index division_aksu policy_lookup policy_errors idcard registry grid_rules grid_draw expense_route expense_errors expense_route_exact service_matters work_access people_staff people_posts people_duty_party evaluation report roles roles_community engine_guard engine_forgery calendar_holidays search_path_attack staff_table_locks login_person rules_hold engine_hardening null_surface messages_zh
REGRESS_OPTS = --inputdir=test --load-extension=postgis --load-extension=sdbc
ISOLATION      = policy_cache_invalidation grid_overlap_concurrent expense_pay_concurrent decision_concurrent absence_ab_concurrent staff_limits_concurrent id_number_concurrent expense_split_concurrent
ISOLATION_OPTS = --inputdir=test --load-extension=postgis --load-extension=sdbc
TAP_TESTS    = 1
PROVE_TESTS  = test/t/*.pl

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Messages in the users' language (docs/errors.md, "Messages in Chinese"):
# one gettext catalogue po/<language>.po, built with msgfmt (Debian gettext)
# and installed where pg_bindtextdomain() looks, the server's locale
# directory: <localedir>/<language>/LC_MESSAGES/sdbc-15.mo (the domain is
# PG_TEXTDOMAIN("sdbc"), name and major version).  The texts of the errors
# raised in SQL are taken out of sql/*/*.sql into src/common/sql_texts.h for the
# library's emit_log_hook (src/common/messages.c) and for po/extract.sh.
LANGUAGES   = zh_CN
MO_FILES    = $(LANGUAGES:%=po/%.mo)

all: $(MO_FILES)

src/common/sql_texts.h: po/sql_texts.pl $(SQL_SOURCES)
	perl po/sql_texts.pl $(SQL_SOURCES) > $@.tmp && mv $@.tmp $@

src/common/messages.o: src/common/sql_texts.h

po/%.mo: po/%.po
	msgfmt --check -o $@ $<

install: install-messages
.PHONY: install-messages uninstall-messages
install-messages: $(MO_FILES)
	for lang in $(LANGUAGES); do \
	  $(INSTALL) -d '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES && \
	  $(INSTALL_DATA) po/$$lang.mo '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/sdbc-$(MAJORVERSION).mo || exit 1; \
	done

uninstall: uninstall-messages
uninstall-messages:
	for lang in $(LANGUAGES); do rm -f '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/sdbc-$(MAJORVERSION).mo; done

sdbc--$(EXTVERSION).sql: $(SQL_SOURCES)
	cat $^ > $@

sdbc--$(PREVIOUS)--$(EXTVERSION).sql: sql/upgrade/$(PREVIOUS)--$(EXTVERSION).sql $(UPDATE_NEW) sql/policy/builtin_ids.sql
	cat $^ > $@

# C unit tests of the kernels, built and run without a server.
UNIT_TESTS = test/unit/test_divcode test/unit/test_idcard test/unit/test_grid test/unit/test_grid_class test/unit/test_calendar test/unit/test_evaluation \
             test/unit/test_route_select test/unit/test_approval
test/unit/%.bin: test/unit/%.c $(KERNELS:.o=.c) test/unit/tap.h
	$(CC) -std=c11 -O1 -g -Wall -Wextra -Werror -Isrc/kernel -o $@ $< $(KERNELS:.o=.c) -lm

.PHONY: unitcheck
unitcheck: $(addsuffix .bin,$(UNIT_TESTS))
	@rc=0; for t in $^; do ./$$t || rc=1; done; exit $$rc

# Fuzzing of the kernels with libFuzzer (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer): FUZZ_SECONDS per target, from the seeds in
# test/fuzz/corpus/<target> into a scratch corpus.  Prints one TAP line per
# target ("ok" when the run ends without a crash, sanitizer report or
# failed property); crash inputs are left in test/fuzz/ (crash-*).
FUZZ_TARGETS = divcode idcard grid calendar grid_class evaluation route_select approval
FUZZ_SECONDS ?= 10
FUZZ_CC ?= clang
test/fuzz/fuzz_%.bin: test/fuzz/fuzz_%.c test/fuzz/fuzz_bytes.h $(KERNELS:.o=.c)
	$(FUZZ_CC) -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -Isrc/kernel -o $@ $< $(KERNELS:.o=.c) -lm

# The regression suite against a server under valgrind; fails on memory
# errors and definite leaks whose stack passes through sdbc.so (as root).
.PHONY: valgrindcheck
valgrindcheck:
	PG_BIN=$$($(PG_CONFIG) --bindir) bash test/valgrind/check.sh

.PHONY: fuzzcheck
fuzzcheck: $(FUZZ_TARGETS:%=test/fuzz/fuzz_%.bin)
	@echo "1..$(words $(FUZZ_TARGETS))"; rc=0; i=0; \
	for t in $(FUZZ_TARGETS); do \
	  i=$$((i + 1)); scratch=$$(mktemp -d); \
	  if ./test/fuzz/fuzz_$$t.bin -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	       -artifact_prefix=test/fuzz/crash-$$t- $$scratch test/fuzz/corpus/$$t \
	       >test/fuzz/fuzz_$$t.log 2>&1; then \
	    echo "ok $$i - fuzz_$$t: $(FUZZ_SECONDS) s, $$(sed -n 's/^stat::number_of_executed_units: *//p' test/fuzz/fuzz_$$t.log) inputs, no crash"; \
	  else \
	    rc=1; echo "not ok $$i - fuzz_$$t (log: test/fuzz/fuzz_$$t.log)"; tail -n 30 test/fuzz/fuzz_$$t.log; \
	  fi; rm -rf $$scratch; \
	done; exit $$rc
