#!/bin/sh
# End to end through the Java tools: e2e.sh BUILD_DIR REPO_ROOT (BUILD_DIR holds resmon_client.exe, resmon.dll
# and crash_target.exe; REPO_ROOT has the built bin/logscan and bin/dumpscan). Runs the crash target under
# resmon_client.exe twice under Wine and checks that
#   - bin/logscan reads the client's log and finds the target's run;
#   - bin/dumpscan --resmon lists exactly the planted resources (a malloc block in leak_malloc_block, a HeapAlloc
#     block in leak_heap_block, an event in leak_event) from the normal dump's user stream;
#   - the full-memory dump without the stream yields the same list by memory scan;
#   - bin/dumpscan walks the crashing thread of both dumps from crash_now up to main, by name, and in the full
#     dump unwinds Wine's kernel32.dll by the unwind data of its image in the dump's memory.
set -eu
[ $# -eq 2 ] || { echo "usage: e2e.sh BUILD_DIR REPO_ROOT" >&2; exit 2; }
BUILD="$(cd "$1" && pwd)"
REPO="$(cd "$2" && pwd)"
HERE="$(cd "$(dirname "$0")" && pwd)"
export BUILD
. "$HERE/../tests/wine.sh"
E="$BUILD/client-e2e"
rm -rf "$E"
mkdir -p "$E/normal" "$E/full"
fail() { echo "client e2e: $*" >&2; exit 1; }
wine_start
trap wine_stop EXIT

run_client() { # DIR args...
  _d="$1"; shift
  _rc=0
  wine_run 120 "$_d.out" "$_d.err" "$BUILD/resmon_client.exe" --out-dir "$(win_path "$_d")" "$@" \
    "$BUILD/crash_target.exe" || _rc=$?
  cat "$_d.err" >&2
  [ "$_rc" -eq 123 ] || fail "resmon_client.exe $*: exit $_rc, expected 123 (crashed, dump written)"
}
run_client "$E/normal"
run_client "$E/full" --dump full --no-table-stream
log=$(ls "$E/normal"/resmon-*.log | head -n 1)
ndump="${log%.log}.dmp"
fdump=$(ls "$E/full"/resmon-*.dmp | head -n 1)
pid=$(basename "$log" .log); pid=${pid#resmon-}

rc=0
"$REPO/bin/logscan" "$log" >"$E/logscan.txt" 2>"$E/logscan.err" || rc=$?
cat "$E/logscan.txt" "$E/logscan.err" >&2
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "bin/logscan $log: exit $rc"
grep -q "crash_target.exe \[$pid\]" "$E/logscan.txt" || fail "bin/logscan did not find the run of crash_target.exe [$pid]"

for d in "$ndump" "$fdump"; do
  rc=0
  "$REPO/bin/dumpscan" "$d" --resmon --top 0 >"$d.txt" 2>"$d.err" || rc=$?
  "$REPO/bin/dumpscan" "$d" --resmon --top 0 --json >"$d.json" 2>>"$d.err" || rc=$?
  echo "== bin/dumpscan $d --resmon" >&2
  cat "$d.txt" "$d.err" >&2
  [ "$rc" -eq 0 ] || fail "bin/dumpscan $d --resmon: exit $rc"
done

# the crash's call stack by name, from the faulting function up to main, in order (issue 17): the walker unwinds
# crash_target.exe by its .pdata/.xdata and names frames from its symbol table, found at the dump's module path
for d in "$ndump" "$fdump"; do
  rc=0
  "$REPO/bin/dumpscan" "$d" --json >"$d.stacks.json" 2>"$d.stacks.err" || rc=$?
  [ "$rc" -eq 0 ] || { cat "$d.stacks.err" >&2; fail "bin/dumpscan $d --json: exit $rc"; }
  python3 - "$d.stacks.json" <<'PY' || fail "bin/dumpscan $d: the crashing thread's stack is not crash_now, main"
import json, sys
dump = json.load(open(sys.argv[1]))["dumps"][0]
crashed = [t for t in dump["threads"] if t["crashed"]]
frames = [(f["module"], f["function"], f["trust"]) for f in crashed[0]["frames"]] if crashed else []
want = [("crash_target.exe", "crash_now", "context"), ("crash_target.exe", "main", "cfi")]
if frames[:2] != want:
    print("client e2e: crashing thread's frames %s, expected %s first" % (frames, want), file=sys.stderr)
    sys.exit(1)
if not dump["crashSignature"].startswith("crash_target.exe!crash_now | crash_target.exe!main"):
    print("client e2e: crash signature %r" % dump["crashSignature"], file=sys.stderr)
    sys.exit(1)
print("client e2e: %s: crash_now <- main <- %s" % (sys.argv[1], " <- ".join(str(f[1]) for f in frames[2:4])),
      file=sys.stderr)
PY
done

# Wine's DLLs have no file here (their paths are C:\windows\system32\...): the full-memory dump holds their images,
# so the walker unwinds kernel32.dll by the x64 unwind data in the dump's memory and finds its caller (ntdll.dll's
# thread start) by cfi, where the normal dump, without images, can only scan for it
python3 - "$fdump.stacks.json" "$ndump.stacks.json" <<'PY' || fail "kernel32.dll's caller in the full dump is not found by cfi from the dump's memory"
import json, sys
def after_kernel32(path):
    dump = json.load(open(path))["dumps"][0]
    frames = [t for t in dump["threads"] if t["crashed"]][0]["frames"]
    k = [i for i, f in enumerate(frames) if f["module"] == "kernel32.dll"]
    return (frames[k[0] + 1]["module"], frames[k[0] + 1]["trust"]) if k and k[0] + 1 < len(frames) else None
full, normal = after_kernel32(sys.argv[1]), after_kernel32(sys.argv[2])
print("client e2e: kernel32.dll's caller: full dump %s, normal dump %s" % (full, normal), file=sys.stderr)
sys.exit(0 if full == ("ntdll.dll", "cfi") else 1)
PY

# the planted functions' address ranges, from the exe's symbols (mingw's nm)
NM="${MINGW:-x86_64-w64-mingw32-}nm"
"$NM" "$BUILD/crash_target.exe" >"$E/symbols.txt" || fail "$NM cannot read crash_target.exe's symbols"

python3 - "$ndump.json" "$fdump.json" "$E/symbols.txt" <<'PY'
import json, sys

def fail(msg):
    print("client e2e: " + msg, file=sys.stderr)
    sys.exit(1)

symbols = sorted((int(f[0], 16), f[2]) for f in (l.split() for l in open(sys.argv[3])) if len(f) == 3 and f[1] in "Tt")
def function(address):
    best = None
    for start, name in symbols:
        if start <= address:
            best = name
    return best

def table(path, found_in):
    doc = json.load(open(path))
    tables = [t for i in doc["inputs"] for t in i["tables"]]
    if len(tables) != 1:
        fail("%s: %d tables, expected 1" % (path, len(tables)))
    t = tables[0]
    if found_in is not None and t.get("foundIn") != found_in:
        fail("%s: table found in %r, expected %r" % (path, t.get("foundIn"), found_in))
    return t

def sites(t):
    # by call site within the module (rebasing moves addresses, not module offsets)
    return sorted((s["kind"], tuple(s["subtypes"]), s["count"], s["bytes"], tuple(f["text"] for f in s["frames"]))
                  for s in t["sites"])

normal = table(sys.argv[1], "user-stream")
full = table(sys.argv[2], None)
if full.get("foundIn") == "user-stream":
    fail("the full dump's table came from a user stream, but it was written without one")
if sites(normal) != sites(full):
    fail("the user stream and the memory scan disagree:\n  stream: %s\n  scan:   %s" % (sites(normal), sites(full)))

want = {("heap_block", "malloc", 4096, "leak_malloc_block"), ("heap_block", "HeapAlloc", 1000, "leak_heap_block"),
        ("sync_object", "event", 0, "leak_event")}
got = set()
for s in normal["sites"]:
    where = function(int(s["frames"][0]["address"], 16)) if s["frames"] else None
    for sub in s["subtypes"]:
        got.add((s["kind"], sub, s["bytes"] // max(s["count"], 1) if s["kind"] == "heap_block" else 0, where))
missing = want - got
if missing:
    fail("planted resources missing from the table: %s (found %s)" % (sorted(missing), sorted(got)))
others = sorted(g for g in got if g not in want)
if others:
    # the C runtime's start-up allocations (mingw's argv copies) are resmon.dll's baseline, not leaks
    fail("resources beyond the planted ones: %s" % others)
print("client e2e: exactly the planted resources, at their call sites, in the stream and by scan", file=sys.stderr)
PY
echo "client e2e: passed" >&2
