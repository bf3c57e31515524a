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
import org.leakscope.model.DebugIds;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;

/**
 * Function names from a PE image (through {@code pe_symbols.ksy}), looked up by RVA: the address minus the
 * module's load base, which is what a minidump's module list and resmon.dll's module lines give.
 *
 * <p>Two sources, merged: the COFF symbol table that mingw-w64 leaves in images it does not strip (external
 * and static functions, section-relative), and the export directory (the only names in an MSVC DLL without
 * its PDB). Where both name an address the COFF name wins. Sizes are not in either: a function runs to the
 * next named function or to the end of its section.
 *
 * <p>Which build the file is comes from the CodeView record its debug directory points at (the GUID and age
 * of an RSDS record, which MSVC and mingw-w64's {@code --build-id} write; NB10's signature and age) and from
 * the COFF header's TimeDateStamp with SizeOfImage (Breakpad's code id), see {@link #identity()}.
 *
 * <p>Damage in the headers, or a table the headers place past the end of the file, is an
 * {@link InputFormatException} naming the file and the offset of the field at fault. Damage inside the export
 * or debug directory is recorded in {@link #problems()} and the COFF names are still used; single damaged records
 * (a long name past the string table, a value past its section) are skipped and counted. Every count is
 * checked against the bytes present before anything is allocated, tables larger than
 * {@link Limits#maxStreamBytes()} are skipped, and only the headers and the two tables are read.
 */
public final class PeSymbolFile implements ImageSymbols {
    private static final int DOS_HEADER = 64;
    private static final int OFS_E_LFANEW = 60;
    private static final int PE_HEADER = 24; // "PE\0\0" + the 20-byte COFF file header
    private static final int OFS_POINTER_TO_SYMBOL_TABLE = 12; // from the signature
    private static final int OFS_SIZE_OF_OPTIONAL_HEADER = 20;
    private static final int OPTIONAL_HEADER32 = 96;
    private static final int OPTIONAL_HEADER64 = 112;
    private static final int PE32 = 0x10b;
    private static final int PE32_PLUS = 0x20b;
    private static final int DATA_DIRECTORY = 8;
    private static final int SECTION_HEADER = 40;
    private static final int SYMBOL = 18;
    private static final int EXPORT_DIRECTORY = 40;
    private static final int EXCEPTION_DIRECTORY_INDEX = 3;
    private static final int DEBUG_DIRECTORY_INDEX = 6;
    private static final int DEBUG_ENTRY = 28;
    /** A CodeView record is a signature, an id and a PDB path: 64 KB is far beyond any real one. */
    private static final int MAX_CODEVIEW = 64 * 1024;
    /** Real debug directories hold a handful of entries; more than this is damage. */
    private static final int MAX_DEBUG_ENTRIES = 64;
    private static final int DTYPE_FUNCTION = 2;
    private static final int CLASS_EXTERNAL = 2;
    private static final int CLASS_STATIC = 3;
    private static final long SCN_CNT_CODE = 0x20;
    private static final long SCN_MEM_EXECUTE = 0x2000_0000L;
    private static final int MACHINE_I386 = 0x14c;
    /** Export names are read in pieces of this size until their NUL (they are short; the cap is the limit). */
    private static final int NAME_CHUNK = 256;

    private final String source;
    private final Limits limits;
    private final List<Problem> problems = new ArrayList<>();
    private boolean is64;
    private long imageBase;
    private long imageSize;
    private long timeDateStamp;
    private String debugId;
    private PeCodeView codeView;
    private List<PeDebugEntry> debugEntries = List.of();
    /** The exception directory (x64 .pdata): RVA, size, and the file offset of its data directory entry. */
    private long exceptionRva;
    private long exceptionLen;
    private long exceptionFieldAt = -1;
    private int machine;
    private Section[] sections = new Section[0];
    /** Indexes into {@link #sections}, by ascending RVA, for the RVA → section search. */
    private int[] byRva = new int[0];
    private long[] starts = new long[0];
    private long[] sizes = new long[0];
    private String[] names = new String[0];

