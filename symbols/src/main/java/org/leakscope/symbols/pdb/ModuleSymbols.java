package org.leakscope.symbols.pdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The procedures and line records of one module's symbol stream: the CodeView symbol records (procedures,
 * thunks, and the nesting of blocks and inline sites under them, through each record's end pointer), then the
 * C13 debug subsections (line tables, file checksums, inlinee lines). Read when a lookup or a dump needs the
 * module; a damaged record ends that module's reading with an {@link org.leakscope.model.InputFormatException}
 * the caller records as the module's problem.
 */
final class ModuleSymbols {
    static final int S_END = 0x0006;
    static final int S_THUNK32 = 0x1102;
    static final int S_BLOCK32 = 0x1103;
    static final int S_LPROC32 = 0x110f;
    static final int S_GPROC32 = 0x1110;
    static final int S_LPROC32_ID = 0x1146;
    static final int S_GPROC32_ID = 0x1147;
    static final int S_INLINESITE = 0x114d;
    /** S_INLINESITE with a 32-bit invocation count before the annotations (cvinfo.h INLINESITESYM2). */
    static final int S_INLINESITE2 = 0x115d;
    private static final int C13_SIGNATURE = 4;
    private static final int DEBUG_S_LINES = 0xf2;
    private static final int DEBUG_S_FILECHKSMS = 0xf4;
    private static final int DEBUG_S_INLINEELINES = 0xf6;
    private static final int DEBUG_S_IGNORE = 0x8000_0000;
    private static final int CV_LINES_HAVE_COLUMNS = 1;
    private static final int MAX_NAME = 64 * 1024;
    /** Inline sites nested deeper than this are damage (MSVC nests a handful; a cycle-free chain can still be long). */
    static final int MAX_INLINE_DEPTH = 64;
    /** Problems kept per module: one damaged record type repeats through a whole stream. */
    static final int MAX_PROBLEMS = 8;

    /**
     * A procedure or thunk.
     *
     * @param section  1-based section of its start
     * @param offset   offset of its start in the section
     * @param length   code bytes
     * @param procedure name and type, for {@link ProcedureNames}
     * @param thunk    true for S_THUNK32
     * @param inlineSites the S_INLINESITE records nested in it, in stream order
     */
    record Proc(int section, long offset, long length, ProcedureNames.Procedure procedure, boolean thunk,
            List<InlineSite> inlineSites) {
    }

    /**
     * Code of another function inlined into a procedure ({@code S_INLINESITE}), decoded from its binary
     * annotations.
     *
     * @param depth   0 when inlined directly into the procedure, 1 inside another inline site, ...
     * @param parent  the index, in the procedure's {@link Proc#inlineSites()}, of the site this one is inlined
     *                into, or -1 when it is inlined directly into the procedure
     * @param inlinee the inlined function's item id (LF_FUNC_ID / LF_MFUNC_ID in the IPI stream)
     * @param lines   its line records: code offset from the procedure's start, length, line, and the file
     *                checksum offset ({@code -1}: the inlinee's own file from {@code DEBUG_S_INLINEELINES});
     *                lines are relative to the inlinee's start line there ({@link #inlinees})
     */
    record InlineSite(int depth, int parent, long inlinee, List<long[]> lines) {
    }

    /**
     * A line record: code at {@code section:offset}, {@code length} bytes, from line {@code line} of the file
     * whose name is at {@code nameOffset} in the {@code /names} string table.
     */
    record Line(int section, long offset, long length, long line, long nameOffset) {
    }

    /**
     * Where an inlined function's source starts ({@code DEBUG_S_INLINEELINES}).
     *
     * @param inlinee    the function's item id (LF_FUNC_ID / LF_MFUNC_ID in the IPI stream)
     * @param nameOffset its file's name offset in {@code /names}
     * @param line       the line its body starts at
     */
    record InlineeLine(long inlinee, long nameOffset, long line) {
    }

    final List<Proc> procs = new ArrayList<>();
    final List<Line> lines = new ArrayList<>();
    final List<InlineeLine> inlinees = new ArrayList<>();
    /** The {@code /names} offsets of every file in the module's checksum table, in table order. */
    final List<Long> files = new ArrayList<>();
    /** The same by their offset in the checksum table (what line blocks and inline annotations refer to). */
    final Map<Long, Long> checksums = new java.util.LinkedHashMap<>();
    /** Damage that cost single inline sites (the rest of the module is read), at most {@link #MAX_PROBLEMS}. */
    final List<org.leakscope.model.Problem> problems = new ArrayList<>();
    private Map<Long, InlineeLine> inlineeStarts;

