#!/usr/bin/env python3
"""Writes a small, self-describing Windows x64 minidump for Leakscope's README and benchmarks.

The dump is made up by this script (no third-party bytes): a process "leaky_service.exe" that crashed
with an access violation, with threads (one named), modules with CodeView ids, a MemoryInfoList showing a
fragmented address space, handles of several types, captured stack memory, and optionally a Memory64List
of any size whose data is left sparse (holes in the file), so a multi-GB full-memory dump costs no disk.

    make_sample_dump.py OUT.dmp --symbols DIR         # the bundled sample and its Breakpad symbol store
    make_sample_dump.py OUT.dmp --memory64 6G         # + 6 GiB of sparse Memory64 data (benchmarks)

Layouts follow Microsoft's minidumpapiset.h; written independently of the Java reader.
"""
import argparse
import struct
import uuid

SIZES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def size_arg(text):
    t = text.strip().upper()
    return int(float(t[:-1]) * SIZES[t[-1]]) if t[-1] in SIZES else int(t)


class Writer:
    def __init__(self):
        self.buf = bytearray()

    def pos(self):
        return len(self.buf)

    def align(self, n=4):
        while len(self.buf) % n:
            self.buf.append(0)

    def put(self, data):
        self.align()
        at = len(self.buf)
        self.buf += data
        return at

    def string(self, text):  # MINIDUMP_STRING: byte length, UTF-16LE, NUL
        raw = text.encode("utf-16-le")
        return self.put(struct.pack("<I", len(raw)) + raw + b"\0\0")


