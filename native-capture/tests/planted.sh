#!/bin/sh
# Runs the planted programs under libresmon.so: their in-process checks of the table against what they planted,
# and the exit reports in the logs against the same lists (tests/check_report.py, exactly: no call site more or
# less). Leaves the outputs .ci/run reads through the Java tools in BUILD (deleted first: a stale one never passes).
# Under CI=true a missing tool (python3, libunwind.so.8) fails the run; elsewhere its part is skipped, said.
set -eu
build=${1:-build}
lib="$PWD/$build/libresmon.so"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rm -f "$build/planted.log" "$build/planted.rmt" "$build/grow-1.umdh" "$build/grow-2.umdh" "$build/crash.rmt" \
  "$build/crash.sites"
for o in O1 O2; do
  rm -f "$build/cxx-$o.log" "$build/cxx-$o.rmt" "$build/cxx-$o-1.umdh" "$build/cxx-$o-2.umdh" "$build/cxx-$o.expect"
done
fail() {
  echo "planted.sh: $1" >&2
  [ $# -lt 2 ] || { echo "planted.sh: $2:" >&2; cat "$2" >&2; }
  exit 1
}
# a tool a check needs: without it the check fails in CI and is skipped, with a message, elsewhere
have() {
  if eval "$2"; then
    return 0
  fi
  [ -z "${CI:-}" ] || fail "$1 is missing and CI is set: the checks that need it cannot be skipped"
  echo "planted.sh: $1 is missing: $3 SKIPPED" >&2
  return 1
}
python=no
have python3 'command -v python3 > /dev/null' "the exit reports' exact checks (tests/check_report.py)" && python=yes
check_report() { # PROGRAM LOG EXPECT...
  [ "$python" = no ] || python3 tests/check_report.py "$@"
}

# 1. planted leaks of every hooked kind; the snapshot directory does not exist yet (it is created, parents too)
snaps="$out/snaps/planted"
status=0
RESMON_LOG="$out/planted.log" RESMON_SNAPSHOT_DIR="$snaps" RESMON_INTERVAL_MS=50 \
  LD_PRELOAD="$lib" "$build/planted_leaks" || status=$?
[ "$status" -eq 0 ] || fail "planted_leaks failed (exit $status)" "$out/planted.log"
check_report "$build/planted_leaks" "$out/planted.log" $("$build/planted_leaks" --expect) \
  || fail "the exit report is not exactly the planted leaks" "$out/planted.log"
grep -q '|resmon| threads used' "$out/planted.log" || fail "no periodic usage line" "$out/planted.log"
# the bytes the process wrote (/proc/self/io's wchar; its own log lines at least) are counted
grep -q '|resmon| process \[[0-9]*\] used .* disk used [1-9][0-9]* bytes$' "$out/planted.log" \
  || fail "no bytes written counted (disk used)" "$out/planted.log"
grep -q '|resmon| error ... not all resources free' "$out/planted.log" || fail "the exit report does not say it leaked"
ls "$snaps"/resmon-*.rmt > /dev/null 2>&1 || fail "no table image in the RESMON_SNAPSHOT_DIR it had to create"
grep -q "|resmon| snapshot written $snaps/resmon-[0-9]*-1.umdh" "$out/planted.log" \
  || fail "the exit snapshot was not announced" "$out/planted.log"
cp "$out/planted.log" "$build/planted.log"
cp "$snaps"/resmon-*.rmt "$build/planted.rmt"
echo "planted.sh: log and table image written ($build/planted.log, $build/planted.rmt)"

# the same with libunwind doing the walk; the tracker says on stderr when it falls back to frame pointers
unwind=no
for f in /usr/lib/*/libunwind.so.8 /usr/lib/libunwind.so.8; do
  [ -e "$f" ] && unwind=yes
done
if have libunwind.so.8 '[ "$unwind" = yes ]' "the RESMON_BACKTRACE=libunwind run"; then
  RESMON_LOG=/dev/null RESMON_BACKTRACE=libunwind LD_PRELOAD="$lib" "$build/planted_leaks" 2> "$out/unwind.err" \
    || fail "planted_leaks failed with RESMON_BACKTRACE=libunwind" "$out/unwind.err"
  ! grep -q 'libunwind' "$out/unwind.err" || fail "RESMON_BACKTRACE=libunwind did not use libunwind" "$out/unwind.err"
fi

# 2. the baseline: a program that mostly sleeps and uses the C runtime. The first CPU sample (start-up) is 0%
# and no limit is passed; the exit report holds its two leaks and nothing of the runtime's, whether glibc's
# clean-up runs at exit (one thread) or not (a thread still running: the suppression list alone)
rt() { # LOG MODE [NAME=value...]: planted_runtime MODE with that environment
  _log=$1; _mode=$2; shift 2
  echo line | env RESMON_LOG="$_log" RESMON_INTERVAL_MS=100 RESMON_LIMIT_CPU=10 LD_PRELOAD="$lib" "$@" \
    "$build/planted_runtime" $_mode > /dev/null 2> "$out/runtime.err" \
    || fail "planted_runtime $_mode $* failed" "$out/runtime.err"
}
# (with snapshots: the exit snapshot comes after glibc's clean-up freed the time zone the program used, and its
# Logtime was read with localtime_r there: a crash at exit)
rm -rf "$out/runtime-snaps"
rt "$out/runtime.log" "" RESMON_SNAPSHOT_DIR="$out/runtime-snaps"
ls "$out"/runtime-snaps/resmon-*-1.umdh > /dev/null 2>&1 \
  || fail "planted_runtime wrote no exit snapshot" "$out/runtime.err"
first_cpu_zero() { # LOG: the first process line (the start-up cycle's), if any, says 0%
  ! grep -m1 '|resmon| process \[' "$1" | grep -qv 'used 0% cpu' \
    || fail "the first CPU sample, at start-up, was counted" "$1"
}
first_cpu_zero "$out/runtime.log"
! grep -q 'update cpu used limit' "$out/runtime.log" \
  || fail "a program that sleeps passed the CPU limit" "$out/runtime.log"
# (and a program that ends at once: there the start-up share was never 0%)
for i in 1 2 3 4 5; do
  RESMON_LOG="$out/quick-$i.log" RESMON_INTERVAL_MS=60000 LD_PRELOAD="$lib" "$build/planted_crash" --no-crash
  first_cpu_zero "$out/quick-$i.log"
done
check_report "$build/planted_runtime" "$out/runtime.log" leak_one:heap:1:123 'libc.so.6!?:heap:1:8' \
  || fail "the C runtime's one-time allocations are in the exit report" "$out/runtime.log"
rt "$out/runtime-thread.log" thread
check_report "$build/planted_runtime" "$out/runtime-thread.log" leak_one:heap:1:123 'libc.so.6!?:heap:1:8' \
  running_thread:thread:1 \
  || fail "stdio's buffers are in the exit report (a thread still running)" "$out/runtime-thread.log"
# without the baseline they are there: the program does exercise the runtime
rt "$out/runtime-nobaseline.log" thread RESMON_BASELINE=0
if [ "$python" = yes ] && python3 tests/check_report.py "$build/planted_runtime" "$out/runtime-nobaseline.log" \
    leak_one:heap:1:123 'libc.so.6!?:heap:1:8' running_thread:thread:1 > /dev/null 2>&1; then
  fail "RESMON_BASELINE=0 showed no runtime allocation: planted_runtime no longer tests the baseline"
fi
# the user's list: a function and a module by name, a prefix and the program by path from a file
rt "$out/runtime-suppress.log" "" 'RESMON_SUPPRESS= leak_one ;libc.so.6'
check_report "$build/planted_runtime" "$out/runtime-suppress.log" \
  || fail "RESMON_SUPPRESS left leaks" "$out/runtime-suppress.log"
printf '# one-time caches\nleak_*\n\n%s  # the program itself\n' "$(cd "$build" && pwd -P)/planted_runtime" \
  > "$out/suppress.txt"
rt "$out/runtime-file.log" thread RESMON_SUPPRESS_FILE="$out/suppress.txt"
check_report "$build/planted_runtime" "$out/runtime-file.log" 'libc.so.6!?:heap:1:8' \
  || fail "RESMON_SUPPRESS_FILE did not take out what it names" "$out/runtime-file.log"
echo "planted.sh: the baseline and the suppression lists leave exactly the planted leaks"

# 3. steady growth at one call site, two SIGUSR2 snapshots
grow="$out/grow"
mkdir -p "$grow"
RESMON_LOG="$grow/grow.log" RESMON_SNAPSHOT_DIR="$grow" RESMON_INTERVAL_MS=1000 \
  LD_PRELOAD="$lib" "$build/planted_growth" || fail "planted_growth failed"
first=$(ls "$grow"/resmon-*-1.umdh 2>/dev/null | head -n1)
second=$(ls "$grow"/resmon-*-2.umdh 2>/dev/null | head -n1)
[ -n "$first" ] && [ -n "$second" ] || fail "planted_growth left no SIGUSR2 snapshots"
grep -q '^// UMDH: version' "$first" || fail "the snapshot has no UMDH header"
cp "$first" "$build/grow-1.umdh"
cp "$second" "$build/grow-2.umdh"
echo "planted.sh: SIGUSR2 snapshots written ($build/grow-1.umdh, $build/grow-2.umdh)"
# a SIGUSR2 just before exit, long before the monitor's next tick: written at exit, before the exit snapshot
last="$out/last"
mkdir -p "$last"
RESMON_LOG="$last/last.log" RESMON_SNAPSHOT_DIR="$last" RESMON_INTERVAL_MS=60000 \
  LD_PRELOAD="$lib" "$build/planted_growth" exit || fail "planted_growth exit failed"
grep -q '(SIGUSR2)' "$last"/resmon-*-1.umdh 2>/dev/null && grep -q '(exit)' "$last"/resmon-*-2.umdh 2>/dev/null \
  || fail "a SIGUSR2 sent just before exit was lost (snapshots: $(ls "$last"))" "$last/last.log"

# 4. stress: 8 threads x 1M random operations; then with the table capped at 1000 records per kind, which
# stress checks is kept (records dropped, no kind over the cap)
for cap in 0 1000; do
  RESMON_LOG="$out/stress.log" RESMON_MAX_RECORDS=$cap LD_PRELOAD="$lib" \
    "$build/stress" 8 "$([ "$cap" = 0 ] && echo 1000000 || echo 200000)" \
    || fail "stress (RESMON_MAX_RECORDS=$cap) failed"
done

# 5. a crash: the fatal-signal handler leaves the table image behind (flags bit 1), the process still dies by it
crash="$out/crash"
mkdir -p "$crash"
status=0
RESMON_LOG="$crash/crash.log" RESMON_SNAPSHOT_DIR="$crash" LD_PRELOAD="$lib" \
  "$build/planted_crash" "$crash/crash.sites" 2> /dev/null || status=$?
[ "$status" -ge 128 ] || fail "planted_crash was expected to die by a signal, exited $status"
image=$(ls "$crash"/resmon-*.rmt 2>/dev/null | head -n1)
[ -n "$image" ] || fail "no table image after the crash"
# image header 24 + range header 16 + the table's flags at offset 36
flags=$(od -An -tu4 -j 76 -N 4 "$image" | tr -d ' ')
[ $((flags & 2)) -ne 0 ] || fail "the table image after the crash does not say fatal signal (flags $flags)"
cp "$image" "$build/crash.rmt"
cp "$crash/crash.sites" "$build/crash.sites"
echo "planted.sh: the crash left its table image ($build/crash.rmt, flags $flags; its call site in $build/crash.sites)"

# 6. a RESMON_SNAPSHOT_DIR that cannot be created: said on stderr and in the log, the program runs on
touch "$out/a-file"
RESMON_LOG="$out/nodir.log" RESMON_SNAPSHOT_DIR="$out/a-file/snaps" LD_PRELOAD="$lib" "$build/planted_crash" \
  --no-crash 2> "$out/nodir.err" || fail "planted_crash --no-crash failed" "$out/nodir.err"
grep -q "resmon: cannot create RESMON_SNAPSHOT_DIR=$out/a-file/snaps (Not a directory)" "$out/nodir.err" \
  || fail "no message on stderr for a RESMON_SNAPSHOT_DIR that cannot be created" "$out/nodir.err"
grep -q "|resmon| snapshot failed: cannot create directory $out/a-file/snaps (Not a directory)" "$out/nodir.log" \
  || fail "no note in the log for a RESMON_SNAPSHOT_DIR that cannot be created" "$out/nodir.log"

# 7. fork while other threads allocate: the child must not inherit a held lock
timeout 60 env RESMON_LOG=/dev/null LD_PRELOAD="$lib" "$build/planted_fork" \
  || fail "planted_fork: a child could not allocate after fork (or hung)"
echo "planted.sh: 50 forks under load, every child allocated and exited"

# 8. a call site seen for the first time while another thread's dlopen runs a constructor that waits for a
# mutex the allocating thread holds: the tracker must not wait for the loader there (it would never return)
timeout 30 env RESMON_LOG=/dev/null LD_PRELOAD="$lib" "$build/planted_loader_lock" "$PWD/$build/loader_lock_plugin.so" \
  || fail "planted_loader_lock: an allocation during another thread's dlopen hung (exit 124) or failed"
echo "planted.sh: no lock of the loader's taken in a hook"

# 9. C++ (tests/planted_cxx.cc, at -O1 and -O2): every `new` recorded at the code that called it, never at operator
# new; the exit report exactly the planted leaks by bytes, type and count, nothing of the C++ or C runtime's
# one-time allocations (exception pool, iostream, stdout's buffer), nothing freed (exceptions on four threads,
# every form of new and delete, a mismatched free). tests/check_cxx.py attributes each record to the first frame of
# its stack outside std:: and the runtime's modules: with the default unwinder (.eh_frame) and with libunwind every
# one must reach it. Two SIGUSR2 snapshots and the table image are left in BUILD for the Java tools.
for o in O1 O2; do
  prog="$build/planted_cxx_$o"
  snaps="$out/cxx-$o"
  "$prog" --expect > "$build/cxx-$o.expect"
  RESMON_LOG="$out/cxx-$o.log" RESMON_SNAPSHOT_DIR="$snaps" LD_PRELOAD="$lib" "$prog" "$snaps" > /dev/null \
    2> "$out/cxx.err" || fail "planted_cxx_$o failed" "$out/cxx.err"
  check_cxx() { [ "$python" = no ] || python3 tests/check_cxx.py "$@"; }
  check_cxx --counted="$("$prog" --expect-counted)" --stacks=strict "$prog" "$out/cxx-$o.log" \
    "$build/cxx-$o.expect" \
    || fail "planted_cxx_$o: the exit report is not exactly the planted C++ leaks" "$out/cxx-$o.log"
  grep -q '|resmon| stack 0x' "$out/cxx-$o.log" || fail "planted_cxx_$o: no stack line in the log" "$out/cxx-$o.log"
  first=$(ls "$snaps"/resmon-*-1.umdh 2>/dev/null | head -n1)
  second=$(ls "$snaps"/resmon-*-2.umdh 2>/dev/null | head -n1)
  [ -n "$first" ] && [ -n "$second" ] || fail "planted_cxx_$o left no SIGUSR2 snapshots"
  # the first: the sessions and their buffers; the second: every planted leak (counts from --expect)
  sessions=$(awk -F'\t' '$1 ~ /^(open_sessions|Session::)/ { n += $3 } END { print n }' "$build/cxx-$o.expect")
  planted=$(awk -F'\t' '{ n += $3 } END { print n }' "$build/cxx-$o.expect")
  [ "$(grep -c ' bytes + 0 at ' "$first")" -eq "$sessions" ] \
    && [ "$(grep -c ' bytes + 0 at ' "$second")" -eq "$planted" ] \
    || fail "planted_cxx_$o's snapshots do not hold $sessions and $planted blocks" "$second"
  cp "$out/cxx-$o.log" "$build/cxx-$o.log"
  cp "$snaps"/resmon-*.rmt "$build/cxx-$o.rmt"
  cp "$first" "$build/cxx-$o-1.umdh"
  cp "$second" "$build/cxx-$o-2.umdh"
  if [ "$unwind" = yes ]; then
    RESMON_LOG="$out/cxx-$o-unwind.log" RESMON_BACKTRACE=libunwind LD_PRELOAD="$lib" "$prog" > /dev/null \
      2> "$out/cxx.err" || fail "planted_cxx_$o failed with RESMON_BACKTRACE=libunwind" "$out/cxx.err"
    check_cxx --stacks=strict "$prog" "$out/cxx-$o-unwind.log" "$build/cxx-$o.expect" \
      || fail "planted_cxx_$o: with libunwind, a leak is not attributed to its planting function" \
        "$out/cxx-$o-unwind.log"
  fi
done
# one frame per record (the return address only): no stack line, the report otherwise the same
RESMON_LOG="$out/cxx-none.log" RESMON_BACKTRACE=none LD_PRELOAD="$lib" "$build/planted_cxx_O2" > /dev/null \
  2> "$out/cxx.err" || fail "planted_cxx_O2 failed with RESMON_BACKTRACE=none" "$out/cxx.err"
! grep -q '|resmon| stack ' "$out/cxx-none.log" || fail "a stack line for a record of one frame" "$out/cxx-none.log"
check_cxx "$build/planted_cxx_O2" "$out/cxx-none.log" "$build/cxx-O2.expect" \
  || fail "planted_cxx_O2 with RESMON_BACKTRACE=none: not exactly the planted leaks" "$out/cxx-none.log"
echo "planted.sh: C++ leaks at their call sites ($build/cxx-O1.log, .rmt, -1.umdh, -2.umdh and the same for O2)"
# libstdc++ loaded after main (a C program's dlopen): its exception pool is made then, freed by the exit clean-up
RESMON_LOG="$out/cxx-host.log" LD_PRELOAD="$lib" "$build/planted_cxx_host" "$PWD/$build/libplanted_cxx_plugin.so" \
  > /dev/null 2> "$out/cxx.err" || fail "planted_cxx_host failed" "$out/cxx.err"
check_report "$build/planted_cxx_host" "$out/cxx-host.log" \
  || fail "libstdc++'s one-time allocations are in the exit report (loaded after main)" "$out/cxx-host.log"

# 10. stacks through code built without frame pointers (tests/unwind_cxx.cc, -O2 -fomit-frame-pointer, through
# libstdc++ and libc): by default (the .eh_frame unwinder) every live heap record has a frame in keep_alive and
# one in main; walking frame pointers must miss some, or the program no longer tests the unwinder
spans=$(nm -S "$build/unwind_cxx" | awk '$4 == "_Z10keep_alivev" { k = $1 " " $2 } $4 == "main" { m = $1 " " $2 }
  END { print k, m }')
[ "$(echo $spans | wc -w)" -eq 4 ] || fail "nm found no keep_alive or main in $build/unwind_cxx"
for mode in "" cfi; do
  RESMON_LOG=/dev/null RESMON_BACKTRACE=$mode LD_PRELOAD="$lib" "$build/unwind_cxx" $spans > "$out/unwind.out" \
    2>&1 || fail "RESMON_BACKTRACE=$mode: not every stack of unwind_cxx reaches keep_alive and main" "$out/unwind.out"
done
if RESMON_LOG=/dev/null RESMON_BACKTRACE=fp LD_PRELOAD="$lib" "$build/unwind_cxx" $spans > "$out/unwind-fp.out" \
    2>&1; then
  fail "frame pointers alone reached keep_alive and main: unwind_cxx no longer tests the unwinder" "$out/unwind-fp.out"
fi
echo "planted.sh: stacks through code without frame pointers reach keep_alive and main:" \
  "$(grep '^records' "$out/unwind.out") (cfi), $(grep '^records' "$out/unwind-fp.out") (fp)"
# the same stacks as libunwind's, frame for frame (module+offset; the exit snapshots' blocks as a multiset),
# among them one function reached under two callers at the same depth (the reuse of the last walk must see it)
if [ "$unwind" = yes ] && [ "$python" = yes ]; then
  for mode in cfi libunwind; do
    mkdir -p "$out/unwind-$mode"
    RESMON_LOG=/dev/null RESMON_SNAPSHOT_DIR="$out/unwind-$mode" RESMON_BACKTRACE=$mode LD_PRELOAD="$lib" \
      "$build/unwind_cxx" $spans > /dev/null 2>&1 || fail "unwind_cxx failed with RESMON_BACKTRACE=$mode"
  done
  python3 tests/compare_stacks.py "$out"/unwind-cfi/resmon-*-1.umdh "$out"/unwind-libunwind/resmon-*-1.umdh \
    || fail "the .eh_frame unwinder's stacks differ from libunwind's"
fi

# 11. the unwinder across dlclose: a plugin's cached rules must not serve another loaded where it was (the
# stack recorded at once may stop short, never go wrong), while other threads allocate through the freeze
timeout 60 env RESMON_LOG=/dev/null LD_PRELOAD="$lib" "$build/unwind_dlclose" "$PWD/$build/libunwind_a.so" \
  "$PWD/$build/libunwind_b.so" > "$out/dlclose.out" 2>&1 || fail "unwind_dlclose failed (or hung)" "$out/dlclose.out"
cat "$out/dlclose.out"