    /** {@link #inlinees} by inlinee id (the first entry of an id), made once for the module's procedures. */
    Map<Long, InlineeLine> inlineeStarts() {
        if (inlineeStarts == null) {
            inlineeStarts = new HashMap<>();
            for (InlineeLine l : inlinees) {
                inlineeStarts.putIfAbsent(l.inlinee(), l);
            }
        }
        return inlineeStarts;
    }

    static ModuleSymbols read(MsfFile msf, PdbModule m) {
        ModuleSymbols out = new ModuleSymbols();
        if (m.symbolStream() < 0) {
            return out;
        }
        MsfStream s = msf.stream(m.symbolStream());
        if (m.symbolBytes() >= 4) {
            long sig = s.u32(0);
            if (sig != C13_SIGNATURE) {
                throw s.error(0, "the C13 symbol signature 4", Long.toString(sig));
            }
            out.readSymbols(s, 4, m.symbolBytes());
        }
        long c13 = m.symbolBytes() + m.c11Bytes();
        out.readSubsections(s, c13, c13 + m.c13Bytes());
        return out;
    }

    /** The procedure whose records are being read, its start and end. */
    private Proc open;
    private long openAt = -1;
    private long openEnd = -1;
    /**
     * For each inline site and block record of the open procedure, by record offset: the index of the inline site
     * it is (for a site) or lies in (for a block), -1 for none; a dropped site maps to {@link #DROPPED}.
     */
    private final Map<Long, Integer> scopes = new HashMap<>();
    private static final int DROPPED = -2;
    private int problemCount;

    private void readSymbols(MsfStream s, long start, long end) {
        SymbolRecords.forEach(s, start, end, (at, kind, next) -> symbol(s, at, kind, next));
    }

    private void symbol(MsfStream s, long at, int kind, long next) {
        if (open != null && at >= openEnd) {
            open = null;
        }
        switch (kind) {
            case S_GPROC32, S_LPROC32, S_GPROC32_ID, S_LPROC32_ID -> {
                MsfStream.Cursor c = s.cursor(at + 4, next);
                c.skip(4); // parent
                long pEnd = c.u32();
                c.skip(4); // next
                long length = c.u32();
                c.skip(8); // debug start, debug end
                long type = c.u32();
                long offset = c.u32();
                int section = c.u16();
                c.skip(1); // flags
                String name = c.hasRemaining() ? c.cstring(MAX_NAME) : "";
                boolean id = kind == S_GPROC32_ID || kind == S_LPROC32_ID;
                open = new Proc(section, offset, length, new ProcedureNames.Procedure(name, type, id, kind),
                        false, new ArrayList<>());
                openAt = at;
                openEnd = pEnd > at ? pEnd : next;
                scopes.clear();
                procs.add(open);
            }
            case S_THUNK32 -> {
                MsfStream.Cursor c = s.cursor(at + 4, next);
                c.skip(12); // parent, end, next
                long offset = c.u32();
                int section = c.u16();
                int length = c.u16();
                c.skip(1); // ordinal
                String name = c.hasRemaining() ? c.cstring(MAX_NAME) : "";
                procs.add(new Proc(section, offset, length, new ProcedureNames.Procedure(name, 0, false, kind),
                        true, List.of()));
            }
            case S_BLOCK32 -> {
                if (open != null && next - at >= 8) {
                    Integer scope = scopes.get(s.u32(at + 4));
                    scopes.put(at, scope == null ? -1 : scope);
                }
            }
            case S_INLINESITE, S_INLINESITE2 -> {
                if (open != null) {
                    inlineSite(s, at, kind, next);
                }
            }
            default -> {
            }
        }
    }

