#!/usr/bin/env bash
# libresmon.so's cost beside heaptrack's on the same allocation-heavy workload (bench/alloc_workload.c: a ring
# of malloc/free at a call depth of about 20), measured in the same run, in wall and CPU time: no tracker;
# libresmon.so with its default .eh_frame unwinder (16 frames), also on the workload built without frame
# pointers; walking frame pointers; with libunwind; keeping the return address only; heaptrack. Target: our
# overhead (the default's) <= 1/5 of heaptrack's. Then `dumpscan --resmon` scanning a 4 GiB dump beside `cat`
# of it (target <= 2x).
# Usage: bench/tracker.sh [RUNS]      TRACKER_BENCH_OPS=5000000 by default; TRACKER_BENCH_SCAN=0: no dump scan,
#        TRACKER_BENCH_SCAN=only: the dump scan alone
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
ops=${TRACKER_BENCH_OPS:-5000000}
out=bench/out
mkdir -p "$out"
. bench/lib.sh

scan_dump() {
  # the memory scan: a 4 GiB sparse full-memory dump (no table in it: the whole of it is scanned), its runs
  # alternating with cat's so both medians see the same minutes of a VM whose speed changes
  [ -f bin/leakscope.jar ] || mvn -q package -DskipTests
  local dump="$out/mem4g.dmp"
  [ -f "$dump" ] || python3 testdata/minidump/make_sample_dump.py "$dump" --memory64 4G > /dev/null
  cat "$dump" > /dev/null
  bin/dumpscan testdata/minidump/sample.dmp > /dev/null 2>&1 || true # first run after a build writes the cache
  local cat_ms cat_min cat_max scan_ms scan_min scan_max
  read -r cat_ms cat_min cat_max scan_ms scan_min scan_max <<< "$(paired_ms cat "$dump" -- bin/dumpscan "$dump" --resmon)"
  printf '%-48s %8s %11s\n' "measurement (median of $runs, alternated)" "ms" "(min-max)"
  printf '%-48s %8d %11s\n' "cat mem4g.dmp (4 GiB, baseline)" "$cat_ms" "$cat_min-$cat_max"
  printf '%-48s %8d %11s   %sx cat (target <= 2)\n' "dumpscan mem4g.dmp --resmon (scans all of it)" "$scan_ms" \
    "$scan_min-$scan_max" "$(ratio "$scan_ms" "$cat_ms" 1)"
}
if [ "${TRACKER_BENCH_SCAN:-1}" = only ]; then
  scan_dump
  exit 0
fi

make -s -C native-capture build/libresmon.so
cc -O2 -g -fno-omit-frame-pointer -o "$out/alloc_workload" bench/alloc_workload.c
cc -O2 -g -fomit-frame-pointer -o "$out/alloc_workload_nofp" bench/alloc_workload.c
lib="$PWD/native-capture/build/libresmon.so"
work="$out/alloc_workload"

have_heaptrack=$(command -v heaptrack > /dev/null && echo yes || echo no)
configs="base cfi base_nofp cfi_nofp fp uw ra"
[ "$have_heaptrack" = no ] || configs="$configs ht"
run_config() {
  case $1 in
    base) "$work" "$ops" ;;
    cfi) env LD_PRELOAD="$lib" RESMON_LOG=/dev/null "$work" "$ops" ;;
    base_nofp) "$out/alloc_workload_nofp" "$ops" ;;
    cfi_nofp) env LD_PRELOAD="$lib" RESMON_LOG=/dev/null "$out/alloc_workload_nofp" "$ops" ;;
    fp) env LD_PRELOAD="$lib" RESMON_LOG=/dev/null RESMON_BACKTRACE=fp "$work" "$ops" ;;
    uw) env LD_PRELOAD="$lib" RESMON_LOG=/dev/null RESMON_BACKTRACE=libunwind "$work" "$ops" ;;
    ra) env LD_PRELOAD="$lib" RESMON_LOG=/dev/null RESMON_BACKTRACE=none "$work" "$ops" ;;
    ht) heaptrack -o "$out/heaptrack-bench" "$work" "$ops"; rm -f "$out"/heaptrack-bench* ;;
  esac
}
# Each run times every configuration once, in turn, so a load that comes and goes on a shared machine touches
# them alike; wall time and CPU time (user + system of the whole process tree: the tracker's monitor thread,
# heaptrack's interpreter) are both reported, CPU time being the steadier of the two under load.
declare -A wall cpu
TIMEFORMAT='%3R %3U %3S'
for _ in $(seq "$runs"); do
  for c in $configs; do
    read -r r u s < <( { time run_config "$c" > /dev/null 2>&1; } 2>&1 )
    wall[$c]+="$(awk -v r="$r" 'BEGIN { printf "%d", r * 1000 }') "
    cpu[$c]+="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }') "
  done
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A w c
for k in $configs; do
  w[$k]=$(median "${wall[$k]}")
  c[$k]=$(median "${cpu[$k]}")
done
row() { # LABEL CONFIG BASE
  printf '%-46s %8d %11d %8d %11d\n' "$1" "${w[$2]}" "$((w[$2] - w[$3]))" "${c[$2]}" "$((c[$2] - c[$3]))"
}

printf 'workload: %s malloc+free pairs at call depth ~20 (%s)\n' "$ops" "$work"
printf '%-46s %8s %11s %8s %11s\n' "measurement (median of $runs runs)" "wall ms" "overhead" "cpu ms" "overhead"
printf '%-46s %8d %11s %8d %11s\n' "no tracker (baseline)" "${w[base]}" "-" "${c[base]}" "-"
row "libresmon.so, .eh_frame unwinder, 16 frames" cfi base
row "  the same, workload without frame pointers" cfi_nofp base_nofp
row "libresmon.so, frame pointers, 16 frames" fp base
row "libresmon.so, libunwind, 16 frames" uw base
row "libresmon.so, return address only" ra base
if [ "$have_heaptrack" = yes ]; then
  row "heaptrack" ht base
  for k in cfi fp; do
    printf 'libresmon.so (%s) overhead / heaptrack overhead: wall %s, cpu %s%s\n' \
      "$([ $k = cfi ] && echo ".eh_frame unwinder, the default" || echo "frame pointers")" \
      "$(ratio "$((w[$k] - w[base]))" "$((w[ht] - w[base]))")" \
      "$(ratio "$((c[$k] - c[base]))" "$((c[ht] - c[base]))")" \
      "$([ $k = cfi ] && echo " (target <= 0.20)")"
  done
else
  echo "heaptrack: not installed (apt install heaptrack) - no comparison"
fi

[ "${TRACKER_BENCH_SCAN:-1}" = 0 ] || scan_dump
