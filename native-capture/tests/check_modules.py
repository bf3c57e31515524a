#!/usr/bin/env python3
"""Checks the module list of a table image (docs/formats/resmon-table.md, version 1.1), read here with its own
code (not the Java reader's), against the files on disk. Used by the Linux and the Windows tests.

  check_modules.py IMAGE [--loaded NAME[=FILE]] [--late NAME] [--unloaded NAME] [--base NAME=HEX]
                         [--moved OTHER_IMAGE NAME NAME]

--loaded   a loaded module whose path ends in NAME; with FILE, its id is the file's (GNU build id, or the
           CodeView GUID and age of a PE) and so is its size (ELF: the span of its PT_LOAD segments); FILE @ is
           the file at the path the table recorded
--late     NAME was loaded after the capture started (load_time_ns > 0)
--unloaded NAME's entry stays with an unload time
--base     NAME is loaded at HEX
--moved    both NAMEs sit at other bases in OTHER_IMAGE, moved by different amounts (a real ASLR pair)
"""
import struct
import sys


def fail(msg):
    print(f"check_modules: {msg}", file=sys.stderr)
    sys.exit(1)


def ranges(path):
    data = open(path, "rb").read()
    if data[:8] != b"LKRMIMG1":
        fail(f"{path}: not a table image")
    count, header_va = struct.unpack_from("<IQ", data, 12)
    out, at = {}, 24
    for _ in range(count):
        va, length = struct.unpack_from("<QQ", data, at)
        out[va] = data[at + 16:at + 16 + length]
        at += 16 + (length + 7) // 8 * 8
    return out, header_va


def read(mem, va, n):
    for base, b in mem.items():
        if base <= va and va + n <= base + len(b):
            return b[va - base:va - base + n]
    fail(f"{n} bytes at {va:#x} are not in the image")


def modules(path):
    mem, header_va = ranges(path)
    header = read(mem, header_va, 576)
    major, minor = struct.unpack_from("<HH", header, 16)
    if (major, minor) < (1, 1):
        fail(f"{path}: table version {major}.{minor} has no module list")
    out, va = [], struct.unpack_from("<Q", header, 536)[0]
    while va:
        magic, entry_size, capacity, used, string_bytes, string_used, nxt = struct.unpack_from(
            "<IIIIIIQ", read(mem, va, 32))
        if magic != 0x444D4D52:
            fail(f"{path}: no module chunk at {va:#x}")
        strings = read(mem, va + 32 + capacity * entry_size, string_used)
        for i in range(used):
            e = read(mem, va + 32 + i * entry_size, 96)
            base, size, loaded, unloaded, path_at, debug_at, kind, id_len, age, stamp = struct.unpack_from(
                "<QQQQIIHHII", e)
            name = strings[path_at:strings.index(b"\0", path_at)].decode("utf-8")
            out.append(dict(base=base, size=size, loaded=loaded, unloaded=unloaded, path=name, kind=kind,
                            id=e[56:56 + id_len], age=age, timestamp=stamp))
        va = nxt
    return out


def elf_identity(path):
    """(build id, span of PT_LOAD) of a 64-bit little-endian ELF file."""
    d = open(path, "rb").read()
    if d[:4] != b"\x7fELF" or d[4] != 2:
        fail(f"{path}: not a 64-bit ELF file")
    phoff, = struct.unpack_from("<Q", d, 32)
    phentsize, phnum = struct.unpack_from("<HH", d, 54)
    lo, hi, build_id = None, 0, None
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, p_memsz, p_align = struct.unpack_from(
            "<IIQQQQQQ", d, phoff + i * phentsize)
        if p_type == 1:
            lo = p_vaddr if lo is None else min(lo, p_vaddr)
            hi = max(hi, p_vaddr + p_memsz)
        if p_type == 4:
            at, end, align = p_offset, p_offset + p_filesz, 8 if p_align == 8 else 4
            while at + 12 <= end:
                namesz, descsz, n_type = struct.unpack_from("<III", d, at)
                desc = at + 12 + (namesz + align - 1) // align * align
                if n_type == 3 and d[at + 12:at + 16] == b"GNU\0":
                    build_id = d[desc:desc + descsz]
                at = desc + (descsz + align - 1) // align * align
    return build_id, hi - lo


def pe_identity(path):
    """(CodeView GUID + age, SizeOfImage, TimeDateStamp) of a PE file."""
    rsds, _, image_size, stamp = pe_codeview(path)
    return rsds, image_size, stamp


