#!/usr/bin/env python3
"""Checks libresmon.so's exit report in a log against what a planted program left, exactly.

check_report.py PROGRAM LOG [EXPECT...]
  LOG: the RESMON_LOG of one run of PROGRAM; its module lines place the return addresses (and must carry the
  build ids of their files, as readelf -n prints them), the last exit report is read.
  EXPECT: function:kind:count[:size] (kind heap|thread|sync|handle; size = bytes per block), as printed by
  `planted_leaks --expect`. None: the report must be empty.
Every record of the report must be from a function of PROGRAM that an expectation names (a record from
another module, e.g. libc's, is a failure), and every expectation must be met exactly; prints what differs and
exits 1 otherwise. Functions are named from PROGRAM's own symbol table (nm), so static ones count too.
"""
import os
import subprocess
import sys

import resmon_report


def functions(path):
    """(start, end, name) of the functions in a file's symbol table."""
    out = subprocess.run(["nm", "-S", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    result = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "Tt":
            start = int(parts[0], 16)
            result.append((start, start + max(int(parts[1], 16), 1), parts[3]))
    return result


def main():
    program, log = sys.argv[1], sys.argv[2]
    expected = resmon_report.expectations(sys.argv[3:])
    lines = list(resmon_report.lines(log))
    mods = resmon_report.modules(lines)
    wrong = resmon_report.module_ids_match(mods, [program])
    if wrong:
        sys.exit("check_report: module lines without their files' build ids in " + log + ":\n  " + "\n  ".join(wrong))
    modules = [(m["base"], m["size"], m["path"]) for m in mods]
    me = os.path.realpath(program)
    own = [(base, size) for base, size, path in modules if os.path.realpath(path) == me]
    if not own:
        sys.exit(f"check_report: no module line for {program} in {log}")
    base, span = own[0]
    linked_base = resmon_report.lowest_load_address(program)
    syms = functions(program)
    found = {}
    for kind, size, address in resmon_report.records(resmon_report.last_exit_report(lines)):
        if base <= address < base + span:
            linked = address - 1 - base + linked_base  # the call, not the instruction after it
            name = next((n for start, end, n in syms if start <= linked < end), "?")
        else:
            name = next((os.path.basename(p) + "!?" for b, s, p in modules if b <= address < b + s), "?")
        key = (name, kind, size)
        found[key] = found.get(key, 0) + 1
    resmon_report.exactly(found, expected, " in " + log)


main()
