#!/usr/bin/env python3
"""Checks a resmon exit report against a planted program's symbols.

check_report.py EXE LOAD_BASE OUTPUT [--module FILE:LOAD_BASE]... [EXPECT...]
  OUTPUT: Wine's +debugstr output or a DebugView-layout log (resmon_client's); the last exit report in it is read.
  EXPECT: function:kind:count[:size] (kind heap|thread|sync|handle; size = bytes per record), e.g. leak_malloc:heap:3:100.
--module: another module of the program (a DLL it loaded) and where it was loaded.
Every record of the report must match an expectation by the function its returnAddress lies in, and every
expectation must be met exactly; prints what differs and exits 1 otherwise.
"""
import re
import subprocess
import sys


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


def messages(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    for line in text.splitlines():
        m = re.search(r'OutputDebugString[AW] "(.*)"$', line)
        if m:
            line = m.group(1).replace("\\n", "").replace("\\\\", "\\")
        i = line.find("|resmon| ")
        if i >= 0:
            yield line[i + 9:].rstrip()


def last_exit_report(lines):
    start = None
    for i, line in enumerate(lines):
        if line.startswith("=========== CHECK UNRELEASED"):
            start = i
    if start is None:
        sys.exit("check_report: no exit report (CHECK UNRELEASED RESOUCRES) in the output")
    end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("=" * 51)), None)
    if end is None:
        sys.exit("check_report: the exit report is cut off")
    return lines[start:end + 1]


def records(report):
    """(kind, size or None, returnAddress) per record."""
    kind = None
    size = None
    for line in report:
        m = re.match(r"-+ (memory|thread|sync object|handle) usage \d+ -+$", line)
        if m:
            kind = {"memory": "heap", "thread": "thread", "sync object": "sync", "handle": "handle"}[m.group(1)]
            continue
        m = re.match(r"base 0x[0-9A-F]+ size (\d+) ", line)
        if m:
            size = int(m.group(1))
        m = re.match(r"returnAddress 0x([0-9A-F]+)$", line)
        if m:
            yield kind, size if kind == "heap" else None, int(m.group(1), 16)
            size = None


def main():
    exe, base, output = sys.argv[1], int(sys.argv[2], 16), sys.argv[3]
    args = sys.argv[4:]
    modules = [(base, *functions(exe))]
    while args and args[0] == "--module":
        path, load = args[1].rsplit(":", 1)
        modules.append((int(load, 16), *functions(path)))
        args = args[2:]
    expected = {}
    for e in args:
        parts = e.split(":")
        key = (parts[0], parts[1], int(parts[3]) if len(parts) > 3 else None)
        expected[key] = int(parts[2])
    found = {}
    for kind, size, address in records(last_exit_report(list(messages(output)))):
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
    if found != expected:
        print("check_report: the exit report differs from the planted leaks", file=sys.stderr)
        for key in sorted(set(found) | set(expected), key=str):
            if found.get(key) != expected.get(key):
                print(f"  {key}: expected {expected.get(key, 0)}, found {found.get(key, 0)}", file=sys.stderr)
        sys.exit(1)
    print(f"check_report: {sum(found.values())} records at {len(found)} call sites, exactly the planted leaks")


main()