    /** One section header, as the wrapper needs it: its RVA range and where its initialized bytes lie. */
    private record Section(long rva, long end, long fileOffset, long rawSize, long characteristics) {
        boolean code() {
            return (characteristics & (SCN_CNT_CODE | SCN_MEM_EXECUTE)) != 0;
        }
    }

    private PeSymbolFile(String source, Limits limits) {
        this.source = source;
        this.limits = limits;
    }

    /** True when the file starts with the MS-DOS magic {@code MZ} that every PE image starts with. */
    public static boolean isPe(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(2);
            ch.read(b, 0);
            return b.position() == 2 && b.get(0) == 'M' && b.get(1) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    public static PeSymbolFile open(Path path) throws IOException {
        return open(path, Limits.DEFAULT);
    }

    /** Reads the headers and the symbol sources; the file is closed again before this returns. */
    public static PeSymbolFile open(Path path, Limits limits) throws IOException {
        return open(path, limits, true);
    }

    /**
     * With {@code names} false only the headers, the section table and the debug directory are read (for
     * {@link PeImageInfo} and {@link X64Unwind}, which need no function names).
     */
    static PeSymbolFile open(Path path, Limits limits, boolean names) throws IOException {
        PeSymbolFile f = new PeSymbolFile(path.toString(), limits);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            f.read(ch, names);
        }
        return f;
    }

    private void read(FileChannel ch, boolean names) throws IOException {
        long size = ch.size();
        PeSymbols.DosHeader dos = parse(bytes(ch, 0, DOS_HEADER, size, "an MS-DOS header"), 0, 0,
                "a PE file (MS-DOS header 'MZ')", PeSymbols.DosHeader::new);
        long peAt = dos.ofsPeHeader();
        if (peAt > size - PE_HEADER) {
            throw InputFormatException.atOffset(source, OFS_E_LFANEW, "e_lfanew pointing at a PE header inside the "
                    + size + "-byte file", Hex.of(peAt));
        }
        PeSymbols.PeHeader pe = parse(bytes(ch, peAt, PE_HEADER, size, "the PE header"), 0, peAt,
                "the PE signature 'PE\\0\\0' at e_lfanew", PeSymbols.PeHeader::new);
        PeSymbols.CoffHeader coff = pe.coffHeader();
        machine = coff.machine();
        timeDateStamp = coff.timeDateStamp();

        long optAt = peAt + PE_HEADER;
        int optLen = coff.lenOptionalHeader();
        if (optLen < 2) {
            // an object file (.o/.obj) has no optional header and no image layout: not a module
            throw InputFormatException.atOffset(source, peAt + OFS_SIZE_OF_OPTIONAL_HEADER,
                    "an image's optional header", optLen + " bytes (an object file?)");
        }
        byte[] opt = bytes(ch, optAt, optLen, size, "the optional header");
        int magic = parse(opt, 0, optAt, "a PE32 (0x10b) or PE32+ (0x20b) optional header",
                PeSymbols.OptionalHeaderMagic::new).magic();
        is64 = magic == PE32_PLUS;
        int fixed = is64 ? OPTIONAL_HEADER64 : OPTIONAL_HEADER32;
        if (optLen < fixed) {
            throw InputFormatException.atOffset(source, peAt + OFS_SIZE_OF_OPTIONAL_HEADER, "a "
                    + (is64 ? "PE32+" : "PE32") + " optional header of at least " + fixed + " bytes", optLen + " bytes");
        }
        long numDirs;
        if (is64) {
            PeSymbols.OptionalHeader64 h = parse(opt, 0, optAt, "a PE32+ optional header",
                    PeSymbols.OptionalHeader64::new);
            imageBase = h.imageBase();
            imageSize = h.lenImage();
            numDirs = h.numDataDirectories();
        } else {
            PeSymbols.OptionalHeader32 h = parse(opt, 0, optAt, "a PE32 optional header",
                    PeSymbols.OptionalHeader32::new);
            imageBase = h.imageBase();
            imageSize = h.lenImage();
            numDirs = h.numDataDirectories();
        }
        // NumberOfRvaAndSizes may claim more than the header holds; directories 0 (exports), 3 (exceptions) and
        // 6 (debug) are used
        numDirs = Math.min(numDirs, (optLen - fixed) / DATA_DIRECTORY);
        PeSymbols.DataDirectory exportDir = numDirs > 0
                ? parse(opt, fixed, optAt + fixed, "a data directory", PeSymbols.DataDirectory::new) : null;
        int debugAt = fixed + DEBUG_DIRECTORY_INDEX * DATA_DIRECTORY;
        PeSymbols.DataDirectory debugDir = numDirs > DEBUG_DIRECTORY_INDEX
                ? parse(opt, debugAt, optAt + debugAt, "a data directory", PeSymbols.DataDirectory::new) : null;
        if (numDirs > EXCEPTION_DIRECTORY_INDEX) {
            int at = fixed + EXCEPTION_DIRECTORY_INDEX * DATA_DIRECTORY;
            PeSymbols.DataDirectory d = parse(opt, at, optAt + at, "a data directory", PeSymbols.DataDirectory::new);
            exceptionRva = d.rva();
            exceptionLen = d.len();
            exceptionFieldAt = optAt + at;
        }

        int numSections = coff.numSections();
        long secAt = optAt + optLen;
        byte[] sh = bytes(ch, secAt, (long) numSections * SECTION_HEADER, size, numSections + " section headers");
        sections = new Section[numSections];
        for (int i = 0; i < numSections; i++) {
            PeSymbols.SectionHeader s = parse(sh, i * SECTION_HEADER, secAt + (long) i * SECTION_HEADER,
                    "a section header", PeSymbols.SectionHeader::new);
            long extent = s.virtualSize() != 0 ? s.virtualSize() : s.lenRawData();
            sections[i] = new Section(s.rva(), s.rva() + extent, s.ofsRawData(), s.lenRawData(), s.characteristics());
        }
        Integer[] order = new Integer[numSections];
        for (int i = 0; i < numSections; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(sections[a].rva(), sections[b].rva()));
        byRva = Arrays.stream(order).mapToInt(Integer::intValue).toArray();

        if (debugDir != null && debugDir.rva() != 0 && debugDir.len() != 0) {
            try {
                debugDirectory(ch, size, debugDir.rva(), debugDir.len(), optAt + debugAt);
            } catch (InputFormatException e) {
                problems.add(Problem.of(e)); // the names are still good; the file has no debug id to match by
            }
        }
        if (!names) {
            return;
        }
        Symbols all = new Symbols();
        if (coff.ofsSymbolTable() != 0 && coff.numSymbols() != 0) {
            coffSymbols(ch, size, peAt, coff.ofsSymbolTable(), coff.numSymbols(), all);
        }
        if (exportDir != null && exportDir.rva() != 0 && exportDir.len() != 0) {
            try {
                exports(ch, size, exportDir.rva(), exportDir.len(), optAt + fixed, all);
            } catch (InputFormatException e) {
                problems.add(Problem.of(e)); // the COFF names, if any, are still good
            }
        }
        all.finish();
    }

