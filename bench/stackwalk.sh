#!/usr/bin/env bash
# Stack walking cost beside Breakpad, in the same run: `dumpscan --threads all --json` over every dump of the corpus
# in one JVM (dumpscan takes many dumps), and Breakpad's `minidump_stackwalk -m` once per dump over the same files
# (no symbols for either); totals and their ratio. Then one dump's latency, `bin/dumpscan --threads all --json
# X.dmp`, beside `java -version` (JVM start-up alone).
# Usage: bench/stackwalk.sh [RUNS] [DIR]   (default: 3 runs, ../shared/corpus; median wall time of the runs)
# MINIDUMP_STACKWALK: Breakpad's walker (default .tools/node_modules/minidump/bin/linux-x64/minidump_stackwalk,
# where .ci/run installs the npm package minidump@0.26.0).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
dir=${2:-../shared/corpus}
breakpad=${MINIDUMP_STACKWALK:-.tools/node_modules/minidump/bin/linux-x64/minidump_stackwalk}
[ -x "$breakpad" ] || { echo "bench/stackwalk.sh: no minidump_stackwalk at $breakpad (set MINIDUMP_STACKWALK)" >&2; exit 2; }
mapfile -t dumps < <(find "$dir" -name '*.dmp' | sort)
[ "${#dumps[@]}" -gt 0 ] || { echo "bench/stackwalk.sh: no .dmp under $dir" >&2; exit 2; }
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests
. bench/lib.sh

# every dump through Breakpad, one process each, as the differential test runs it
breakpad_all() {
  for d in "${dumps[@]}"; do
    timeout 120 "$breakpad" -m "$d" > /dev/null 2>&1 || true
  done
}
# every dump through dumpscan in one JVM; damaged corpus dumps make it exit 2, which is not a failure here
dumpscan_all() {
  bin/dumpscan --threads "${1:-all}" --json "${dumps[@]}" > /dev/null 2>&1 || true
}
# records the start-up cache if the build did not
bin/dumpscan --threads none "${dumps[0]}" > /dev/null 2>&1 || true
bytes=$(cat "${dumps[@]}" | wc -c)
frames=$( (bin/dumpscan --threads all --json "${dumps[@]}" 2> /dev/null || true) \
  | python3 -c 'import json,sys; d=json.load(sys.stdin)["dumps"]; print(sum(len(t["frames"] or []) for x in d for t in x["threads"]))')
echo "dumps: ${#dumps[@]} under $dir ($bytes bytes); dumpscan walks $frames frames on all their threads"
echo "machine: $(nproc) CPUs (shared with other work: times vary from run to run)"
bp=$(median_ms breakpad_all)
ls_ms=$(median_ms dumpscan_all)
ls_none=$(median_ms dumpscan_all none)
one="${dumps[0]}"
for d in "${dumps[@]}"; do # the largest dump that is not damaged, for the single-dump latency
  case "$d" in */malformed/*) continue ;; esac
  [ "$(stat -c %s "$d")" -gt "$(stat -c %s "$one")" ] && one=$d
done
jvm=$(median_ms java -version)
single=$(median_ms bin/dumpscan --threads all --json "$one")
bp_one=$(median_ms "$breakpad" -m "$one")
printf '%-58s %8s\n' "measurement (median of $runs runs)" "ms"
printf '%-58s %8d\n' "minidump_stackwalk -m, once per dump (${#dumps[@]} processes)" "$bp"
printf '%-58s %8d   %sx Breakpad\n' "dumpscan --threads all --json, every dump in one JVM" "$ls_ms" "$(ratio "$ls_ms" "$bp")"
printf '%-58s %8d   (the same report without stack walks)\n' "dumpscan --threads none --json, every dump in one JVM" \
  "$ls_none"
printf '%-58s %8d\n' "java -version (JVM start-up)" "$jvm"
echo "one dump: $one ($(stat -c %s "$one") bytes)"
printf '%-58s %8d   %sx java -version\n' "dumpscan --threads all --json (one dump)" "$single" "$(ratio "$single" "$jvm")"
printf '%-58s %8d\n' "minidump_stackwalk -m (one dump)" "$bp_one"
