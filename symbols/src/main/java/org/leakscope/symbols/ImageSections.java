package org.leakscope.symbols;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.leakscope.model.InputFormatException;

/**
 * The section table of an ELF or PE program file, by name: where each section lies in the file and at which
 * address it is loaded, read through the same {@code elf_symbols.ksy} and {@code pe_symbols.ksy} structures as
 * {@link ElfSymbolFile} and {@link PeSymbolFile}. The DWARF readers find {@code .eh_frame}, {@code .debug_frame}
 * and friends here; only the headers are read, never a section's bytes.
 *
 * <p>Addresses are the file's own: ELF {@code sh_addr}, PE ImageBase + VirtualAddress (so an absolute pointer
 * in {@code .eh_frame} reads as an address here). {@link #loadBase()} is what module offsets count from: the
 * first PT_LOAD segment's address (as Breakpad's dump_syms takes it), or the PE ImageBase.
 *
 * @param source   the file, for messages
 * @param pe       true for a PE file, false for ELF
 * @param machine  ELF {@code e_machine} or PE {@code Machine}
 * @param is64     ELFCLASS64 or PE32+
 * @param loadBase the address module offsets count from
 * @param sections every section with a name, in header order
 */
public record ImageSections(String source, boolean pe, int machine, boolean is64, long loadBase,
        List<Section> sections) {
    private static final int SHT_NOBITS = 8;
    private static final long SHF_COMPRESSED = 0x800;
    private static final int PT_LOAD = 1;
    private static final int PE_SECTION_HEADER = 40;
    private static final int COFF_SYMBOL = 18;
    /** Longest section name read from a string table. */
    private static final int MAX_NAME = 256;

    public ImageSections {
        sections = List.copyOf(sections);
    }

    /**
     * One section.
     *
     * @param name       its name ({@code .eh_frame}; PE long names resolved through the COFF string table)
     * @param address    where it is loaded (see the class comment)
     * @param fileOffset where its bytes start in the file
     * @param fileSize   how many of its bytes the file holds (0 for ELF NOBITS)
     * @param compressed ELF {@code SHF_COMPRESSED}: the bytes start with an {@code Elf_Chdr}
     */
    public record Section(String name, long address, long fileOffset, long fileSize, boolean compressed) {
        /** Whether {@code address} lies in the part of this section the file holds. */
        public boolean holds(long address) {
            long off = address - this.address;
            return off >= 0 && off < fileSize;
        }
    }

    /** The first section of this name. */
    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The section whose file bytes hold {@code address}. */
    public Optional<Section> sectionAt(long address) {
        return sections.stream().filter(s -> s.holds(address)).findFirst();
    }

    /** Reads the section table of an ELF (by its magic) or PE file. */
    public static ImageSections read(FileChannel ch, String source) throws IOException {
        long size = ch.size();
        byte[] magic = FileRange.read(ch, source, 0, Math.min(4, size), size, "a file magic");
        if (magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F') {
            return elf(ch, source, size);
        }
        if (magic.length >= 2 && magic[0] == 'M' && magic[1] == 'Z') {
            return pe(ch, source, size);
        }
        throw InputFormatException.atOffset(source, 0, "an ELF or PE file", "another magic");
    }

    private static ImageSections elf(FileChannel ch, String source, long size) throws IOException {
        ElfHeader header = ElfHeader.read(ch, source, size, "an ELF or PE header", "a header");
        boolean is64 = header.is64();
        int machine = header.machine();
        long loadBase = 0;
        if (header.phentsize() >= (is64 ? 56 : 32)) { // short entries: no load base, the sections still readable
            for (ElfIdentity.Segment seg : header.segments(ch, source, size, "an ELF or PE header", "a header")) {
                if (seg.type() == PT_LOAD) {
                    loadBase = seg.vaddr(); // the first PT_LOAD, as dump_syms's GetLoadingAddress
                    break;
                }
            }
        }
        List<ElfHeader.SectionHeader> raw = header.sections(ch, source, size, "an ELF or PE header", "a header");
        if (raw.isEmpty()) {
            return new ImageSections(source, false, machine, is64, loadBase, List.of());
        }
        int shstrndx = header.shstrndx();
        byte[] names = new byte[0];
        if (shstrndx < raw.size() && raw.get(shstrndx).size() <= (16 << 20)) {
            ElfHeader.SectionHeader t = raw.get(shstrndx);
            names = FileRange.read(ch, source, t.offset(), t.size(), size, "the section name table");
        }
        List<Section> out = new ArrayList<>(raw.size());
        for (ElfHeader.SectionHeader s : raw) {
            String name = string(names, s.name());
            if (name == null) {
                continue;
            }
            long fileSize = s.type() == SHT_NOBITS ? 0 : s.size();
            out.add(new Section(name, s.addr(), s.offset(), fileSize, (s.flags() & SHF_COMPRESSED) != 0));
        }
        return new ImageSections(source, false, machine, is64, loadBase, out);
    }

    private static ImageSections pe(FileChannel ch, String source, long size) throws IOException {
        PeSymbols.DosHeader dos = parse(source, FileRange.read(ch, source, 0, 64, size, "an MS-DOS header"), 0,
                PeSymbols.DosHeader::new);
        long peAt = dos.ofsPeHeader();
        PeSymbols.PeHeader peHeader = parse(source, FileRange.read(ch, source, peAt, 24, size, "the PE header"), peAt,
                PeSymbols.PeHeader::new);
        PeSymbols.CoffHeader coff = peHeader.coffHeader();
        long optAt = peAt + 24;
        int optLen = coff.lenOptionalHeader();
        byte[] opt = FileRange.read(ch, source, optAt, optLen, size, "the optional header");
        boolean is64 = optLen >= 2 && (opt[0] & 0xff | (opt[1] & 0xff) << 8) == 0x20b;
        long imageBase;
        if (is64) {
            imageBase = parse(source, opt, optAt, PeSymbols.OptionalHeader64::new).imageBase();
        } else {
            imageBase = parse(source, opt, optAt, PeSymbols.OptionalHeader32::new).imageBase();
        }
        // Long names ("/4") index the COFF string table right after the symbol table; mingw keeps both.
        byte[] strings = new byte[0];
        long strAt = coff.ofsSymbolTable() + coff.numSymbols() * COFF_SYMBOL;
        if (coff.ofsSymbolTable() != 0 && strAt <= size - 4) {
            long len = parse(source, FileRange.read(ch, source, strAt, 4, size, "the string table's length"), strAt,
                    PeSymbols.StringTableHeader::new).lenStringTable();
            strings = FileRange.read(ch, source, strAt, Math.min(len, Math.min(size - strAt, 16 << 20)), size,
                    "the COFF string table");
        }
        int count = coff.numSections();
        long secAt = optAt + optLen;
        byte[] sh = FileRange.read(ch, source, secAt, (long) count * PE_SECTION_HEADER, size,
                count + " section headers");
        List<Section> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            PeSymbols.SectionHeader s = parse(source, sh, secAt + (long) i * PE_SECTION_HEADER,
                    i * PE_SECTION_HEADER, PeSymbols.SectionHeader::new);
            String name = s.name();
            if (name.startsWith("/") && name.length() > 1 && name.substring(1).chars().allMatch(Character::isDigit)) {
                name = string(strings, Long.parseLong(name.substring(1)));
            }
            if (name == null) {
                continue;
            }
            // The file holds min(VirtualSize, SizeOfRawData) bytes of the section; the rest is zero-filled memory.
            long fileSize = s.virtualSize() != 0 ? Math.min(s.virtualSize(), s.lenRawData()) : s.lenRawData();
            out.add(new Section(name, imageBase + s.rva(), s.ofsRawData(), fileSize, false));
        }
        return new ImageSections(source, true, coff.machine(), is64, imageBase, out);
    }

    /** The NUL-terminated name at {@code at}, or null when it is outside the table or empty. */
    private static String string(byte[] table, long at) {
        if (at < 0 || at >= table.length) {
            return null;
        }
        int end = (int) at;
        int cap = (int) Math.min(table.length, at + MAX_NAME);
        while (end < cap && table[end] != 0) {
            end++;
        }
        return end == at ? null : new String(table, (int) at, end - (int) at, StandardCharsets.UTF_8);
    }

    private static <T> T parse(String source, byte[] bytes, long fileOffset, FileRange.Ctor<T> ctor) {
        return parse(source, bytes, fileOffset, 0, ctor);
    }

    private static <T> T parse(String source, byte[] bytes, long fileOffset, int index, FileRange.Ctor<T> ctor) {
        return FileRange.parse(source, bytes, index, fileOffset, "an ELF or PE header", "a header", ctor);
    }
}
