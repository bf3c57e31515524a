"""Compares the stacks of two UMDH heap snapshots libresmon.so wrote of the same program run twice (one per
RESMON_BACKTRACE mode): each frame as module+offset (the runs' load addresses differ), the blocks' stacks as a
multiset (their addresses differ too). Exits 1, printing the first differences, unless they are equal.
usage: compare_stacks.py A.umdh B.umdh
"""
import re
import sys
from collections import Counter


def stacks(path):
    modules = []
    traces = {}
    blocks = []
    trace = None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"//\s+([0-9A-F]+)\s+([0-9A-F]+) (\S.*)$", line)
        if m:
            modules.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3).rsplit("/", 1)[-1]))
            continue
        m = re.match(r"[0-9a-fA-F]+ bytes \+ \S+ at [0-9A-F]+ by BackTrace(\S+)", line)
        if m:
            trace = m.group(1)
            blocks.append(trace)
            traces.setdefault(trace, [])
            continue
        m = re.match(r"\t([0-9A-F]+)$", line)
        if m and trace is not None:
            traces[trace].append(where(modules, int(m.group(1), 16)))
    return Counter(tuple(traces[t]) for t in blocks)


def where(modules, address):
    for base, size, name in modules:
        if base <= address < base + size:
            return "%s+%x" % (name, address - base)
    return "%x" % address


def main():
    a, b = stacks(sys.argv[1]), stacks(sys.argv[2])
    if sum(a.values()) == 0:
        print("compare_stacks: no blocks in %s" % sys.argv[1])
        return 1
    if a == b:
        print("compare_stacks: %d blocks, %d distinct stacks, the same in both" % (sum(a.values()), len(a)))
        return 0
    for name, only in (("only in " + sys.argv[1], a - b), ("only in " + sys.argv[2], b - a)):
        for stack, count in list(only.items())[:3]:
            print("compare_stacks: %s: %d x %s" % (name, count, " ".join(stack)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
