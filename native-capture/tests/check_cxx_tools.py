#!/usr/bin/env python3
"""The planted C++ leaks through Leakscope's own commands: each names every leak at its planting function.

check_cxx_tools.py BIN EXPECT LOG TABLE.rmt BEFORE.umdh AFTER.umdh [--before FUNCTION,...]
  BIN: the directory of logscan, dumpscan and leakdiff. EXPECT: the planted program's --expect output, either
  libresmon's tab-separated lines (FUNCTION heap COUNT BYTES TYPE) or resmon.dll's (expect FUNCTION TYPE COUNT
  BYTES). LOG and TABLE.rmt: one run's log and table image; BEFORE/AFTER: two heap snapshots of a run, the
  functions named by --before planted before the first (their stacks must not change), the rest between them.
For each command, the heap blocks grouped by the function of their attributed frame (the first outside the
allocator and the C++ runtime: docs/attribution.md) must be exactly the planted ones, count and bytes: none at
operator new, none from the runtime's one-time allocations, none that were freed. Functions are compared without
their parameter lists (resmon.dll's program prints `open_sessions`, the names are `open_sessions()`).
Exits 1 with the differences.
"""
import json
import os
import subprocess
import sys


def base(function):
    return None if function is None else function.split("(")[0]


def expected(path):
    """{function: [count, bytes]} from either tracker's --expect lines."""
    want = {}
    for line in open(path):
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) == 5 and fields[1] == "heap":
            function, count, size = fields[0], int(fields[2]), int(fields[3])
        elif len(fields) == 5 and fields[0] == "expect":
            function, count, size = fields[1], int(fields[3]), int(fields[4])
        else:
            continue
        got = want.setdefault(base(function), [0, 0])
        got[0] += count
        got[1] += count * size
    if not want:
        sys.exit(f"check_cxx_tools: {path} has no expect lines")
    return want


def run(tool, *args):
    out = subprocess.run([os.path.join(BIN, tool), *args, "--json"], capture_output=True, text=True)
    if out.returncode not in (0, 3):  # 3: logscan's verdict "leaked"
        sys.exit(f"check_cxx_tools: {tool} {' '.join(args)} exited {out.returncode}:\n{out.stderr}")
    return json.loads(out.stdout)


def compare(what, found, want, problems):
    for function in sorted(set(found) | set(want), key=str):
        if found.get(function) != want.get(function):
            problems.append(f"{what}: {function}: {found.get(function)} (count, bytes), planted {want.get(function)}")


def add(found, frame, count, size):
    got = found.setdefault(base(frame["function"]) if frame else None, [0, 0])
    got[0] += count
    got[1] += size


if __name__ == "__main__":
    args = sys.argv[1:]
    before = []
    if "--before" in args:
        i = args.index("--before")
        before = [base(f) for f in args[i + 1].split(",")]
        del args[i:i + 2]
    BIN, expect, log, table, snap1, snap2 = args
    want = expected(expect)
    problems = []

    runs = run("logscan", log)["runs"]
    found = {}
    for site in runs[0]["report"]["callSites"] if len(runs) == 1 else []:
        if site["kind"] == "heap_block":
            add(found, site["frame"], site["count"], site["bytes"])
    compare("logscan", found, want, problems)

    tables = run("dumpscan", table, "--top", "0")["inputs"][0]["tables"]
    found = {}
    for site in tables[0]["callSites"] if len(tables) == 1 else []:
        if site["kind"] == "heap_block":
            add(found, site["callSite"], site["count"], site["bytes"])
    compare("dumpscan --resmon", found, want, problems)

    diff = run("leakdiff", snap1, snap2)
    found = {}
    for stack in diff["stacks"]:
        frames = stack["frames"]
        add(found, frames[stack["foldedFrames"]] if frames else None, stack["allocations"]["delta"],
            stack["bytes"]["delta"])
    grown = {f: c for f, c in want.items() if f not in before}
    compare("leakdiff", found, grown, problems)

    if problems:
        sys.exit("check_cxx_tools: " + os.path.basename(log) + "\n  " + "\n  ".join(problems))
    print(f"check_cxx_tools: logscan, dumpscan --resmon and leakdiff name the {sum(c for c, _ in want.values())} "
          f"planted blocks of {os.path.basename(log)} at their {len(want)} planting functions")
