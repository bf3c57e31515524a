# resmon.dll under Wine (sourced by ../tests/run.sh with BUILD set and wine.sh loaded).
PLANTED="leak_malloc:heap:3:100 leak_heapalloc:heap:2:4000 leak_private_heap:heap:1:3000 leak_virtual:heap:1:65536 leak_calloc:heap:1:500 leak_realloc:heap:1:5000
leak_thread:thread:1 leak_event:sync:1 leak_open_event:sync:1 leak_file:handle:1 plugin_leak:heap:2:777 ucrt_leak:heap:1:555
ucrt_leak:heap:1:21"
# the plugins are loaded after start-up: patched because RESMON_MODULES names them
RESMON_MODULES="planted_plugin.dll;planted_ucrt.dll"
export RESMON_MODULES

# 1. linked: InstallResMon in main, the exit report from DllMain at process exit, also into RESMON_LOG; its
# RESMON_SNAPSHOT_DIR does not exist yet (it is created, parents too)
rm -rf "$BUILD/linked.log" "$BUILD/linked-snaps"
RESMON_LOG="$(win_path "$BUILD/linked.log")" RESMON_SNAPSHOT_DIR="$(win_path "$BUILD")\\linked-snaps\\a\\b" \
  WINEDEBUG=-all,+debugstr wine_run 120 "$BUILD/linked.out" "$BUILD/linked.err" "$BUILD/planted_linked.exe" || {
  echo "dll: planted_linked.exe failed ($?)"; cat "$BUILD/linked.err" >&2; exit 1; }
ls "$BUILD"/linked-snaps/a/b/resmon-*.rmt >/dev/null 2>&1 || {
  echo "dll: no table image in the RESMON_SNAPSHOT_DIR it had to create" >&2; exit 1; }
base=$(sed -n 's/^base //p' "$BUILD/linked.out" | tr -d '\r')
plugin=$(sed -n 's/^plugin //p' "$BUILD/linked.out" | tr -d '\r')
ucrt=$(sed -n 's/^ucrt //p' "$BUILD/linked.out" | tr -d '\r')
for output in "$BUILD/linked.err" "$BUILD/linked.log"; do
  python3 dll/check_report.py "$BUILD/planted_linked.exe" "$base" "$output" \
    --module "$BUILD/planted_plugin.dll:$plugin" --module "$BUILD/planted_ucrt.dll:$ucrt" $PLANTED
done
grep -q 'planted_linked.exe|resmon| threads used' "$BUILD/linked.err" || { echo "dll: no periodic usage line" >&2; exit 1; }
# a RESMON_SNAPSHOT_DIR that cannot be created (under a file): said in the log and on stderr
rm -f "$BUILD/nodir.log" && touch "$BUILD/a-file"
RESMON_LOG="$(win_path "$BUILD/nodir.log")" RESMON_SNAPSHOT_DIR="$(win_path "$BUILD/a-file")\\snaps" \
  wine_run 120 "$BUILD/nodir.out" "$BUILD/nodir.err" "$BUILD/planted_linked.exe" || {
  echo "dll: planted_linked.exe failed ($?)"; cat "$BUILD/nodir.err" >&2; exit 1; }
grep -q 'planted_linked.exe|resmon| snapshot failed: cannot create directory .*a-file\\snaps (' "$BUILD/nodir.log" \
  && grep -q 'resmon: cannot create RESMON_SNAPSHOT_DIR=.*a-file\\snaps (' "$BUILD/nodir.err" || {
  echo "dll: a RESMON_SNAPSHOT_DIR that cannot be created was not reported in the log and on stderr" >&2
  cat "$BUILD/nodir.log" "$BUILD/nodir.err" >&2; exit 1; }

# 2. stress: the table equals what the threads hold
wine_run 300 "$BUILD/stress.out" "$BUILD/stress.err" "$BUILD/stress.exe" 8 200000 || {
  echo "dll: stress failed"; cat "$BUILD/stress.out" "$BUILD/stress.err" >&2; exit 1; }
cat "$BUILD/stress.out" >&2

