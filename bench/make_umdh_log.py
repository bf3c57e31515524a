#!/usr/bin/env python3
"""Writes a large synthetic UMDH snapshot log for the leakdiff benchmark.

The log has the shape of a real `umdh -p:PID -f:log.txt` output (see ../shared/corpus/FORMATS.md): the `//`
header with a loaded-modules table, one heap section, and allocation records whose stack is printed the first
time a BackTrace id appears. `--generation N` makes the N-th snapshot of the same process: same trace ids and
stacks, every 50th stack holding more allocations each generation (the planted growth).

By default the program's frames come from a pool of 4,000 return addresses per module (about 100,000 distinct
addresses in all, like a real program). `--spread 40` instead draws every frame at random from forty 8 MB
modules, so the stacks hold millions of distinct addresses: the input that once made leakdiff's address table
probe quadratically (issue 12, item 23).

usage: make_umdh_log.py OUT --size 1G --stacks 500000 [--generation 0] [--seed 1] [--spread MODULES]
"""
import argparse
import random
import sys

MODULES = [(0x77650000, 0x180000, r"C:\Windows\SysWOW64\ntdll.dll"),
           (0x75980000, 0x100000, r"C:\Windows\syswow64\kernel32.dll"),
           (0x75A80000, 0x46000, r"C:\Windows\syswow64\KERNELBASE.dll"),
           (0x72E50000, 0xA3000, r"C:\Windows\SysWOW64\MSVCR90.dll"),
           (0x00400000, 0x11D000, r"C:\bench\app.exe")]
MODULES += [(0x60000000 + i * 0x200000, 0x180000, "C:\\bench\\plugin%02d.dll" % i) for i in range(24)]


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(s[:-1]) * mult[s[-1].upper()]) if s[-1].upper() in mult else int(s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size", default="1G")
    ap.add_argument("--stacks", type=int, default=500_000)
    ap.add_argument("--generation", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--spread", type=int, default=0,
                    help="draw frames at random from this many 8 MB modules (millions of distinct addresses)")
    a = ap.parse_args()
    target = parse_size(a.size)

    rnd = random.Random(a.seed)
    ntdll = [0x77650000 + rnd.randrange(0x10000, 0x170000) for _ in range(40)]
    modules = MODULES
    user_pool = []
    if a.spread:
        spread = [(0x10000000 + i * 0x1000000, 0x800000, "C:\\bench\\big%02d.dll" % i) for i in range(a.spread)]
        modules = MODULES[:5] + spread

        def user_frame(r):
            base, size, _ = spread[r.randrange(len(spread))]
            return base + r.randrange(0x1000, size)
    else:
        for base, size, _ in MODULES[4:]:
            user_pool += [base + rnd.randrange(0x1000, size) for _ in range(4000)]

        def user_frame(r):
            return user_pool[r.randrange(len(user_pool))]

    out = open(a.out, "w", newline="\n", encoding="ascii")
    w = out.write
    w("// \n// UMDH: version 6.1.7650.0: Logtime 2026-01-0%d 12:00 - Machine=BENCH - PID=4242\n// \n\n"
      % (1 + a.generation % 9))
    w("// Debug privilege has been enabled.\n// OS version 6.1 \n// Loaded modules: \n//     Base Size Module\n")
    for base, size, path in modules:
        w("// %20X %8X %s\n" % (base, size, path))
    w("//\n// Process modules enumerated.\n\n")
    w("*- - - - - - - - - - Start of data for heap @ 2E60000 - - - - - - - - - -\n\n")
    w("REQUESTED bytes + OVERHEAD at ADDRESS by BackTraceID\n     STACK if not already dumped.\n\n")
    w("*- - - - - - - - - - Heap 2E60000 Hogs - - - - - - - - - -\n\n")

    written = out.tell()
    ids = [0x10000000 + i * 0x9E3 for i in range(a.stacks)]
    addr = 0x2E90000
    batch = []
    # every trace once, with its stack
    for i, tid in enumerate(ids):
        r = random.Random(i * 7919 + 17)
        frames = [ntdll[r.randrange(len(ntdll))] for _ in range(r.randrange(3, 7))]
        frames += [user_frame(r) for _ in range(r.randrange(10, 24))]
        batch.append("%X bytes + %X at %X by BackTrace%08X\n\t%s\n\n"
                     % (16 + (i % 200) * 8, 8 + i % 24, addr, tid, "\n\t".join("%X" % f for f in frames)))
        addr += 0x40
        if len(batch) >= 20000:
            s = "".join(batch)
            w(s)
            written += len(s)
            batch = []
    s = "".join(batch)
    w(s)
    written += len(s)
    # then plain records until the size is reached; every 50th stack grows by one record per generation
    n = a.stacks
    growing = list(range(0, n, 50))
    for g in range(a.generation):
        lines = "".join("%X bytes + %X at %X by BackTrace%08X\n" % (16 + (i % 200) * 8, 8 + i % 24, addr + j * 64, ids[i])
                        for j, i in enumerate(growing))
        w(lines)
        written += len(lines)
        addr += len(growing) * 64
    rr = random.Random(a.seed * 31)
    while written < target:
        chunk = "".join("%X bytes + %X at %X by BackTrace%08X\n" % (16 + (i % 200) * 8, 8 + i % 24, addr + j * 64, ids[i])
                        for j, i in enumerate(rr.randrange(n) for _ in range(100_000)))
        addr += 100_000 * 64
        w(chunk)
        written += len(chunk)
    w("\n*- - - - - - - - - - End of data for heap @ 2E60000 - - - - - - - - - -\n")
    out.close()


if __name__ == "__main__":
    sys.exit(main())
