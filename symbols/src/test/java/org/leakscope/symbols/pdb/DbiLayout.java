package org.leakscope.symbols.pdb;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * Test-side reading of the DBI stream, written from LLVM's DbiStream.rst and ModiStream.rst (not from the PDB
 * core's reader): the optional debug header's stream numbers, section addresses, and every procedure symbol of
 * every module, so the type reader and the STACK WIN reader can be checked against the reference .sym files on
 * their own.
 */
final class DbiLayout {
    static final int DEBUG_FPO = 0;
    static final int DEBUG_OMAP_FROM_SOURCE = 4;
    static final int DEBUG_SECTION_HEADERS = 5;
    static final int DEBUG_NEW_FPO = 9;
    static final int DEBUG_ORIGINAL_SECTION_HEADERS = 10;

    private final MsfFile msf;
    private final MsfStream dbi;

    DbiLayout(MsfFile msf) {
        this.msf = msf;
        this.dbi = msf.stream(3);
    }

    /** The stream number of debug header entry {@code which}, or -1. */
    int debugStream(int which) {
        long at = 64 + dbi.i32(24) + dbi.i32(28) + dbi.i32(32) + dbi.i32(36) + dbi.i32(40) + dbi.i32(52);
        int size = dbi.i32(48);
        if (which * 2 + 2 > size) {
            return -1;
        }
        int s = dbi.u16(at + which * 2L);
        return s == 0xFFFF ? -1 : s;
    }

    /** The {@code /names} string at a byte offset of its buffer (after the 12-byte header), or null. */
    LongFunction<String> names(PdbInfo info) {
        MsfStream names = msf.stream(info.namedStream("/names"));
        long size = names.u32(8);
        return offset -> offset < size ? names.cstring(12 + offset, 65536) : null;
    }

    /** OMAP from the original RVAs to the image's, or the identity when the PDB has none. */
    LongUnaryOperator toImage() {
        int s = debugStream(DEBUG_OMAP_FROM_SOURCE);
        if (s < 0) {
            return LongUnaryOperator.identity();
        }
        MsfStream omap = msf.stream(s);
        int n = (int) (omap.size() / 8);
        return rva -> {
            long to = -1;
            for (int i = 0; i < n && omap.u32(i * 8L) <= rva; i++) {
                long target = omap.u32(i * 8L + 4);
                to = target == 0 ? -1 : target + rva - omap.u32(i * 8L);
            }
            return to;
        };
    }

    MsfStream stream(int index) {
        return index < 0 ? null : msf.stream(index);
    }

    /** A procedure symbol: where it is and what the hook is given. */
    record Proc(long rva, ProcedureNames.Procedure procedure) {
    }

    List<Proc> procedures() {
        // with OMAP, the section headers to add offsets to are the original ones (entry 10), then translated
        int original = debugStream(DEBUG_ORIGINAL_SECTION_HEADERS);
        MsfStream sections = msf.stream(original >= 0 ? original : debugStream(DEBUG_SECTION_HEADERS));
        LongUnaryOperator toImage = toImage();
        List<Proc> out = new ArrayList<>();
        long at = 64;
        long end = 64 + dbi.i32(24);
        while (at < end) {
            int symStream = dbi.u16(at + 34);
            long symBytes = dbi.u32(at + 36);
            MsfStream.Cursor c = dbi.cursor(at + 64, end);
            c.cstring(4096);
            c.cstring(4096);
            at = (c.position() + 3) / 4 * 4;
            if (symStream == 0xFFFF) {
                continue;
            }
            MsfStream s = msf.stream(symStream);
            for (long r = 4; r + 4 <= symBytes;) {
                int len = s.u16(r);
                int kind = s.u16(r + 2);
                if (kind == 0x1110 || kind == 0x110f || kind == 0x1147 || kind == 0x1146) {
                    long type = s.u32(r + 4 + 24);
                    long offset = s.u32(r + 4 + 28);
                    int segment = s.u16(r + 4 + 32);
                    String name = s.cstring(r + 4 + 35, 65536);
                    long rva = toImage.applyAsLong(sections.u32((segment - 1) * 40L + 12) + offset);
                    out.add(new Proc(rva, new ProcedureNames.Procedure(name, type, kind == 0x1147 || kind == 0x1146,
                            kind)));
                }
                r += 2 + len;
            }
        }
        return out;
    }
}
