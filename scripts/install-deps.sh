#!/bin/sh
# Install every Debian package Ujian needs to build, run and test.
# Idempotent: does nothing (and needs no network) when all are present.
# Runs apt-get as root, or through sudo otherwise.
set -eu

# build: compiler, pkg-config, the four libraries; unit tests: cmocka;
# API tests: python3 (standard library only); sqlite3: the CLI, for operators.
PACKAGES="build-essential pkg-config libevent-dev libssl-dev libsqlite3-dev
libjansson-dev libcmocka-dev python3 sqlite3 ca-certificates"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

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
