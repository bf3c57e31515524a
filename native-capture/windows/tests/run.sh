#!/bin/sh
# Runs the Windows tests under one wineserver: tests/run.sh BUILD test-script...
# Each test script is run with BUILD set and tests/wine.sh sourced; the first failure stops the run.
set -eu
BUILD="$1"; shift
export BUILD
# no test scripts: a Makefile fragment did not add its own, and "all tests passed ()" would be a lie
[ $# -gt 0 ] || { echo "windows: no test scripts given (is a Makefile fragment missing?)" >&2; exit 1; }
HERE="$(cd "$(dirname "$0")" && pwd)"
# plain `make` builds everything: a dry run into a build directory that does not exist must plan every output
# the fragments add to ALL (the default goal was once the first fragment's first rule: resmon.dll alone)
dry="$BUILD/never-built"
plan=$(make -s -n -C "$HERE/.." BUILD="$dry")
outputs=$(make -s -C "$HERE/.." BUILD="$dry" print-all)
[ -n "$outputs" ] || { echo "windows: make print-all lists nothing to build" >&2; exit 1; }
for f in $outputs; do
  case "$plan" in
    *"$f"*) ;;
    *) echo "windows: plain make does not build $f (is 'all' the default goal?)" >&2; exit 1 ;;
  esac
done
caller_prefix=${WINEPREFIX:-}
. "$HERE/wine.sh"
wine_start
trap wine_stop EXIT
for t in "$@"; do
  echo "== $t" >&2
  ( . "$HERE/wine.sh"; . "$t" )
done
wine_stop
trap - EXIT
# no prefix of the run is left behind (two of 700 MB each once stayed in the build directory after every run)
if [ -z "$caller_prefix" ] && ls -d "$WINEPREFIX"* >/dev/null 2>&1; then
  echo "windows: the run left its Wine prefix behind: $(ls -d "$WINEPREFIX"*)" >&2
  exit 1
fi
echo "windows: all tests passed ($*), no Wine prefix left behind" >&2
