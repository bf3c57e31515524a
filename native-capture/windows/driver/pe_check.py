#!/usr/bin/env python3
"""Checks that a .sys is loadable as an x64 kernel driver, as far as the file can tell:

  PE32+ for x86-64, subsystem native (1), an entry point, imports from ntoskrnl.exe and hal.dll only, a
  non-empty base relocation directory (the kernel loads a driver wherever it finds room), and a valid PE
  checksum (the kernel's loader refuses a driver whose checksum is wrong; GNU ld may leave it 0).

  pe_check.py DRIVER.sys          check; exit 1 with the failures listed
  pe_check.py --fix DRIVER.sys    write the correct checksum into the file first (the build runs this after
                                  linking), then check
"""
import struct
import sys

ALLOWED_IMPORTS = {"ntoskrnl.exe", "hal.dll"}
PE32_PLUS = 0x20B
AMD64 = 0x8664
NATIVE = 1
DIR_IMPORT = 1
DIR_BASERELOC = 5


class PeError(Exception):
    pass


class Pe:
    """The few parts of a PE image the checks need, each read with its bounds checked."""

    def __init__(self, data):
        self.data = data
        if data[:2] != b"MZ":
            raise PeError("no MZ header: not a PE file")
        self.nt = self.u32(0x3C)
        if data[self.nt:self.nt + 4] != b"PE\0\0":
            raise PeError(f"no PE signature at e_lfanew 0x{self.nt:X}")
        coff = self.nt + 4
        self.machine = self.u16(coff)
        sections = self.u16(coff + 2)
        optional_size = self.u16(coff + 16)
        self.opt = coff + 20
        self.magic = self.u16(self.opt)
        if self.magic != PE32_PLUS:
            raise PeError(f"optional header magic 0x{self.magic:X}, not PE32+ (0x20B)")
        self.entry = self.u32(self.opt + 16)
        self.checksum_offset = self.opt + 64
        self.subsystem = self.u16(self.opt + 68)
        directories = self.u32(self.opt + 108)
        self.directories = [(self.u32(self.opt + 112 + 8 * i), self.u32(self.opt + 116 + 8 * i))
                            for i in range(min(directories, 16))]
        self.sections = []
        table = self.opt + optional_size
        for i in range(sections):
            s = table + 40 * i
            virtual_size, rva, raw_size, raw_offset = struct.unpack_from("<IIII", self.need(s + 8, 16), 0)
            self.sections.append((rva, max(virtual_size, raw_size), raw_offset, raw_size))

    def need(self, offset, length):
        if offset < 0 or offset + length > len(self.data):
            raise PeError(f"truncated: {length} bytes at 0x{offset:X} but the file has {len(self.data)}")
        return self.data[offset:offset + length]

    def u16(self, offset):
        return struct.unpack("<H", self.need(offset, 2))[0]

    def u32(self, offset):
        return struct.unpack("<I", self.need(offset, 4))[0]

    def offset_of(self, rva):
        for start, size, raw_offset, raw_size in self.sections:
            if start <= rva < start + size and rva - start < raw_size:
                return raw_offset + rva - start
        raise PeError(f"RVA 0x{rva:X} is in no section's file data")

    def string_at(self, rva):
        offset = self.offset_of(rva)
        end = self.data.find(b"\0", offset, offset + 256)
        if end < 0:
            raise PeError(f"unterminated name at RVA 0x{rva:X}")
        return self.data[offset:end].decode("ascii", "replace")

    def imports(self):
        """{dll: [function names]} from the import directory."""
        rva, size = self.directories[DIR_IMPORT] if len(self.directories) > DIR_IMPORT else (0, 0)
        result = {}
        if rva == 0:
            return result
        offset = self.offset_of(rva)
        for i in range(4096):  # a bound, not a limit any driver reaches
            lookup, _, _, name, thunks = struct.unpack_from("<IIIII", self.need(offset + 20 * i, 20), 0)
            if name == 0 and thunks == 0:
                return result
            functions = []
            table = self.offset_of(lookup or thunks)
            for j in range(65536):
                entry = struct.unpack_from("<Q", self.need(table + 8 * j, 8), 0)[0]
                if entry == 0:
                    break
                if entry & (1 << 63):
                    functions.append(f"#{entry & 0xFFFF}")
                else:
                    functions.append(self.string_at((entry & 0x7FFFFFFF) + 2))
            result[self.string_at(name)] = functions
        raise PeError("import directory has no terminating entry")

    def relocations(self):
        """Count of base relocation entries that do something (not IMAGE_REL_BASED_ABSOLUTE padding)."""
        rva, size = self.directories[DIR_BASERELOC] if len(self.directories) > DIR_BASERELOC else (0, 0)
        if rva == 0 or size == 0:
            return 0
        offset, end, count = self.offset_of(rva), self.offset_of(rva) + size, 0
        while offset + 8 <= end:
            block_size = self.u32(offset + 4)
            if block_size < 8:
                raise PeError(f"base relocation block of {block_size} bytes at 0x{offset:X}")
            for k in range(8, block_size - 1, 2):
                if self.u16(offset + k) >> 12 != 0:
                    count += 1
            offset += block_size
        return count


