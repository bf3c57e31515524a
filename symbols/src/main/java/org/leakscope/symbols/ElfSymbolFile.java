package org.leakscope.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.leakscope.model.InputFormatException;

/**
 * Function names from an ELF file's {@code .symtab} and {@code .dynsym} (through {@code elf_symbols.ksy}),
 * looked up by module offset: the offset from the module's lowest loaded address, which is what the tracker's
 * module lines and snapshot module tables use; and which build the file is ({@link ElfIdentity}). Every count
 * and size is checked against the file before it is read; the symbol and string tables are read once, the notes
 * and the first 4 KiB of {@code .text} only for the identity, the rest of the file never.
 */
public final class ElfSymbolFile implements ImageSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    /** Symbol and string tables larger than this are not read (a damaged size, or a giant binary). */
    private static final long MAX_TABLE = 512L << 20;

    private final String source;
    private long[] starts = new long[0];
    private long[] sizes = new long[0];
    private String[] names = new String[0];
    private long firstLoadVaddr;
    private BuildIdentity identity;

    private ElfSymbolFile(String source) {
        this.source = source;
    }

    /** True when the file starts with the ELF magic. */
    public static boolean isElf(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.read(b, 0);
            return b.position() == 4 && b.get(0) == 0x7f && b.get(1) == 'E' && b.get(2) == 'L' && b.get(3) == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    public static ElfSymbolFile open(Path path) throws IOException {
        ElfSymbolFile f = new ElfSymbolFile(path.toString());
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            f.read(ch);
        }
        return f;
    }

    private void read(FileChannel ch) throws IOException {
        long size = ch.size();
        ElfHeader header = ElfHeader.read(ch, source, size, "an ELF file (little-endian, 32 or 64 bits)",
                "an ELF structure");
        boolean is64 = header.is64();
        String expected = "an ELF file (little-endian, 32 or 64 bits)";
        List<ElfIdentity.Segment> segments = header.segments(ch, source, size, expected, "an ELF structure");
        firstLoadVaddr = Long.MAX_VALUE;
        for (ElfIdentity.Segment seg : segments) {
            long vaddr = seg.vaddr();
            if (seg.type() == ElfIdentity.PT_LOAD && Long.compareUnsigned(vaddr, firstLoadVaddr) < 0) {
                firstLoadVaddr = vaddr; // module bases are the lowest segment's address (libresmon's module lines)
            }
        }
        if (firstLoadVaddr == Long.MAX_VALUE) {
            firstLoadVaddr = 0;
        }
        List<ElfHeader.SectionHeader> sections = header.sections(ch, source, size, expected, "an ELF structure");
        int shstrndx = header.shstrndx();
        if (sections.isEmpty()) {
            // stripped of section headers: no symbols to read, but a PT_NOTE may still say which build it is
            identity = ElfIdentity.read(ch, source, size, segments, List.of(), 0);
            return;
        }
        List<ElfIdentity.Section> named = new ArrayList<>(sections.size());
        for (ElfHeader.SectionHeader s : sections) {
            named.add(new ElfIdentity.Section(s.name(), s.type(), s.offset(), s.size()));
        }
        identity = ElfIdentity.read(ch, source, size, segments, named, shstrndx);
        Symbols all = new Symbols();
        for (ElfHeader.SectionHeader s : sections) {
            if ((s.type() == SHT_SYMTAB || s.type() == SHT_DYNSYM) && s.link() < sections.size()) {
                symbols(ch, size, s, sections.get((int) s.link()), is64, all);
            }
        }
        all.finish();
    }

    private void symbols(FileChannel ch, long fileSize, ElfHeader.SectionHeader sec, ElfHeader.SectionHeader strtab,
            boolean is64, Symbols out) throws IOException {
        int entsize = (int) Math.min(sec.entsize(), Integer.MAX_VALUE);
        int want = is64 ? 24 : 16;
        if (entsize < want || sec.size() > MAX_TABLE || strtab.size() > MAX_TABLE) {
            return; // damaged or absurd: this table is skipped, others may still be read
        }
        byte[] syms = bytes(ch, sec.offset(), sec.size(), fileSize, "a symbol table");
        byte[] strs = bytes(ch, strtab.offset(), strtab.size(), fileSize, "a string table");
        for (int at = 0; at + entsize <= syms.length; at += entsize) {
            long name;
            int info;
            long value;
            long sz;
            if (is64) {
                ElfSymbols.Sym64 s = parse(syms, at, ElfSymbols.Sym64::new);
                name = s.name();
                info = s.info();
                value = s.value();
                sz = s.size();
            } else {
                ElfSymbols.Sym32 s = parse(syms, at, ElfSymbols.Sym32::new);
                name = s.name();
                info = s.info();
                value = s.value();
                sz = s.size();
            }
            if ((info & 0xf) != STT_FUNC || value == 0 || name >= strs.length) {
                continue;
            }
            int end = (int) name;
            while (end < strs.length && strs[end] != 0) {
                end++;
            }
            out.add(value, sz, new String(strs, (int) name, end - (int) name, StandardCharsets.UTF_8));
        }
    }

    /** Collects symbols, then sorts them by address (a function in both tables is kept once). */
    private final class Symbols {
        private long[] s = new long[1024];
        private long[] z = new long[1024];
        private String[] n = new String[1024];
        private int count;

        void add(long start, long size, String name) {
            if (count == s.length) {
                s = Arrays.copyOf(s, count * 2);
                z = Arrays.copyOf(z, count * 2);
                n = Arrays.copyOf(n, count * 2);
            }
            s[count] = start;
            z[count] = size;
            n[count] = name;
            count++;
        }

        void finish() {
            int[] order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            AddressIndex.sortByAddress(order, s); // stable: of two symbols at one address the first table's stays
            long[] st = new long[count];
            long[] sz = new long[count];
            String[] nm = new String[count];
            int out = 0;
            for (int i : order) {
                if (out > 0 && st[out - 1] == s[i]) {
                    continue;
                }
                st[out] = s[i];
                sz[out] = z[i];
                nm[out] = n[i];
                out++;
            }
            starts = Arrays.copyOf(st, out);
            sizes = Arrays.copyOf(sz, out);
            names = Arrays.copyOf(nm, out);
        }
    }

    /** The function holding {@code moduleOffset} (bytes from the module's lowest loaded address). */
    @Override
    public Optional<SymbolHit> lookup(long moduleOffset) {
        long va = firstLoadVaddr + moduleOffset;
        int found = ImageSymbols.floor(starts, va);
        if (found < 0) {
            return Optional.empty();
        }
        long off = va - starts[found];
        long size = sizes[found];
        boolean inside = size > 0 ? Long.compareUnsigned(off, size) < 0
                : found + 1 == starts.length || Long.compareUnsigned(va, starts[found + 1]) < 0;
        return inside ? Optional.of(new SymbolHit(names[found], off, null, null)) : Optional.empty();
    }

    /** A function of the symbol tables, by module offset (one per address, sorted). */
    public record Symbol(long moduleOffset, long size, String name) {
    }

    /** The functions of the symbol tables, sorted by module offset (what dump_syms writes as PUBLIC records). */
    public List<Symbol> symbols() {
        List<Symbol> out = new ArrayList<>(starts.length);
        for (int i = 0; i < starts.length; i++) {
            out.add(new Symbol(starts[i] - firstLoadVaddr, sizes[i], names[i]));
        }
        return out;
    }

    /** How many functions the file names. */
    @Override
    public int functions() {
        return starts.length;
    }

    @Override
    public BuildIdentity identity() {
        return identity;
    }

    /** The GNU build id in lowercase hex, or null when the file has none. */
    public String buildId() {
        return identity.buildId();
    }

    /**
     * Breakpad's debug id for this file (what a minidump's module list records for it), from the build id or,
     * without one, from the first 4 KiB of {@code .text}; null when it has neither.
     */
    public String debugId() {
        return identity.debugId();
    }

    private byte[] bytes(FileChannel ch, long offset, long length, long fileSize, String what) throws IOException {
        return FileRange.read(ch, source, offset, length, fileSize, what);
    }

    /** A structure at index {@code offset} of {@code bytes} (already bounds-checked against the file). */
    private <T> T parse(byte[] bytes, long offset, FileRange.Ctor<T> ctor) {
        return FileRange.parse(source, bytes, offset, offset, "an ELF file (little-endian, 32 or 64 bits)",
                "an ELF structure", ctor);
    }
}
