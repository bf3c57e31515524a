"""bench/unwind_reach.sh's count: of the heap blocks in an exit snapshot libresmon.so wrote (UMDH, raw
addresses), how many have a frame in the program's own executable and how many one in its main (from nm).
Prints: blocks, in-executable, in-main. usage: unwind_reach.py PROGRAM SNAPSHOT.umdh
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "native-capture", "tests"))
import umdh_snapshot  # noqa: E402


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
    modules, stacks = umdh_snapshot.read(snapshot)
    exe = (0, 0)
    for base, size, path in modules:
        if os.path.basename(path) == os.path.basename(program):
            exe = (base, base + size)
    in_exe = in_main = 0
    for stack in stacks:
        inside = [a for a in stack if exe[0] <= a < exe[1]]
        in_exe += bool(inside)
        in_main += any(main_lo <= a - 1 - (exe[0] if pie else 0) < main_hi for a in inside)
    print(len(stacks), in_exe, in_main)


if __name__ == "__main__":
    main()