def build(memory64_bytes):
    w = Writer()
    streams = []  # (type, rva, size)
    w.buf += b"\0" * 32  # header, filled in last
    dir_count = 10 + (1 if memory64_bytes else 0)
    dir_rva = w.put(b"\0" * (12 * dir_count))

    def stream(stype, data):
        rva = w.put(data)
        streams.append((stype, rva, len(data)))
        return rva

    # System info: Windows 10 22H2 x64, 8 CPUs.
    csd = w.string("")
    cpu = struct.pack("<QQ", 0, 0) + b"\0" * 8
    stream(7, struct.pack("<HHHBBIIIIIHH", 9, 6, 0x9e0a, 8, 1, 10, 0, 19045, 2, csd, 0x100, 0) + cpu)

    # Modules: exe, a DLL of its own, ntdll, kernel32, ucrtbase.
    mods = [(0x7FF6A0000000, 0x3A000, r"C:\Program Files\Leaky\leaky_service.exe", "leaky_service.pdb", (1, 4, 2, 0)),
            (0x7FFB10000000, 0x21000, r"C:\Program Files\Leaky\pool.dll", "pool.pdb", (1, 4, 2, 0)),
            (0x7FFB8A000000, 0x1F8000, r"C:\Windows\System32\ntdll.dll", "ntdll.pdb", (10, 0, 19041, 3636)),
            (0x7FFB88000000, 0xC2000, r"C:\Windows\System32\kernel32.dll", "kernel32.pdb", (10, 0, 19041, 3636)),
            (0x7FFB86000000, 0x100000, r"C:\Windows\System32\ucrtbase.dll", "ucrtbase.pdb", (10, 0, 19041, 3636))]
    mod_entries = b""
    for i, (base, size, path, pdb, ver) in enumerate(mods):
        name = w.string(path)
        guid = uuid.UUID(int=(0x5EED0000_0000_4000_8000_000000000000 + i * 0x1111)).bytes_le
        cv = w.put(b"RSDS" + guid + struct.pack("<I", 1) + pdb.encode() + b"\0")
        cv_len = 4 + 16 + 4 + len(pdb) + 1
        ms, ls = (ver[0] << 16) | ver[1], (ver[2] << 16) | ver[3]
        vsfixed = struct.pack("<13I", 0xFEEF04BD, 0x10000, ms, ls, ms, ls, 0x3F, 0, 0x40004, 2 if i == 0 else 2, 0, 0, 0)
        mod_entries += struct.pack("<QIIII", base, size, 0x1234 + i, 0x60000000 + i, name) + vsfixed + \
            struct.pack("<IIII", cv_len, cv, 0, 0) + b"\0" * 16
    stream(4, struct.pack("<I", len(mods)) + mod_entries)

    # Threads: main (crashed), a worker, a timer thread. Stacks captured in MemoryList.
    exe, pool, ntdll = mods[0][0], mods[1][0], mods[2][0]
    threads = [(0x1A2C, exe + 0x1F3A, 0x000000E1F00FF6A0, "main"),
               (0x2B40, pool + 0x4C10, 0x000000E1F03FF8B0, "pool-worker"),
               (0x3C14, ntdll + 0xA1234, 0x000000E1F05FF9C0, None)]
    thread_entries = b""
    ranges = []
    for tid, rip, rsp, _ in threads:
        stack = bytes((tid + k) & 0xFF for k in range(256))
        stack_rva = w.put(stack)
        ranges.append((rsp, len(stack), stack_rva))
        ctx = bytearray(1232)
        struct.pack_into("<I", ctx, 0x30, 0x10001F)  # CONTEXT_AMD64 | ALL
        struct.pack_into("<Q", ctx, 0x98, rsp)
        struct.pack_into("<Q", ctx, 0xA0, rsp + 0x40)
        struct.pack_into("<Q", ctx, 0xF8, rip)
        ctx_rva = w.put(bytes(ctx))
        thread_entries += struct.pack("<IIIIQQIIII", tid, 0, 0x20, 0, 0x000000E1F0200000 + tid, rsp, len(stack),
                                      stack_rva, len(ctx), ctx_rva)
    stream(3, struct.pack("<I", len(threads)) + thread_entries)
    stream(5, struct.pack("<I", len(ranges)) + b"".join(struct.pack("<QII", a, n, r) for a, n, r in ranges))

    names = [(tid, w.string(n)) for tid, _, _, n in threads if n]
    stream(24, struct.pack("<I", len(names)) + b"".join(struct.pack("<IQ", t, r) for t, r in names))

    # Exception: write access violation at 0x10 in leaky_service.exe.
    crash_ctx = streams and w.put(bytes(1232))
    ctx = bytearray(1232)
    struct.pack_into("<I", ctx, 0x30, 0x10001F)
    struct.pack_into("<Q", ctx, 0x98, threads[0][2])
    struct.pack_into("<Q", ctx, 0xF8, threads[0][1])
    w.buf[crash_ctx:crash_ctx + 1232] = ctx
    params = [1, 0x10] + [0] * 13
    stream(6, struct.pack("<IIIIQQII", threads[0][0], 0, 0xC0000005, 0, 0, threads[0][1], 2, 0)
           + struct.pack("<15Q", *params) + struct.pack("<II", 1232, crash_ctx))

    # Misc info (MISC_INFO_2, 44 bytes): pid, process times.
    stream(15, struct.pack("<IIIIII", 44, 0x7, 4242, 1795000000, 3, 1) + struct.pack("<5I", 2995, 2995, 2995, 1, 1))

    # Address space: 64 KB-granular, fragmented low region with a largest free hole of 96 MiB.
    regions = []
    addr = 0x10000
    layout = [("free", 0x10000000), ("commit", 0x02000000), ("free", 0x06000000), ("reserve", 0x01000000),
              ("commit", 0x00800000), ("free", 0x03000000), ("commit", 0x00400000)]
    for state, size in layout:
        regions.append((addr, state, size))
        addr += size
    for base, size, *_ in mods:
        regions.append((base, "image", size))
    info = b""
    states = {"free": 0x10000, "commit": 0x1000, "reserve": 0x2000, "image": 0x1000}
    types = {"free": 0, "commit": 0x20000, "reserve": 0x20000, "image": 0x1000000}
    for base, kind, size in regions:
        info += struct.pack("<QQIIQIIII", base, 0 if kind == "free" else base, 0 if kind == "free" else 4, 0,
                            size, states[kind], 1 if kind == "free" else 4, types[kind], 0)
    stream(16, struct.pack("<IIQ", 16, 48, len(regions)) + info)

    # Handles (v2 descriptors): events, files, a mutant, threads.
    typenames = {t: w.string(t) for t in ("Event", "File", "Mutant", "Thread", "Key")}
    handles = [(4 * (i + 1), t) for i, t in enumerate(["Event"] * 7 + ["File"] * 4 + ["Thread"] * 3 + ["Mutant", "Key"])]
    objname = w.string(r"\Device\HarddiskVolume3\ProgramData\Leaky\journal.log")
    hd = b"".join(struct.pack("<QIIIIIIII", h, typenames[t], objname if t == "File" else 0, 0, 0x1F0003, 1, 2, 0, 0)
                  for h, t in handles)
    stream(12, struct.pack("<IIII", 16, 40, len(handles), 0) + hd)

    # A comment, as procdump and WinDbg .dump /c write it.
    stream(10, b"Leakscope sample dump: made by testdata/minidump/make_sample_dump.py\0")

    mem64_ranges = []
    if memory64_bytes:
        chunk = 1 << 30
        base = 0x0000020000000000
        left = memory64_bytes
        while left > 0:
            n = min(chunk, left)
            mem64_ranges.append((base, n))
            base += n + 0x10000
            left -= n
        list_rva = w.put(b"\0" * (16 + 16 * len(mem64_ranges)))
        streams.append((9, list_rva, 16 + 16 * len(mem64_ranges)))

    # Directory and header.
    for i, (stype, rva, size) in enumerate(streams):
        struct.pack_into("<III", w.buf, dir_rva + 12 * i, stype, size, rva)
    struct.pack_into("<4sHHIIIIQ", w.buf, 0, b"MDMP", 0xA793, 0, len(streams), dir_rva, 0, 1795000120,
                     0x1826 if memory64_bytes else 0x1824)
    data_rva = 0
    if mem64_ranges:
        w.align(16)
        data_rva = len(w.buf)
        body = struct.pack("<QQ", len(mem64_ranges), data_rva) + b"".join(struct.pack("<QQ", a, n) for a, n in mem64_ranges)
        w.buf[list_rva:list_rva + len(body)] = body
    return bytes(w.buf), data_rva, sum(n for _, n in mem64_ranges)


