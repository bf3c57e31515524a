#!/bin/sh
# The table's module list as libresmon.so writes it (docs/formats/resmon-table.md, 1.1), checked by
# tests/check_modules.py against the files themselves:
#   1. planted_leaks run twice, loaded at other addresses (ASLR; where ASLR is off, the second run goes through
#      the dynamic loader, which maps the program elsewhere): the program and libc listed with the ids and sizes
#      of their files, moved by different amounts. The images stay as build/aslr-1.rmt and build/aslr-2.rmt for
#      .ci/run, which compares them with bin/leakdiff (0 stacks changed) and names their functions with
#      bin/dumpscan.
#   2. planted_dlopen: a plugin loaded after start-up is listed with its load time, one unloaded again keeps
#      its entry with an unload time (build/modules.rmt).
set -eu
build=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lib="$PWD/$build/libresmon.so"
fail() {
  echo "modules.sh: $1" >&2
  exit 1
}
# run NAME command...: the command under libresmon.so, its table image in $out/NAME/
run() {
  d="$out/$1"
  shift
  mkdir -p "$d"
  RESMON_LOG="$d/log" RESMON_SNAPSHOT_DIR="$d" RESMON_INTERVAL_MS=50 LD_PRELOAD="$lib" "$@" >"$d/out" 2>&1 || {
    cat "$d/out" "$d/log" >&2
    fail "$* failed under libresmon.so"
  }
  ls "$d"/resmon-*.rmt >/dev/null 2>&1 || fail "$*: no table image"
}
check() {
  if ! command -v python3 >/dev/null 2>&1; then
    [ -z "${CI:-}" ] || fail "no python3 to check the module lists, and CI is set"
    echo "modules.sh: no python3: the module list of $1 is written but not checked" >&2
    return 0
  fi
  python3 tests/check_modules.py "$@" || fail "the module list of $1 does not match the files"
}

run aslr-1 "$PWD/$build/planted_leaks"
if [ "$(cat /proc/sys/kernel/randomize_va_space 2>/dev/null || echo 2)" != 0 ]; then
  run aslr-2 "$PWD/$build/planted_leaks"
else
  loader=$(readelf -l "$build/planted_leaks" | sed -n 's/.*program interpreter: \(.*\)]/\1/p')
  [ -n "$loader" ] || fail "ASLR is off and $build/planted_leaks names no program interpreter"
  echo "modules.sh: ASLR is off here: the second run goes through $loader" >&2
  run aslr-2 "$loader" "$PWD/$build/planted_leaks"
fi
check "$out"/aslr-1/resmon-*.rmt --loaded planted_leaks="$build/planted_leaks" --loaded libc.so.6=@ \
  --loaded libresmon.so=@ --moved "$(ls "$out"/aslr-2/resmon-*.rmt)" planted_leaks libc.so.6
check "$out"/aslr-2/resmon-*.rmt --loaded planted_leaks="$build/planted_leaks" --loaded libc.so.6=@
cp "$out"/aslr-1/resmon-*.rmt "$build/aslr-1.rmt"
cp "$out"/aslr-2/resmon-*.rmt "$build/aslr-2.rmt"

run dlopen "$PWD/$build/planted_dlopen" "$PWD/$build/libplanted_plugin.so" "$PWD/$build/libplanted_gone.so"
check "$out"/dlopen/resmon-*.rmt --loaded planted_dlopen="$build/planted_dlopen" \
  --loaded libplanted_plugin.so=@ --late libplanted_plugin.so --unloaded libplanted_gone.so
cp "$out"/dlopen/resmon-*.rmt "$build/modules.rmt"
echo "modules.sh: module lists checked ($build/aslr-1.rmt, $build/aslr-2.rmt, $build/modules.rmt)"
