#!/usr/bin/env python3
"""A Breakpad symbol store naming every module of a UMDH snapshot log (bench/make_umdh_log.py's).

UMDH logs record no debug ids, so Leakscope matches a .sym to a module by its name and the size in its
INFO CODE_ID line (docs/symbols.md). Each module gets a function every FUNC_SIZE bytes, each with one line
record: return addresses within one function then match by module!function, as with real symbols.
Usage: make_umdh_symbols.py LOG OUT_DIR
"""
import os
import re
import sys

FUNC_SIZE = 0x400
DEBUG_ID = "0123456789ABCDEF0123456789ABCDEF1"
ROW = re.compile(r"^//\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\S.*)$")


def modules(log):
    with open(log, "r", encoding="latin-1") as f:
        for line in f:
            if line.startswith("*"):  # the first heap: the module table is over
                return
            m = ROW.match(line.rstrip("\r\n"))
            if m:
                yield int(m.group(2), 16), re.split(r"[\\/]", m.group(3))[-1]


def write(out, size, module):
    stem, _, _ = module.rpartition(".")
    folder = os.path.join(out, stem + ".pdb", DEBUG_ID)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, stem + ".sym")
    with open(path + ".tmp", "w") as f:
        f.write("MODULE windows x86 %s %s.pdb\n" % (DEBUG_ID, stem))
        f.write("INFO CODE_ID 5E8A1B2C%X %s\n" % (size, module))
        f.write("FILE 0 c:\\src\\%s\\%s.cpp\n" % (stem, stem))
        for n, start in enumerate(range(0x1000, size, FUNC_SIZE)):
            f.write("FUNC %x %x 0 %s::Function%d(int)\n" % (start, FUNC_SIZE, stem, n))
            f.write("%x %x %d 0\n" % (start, FUNC_SIZE, 10 + n))
    os.replace(path + ".tmp", path)


def main():
    log, out = sys.argv[1], sys.argv[2]
    count = 0
    for size, module in modules(log):
        write(out, size, module)
        count += 1
    print("%d modules named under %s" % (count, out))


if __name__ == "__main__":
    main()
