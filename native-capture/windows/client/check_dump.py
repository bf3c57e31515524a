#!/usr/bin/env python3
"""Checks a minidump written by resmon_client.exe, independently of the Java reader.

  check_dump.py DUMP --table      the dump has an exception stream and one stream 0x4C4B0001 holding a table image
                                  (LKRMIMG1, every range inside the stream, the header range at header_va starting
                                  with the table magic)
  check_dump.py DUMP --no-table   the dump has an exception stream and no stream 0x4C4B0001
Prints the stream directory; exits 1 with the reason when a check fails.
"""
import struct
import sys

USER_STREAM_TABLE = 0x4C4B0001
EXCEPTION_STREAM = 6


def fail(msg):
    print("check_dump: " + msg, file=sys.stderr)
    sys.exit(1)


def check_image(img):
    if len(img) < 24 or img[:8] != b"LKRMIMG1":
        fail("table stream does not start with LKRMIMG1: %r" % img[:8])
    version, count, header_va = struct.unpack_from("<IIQ", img, 8)
    if version != 1:
        fail("table image version %d" % version)
    pos, header_ok = 24, False
    for i in range(count):
        if pos + 16 > len(img):
            fail("range %d header at %d passes the stream's end (%d)" % (i, pos, len(img)))
        va, length = struct.unpack_from("<QQ", img, pos)
        end = pos + 16 + ((length + 7) & ~7)
        if end > len(img):
            fail("range %d (va 0x%x, %d bytes) passes the stream's end" % (i, va, length))
        data = img[pos + 16:pos + 16 + length]
        if va == header_va:
            magic = b"LKRESMON"
            if data[:16] != magic + bytes(~b & 0xFF for b in magic):
                fail("the header range at 0x%x lacks the table magic" % va)
            header_ok = True
        elif data[:4] != b"RMCK":
            fail("range %d at 0x%x is neither the header nor a chunk" % (i, va))
        pos = end
    if not header_ok:
        fail("no range at header_va 0x%x" % header_va)
    print("table image: %d ranges, header at 0x%016x, %d bytes" % (count, header_va, len(img)))


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("--table", "--no-table"):
        fail("usage: check_dump.py DUMP --table|--no-table")
    d = open(sys.argv[1], "rb").read()
    if len(d) < 32 or d[:4] != b"MDMP":
        fail("not a minidump (%d bytes, starts %r)" % (len(d), d[:4]))
    _, _, count, rva = struct.unpack_from("<4sIII", d, 0)
    if rva + 12 * count > len(d):
        fail("stream directory (%d entries at %d) passes the file's end (%d)" % (count, rva, len(d)))
    types = []
    tables = []
    for i in range(count):
        kind, size, off = struct.unpack_from("<III", d, rva + 12 * i)
        if off + size > len(d):
            fail("stream %d (type 0x%x at %d, %d bytes) passes the file's end" % (i, kind, off, size))
        print("stream 0x%08x at %d, %d bytes" % (kind, off, size))
        types.append(kind)
        if kind == USER_STREAM_TABLE:
            tables.append(d[off:off + size])
    if EXCEPTION_STREAM not in types:
        fail("no exception stream")
    if sys.argv[2] == "--no-table":
        if tables:
            fail("a table stream is present, but none was asked for")
        return
    if len(tables) != 1:
        fail("%d table streams (0x4C4B0001), expected 1" % len(tables))
    check_image(tables[0])


main()