    /** The COFF symbol table and the string table right after it. */
    private void coffSymbols(FileChannel ch, long size, long peAt, long at, long count, Symbols out)
            throws IOException {
        long tableLen = count * SYMBOL; // count is a u4: no overflow in a long
        if (at > size || tableLen > size - at) {
            throw InputFormatException.atOffset(source, peAt + OFS_POINTER_TO_SYMBOL_TABLE, count + " COFF symbols ("
                    + tableLen + " bytes) from file offset " + at + " inside the " + size + "-byte file",
                    "a symbol table past its end");
        }
        if (tableLen > limits.maxStreamBytes()) {
            problems.add(Problem.of(InputFormatException.atOffset(source, at, "a COFF symbol table of at most "
                    + limits.maxStreamBytes() + " bytes", tableLen + " bytes (not read)")));
            return;
        }
        byte[] table = bytes(ch, at, tableLen, size, "the COFF symbol table");
        // The string table follows; its first u4 is its length, itself included. A table with no long names may
        // be absent altogether (the file ends after the symbols).
        long strAt = at + tableLen;
        byte[] strings = new byte[0];
        if (size - strAt >= 4) {
            long strLen = parse(bytes(ch, strAt, 4, size, "the string table's length"), 0, strAt,
                    "a string table length", PeSymbols.StringTableHeader::new).lenStringTable();
            if (strLen > size - strAt) {
                throw InputFormatException.atOffset(source, strAt, "a string table inside the " + size
                        + "-byte file", strLen + " bytes from offset " + strAt);
            }
            if (strLen > limits.maxStreamBytes()) {
                problems.add(Problem.of(InputFormatException.atOffset(source, strAt, "a string table of at most "
                        + limits.maxStreamBytes() + " bytes", strLen + " bytes (long names not read)")));
            } else if (strLen > 4) {
                strings = bytes(ch, strAt, strLen, size, "the string table");
            }
        }
        int damaged = 0;
        long firstDamage = -1;
        for (long i = 0; i < count; ) {
            PeSymbols.CoffSymbol s = parse(table, (int) (i * SYMBOL), at + i * SYMBOL, "a COFF symbol",
                    PeSymbols.CoffSymbol::new);
            long index = i;
            i += 1 + s.numAuxSymbols(); // aux records (function sizes, section info, file names) follow it
            int cls = s.storageClass();
            int sec = s.sectionNumber();
            if (((s.type() >> 4) & 3) != DTYPE_FUNCTION || (cls != CLASS_EXTERNAL && cls != CLASS_STATIC)) {
                continue;
            }
            // section 0 is an undefined (imported) symbol, negative ones absolute or debug: no code here
            if (sec < 1) {
                continue;
            }
            String name = sec <= sections.length ? name(s.name(), strings) : null;
            Section section = sec <= sections.length ? sections[sec - 1] : null;
            if (name == null || section == null || s.value() >= section.end() - section.rva()) {
                if (damaged++ == 0) {
                    firstDamage = at + index * SYMBOL;
                }
                continue;
            }
            out.add(section.rva() + s.value(), section.end(), cls == CLASS_EXTERNAL ? 0 : 1, name);
        }
        if (damaged > 0) {
            problems.add(Problem.of(InputFormatException.atOffset(source, firstDamage, "function symbols with a name"
                    + " in the string table and a value inside their section", damaged + " that are not (skipped)")));
        }
    }

