package org.leakscope.symbols.dwarf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.leakscope.model.InputFormatException;

/**
 * The sections of an ELF (32/64-bit, either byte order) or PE/COFF file (mingw's {@code .debug_*} sections,
 * long names through the COFF string table: {@code /4}) that hold DWARF, by name. Only the headers are read on
 * open; a section is mapped (or, when compressed, inflated) the first time it is asked for. Compressed sections:
 * ELF {@code SHF_COMPRESSED} with a zlib {@code Elf_Chdr}, and GNU's older {@code .zdebug_*} ("ZLIB" and an
 * 8-byte big-endian size); the size they inflate to is checked against {@code maxInflated} before allocating.
 */
final class DebugImage {
    private static final long SHF_EXECINSTR = 0x4;
    private static final long SHF_COMPRESSED = 0x800;
    private static final int ELFCOMPRESS_ZLIB = 1;
    private static final long SHT_NOBITS = 8;
    private static final long PE_SCN_CNT_CODE = 0x20;
    private static final long PE_SCN_MEM_EXECUTE = 0x2000_0000L;
    private static final int MAX_SECTIONS = 65_535;

    /** One section header: where its bytes are, where they load, and whether they are compressed. */
    record Header(String name, long address, long offset, long size, boolean executable, int compression) {
    }

    /** An external COFF function symbol of a PE file: its RVA and its name as spelled ({@code __CRT_INIT@12}). */
    record CoffFunction(long rva, String rawName) {
    }

    /** A loaded section of code (for the PUBLIC records of sections without symbols). */
    record CodeSection(String name, long address, long size) {
    }

    final String source;
    final boolean elf;
    final ByteOrder order;
    final boolean is64;
    final int machine;
    /** What module offsets count from: the lowest PT_LOAD address (ELF) or the image base (PE). */
    long loadBase;
    private FileChannel ch;
    private final long fileSize;
    private final long maxInflated;
    private final Map<String, Header> headers = new HashMap<>();
    private final List<CodeSection> code = new ArrayList<>();
    private final List<CoffFunction> coffFunctions = new ArrayList<>();
    private final List<CoffFunction> exports = new ArrayList<>();
    private final Map<String, Section> loaded = new HashMap<>();
    /** The debug sections' file bytes, mapped while the file was open (mapping reads nothing yet). */
    private final Map<String, ByteBuffer> mapped = new HashMap<>();

    private DebugImage(String source, FileChannel ch, boolean elf, ByteOrder order, boolean is64, int machine,
            long maxInflated) throws IOException {
        this.source = source;
        this.ch = ch;
        this.fileSize = ch.size();
        this.elf = elf;
        this.order = order;
        this.is64 = is64;
        this.machine = machine;
        this.maxInflated = maxInflated;
    }