def pe_checksum(data, checksum_offset):
    """The PE checksum: the 16-bit one's-complement sum of the file's words, with the checksum field counted as
    zero, plus the file's length (what imagehlp's CheckSumMappedFile computes)."""
    padded = bytes(data[:checksum_offset]) + b"\0\0\0\0" + bytes(data[checksum_offset + 4:])
    if len(padded) % 2:
        padded += b"\0"
    total = sum(struct.unpack(f"<{len(padded) // 2}H", padded))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (total + len(data)) & 0xFFFFFFFF


def check(path):
    data = open(path, "rb").read()
    pe = Pe(data)
    failures = []
    if pe.machine != AMD64:
        failures.append(f"machine 0x{pe.machine:X}, not x86-64 (0x8664)")
    if pe.subsystem != NATIVE:
        failures.append(f"subsystem {pe.subsystem}, not native (1)")
    if pe.entry == 0:
        failures.append("no entry point")
    imports = pe.imports()
    foreign = sorted(dll for dll in imports if dll.lower() not in ALLOWED_IMPORTS)
    if foreign:
        failures.append("imports from " + ", ".join(f"{dll} ({', '.join(imports[dll])})" for dll in foreign)
                        + ": a driver may import from ntoskrnl.exe and hal.dll only")
    if not any(dll.lower() == "ntoskrnl.exe" for dll in imports):
        failures.append("no imports from ntoskrnl.exe")
    relocations = pe.relocations()
    if relocations == 0:
        failures.append("no base relocations (link with --enable-reloc-section): the kernel relocates drivers")
    stored = pe.u32(pe.checksum_offset)
    computed = pe_checksum(data, pe.checksum_offset)
    if stored != computed:
        failures.append(f"checksum 0x{stored:08X} in the header, 0x{computed:08X} computed (run --fix)")
    if failures:
        raise PeError("; ".join(failures))
    functions = sum(len(f) for f in imports.values())
    return (f"PE32+ x86-64, subsystem native, entry RVA 0x{pe.entry:X}, {functions} imports from "
            f"{' and '.join(sorted(imports))}, {relocations} base relocations, checksum 0x{stored:08X} valid")


def fix(path):
    data = bytearray(open(path, "rb").read())
    pe = Pe(bytes(data))
    struct.pack_into("<I", data, pe.checksum_offset, pe_checksum(data, pe.checksum_offset))
    with open(path, "r+b") as f:
        f.write(data)


def main(argv):
    args = argv[1:]
    do_fix = "--fix" in args
    paths = [a for a in args if a != "--fix"]
    if len(paths) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = paths[0]
    try:
        if do_fix:
            fix(path)
        print(f"pe_check: {path}: {check(path)}")
        return 0
    except (OSError, PeError) as e:
        print(f"pe_check: {path}: FAILED: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
