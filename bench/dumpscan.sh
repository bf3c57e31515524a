#!/usr/bin/env bash
# dumpscan start-up and open cost, with same-run baselines.
#   1. summary of a 6 GiB sparse Memory64 dump beside a 60 MiB one: opening must not touch memory ranges
#      (target: <= 1.2x);
#   2. summary of the small bundled sample beside `java -version` (target: <= 2x the JVM's own start-up).
# Generates its inputs under bench/out/ (sparse files: no disk blocks). Usage: bench/dumpscan.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
out=bench/out
mkdir -p "$out"

[ -f bin/leakscope.jar ] || mvn -q package -DskipTests

python3 testdata/minidump/make_sample_dump.py "$out/mem60m.dmp" --memory64 60M
python3 testdata/minidump/make_sample_dump.py "$out/mem6g.dmp" --memory64 6G
bin/dumpscan testdata/minidump/sample.dmp > /dev/null   # first run after a build writes the CDS archive

. bench/lib.sh

jvm=$(median_ms java -version)
small=$(median_ms bin/dumpscan testdata/minidump/sample.dmp)
m60=$(median_ms bin/dumpscan "$out/mem60m.dmp")
g6=$(median_ms bin/dumpscan "$out/mem6g.dmp")
json6=$(median_ms bin/dumpscan --json "$out/mem6g.dmp")

printf '%-48s %8s\n' "measurement (median of $runs runs)" "ms"
printf '%-48s %8d\n' "java -version (JVM start-up baseline)" "$jvm"
printf '%-48s %8d   %sx java -version (target <= 2.0)\n' "dumpscan sample.dmp (9 KB)" "$small" "$(ratio "$small" "$jvm")"
printf '%-48s %8d\n' "dumpscan mem60m.dmp (60 MiB Memory64)" "$m60"
printf '%-48s %8d   %sx the 60 MiB dump (target <= 1.2)\n' "dumpscan mem6g.dmp (6 GiB Memory64, sparse)" "$g6" "$(ratio "$g6" "$m60")"
printf '%-48s %8d\n' "dumpscan --json mem6g.dmp" "$json6"
ls -ls "$out/mem6g.dmp" | awk '{printf "(mem6g.dmp: %s bytes long, %s KiB on disk)\n", $6, $1}'
