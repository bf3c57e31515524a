#!/usr/bin/env bash
# leakdiff throughput on two ~1 GB UMDH snapshot logs (500k distinct stacks each), beside `cat` and `wc -l` over
# the same two files measured in the same run (target: <= 3x wc -l), and leakdiff's peak heap (target: <= 512 MiB;
# the run under -Xmx512m proves it fits). Generates its inputs under bench/out/ once (about 4 minutes).
# SPREAD > 0 draws every frame at random from that many 8 MB modules instead of a pool of ~100,000 return
# addresses: with 500000 stacks and SPREAD 40 each snapshot holds about 8 million distinct addresses (900000
# stacks: 14.5 million), the input of issue 12 item 23; it needs a bigger heap than 512 MiB (about 4 GiB).
# Usage: bench/leakdiff.sh [RUNS] [SIZE] [STACKS] [SPREAD]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
size=${2:-1G}
stacks=${3:-500000}
spread=${4:-0}
out=bench/out
mkdir -p "$out"
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests

tag="$size-$stacks"
[ "$spread" = 0 ] || tag="$tag-spread$spread"
a="$out/umdh-$tag-0.log"
b="$out/umdh-$tag-1.log"
[ -f "$a" ] || python3 bench/make_umdh_log.py "$a" --size "$size" --stacks "$stacks" --generation 0 --spread "$spread"
[ -f "$b" ] || python3 bench/make_umdh_log.py "$b" --size "$size" --stacks "$stacks" --generation 1 --spread "$spread"
cat "$a" "$b" > /dev/null   # both runs read from the page cache

. bench/lib.sh

bytes=$(( $(stat -c %s "$a") + $(stat -c %s "$b") ))
cat_ms=$(median_ms cat "$a" "$b")
wc_ms=$(median_ms wc -l "$a" "$b")
ld_ms=$(median_ms bin/leakdiff "$a" "$b")
json_ms=$(median_ms bin/leakdiff "$a" "$b" --json --top 100)
heap=$(LEAKSCOPE_REPORT_HEAP=1 bin/leakdiff "$a" "$b" 2>&1 >/dev/null | sed -n 's/.*peak heap \([0-9]*\) MiB/\1/p')
if LEAKSCOPE_JAVA_OPTS=-Xmx512m bin/leakdiff "$a" "$b" > /dev/null 2>&1; then fits=yes; else fits=NO; fi

mib() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }'; }
printf 'inputs: 2 UMDH snapshots, %s MiB in all, %s stacks each%s\n' "$((bytes >> 20))" "$stacks" \
  "$([ "$spread" = 0 ] || echo ", frames spread over $spread 8 MB modules")"
printf '%-44s %8s %10s\n' "measurement (median of $runs runs)" "ms" "MiB/s"
printf '%-44s %8d %10s\n' "cat (baseline, same files)" "$cat_ms" "$(mib "$bytes" "$cat_ms")"
printf '%-44s %8d %10s\n' "wc -l (baseline, same files)" "$wc_ms" "$(mib "$bytes" "$wc_ms")"
printf '%-44s %8d %10s   %sx wc -l (target <= 3)\n' "leakdiff OLD NEW (full UMDH-style compare)" "$ld_ms" \
  "$(mib "$bytes" "$ld_ms")" "$(ratio "$ld_ms" "$wc_ms" 1)"
printf '%-44s %8d %10s   %sx wc -l\n' "leakdiff OLD NEW --json --top 100" "$json_ms" "$(mib "$bytes" "$json_ms")" \
  "$(ratio "$json_ms" "$wc_ms" 1)"
printf '%-44s %8s\n' "peak heap, default heap (MiB, pool peaks)" "$heap"
printf '%-44s %8s   (target <= 512 MiB)\n' "completes under -Xmx512m" "$fits"
