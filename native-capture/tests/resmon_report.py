"""What the trackers' checks read from a resmon log, read here with its own code (not the Java reader's):
the resmon lines, the last exit report and its records, the planted leaks it must hold, and the module lines
with their identity fields
(docs/formats/resmon.md §9), which module_ids_match compares with the files themselves. Imported by
tests/check_report.py (libresmon.so) and windows/dll/check_report.py (resmon.dll).
"""
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_modules import pe_codeview  # noqa: E402 (the CodeView record, read from the PE file)


ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}


def unescape(text):
    """Wine's debugstr escapes undone, left to right (`\\native` is a backslash and `native`, not a newline)."""
    return re.sub(r"\\(x[0-9a-fA-F]{2}|.)", lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 3
                  else ESCAPES.get(m.group(1), m.group(1)), text)


def lines(path):
    """The text after `|resmon| ` of every resmon line: of a DebugView-layout log, or of Wine's +debugstr
    output (OutputDebugStringA "..." with its escapes undone)."""
    for line in open(path, encoding="utf-8", errors="replace").read().splitlines():
        m = re.search(r'OutputDebugString[AW] "(.*)"$', line)
        if m:
            line = unescape(m.group(1))
        i = line.find("|resmon| ")
        if i >= 0:
            yield line[i + 9:].rstrip()


def last_exit_report(report_lines):
    """The lines of the last exit report, its header to its closing `=` line; exits when there is none."""
    starts = [i for i, line in enumerate(report_lines) if line.startswith("=========== CHECK UNRELEASED")]
    if not starts:
        sys.exit("check_report: no exit report (CHECK UNRELEASED RESOUCRES) in the log")
    end = next((j for j in range(starts[-1] + 1, len(report_lines)) if report_lines[j].startswith("=" * 51)), None)
    if end is None:
        sys.exit("check_report: the exit report is cut off")
    return report_lines[starts[-1]:end + 1]


def records(report):
    """(kind, size or None, returnAddress) per record of a report (kind heap|thread|sync|handle)."""
    kinds = {"memory": "heap", "thread": "thread", "sync object": "sync", "handle": "handle"}
    kind = size = None
    for line in report:
        m = re.match(r"-+ (memory|thread|sync object|handle) usage \d+ -+$", line)
        if m:
            kind = kinds[m.group(1)]
            continue
        m = re.match(r"base 0x[0-9A-F]+ size (\d+) ", line)
        if m:
            size = int(m.group(1))
        m = re.match(r"returnAddress 0x([0-9A-F]+)$", line)
        if m:
            yield kind, size if kind == "heap" else None, int(m.group(1), 16)
            size = None


def expectations(args):
    """{(function, kind, size or None): count} from EXPECT arguments, function:kind:count[:size]."""
    expected = {}
    for e in args:
        parts = e.split(":")
        expected[(parts[0], parts[1], int(parts[3]) if len(parts) > 3 else None)] = int(parts[2])
    return expected


def exactly(found, expected, where):
    """Exits 1, naming each difference, unless the report's call sites are exactly the planted ones."""
    if found != expected:
        print(f"check_report: the exit report{where} differs from the planted leaks", file=sys.stderr)
        for key in sorted(set(found) | set(expected), key=str):
            if found.get(key) != expected.get(key):
                print(f"  {key}: expected {expected.get(key, 0)}, found {found.get(key, 0)}", file=sys.stderr)
        sys.exit(1)
    print(f"check_report: {sum(found.values())} records at {len(found)} call sites, exactly the planted leaks")


def lowest_load_address(path):
    """The p_vaddr of the first PT_LOAD segment of a 64- or 32-bit little-endian ELF file."""
    with open(path, "rb") as f:
        head = f.read(64)
        wide = head[4] == 2
        phoff, phentsize, phnum = (struct.unpack_from("<Q", head, 32)[0], *struct.unpack_from("<HH", head, 54)) \
            if wide else (struct.unpack_from("<I", head, 28)[0], *struct.unpack_from("<HH", head, 42))
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            entry = f.read(phentsize)
            if struct.unpack_from("<I", entry, 0)[0] == 1:  # PT_LOAD
                return struct.unpack_from("<Q", entry, 16)[0] if wide else struct.unpack_from("<I", entry, 8)[0]
    return 0


FIELD = re.compile(r"(buildid|debugid|pdb|timestamp) (\S+) ")


def modules(report_lines):
    """Every module line as dict(base, size, path, fields={name: value})."""
    out = []
    for line in report_lines:
        m = re.match(r"module 0x([0-9A-F]{16}) size (\d+) (.*)$", line)
        if not m:
            continue
        rest, fields = m.group(3), {}
        while True:
            f = FIELD.match(rest)
            if not f:
                break
            fields[f.group(1)] = f.group(2)
            rest = rest[f.end():]
        out.append(dict(base=int(m.group(1), 16), size=int(m.group(2)), path=rest, fields=fields))
    return out


def local_path(path):
    """Where a module's path is here: itself, or a Wine Z: path as the Linux path; None for other drives."""
    if re.match(r"[Zz]:\\", path):
        return path[2:].replace("\\", "/")
    return path if path.startswith("/") else None


def elf_build_id(path):
    """The GNU build id `readelf -n` prints for the file, or None."""
    notes = subprocess.run(["readelf", "-n", path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Build ID: ([0-9a-f]+)", notes)
    return m.group(1) if m else None


def pe_fields(path):
    """The fields resmon.dll's module line must carry for this PE file."""
    rsds, pdb, _, stamp = pe_codeview(path)
    fields = {"timestamp": "0x%08X" % stamp}
    if rsds:
        d1, d2, d3 = struct.unpack_from("<IHH", rsds, 0)
        age, = struct.unpack_from("<I", rsds, 16)
        fields["debugid"] = "%08X%04X%04X%s%X" % (d1, d2, d3, rsds[8:16].hex().upper(), age)
        name = re.split(rb"[\\/]", pdb)[-1]
        if name:
            fields["pdb"] = b"".join(b"%%%02X" % b if b <= 0x20 or b in (0x25, 0x7F) else bytes([b])
                                     for b in name).decode("utf-8", "replace")
    return fields


def module_ids_match(mods, must):
    """Each module line naming a file on this machine carries exactly that file's identity (ELF: the build id
    readelf prints; PE: the CodeView GUID and age and the link timestamp); the files in `must` (real paths)
    each have a module line. Returns the list of differences, empty when all agree; prints what was checked."""
    wrong, checked = [], set()
    for m in mods:
        path = local_path(m["path"])
        if path is None or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            magic = f.read(4)
        if magic == b"\x7fELF":
            build_id = elf_build_id(path)
            want = {"buildid": build_id} if build_id else {}
        elif magic[:2] == b"MZ":
            want = pe_fields(path)
        else:
            continue
        if m["fields"] != want:
            wrong.append(f"{m['path']}: the module line has {m['fields']}, the file {want}")
        checked.add(os.path.realpath(path))
    missing = [p for p in must if os.path.realpath(p) not in checked]
    wrong += [f"{p}: no module line names it" for p in missing]
    print(f"check_report: {len(checked)} module lines carry the ids of their files"
          f" ({sum(1 for m in mods if m['fields'])} with ids, {len(mods)} in all)")
    return wrong
