#!/usr/bin/env python3
"""Checks a minidump written by resmon_client.exe, independently of the Java reader.

  check_dump.py DUMP --table      the dump has an exception stream and one stream 0x4C4B0001 holding a table image
                                  (LKRMIMG1, every range inside the stream, the header range at header_va starting
                                  with the table magic, a module list: module chunks each followed by its strings)
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
    pos, header_ok, modules, strings_va, strings_len = 24, False, 0, None, 0
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
        elif data[:4] == b"RMMD":  # a module chunk (1.1): its string area is the next range, where it says
            _, entry_size, capacity, _, _, string_used = struct.unpack_from("<4sIIIII", data, 0)
            strings_va, modules = va + 32 + capacity * entry_size, modules + 1
            strings_len = string_used
        elif (va, length) == (strings_va, strings_len):
            strings_va = None
        elif data[:4] != b"RMCK":
            fail("range %d at 0x%x is neither the header, a chunk, a module chunk nor its strings" % (i, va))
        pos = end
    if strings_va is not None:
        fail("a module chunk's string area (0x%x) is not in the image" % strings_va)
    if not header_ok:
        fail("no range at header_va 0x%x" % header_va)
    if modules == 0:
        fail("no module chunk: the table lists no modules")
    print("table image: %d ranges (%d module chunks), header at 0x%016x, %d bytes" % (count, modules, header_va,
                                                                                    len(img)))


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
