# resmon_client.exe under Wine. Sourced by tests/run.sh (BUILD set, tests/wine.sh sourced, set -eu, cwd
# native-capture/windows). With resmon.dll built beside the client, the table checks run too.
CT="$BUILD/client-test"
CLIENT="$BUILD/resmon_client.exe"
TARGET="$BUILD/crash_target.exe"
rm -rf "$CT"
mkdir -p "$CT"

ct_fail() {
  echo "client test: $*" >&2
  for f in "$CT"/*.err; do [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }; done
  exit 1
}
# the table copy against damaged tables (loops, absurd counts, bad links, 2,000 bit flips)
rc=0
wine_run 300 "$CT/table_copy.out" "$CT/table_copy.err" "$BUILD/table_copy_test.exe" 2000 || rc=$?
cat "$CT/table_copy.out" >&2
[ "$rc" -eq 0 ] || ct_fail "table_copy_test.exe failed ($rc)"

# ct_run NAME SECONDS args...: runs the client, its exit status in $rc, output in $CT/NAME.out/.err
ct_run() {
  _n="$1"; _s="$2"; shift 2
  rc=0
  wine_run "$_s" "$CT/$_n.out" "$CT/$_n.err" "$CLIENT" "$@" || rc=$?
}
# the one log of a run directory
ct_log() { ls "$1"/resmon-*.log 2>/dev/null | head -n 1; }
# every line SEQ<TAB>SECONDS<TAB>[pid] message, the sequence counting from 1
ct_check_log_layout() {
  awk -F '\t' -v f="$1" '
    { sub(/\r$/, "") }
    $1 !~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]+$/ || $1 + 0 != NR || $2 !~ /^[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/ || $3 !~ /^\[[0-9]+\] / || NF != 3 {
      print "client test: " f " line " NR " is not SEQ<TAB>SECONDS<TAB>[pid] message: " $0 > "/dev/stderr"; bad = 1 }
    END { exit bad }' "$1" || ct_fail "log layout"
}

have_dll=
if [ -f "$BUILD/resmon.dll" ]; then have_dll=1; else
  echo "client test: $BUILD/resmon.dll not built: checking without the tracker (no |resmon| lines, no table)" >&2
fi

# usage
ct_run help 30 --help
[ "$rc" -eq 0 ] && grep -q 'Exit status' "$CT/help.out" || ct_fail "--help: exit $rc"
for bad in "--dump huge $TARGET" "--bogus $TARGET" "--snapshot-every -1 $TARGET" "--out-dir" ""; do
  # shellcheck disable=SC2086 # the words are the arguments
  ct_run usage 30 $bad
  [ "$rc" -eq 2 ] || ct_fail "bad arguments '$bad': exit $rc, expected 2"
done
ct_run nosnap 30 --snapshot 4000000000
[ "$rc" -eq 1 ] || ct_fail "--snapshot of a process without resmon: exit $rc, expected 1"

# a crash: normal dump with the table stream
mkdir -p "$CT/crash"
t0=$(date +%s.%N)
ct_run crash 60 --out-dir "$(win_path "$CT/crash")" "$TARGET"
t1=$(date +%s.%N)
[ "$rc" -eq 123 ] || ct_fail "crash run: exit $rc, expected 123 (crashed, dump written)"
log=$(ct_log "$CT/crash"); dump="${log%.log}.dmp"
[ -n "$log" ] && [ -f "$dump" ] || ct_fail "crash run: no log or dump in $CT/crash: $(ls "$CT/crash")"
! ls "$CT/crash" | grep -q '\.tmp$' || ct_fail "crash run left a .tmp file"
grep -q 'crash dump: ' "$CT/crash.err" && grep -q 'log: ' "$CT/crash.err" || ct_fail "crash run: dump and log paths not printed"
ct_check_log_layout "$log"
cr=$(printf '\r')
grep -q "	\[[0-9]*\] crash_target: two lines$cr\$" "$log" && grep -q "	\[[0-9]*\] in one debug string$cr\$" "$log" \
  || ct_fail "a two-line debug string is not two records"
grep -q 'crash_target: wide string é' "$log" || ct_fail "OutputDebugStringW not in the log as UTF-8"
if [ -n "$have_dll" ]; then
  grep -q '\] crash_target\.exe|resmon| ' "$log" || ct_fail "no |resmon| lines in $log"
  python3 client/check_dump.py "$dump" --table >"$CT/crash.check" || ct_fail "normal dump: table stream check"
else
  python3 client/check_dump.py "$dump" --no-table >"$CT/crash.check" || ct_fail "normal dump check"
fi
echo "client test: crash -> $(wc -c <"$dump") byte normal dump, $(wc -l <"$log") log lines, $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s" >&2

# a crash: full dump without the table stream
mkdir -p "$CT/full"
ct_run full 120 --dump full --no-table-stream --out-dir "$(win_path "$CT/full")" "$TARGET"
[ "$rc" -eq 123 ] || ct_fail "full-dump run: exit $rc, expected 123"
fdump="$(ct_log "$CT/full")"; fdump="${fdump%.log}.dmp"
[ -f "$fdump" ] || ct_fail "full-dump run: no dump"
python3 client/check_dump.py "$fdump" --no-table >"$CT/full.check" || ct_fail "full dump: has a table stream"
[ "$(wc -c <"$fdump")" -gt "$(wc -c <"$dump")" ] || ct_fail "the full dump is not larger than the normal one"
echo "client test: full dump $(wc -c <"$fdump") bytes" >&2

# normal exits: the target's code comes back; --log puts the log elsewhere
mkdir -p "$CT/exit"
ct_run exit0 60 --out-dir "$(win_path "$CT/exit")" --log "$(win_path "$CT/exit")\\mine.log" "$TARGET" exit
[ "$rc" -eq 0 ] || ct_fail "normal exit: exit $rc, expected 0"
[ -f "$CT/exit/mine.log" ] || ct_fail "--log: no $CT/exit/mine.log"
! ls "$CT/exit" | grep -q '\.dmp' || ct_fail "a dump was written for a normal exit"
ct_run exit7 60 --out-dir "$(win_path "$CT/exit")" "$TARGET" exit 7
[ "$rc" -eq 7 ] || ct_fail "exit 7: exit $rc"

if [ -n "$have_dll" ]; then
  # snapshots every 0.3 s while the target sleeps 1.5 s
  mkdir -p "$CT/every"
  ct_run every 60 --snapshot-every 0.3 --out-dir "$(win_path "$CT/every")" "$TARGET" wait 1500
  [ "$rc" -eq 0 ] || ct_fail "--snapshot-every: exit $rc"
  n=$(grep -c '|resmon| snapshot written ' "$(ct_log "$CT/every")" || true)
  [ "$n" -ge 2 ] && ls "$CT/every"/*.umdh >/dev/null 2>&1 || ct_fail "--snapshot-every: $n snapshots written"

  # --snapshot PID from a second client while the first runs the target
  mkdir -p "$CT/once"
  rc=0
  timeout -k 5 60 "$WINE" "$CLIENT" --out-dir "$(win_path "$CT/once")" "$TARGET" wait 4000 \
    >"$CT/once.out" 2>"$CT/once.err" </dev/null &
  bg=$!
  pid=
  for _ in $(seq 50); do
    pid=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$CT/once.err" 2>/dev/null | head -n 1)
    [ -n "$pid" ] && grep -q '|resmon| ' "$CT/once"/resmon-*.log 2>/dev/null && break
    sleep 0.1
  done
  [ -n "$pid" ] || ct_fail "--snapshot: the first client did not say the target's pid"
  ct_run snapone 30 --snapshot "$pid"
  wait "$bg" || ct_fail "the client running the target for --snapshot failed: exit $?"
  [ "$rc" -eq 0 ] || ct_fail "--snapshot $pid: exit $rc"
  grep -q '|resmon| snapshot written ' "$(ct_log "$CT/once")" || ct_fail "--snapshot $pid: no snapshot written"
fi
echo "client test: passed" >&2