def pe_codeview(path):
    """(CodeView GUID + age, its PDB path (bytes, b"" for none), SizeOfImage, TimeDateStamp) of a PE file."""
    d = open(path, "rb").read()
    nt, = struct.unpack_from("<I", d, 0x3C)
    sections, = struct.unpack_from("<H", d, nt + 6)
    stamp, = struct.unpack_from("<I", d, nt + 8)
    opt_size, = struct.unpack_from("<H", d, nt + 20)
    opt = nt + 24
    pe64 = struct.unpack_from("<H", d, opt)[0] == 0x20B
    image_size, = struct.unpack_from("<I", d, opt + 56)
    dirs = opt + (112 if pe64 else 96)
    debug_rva, debug_size = struct.unpack_from("<II", d, dirs + 6 * 8)
    table = opt + opt_size

    def offset(rva):
        for s in range(sections):
            vsize, vaddr, rawsize, rawptr = struct.unpack_from("<IIII", d, table + 40 * s + 8)
            if vaddr <= rva < vaddr + max(vsize, rawsize):
                return rva - vaddr + rawptr
        fail(f"{path}: RVA {rva:#x} is in no section")

    for i in range(debug_size // 28 if debug_rva else 0):
        _, _, _, _, kind, size, rva, ptr = struct.unpack_from("<IIHHIIII", d, offset(debug_rva) + 28 * i)
        if kind == 2 and d[ptr:ptr + 4] == b"RSDS":
            pdb = d[ptr + 24:ptr + size].split(b"\0")[0]
            return d[ptr + 4:ptr + 20] + d[ptr + 20:ptr + 24], pdb, image_size, stamp
    return None, b"", image_size, stamp


def by_name(mods, name, loaded_only=True):
    hits = [m for m in mods if m["path"].replace("\\", "/").split("/")[-1].lower() == name.lower()
            and (not loaded_only or m["unloaded"] == 0)]
    if not hits:
        fail(f"no {'loaded ' if loaded_only else ''}module {name} in {[m['path'] for m in mods]}")
    return hits[-1]


def main(argv):
    image, args = argv[0], argv[1:]
    mods = modules(image)
    checked = []
    while args:
        opt = args.pop(0)
        if opt == "--loaded":
            name, _, file = args.pop(0).partition("=")
            m = by_name(mods, name)
            file = m["path"] if file == "@" else file
            if file and m["kind"] == 1:
                build_id, span = elf_identity(file)
                if m["id"] != build_id or m["size"] != span:
                    fail(f"{name}: id {m['id'].hex()} size {m['size']:#x}, the file has {build_id.hex()} {span:#x}")
            elif file and m["kind"] == 2:
                rsds, image_size, stamp = pe_identity(file)
                got = m["id"] + struct.pack("<I", m["age"])
                if got != rsds or m["size"] != image_size or m["timestamp"] != stamp:
                    fail(f"{name}: CodeView {got.hex()} size {m['size']:#x} timestamp {m['timestamp']:#x}, the file"
                         f" has {rsds.hex() if rsds else None} {image_size:#x} {stamp:#x}")
            elif file:
                fail(f"{name}: recorded without an id (kind {m['kind']}), but {file} was given to compare")
        elif opt == "--late":
            name = args.pop(0)
            if by_name(mods, name, False)["loaded"] == 0:
                fail(f"{name}: no load time, but it was loaded after the capture started")
        elif opt == "--unloaded":
            name = args.pop(0)
            if by_name(mods, name, False)["unloaded"] == 0:
                fail(f"{name}: still listed as loaded")
        elif opt == "--base":
            name, _, base = args.pop(0).partition("=")
            if by_name(mods, name)["base"] != int(base, 16):
                fail(f"{name}: base {by_name(mods, name)['base']:#x}, expected {base}")
        elif opt == "--moved":
            other, a, b = modules(args.pop(0)), args.pop(0), args.pop(0)
            da = by_name(other, a)["base"] - by_name(mods, a)["base"]
            db = by_name(other, b)["base"] - by_name(mods, b)["base"]
            if da == 0 or db == 0 or da == db:
                fail(f"{a} moved by {da:#x} and {b} by {db:#x}: not two runs under ASLR")
        else:
            fail(f"unknown option {opt}")
        checked.append(opt)
    print(f"check_modules: {image}: {len(mods)} modules, {len(checked)} checks passed")


if __name__ == "__main__":
    main(sys.argv[1:])
