#!/usr/bin/env python3
"""Seeds of the stack walker's fuzz target (fuzz/.../StackwalkFuzzTest): one generated thread per CPU and unwinder.

Layout (little-endian): cpu (byte: 0 amd64, 1 x86, 2 arm64), pc (u16 module offset), sp and fp (u16 offsets
in the stack), n (u16), n stack bytes, then Breakpad symbol records (the target writes the MODULE line).
The module is at 0x7ff6a0000000 (x86: 0x10000000), the stack at 0x2f0000. Run from this folder.
"""
import os
import struct

AMD64, X86, ARM64 = 0, 1, 2
BASE = {AMD64: 0x7FF6A0000000, X86: 0x10000000, ARM64: 0x7FF6A0000000}
STACK = 0x2F0000
os.chdir(os.path.dirname(os.path.abspath(__file__)))


def seed(name, cpu, pc, sp, fp, words, records, word=8):
    fmt = "<Q" if word == 8 else "<I"
    stack = b"".join(struct.pack(fmt, w) for w in words)
    data = struct.pack("<BHHHH", cpu, pc, sp, fp, len(stack)) + stack + records.encode()
    with open(f"stackwalk/{name}.bin", "wb") as f:
        f.write(data)


FUNCS = "FUNC 1000 100 0 leaf\nFUNC 2000 100 0 middle\nFUNC 3000 100 0 main\n"

# amd64, STACK CFI: leaf pushed rbp (cfa = rsp + 16), middle and main only a return address
b = BASE[AMD64]
seed("amd64_cfi", AMD64, 0x1010, 0, 0x40, [0x1111, b + 0x2020, b + 0x3030, 0, 0, 0, 0, 0, 0, 0],
     FUNCS + "STACK CFI INIT 1000 100 .cfa: $rsp 8 + .ra: .cfa -8 + ^\n"
             "STACK CFI 1004 .cfa: $rsp 16 + $rbp: .cfa -16 + ^\n"
             "STACK CFI INIT 2000 100 .cfa: $rsp 8 + .ra: .cfa -8 + ^\n"
             "STACK CFI INIT 3000 100 .cfa: $rsp 8 + .ra: .cfa -8 + ^\n")

# amd64 without unwind records: on Windows (no rbp chains) a scan for return addresses
seed("amd64_scan", AMD64, 0x1010, 0, 0x10, [0, 0, 0x2F0030, b + 0x2020, 0, 0, 0, b + 0x3030, 0, 0], FUNCS)

# x86, STACK WIN: a frame-data program for leaf, FPO data for middle
b = BASE[X86]
seed("x86_stackwin", X86, 0x1010, 0, 8, [0, 0, 0x2F0020, b + 0x2020, b + 0x3030, 0, 0, 0, 0, 0, 0, 0],
     FUNCS + "STACK WIN 4 1000 100 4 0 0 0 10 0 1 $T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =\n"
             "STACK WIN 0 2000 100 3 0 4 0 0 0 0 0\n"
             "STACK WIN 4 3000 100 4 0 0 0 0 0 0 $T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =\n", word=4)

# arm64: lr in the context (the stack's first word), STACK CFI, then the frame-pointer chain
b = BASE[ARM64]
seed("arm64_cfi", ARM64, 0x1010, 0, 0x10, [b + 0x2020, 0, 0, b + 0x3030, 0, 0, 0, 0, 0, 0],
     FUNCS + "STACK CFI INIT 1000 100 .cfa: sp 0 + .ra: x30\n"
             "STACK CFI INIT 2000 100 .cfa: x29 16 + .ra: .cfa -8 + ^ x29: .cfa -16 + ^\n")
