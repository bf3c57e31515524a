#!/usr/bin/env bash
# libresmon.so's cost beside heaptrack's on the same allocation-heavy workload (bench/alloc_workload.c: a ring
# of malloc/free at a call depth of about 20), measured in the same run: no tracker; libresmon.so with its
# default .eh_frame unwinder (16 frames), also on the workload built without frame pointers; walking frame
# pointers; with libunwind; keeping the return address only; heaptrack. Target: our overhead (the default's)
# <= 1/5 of heaptrack's. Then `dumpscan --resmon` scanning a 4 GiB dump beside `cat` of it (target <= 2x).
# Usage: bench/tracker.sh [RUNS]      TRACKER_BENCH_OPS=5000000 by default; TRACKER_BENCH_SCAN=0: no dump scan
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
ops=${TRACKER_BENCH_OPS:-5000000}
out=bench/out
mkdir -p "$out"
. bench/lib.sh

make -s -C native-capture build/libresmon.so
cc -O2 -g -fno-omit-frame-pointer -o "$out/alloc_workload" bench/alloc_workload.c
cc -O2 -g -fomit-frame-pointer -o "$out/alloc_workload_nofp" bench/alloc_workload.c
lib="$PWD/native-capture/build/libresmon.so"
work="$out/alloc_workload"

base=$(median_ms "$work" "$ops")
cfi=$(median_ms env LD_PRELOAD="$lib" RESMON_LOG=/dev/null "$work" "$ops")
base_nofp=$(median_ms "$out/alloc_workload_nofp" "$ops")
cfi_nofp=$(median_ms env LD_PRELOAD="$lib" RESMON_LOG=/dev/null "$out/alloc_workload_nofp" "$ops")
fp=$(median_ms env LD_PRELOAD="$lib" RESMON_LOG=/dev/null RESMON_BACKTRACE=fp "$work" "$ops")
ra=$(median_ms env LD_PRELOAD="$lib" RESMON_LOG=/dev/null RESMON_BACKTRACE=none "$work" "$ops")
uw=$(median_ms env LD_PRELOAD="$lib" RESMON_LOG=/dev/null RESMON_BACKTRACE=libunwind "$work" "$ops")
if command -v heaptrack > /dev/null; then
  ht=$(median_ms heaptrack -o "$out/heaptrack-bench" "$work" "$ops")
  rm -f "$out"/heaptrack-bench*
else
  ht=""
fi

printf 'workload: %s malloc+free pairs at call depth ~20 (%s)\n' "$ops" "$work"
printf '%-48s %8s %12s\n' "measurement (median of $runs runs)" "ms" "overhead ms"
printf '%-48s %8d %12s\n' "no tracker (baseline)" "$base" "-"
printf '%-48s %8d %12d\n' "libresmon.so, .eh_frame unwinder, 16 frames" "$cfi" "$((cfi - base))"
printf '%-48s %8d %12d\n' "  the same, workload without frame pointers" "$cfi_nofp" "$((cfi_nofp - base_nofp))"
printf '%-48s %8d %12d\n' "libresmon.so, frame pointers, 16 frames" "$fp" "$((fp - base))"
printf '%-48s %8d %12d\n' "libresmon.so, libunwind, 16 frames" "$uw" "$((uw - base))"
printf '%-48s %8d %12d\n' "libresmon.so, return address only" "$ra" "$((ra - base))"
if [ -n "$ht" ]; then
  printf '%-48s %8d %12d\n' "heaptrack" "$ht" "$((ht - base))"
  printf 'libresmon.so (.eh_frame unwinder, the default) overhead / heaptrack overhead: %s (target <= 0.20)\n' \
    "$(ratio "$((cfi - base))" "$((ht - base))")"
  printf 'libresmon.so (frame pointers) overhead / heaptrack overhead: %s\n' \
    "$(ratio "$((fp - base))" "$((ht - base))")"
else
  echo "heaptrack: not installed (apt install heaptrack) - no comparison"
fi

# the memory scan: a 4 GiB sparse full-memory dump (no table in it: the whole of it is scanned)
[ "${TRACKER_BENCH_SCAN:-1}" != 0 ] || exit 0
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests
dump="$out/mem4g.dmp"
[ -f "$dump" ] || python3 testdata/minidump/make_sample_dump.py "$dump" --memory64 4G > /dev/null
cat "$dump" > /dev/null
cat_ms=$(median_ms cat "$dump")
scan_ms=$(median_ms bin/dumpscan "$dump" --resmon)
printf '%-48s %8d\n' "cat mem4g.dmp (4 GiB, baseline)" "$cat_ms"
printf '%-48s %8d   %sx cat (target <= 2)\n' "dumpscan mem4g.dmp --resmon (scans all of it)" "$scan_ms" \
  "$(ratio "$scan_ms" "$cat_ms" 1)"
