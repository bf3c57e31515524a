#!/usr/bin/env bash
# leakdiff throughput on two ~1 GB UMDH snapshot logs (500k distinct stacks each), beside `wc -l` over the same
# two files measured in the same run (target: <= 3x wc -l), and leakdiff's peak heap (target: <= 512 MiB; the
# run under -Xmx512m proves it fits). Generates its inputs under bench/out/ once (about 4 minutes).
# Usage: bench/leakdiff.sh [RUNS] [SIZE] [STACKS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
size=${2:-1G}
stacks=${3:-500000}
out=bench/out
mkdir -p "$out"
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests

a="$out/umdh-$size-$stacks-0.log"
b="$out/umdh-$size-$stacks-1.log"
[ -f "$a" ] || python3 bench/make_umdh_log.py "$a" --size "$size" --stacks "$stacks" --generation 0
[ -f "$b" ] || python3 bench/make_umdh_log.py "$b" --size "$size" --stacks "$stacks" --generation 1
cat "$a" "$b" > /dev/null   # both runs read from the page cache

. bench/lib.sh

bytes=$(( $(stat -c %s "$a") + $(stat -c %s "$b") ))
wc_ms=$(median_ms wc -l "$a" "$b")
ld_ms=$(median_ms bin/leakdiff "$a" "$b")
json_ms=$(median_ms bin/leakdiff "$a" "$b" --json --top 100)
heap=$(LEAKSCOPE_REPORT_HEAP=1 bin/leakdiff "$a" "$b" 2>&1 >/dev/null | sed -n 's/.*peak heap \([0-9]*\) MiB/\1/p')
if LEAKSCOPE_JAVA_OPTS=-Xmx512m bin/leakdiff "$a" "$b" > /dev/null 2>&1; then fits=yes; else fits=NO; fi

mib() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }'; }
printf 'inputs: 2 UMDH snapshots, %s MiB in all, %s stacks each\n' "$((bytes >> 20))" "$stacks"
printf '%-44s %8s %10s\n' "measurement (median of $runs runs)" "ms" "MiB/s"
printf '%-44s %8d %10s\n' "wc -l (baseline, same files)" "$wc_ms" "$(mib "$bytes" "$wc_ms")"
printf '%-44s %8d %10s   %sx wc -l (target <= 3)\n' "leakdiff OLD NEW (full UMDH-style compare)" "$ld_ms" \
  "$(mib "$bytes" "$ld_ms")" "$(ratio "$ld_ms" "$wc_ms" 1)"
printf '%-44s %8d %10s   %sx wc -l\n' "leakdiff OLD NEW --json --top 100" "$json_ms" "$(mib "$bytes" "$json_ms")" \
  "$(ratio "$json_ms" "$wc_ms" 1)"
printf '%-44s %8s\n' "peak heap, default heap (MiB, pool peaks)" "$heap"
printf '%-44s %8s   (target <= 512 MiB)\n' "completes under -Xmx512m" "$fits"
