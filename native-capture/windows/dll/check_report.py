#!/usr/bin/env python3
"""Checks a resmon exit report against a planted program's symbols.

check_report.py EXE LOAD_BASE OUTPUT [--module FILE:LOAD_BASE]... [EXPECT...]
  OUTPUT: Wine's +debugstr output or a DebugView-layout log (resmon_client's); the last exit report in it is read.
  EXPECT: function:kind:count[:size] (kind heap|thread|sync|handle; size = bytes per record), e.g. leak_malloc:heap:3:100.
--module: another module of the program (a DLL it loaded) and where it was loaded.
Every record of the report must match an expectation by the function its returnAddress lies in, and every
expectation must be met exactly; the module lines naming EXE, the --module files and any other file under Z:
must carry those files' CodeView ids and timestamps. Prints what differs and exits 1 otherwise.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
import resmon_report  # noqa: E402 (shared with the Linux tracker's check)


def functions(exe):
    """(address, name) of the exe's functions, sorted, from mingw's nm, and the image base it was linked at."""
    out = subprocess.run(["x86_64-w64-mingw32-nm", "-n", exe], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "Tt":
            syms.append((int(parts[0], 16), parts[2]))
    head = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", exe], capture_output=True, text=True, check=True).stdout
    image_base = int(re.search(r"^ImageBase\s+([0-9a-fA-F]+)", head, re.M).group(1), 16)
    return syms, image_base


def main():
    exe, base, output = sys.argv[1], int(sys.argv[2], 16), sys.argv[3]
    args = sys.argv[4:]
    modules = [(base, *functions(exe))]
    files = []
    while args and args[0] == "--module":
        path, load = args[1].rsplit(":", 1)
        modules.append((int(load, 16), *functions(path)))
        files.append(path)
        args = args[2:]
    expected = resmon_report.expectations(args)
    lines = list(resmon_report.lines(output))
    wrong = resmon_report.module_ids_match(resmon_report.modules(lines), [exe] + files)
    if wrong:
        sys.exit("check_report: module lines without their files' ids:\n  " + "\n  ".join(wrong))
    found = {}
    for kind, size, address in resmon_report.records(resmon_report.last_exit_report(lines)):
        # the module loaded nearest below the address holds it
        load, syms, image_base = max((m for m in modules if m[0] <= address), key=lambda m: m[0],
                                     default=(0, [], 0))
        linked = address - load + image_base
        name = "?"
        for a, n in syms:
            if a > linked:
                break
            name = n
        key = (name, kind, size)
        found[key] = found.get(key, 0) + 1
    resmon_report.exactly(found, expected, "")


main()
