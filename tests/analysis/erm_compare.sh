#!/bin/sh
# erm_compare.sh - Ujian's Rasch calibration against R's eRm on the same
# simulated matrix (outside make test; docs/TESTING.md, "Rasch calibration
# against eRm"). Needs r-base-core and r-cran-erm (Debian).
#
#   sh tests/analysis/erm_compare.sh [--no-se] [rasch-sim options]
#
# e.g. sh tests/analysis/erm_compare.sh --persons 400 --items 30 --per 15
set -e
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
NOSE=
if [ "$1" = "--no-se" ]; then NOSE=--no-se; shift; fi
make -s "$BUILD/rasch-sim"
dir=$(mktemp -d /tmp/ujian-erm-XXXXXX)
"$BUILD/rasch-sim" "$@" --matrix "$dir/matrix.csv" --est "$dir/ujian.csv"
Rscript tests/analysis/erm_compare.R "$dir/matrix.csv" "$dir/ujian.csv" $NOSE
rm -rf "$dir"
