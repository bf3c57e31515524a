#!/bin/sh
# Runs the Windows tests under one wineserver: tests/run.sh BUILD test-script...
# Each test script is run with BUILD set and tests/wine.sh sourced; the first failure stops the run.
set -eu
BUILD="$1"; shift
export BUILD
# no test scripts: a Makefile fragment did not add its own, and "all tests passed ()" would be a lie
[ $# -gt 0 ] || { echo "windows: no test scripts given (is a Makefile fragment missing?)" >&2; exit 1; }
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/wine.sh"
wine_start
trap wine_stop EXIT
for t in "$@"; do
  echo "== $t" >&2
  ( . "$HERE/wine.sh"; . "$t" )
done
echo "windows: all tests passed ($*)" >&2
