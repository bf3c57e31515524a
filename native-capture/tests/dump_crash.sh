#!/bin/sh
# planted_crash run under lldb-19, which writes a minidump at the SIGSEGV (lldb's writer records each module's
# first segment only: dumpscan sizes modules from the dump's LinuxMaps stream). .ci/run walks its stack with
# dumpscan: crash_in_parser <- parse_config <- main, each at its source line.
# usage: tests/dump_crash.sh BUILD_DIR OUT.dmp
set -u
build=$1
dump=$2
lldb=$(command -v lldb-19 || command -v lldb || true)
if [ -z "$lldb" ]; then
  if [ -n "${CI:-}" ] && [ "${CI}" != false ]; then
    echo "dump_crash.sh: lldb-19 is not installed and CI is set: the crash-dump test cannot be skipped" >&2
    exit 1
  fi
  echo "dump_crash.sh: lldb-19 is not installed: crash-dump test SKIPPED (no $dump)" >&2
  exit 0
fi
rm -f "$dump"
timeout 120 "$lldb" -b -o "process launch" -k "process save-core --plugin-name=minidump --style=full $dump" \
  -k "process kill" -- "$build/planted_crash" "$build/crash-dump.sites" > "$build/lldb-crash.out" 2>&1 || true
[ -s "$dump" ] || { echo "dump_crash.sh: lldb wrote no dump:" >&2; cat "$build/lldb-crash.out" >&2; exit 1; }
echo "dump_crash.sh: $dump ($(wc -c < "$dump") bytes)"
