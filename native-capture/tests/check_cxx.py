#!/usr/bin/env python3
"""Checks libresmon.so's exit report of a planted C++ program (tests/planted_cxx.cc) against its ground truth.

check_cxx.py [--stacks=strict|reached] [--counted=LOW:COUNT] PROGRAM LOG EXPECT_FILE
  EXPECT_FILE: what `PROGRAM --expect` prints, one planted leak a line: FUNCTION TAB heap TAB COUNT TAB BYTES TAB TYPE.
  --counted (what `PROGRAM --expect-counted` prints): the report's histogram counts COUNT allocations in the size
  class from LOW bytes (each `new` recorded once, not again by the malloc inside operator new).
Each heap record of the last exit report is attributed to the first frame of its stack (the `stack` line, or the
returnAddress alone) that is neither in another module (libstdc++, libc) nor a std:: or __gnu_cxx:: function of
PROGRAM (template code instantiated in it), named from PROGRAM's symbol table and c++filt. Checked:
  - frame 0 is never inside an operator new (any module): a `new` is recorded at the code that called it;
  - the records are exactly the planted leaks, by (bytes, type) and count: nothing else (no runtime one-time
    allocation, nothing freed), nothing missing;
  - the attributed function: with --stacks=strict every record's is its planted FUNCTION; with --stacks=reached
    (the default), a record whose stack reaches no frame of PROGRAM outside std:: is let through (frame-pointer
    walks stop in libstdc++, built without them), every other must be right.
Prints how many records reached their planting function, and exits 1 naming each difference.
"""
import os
import re
import subprocess
import sys

import resmon_report

RUNTIME = re.compile(r"_ZN?K?(St|9__gnu_cxx)|_Z(nw|na|dl|da)")  # std::, __gnu_cxx::, operator new/delete
OPERATOR_NEW = re.compile(r"_Zn[wa]")


def symbols(path, dynamic=False):
    """Sorted (start, end, mangled, demangled) of a file's functions (its dynamic symbols with dynamic=True)."""
    args = ["nm", "-S", "--defined-only"] + (["-D"] if dynamic else []) + [path]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "TtWi":
            start = int(parts[0], 16)
            found.append((start, start + max(int(parts[1], 16), 1), parts[3].split("@")[0]))
    names = subprocess.run(["c++filt"], input="\n".join(f[2] for f in found), capture_output=True, text=True,
                           check=True).stdout.splitlines()
    return sorted((s, e, m, d) for (s, e, m), d in zip(found, names))


def records(report):
    """(size, type, frames) of each heap record of an exit report."""
    out, size, typ, frames, heap = [], None, None, None, False
    for line in report:
        m = re.match(r"-+ (memory|thread|sync object|handle) usage \d+ -+$", line)
        if m:
            heap = m.group(1) == "memory"
        m = re.match(r"base 0x[0-9A-F]+ size (\d+) tag [0-9A-F]+ \((.*)\)$", line)
        if m:
            size, typ = int(m.group(1)), m.group(2)
        m = re.match(r"returnAddress 0x([0-9A-F]+)$", line)
        if m:
            frames = [int(m.group(1), 16)]
        m = re.match(r"stack((?: 0x[0-9A-F]{16})+)$", line)
        if m:
            stack = [int(x, 16) for x in m.group(1).split()]
            if stack[0] != frames[0]:
                sys.exit(f"check_cxx: a stack line does not begin with its returnAddress: {line}")
            frames = stack
        if line.startswith("-" * 51) and frames is not None:
            if heap:
                out.append((size, typ, frames))
            size = typ = frames = None
    return out


class Names:
    """Names a return address: (module path, mangled, demangled) of the function holding its call."""

    def __init__(self, mods, program):
        self.mods = mods
        self.program = os.path.realpath(program)
        self.cache = {}

    def __call__(self, address):
        for m in self.mods:
            if m["base"] <= address < m["base"] + m["size"]:
                path = m["path"]
                break
        else:
            return None, None, None
        real = os.path.realpath(path) if path.startswith("/") else path
        if real not in self.cache:
            own = real == self.program
            syms = symbols(real, dynamic=not own) if os.path.isfile(real) else []
            linked = resmon_report.lowest_load_address(real) if os.path.isfile(real) else 0
            self.cache[real] = (syms, linked)
        syms, linked = self.cache[real]
        at = address - 1 - m["base"] + linked  # the call, not the instruction after it
        hit = next(((mg, dm) for s, e, mg, dm in syms if s <= at < e), (None, None))
        return real, hit[0], hit[1]


def main():
    args = sys.argv[1:]
    strict, counted = False, None
    while args and args[0].startswith("--"):
        option = args.pop(0)
        if option.startswith("--stacks="):
            strict = option == "--stacks=strict"
        elif option.startswith("--counted="):
            counted = tuple(int(x) for x in option.split("=")[1].split(":"))
    program, log, expect_file = args
    expected = {}
    for line in open(expect_file).read().splitlines():
        function, kind, count, size, typ = line.split("\t")
        key = (int(size), typ)
        if key in expected:
            sys.exit(f"check_cxx: two planted leaks of {size} bytes ({typ}): the check tells them apart by size")
        expected[key] = (function, int(count))
    lines = list(resmon_report.lines(log))
    names = Names(resmon_report.modules(lines), program)
    me = os.path.realpath(program)
    failures, found, reached = [], {}, 0
    recs = records(resmon_report.last_exit_report(lines))
    for size, typ, frames in recs:
        path0, mangled0, name0 = names(frames[0])
        if mangled0 is not None and OPERATOR_NEW.match(mangled0):
            failures.append(f"{size} bytes ({typ}): frame 0 is {name0} in {path0}")
        site = None
        for f in frames:
            path, mangled, name = names(f)
            if path == me and mangled is not None and not RUNTIME.match(mangled):
                site = name
                break
        key = (size, typ)
        found[key] = found.get(key, 0) + 1
        want = expected.get(key, ("?", 0))[0]
        if site == want:
            reached += 1
        elif site is not None or strict:
            failures.append(f"{size} bytes ({typ}) attributed to {site or 'no frame of the program'}, planted by"
                            f" {want}; stack {' '.join('0x%X' % f for f in frames)}")
    for key in sorted(set(found) | set(expected)):
        want = expected.get(key, ("not planted", 0))
        if found.get(key, 0) != want[1]:
            failures.append(f"{key[0]} bytes ({key[1]}) from {want[0]}: {found.get(key, 0)} records, expected"
                            f" {want[1]}")
    if counted is not None:
        report = resmon_report.last_exit_report(lines)
        histogram = {int(m.group(1), 16): int(m.group(2)) for m in (
            re.match(r"\|0x([0-9A-F]+) - 0x[0-9A-F]+\| 0x[0-9A-F]+\((\d+)\)$", line) for line in report) if m}
        if histogram.get(counted[0], 0) != counted[1]:
            failures.append(f"the histogram counts {histogram.get(counted[0], 0)} allocations from {counted[0]}"
                            f" bytes, the program made {counted[1]} (each new must be counted once)")
    print(f"check_cxx: {os.path.basename(program)}: {reached} of {len(recs)} records reach their planting function"
          f" ({100.0 * reached / max(len(recs), 1):.0f}%)")
    if failures:
        print(f"check_cxx: the exit report in {log} differs from the planted leaks:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)
    print(f"check_cxx: {len(recs)} records, exactly the planted leaks at {len(expected)} sites")


main()