    static DebugImage open(Path path, long maxInflated) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            String source = path.toString();
            ByteBuffer head = read(ch, source, 0, Math.min(64, ch.size()), "a file header");
            DebugImage img;
            if (head.limit() >= 16 && head.getInt(0) == 0x7f454c46) {
                img = elf(ch, source, head, maxInflated);
            } else if (head.limit() >= 64 && head.get(0) == 'M' && head.get(1) == 'Z') {
                img = pe(ch, source, head, maxInflated);
            } else {
                throw InputFormatException.atOffset(source, 0, "an ELF or PE file", "neither magic");
            }
            for (Map.Entry<String, Header> e : img.headers.entrySet()) {
                if (e.getKey().startsWith(".debug_") || e.getKey().equals(".pdata")) {
                    Header h = e.getValue();
                    img.mapped.put(e.getKey(), img.map(h.offset(), h.size(), h.name()));
                }
            }
            img.ch = null;
            return img;
        } finally {
            ch.close();
        }
    }

    private static DebugImage elf(FileChannel ch, String source, ByteBuffer head, long maxInflated)
            throws IOException {
        int cls = head.get(4);
        int data = head.get(5);
        if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) {
            throw InputFormatException.atOffset(source, 4, "ELF class 1 or 2 and data 1 or 2", cls + " and " + data);
        }
        boolean is64 = cls == 2;
        ByteOrder order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer h = read(ch, source, 0, is64 ? 64 : 52, "the ELF header").order(order);
        DebugImage img = new DebugImage(source, ch, true, order, is64, h.getShort(18) & 0xffff, maxInflated);
        long phoff = is64 ? h.getLong(32) : h.getInt(28) & 0xffffffffL;
        long shoff = is64 ? h.getLong(40) : h.getInt(32) & 0xffffffffL;
        int phentsize = h.getShort(is64 ? 54 : 42) & 0xffff;
        int phnum = h.getShort(is64 ? 56 : 44) & 0xffff;
        int shentsize = h.getShort(is64 ? 58 : 46) & 0xffff;
        int shnum = h.getShort(is64 ? 60 : 48) & 0xffff;
        int shstrndx = h.getShort(is64 ? 62 : 50) & 0xffff;
        long base = -1;
        if (phnum > 0 && phentsize >= (is64 ? 56 : 32)) {
            ByteBuffer ph = read(ch, source, phoff, (long) phnum * phentsize, phnum + " program headers").order(order);
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                long vaddr = is64 ? ph.getLong(at + 16) : ph.getInt(at + 8) & 0xffffffffL;
                if (ph.getInt(at) == 1 && (base == -1 || Long.compareUnsigned(vaddr, base) < 0)) {
                    base = vaddr; // module offsets count from the lowest PT_LOAD (as ElfSymbolFile's)
                }
            }
        }
        img.loadBase = base == -1 ? 0 : base;
        if (shnum == 0 || shentsize < (is64 ? 64 : 40)) {
            return img;
        }
        ByteBuffer sh = read(ch, source, shoff, (long) shnum * shentsize, shnum + " section headers").order(order);
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int at = i * shentsize;
            raw[i] = is64
                    ? new long[] {sh.getInt(at) & 0xffffffffL, sh.getInt(at + 4) & 0xffffffffL, sh.getLong(at + 8),
                        sh.getLong(at + 16), sh.getLong(at + 24), sh.getLong(at + 32)}
                    : new long[] {sh.getInt(at) & 0xffffffffL, sh.getInt(at + 4) & 0xffffffffL,
                        sh.getInt(at + 8) & 0xffffffffL, sh.getInt(at + 12) & 0xffffffffL,
                        sh.getInt(at + 16) & 0xffffffffL, sh.getInt(at + 20) & 0xffffffffL};
        }
        if (shstrndx >= shnum || raw[shstrndx][5] > (1 << 24)) {
            throw InputFormatException.atOffset(source, is64 ? 62 : 50, "a section name table index below " + shnum,
                    String.valueOf(shstrndx));
        }
        ByteBuffer names = read(ch, source, raw[shstrndx][4], raw[shstrndx][5], "the section name table");
        for (long[] s : raw) {
            String name = cstring(names, s[0]);
            boolean exec = (s[2] & SHF_EXECINSTR) != 0;
            if (exec && s[5] > 0) {
                img.code.add(new CodeSection(name, s[3], s[5]));
            }
            if (s[1] == SHT_NOBITS || name == null) {
                continue;
            }
            int compression = (s[2] & SHF_COMPRESSED) != 0 ? 1 : name.startsWith(".zdebug_") ? 2 : 0;
            String key = compression == 2 ? ".debug_" + name.substring(".zdebug_".length()) : name;
            img.headers.putIfAbsent(key, new Header(name, s[3], s[4], s[5], exec, compression));
        }
        return img;
    }

    private static DebugImage pe(FileChannel ch, String source, ByteBuffer head, long maxInflated)
            throws IOException {
        head.order(ByteOrder.LITTLE_ENDIAN);
        long peAt = head.getInt(60) & 0xffffffffL;
        ByteBuffer pe = read(ch, source, peAt, 24 + 2, "the PE header").order(ByteOrder.LITTLE_ENDIAN);
        if (pe.getInt(0) != 0x4550) {
            throw InputFormatException.atOffset(source, peAt, "the PE signature 'PE\\0\\0'", "other bytes");
        }
        int machine = pe.getShort(4) & 0xffff;
        int numSections = pe.getShort(6) & 0xffff;
        long symbolTable = pe.getInt(12) & 0xffffffffL;
        long numSymbols = pe.getInt(16) & 0xffffffffL;
        int optLen = pe.getShort(20) & 0xffff;
        int magic = pe.getShort(24) & 0xffff;
        boolean is64 = magic == 0x20b;
        DebugImage img = new DebugImage(source, ch, false, ByteOrder.LITTLE_ENDIAN, is64, machine, maxInflated);
        ByteBuffer opt = read(ch, source, peAt + 24, Math.max(optLen, 32), "the optional header")
                .order(ByteOrder.LITTLE_ENDIAN);
        img.loadBase = is64 ? opt.getLong(24) : opt.getInt(28) & 0xffffffffL;
        long secAt = peAt + 24 + optLen;
        ByteBuffer sh = read(ch, source, secAt, numSections * 40L, numSections + " section headers")
                .order(ByteOrder.LITTLE_ENDIAN);
        // long names ("/4") index the COFF string table, right after the symbol table
        long stringsAt = symbolTable == 0 ? -1 : symbolTable + numSymbols * 18;
        ByteBuffer strings = null;
        if (stringsAt > 0 && stringsAt <= img.fileSize - 4) {
            long len = read(ch, source, stringsAt, 4, "the COFF string table size").order(ByteOrder.LITTLE_ENDIAN)
                    .getInt(0) & 0xffffffffL;
            if (len >= 4 && len <= Math.min(1 << 24, img.fileSize - stringsAt)) {
                strings = read(ch, source, stringsAt, len, "the COFF string table");
            }
        }
        long[] sectionRvas = new long[numSections];
        long[][] layout = new long[numSections][];
        for (int i = 0; i < numSections; i++) {
            int at = i * 40;
            sectionRvas[i] = sh.getInt(at + 12) & 0xffffffffL;
            layout[i] = new long[] {sectionRvas[i], sh.getInt(at + 16) & 0xffffffffL, sh.getInt(at + 20) & 0xffffffffL};
            byte[] shortName = new byte[8];
            sh.get(at, shortName);
            int n = 0;
            while (n < 8 && shortName[n] != 0) {
                n++;
            }
            String name = new String(shortName, 0, n, StandardCharsets.UTF_8);
            if (name.startsWith("/") && strings != null) {
                try {
                    name = cstring(strings, Long.parseLong(name.substring(1)));
                } catch (NumberFormatException e) {
                    name = null;
                }
            }
            long virtualSize = sh.getInt(at + 8) & 0xffffffffL;
            long rva = sh.getInt(at + 12) & 0xffffffffL;
            long rawSize = sh.getInt(at + 16) & 0xffffffffL;
            long rawAt = sh.getInt(at + 20) & 0xffffffffL;
            long flags = sh.getInt(at + 36) & 0xffffffffL;
            boolean exec = (flags & (PE_SCN_CNT_CODE | PE_SCN_MEM_EXECUTE)) != 0;
            long size = virtualSize != 0 ? Math.min(virtualSize, rawSize) : rawSize; // raw data is padded
            if (exec) {
                img.code.add(new CodeSection(name, img.loadBase + rva, virtualSize != 0 ? virtualSize : rawSize));
            }
            if (name == null) {
                continue;
            }
            int compression = name.startsWith(".zdebug_") ? 2 : 0;
            String key = compression == 2 ? ".debug_" + name.substring(".zdebug_".length()) : name;
            img.headers.putIfAbsent(key, new Header(name, img.loadBase + rva, rawAt, size, exec, compression));
        }
        int dirs = is64 ? 112 : 96;
        if (optLen >= dirs + 8) {
            long exportRva = opt.getInt(dirs) & 0xffffffffL;
            long exportLen = opt.getInt(dirs + 4) & 0xffffffffL;
            try {
                img.exports(ch, layout, exportRva, exportLen);
            } catch (InputFormatException e) {
                // names only: DWARF still names the functions
            }
        }
        if (strings != null && numSymbols <= (stringsAt - symbolTable) / 18) {
            img.coffFunctions(read(ch, source, symbolTable, numSymbols * 18, numSymbols + " COFF symbols")
                    .order(ByteOrder.LITTLE_ENDIAN), strings, sectionRvas);
        }
        return img;
    }

    /** The external COFF function symbols (type 0x20, class 2) in sections, in table order. */
    private void coffFunctions(ByteBuffer table, ByteBuffer strings, long[] sectionRvas) {
        int count = table.limit() / 18;
        for (int i = 0; i < count; i++) {
            int at = i * 18;
            int aux = table.get(at + 17) & 0xff;
            int section = table.getShort(at + 12);
            int type = table.getShort(at + 14) & 0xffff;
            int storage = table.get(at + 16) & 0xff;
            if (type == 0x20 && storage == 2 && section > 0 && section <= sectionRvas.length) {
                String name;
                if (table.getInt(at) == 0) {
                    name = cstring(strings, table.getInt(at + 4) & 0xffffffffL);
                } else {
                    byte[] n = new byte[8];
                    table.get(at, n);
                    int len = 0;
                    while (len < 8 && n[len] != 0) {
                        len++;
                    }
                    name = new String(n, 0, len, StandardCharsets.UTF_8);
                }
                if (name != null && !name.isEmpty()) {
                    coffFunctions.add(new CoffFunction(sectionRvas[section - 1] + (table.getInt(at + 8) & 0xffffffffL),
                            name));
                }
            }
            i += aux;
        }
    }

    /** The named exports (RVA and name), from the export directory. */
    private void exports(FileChannel ch, long[][] layout, long rva, long len) throws IOException {
        long at = fileOffset(layout, rva);
        if (rva == 0 || len < 40 || at < 0) {
            return;
        }
        ByteBuffer dir = read(ch, source, at, 40, "the export directory").order(ByteOrder.LITTLE_ENDIAN);
        long functions = dir.getInt(20) & 0xffffffffL;
        long names = dir.getInt(24) & 0xffffffffL;
        long addressesAt = fileOffset(layout, dir.getInt(28) & 0xffffffffL);
        long namesAt = fileOffset(layout, dir.getInt(32) & 0xffffffffL);
        long ordinalsAt = fileOffset(layout, dir.getInt(36) & 0xffffffffL);
        if (functions > 65_536 || names > functions || addressesAt < 0 || namesAt < 0 || ordinalsAt < 0) {
            return;
        }
        ByteBuffer addresses = read(ch, source, addressesAt, functions * 4, "export addresses")
                .order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer namePointers = read(ch, source, namesAt, names * 4, "export names").order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer ordinals = read(ch, source, ordinalsAt, names * 2, "export ordinals").order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < names; i++) {
            int ordinal = ordinals.getShort(i * 2) & 0xffff;
            long nameAt = fileOffset(layout, namePointers.getInt(i * 4) & 0xffffffffL);
            if (ordinal >= functions || nameAt < 0) {
                continue;
            }
            ByteBuffer name = read(ch, source, nameAt, Math.min(4096, fileSize - nameAt), "an export name");
            exports.add(new CoffFunction(addresses.getInt(ordinal * 4) & 0xffffffffL, cstring(name, 0)));
        }
    }

    /** The file offset of an RVA inside a section's raw data ({rva, raw size, raw offset} each), or -1. */
    private static long fileOffset(long[][] layout, long rva) {
        for (long[] s : layout) {
            if (rva >= s[0] && rva < s[0] + s[1]) {
                return s[2] + rva - s[0];
            }
        }
        return -1;
    }

    List<CoffFunction> exports() {
        return exports;
    }

    List<CoffFunction> coffFunctions() {
        return coffFunctions;
    }

    /** Where a section's bytes start in the file, or -1 without it. */
    long headerOffset(String name) {
        Header h = headers.get(name);
        return h == null ? -1 : h.offset();
    }

    boolean has(String name) {
        return headers.containsKey(name);
    }

    List<CodeSection> codeSections() {
        return code;
    }

    /** The section's bytes (empty when the file has none), mapped or inflated on first use. */
    Section section(String name) {
        Section s = loaded.get(name);
        if (s != null) {
            return s;
        }
        Header h = headers.get(name);
        if (h == null) {
            s = Section.empty(source, name, order);
        } else if (h.compression() == 0) {
            s = new Section(source, name, mapped.get(name).duplicate().order(order), h.offset());
        } else {
            s = new Section(source, name, inflate(h, mapped.get(name).duplicate()), -1);
        }
        loaded.put(name, s);
        return s;
    }

    private ByteBuffer map(long offset, long size, String what) throws IOException {
        if (offset < 0 || size < 0 || offset > fileSize || size > fileSize - offset) {
            throw InputFormatException.atOffset(source, Math.max(0, offset), what + " (" + size
                    + " bytes) inside the " + fileSize + "-byte file", "a range past its end");
        }
        if (size > Integer.MAX_VALUE) {
            throw InputFormatException.atOffset(source, offset, what + " of at most 2 GiB", size + " bytes");
        }
        MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, offset, size);
        return b.order(order);
    }

    /** A compressed section inflated, after its declared size was checked against the cap. */
    private ByteBuffer inflate(Header h, ByteBuffer raw) {
        raw.order(order);
        long declared;
        int header;
        if (h.compression() == 1) {
            int chdr = is64 ? 24 : 12;
            if (raw.limit() < chdr) {
                throw InputFormatException.atOffset(source, h.offset(), "a compression header of " + chdr + " bytes in "
                        + h.name(), raw.limit() + " bytes");
            }
            int type = raw.getInt(0);
            declared = is64 ? raw.getLong(8) : raw.getInt(4) & 0xffffffffL;
            if (type != ELFCOMPRESS_ZLIB) {
                throw InputFormatException.atOffset(source, h.offset(), "ELFCOMPRESS_ZLIB (1) in " + h.name(),
                        "compression type " + type);
            }
            header = chdr;
        } else {
            if (raw.limit() < 12 || raw.get(0) != 'Z' || raw.get(1) != 'L' || raw.get(2) != 'I' || raw.get(3) != 'B') {
                throw InputFormatException.atOffset(source, h.offset(), "\"ZLIB\" and a size at the start of "
                        + h.name(), "other bytes");
            }
            declared = raw.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(4);
            header = 12;
        }
        // zlib inflates at most 1032:1: a larger claim is damage, refused before it sizes anything
        long possible = (raw.limit() - header) * 1032L + 64;
        if (declared < 0 || declared > maxInflated || declared > possible || declared > Integer.MAX_VALUE - 8) {
            throw InputFormatException.atOffset(source, h.offset(), h.name() + " inflating to at most "
                    + Math.min(maxInflated, possible) + " bytes", Long.toUnsignedString(declared) + " bytes");
        }
        byte[] out = new byte[(int) declared];
        Inflater inf = new Inflater();
        try {
            inf.setInput(raw.slice(header, raw.limit() - header));
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int got = inf.inflate(out, n, out.length - n);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != out.length) {
                throw InputFormatException.atOffset(source, h.offset(), h.name() + " inflating to " + declared
                        + " bytes", n + " bytes");
            }
        } catch (DataFormatException e) {
            throw InputFormatException.atOffset(source, h.offset(), "zlib data in " + h.name(), String.valueOf(
                    e.getMessage()), e);
        } finally {
            inf.end();
        }
        return ByteBuffer.wrap(out).order(order);
    }

    private static ByteBuffer read(FileChannel ch, String source, long offset, long length, String what)
            throws IOException {
        long size = ch.size();
        if (offset < 0 || length < 0 || offset > size || length > size - offset || length > (1 << 26)) {
            throw InputFormatException.atOffset(source, Math.max(0, Math.min(offset, size)), what + " (" + length
                    + " bytes) inside the " + size + "-byte file", "a range past its end");
        }
        ByteBuffer b = ByteBuffer.allocate((int) length);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw InputFormatException.atOffset(source, offset + b.position(), what, "end of file");
            }
        }
        return b.flip();
    }

    private static String cstring(ByteBuffer b, long at) {
        if (at < 0 || at >= b.limit()) {
            return null;
        }
        int end = (int) at;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - (int) at];
        b.get((int) at, s);
        return new String(s, StandardCharsets.UTF_8);
    }

}
