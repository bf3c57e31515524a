#!/usr/bin/env bash
# The Spark job (bin/leakscope-spark, embedded Spark) beside triage, in the same run, on the same fleet folder:
#   NDUMPS distinct dump copies and NLOGS DebugView logs, made as bench/triage.sh makes them (same folder, kept).
# Prints the wall time of each whole command (JVM and, for Spark, session start-up included), files/s, and
# whether the job's triage.json equals `triage --json` on the folder (it must).
# Usage: bench/spark.sh [NDUMPS] [NLOGS] [MASTER...]   (default 2000 200 'local[*]')
set -euo pipefail
cd "$(dirname "$0")/.."
ndumps=${1:-2000}
nlogs=${2:-200}
shift $(( $# < 2 ? $# : 2 ))
masters=("$@")
[ ${#masters[@]} -gt 0 ] || masters=('local[*]')
[ -f bin/leakscope.jar ] && [ -f spark/target/spark-classpath.txt ] || mvn -q package -DskipTests
. bench/lib.sh
out=$(triage_folder "$ndumps" "$nlogs")
files=$(find "$out" -type f | wc -l)
echo "folder $out: $files files ($(( $(du -sb "$out" | cut -f1) >> 20 )) MiB); $(nproc) cores;" \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"

rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%8.1f %9.0f", (b - a) / 1e9, n / ((b - a) / 1e9) }'; }
printf '%-44s %8s %9s\n' "measurement (wall time, whole command)" "s" "files/s"

t0=$(date +%s%N)
bin/triage "$out" --json > "$out.triage.json" 2> /dev/null || true
t1=$(date +%s%N)
printf '%-44s %s\n' "triage --json" "$(rate "$files" "$t0" "$t1")"

for m in "${masters[@]}"; do
  rm -rf "$out.spark"
  t0=$(date +%s%N)
  LEAKSCOPE_SPARK_MASTER="$m" bin/leakscope-spark "$out" --out "$out.spark" 2> "$out.spark.err" || true
  t1=$(date +%s%N)
  same=$(cmp -s "$out.triage.json" "$out.spark/triage.json" && echo "triage.json = triage --json" \
    || echo "triage.json DIFFERS from triage --json ($out.spark/triage.json)")
  job=$(grep -o '; [0-9.]* s, ' "$out.spark.err" | sed 's/^; //; s/, $//' || echo '? s')
  printf '%-44s %s   %s (job alone %s)\n' "leakscope-spark, $m" "$(rate "$files" "$t0" "$t1")" "$same" "$job"
done
