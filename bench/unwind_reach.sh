#!/usr/bin/env bash
# How often a recorded stack reaches the program's own code, per RESMON_BACKTRACE mode: three of the native
# tests' programs (C, built with frame pointers; planted_runtime is left out: with RESMON_SNAPSHOT_DIR set its
# exit crashes, on main too), tests/unwind_cxx (C++, -O2 -fomit-frame-pointer), bench/cxx_churn.cc (C++,
# g++ -O2, four threads, every 64th object leaked as a sample) and planted_cxx_O1/O2 where the build has them.
# Counted over the heap blocks of each run's exit snapshot: with a frame in the executable, and with one in
# main (blocks allocated on other threads reach their thread function, not main).
# Usage: bench/unwind_reach.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/reach
rm -rf "$out"
mkdir -p "$out"
make -s -C native-capture all
b=native-capture/build
g++ -O2 -g -o bench/out/cxx_churn bench/cxx_churn.cc -lpthread
lib="$PWD/$b/libresmon.so"
spans=$(nm -S "$b/unwind_cxx" | awk '$4 == "_Z10keep_alivev" { k = $1 " " $2 } $4 == "main" { m = $1 " " $2 }
  END { print k, m }')

run() { # NAME MODE PROGRAM ARGS...: one run, its exit snapshot counted
  local name=$1 mode=$2 dir="$out/$1-$2"
  shift 2
  mkdir -p "$dir"
  local args=()
  for a in "$@"; do
    args+=("${a/@DIR/$dir}") # a program told where its snapshots go
  done
  RESMON_LOG=/dev/null RESMON_SNAPSHOT_DIR="$dir" RESMON_BACKTRACE=$mode LD_PRELOAD="$lib" "${args[@]}" \
    > /dev/null 2>&1 || true
  python3 bench/unwind_reach.py "$1" "$(ls -v "$dir"/resmon-*.umdh | tail -n1)" # the exit snapshot: the last
}

progs=("planted_leaks:$b/planted_leaks" "planted_growth:$b/planted_growth" "stress 8x20000:$b/stress 8 20000"
       "unwind_cxx (-O2, no fp):$b/unwind_cxx $spans" "cxx_churn (g++ -O2):bench/out/cxx_churn 20000")
for o in O1 O2; do # the planted C++ program, where the build has it
  [ ! -x "$b/planted_cxx_$o" ] || progs+=("planted_cxx_$o:$b/planted_cxx_$o @DIR")
done
printf '%-28s %-10s %7s %12s %12s\n' program mode blocks "in program" "in main"
for mode in fp cfi libunwind; do
  for prog in "${progs[@]}"; do
    name=${prog%%:*}
    read -r blocks exe main < <(run "$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_')" "$mode" ${prog#*:})
    printf '%-28s %-10s %7d %11.1f%% %11.1f%%\n' "$name" "$mode" "$blocks" \
      "$(awk -v a="$exe" -v b="$blocks" 'BEGIN { print b ? 100 * a / b : 0 }')" \
      "$(awk -v a="$main" -v b="$blocks" 'BEGIN { print b ? 100 * a / b : 0 }')"
  done
done
