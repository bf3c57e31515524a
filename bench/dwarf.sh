#!/usr/bin/env bash
# DWARF reading cost, with same-run baselines. Builds its inputs under bench/out/dwarf once (g++ -g -O2 on
# generated C++ with templates and inlined calls, the objects copied under other symbol names with
# objcopy --prefix-symbols and linked into shared objects: about 10 minutes on 2 cores):
#   big.so    ~300 MB of DWARF; big-noaranges.so the same without .debug_aranges (clang writes none)
#   huge.so   ~2 GB file
# Then: open + first lookup of each beside `cat FILE > /dev/null`; 1,000,000 addresses drawn uniformly over
# big.so's code resolved in one JVM beside `addr2line -f -i -C -e big.so` resolving the same list (then again in
# one JVM, units cached: the per-lookup cost); and our function, file:line and inline frames compared with
# addr2line's on the first SAMPLE addresses.
# Usage: bench/dwarf.sh [RUNS] [SAMPLE]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
sample=${2:-20000}
n=1000000
out=bench/out/dwarf
mkdir -p "$out"
[ -f bin/leakscope.jar ] || mvn -q package -DskipTests
. bench/lib.sh
# compiled once, so that the whole-JVM times below hold no javac run
mkdir -p "$out/classes" && javac -nowarn -cp bin/leakscope.jar -d "$out/classes" bench/DwarfLookup.java
lookup() { java ${BENCH_JAVA_OPTS:-} -cp "bin/leakscope.jar:$out/classes" DwarfLookup "$@"; }

units=4 funcs=1000 big_copies=50 huge_copies=290
if [ ! -f "$out/unit000.o" ]; then
  echo "compiling $units generated translation units (g++ -g -O2)..."
  python3 bench/make_dwarf_source.py "$out/src" "$units" "$funcs"
  ls "$out"/src/*.cc | xargs -P 2 -I{} sh -c 'g++ -g -O2 -fPIC -c "$1" -o "'"$out"'/$(basename "$1" .cc).o"' _ {}
fi
# COPIES copies of every unit object under their own symbol prefix, linked into one shared object
link() {
  local so=$1 copies=$2 tmp="$out/copies"
  [ -f "$so" ] && return
  echo "linking $so ($copies copies of $units units)..."
  rm -rf "$tmp" && mkdir -p "$tmp"
  for c in $(seq "$copies"); do
    for o in "$out"/unit*.o; do objcopy --prefix-symbols="c${c}_" "$o" "$tmp/c${c}_$(basename "$o")"; done
  done
  ls "$tmp"/*.o > "$tmp/list"
  gcc -shared -nostdlib -o "$so" @"$tmp/list"
  rm -rf "$tmp"
}
big=$out/big.so huge=$out/huge.so bare=$out/big-noaranges.so
link "$big" "$big_copies"
link "$huge" "$huge_copies"
[ -f "$bare" ] || objcopy --remove-section .debug_aranges "$big" "$bare"
[ -f "$out/addrs.txt" ] || { nm -S --defined-only "$big" > "$out/big.nm"; lookup sample "$out/big.nm" "$n" "$out/addrs.txt"; }
[ -f "$out/huge.addr" ] || nm -S --defined-only "$huge" | awk '$3 == "T" { print "0x" $1; exit }' > "$out/huge.addr"

dwarf_mb() {   # the .debug_* sections' sizes (readelf prints them in hex)
  local sum=0 x
  for x in $(readelf -S -W "$1" | awk '$2 ~ /^\.debug_/ { print $6 }'); do sum=$(( sum + 16#$x )); done
  echo $(( sum >> 20 ))
}
for f in "$big:$big_copies" "$bare:$big_copies" "$huge:$huge_copies"; do
  printf '%-18s %6d MiB file, %5d MiB of DWARF, %5d compile units\n' "$(basename "${f%:*}")" \
    $(( $(stat -c %s "${f%:*}") >> 20 )) "$(dwarf_mb "${f%:*}")" $(( units * ${f#*:} ))
done
cat "$big" "$bare" "$huge" > /dev/null   # page cache warm for every measurement below

echo "--- open (DwarfSymbols.open) and first lookup (indexes the units), one JVM per run, page cache warm:"
first=$(head -1 "$out/addrs.txt")
for r in $(seq "$runs"); do
  lookup open "$huge" "$(cat "$out/huge.addr")"   # alone: the JVM's first file, classes cold
  lookup open "$big" "$first" "$bare" "$first" "$huge" "$(cat "$out/huge.addr")"
done
printf '%-44s %8s\n' "baseline (median of $runs runs)" "ms"
for f in "$big" "$huge"; do printf '%-44s %8d\n' "cat $(basename "$f") > /dev/null" "$(median_ms cat "$f")"; done
printf '%-44s %8d\n' "java -version (JVM start-up)" "$(median_ms java -version)"

echo "--- $n addresses uniform over big.so's code:"
for r in $(seq "$runs"); do
  t0=$(date +%s%N)
  addr2line -f -i -C -e "$big" < "$out/addrs.txt" > "$out/a2l.txt"
  t1=$(date +%s%N)
  a2l_ms=$(( (t1 - t0) / 1000000 ))
  t0=$(date +%s%N)
  ours=$(lookup lookup "$big" "$out/addrs.txt")
  t1=$(date +%s%N)
  ours_ms=$(( (t1 - t0) / 1000000 ))
  echo "run $r: addr2line -f -i -C $a2l_ms ms; leakscope (whole JVM, one pass) $ours_ms ms =" \
    "$(ratio "$ours_ms" "$a2l_ms")x addr2line"
  echo "$ours" | sed 's/^/       /'
done
echo "--- the same addresses again in the same JVM, every unit cached (per-lookup cost):"
lookup lookup "$big" "$out/addrs.txt" 2 | sed 's/^/       /'
head -"$sample" "$out/addrs.txt" > "$out/sample.txt"
addr2line -a -f -i -C -e "$big" < "$out/sample.txt" > "$out/a2l-sample.txt"
lookup compare "$big" "$out/sample.txt" "$out/a2l-sample.txt"
