#!/bin/sh
# A full-memory minidump of a running process under libresmon.so, written by lldb-19
# (process save-core --plugin-name=minidump --style=full; Debian's lldb 14 cannot), for dumpscan --resmon to
# find the table in by scanning (.ci/run reads it). Without lldb-19 it fails under CI=true (CI installs it) and
# is skipped with a message elsewhere; OUT.dmp is deleted first either way, so a stale dump never passes.
# usage: tests/dump_live.sh BUILD_DIR OUT.dmp
set -eu
build=$1
dump=$2
rm -f "$dump"
lldb=$(command -v lldb-19 || true)
if [ -z "$lldb" ]; then
  if [ -n "${CI:-}" ]; then
    echo "dump_live.sh: lldb-19 is not installed and CI is set: the live-dump test cannot be skipped" >&2
    exit 1
  fi
  echo "dump_live.sh: lldb-19 is not installed: live-dump test SKIPPED (no $dump)" >&2
  exit 0
fi
ready=$(mktemp -u)
LD_PRELOAD="$PWD/$build/libresmon.so" RESMON_LOG=/dev/null "$build/planted_wait" "$ready" &
pid=$!
i=0
while [ ! -f "$ready" ] && [ $i -lt 100 ]; do
  sleep 0.1
  i=$((i + 1))
done
[ -f "$ready" ] || { kill "$pid"; echo "dump_live.sh: planted_wait did not start" >&2; exit 1; }
rm -f "$ready"
timeout 120 "$lldb" -b -p "$pid" -o "process save-core --plugin-name=minidump --style=full $dump" \
  -o "process detach" > "$build/lldb.out" 2>&1 || true
kill "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
[ -s "$dump" ] || { echo "dump_live.sh: lldb wrote no dump:" >&2; cat "$build/lldb.out" >&2; exit 1; }
echo "dump_live.sh: $dump ($(wc -c < "$dump") bytes)"
