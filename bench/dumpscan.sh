#!/usr/bin/env bash
# dumpscan start-up and open cost, with same-run baselines.
#   1. summary of a 6 GiB sparse Memory64 dump beside a 60 MiB one: opening must not touch memory ranges
#      (target: <= 1.2x);
#   2. summary of the small bundled sample, text and --json, beside `java -version` (targets: <= 2x and <= 2.5x
#      the JVM's own start-up), with the spread over the runs.
# Generates its inputs under bench/out/ (sparse files: no disk blocks). Usage: bench/dumpscan.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
out=bench/out
mkdir -p "$out"

[ -f bin/leakscope.jar ] || mvn -q package -DskipTests

python3 testdata/minidump/make_sample_dump.py "$out/mem60m.dmp" --memory64 60M
python3 testdata/minidump/make_sample_dump.py "$out/mem6g.dmp" --memory64 6G
bin/dumpscan testdata/minidump/sample.dmp > /dev/null   # records the start-up cache if the build did not

. bench/lib.sh

read -r jvm jvm_lo jvm_hi <<< "$(spread_ms java -version)"
read -r small small_lo small_hi <<< "$(spread_ms bin/dumpscan testdata/minidump/sample.dmp)"
read -r json json_lo json_hi <<< "$(spread_ms bin/dumpscan --json testdata/minidump/sample.dmp)"
read -r m60 m60_lo m60_hi g6 g6_lo g6_hi \
  <<< "$(paired_ms bin/dumpscan "$out/mem60m.dmp" -- bin/dumpscan "$out/mem6g.dmp")"
json6=$(median_ms bin/dumpscan --json "$out/mem6g.dmp")

# the Java the launcher runs (it prefers a JDK 25+ for its ahead-of-time cache) and the baseline's
here=bin; . bin/.leakscope-java
launcher_java=$java
printf 'java -version: %s; the launcher runs %s (Java %s)\n' "$(command -v java)" "$launcher_java" "$java_major"
printf '%-40s %6s %11s\n' "measurement ($runs runs)" "median" "min-max ms"
row() { printf '%-40s %6d %11s' "$1" "$2" "$3-$4"; }
row "java -version (JVM start-up baseline)" "$jvm" "$jvm_lo" "$jvm_hi"; echo
row "dumpscan sample.dmp (9 KB)" "$small" "$small_lo" "$small_hi"
printf '   %sx java -version (target <= 2.0)\n' "$(ratio "$small" "$jvm")"
row "dumpscan --json sample.dmp" "$json" "$json_lo" "$json_hi"
printf '   %sx java -version (target <= 2.5)\n' "$(ratio "$json" "$jvm")"
row "dumpscan mem60m.dmp (60 MiB Memory64)" "$m60" "$m60_lo" "$m60_hi"; echo
row "dumpscan mem6g.dmp (6 GiB, sparse)" "$g6" "$g6_lo" "$g6_hi"
printf '   %sx the 60 MiB dump (target <= 1.2; runs alternated)\n' "$(ratio "$g6" "$m60")"
printf '%-40s %6d\n' "dumpscan --json mem6g.dmp" "$json6"
ls -ls "$out/mem6g.dmp" | awk '{printf "(mem6g.dmp: %s bytes long, %s KiB on disk)\n", $6, $1}'