    /** A symbol's name: short (in place) or long (in the string table); null when the offset is damaged. */
    private String name(PeSymbols.CoffSymbolName n, byte[] strings) {
        String name;
        if (!n.isLong()) {
            name = n.shortName();
        } else {
            long o = n.ofsLongName();
            if (o < 4 || o >= strings.length) {
                return null;
            }
            int end = (int) o;
            int cap = (int) Math.min(strings.length, o + limits.maxStringBytes());
            while (end < cap && strings[end] != 0) {
                end++;
            }
            name = new String(strings, (int) o, end - (int) o, StandardCharsets.UTF_8);
        }
        return name.isEmpty() ? null : undecorate(name);
    }

    /**
     * 32-bit x86 C names carry a leading underscore ({@code _leak_small}), stdcall ones also {@code @bytes}
     * ({@code _WinMain@16}); other machines decorate nothing. Shown undecorated, as debuggers do.
     */
    private String undecorate(String name) {
        if (machine != MACHINE_I386 || name.length() < 2 || name.charAt(0) != '_') {
            return name;
        }
        String s = name.substring(1);
        int at = s.lastIndexOf('@');
        if (at > 0 && at < s.length() - 1 && s.substring(at + 1).chars().allMatch(Character::isDigit)) {
            s = s.substring(0, at);
        }
        return s;
    }

