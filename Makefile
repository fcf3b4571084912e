# Ujian - build, run, test.
#
#   make run    install what is missing, build, start the demo on :8080
#               (another address: make run LISTEN=127.0.0.1:9090, or PORT=9090)
#   make test   install what is missing, build, run every test suite
#   make asan   the same test suites under AddressSanitizer + UBSan
#   make fuzz   each libFuzzer target for FUZZ_SECONDS (default 600; clang)
#   make fuzz-depth  each target to 10^7 executions or an hour (issue 12)
#   make screenshots  regenerate docs/screenshots/ from the real client
#
# Libraries come through pkg-config; see scripts/install-deps.sh.

CC      ?= gcc
BUILD   ?= build
PKGS    := libevent libevent_pthreads libevent_openssl openssl sqlite3 jansson xlsxwriter libqrencode
SAN     ?=
# Where `make run` listens: PORT on 127.0.0.1, or a whole LISTEN=ADDRESS:PORT.
PORT    ?= 8080
LISTEN  ?= 127.0.0.1:$(PORT)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral -Wvla
OPT     ?= -O2 -g
# CFLAGS/LDFLAGS given on the command line are added last, never replace these.
ALL_CFLAGS  = $(OPT) -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude $(SAN) \
              $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

# server/<layer>/<module>.c; objects mirror the tree under $(BUILD)/obj.
SRCS      := $(wildcard server/*/*.c)
OBJS      := $(SRCS:server/%.c=$(BUILD)/obj/%.o)
LIB_OBJS  := $(filter-out $(BUILD)/obj/cli/main.o,$(OBJS))
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_OBJS := $(BUILD)/obj/core/mem.o $(BUILD)/obj/core/clock.o $(BUILD)/obj/core/log.o
# tests/unit/<layer>/test_<module>.c mirrors server/<layer>/<module>.c.
UNIT_SRCS := $(wildcard tests/unit/*/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# Header dependencies: every object and test binary records the headers it
# included (-MMD), so a header change rebuilds exactly what uses it.
DEPFLAGS   = -MMD -MP

# libFuzzer targets: tests/fuzz/fuzz_<name>.c -> $(FUZZ_BUILD)/fuzz_<name>, built
# with clang, ASan and UBSan. The library objects are compiled again into
# $(FUZZ_BUILD)/obj (coverage-instrumented: -fsanitize=fuzzer-no-link; the
# harness link adds libFuzzer's main with -fsanitize=fuzzer), so the gcc
# trees are untouched. Run options per target: see scripts/fuzz.sh.
FUZZ_CC     ?= clang
FUZZ_BUILD  ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  = -O1 -g -fno-omit-frame-pointer -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude \
               $(FUZZ_SAN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
FUZZ_SRCS   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJS   := $(filter-out $(FUZZ_BUILD)/obj/cli/main.o,$(SRCS:server/%.c=$(FUZZ_BUILD)/obj/%.o))

.PHONY: all deps deps-run run test unit-bins asan screenshots crash-build bench-smoke crash-test bench clean
.PHONY: bench-event fault-build fault-test
.PHONY: fuzz fuzz-build fuzz-smoke fuzz-depth

all: $(BUILD)/ujian $(BUILD)/ujian-bench

deps:
	@sh scripts/install-deps.sh

# Only what building and running the server needs (no browser, no Node.js).
deps-run:
	@sh scripts/install-deps.sh --run

$(BUILD)/obj/%.o: server/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/ujian: $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# The load generator (tests/bench/): its own sources plus three small server modules.
$(BUILD)/ujian-bench: $(BENCH_SRCS) $(wildcard tests/bench/*.h) include/bounds.h $(BENCH_OBJS)
	$(CC) $(ALL_CFLAGS) -Itests/bench -o $@ $(BENCH_SRCS) $(BENCH_OBJS) $(ALL_LDFLAGS) $(LDLIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Itests/unit -o $@ $< $(LIB_OBJS) $(ALL_LDFLAGS) $(LDLIBS) -lcmocka

# issue 14: the Rasch calibration's driver (tests/analysis/rasch_sim.c):
# simulated data, timing, files for tests/analysis/erm_compare.R.
$(BUILD)/rasch-sim: tests/analysis/rasch_sim.c tests/analysis/rasch_sim.h $(BUILD)/obj/analysis/rasch.o $(BUILD)/obj/core/mem.o
	$(CC) $(ALL_CFLAGS) -Itests/analysis -o $@ $< $(BUILD)/obj/analysis/rasch.o $(BUILD)/obj/core/mem.o $(ALL_LDFLAGS) -lm

$(FUZZ_BUILD)/obj/%.o: server/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(DEPFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(DEPFLAGS) -Itests/fuzz -o $@ $< $(FUZZ_OBJS) \
	        $(LDFLAGS) $(LDLIBS)

# Reached only through the pattern rule above: keep them (no intermediate deletion).
.SECONDARY: $(FUZZ_OBJS)

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)

run: deps-run
	$(MAKE) all
	$(BUILD)/ujian demo --listen $(LISTEN)

# make test also builds the AddressSanitizer + UBSan tree (build-asan) and runs
# every unit suite and the API suites of ASAN_API against it (issue 12: CI runs
# the sanitizer suite); `make asan` runs every suite sanitized.
ASAN_BUILD := build-asan
ASAN_MAKE   = $(MAKE) BUILD=$(ASAN_BUILD) OPT="-O1 -g -fno-omit-frame-pointer" \
	        SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
ASAN_API   ?= test_api test_authz test_proctor test_staff test_selection test_slip test_board \
              test_analysis test_calibration test_floods

test: deps
	$(MAKE) all unit-bins crash-build fault-build fuzz-build
	$(ASAN_MAKE) all unit-bins
	FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) \
	ASAN_BUILD=$(ASAN_BUILD) ASAN_API="$(ASAN_API)" sh scripts/run-tests.sh $(BUILD)

unit-bins: $(UNIT_BINS)

asan: deps
	$(ASAN_MAKE) all unit-bins
	UJIAN_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh scripts/run-tests.sh build-asan

# The libFuzzer targets (clang: see scripts/install-deps.sh).
fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { echo "fuzz-build: $(FUZZ_CC) not found" \
	        "(install clang and libclang-rt-14-dev: make deps)" >&2; exit 1; }
	$(if $(FUZZ_BINS),$(MAKE) $(FUZZ_BINS),@true)

# Each target for FUZZ_SECONDS over its seed corpus (tests/fuzz/corpus/<name>/);
# new inputs go to $(FUZZ_BUILD)/corpus/<name>/; executions and coverage at the end.
# FUZZ_TARGETS="bank exam" runs only those.
fuzz: fuzz-build
	FUZZ_TARGETS="$(FUZZ_TARGETS)" sh scripts/fuzz.sh run $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Fuzzing at depth (issue 12): each target until 10^7 executions or one hour,
# whichever comes first; figures in docs/TESTING.md.
fuzz-depth: fuzz-build
	FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_RUNS=10000000 sh scripts/fuzz.sh run $(FUZZ_BUILD) 3600

# Each target for FUZZ_SMOKE_SECONDS; TAP lines (part of make test).
fuzz-smoke: fuzz-build
	sh scripts/fuzz.sh smoke $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS)

# A server with compiled-in crash points (UJIAN_CRASH=after_commit:K|mid_batch:K).
crash-build:
	$(MAKE) BUILD=build-crash OPT="-O2 -g -DUJIAN_CRASHPOINTS" build-crash/ujian

# A server with storage fault injection (store/faultvfs.h: UJIAN_FAULT,
# UJIAN_FAULT_FILE), for tests/api/test_storage_faults.py and make fault-test.
# Crash points too, so one binary serves make fault-test (they only act when
# UJIAN_CRASH is set).
fault-build:
	$(MAKE) BUILD=build-fault OPT="-O2 -g -DUJIAN_FAULTS -DUJIAN_CRASHPOINTS" build-fault/ujian

# The crash harness with random storage faults (disk full, I/O errors) as
# well as SIGKILLs and crash points: 0 acknowledged answers may be lost
# (docs/TESTING.md).
fault-test: deps
	$(MAKE) all fault-build
	python3 tests/bench/crash_harness.py --ujian build-fault/ujian --bench $(BUILD)/ujian-bench \
	        --candidates 2000 --duration 150 --window 20 --kills 6 --crashpoints 3 \
	        --faults 12 --fault-max 6

# Short load with one SIGKILL and one crash point (part of make test).
bench-smoke: deps
	$(MAKE) all crash-build
	python3 tests/bench/crash_harness.py --ujian build-crash/ujian --bench $(BUILD)/ujian-bench \
	        --candidates 500 --duration 40 --window 5 --kills 1 --crashpoints 1

# The full crash harness: 20 random SIGKILLs and 6 crash points under load.
crash-test: deps
	$(MAKE) all crash-build
	python3 tests/bench/crash_harness.py --ujian build-crash/ujian --bench $(BUILD)/ujian-bench \
	        --candidates 2000 --duration 150 --window 20 --kills 20 --crashpoints 6

# The capacity benchmark (long: see docs/BENCHMARKS.md).
bench: deps
	$(MAKE) all
	python3 tests/bench/run_bench.py --ujian $(BUILD)/ujian --bench $(BUILD)/ujian-bench

# Micro benchmark of the writer's per-answer work with the audit chain
# (tests/bench/micro/event_append.c; docs/BENCHMARKS.md).
$(BUILD)/bench-event: tests/bench/micro/event_append.c $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(ALL_LDFLAGS) $(LDLIBS)

bench-event: $(BUILD)/bench-event
	cd $(BUILD) && ./bench-event && ./bench-event position-bare && ./bench-event position

# Regenerate docs/screenshots/ (candidate: login, exam, result; admin-*.png:
# every administration page at 1366, 1024 and 390 px; board-*.png: the public
# scoreboard; proctor-*.png: the proctor web against
# tests/e2e/fake_proctor_server.mjs; committee-*.png: the committee web against
# tests/e2e/fake_committee_server.mjs) in Debian's Chromium.
screenshots: deps
	$(MAKE) all
	node tests/e2e/screenshots.mjs

clean:
	rm -rf build build-asan build-crash build-fault $(FUZZ_BUILD)
