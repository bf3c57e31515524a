"""Compares the stacks of two UMDH heap snapshots libresmon.so wrote of the same program run twice (one per
RESMON_BACKTRACE mode): each frame as module+offset (the runs' load addresses differ), the blocks' stacks as a
multiset (their addresses differ too). Exits 1, printing the first differences, unless they are equal.
usage: compare_stacks.py A.umdh B.umdh
"""
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import umdh_snapshot  # noqa: E402


def stacks(path):
    modules, blocks = umdh_snapshot.read(path)
    modules = [(base, size, name.rsplit("/", 1)[-1]) for base, size, name in modules]
    return Counter(tuple(where(modules, a) for a in stack) for stack in blocks)


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