    /**
     * An inline site of the open procedure: its parent pointer must name the procedure or an earlier record inside
     * it (so nesting cannot loop; through a block, the site the block lies in), it may be nested no deeper than
     * {@link #MAX_INLINE_DEPTH}, and its annotations must end inside the record. A site that breaks one of these is
     * dropped with a problem, and the sites nested in it with it: the procedure's own lines still cover their code.
     */
    private void inlineSite(MsfStream s, long at, int kind, long next) {
        int annotationsAt = kind == S_INLINESITE ? 16 : 20;
        if (next - at < annotationsAt) {
            problem(s.error(at, "an inline site record of at least " + annotationsAt + " bytes", (next - at)
                    + " bytes"));
            scopes.put(at, DROPPED);
            return;
        }
        long parentAt = s.u32(at + 4);
        Integer parent = scopes.get(parentAt);
        if (parent == null && parentAt >= openAt && parentAt < at) {
            parent = -1; // the procedure, or a scope record other than a block or site: inlined into the procedure
        }
        if (parent == null) {
            problem(s.error(at + 4, "a parent pointer to the procedure at " + openAt + " or a scope in it before "
                    + at, Long.toString(parentAt)));
            scopes.put(at, DROPPED);
            return;
        }
        if (parent == DROPPED) {
            scopes.put(at, DROPPED);
            return;
        }
        List<InlineSite> sites = open.inlineSites();
        int depth = parent < 0 ? 0 : sites.get(parent).depth() + 1;
        if (depth >= MAX_INLINE_DEPTH) {
            problem(s.error(at, "inline sites nested at most " + MAX_INLINE_DEPTH + " deep", "depth " + depth));
            scopes.put(at, DROPPED);
            return;
        }
        List<long[]> lines;
        try {
            lines = annotations(s.cursor(at + annotationsAt, next));
        } catch (org.leakscope.model.InputFormatException e) {
            problem(e);
            scopes.put(at, DROPPED);
            return;
        }
        scopes.put(at, sites.size());
        sites.add(new InlineSite(depth, parent, s.u32(at + 12), lines));
    }

    private void problem(org.leakscope.model.InputFormatException e) {
        if (problemCount++ < MAX_PROBLEMS) {
            problems.add(org.leakscope.model.Problem.of(e));
        }
    }

    /**
     * Decodes binary annotations (CodeView's BinaryAnnotationOpcode) into line records: code offsets and
     * lines change by compressed operands; each code-offset change starts a record, which the next one (or an
     * explicit code length) ends.
     */
    static List<long[]> annotations(MsfStream.Cursor c) {
        List<long[]> out = new ArrayList<>();
        long code = 0;
        long line = 0;
        long file = -1;
        long length = -1;
        while (c.hasRemaining()) {
            int op = (int) operand(c);
            if (op == 0) {
                break;
            }
            boolean emit = false;
            switch (op) {
                case 1 -> code = operand(c); // code offset
                case 2 -> operand(c); // code offset base (segment-relative forms, unused by MSVC)
                case 3 -> {
                    code += operand(c);
                    emit = true;
                }
                case 4 -> {
                    long len = operand(c);
                    if (!out.isEmpty() && out.get(out.size() - 1)[1] < 0) {
                        out.get(out.size() - 1)[1] = len;
                    }
                    code += len;
                }
                case 5 -> file = operand(c);
                case 6 -> line += signed(operand(c));
                case 7, 8, 9, 10, 13 -> operand(c); // line end, range kind, columns: not needed
                case 11 -> {
                    long v = operand(c);
                    code += v & 0xF;
                    line += signed(v >>> 4);
                    emit = true;
                }
                case 12 -> {
                    length = operand(c);
                    code += operand(c);
                    emit = true;
                }
                default -> throw c.stream().error(c.position() - 1, "a binary annotation opcode 0 to 13",
                        Integer.toString(op));
            }
            if (emit) {
                if (!out.isEmpty() && out.get(out.size() - 1)[1] < 0) {
                    long[] last = out.get(out.size() - 1);
                    last[1] = code - last[0];
                }
                out.add(new long[] {code, length, line, file});
                length = -1;
            }
        }
        if (!out.isEmpty() && out.get(out.size() - 1)[1] < 0) {
            out.get(out.size() - 1)[1] = 0;
        }
        return out;
    }

    /** A compressed unsigned annotation operand: 1, 2 or 4 bytes, told by the high bits of the first. */
    private static long operand(MsfStream.Cursor c) {
        int b = c.u8();
        if ((b & 0x80) == 0) {
            return b;
        }
        if ((b & 0xC0) == 0x80) {
            return (b & 0x3F) << 8 | c.u8();
        }
        if ((b & 0xE0) == 0xC0) {
            return (long) (b & 0x1F) << 24 | c.u8() << 16 | c.u8() << 8 | c.u8();
        }
        throw c.stream().error(c.position() - 1, "a compressed annotation operand", "lead byte 0x"
                + Integer.toHexString(b));
    }

