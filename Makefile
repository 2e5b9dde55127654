# Recovery Finder. `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := build

PORT ?= 8080
BENCH_SIZES ?= 50000 500000 1000000
BENCH_SERVICES ?= 200000
export PORT

BUILD := build
# What make lint needs besides what make run needs (cmocka: the unit tests'
# header, which clang-tidy reads).
LINT_PACKAGES := clang-format clang-tidy libcmocka-dev
# What the tests and the benchmark need besides what make run needs.
TEST_PACKAGES := libcmocka-dev wrk nodejs npm chromium clang libclang-rt-14-dev python3-jsonschema \
	clang-format clang-tidy
# make fuzz runs each driver for FUZZ_RUNS inputs or FUZZ_SECONDS, whichever
# ends first; make test runs a shorter bounded pass.
FUZZ_RUNS ?= 20000000
FUZZ_SECONDS ?= 300
CC ?= cc
PKGS := libpq json-c libpcre2-8 zlib libcurl
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wpointer-arith -Wcast-qual
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Ifcgi/src -I$(BUILD)/gen \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = -lfcgi $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS := $(wildcard fcgi/src/*.c)
OBJS := $(patsubst fcgi/src/%.c,$(BUILD)/obj/%.o,$(SRCS)) $(BUILD)/obj/queries.o
QUERIES := $(sort $(wildcard sql/queries/*.sql))

# The pure modules the unit tests link against.
UNIT_MODULES := query_string params number dynbuf utf8 patterns api_error feedback cache_policy origin gzip_join \
	import_batch import_norm import_mg import_csv import_bmlt import_hsds import_settle fetch \
	reports_format
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
# The C that make format rewrites and make lint checks.
FORMAT_SRCS = $(wildcard fcgi/src/*.[ch] tests/unit/*.c tests/fuzz/*.c)

.PHONY: soak build run import source sources sync reports backup restore restart-handlers reload stop test unit fuzz lint format bench deps deps-test clean help

help: ## this list
	@echo "Recovery Finder: make TARGET"
	@echo
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk -F':.*## ' '{ printf "  %-10s %s\n", $$1, $$2 }'
	@echo
	@echo "Settings: PORT=$(PORT), HANDLERS=N (handlers nginx balances over) and"
	@echo "REPLICAS=N (streaming standbys the handlers read from) for make run;"
	@echo "BENCH_SIZES=\"$(BENCH_SIZES)\" (or one BENCH_SIZE) and"
	@echo "BENCH_SERVICES=$(BENCH_SERVICES) (make bench); FUZZ_RUNS=$(FUZZ_RUNS) and"
	@echo "FUZZ_SECONDS=$(FUZZ_SECONDS) (make fuzz). The README lists the environment variables."

build: $(BUILD)/finder ## build the handler (build/finder)

run: deps build ## install what is missing, start PostgreSQL (and REPLICAS standbys), the handler and nginx on 127.0.0.1:PORT, in the foreground (Ctrl-C stops)
	@scripts/stack.sh run

# The data licence options of make import and make source (the source's
# terms, shown by make sources and GET /api/v1/sources); ARGS='--license ""'
# removes one.
TERMS = $(if $(LICENSE),--license '$(subst ','\'',$(LICENSE))') \
	$(if $(LICENSE_URL),--license-url '$(subst ','\'',$(LICENSE_URL))') \
	$(if $(ATTRIBUTION),--attribution '$(subst ','\'',$(ATTRIBUTION))')

import: build ## import a meeting feed or an HSDS services directory into make run's database (and rewrite the feed's files): make import FORMAT=meeting-guide|bmlt|csv|hsds SOURCE=slug FILE=feed.json|dir [TIMEZONE=Area/City FELLOWSHIP=aa LICENSE=CC-BY-4.0 LICENSE_URL=https://... ATTRIBUTION='Data: ...' ARGS=...]
	@test -n "$(FORMAT)" -a -n "$(SOURCE)" -a -n "$(FILE)" || \
		{ echo "usage: make import FORMAT=meeting-guide|bmlt|csv|hsds SOURCE=slug FILE=path [TIMEZONE=zone] [FELLOWSHIP=slug] [LICENSE=id LICENSE_URL=url ATTRIBUTION=text] [ARGS='--dry-run ...']"; exit 2; }
	@scripts/stack.sh import --format "$(FORMAT)" --source "$(SOURCE)" \
		$(if $(TIMEZONE),--timezone "$(TIMEZONE)") $(if $(FELLOWSHIP),--fellowship "$(FELLOWSHIP)") \
		$(TERMS) $(ARGS) "$(FILE)"

source: build ## add (or change) a source fetched from its URL, and sync it now: make source SOURCE=slug URL=https://... FORMAT=meeting-guide|bmlt|csv|hsds [TIMEZONE=Area/City FELLOWSHIP=aa EVERY=6h LICENSE=CC-BY-4.0 LICENSE_URL=https://... ATTRIBUTION='Data: ...' ARGS=...]
	@test -n "$(SOURCE)" -a -n "$(URL)" -a -n "$(FORMAT)" || \
		{ echo "usage: make source SOURCE=slug URL=https://... FORMAT=meeting-guide|bmlt|csv|hsds [TIMEZONE=zone] [FELLOWSHIP=slug] [EVERY=6h] [LICENSE=id LICENSE_URL=url ATTRIBUTION=text] [ARGS='--service-body 12 ...']"; exit 2; }
	@scripts/stack.sh source add "$(SOURCE)" --url "$(URL)" --format "$(FORMAT)" \
		$(if $(TIMEZONE),--timezone "$(TIMEZONE)") $(if $(FELLOWSHIP),--fellowship "$(FELLOWSHIP)") \
		$(if $(EVERY),--every "$(EVERY)") $(TERMS) $(ARGS)
	@scripts/stack.sh sync "$(SOURCE)"

sources: build ## list the sources: where each comes from, its last sync, its status and error, its data's licence and whom to credit
	@scripts/stack.sh source list

sync: build ## one sync pass now: fetch the sources that are due (or SOURCE=slug, due or not) and import what changed
	@scripts/stack.sh sync $(SOURCE)

reports: build ## list the visitors' reports in make run's database, resolve them, or deliver them to the sources' webhooks: make reports [ARGS='--source slug --format csv' | ARGS='resolve 12 13' | ARGS=deliver]
	@scripts/stack.sh reports $(ARGS)

restart-handlers: ## restart each handler in turn while nginx passes requests to the others (run with HANDLERS=2 or more: no request refused)
	@scripts/stack.sh restart-handlers

reload: ## replace the handler's and nginx's workers without refusing a request (the old ones finish theirs)
	@scripts/stack.sh reload

backup: ## dump make run's database in one snapshot (all but the gazetteer, which restore reloads) to var/backups/finder-TIMESTAMP.dump or FILE=path; it holds reporters' contact details
	@scripts/stack.sh backup $(if $(FILE),"$(FILE)")

restore: ## restore a backup into a fresh (or empty) database, then migrate, reapply the roles and reload the gazetteer: make restore FILE=path [FORCE=1 replaces a database holding data]
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/finder-....dump [FORCE=1]"; exit 2; }
	@FORCE="$(FORCE)" scripts/stack.sh restore "$(FILE)"

stop: ## stop a run left in the background, or a make run in another terminal (which then ends)
	@scripts/stack.sh stop

test: deps-test build $(BUILD)/asan/finder ## run the whole test suite on a throwaway stack (the handler under ASan/UBSan); ends with "N passed, N failed"
	@tests/run.sh

unit: $(addprefix $(BUILD)/tests/,$(UNIT_TESTS)) $(addprefix $(BUILD)/tests-asan/,$(UNIT_TESTS)) ## build the C unit tests (plain and with ASan/UBSan)

fuzz: $(BUILD)/fuzz/fuzz_query_string $(BUILD)/fuzz/fuzz_import ## fuzz the request and the import parsers (libFuzzer): FUZZ_RUNS inputs or FUZZ_SECONDS each
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus-import
	$(BUILD)/fuzz/fuzz_query_string -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
		$(BUILD)/fuzz/corpus tests/fuzz/corpus
	$(BUILD)/fuzz/fuzz_import -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		$(BUILD)/fuzz/corpus-import tests/fuzz/corpus-import

lint: $(BUILD)/gen/queries.h ## check the C (fcgi/src, tests/unit, tests/fuzz): clang-format's style (.clang-format), no banned functions (scripts/checksrc.sh), clang-tidy's bugprone checks (.clang-tidy)
	@scripts/stack.sh deps $(LINT_PACKAGES)
	@scripts/lint.sh $(ALL_CFLAGS)

format: ## rewrite the C in fcgi/src, tests/unit and tests/fuzz in the style of .clang-format
	@scripts/stack.sh deps $(LINT_PACKAGES)
	clang-format -i $(FORMAT_SRCS)

bench: deps-test build ## benchmark: each search and its page alone (wrk, pgbench) at each of BENCH_SIZES meetings, the imports, the feed's files beside 8 downloads, BENCH_SERVICES services, the page in headless Chromium
	@BENCH_SIZES="$(if $(BENCH_SIZE),$(BENCH_SIZE),$(BENCH_SIZES))" BENCH_SERVICES=$(BENCH_SERVICES) scripts/bench.sh

soak: deps-test build ## a mixed load for SOAK_SECONDS (default 600) on a throwaway stack: searches, details, facets, reports, an import and a sync half way; errors, p99 a slice, the workers' memory
	@scripts/soak.sh

deps: ## install the Debian packages the finder needs (only those missing)
	@scripts/stack.sh deps

deps-test: ## install what the tests and the benchmark need too
	@scripts/stack.sh deps $(TEST_PACKAGES)

clean: ## remove build output (keeps var/, the data)
	rm -rf $(BUILD)

$(BUILD)/gen/queries.c $(BUILD)/gen/queries.h &: $(QUERIES) $(wildcard sql/queries/include/*.sql) scripts/sql2c.sh scripts/sqlinc.sh
	@scripts/sql2c.sh $(BUILD)/gen $(QUERIES)

$(BUILD)/obj/queries.o: $(BUILD)/gen/queries.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: fcgi/src/%.c $(wildcard fcgi/src/*.h) $(BUILD)/gen/queries.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/finder: $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

# The handler under ASan and UBSan: make test runs the whole stack with it.
ASAN_OBJS := $(patsubst $(BUILD)/obj/%,$(BUILD)/asan-obj/%,$(OBJS))
$(BUILD)/asan-obj/queries.o: $(BUILD)/gen/queries.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SANITIZE) -c -o $@ $<
$(BUILD)/asan-obj/%.o: fcgi/src/%.c $(wildcard fcgi/src/*.h) $(BUILD)/gen/queries.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SANITIZE) -c -o $@ $<
$(BUILD)/asan/finder: $(ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SANITIZE) -o $@ $^ $(LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(addprefix fcgi/src/,$(addsuffix .c,$(UNIT_MODULES))) $(wildcard fcgi/src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(addprefix fcgi/src/,$(addsuffix .c,$(UNIT_MODULES))) $(LIBS) -lcmocka

$(BUILD)/tests-asan/test_%: tests/unit/test_%.c $(addprefix fcgi/src/,$(addsuffix .c,$(UNIT_MODULES))) $(wildcard fcgi/src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SANITIZE) -o $@ $< $(addprefix fcgi/src/,$(addsuffix .c,$(UNIT_MODULES))) $(LIBS) -lcmocka

# The route test links every module but main.c, as built for build/finder
# (and for the ASan handler): the route table it checks points at every
# handler.
ROUTE_TEST_OBJS := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
ROUTE_TEST_ASAN_OBJS := $(filter-out $(BUILD)/asan-obj/main.o,$(ASAN_OBJS))
$(BUILD)/tests/test_route: tests/unit/test_route.c $(ROUTE_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/tests-asan/test_route: tests/unit/test_route.c $(ROUTE_TEST_ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SANITIZE) -o $@ $^ $(LIBS) -lcmocka

# The fuzz driver links every module but main.c, built with clang's
# sanitizers and libFuzzer.
FUZZ_SRCS := $(filter-out fcgi/src/main.c,$(SRCS)) $(BUILD)/gen/queries.c
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRCS) $(wildcard fcgi/src/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE $(WARN) -g -O1 -Ifcgi/src -I$(BUILD)/gen \
		$(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(FUZZ_SRCS) $(LIBS)