# Breakpad .sym files for the two modules of the sample's own, so --symbols-path has something to resolve.
SYMBOLS = {
    ("leaky_service.pdb", 0): """MODULE windows x86_64 {id} leaky_service.pdb
INFO CODE_ID 60000000{size:x} leaky_service.exe
FILE 0 c:\\src\\leaky\\service.cpp
FILE 1 c:\\src\\leaky\\cache.cpp
FUNC 1000 80 0 main
1000 20 12 0
1020 60 14 0
FUNC 1e80 f0 0 LeakyCache::Insert(Key const&, Value&&)
1e80 40 85 1
1ec0 7a 86 1
1f3a 76 88 1
PUBLIC 3000 0 __scrt_common_main_seh
""",
    ("pool.pdb", 1): """MODULE windows x86_64 {id} pool.pdb
INFO CODE_ID 60000001{size:x} pool.dll
FILE 0 c:\\src\\leaky\\pool.cpp
FUNC 4b00 200 0 ThreadPool::WorkerLoop()
4b00 110 40 0
4c10 f0 44 0
""",
}


def write_symbols(root):
    import os
    for (pdb, index), text in SYMBOLS.items():
        guid = uuid.UUID(int=(0x5EED0000_0000_4000_8000_000000000000 + index * 0x1111)).bytes_le
        d1, d2, d3 = struct.unpack("<IHH", guid[:8])
        debug_id = "%08X%04X%04X%s1" % (d1, d2, d3, guid[8:].hex().upper())
        folder = os.path.join(root, pdb, debug_id)
        os.makedirs(folder, exist_ok=True)
        size = 0x3A000 if index == 0 else 0x21000
        with open(os.path.join(folder, pdb[:-4] + ".sym"), "w", newline="\n") as f:
            f.write(text.format(id=debug_id, size=size))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--memory64", type=size_arg, default=0, help="bytes of sparse Memory64 data (e.g. 6G)")
    ap.add_argument("--symbols", help="also write a Breakpad symbol store for the sample's own modules here")
    a = ap.parse_args()
    if a.symbols:
        write_symbols(a.symbols)
    data, data_rva, mem = build(a.memory64)
    with open(a.out, "wb") as f:
        f.write(data)
        if mem:
            f.truncate(data_rva + mem)  # a hole: the file is that long but uses no blocks
            f.seek(data_rva)
            f.write(b"MEM64DATA")  # first bytes of the first range, so reads can be checked


if __name__ == "__main__":
    main()