    /**
     * Named exports that point into code. An address-table entry pointing inside the export directory is a
     * forwarder ("NTDLL.RtlAllocateHeap"), not code in this file; ordinal-only exports have no name to show.
     */
    private void exports(FileChannel ch, long size, long dirRva, long dirLen, long dirFieldAt, Symbols out)
            throws IOException {
        long at = fileOffset(dirRva, EXPORT_DIRECTORY);
        if (at < 0) {
            throw InputFormatException.atOffset(source, dirFieldAt, "the export directory's RVA inside a section's"
                    + " file data", Hex.of(dirRva));
        }
        PeSymbols.ExportDirectory d = parse(bytes(ch, at, EXPORT_DIRECTORY, size, "the export directory"), 0, at,
                "an export directory", PeSymbols.ExportDirectory::new);
        long numFunctions = d.numFunctions();
        long numNames = d.numNames();
        if (numNames == 0 || numFunctions == 0) {
            return;
        }
        List<Long> functions = parse(table(ch, size, d.rvaFunctions(), numFunctions * 4, at + 28,
                "the export address table (" + numFunctions + " entries)"), 0, at, "an export address table",
                PeSymbols.RvaTable::new).entries();
        List<Long> namePointers = parse(table(ch, size, d.rvaNames(), numNames * 4, at + 32,
                "the export name pointer table (" + numNames + " entries)"), 0, at, "an export name pointer table",
                PeSymbols.RvaTable::new).entries();
        List<Integer> ordinals = parse(table(ch, size, d.rvaNameOrdinals(), numNames * 2, at + 36,
                "the export ordinal table (" + numNames + " entries)"), 0, at, "an export ordinal table",
                PeSymbols.OrdinalTable::new).entries();
        int unreadable = 0;
        for (int i = 0; i < namePointers.size(); i++) {
            int ordinal = ordinals.get(i);
            if (ordinal >= functions.size()) {
                unreadable++;
                continue;
            }
            long rva = functions.get(ordinal);
            if (rva >= dirRva && rva < dirRva + dirLen) {
                continue; // forwarder
            }
            Section s = section(rva);
            if (s == null || !s.code()) {
                continue; // exported data (ResMonTableAddress) or damage: no function there
            }
            String name = cString(ch, size, namePointers.get(i));
            if (name == null) {
                unreadable++;
                continue;
            }
            out.add(rva, s.end(), 2, name);
        }
        if (unreadable > 0) {
            problems.add(Problem.of(InputFormatException.atOffset(source, at, "export names and ordinals inside the"
                    + " file", unreadable + " exports that are not (skipped)")));
        }
    }

