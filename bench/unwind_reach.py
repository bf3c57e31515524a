"""bench/unwind_reach.sh's count: of the heap blocks in an exit snapshot libresmon.so wrote (UMDH, raw
addresses), how many have a frame in the program's own executable and how many one in its main (from nm).
Prints: blocks, in-executable, in-main. usage: unwind_reach.py PROGRAM SNAPSHOT.umdh
"""
import os
import re
import subprocess
import sys


def main_span(program):
    with open(program, "rb") as f:
        pie = f.read(18)[16] == 3  # ET_DYN: nm's values are offsets from the load address
    for line in subprocess.run(["nm", "-S", program], capture_output=True, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == "main":
            return pie, int(parts[0], 16), int(parts[0], 16) + int(parts[1], 16)
    return pie, 0, 0


def main():
    program, snapshot = sys.argv[1], sys.argv[2]
    pie, main_lo, main_hi = main_span(program)
    exe = (0, 0)
    blocks = []  # each block's trace id
    stacks = {}
    trace = None
    for line in open(snapshot, encoding="utf-8", errors="replace"):
        m = re.match(r"//\s+([0-9A-F]+)\s+([0-9A-F]+) (\S.*)$", line)
        if m and os.path.basename(m.group(3)) == os.path.basename(program):
            exe = (int(m.group(1), 16), int(m.group(1), 16) + int(m.group(2), 16))
            continue
        m = re.match(r"[0-9a-fA-F]+ bytes \+ \S+ at [0-9A-F]+ by BackTrace(\S+)", line)
        if m:
            trace = m.group(1)
            blocks.append(trace)
            stacks.setdefault(trace, [])
            continue
        m = re.match(r"\t([0-9A-F]+)$", line)
        if m and trace is not None:
            stacks[trace].append(int(m.group(1), 16))
    in_exe = in_main = 0
    for t in blocks:
        inside = [a for a in stacks[t] if exe[0] <= a < exe[1]]
        in_exe += bool(inside)
        in_main += any(main_lo <= a - 1 - (exe[0] if pie else 0) < main_hi for a in inside)
    print(len(blocks), in_exe, in_main)


if __name__ == "__main__":
    main()
