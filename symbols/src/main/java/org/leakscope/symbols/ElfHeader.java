package org.leakscope.symbols;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The ELF file header fields the ELF readers (symbols, section access) need, from a 32- or 64-bit file: read in
 * one place so both check it the same way.
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
}
