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
# the same check with libunwind doing the walk (when libunwind.so.8 is there)
unwind=no
for f in /usr/lib/*/libunwind.so.8 /usr/lib/libunwind.so.8; do
  [ -e "$f" ] && unwind=yes
done
if [ "$unwind" = yes ]; then
  RESMON_LOG=/dev/null RESMON_BACKTRACE=libunwind LD_PRELOAD="$PWD/$build/libresmon.so" "$build/planted_leaks" \
    || fail "planted_leaks failed with RESMON_BACKTRACE=libunwind"
else
  echo "planted.sh: no libunwind.so.8: the libunwind mode is not tested here" >&2
fi
cp "$out/planted.log" "$build/planted.log"
cp "$out"/resmon-*.rmt "$build/planted.rmt"
echo "planted.sh: log and table image written ($build/planted.log, $build/planted.rmt)"

# steady growth at one call site, two SIGUSR2 snapshots
grow="$out/grow"
mkdir -p "$grow"
RESMON_LOG="$grow/grow.log" RESMON_SNAPSHOT_DIR="$grow" RESMON_INTERVAL_MS=1000 \
  LD_PRELOAD="$PWD/$build/libresmon.so" "$build/planted_growth" || fail "planted_growth failed"
first=$(ls "$grow"/resmon-*-1.umdh 2>/dev/null | head -n1)
second=$(ls "$grow"/resmon-*-2.umdh 2>/dev/null | head -n1)
[ -n "$first" ] && [ -n "$second" ] || fail "planted_growth left no SIGUSR2 snapshots"
grep -q '^// UMDH: version' "$first" || fail "the snapshot has no UMDH header"
cp "$first" "$build/grow-1.umdh"
cp "$second" "$build/grow-2.umdh"
echo "planted.sh: SIGUSR2 snapshots written ($build/grow-1.umdh, $build/grow-2.umdh)"

# stress: 8 threads x 1M random operations; then the same with a table capped at 1000 records
for cap in 0 1000; do
  RESMON_LOG="$out/stress.log" RESMON_MAX_RECORDS=$cap LD_PRELOAD="$PWD/$build/libresmon.so" \
    "$build/stress" 8 "$([ "$cap" = 0 ] && echo 1000000 || echo 200000)" || fail "stress (RESMON_MAX_RECORDS=$cap) failed"
done

# a crash: the fatal-signal handler leaves the table image behind (flags bit 1), the process still dies by it
crash="$out/crash"
mkdir -p "$crash"
status=0
RESMON_LOG="$crash/crash.log" RESMON_SNAPSHOT_DIR="$crash" LD_PRELOAD="$PWD/$build/libresmon.so" \
  "$build/planted_crash" 2> /dev/null || status=$?
[ "$status" -ge 128 ] || fail "planted_crash was expected to die by a signal, exited $status"
image=$(ls "$crash"/resmon-*.rmt 2>/dev/null | head -n1)
[ -n "$image" ] || fail "no table image after the crash"
# image header 24 + range header 16 + the table's flags at offset 36
flags=$(od -An -tu4 -j 76 -N 4 "$image" | tr -d ' ')
[ $((flags & 2)) -ne 0 ] || fail "the table image after the crash does not say fatal signal (flags $flags)"
cp "$image" "$build/crash.rmt"
echo "planted.sh: the crash left its table image ($build/crash.rmt, flags $flags)"

# fork while other threads allocate: the child must not inherit a held lock
timeout 60 env RESMON_LOG=/dev/null LD_PRELOAD="$PWD/$build/libresmon.so" "$build/planted_fork" \
  || fail "planted_fork: a child could not allocate after fork (or hung)"
echo "planted.sh: 50 forks under load, every child allocated and exited"
