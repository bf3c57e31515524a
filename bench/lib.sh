# Shared by the bench scripts: timing, ratios and the triage fleet folder. Source it; median_ms needs $runs set.

# "MEDIAN MIN MAX" wall time in milliseconds of "$@" over $runs runs (output discarded): the spread beside the median
spread_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  median_min_max "${times[@]}"
}

# "MEDIAN MIN MAX" of the numbers given
median_min_max() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'
}

# median wall time in milliseconds of "$@" over $runs runs (output discarded)
median_ms() {
  local m
  read -r m _ <<< "$(spread_ms "$@")"
  echo "$m"
}

# "MEDIAN_A MIN_A MAX_A MEDIAN_B MIN_B MAX_B", wall ms of two commands given as A... -- B..., run alternately
# $runs times each (output discarded). Two blocks of runs one after the other can land in different minutes of a
# VM whose speed changes from minute to minute (a 6 GiB dump against a 60 MiB one: 0.96x-1.23x the same day);
# alternating, both medians see the same minutes.
paired_ms() {
  local a=() b=() in_b=0 x t0 t1 ta=() tb=()
  for x in "$@"; do
    if [ "$in_b" = 0 ] && [ "$x" = -- ]; then in_b=1; elif [ "$in_b" = 0 ]; then a+=("$x"); else b+=("$x"); fi
  done
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N); "${a[@]}" > /dev/null 2>&1; t1=$(date +%s%N); ta+=($(( (t1 - t0) / 1000000 )))
    t0=$(date +%s%N); "${b[@]}" > /dev/null 2>&1; t1=$(date +%s%N); tb+=($(( (t1 - t0) / 1000000 )))
  done
  echo "$(median_min_max "${ta[@]}") $(median_min_max "${tb[@]}")"
}

# over $runs runs of "$@": "WALL_MS CPU_MS MIN-MAX" for the run of median wall time (CPU = user + system of that
# run), and the spread of the wall times
median_wall_cpu() {
  local rows=() t
  t=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$t" -f '%e %U %S' "$@" > /dev/null 2>&1
    rows+=("$(awk '{ printf "%d %d", $1 * 1000, ($2 + $3) * 1000 }' "$t")")
  done
  rm -f "$t"
  printf '%s\n' "${rows[@]}" | sort -n |
    awk '{ a[NR] = $0; w[NR] = $1 } END { print a[int((NR + 1) / 2)], w[1] "-" w[NR] }'
}

# a / b with the given number of decimals (default 2)
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%.*f", d, a / b }'; }

# The fleet folder of bench/triage.sh and bench/spark.sh: NDUMPS distinct copies of the corpus dumps and the bundled
# sample, NLOGS copies of the testdata logs (bench/make_triage_folder.py); made once, kept; prints its path.
triage_folder() {
  local out=bench/out/triage-$1-$2 sources
  if [ ! -d "$out" ]; then
    mapfile -t sources < <( (find ../shared/corpus -name '*.dmp' -not -path '*/malformed/*' 2>/dev/null; \
        echo testdata/minidump/sample.dmp) | sort)
    mkdir -p "$out.tmp"
    python3 bench/make_triage_folder.py "$out.tmp" "$1" "$2" "${sources[@]}" -- testdata/dbgview/*.log >&2
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}
