#!/usr/bin/env bash
# resmon.dll's cost under Wine on bench/alloc_workload.c (malloc/free at a call depth of about 20), measured
# in the same run: the program alone; under resmon_client with resmon.dll injected, keeping the call site
# (RESMON_DEPTH=1, the default) and whole stacks (RESMON_DEPTH=16, RtlCaptureStackBackTrace). Wine's start-up
# is in every figure; it is measured alone too and taken off ("net"). Whole stacks are expensive under Wine,
# whose RtlCaptureStackBackTrace unwinds every frame through its function tables (frame pointers cannot stand
# in: 64-bit gcc and MSVC code does not chain rbp). Figures on real Windows will differ.
# Usage: bench/wine_tracker.sh [RUNS]      WINE_BENCH_OPS=2000000 by default. Needs mingw-w64 and wine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
ops=${WINE_BENCH_OPS:-2000000}
out="$PWD/bench/out"
mkdir -p "$out/wine-snaps"
. bench/lib.sh

make -s -C native-capture/windows ../build/windows/resmon_client.exe ../build/windows/resmon.dll
x86_64-w64-mingw32-gcc -O2 -g -fno-omit-frame-pointer -o "$out/alloc_workload.exe" bench/alloc_workload.c
export WINEPREFIX="$out/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wineboot -i > /dev/null 2>&1 < /dev/null || true
wineserver -p > /dev/null 2>&1 < /dev/null || true
trap 'wineserver -k > /dev/null 2>&1 || true' EXIT
client="$PWD/native-capture/build/windows/resmon_client.exe"
snaps="Z:$(echo "$out/wine-snaps" | tr / '\\')"
work="$out/alloc_workload.exe"

startup=$(median_ms wine "$work" 0)
plain=$(median_ms wine "$work" "$ops")
d1=$(median_ms env RESMON_DEPTH=1 wine "$client" --out-dir "$snaps" "$work" "$ops")
d16=$(median_ms env RESMON_DEPTH=16 wine "$client" --out-dir "$snaps" "$work" "$ops")
rm -rf "$out/wine-snaps"

net() { echo $(( $1 - startup )); }
echo "resmon.dll under Wine: $ops malloc/free pairs, median of $runs runs (Wine start-up alone: ${startup} ms)"
printf '  %-34s %8s ms  %8s ms net  %s\n' "program alone" "$plain" "$(net "$plain")" "1.00x"
printf '  %-34s %8s ms  %8s ms net  %sx\n' "resmon_client, call site" "$d1" "$(net "$d1")" "$(ratio "$(net "$d1")" "$(net "$plain")")"
printf '  %-34s %8s ms  %8s ms net  %sx\n' "resmon_client, 16-frame stacks" "$d16" "$(net "$d16")" "$(ratio "$(net "$d16")" "$(net "$plain")")"
