package org.leakscope.symbols;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InputFormatException;

/**
 * The ELF file header fields the ELF readers (symbols, section access) need, from a 32- or 64-bit file, and its
 * program and section headers: read in one place so both check them the same way.
 */
record ElfHeader(boolean is64, int machine, long phoff, long shoff, int phnum, int phentsize, int shnum,
        int shentsize, int shstrndx) {

    /**
     * Reads the identification and the header.
     *
     * @param expected what the file should be, for errors ({@code an ELF file})
     * @param what     what a structure of it is called in errors
     */
    static ElfHeader read(FileChannel ch, String source, long size, String expected, String what)
            throws IOException {
        ElfSymbols.Ident ident = FileRange.parse(source, FileRange.read(ch, source, 0, 16, size,
                "the ELF identification"), 0, 0, expected, what, ElfSymbols.Ident::new);
        if (ident.bits() == 2) {
            ElfSymbols.Header64 h = FileRange.parse(source, FileRange.read(ch, source, 16, 48, size, "the ELF header"),
                    0, 16, expected, what, ElfSymbols.Header64::new);
            return new ElfHeader(true, h.machine(), h.phoff(), h.shoff(), h.phnum(), h.phentsize(), h.shnum(),
                    h.shentsize(), h.shstrndx());
        }
        ElfSymbols.Header32 h = FileRange.parse(source, FileRange.read(ch, source, 16, 36, size, "the ELF header"),
                0, 16, expected, what, ElfSymbols.Header32::new);
        return new ElfHeader(false, h.machine(), h.phoff(), h.shoff(), h.phnum(), h.phentsize(), h.shnum(),
                h.shentsize(), h.shstrndx());
    }

    /** The section header fields the readers use. */
    record SectionHeader(long name, long type, long flags, long addr, long offset, long size, long link,
            long entsize) {
    }

    /**
     * The program headers, in file order; empty without any. Entries smaller than the format's are damage.
     *
     * @param expected what the file should be, for errors
     * @param what     what a structure of it is called in errors
     */
    List<ElfIdentity.Segment> segments(FileChannel ch, String source, long size, String expected, String what)
            throws IOException {
        if (phnum == 0) {
            return List.of();
        }
        int want = is64 ? 56 : 32;
        if (phentsize < want) {
            throw InputFormatException.atOffset(source, is64 ? 54 : 42,
                    "program headers of " + want + " bytes", phentsize + " bytes");
        }
        byte[] ph = FileRange.read(ch, source, phoff, (long) phnum * phentsize, size, phnum + " program headers");
        List<ElfIdentity.Segment> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int at = i * phentsize;
            if (is64) {
                ElfSymbols.ProgramHeader64 p = FileRange.parse(source, ph, at, phoff + at, expected, what,
                        ElfSymbols.ProgramHeader64::new);
                out.add(new ElfIdentity.Segment(p.type(), p.offset(), p.filesz(), p.vaddr(), p.memsz()));
            } else {
                ElfSymbols.ProgramHeader32 p = FileRange.parse(source, ph, at, phoff + at, expected, what,
                        ElfSymbols.ProgramHeader32::new);
                out.add(new ElfIdentity.Segment(p.type(), p.offset(), p.filesz(), p.vaddr(), p.memsz()));
            }
        }
        return out;
    }

    /** The section headers, in file order; empty without any. Entries smaller than the format's are damage. */
    List<SectionHeader> sections(FileChannel ch, String source, long size, String expected, String what)
            throws IOException {
        if (shnum == 0) {
            return List.of();
        }
        int want = is64 ? 64 : 40;
        if (shentsize < want) {
            throw InputFormatException.atOffset(source, is64 ? 58 : 46,
                    "section headers of " + want + " bytes", shentsize + " bytes");
        }
        byte[] sh = FileRange.read(ch, source, shoff, (long) shnum * shentsize, size, shnum + " section headers");
        List<SectionHeader> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int at = i * shentsize;
            if (is64) {
                ElfSymbols.SectionHeader64 s = FileRange.parse(source, sh, at, shoff + at, expected, what,
                        ElfSymbols.SectionHeader64::new);
                out.add(new SectionHeader(s.name(), s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(),
                        s.entsize()));
            } else {
                ElfSymbols.SectionHeader32 s = FileRange.parse(source, sh, at, shoff + at, expected, what,
                        ElfSymbols.SectionHeader32::new);
                out.add(new SectionHeader(s.name(), s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(),
                        s.entsize()));
            }
        }
        return out;
    }
}
