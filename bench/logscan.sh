#!/usr/bin/env bash
# logscan throughput on a ~1 GB DebugView saved log (8 resmon-monitored programs, ~1800 exit reports, among
# other processes' chatter), beside `wc -l` over the same file measured in the same run (target: <= 8x wc -l,
# issue 21), on 1 and 2 reading threads (--threads), and logscan's peak heap. Generates its input under bench/out/
# once (under a minute).
# Usage: bench/logscan.sh [RUNS]      LOGSCAN_BENCH_SIZE=200M for a smaller input (default 1G)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
size=${LOGSCAN_BENCH_SIZE:-1G}
out=bench/out
mkdir -p "$out"
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests

log="$out/dbgview_${size,,}.log"
if [ ! -f "$log" ]; then   # written under another name first: an interrupted run leaves no short input behind
  python3 bench/make_dbgview_log.py "$log.part" "$size"
  mv "$log.part" "$log"
fi
[ -x bin/logscan ] || { echo "bench/logscan.sh: bin/logscan is missing" >&2; exit 2; }
bin/logscan testdata/dbgview/resmon_user_x64_exit_report.log > /dev/null 2>&1 || true   # first run after a build writes the CDS archive
cat "$log" > /dev/null   # both commands read from the page cache

. bench/lib.sh

bytes=$(stat -L -c %s "$log")
lines=$(wc -l < "$log")
wc_ms=$(median_ms wc -l "$log")
t1_ms=$(median_ms bin/logscan "$log" --threads 1)
t2_ms=$(median_ms bin/logscan "$log" --threads 2)
json_ms=$(median_ms bin/logscan "$log" --json --threads 2)
heap=$(LEAKSCOPE_REPORT_HEAP=1 bin/logscan "$log" 2>&1 >/dev/null | sed -n 's/.*peak heap \([0-9]*\) MiB/\1/p' || true)
small_ms=$(LEAKSCOPE_JAVA_OPTS=-Xmx64m median_ms bin/logscan "$log")
LEAKSCOPE_JAVA_OPTS=-Xmx64m bin/logscan "$log" > /dev/null 2>&1 && small_ok=ok || small_ok="FAILED (exit $?)"

mib() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }'; }
row() { printf '%-44s %8d %10s   %sx wc -l%s\n' "$1" "$2" "$(mib "$bytes" "$2")" "$(ratio "$2" "$wc_ms" 1)" "${3:-}"; }
printf 'input: DebugView log, %s MiB, %s lines (%s)\n' "$((bytes >> 20))" "$lines" "$log"
printf '%-44s %8s %10s\n' "measurement (median of $runs runs)" "ms" "MiB/s"
printf '%-44s %8d %10s\n' "wc -l (baseline, same file)" "$wc_ms" "$(mib "$bytes" "$wc_ms")"
row "logscan LOG --threads 1 (text report)" "$t1_ms" " (target <= 8)"
row "logscan LOG --threads 2 (text report)" "$t2_ms" " (target <= 8)"
row "logscan LOG --json --threads 2" "$json_ms"
printf '%-44s %8s\n' "peak heap, default heap (MiB, pool peaks)" "$heap"
printf '%-44s %8d %10s   %s\n' "logscan LOG under -Xmx64m (default threads)" "$small_ms" "$(mib "$bytes" "$small_ms")" \
  "$small_ok"
