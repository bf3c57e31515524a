#!/usr/bin/env bash
# logscan throughput on a ~1 GB DebugView saved log (8 resmon-monitored programs, ~1800 exit reports, among
# other processes' chatter), beside `wc -l` over the same file measured in the same run (target: <= 8x wc -l,
# issue 21), on 1 and 2 reading threads (--threads), with the spread of wall times and the CPU time (user + system)
# of the median run, and logscan's peak heap. Generates its input under bench/out/
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
read -r wc_ms wc_cpu wc_range < <(median_wall_cpu wc -l "$log")
read -r t1_ms t1_cpu t1_range < <(median_wall_cpu bin/logscan "$log" --threads 1)
read -r t2_ms t2_cpu t2_range < <(median_wall_cpu bin/logscan "$log" --threads 2)
read -r json_ms json_cpu json_range < <(median_wall_cpu bin/logscan "$log" --json --threads 2)
heap=$(LEAKSCOPE_REPORT_HEAP=1 bin/logscan "$log" 2>&1 >/dev/null | sed -n 's/.*peak heap \([0-9]*\) MiB/\1/p' || true)
read -r small_ms small_cpu small_range < <(LEAKSCOPE_JAVA_OPTS=-Xmx64m median_wall_cpu bin/logscan "$log")
LEAKSCOPE_JAVA_OPTS=-Xmx64m bin/logscan "$log" > /dev/null 2>&1 && small_ok=ok || small_ok="FAILED (exit $?)"

mib() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }'; }
row() { printf '%-44s %8s %11s %7s %6s   %s\n' "$@"; }
printf 'input: DebugView log, %s MiB, %s lines (%s)\n' "$((bytes >> 20))" "$lines" "$log"
row "measurement (median of $runs runs)" "wall ms" "(min-max)" "CPU ms" "MiB/s" ""
row "wc -l (baseline, same file)" "$wc_ms" "$wc_range" "$wc_cpu" "$(mib "$bytes" "$wc_ms")" ""
row "logscan LOG --threads 1 (text report)" "$t1_ms" "$t1_range" "$t1_cpu" "$(mib "$bytes" "$t1_ms")" \
  "$(ratio "$t1_ms" "$wc_ms" 1)x wc -l (target <= 8)"
row "logscan LOG --threads 2 (text report)" "$t2_ms" "$t2_range" "$t2_cpu" "$(mib "$bytes" "$t2_ms")" \
  "$(ratio "$t2_ms" "$wc_ms" 1)x wc -l (target <= 8)"
row "logscan LOG --json --threads 2" "$json_ms" "$json_range" "$json_cpu" "$(mib "$bytes" "$json_ms")" \
  "$(ratio "$json_ms" "$wc_ms" 1)x wc -l"
row "peak heap, default heap (MiB, pool peaks)" "$heap" "" "" "" ""
row "logscan LOG under -Xmx64m (default threads)" "$small_ms" "$small_range" "$small_cpu" \
  "$(mib "$bytes" "$small_ms")" "$small_ok"