# 3. two heap snapshots on request (for leakdiff in CI's end-to-end checks)
rm -rf "$BUILD/growth" && mkdir -p "$BUILD/growth"
# (with a short interval and a low memory limit, so the periodic lines and a limit update show up too)
RESMON_SNAPSHOT_DIR="$(win_path "$BUILD/growth")" RESMON_INTERVAL_MS=20 RESMON_LIMIT_MEMORY=50000 \
  WINEDEBUG=-all,+debugstr wine_run 120 "$BUILD/growth.out" "$BUILD/growth.err" \
  "$BUILD/planted_growth.exe" || { echo "dll: planted_growth failed"; cat "$BUILD/growth.err" >&2; exit 1; }
grep -q 'planted_growth.exe|resmon| update memory limit: from 0x000000000000C350 to 0x' "$BUILD/growth.err" || {
  echo "dll: no memory limit update past RESMON_LIMIT_MEMORY=50000" >&2; grep 'resmon|' "$BUILD/growth.err" >&2; exit 1; }
grep -q 'planted_growth.exe|resmon| snapshot written ' "$BUILD/growth.err" || {
  echo "dll: the snapshot was not announced" >&2; exit 1; }
for n in 1 2; do
  ls "$BUILD"/growth/resmon-*-$n.umdh >/dev/null 2>&1 || { echo "dll: snapshot $n missing" >&2; exit 1; }
done
ls "$BUILD"/growth/resmon-*.rmt >/dev/null 2>&1 || { echo "dll: no table image at exit" >&2; exit 1; }
# 4. injected by resmon_client (no resmon calls in the program), whole stacks: the same report from the log,
# with the C runtime's start-up allocations (argv copies) left out, and stacks deeper than the call site
rm -rf "$BUILD/injected" && mkdir -p "$BUILD/injected"
RESMON_DEPTH=16 wine_run 120 "$BUILD/injected.out" "$BUILD/injected.err" "$BUILD/resmon_client.exe" \
  --out-dir "$(win_path "$BUILD/injected")" "$BUILD/planted_leaks.exe" one two || {
  echo "dll: resmon_client planted_leaks.exe failed"; cat "$BUILD/injected.err" >&2; exit 1; }
base=$(sed -n 's/^base //p' "$BUILD/injected.out" | tr -d '\r')
plugin=$(sed -n 's/^plugin //p' "$BUILD/injected.out" | tr -d '\r')
ucrt=$(sed -n 's/^ucrt //p' "$BUILD/injected.out" | tr -d '\r')
python3 dll/check_report.py "$BUILD/planted_leaks.exe" "$base" "$BUILD"/injected/resmon-*.log \
  --module "$BUILD/planted_plugin.dll:$plugin" --module "$BUILD/planted_ucrt.dll:$ucrt" $PLANTED
grep -qi "|resmon| module 0x0*$(echo "$plugin" | sed 's/^0*//') size [0-9]* .*planted_plugin.dll" "$BUILD"/injected/resmon-*.log || {
  echo "dll: no module line for planted_plugin.dll, loaded after start-up" >&2; exit 1; }
# the table image's module list (docs/formats/resmon-table.md 1.1): the program and the plugin loaded later at
# the bases they printed, with the CodeView ids, sizes and timestamps of their files (built with --build-id)
ls "$BUILD"/injected/resmon-*.rmt >/dev/null 2>&1 || { echo "dll: no table image in $BUILD/injected" >&2; exit 1; }
cp "$(ls "$BUILD"/injected/resmon-*.rmt | head -n 1)" "$BUILD/injected.rmt"
python3 ../tests/check_modules.py "$BUILD/injected.rmt" --loaded planted_leaks.exe="$BUILD/planted_leaks.exe" \
  --base planted_leaks.exe="$base" --loaded planted_plugin.dll="$BUILD/planted_plugin.dll" \
  --base planted_plugin.dll="$plugin" --late planted_plugin.dll --loaded resmon.dll --loaded kernel32.dll || {
  echo "dll: the table image's module list does not match the modules" >&2; exit 1; }
python3 - "$BUILD"/injected/resmon-*-1.umdh <<'PY'
import re, sys
stacks = re.findall(r"BackTrace[0-9A-F]+\n((?:\t[0-9A-F]+\n)+)", open(sys.argv[1]).read())
deepest = max(len(s.splitlines()) for s in stacks)
assert deepest >= 3, f"RESMON_DEPTH=16 gave stacks of at most {deepest} frames"
print(f"dll: exit snapshot has {len(stacks)} stacks, up to {deepest} frames")
PY
echo "dll: planted leaks (linked and injected), stress and snapshots passed" >&2

