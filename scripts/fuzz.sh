#!/bin/sh
# Run the libFuzzer targets built by 'make fuzz-build' (tests/fuzz/fuzz_<name>.c
# -> BUILD/fuzz_<name>), one after the other.
#
#   fuzz.sh run   [BUILD [SECONDS]]  each target for SECONDS (default 600); new
#                                    inputs kept in BUILD/corpus/<name>/, a
#                                    table of executions and coverage at the end
#   fuzz.sh smoke [BUILD [SECONDS]]  each target for SECONDS (default 5) from its
#                                    seed corpus only; one TAP line per target:
#                                    "ok - fuzz <name> (N execs, cov C)"
#
# Every target found by the wildcard over tests/fuzz/fuzz_*.c is run; one whose
# binary is missing is a failure. Each run is a single libFuzzer process (one
# core; no -jobs/-workers, which would fork a child that writes fuzz-N.log into
# the current folder) over its seed corpus tests/fuzz/corpus/<name>/, with the
# dictionary tests/fuzz/<name>.dict if there is one, else tests/fuzz/ujian.dict,
# and the extra libFuzzer flags listed in tests/fuzz/fuzz_<name>.options (one per
# line, # comments; -max_len=4096 when the file sets none). New corpus entries
# go to a scratch folder, never into the repository; a crash, leak, UB report
# or timeout (-timeout=30) fails the target, and its input is saved as
# BUILD/artifacts/<name>-crash-<sha1> (reproduce: BUILD/fuzz_<name> FILE).
# FUZZ_TARGETS="bank csv" in the environment runs only those targets.
# FUZZ_RUNS=N (run mode) also stops a target after N executions, whichever of
# SECONDS and N comes first ('make fuzz-depth': 10^7 executions or an hour).
# Exit status 0 only when every target ran clean.
set -u

MODE=${1:-}
BUILD=${2:-build-fuzz}
case "$MODE" in
	run) SECONDS_EACH=${3:-600} ;;
	smoke) SECONDS_EACH=${3:-5} ;;
	*) echo "usage: fuzz.sh run|smoke [BUILD [SECONDS]]" >&2; exit 2 ;;
esac
case "$SECONDS_EACH" in
	'' | *[!0-9]*) SECONDS_EACH=0 ;;
esac
if [ "$SECONDS_EACH" -le 0 ]; then
	echo "fuzz.sh: SECONDS must be a positive whole number" >&2
	exit 2
fi

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$BUILD/artifacts"
failed=0
summary=""

# The value after "key" on the last line of file that has it (libFuzzer's
# status lines: "#1234 DONE cov: 567 ft: 890 corp: 12/3456b ...").
last_field() { # file key
	grep -o "$2 [0-9]*" "$1" | tail -n 1 | sed 's/.* //'
}

# The extra flags of a target: its .options file without comments and blank
# lines, plus -max_len=4096 unless the file sets a max_len.
target_flags() { # name
	opts="tests/fuzz/fuzz_$1.options"
	flags=""
	[ -f "$opts" ] && flags=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$opts" | tr '\n' ' ')
	case "$flags" in
		*-max_len=*) ;;
		*) flags="$flags -max_len=4096" ;;
	esac
	echo "$flags"
}

for src in tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	case " ${FUZZ_TARGETS:-$name} " in
		*" $name "*) ;;
		*) continue ;;
	esac
	bin="$BUILD/fuzz_$name"
	seeds="tests/fuzz/corpus/$name"
	dict="tests/fuzz/$name.dict"
	[ -f "$dict" ] || dict="tests/fuzz/ujian.dict"
	if [ "$MODE" = run ]; then
		corpus="$BUILD/corpus/$name"
		log="$BUILD/logs/$name.log"
		mkdir -p "$corpus" "$BUILD/logs"
	else
		corpus="$SCRATCH/corpus-$name"
		log="$SCRATCH/$name.log"
		mkdir -p "$corpus"
	fi
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $name ($bin not built: make fuzz-build)"
		summary="$summary$(printf '%-8s %12s %8s %7s %7s  %s' "$name" - - - - "not built")
"
		failed=$((failed + 1))
		continue
	fi
	[ -d "$seeds" ] || seeds=""
	[ "$MODE" = run ] && echo "== fuzz $name: ${SECONDS_EACH}s (log $log)"
	runs=""
	[ "$MODE" = run ] && [ -n "${FUZZ_RUNS:-}" ] && runs="-runs=$FUZZ_RUNS"
	# shellcheck disable=SC2046
	"$bin" $(target_flags "$name") $runs -dict="$dict" -max_total_time="$SECONDS_EACH" \
		-timeout=30 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$name-" \
		"$corpus" $seeds >"$log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(last_field "$log" "cov:")
	ft=$(last_field "$log" "ft:")
	corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -n 1 | sed 's/corp: //')
	if [ "$status" -eq 0 ] && [ -n "$execs" ] && [ -n "$cov" ]; then
		result="ok"
		[ "$MODE" = smoke ] && echo "ok - fuzz $name ($execs execs, cov $cov)"
	else
		failed=$((failed + 1))
		what=$(grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz contract broken|ALARM)' "$log" |
			cut -c 1-160)
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		result="FAILED (exit $status${artifact:+, input $artifact})"
		echo "not ok - fuzz $name (exit $status${what:+: $what})"
		[ -n "$artifact" ] && echo "# reproduce: $bin $artifact"
		# The report with its stack (not the shadow-memory map), else the log's end.
		if [ -n "$what" ]; then
			sed -n '/^==[0-9]*==ERROR\|runtime error\|fuzz contract broken\|^ALARM/,$p' "$log" |
				grep -v '^ *0x[0-9a-f]*:\|^=>0x' | head -n 30 | sed 's/^/# /'
		else
			tail -n 20 "$log" | sed 's/^/# /'
		fi
	fi
	summary="$summary$(printf '%-8s %12s %8s %7s %7s  %s' "$name" "${execs:--}" "${rate:--}" \
		"${cov:--}" "${ft:--}" "$result${corp:+ (corpus $corp)}")
"
done

if [ "$MODE" = run ]; then
	echo
	printf '%-8s %12s %8s %7s %7s  %s\n' target execs exec/s cov ft result
	printf '%s' "$summary"
fi
[ "$failed" -eq 0 ]
