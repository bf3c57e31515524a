#!/usr/bin/env python3
"""Writes the hand-written UMDH examples in this folder (run from anywhere: python3 make_logs.py [OUTDIR]).

Each file follows a shape documented in docs/formats/umdh.md (collected from real umdh output in
../shared/corpus/FORMATS.md). The numbers are chosen so tests can assert them by hand:
leaky_1/2 are two snapshots of one process (one stack leaks 0x40-byte blocks, one is flat, one shrinks, one
appears, one trace has no stack); leaky_3 is the same program after a restart (other trace ids, exe rebased,
CRLF); wow64_aliases_1/2 are two snapshots of it whose leaking trace has two alias stacks (the `Alias` lines of
a real Win7 x64 log of a 32-bit process). symbols/ is a Breakpad store for leaky.exe's functions.
"""
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

HDR = """// 
// UMDH: version 6.1.7650.0: Logtime {time} - Machine=BUILD-07 - PID={pid}
// 

// Debug privilege has been enabled.
// OS version 6.1 
// Umdh OS version 6.1
// 
// Preparing to dump heap allocations.
// Only allocations for which the heap manager collected a stack are dumped. Allocations whithout stack are ignored.
// The stack trace for an allocation is dumped as a list of addresses. They will be resolved to function names at compare time.
// 
// Connecting to process {pid} ...
// Process {pid} opened handle=44.
// Loaded modules: 
//     Base Size Module
//              {exe:>6X}    20000 C:\\src\\leaky\\Release\\leaky.exe
//            77650000   180000 C:\\Windows\\SysWOW64\\ntdll.dll
//            75980000   100000 C:\\Windows\\syswow64\\kernel32.dll
//            75A80000    46000 C:\\Windows\\syswow64\\KERNELBASE.dll
//            72E50000    A3000 C:\\Windows\\WinSxS\\x86_microsoft.vc90.crt_1fc8b3b9a1e18e3b_9.0.30729.6161_none_50934f2ebcb7eb57\\MSVCR90.dll
//
// Process modules enumerated.
// Debug library initialized ...
DBGHELP: ntdll - public symbols  
         d:\\symbols\\wntdll.pdb\\B193CACD9AB340E7BF3434EA1ABBE0482\\wntdll.pdb

"""
ALLOC = [0x776CDD82, 0x7768EC66, 0x72E5C5B2]          # ntdll heap, ntdll heap, MSVCR90 malloc
TAIL = [0x75991E23, 0x7768EF71]                        # kernel32 BaseThreadInitThunk, ntdll RtlUserThreadStart


def stack(exe, rvas):
    return ALLOC + [exe + r for r in rvas] + TAIL


def heap(addr, body):
    return ("*- - - - - - - - - - Start of data for heap @ %X - - - - - - - - - -\n\n"
            "REQUESTED bytes + OVERHEAD at ADDRESS by BackTraceID\n     STACK if not already dumped.\n\n"
            "*- - - - - - - - - - Heap %X Hogs - - - - - - - - - -\n\n" % (addr, addr)
            + body +
            "*- - - - - - - - - - End of data for heap @ %X - - - - - - - - - -\n\n" % addr)


def records(exe, recs, ids, aliases=None):
    """aliases: trace name -> list of alias stacks (absolute addresses), printed after `\tAlias` lines."""
    out = []
    seen = set()
    for size, ovh, addr, name in recs:
        tid, rvas = ids[name]
        out.append("%X bytes + %X at %X by BackTrace%s\n" % (size, ovh, addr, tid))
        if name not in seen and rvas is not None:
            seen.add(name)
            out.append("".join("\t%X\n" % f for f in stack(exe, rvas)))
            for alias in (aliases or {}).get(name, []):
                out.append("\tAlias\n" + "".join("\t%X\n" % f for f in alias))
            out.append("\n")
    return "".join(out)


def write(name, text, crlf=False):
    with open(os.path.join(OUT, name), "w", newline="\r\n" if crlf else "\n") as f:
        f.write(text)


def snapshot(name, time, pid, exe, ids, recs, crlf=False, aliases=None):
    text = (HDR.format(time=time, pid=pid, exe=exe) + heap(0x2E60000, records(exe, recs, ids, aliases))
            + heap(0x1D890000, "\n"))
    if exe < 0x400000:
        text = text.replace("//              %6X    20000" % exe, "//              %X    20000" % exe)
    write(name, text, crlf)


# rvas: LeakyCache::Insert+0x34 (0x1234), Config::Load+0x21 (0x1321), Buffer::Grow+0x27 (0x13a7),
# Session::Open+0x19 (0x1419); main+0x42 (0x14c2)
IDS = {"leak": ("18D0A0D0", [0x1234, 0x14C2]), "flat": ("1AF06BFC", [0x1321, 0x14C2]),
       "shrink": ("1AF07D3C", [0x13A7, 0x14C2]), "new": ("1AF083B4", [0x1419, 0x14C2]),
       "nostack": ("1AF0B99C", None)}
