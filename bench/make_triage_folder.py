#!/usr/bin/env python3
"""A folder like a fleet's night of uploads, for bench/triage.sh: N minidumps and M DebugView logs.

Dumps are copies of the source dumps, each made distinct the way a second crash of the same build differs: the
header's TimeDateStamp moves on and the thread ids change (ThreadList, ThreadInfoList, ThreadNames, the exception,
Breakpad's info stream), so every copy has its own content hash and nothing is remembered by accident. Logs are
copies of the testdata logs; a Sysinternals log's computer line ([\\\\NAME]) names one of 200 lab machines.

Usage: make_triage_folder.py OUT NDUMPS NLOGS SOURCE_DUMP... -- SOURCE_LOG...
"""
import os
import struct
import sys


def distinct(data, n):
    b = bytearray(data)
    if b[:4] != b"MDMP":
        return bytes(b)
    streams, directory = struct.unpack_from("<II", b, 8)
    struct.pack_into("<I", b, 20, (struct.unpack_from("<I", b, 20)[0] + 60 * n) & 0xFFFFFFFF)
    x = (n * 0x9E37) & 0xFFFF or 1

    def xor(at):
        if 0 <= at and at + 4 <= len(b):
            struct.pack_into("<I", b, at, struct.unpack_from("<I", b, at)[0] ^ x)

    for i in range(streams):
        at = directory + 12 * i
        if at + 12 > len(b):
            break
        kind, size, rva = struct.unpack_from("<III", b, at)
        if rva + 4 > len(b):
            continue
        if kind == 3:  # ThreadListStream: count, 48-byte MINIDUMP_THREADs, ThreadId first
            count = struct.unpack_from("<I", b, rva)[0]
            for t in range(min(count, (len(b) - rva - 4) // 48)):
                xor(rva + 4 + 48 * t)
        elif kind == 17:  # ThreadInfoListStream: header size, entry size, count; ThreadId first
            hdr, entry, count = struct.unpack_from("<III", b, rva)
            for t in range(count if entry else 0):
                if rva + hdr + entry * (t + 1) > len(b):
                    break
                xor(rva + hdr + entry * t)
        elif kind == 24:  # ThreadNamesStream: count, {ThreadId u32, RvaOfThreadName u64}
            count = struct.unpack_from("<I", b, rva)[0]
            for t in range(min(count, (len(b) - rva - 4) // 12)):
                xor(rva + 4 + 12 * t)
        elif kind == 6:  # ExceptionStream: ThreadId first
            xor(rva)
        elif kind == 0x47670001:  # Breakpad info: validity, dump thread id, requesting thread id
            xor(rva + 4)
            xor(rva + 8)
    return bytes(b)


def main():
    out, ndumps, nlogs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rest = sys.argv[4:]
    cut = rest.index("--")
    dumps, logs = [open(p, "rb").read() for p in rest[:cut]], [open(p, "rb").read() for p in rest[cut + 1:]]
    for n in range(ndumps):
        d = os.path.join(out, "dumps", "m%03d" % (n % 200))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "crash%05d.dmp" % n), "wb") as f:
            f.write(distinct(dumps[n % len(dumps)], n + 1))
    for n in range(nlogs):
        d = os.path.join(out, "logs", "m%03d" % (n % 200))
        os.makedirs(d, exist_ok=True)
        data = logs[n % len(logs)]
        if data.startswith(b"[\\\\"):
            end = data.index(b"]")
            data = b"[\\\\LAB-%03d" % (n % 200) + data[end:]
        with open(os.path.join(d, "capture%04d.log" % n), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
