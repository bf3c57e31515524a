package org.leakscope.demangle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The MSVC decorated names real files hold: the public and global symbols of PDB files (the names a linker
 * and debugger see), and the exported and imported names of PE files. Test-only readers, just enough of each
 * format to list names; the symbol service reads these formats for real.
 */
final class MsvcCorpusNames {
    /** PDB files of the corpus (MSVC builds: Breakpad's test program x86 and x64, mozilla's basic32-min DLL). */
    static final List<String> PDB_FILES = List.of("pdb/bp_dump_syms_regtest.pdb", "pdb/bp_dump_syms_regtest64.pdb",
            "pdb/bp_omap_reorder_funcs.pdb", "pdb/moz_basic32-min.pdb");
    /** PE files of the corpus (two MSVC builds, two mingw-w64 builds). */
    static final List<String> PE_FILES = List.of("pdb/moz_basic32-min.dll", "pdb/moz_dump_syms_regtest64.exe",
            "dwarf/moz_basic32-dwarf.dll", "dwarf/moz_basic64-dwarf.dll");

    private static final int S_PUB32 = 0x110E;
    private static final int S_LDATA32 = 0x110C;
    private static final int S_GDATA32 = 0x110D;
    private static final int S_PROCREF = 0x1125;
    private static final int S_LPROCREF = 0x1127;

    private MsvcCorpusNames() {
    }

    /** Names starting with '?' in the PDB's symbol record stream (S_PUB32, S_GDATA32, S_LDATA32, S_PROCREF). */
    static void fromPdb(Path pdb, Set<String> into) throws IOException {
        List<ByteBuffer> streams = msfStreams(ByteBuffer.wrap(Files.readAllBytes(pdb)).order(ByteOrder.LITTLE_ENDIAN));
        ByteBuffer dbi = streams.get(3);
        ByteBuffer records = streams.get(dbi.getShort(20) & 0xFFFF);
        int p = 0;
        while (p + 4 <= records.limit()) {
            int length = records.getShort(p) & 0xFFFF;
            int kind = records.getShort(p + 2) & 0xFFFF;
            if (length < 2) {
                break;
            }
            if (kind == S_PUB32 || kind == S_GDATA32 || kind == S_LDATA32 || kind == S_PROCREF
                    || kind == S_LPROCREF) {
                addIfDecorated(cString(records, p + 4 + 10, p + 2 + length), into);
            }
            p += 2 + length;
        }
    }

    /** The streams of an MSF 7.00 file: superblock, the block map of the directory, the directory. */
    private static List<ByteBuffer> msfStreams(ByteBuffer file) {
        int blockSize = file.getInt(32);
        int directoryBytes = file.getInt(44);
        int blockMap = file.getInt(52);
        int directoryBlocks = (directoryBytes + blockSize - 1) / blockSize;
        ByteBuffer directory = ByteBuffer.allocate(directoryBlocks * blockSize).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < directoryBlocks; i++) {
            int block = file.getInt(blockMap * blockSize + 4 * i);
            directory.put(file.slice(block * blockSize, blockSize));
        }
        int count = directory.getInt(0);
        int at = 4 + 4 * count;
        List<ByteBuffer> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = directory.getInt(4 + 4 * i);
            if (size == -1) {
                streams.add(ByteBuffer.allocate(0));
                continue;
            }
            int blocks = (size + blockSize - 1) / blockSize;
            ByteBuffer stream = ByteBuffer.allocate(blocks * blockSize).order(ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < blocks; b++) {
                stream.put(file.slice(directory.getInt(at + 4 * b) * blockSize, blockSize));
            }
            at += 4 * blocks;
            streams.add(stream.limit(size).position(0));
        }
        return streams;
    }

    /** Names starting with '?' in a PE file's export name table and import lookup tables. */
    static void fromPe(Path pe, Set<String> into) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(pe)).order(ByteOrder.LITTLE_ENDIAN);
        int header = file.getInt(0x3C);
        int sections = file.getShort(header + 6) & 0xFFFF;
        int optional = header + 24;
        boolean pe32Plus = (file.getShort(optional) & 0xFFFF) == 0x20B;
        int directories = optional + (pe32Plus ? 112 : 96);
        int sectionTable = optional + (file.getShort(header + 20) & 0xFFFF);
        int[][] layout = new int[sections][];
        for (int i = 0; i < sections; i++) {
            int s = sectionTable + 40 * i;
            layout[i] = new int[] {file.getInt(s + 12), Math.max(file.getInt(s + 8), file.getInt(s + 16)),
                file.getInt(s + 20)};
        }
        int exports = offset(layout, file.getInt(directories));
        if (exports > 0) {
            int names = file.getInt(exports + 24);
            int table = offset(layout, file.getInt(exports + 32));
            for (int i = 0; i < names; i++) {
                addIfDecorated(cString(file, offset(layout, file.getInt(table + 4 * i)), file.limit()), into);
            }
        }
        int imports = offset(layout, file.getInt(directories + 8));
        for (int d = imports; imports > 0 && file.getInt(d + 12) != 0; d += 20) {
            int lookup = offset(layout, file.getInt(d) != 0 ? file.getInt(d) : file.getInt(d + 16));
            for (int e = lookup;; e += pe32Plus ? 8 : 4) {
                long entry = pe32Plus ? file.getLong(e) : file.getInt(e) & 0xFFFFFFFFL;
                if (entry == 0) {
                    break;
                }
                boolean byOrdinal = pe32Plus ? entry < 0 : (entry & 0x80000000L) != 0;
                if (!byOrdinal) {
                    addIfDecorated(cString(file, offset(layout, (int) entry) + 2, file.limit()), into);
                }
            }
        }
    }

    private static int offset(int[][] layout, int rva) {
        if (rva == 0) {
            return 0;
        }
        for (int[] s : layout) {
            if (rva >= s[0] && rva < s[0] + s[1]) {
                return rva - s[0] + s[2];
            }
        }
        throw new IllegalArgumentException("RVA 0x" + Integer.toHexString(rva) + " is in no section");
    }

    /** Lines of a Breakpad .sym file whose name (PUBLIC or FUNC) dump_syms left decorated. */
    static void fromSym(Path sym, Set<String> into) throws IOException {
        for (String line : Files.readAllLines(sym, StandardCharsets.ISO_8859_1)) {
            String[] f = line.split(" ");
            if (f.length >= 4 && (f[0].equals("PUBLIC") || f[0].equals("FUNC"))) {
                addIfDecorated(f[f.length - 1], into);
            }
        }
    }

    private static String cString(ByteBuffer b, int from, int limit) {
        int end = from;
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - from];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void addIfDecorated(String name, Set<String> into) {
        if (name.startsWith("?") && name.chars().noneMatch(c -> c <= ' ')) {
            into.add(name);
        }
    }
}