    /**
     * Every entry of the debug directory, and the first CodeView record with an RSDS or NB10 signature, whose
     * signature and age are the file's debug id (Breakpad's spelling, as a minidump's module list gives it). A
     * damaged CodeView record is recorded as a problem and the next entries are still read.
     */
    private void debugDirectory(FileChannel ch, long size, long dirRva, long dirLen, long dirFieldAt)
            throws IOException {
        long entries = Math.min(dirLen / DEBUG_ENTRY, MAX_DEBUG_ENTRIES);
        if (entries == 0) {
            return;
        }
        byte[] dir = table(ch, size, dirRva, entries * DEBUG_ENTRY, dirFieldAt, "the debug directory (" + entries
                + " entries)");
        long dirAt = fileOffset(dirRva, entries * DEBUG_ENTRY);
        List<PeDebugEntry> all = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            long at = dirAt + (long) i * DEBUG_ENTRY;
            PeSymbols.DebugDirectoryEntry e = parse(dir, i * DEBUG_ENTRY, dirAt, "a debug directory entry",
                    PeSymbols.DebugDirectoryEntry::new);
            PeCodeView cv = null;
            if (e.type() == PeDebugEntry.CODEVIEW) {
                try {
                    cv = codeView(ch, size, e, at);
                } catch (InputFormatException damaged) {
                    problems.add(Problem.of(damaged));
                }
                if (cv != null && codeView == null) {
                    codeView = cv;
                    debugId = cv.debugId();
                }
            }
            all.add(new PeDebugEntry(e.type(), e.timeDateStamp(), e.lenData(), e.rvaData(), e.ofsData(), cv));
        }
        debugEntries = List.copyOf(all);
    }

    /** The record a CODEVIEW entry points at; null when its signature is neither RSDS nor NB10. */
    private PeCodeView codeView(FileChannel ch, long size, PeSymbols.DebugDirectoryEntry e, long entryAt)
            throws IOException {
        if (e.lenData() < 4 || e.lenData() > MAX_CODEVIEW) {
            throw InputFormatException.atOffset(source, entryAt + 16, "a CodeView record of 4 to " + MAX_CODEVIEW
                    + " bytes", e.lenData() + " bytes");
        }
        byte[] record = bytes(ch, e.ofsData(), e.lenData(), size, "the CodeView record");
        PeSymbols.CodeviewRecord r = parse(record, 0, e.ofsData(), "a CodeView record", PeSymbols.CodeviewRecord::new);
        if (r.info() instanceof PeSymbols.CodeviewPdb70 p) {
            String id = DebugIds.pdb70(p.guid(), p.age());
            return new PeCodeView("RSDS", id.substring(0, 32), p.age(), p.pdbPath(), id);
        }
        if (r.info() instanceof PeSymbols.CodeviewPdb20 p) {
            String id = DebugIds.pdb20(p.signature(), p.age());
            return new PeCodeView("NB10", id.substring(0, 8), p.age(), p.pdbPath(), id);
        }
        return null;
    }

    /** A table a data directory points at, after checking it lies inside one section's file data. */
    private byte[] table(FileChannel ch, long size, long rva, long len, long fieldAt, String what) throws IOException {
        long at = len <= limits.maxStreamBytes() ? fileOffset(rva, len) : -1;
        if (at < 0) {
            throw InputFormatException.atOffset(source, fieldAt, what + " inside a section's file data",
                    len + " bytes at RVA " + Hex.of(rva));
        }
        return bytes(ch, at, len, size, what);
    }

    /** A NUL-terminated name at an RVA, read in small pieces; null when it leaves its section or the cap. */
    private String cString(FileChannel ch, long size, long rva) throws IOException {
        long at = fileOffset(rva, 1);
        if (at < 0) {
            return null;
        }
        Section s = section(rva);
        long room = Math.min(limits.maxStringBytes(), s.fileOffset() + s.rawSize() - at);
        room = Math.min(room, size - at);
        java.io.ByteArrayOutputStream name = new java.io.ByteArrayOutputStream();
        for (long read = 0; read < room; ) {
            int n = (int) Math.min(NAME_CHUNK, room - read);
            byte[] piece = bytes(ch, at + read, n, size, "an export name");
            for (int k = 0; k < n; k++) {
                if (piece[k] == 0) {
                    name.write(piece, 0, k);
                    return name.size() == 0 ? null : name.toString(StandardCharsets.UTF_8);
                }
            }
            name.write(piece, 0, n);
            read += n;
        }
        return null; // no NUL before the section's end or the name cap
    }

    /** The section whose RVA range holds {@code rva}, or null. */
    private Section section(long rva) {
        int lo = 0;
        int hi = byRva.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sections[byRva[mid]].rva() <= rva) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        Section s = sections[byRva[found]];
        return rva < s.end() ? s : null;
    }

    /** The file offset of {@code len} bytes at {@code rva}, or -1 when they are not all in one section's file data. */
    long fileOffset(long rva, long len) {
        Section s = section(rva);
        if (s == null) {
            return -1;
        }
        long inSection = rva - s.rva();
        return len <= s.rawSize() && inSection <= s.rawSize() - len ? s.fileOffset() + inSection : -1;
    }

    /** Collects functions, then sorts them by RVA; of several at one RVA the lowest rank (COFF external) stays. */
    private final class Symbols {
        private long[] start = new long[256];
        private long[] limit = new long[256];
        private int[] rank = new int[256];
        private String[] name = new String[256];
        private int count;

        void add(long rva, long sectionEnd, int r, String n) {
            if (count == start.length) {
                start = Arrays.copyOf(start, count * 2);
                limit = Arrays.copyOf(limit, count * 2);
                rank = Arrays.copyOf(rank, count * 2);
                name = Arrays.copyOf(name, count * 2);
            }
            start[count] = rva;
            limit[count] = sectionEnd;
            rank[count] = r;
            name[count] = n;
            count++;
        }

        void finish() {
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> start[a] != start[b] ? Long.compare(start[a], start[b])
                    : Integer.compare(rank[a], rank[b]));
            long[] st = new long[count];
            long[] lim = new long[count];
            String[] nm = new String[count];
            int out = 0;
            for (int i : order) {
                if (out > 0 && st[out - 1] == start[i]) {
                    continue;
                }
                st[out] = start[i];
                lim[out] = limit[i];
                nm[out] = name[i];
                out++;
            }
            long[] sz = new long[out];
            for (int i = 0; i < out; i++) {
                long end = i + 1 < out ? Math.min(lim[i], st[i + 1]) : lim[i];
                sz[i] = end - st[i];
            }
            starts = Arrays.copyOf(st, out);
            sizes = sz;
            names = Arrays.copyOf(nm, out);
        }
    }

    /** The function holding {@code rva} (the address minus the module's load base). */
    @Override
    public Optional<SymbolHit> lookup(long rva) {
        int found = ImageSymbols.floor(starts, rva);
        if (found < 0) {
            return Optional.empty();
        }
        long off = rva - starts[found];
        return Long.compareUnsigned(off, sizes[found]) < 0 ? Optional.of(new SymbolHit(names[found], off, null, null))
                : Optional.empty();
    }

    /** How many functions the file names (COFF and export names together, one per address). */
    @Override
    public int functions() {
        return starts.length;
    }

    /** True for a PE32+ (64-bit) image. */
    public boolean is64() {
        return is64;
    }

    /** The preferred load address from the optional header (unsigned). */
    public long imageBase() {
        return imageBase;
    }

    /**
     * SizeOfImage from the optional header: the bytes the loader maps, which is the module size a minidump's
     * module list and UMDH's module table record, so a file of the right name but another build shows here.
     */
    public long imageSize() {
        return imageSize;
    }

    /** The COFF header's link time (seconds since 1970; 0 in reproducible builds), unsigned. */
    public long timeDateStamp() {
        return timeDateStamp;
    }

    /** The debug id of the CodeView record (Breakpad's spelling of its GUID and age), or null without one. */
    public String debugId() {
        return debugId;
    }

    /** The COFF header's Machine: 0x8664 x86-64, 0x14c i386, 0xaa64 ARM64, ... */
    public int machine() {
        return machine;
    }

    /** The first CodeView record with an RSDS or NB10 signature, or null. */
    public PeCodeView codeView() {
        return codeView;
    }

    /** Every debug directory entry, in file order (empty without a debug directory or when it is damaged). */
    public List<PeDebugEntry> debugEntries() {
        return debugEntries;
    }

    /** The exception directory's RVA and size (0 when absent) and the file offset of its data directory entry. */
    long exceptionRva() {
        return exceptionRva;
    }

    long exceptionLen() {
        return exceptionLen;
    }

    long exceptionFieldAt() {
        return exceptionFieldAt;
    }

    /** The end of the file data of the section holding {@code rva} (a file offset), or -1 outside every section. */
    long sectionFileEnd(long rva) {
        Section s = section(rva);
        return s == null ? -1 : s.fileOffset() + Math.min(s.rawSize(), s.end() - s.rva());
    }

    /**
     * The debug id, and Breakpad's code id (TimeDateStamp and SizeOfImage), and SizeOfImage: what a minidump,
     * a resmon.dll log or a UMDH snapshot records of the module loaded from this file.
     */
    @Override
    public BuildIdentity identity() {
        return new BuildIdentity(debugId, null, DebugIds.peCode(timeDateStamp, imageSize), List.of(imageSize),
                "SizeOfImage");
    }

    /**
     * The code sections' bytes (executable or code-flagged sections), mapped from the file again: the headers
     * read by {@link #open} say where they are.
     */
    public PeCode code() throws IOException {
        List<PeCode.Range> code = new ArrayList<>();
        for (Section s : sections) {
            if (s.code()) {
                code.add(new PeCode.Range(s.rva(), s.end(), s.fileOffset(), s.rawSize()));
            }
        }
        return PeCode.map(Path.of(source), code);
    }

    /** Damage that was skipped: an unreadable export or debug directory, symbols with a bad name or value. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    private byte[] bytes(FileChannel ch, long offset, long length, long fileSize, String what) throws IOException {
        return FileRange.read(ch, source, offset, length, fileSize, what);
    }

    /**
     * A structure at index {@code index} of {@code bytes} (already bounds-checked against the file), which came
     * from file offset {@code base}: errors name {@code base + index}.
     */
    private <T> T parse(byte[] bytes, int index, long base, String expected, FileRange.Ctor<T> ctor) {
        return FileRange.parse(source, bytes, index, base + index, expected, expected, ctor);
    }
}