    /** Signed operands keep the sign in the low bit. */
    private static long signed(long v) {
        return (v & 1) != 0 ? -(v >>> 1) : v >>> 1;
    }

    private void readSubsections(MsfStream s, long start, long end) {
        List<long[]> lineBlocks = new ArrayList<>();
        List<long[]> inlineeBlocks = new ArrayList<>();
        long at = start;
        while (at + 8 <= end) {
            long kind = s.u32(at);
            long len = s.u32(at + 4);
            long body = at + 8;
            if (len > end - body) {
                throw s.error(at + 4, "a debug subsection length up to " + (end - body), Long.toString(len));
            }
            if ((kind & DEBUG_S_IGNORE) == 0) {
                if (kind == DEBUG_S_FILECHKSMS) {
                    Map<Long, Long> table = new java.util.LinkedHashMap<>();
                    readChecksums(s, body, body + len, table);
                    files.addAll(table.values());
                    checksums.putAll(table);
                } else if (kind == DEBUG_S_LINES) {
                    lineBlocks.add(new long[] {body, body + len});
                } else if (kind == DEBUG_S_INLINEELINES) {
                    inlineeBlocks.add(new long[] {body, body + len});
                }
            }
            at = body + (len + 3) / 4 * 4;
        }
        for (long[] b : lineBlocks) {
            readLines(s, b[0], b[1], checksums);
        }
        for (long[] b : inlineeBlocks) {
            readInlinees(s, b[0], b[1], checksums);
        }
    }

    /** File checksum entries, keyed by their offset in the subsection (what line blocks refer to). */
    private static void readChecksums(MsfStream s, long start, long end, Map<Long, Long> out) {
        MsfStream.Cursor c = s.cursor(start, end);
        while (c.remaining() >= 6) {
            long key = c.position() - start;
            long name = c.u32();
            int size = c.u8();
            c.u8(); // checksum kind
            c.skip(size);
            c.align(4);
            out.put(key, name);
        }
    }

    private void readLines(MsfStream s, long start, long end, Map<Long, Long> checksums) {
        MsfStream.Cursor c = s.cursor(start, end);
        long offset = c.u32();
        int section = c.u16();
        int flags = c.u16();
        long codeSize = c.u32();
        boolean columns = (flags & CV_LINES_HAVE_COLUMNS) != 0;
        List<long[]> block = new ArrayList<>();
        while (c.remaining() >= 12) {
            long blockAt = c.position();
            long file = c.u32();
            long count = c.u32();
            long bytes = c.u32();
            long need = count * (columns ? 12 : 8);
            if (bytes < 12 || bytes - 12 < need || bytes - 12 > c.remaining()) {
                throw s.error(blockAt + 8, "a line block of 12 + " + need + " bytes inside its subsection",
                        bytes + " bytes for " + count + " lines");
            }
            Long name = checksums.get(file);
            if (name == null) {
                throw s.error(blockAt, "a file checksum offset the module's DEBUG_S_FILECHKSMS lists",
                        Long.toString(file));
            }
            for (long i = 0; i < count; i++) {
                long lineOffset = c.u32();
                long lineFlags = c.u32();
                block.add(new long[] {lineOffset, lineFlags & 0xFF_FFFF, name});
            }
            c.seek(blockAt + bytes);
        }
        // A line runs to the next line's start, the last to the end of the contribution.
        block.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 0; i < block.size(); i++) {
            long[] l = block.get(i);
            long next = i + 1 < block.size() ? block.get(i + 1)[0] : codeSize;
            lines.add(new Line(section, offset + l[0], Math.max(0, next - l[0]), l[1], l[2]));
        }
    }

    private void readInlinees(MsfStream s, long start, long end, Map<Long, Long> checksums) {
        MsfStream.Cursor c = s.cursor(start, end);
        long signature = c.u32();
        while (c.remaining() >= 12) {
            long inlinee = c.u32();
            long file = c.u32();
            long line = c.u32();
            if (signature == 1) {
                long extra = c.u32();
                c.skip(Math.multiplyExact(extra, 4L));
            }
            Long name = checksums.get(file);
            if (name != null) {
                inlinees.add(new InlineeLine(inlinee, name, line));
            }
        }
    }
}
