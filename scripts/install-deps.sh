#!/bin/sh
# Install everything Ujian needs to build, run and test, and nothing else.
# Idempotent: does nothing (and needs no network) when all is present.
# Debian packages go through apt-get (as root, or through sudo); the browser
# test tools come from the npm registry into tests/e2e/node_modules.
#
#   install-deps.sh          all of it (make test, make asan)
#   install-deps.sh --run    only what building and running the server needs
#                            (make run, make): no browser, no Node.js
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
MODE=all
case "${1:-}" in
	"") ;;
	--run) MODE=run ;;
	*) echo "usage: install-deps.sh [--run]" >&2; exit 2 ;;
esac

# build: compiler, pkg-config, the five libraries (libevent-dev also brings
# libevent_openssl, the OpenSSL bufferevents behind HTTPS; libxlsxwriter
# writes the .xlsx results export: an xlsx file is a zip of XML parts that
# Excel checks strictly, which we will not hand-write); unit tests: cmocka;
# API tests: python3 (standard library only); sqlite3: the CLI, for operators
# and for the browser tests' checks of stored data; chromium: the browser the
# end-to-end tests drive.
PACKAGES="build-essential pkg-config libevent-dev libssl-dev libsqlite3-dev
libjansson-dev libxlsxwriter-dev sqlite3"
if [ "$MODE" = all ]; then
	PACKAGES="$PACKAGES libcmocka-dev python3 ca-certificates chromium"
	# the openssl command line: the HTTPS tests make an RSA certificate with
	# it and read the certificates 'ujian cert self-signed' writes.
	PACKAGES="$PACKAGES openssl"
	# clang with its runtime libraries: libFuzzer and the sanitizers for the
	# fuzz targets (make fuzz-build, fuzz-smoke inside make test, make fuzz).
	PACKAGES="$PACKAGES clang libclang-rt-14-dev"
	# libfaketime: the clock-step tests set the server's wall clock forward
	# and back while it runs (tests/api/test_clock_step.py).
	PACKAGES="$PACKAGES faketime"
	# Node.js runs the browser tests (Debian 12's own nodejs 18 is enough:
	# playwright-core is pinned to 1.61, the last release that runs on 18).
	# Debian's nodejs package is only installed when no node is present.
	command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
fi

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-deps: missing packages:$missing" >&2
		echo "install-deps: not root and sudo is not available; install them as root" >&2
		exit 1
	fi
	echo "install-deps: installing:$missing"
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

[ "$MODE" = all ] || exit 0

# The browser test tools need Node >= 18 (Debian 12's own nodejs): say so
# plainly instead of letting the browser tests fail obscurely later.
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$NODE_MAJOR" -lt 18 ]; then
	echo "install-deps: Node.js $(node --version 2>/dev/null || echo '(none)') found; the browser" \
		"tests need Node.js 18 or newer (Debian 12's nodejs package). Install it and run" \
		"again." >&2
	exit 1
fi

# Browser test tools (playwright-core, axe-core, acorn), pinned by package-lock.json.
E2E="$TOP/tests/e2e"
if [ ! -f "$E2E/node_modules/.package-lock.json" ] ||
	[ "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ]; then
	echo "install-deps: installing the browser test tools (npm ci in tests/e2e)"
	(cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
fi
