package org.leakscope.symbols.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leakscope.symbols.AddressIndex;

/**
 * A unit's line number program ({@code .debug_line}, versions 2 to 5) run through the full state machine into
 * rows: address, file and line, and where each sequence ends. File names are joined with their directory the way
 * dump_syms prints them: an absolute name stays, a relative one goes under its directory, a relative directory
 * under the compilation directory. Every opcode consumes at least one byte of the program, whose length the
 * header bounds, so a program that never ends its sequence still stops at its end.
 */
final class LineTable {
    private static final int DW_LNCT_PATH = 1;
    private static final int DW_LNCT_DIRECTORY_INDEX = 2;

    /** The file names, by the number the program and DW_AT_call_file use (1-based before DWARF 5). */
    final List<String> files = new ArrayList<>();
    /** Rows, in program order. */
    int rows;
    long[] address = new long[256];
    int[] file = new int[256];
    int[] line = new int[256];
    /** Whether the row is a DW_LNE_end_sequence (its address is the end of the sequence's last row). */
    boolean[] end = new boolean[256];
    /**
     * Whether the row is in a sequence that starts at address 0: code the linker dropped (a discarded COMDAT copy,
     * a function removed by --gc-sections) whose relocations it resolved to 0. Its rows would otherwise claim
     * the file's lowest addresses.
     */
    boolean[] dropped;
    /** Rows that start nothing (ends, empty rows) a table in address order may have in a row. */
    private static final int MAX_SKIPPED = 64;
    /**
     * Row ranges sorted by start: {@code [address[r], address[r + 1])} for row {@code r = sorted[i]}; null when the
     * rows are in address order themselves.
     */
    int[] sorted;
    private long[] sortedStarts;

