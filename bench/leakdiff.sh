#!/usr/bin/env bash
# leakdiff on two ~1 GB UMDH snapshot logs, for two shapes: 500k and 3 million distinct stacks per file. Each shape
# prints leakdiff's wall and CPU time with 1 and 2 reader threads beside `wc -l` over the same two files measured
# in the same run (target: <= 10x wc -l), and the peak heap under the launcher's defaults (target: <= 512 MiB).
# Generates missing inputs under bench/out/ (a few minutes each; written to a temporary name, then renamed).
# SPREAD > 0 draws every frame at random from that many 8 MB modules instead of a pool of ~100,000 return
# addresses: with 500000 stacks and SPREAD 40 each snapshot holds about 8 million distinct addresses, the input
# of issue 12 item 23.
# Further rows time the compare with a symbol path naming every module (generated once beside the logs) and a
# trend over three snapshots (OLD NEW OLD) beside `wc -l` over those three.
# Usage: bench/leakdiff.sh [RUNS] [SIZE] [STACKS...] [--spread N]   (default: 3 1G 500000 3000000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
size=${2:-1G}
shift $(( $# < 2 ? $# : 2 ))
spread=0
shapes=()
while [ $# -gt 0 ]; do
  if [ "$1" = --spread ]; then spread=$2; shift 2; else shapes+=("$1"); shift; fi
done
[ ${#shapes[@]} -gt 0 ] || shapes=(500000 3000000)
out=bench/out
mkdir -p "$out"
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests

. bench/lib.sh

# one input made once: written under a temporary name and renamed, so an interrupted run leaves no short file
make_log() {
  [ -f "$1" ] && return
  python3 bench/make_umdh_log.py "$1.tmp" --size "$size" --stacks "$2" --generation "$3" --spread "$spread"
  mv "$1.tmp" "$1"
}

# This machine's price for memory a process touches first: a JVM of the launcher's Java pre-touching a heap of
# leakdiff's size (512 MiB, on huge pages where the launcher asks for them) right after another JVM did the same,
# and after 6 s idle. A VM that hands freed memory back to its host (Firecracker's free page reporting) charges
# the second up to a second of system time; a 3M-stack compare touches about as much heap, so its wall time moves
# with this. Printed once, before the shapes.
fresh_heap() {
  local here=bin thp_opt= warm cold version ms idle=()
  . bin/.leakscope-java
  if grep -qs '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled; then
    thp_opt=-XX:+UseTransparentHugePages
  fi
  touch_heap() { "$java" -XX:+UseParallelGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch $thp_opt -version; }
  touch_heap > /dev/null 2>&1
  read -r warm _ < <(spread_ms touch_heap)
  for _ in $(seq "$runs"); do
    sleep 6
    read -r ms _ < <(runs=1 spread_ms touch_heap)
    idle+=("$ms")
  done
  read -r cold _ < <(median_min_max "${idle[@]}")
  read -r version _ < <(spread_ms "$java" -version)
  printf 'a JVM pre-touching a fresh 512 MiB heap (median of %s): %s ms back-to-back, %s ms after 6 s idle' \
    "$runs" "$warm" "$cold"
  printf ' (java -version %s ms)\n' "$version"
}

mib() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }'; }
row() { printf '%-36s %8s %13s %8s %6s   %s\n' "$@"; }

fresh_heap
for stacks in "${shapes[@]}"; do
  tag="$size-$stacks"
  [ "$spread" = 0 ] || tag="$tag-spread$spread"
  a="$out/umdh-$tag-0.log"
  b="$out/umdh-$tag-1.log"
  make_log "$a" "$stacks" 0
  make_log "$b" "$stacks" 1
  cat "$a" "$b" > /dev/null   # every run reads from the page cache
  bytes=$(( $(stat -L -c %s "$a") + $(stat -L -c %s "$b") ))
  read -r wc_ms wc_cpu wc_range < <(median_wall_cpu wc -l "$a" "$b")
  read -r t1_ms t1_cpu t1_range < <(median_wall_cpu bin/leakdiff "$a" "$b" --threads 1)
  read -r t2_ms t2_cpu t2_range < <(median_wall_cpu bin/leakdiff "$a" "$b" --threads 2)
  # with a symbol path (every module named: bench/make_umdh_symbols.py), as a WinDbg user's _NT_SYMBOL_PATH gives
  syms="$out/symbols-$tag"
  [ -d "$syms" ] || { python3 bench/make_umdh_symbols.py "$a" "$syms.tmp" > /dev/null && mv "$syms.tmp" "$syms"; }
  read -r ts_ms ts_cpu ts_range < <(median_wall_cpu bin/leakdiff "$a" "$b" --symbols-path "$syms")
  # a trend over three snapshots (the older log given twice), beside wc -l over the same three
  read -r wc3_ms _ wc3_range < <(median_wall_cpu wc -l "$a" "$b" "$a")
  read -r tt_ms tt_cpu tt_range < <(median_wall_cpu bin/leakdiff "$a" "$b" "$a" --trend)
  # a run that needed more than the launcher's heap ran again (HeapRetry): each JVM reports, the largest counts
  heap=$(LEAKSCOPE_REPORT_HEAP=1 bin/leakdiff "$a" "$b" 2>&1 >/dev/null \
    | sed -n 's/.*peak heap \([0-9]*\) MiB/\1/p' | sort -n | tail -1)
  heap_syms=$(LEAKSCOPE_REPORT_HEAP=1 bin/leakdiff "$a" "$b" --symbols-path "$syms" 2>&1 >/dev/null \
    | sed -n 's/.*peak heap \([0-9]*\) MiB/\1/p' | sort -n | tail -1)
  heap_trend=$(LEAKSCOPE_REPORT_HEAP=1 bin/leakdiff "$a" "$b" "$a" --trend 2>&1 >/dev/null \
    | sed -n 's/.*peak heap \([0-9]*\) MiB/\1/p' | sort -n | tail -1)
  echo
  printf 'inputs: 2 UMDH snapshots, %s MiB in all, %s distinct stacks each%s\n' "$((bytes >> 20))" "$stacks" \
    "$([ "$spread" = 0 ] || echo ", frames spread over $spread 8 MB modules")"
  row "measurement (median of $runs runs)" "wall ms" "(min-max)" "CPU ms" "MiB/s" ""
  row "wc -l (baseline, same files)" "$wc_ms" "$wc_range" "$wc_cpu" "$(mib "$bytes" "$wc_ms")" ""
  row "leakdiff OLD NEW --threads 1" "$t1_ms" "$t1_range" "$t1_cpu" "$(mib "$bytes" "$t1_ms")" \
    "$(ratio "$t1_ms" "$wc_ms" 1)x wc -l (target <= 10)"
  row "leakdiff OLD NEW --threads 2" "$t2_ms" "$t2_range" "$t2_cpu" "$(mib "$bytes" "$t2_ms")" \
    "$(ratio "$t2_ms" "$wc_ms" 1)x wc -l (target <= 10)"
  row "leakdiff OLD NEW --symbols-path S" "$ts_ms" "$ts_range" "$ts_cpu" "$(mib "$bytes" "$ts_ms")" \
    "$(ratio "$ts_ms" "$wc_ms" 1)x wc -l (every module named)"
  row "wc -l OLD NEW OLD (trend baseline)" "$wc3_ms" "$wc3_range" "" "" ""
  row "leakdiff OLD NEW OLD --trend" "$tt_ms" "$tt_range" "$tt_cpu" "$(mib $((bytes * 3 / 2)) "$tt_ms")" \
    "$(ratio "$tt_ms" "$wc3_ms" 1)x wc -l"
  row "peak heap, launcher defaults (MiB)" "${heap:-?}" "" "" "" "(target <= 512; sum of pool peaks)"
  row "peak heap, --symbols-path S (MiB)" "${heap_syms:-?}" "" "" "" ""
  row "peak heap, --trend of 3 (MiB)" "${heap_trend:-?}" "" "" "" "(the largest of the JVMs a rerun starts)"
done
