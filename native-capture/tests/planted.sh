#!/bin/sh
# Runs tests/planted_leaks.c under libresmon.so: its in-process check of the table against what it planted,
# then checks that the tracker's log has the exit report and that the table image was written.
set -eu
build=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
RESMON_LOG="$out/planted.log" RESMON_SNAPSHOT_DIR="$out" RESMON_INTERVAL_MS=50 \
  LD_PRELOAD="$PWD/$build/libresmon.so" "$build/planted_leaks" || status=$?
if [ "$status" -ne 0 ]; then
  echo "planted.sh: planted_leaks failed (exit $status); the log:" >&2
  cat "$out/planted.log" >&2 || true
  exit 1
fi
fail() {
  echo "planted.sh: $1; the log:" >&2
  cat "$out/planted.log" >&2
  exit 1
}
grep -q '|resmon| module 0x' "$out/planted.log" || fail "no module lines"
grep -q '|resmon| threads used' "$out/planted.log" || fail "no periodic usage line"
grep -q '|resmon| =========== CHECK UNRELEASED RESOUCRES ============' "$out/planted.log" || fail "no exit report"
grep -q '|resmon| error ... not all resources free' "$out/planted.log" || fail "the exit report does not say it leaked"
ls "$out"/resmon-*.rmt > /dev/null 2>&1 || fail "no table image in RESMON_SNAPSHOT_DIR"
cp "$out/planted.log" "$build/planted.log"
cp "$out"/resmon-*.rmt "$build/planted.rmt"
echo "planted.sh: log and table image written ($build/planted.log, $build/planted.rmt)"