S1 = [(0x40, 0x18, 0x2E9FA20, "leak"), (0x40, 0x18, 0x2E9FA80, "leak"), (0x100, 0x20, 0x2E9FB00, "flat"),
      (0x80, 0x18, 0x2E9FC20, "shrink"), (0x80, 0x18, 0x2E9FCC0, "shrink"), (0x80, 0x18, 0x2E9FD60, "shrink"),
      (0x10, 0x10, 0x2E9FE00, "nostack")]
S2 = [(0x40, 0x18, 0x2E9FA20, "leak"), (0x40, 0x18, 0x2E9FA80, "leak"), (0x100, 0x20, 0x2E9FB00, "flat"),
      (0x40, 0x18, 0x2EA0040, "leak"), (0x80, 0x18, 0x2E9FC20, "shrink"), (0x40, 0x18, 0x2EA00A0, "leak"),
      (0x20, 0x10, 0x2EA0100, "new"), (0x40, 0x18, 0x2EA0140, "leak"), (0x10, 0x10, 0x2E9FE00, "nostack")]
snapshot("leaky_1.log", "2026-03-02 09:00", 7696, 0x400000, IDS, S1)
snapshot("leaky_2.log", "2026-03-02 10:30", 7696, 0x400000, IDS, S2)
IDS3 = {"leak": ("2B11C0DE", [0x1234, 0x14C2]), "flat": ("2B11C1F0", [0x1321, 0x14C2]),
        "shrink": ("2B11C2A8", [0x13A7, 0x14C2]), "new": ("2B11C3B4", [0x1419, 0x14C2]),
        "nostack": ("2B11C4C0", None)}
S3 = S2 + [(0x40, 0x18, 0x2EA0180, "leak"), (0x40, 0x18, 0x2EA01C0, "leak")]
snapshot("leaky_3_restarted_crlf.log", "2026-03-02 14:00", 5120, 0x1D0000, IDS3, S3, crlf=True)

# Alias stacks, shaped like pyumdh's tests/test.log (BackTrace94C4: a stack, then `Alias` lines each opening another
# stack of the same trace). The trace's own stack is the leak's; alias 1 reaches LeakyCache::Insert through
# Session::Open+0x19 (0x1419) and main+0x42, alias 2 is three frames: ntdll's heap, Buffer::Grow+0x27 (0x13A7),
# main+0x42.
IDSW = {"leak": ("94C4", [0x1234, 0x14C2]), "flat": ("94D0", [0x1321, 0x14C2])}
ALIASES = {"leak": [ALLOC + [0x401234, 0x401419, 0x4014C2] + TAIL, [0x776CDD82, 0x4013A7, 0x4014C2]]}
W1 = [(0x58, 0x10, 0x5E1A88, "leak"), (0x100, 0x20, 0x5E1B00, "flat"), (0x58, 0x10, 0x5E1C20, "leak")]
W2 = W1 + [(0x58, 0x10, 0x5E1D40, "leak")]
snapshot("wow64_aliases_1.log", "2026-03-03 09:00", 6420, 0x400000, IDSW, W1, aliases=ALIASES)
snapshot("wow64_aliases_2.log", "2026-03-03 10:00", 6420, 0x400000, IDSW, W2, aliases=ALIASES)

write("win10_x64_crlf.log", """// 
// UMDH: version 10.0.19041.1: Logtime 2026-04-11 16:20 - Machine=DEV-BOX - PID=11240
// 
// Debug privilege has been enabled.
// OS version 10.0 
// Loaded modules: 
//     Base Size Module
//        7FF6C0E10000    2F000 C:\\src\\svc\\x64\\Release\\svc.exe
//        7FFE82300000   1F8000 C:\\Windows\\SYSTEM32\\ntdll.dll
//        7FFE81E70000    BD000 C:\\Windows\\System32\\KERNEL32.DLL
//        7FFE7FD00000   2C8000 C:\\Windows\\System32\\ucrtbase.dll
//
// Process modules enumerated.

*- - - - - - - - - - Start of data for heap @ 206EDD80000 - - - - - - - - - -

REQUESTED bytes + OVERHEAD at ADDRESS by BackTraceID
     STACK if not already dumped.

*- - - - - - - - - - Heap 206EDD80000 Hogs - - - - - - - - - -

30 bytes + 30 at 206EDDA8BA0 by BackTraceEDD4EEA6
\t7FFE82352933
\t7FFE823120E7
\t7FFE7FD1E5E6
\t7FF6C0E11A3F
\t7FF6C0E1250C
\t7FFE81E87034
\t7FFE82342651

30 bytes + 30 at 206EDDA8C10 by BackTraceEDD4EEA6
1000 bytes + 40 at 206EDDB0000 by BackTrace5B0C21F4
\tntdll!RtlpAllocateHeapInternal+947
\tntdll!RtlAllocateHeap+3E
\tucrtbase!_malloc_base+36
\tsvc!Session::Open+5F (c:\\src\\svc\\session.cpp, 88)
\tsvc!main+1C (c:\\src\\svc\\main.cpp, 12)
\tKERNEL32!BaseThreadInitThunk+14

*- - - - - - - - - - End of data for heap @ 206EDD80000 - - - - - - - - - -

""", crlf=True)

