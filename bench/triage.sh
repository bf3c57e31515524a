#!/usr/bin/env bash
# triage throughput beside Breakpad, in the same run, on a generated fleet folder:
#   NDUMPS minidumps (copies of the corpus dumps and the bundled sample, each made distinct: header time and
#   thread ids rewritten by make_triage_folder.py) and NLOGS DebugView logs (copies of testdata/dbgview).
# Prints: triage over the dumps alone, dumps/s, beside Breakpad's minidump_stackwalk -m over the same dumps, one
# process per dump, `xargs -P <cores>` (target: triage at least as many dumps/s); triage over dumps and logs with
# -Xmx1g and its peak heap (target: under 1 GB); the second run with --state (reads 0 files); the Spark job
# (bin/leakscope-spark, local[*]) over the same dumps, and whether its triage.json equals triage's (SPARK=0 skips it).
# Usage: bench/triage.sh [NDUMPS] [NLOGS]   (default 10000 1000; the folder is bench/out/triage-N-M, kept)
# MINIDUMP_STACKWALK: Breakpad's walker (default .tools/node_modules/minidump/bin/linux-x64/minidump_stackwalk,
# npm minidump@0.26.0).
set -euo pipefail
cd "$(dirname "$0")/.."
ndumps=${1:-10000}
nlogs=${2:-1000}
cores=$(nproc)
breakpad=${MINIDUMP_STACKWALK:-.tools/node_modules/minidump/bin/linux-x64/minidump_stackwalk}
[ -x "$breakpad" ] || { echo "bench/triage.sh: no minidump_stackwalk at $breakpad (set MINIDUMP_STACKWALK)" >&2; exit 2; }
spark=${SPARK:-1}
[ -f bin/leakscope.jar ] && { [ "$spark" = 0 ] || [ -f spark/target/spark-classpath.txt ]; } || mvn -q package -DskipTests
. bench/lib.sh
out=$(triage_folder "$ndumps" "$nlogs")
mapfile -t dumps < <(find "$out/dumps" -name '*.dmp' | sort)
bytes=$(du -sb "$out/dumps" | cut -f1)
echo "folder $out: ${#dumps[@]} dumps ($((bytes >> 20)) MiB), $(find "$out/logs" -type f | wc -l) logs; $cores cores"
# records the start-up cache if the build did not
bin/triage testdata/minidump/sample.dmp > /dev/null 2>&1 || true

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / ((b - a) / 1e9) }'; }

# Breakpad: one process per dump, as many at once as there are cores
t0=$(date +%s%N)
printf '%s\0' "${dumps[@]}" | xargs -0 -P "$cores" -n 1 "$breakpad" -m > /dev/null 2>&1 || true
t1=$(date +%s%N)
bp_rate=$(rate "${#dumps[@]}" "$t0" "$t1")

# triage over the same dumps, all cores, one JVM
t0=$(date +%s%N)
LEAKSCOPE_JAVA_OPTS=-Xmx1g LEAKSCOPE_REPORT_HEAP=1 bin/triage "$out/dumps" --json > "$out.dumps.json" \
  2> "$out.dumps.err" || true
t1=$(date +%s%N)
tr_rate=$(rate "${#dumps[@]}" "$t0" "$t1")

# the Spark job over the same dumps, embedded Spark on every core
if [ "$spark" != 0 ]; then
  rm -rf "$out.spark"
  t0=$(date +%s%N)
  bin/leakscope-spark "$out/dumps" --out "$out.spark" > /dev/null 2> "$out.spark.err" || true
  t1=$(date +%s%N)
  sp_secs=$(secs "$t0" "$t1")
  sp_rate=$(rate "${#dumps[@]}" "$t0" "$t1")
  sp_same=$(cmp -s "$out.dumps.json" "$out.spark/triage.json" && echo "triage.json = triage --json" \
    || echo "triage.json DIFFERS from triage --json")
fi
tr_heap=$(grep -o 'peak heap [0-9]* MiB' "$out.dumps.err" || echo 'peak heap ? MiB')

# triage over dumps and logs with a state folder, twice
rm -rf "$out.state"
t0=$(date +%s%N)
LEAKSCOPE_JAVA_OPTS=-Xmx1g LEAKSCOPE_REPORT_HEAP=1 bin/triage "$out" --state "$out.state" > "$out.report1" \
  2> "$out.all.err" || true
t1=$(date +%s%N)
LEAKSCOPE_JAVA_OPTS=-Xmx1g bin/triage "$out" --state "$out.state" > "$out.report2" 2> "$out.again.err" || true
t2=$(date +%s%N)
all=$(find "$out/dumps" "$out/logs" -type f | wc -l)

printf '%-50s %8s %9s\n' "measurement (wall time, whole command)" "s" "files/s"
printf '%-50s %8s %9s\n' "minidump_stackwalk -m, xargs -P $cores, ${#dumps[@]} dumps" \
  "$(awk -v r="$bp_rate" -v n="${#dumps[@]}" 'BEGIN{printf "%.1f", n/r}')" "$bp_rate"
printf '%-50s %8s %9s   %sx Breakpad, %s\n' "triage, ${#dumps[@]} dumps" \
  "$(awk -v r="$tr_rate" -v n="${#dumps[@]}" 'BEGIN{printf "%.1f", n/r}')" "$tr_rate" \
  "$(awk -v a="$tr_rate" -v b="$bp_rate" 'BEGIN{printf "%.2f", a/b}')" "$tr_heap (-Xmx1g)"
[ "$spark" = 0 ] || printf '%-50s %8s %9s   %s\n' "leakscope-spark, local[*], ${#dumps[@]} dumps" "$sp_secs" "$sp_rate" \
  "$sp_same"
printf '%-50s %8s %9s   %s\n' "triage --state (first run), $all dumps and logs" "$(secs "$t0" "$t1")" \
  "$(rate "$all" "$t0" "$t1")" "$(grep -o 'peak heap [0-9]* MiB' "$out.all.err" || true) (-Xmx1g)"
printf '%-50s %8s %9s   %s\n' "triage --state (second run)" "$(secs "$t1" "$t2")" "$(rate "$all" "$t1" "$t2")" \
  "$(grep -o '[0-9,]* read, [0-9,]* remembered.*hashed)' "$out.again.err")"
cmp -s "$out.report1" "$out.report2" && echo "the two --state runs printed the same report" \
  || echo "the two --state runs printed DIFFERENT reports ($out.report1, $out.report2)"
