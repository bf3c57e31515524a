#!/usr/bin/env bash
# PDB reading cost, with same-run baselines: open the largest PDB of the corpus beside `cat` of it, resolve
# 1,000,000 random addresses (ns per lookup), and dumpsyms on it beside `cat` and `java -version`.
# Usage: bench/pdb.sh [RUNS] [PDB]   (default: the largest .pdb under ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
pdb=${2:-$(find ../shared/corpus -name '*.pdb' -printf '%s %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-)}
[ -n "$pdb" ] && [ -f "$pdb" ] || { echo "bench/pdb.sh: no PDB given and none under ../shared/corpus" >&2; exit 2; }
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests
. bench/lib.sh

echo "PDB: $pdb ($(stat -c %s "$pdb") bytes)"
cat_ms=$(median_ms cat "$pdb")
jvm=$(median_ms java -version)
bin/dumpsyms "$pdb" > /dev/null    # records the start-up cache if the build did not
dump=$(median_ms bin/dumpsyms "$pdb")
printf '%-44s %8s\n' "measurement (median of $runs runs)" "ms"
printf '%-44s %8d\n' "cat PDB" "$cat_ms"
printf '%-44s %8d\n' "java -version (JVM start-up)" "$jvm"
printf '%-44s %8d   %sx java -version\n' "dumpsyms PDB (whole .sym)" "$dump" "$(ratio "$dump" "$jvm")"
echo "--- in one JVM (java -cp bin/leakscope.jar bench/PdbLookup.java):"
java -cp bin/leakscope.jar bench/PdbLookup.java "$pdb" 1000000