    /**
     * The program at {@code offset} of {@code .debug_line}; {@code compDir} and {@code unitName} are the unit's
     * DW_AT_comp_dir and DW_AT_name (directory and file 0 before DWARF 5).
     */
    static LineTable read(Section line, Section str, Section lineStr, long offset, String compDir, String unitName,
            int unitAddressSize) {
        LineTable t = new LineTable();
        Cursor c = line.at(offset);
        long length = c.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = c.u64();
            offsetSize = 8;
        }
        c.limit(length, "a line number program of " + length + " bytes");
        int version = c.u16();
        if (version < 2 || version > 5) {
            throw c.fail(c.pos() - 2, "line number program version 2 to 5", "version " + version);
        }
        int addressSize = unitAddressSize;
        if (version >= 5) {
            addressSize = c.u8();
            c.u8(); // segment selector size
        }
        long headerLength = c.unsigned(offsetSize);
        long programAt = c.pos() + headerLength;
        if (headerLength > c.end() - c.pos()) {
            throw c.fail(c.pos(), "a header length inside the program", headerLength + " bytes");
        }
        int minInstLength = c.u8();
        int maxOps = version >= 4 ? c.u8() : 1;
        if (maxOps == 0) {
            maxOps = 1;
        }
        boolean defaultIsStmt = c.u8() != 0;
        int lineBase = (byte) c.u8();
        int lineRange = c.u8();
        int opcodeBase = c.u8();
        if (lineRange == 0) {
            throw c.fail(c.pos() - 2, "a line range above 0", "0");
        }
        int[] opLengths = new int[Math.max(opcodeBase, 1)];
        for (int i = 1; i < opcodeBase; i++) {
            opLengths[i] = c.u8();
        }
        List<String> dirs = new ArrayList<>();
        String comp = compDir == null ? "" : compDir;
        if (version >= 5) {
            List<String> dirNames = new ArrayList<>();
            entries(c, str, lineStr, offsetSize, dirNames, null);
            for (String d : dirNames) {
                dirs.add(d == null ? "" : d);
            }
            List<String> names = new ArrayList<>();
            List<Integer> dirIndex = new ArrayList<>();
            entries(c, str, lineStr, offsetSize, names, dirIndex);
            for (int i = 0; i < names.size(); i++) {
                int d = dirIndex.get(i);
                String dir = d >= 0 && d < dirs.size() ? dirs.get(d) : "";
                t.files.add(join(comp, dir, names.get(i)));
            }
        } else {
            dirs.add(comp);
            while (true) {
                String d = c.cstring();
                if (d.isEmpty()) {
                    break;
                }
                dirs.add(d);
            }
            t.files.add(unitName == null ? null : join(comp, comp, unitName));
            while (true) {
                String name = c.cstring();
                if (name.isEmpty()) {
                    break;
                }
                long d = c.uleb();
                c.uleb();
                c.uleb();
                t.files.add(join(comp, d < dirs.size() ? dirs.get((int) d) : "", name));
            }
        }
        c.seek(programAt);
        t.run(c, version, addressSize, minInstLength, maxOps, defaultIsStmt, lineBase, lineRange, opcodeBase,
                opLengths, dirs, comp);
        t.index();
        return t;
    }

    /** DWARF 5 directory or file entries: their paths and (for files) directory indexes. */
    private static void entries(Cursor c, Section str, Section lineStr, int offsetSize, List<String> paths,
            List<Integer> dirIndex) {
        int formats = c.u8();
        long[] types = new long[formats];
        int[] forms = new int[formats];
        for (int i = 0; i < formats; i++) {
            types[i] = c.uleb();
            forms[i] = (int) c.uleb();
        }
        long count = c.uleb();
        if (count > c.end() - c.pos()) {
            throw c.fail(c.pos(), "at most one entry per byte left", count + " entries");
        }
        UnitHeader sizes = new UnitHeader(0, 0, 5, 1, offsetSize, 8, 0, 0);
        for (long n = 0; n < count; n++) {
            String path = null;
            int dir = 0;
            for (int i = 0; i < formats; i++) {
                int form = forms[i];
                long at = c.pos();
                long v = Forms.read(c, form, sizes);
                if (types[i] == DW_LNCT_PATH) {
                    path = switch (form) {
                        case Forms.STRING -> c.section().at(at).cstring();
                        case Forms.LINE_STRP -> lineStr.at(v).cstring();
                        case Forms.STRP -> str.at(v).cstring();
                        default -> null; // strx needs the unit's str_offsets_base: not used by producers here
                    };
                } else if (types[i] == DW_LNCT_DIRECTORY_INDEX) {
                    dir = (int) Math.min(v, Integer.MAX_VALUE);
                }
            }
            paths.add(path == null ? "" : path);
            if (dirIndex != null) {
                dirIndex.add(dir);
            }
        }
    }

    static boolean absolute(String p) {
        return p.startsWith("/") || p.startsWith("\\") || p.length() >= 3 && p.charAt(1) == ':'
                && (p.charAt(2) == '/' || p.charAt(2) == '\\');
    }

    static String join(String compDir, String dir, String name) {
        if (absolute(name)) {
            return name;
        }
        String d = dir == null ? "" : dir;
        if (!absolute(d) && !compDir.isEmpty()) {
            d = d.isEmpty() ? compDir : compDir + "/" + d;
        }
        return d.isEmpty() ? name : d.endsWith("/") ? d + name : d + "/" + name;
    }

    private void run(Cursor c, int version, int addressSize, int minInst, int maxOps, boolean defaultIsStmt,
            int lineBase, int lineRange, int opcodeBase, int[] opLengths, List<String> dirs, String comp) {
        long addr = 0;
        long opIndex = 0;
        int fileNo = 1;
        long lineNo = 1;
        boolean isStmt = defaultIsStmt;
        while (c.more()) {
            int op = c.u8();
            if (op >= opcodeBase) {
                int adjusted = op - opcodeBase;
                long adv = adjusted / lineRange;
                addr += minInst * ((opIndex + adv) / maxOps);
                opIndex = (opIndex + adv) % maxOps;
                lineNo += lineBase + adjusted % lineRange;
                row(addr, fileNo, lineNo, false);
                continue;
            }
            switch (op) {
                case 0 -> {
                    long len = c.uleb();
                    if (len == 0 || len > c.end() - c.pos()) {
                        throw c.fail(c.pos(), "an extended opcode inside the program", len + " bytes");
                    }
                    long next = c.pos() + len;
                    int sub = c.u8();
                    switch (sub) {
                        case 1 -> {
                            row(addr, fileNo, lineNo, true);
                            addr = 0;
                            opIndex = 0;
                            fileNo = 1;
                            lineNo = 1;
                            isStmt = defaultIsStmt;
                        }
                        case 2 -> {
                            addr = c.unsigned(len - 1 > 8 ? 0 : (int) (len - 1)); // its length says the address size
                            opIndex = 0;
                        }
                        case 3 -> {
                            String name = c.cstring();
                            long d = c.uleb();
                            c.uleb();
                            c.uleb();
                            files.add(join(comp, d < dirs.size() ? dirs.get((int) d) : "", name));
                        }
                        default -> {
                            // DW_LNE_set_discriminator and vendor opcodes: their length says how much to skip
                        }
                    }
                    c.seek(next);
                }
                case 1 -> row(addr, fileNo, lineNo, false);
                case 2 -> {
                    long adv = c.uleb();
                    addr += minInst * ((opIndex + adv) / maxOps);
                    opIndex = (opIndex + adv) % maxOps;
                }
                case 3 -> lineNo += c.sleb();
                case 4 -> fileNo = (int) Math.min(c.uleb(), Integer.MAX_VALUE);
                case 5, 12 -> c.uleb();
                case 6 -> isStmt = !isStmt;
                case 7, 10, 11 -> {
                }
                case 8 -> {
                    long adv = (255 - opcodeBase) / lineRange;
                    addr += minInst * ((opIndex + adv) / maxOps);
                    opIndex = (opIndex + adv) % maxOps;
                }
                case 9 -> {
                    addr += c.u16();
                    opIndex = 0;
                }
                default -> {
                    for (int i = 0; i < opLengths[op]; i++) {
                        c.uleb(); // an opcode of a later version: the header says how many operands it has
                    }
                }
            }
        }
    }

    private void row(long addr, int fileNo, long lineNo, boolean endSequence) {
        if (rows == address.length) {
            int n = rows * 2;
            address = Arrays.copyOf(address, n);
            file = Arrays.copyOf(file, n);
            line = Arrays.copyOf(line, n);
            end = Arrays.copyOf(end, n);
        }
        address[rows] = addr;
        file[rows] = fileNo;
        line[rows] = (int) Math.max(0, Math.min(lineNo, Integer.MAX_VALUE));
        end[rows] = endSequence;
        rows++;
    }

    /**
     * Indexes the rows that start a non-empty range (not a sequence's end, not dropped code) by address. Most
     * tables are in address order already (one sequence, or sequences in address order) and need no index of their
     * own: {@link #rowAt} searches the rows themselves. Others get their rows sorted.
     */
    private void index() {
        dropped = new boolean[rows];
        boolean discarded = false;
        boolean any = false;
        for (int r = 0; r < rows; r++) {
            if (r == 0 || end[r - 1]) {
                discarded = address[r] == 0;
            }
            dropped[r] = discarded;
            any |= discarded;
        }
        // the arrays grew by doubling: a cached table keeps only its rows
        address = Arrays.copyOf(address, rows);
        file = Arrays.copyOf(file, rows);
        line = Arrays.copyOf(line, rows);
        end = Arrays.copyOf(end, rows);
        if (!any && inOrder()) {
            return;
        }
        int n = 0;
        int[] order = new int[rows];
        for (int r = 0; r + 1 < rows; r++) {
            if (starts(r)) {
                order[n++] = r;
            }
        }
        sorted = Arrays.copyOf(order, n);
        AddressIndex.sortByAddress(sorted, address); // stable: equal starts keep program order
        sortedStarts = new long[n];
        for (int i = 0; i < n; i++) {
            sortedStarts[i] = address[sorted[i]];
        }
    }

    /** Whether row {@code r} starts a non-empty range of code: not a sequence's end, not dropped code. */
    private boolean starts(int r) {
        return r + 1 < rows && !end[r] && !dropped[r] && Long.compareUnsigned(address[r], address[r + 1]) < 0;
    }

    /**
     * Whether the rows are in address order and no more than {@link #MAX_SKIPPED} rows in a row start nothing,
     * so that {@link #rowAt} finds the row before an address by looking back a few rows at most.
     */
    private boolean inOrder() {
        int skipped = 0;
        for (int r = 0; r < rows; r++) {
            if (r > 0 && Long.compareUnsigned(address[r - 1], address[r]) > 0) {
                return false;
            }
            skipped = starts(r) ? 0 : skipped + 1;
            if (skipped > MAX_SKIPPED) {
                return false;
            }
        }
        return true;
    }

    /** What the table costs on the heap, roughly (the decoded-unit cache's measure). */
    long bytes() {
        long names = 0;
        for (String f : files) {
            names += 48 + (f == null ? 0 : f.length());
        }
        return 64 + rows * (8L + 4 + 4 + 1 + 1) + (sorted == null ? 0 : sorted.length * (4L + 8)) + names;
    }

    /** The row whose range holds {@code addr}, or -1. */
    int rowAt(long addr) {
        if (sorted == null) {
            // rows in address order: the last row starting a range at or before addr holds it, or none does
            int i = org.leakscope.symbols.ImageSymbols.floor(address, addr);
            for (int k = 0; i >= 0 && k <= MAX_SKIPPED; i--, k++) {
                if (starts(i)) {
                    return Long.compareUnsigned(addr, address[i + 1]) < 0 ? i : -1;
                }
            }
            return -1;
        }
        int i = org.leakscope.symbols.ImageSymbols.floor(sortedStarts, addr);
        while (i >= 0) {
            int r = sorted[i];
            if (Long.compareUnsigned(addr, address[r + 1]) < 0) {
                return r;
            }
            if (i == 0 || sortedStarts[i - 1] != sortedStarts[i]) {
                return -1;
            }
            i--;
        }
        return -1;
    }

    /** The file name of number {@code n}, or null. */
    String fileName(long n) {
        return n >= 0 && n < files.size() ? files.get((int) n) : null;
    }
}