write("xp_summary.log", """// Loaded modules: 
//     Base Size Module
//              400000    19000 C:\\MyApp\\MyApp.exe
//            7C900000    B2000 C:\\WINDOWS\\system32\\ntdll.dll
//
00005320 bytes in 0x14 allocations (@ 0x00000428 + 0x00000008) by: BackTrace00B53
ntdll!RtlDebugAllocateHeap+0x000000FD
ntdll!RtlAllocateHeapSlowly+0x0000005A
ntdll!RtlAllocateHeap+0x00000808
MyApp!_heap_alloc_base+0x00000069
MyApp!operator new+0x0000000E
MyApp!LeakyFunc+0x0000001E
MyApp!main+0x0000002C

00000400 bytes in 0x1 allocations (@ 0x00000400) by: BackTrace00B54
MyApp!_heap_alloc_base+0x00000069
MyApp!InitTables+0x00000010
""")

write("hogs_only_no_final_newline.log", """// Loaded modules: 
//     Base Size Module
//              400000    11D000 C:\\tools\\profiled.exe
//
*- - - - - - - - - - Heap 0 Hogs - - - - - - - - - -
1 bytes + 0 at 0 by BackTrace1
\t401000
\t402000

2 bytes + 0 at 0 by BackTrace2
\t401100

1 bytes + 0 at 0 by BackTrace1""")

CMP_HDR = """// _NT_SYMBOL_PATH set by default to C:\\Windows\\symbols
// Debug library initialized ...
DBGHELP: leaky - private symbols & lines 
         C:\\src\\leaky\\Release\\leaky.pdb
DBGHELP: ntdll - public symbols  
         d:\\symbols\\wntdll.pdb\\B193CACD9AB340E7BF3434EA1ABBE0482\\wntdll.pdb
//                                                                          
// Each log entry has the following syntax:                                 
//                                                                          
// + BYTES_DELTA (NEW_BYTES - OLD_BYTES) NEW_COUNT allocs BackTrace TRACEID 
// + COUNT_DELTA (NEW_COUNT - OLD_COUNT) BackTrace TRACEID allocations      
//     ... stack trace ...                                                  
//                                                                          

"""


def rec(sign, d, new, old, cnt, dc, cnew, cold, tid, frames, f):
    return ("%s %7s (%7s - %7s) %6s allocs\tBackTrace%s\n" % (sign, f(d), f(new), f(old), f(cnt), tid)
            + "%s %7s (%7s - %7s)\tBackTrace%s\tallocations\n\n"
            % ("+" if cnew >= cold else "-", f(abs(dc)), f(cnew), f(cold), tid)
            + "".join("\t%s\n" % x for x in frames) + "\n")


LEAK = ["ntdll!RtlpAllocateHeap+1E34", "ntdll!RtlAllocateHeap+3E",
        "MSVCR90!malloc+79 (f:\\dd\\vctools\\crt_bld\\self_x86\\crt\\src\\malloc.c, 163)",
        "leaky!LeakyCache::Insert+34 (c:\\src\\leaky\\cache.cpp, 42)", "leaky!main+42 (c:\\src\\leaky\\main.cpp, 17)",
        "kernel32!BaseThreadInitThunk+12", "ntdll!RtlUserThreadStart+EF"]
NEW = ["ntdll!RtlAllocateHeap+3E", "MSVCR90!malloc+79", "leaky!Session::Open+19", "leaky!main+42"]
SHR = ["ntdll!RtlAllocateHeap+3E", "MSVCR90!malloc+79", "leaky!Buffer::Grow+27", "leaky!main+42"]
for fmt, name in (("x", "compare_hex.txt"), ("d", "compare_decimal.txt")):
    f = (lambda v: "%d" % v) if fmt == "d" else (lambda v: "%x" % v)
    body = CMP_HDR + rec("+", 192, 320, 128, 5, 3, 5, 2, "18D0A0D0", LEAK, f) \
        + rec("+", 32, 32, 0, 1, 1, 1, 0, "1AF083B4", NEW, f) \
        + rec("-", 256, 128, 384, 1, 2, 1, 3, "1AF07D3C", SHR, f)
    body += "Total decrease == %6s requested + %6s overhead = %6s\n" % (f(32), f(24), f(56))
    write(name, body)

write("compare_xp_old_total.txt", """+ 5320 (f110 - 9df0) 3a allocs BackTrace00053
Total increase == 5320

\tntdll!RtlDebugAllocateHeap+0x000000FD
\tMyApp!LeakyFunc+0x0000001E
\tMyApp!main+0x0000002C
""")
