#!/usr/bin/env bash
# Fuzzing campaigns: each fuzz target (fuzz/, docs/fuzzing.md) in turn under Jazzer for MINUTES, then one line per
# target with libFuzzer's totals: executions, executions per second, coverage (cov: edges, ft: features) and the
# corpus it grew. libFuzzer's corpus folders stay in the build dir and grow from run to run (never committed):
#   fuzz/target/fuzz-corpus/<Class>.<method>/    inputs that reached new code (seeds: the target's Inputs folder)
#   fuzz/target/fuzz-findings/<Class>.<method>/  crash-*, timeout-*, oom-*: a finding stops that target's run
#   fuzz/target/fuzz-logs/<Class>.<method>.log   the whole output
# Usage: bench/fuzz.sh [MINUTES] [Class#method ...]   (default: 10 minutes, every target)
#        bench/fuzz.sh --seconds N [Class#method ...]  (the short run .ci/run makes)
# Exit status 1 when some target reported a finding (or did not run); NICE (default 19) lowers the priority;
# MAX_LEN caps the inputs libFuzzer makes (default 1 MiB; a smaller cap keeps a target with large seeds, such as
# the PDB's, mutating small inputs quickly).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--seconds" ]; then
  seconds=$2
  shift 2
else
  seconds=$(( ${1:-10} * 60 ))
  [ $# -gt 0 ] && shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # every @FuzzTest method, as Class#method, from the sources
  mapfile -t targets < <(grep -l '@FuzzTest' fuzz/src/test/java/org/leakscope/fuzz/*.java | sort | while read -r f; do
    awk -v c="$(basename "$f" .java)" '/@FuzzTest/ {t=1; next} t && /void [a-zA-Z]+\(/ {
      sub(/.*void /, ""); sub(/\(.*/, ""); print c "#" $0; t=0 }' "$f"; done)
fi
build=$PWD/fuzz/target
mkdir -p "$build/fuzz-logs"
status=0
rows=()
for t in "${targets[@]}"; do
  cls=${t%%#*} method=${t##*#}
  name="$cls.$method"
  corpus="$build/fuzz-corpus/$name" findings="$build/fuzz-findings/$name" log="$build/fuzz-logs/$name.log"
  seeds="$build/test-classes/org/leakscope/fuzz/${cls}Inputs/$method"
  mkdir -p "$corpus" "$findings" "$seeds"
  started="$build/fuzz-logs/.started-$name"
  touch "$started" # findings of earlier runs stay in the folder: only newer files are this run's
  echo "== $t: ${seconds} s (log: ${log#"$PWD"/})" >&2
  # arg.3 on: flags after the @FuzzTest's own -max_total_time win; the first corpus folder is the one libFuzzer
  # writes to; the seeds folder is filled by the build before the test runs
  set +e
  JAZZER_FUZZ=1 nice -n "${NICE:-19}" mvn -o -B -pl fuzz -am verify -Dtest="$t" \
    -Dsurefire.failIfNoSpecifiedTests=false \
    "-Djazzer.internal.arg.3=-max_total_time=$seconds" "-Djazzer.internal.arg.4=-artifact_prefix=$findings/" \
    "-Djazzer.internal.arg.5=-print_final_stats=1" "-Djazzer.internal.arg.6=$corpus" \
    "-Djazzer.internal.arg.7=$seeds" "-Djazzer.internal.arg.8=-max_len=${MAX_LEN:-1048576}" > "$log" 2>&1
  rc=$?
  set -e
  # libFuzzer's last status line (#N DONE/pulse/NEW ... cov: ... exec/s: ...) and its final stats
  last=$(grep -aE '^#[0-9]+[[:space:]]' "$log" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<< "$last")
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  [ -n "$eps" ] || eps=$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<< "$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$last")
  corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<< "$last")
  found=$(find "$findings" -type f -newer "$started" -printf '%f ' | head -c 300)
  if [ -n "$found" ]; then
    result="FINDING: $found"
    status=1
  elif [ "$rc" -ne 0 ] || [ -z "$runs" ]; then
    result="FAILED (exit $rc, see the log)"
    status=1
  else
    result=ok
  fi
  rows+=("$(printf '%-34s %12s %8s %7s %7s %6s  %s' "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$result")")
done
printf '%-34s %12s %8s %7s %7s %6s  %s\n' TARGET EXECUTIONS EXEC/S COV FT CORPUS RESULT
printf '%s\n' "${rows[@]}"
exit $status