# 5. the planted C++ program (planted_cxx.cc), at -O1 and -O2, libstdc++ linked in and as libstdc++-6.dll:
# exactly the planted blocks at their planting functions (dll/check_cxx.py, from the table image), none of the
# runtime's one-time allocations, none of the freed ones. Injected by resmon_client without exceptions (a
# mingw-w64 C++ throw crashes under a debugger: planted_cxx.cc), and linked, installed from DllMain at load
# (RESMON_AUTOSTART=1, the same start-up as injected), throwing on four threads. Every build's files stay in
# $BUILD/cxx-results for the CLI checks: table image, log, heap snapshots (the linked run's before and at exit).
rm -rf "$BUILD/cxx-results" && mkdir -p "$BUILD/cxx-results"
for v in O1-static O2-static O1-shared O2-shared; do
  runtime=""
  case $v in *-shared) runtime="$BUILD/cxx-$v/libstdc++-6.dll" ;; esac
  out="$BUILD/cxx-$v/injected" && rm -rf "$out" && mkdir -p "$out"
  wine_run 120 "$out.out" "$out.err" "$BUILD/resmon_client.exe" --out-dir "$(win_path "$out")" \
    "$BUILD/cxx-$v/planted_cxx.exe" --expect --no-throw || {
    echo "dll: resmon_client cxx-$v/planted_cxx.exe failed"; cat "$out.err" >&2; exit 1; }
  # (the shared build's blocks are each recorded once: as many frees as the static build's, run before it)
  same=""
  case $v in *-shared) same="--same-frees $(ls "$BUILD/cxx-${v%-shared}-static/injected"/resmon-*.rmt)" ;; esac
  python3 dll/check_cxx.py "$out"/resmon-*.rmt "$BUILD/cxx-$v/planted_cxx.exe" "$out.out" "${v#*-}" $runtime $same
  linked="$BUILD/cxx-$v/linked" && rm -rf "$linked" && mkdir -p "$linked"
  RESMON_AUTOSTART=1 RESMON_SNAPSHOT_DIR="$(win_path "$linked")" RESMON_LOG="$(win_path "$linked/resmon.log")" \
    wine_run 120 "$linked.out" "$linked.err" "$BUILD/cxx-$v/planted_cxx_linked.exe" --expect || {
    echo "dll: cxx-$v/planted_cxx_linked.exe failed"; cat "$linked.err" >&2; exit 1; }
  python3 dll/check_cxx.py "$linked"/resmon-*.rmt "$BUILD/cxx-$v/planted_cxx_linked.exe" "$linked.out" "${v#*-}" \
    $runtime
  ls "$linked"/resmon-*-1.umdh "$linked"/resmon-*-2.umdh >/dev/null || {
    echo "dll: cxx-$v: no snapshot before the leaks and at exit" >&2; exit 1; }
  cp "$(ls "$out"/resmon-*.rmt)" "$BUILD/cxx-results/injected-$v.rmt"
  cp "$(ls "$out"/resmon-*.log)" "$BUILD/cxx-results/injected-$v.log"
  cp "$(ls "$linked"/resmon-*-1.umdh)" "$BUILD/cxx-results/linked-$v-before.umdh"
  cp "$(ls "$linked"/resmon-*-2.umdh)" "$BUILD/cxx-results/linked-$v-exit.umdh"
  cp "$linked/resmon.log" "$BUILD/cxx-results/linked-$v.log"
  cp "$out.out" "$BUILD/cxx-results/injected-$v.expect"
  cp "$linked.out" "$BUILD/cxx-results/linked-$v.expect"
done
echo "dll: planted C++ leaks (4 builds, injected and linked) passed" >&2

# 6. operator new and delete of the MSVC runtime, as msvcrt.dll exports them (planted_msvcnew.c imports them
# by their decorated names): the blocks of new and new[] typed and at their call site, the deleted ones gone
out="$BUILD/msvcnew" && rm -rf "$out" && mkdir -p "$out"
wine_run 120 "$out.out" "$out.err" "$BUILD/resmon_client.exe" --out-dir "$(win_path "$out")" \
  "$BUILD/planted_msvcnew.exe" --expect || {
  echo "dll: resmon_client planted_msvcnew.exe failed"; cat "$out.err" >&2; exit 1; }
python3 dll/check_cxx.py "$out"/resmon-*.rmt "$BUILD/planted_msvcnew.exe" "$out.out" shared
