package org.leakscope.symbols.pdb;

import java.util.ArrayList;
import java.util.List;

/**
 * The S_PUB32 records of the symbol record stream (the stream the DBI header names): every public symbol's
 * decorated name and address. Read in one pass when first needed; names are kept as the file spells them.
 */
final class Publics {
    static final int S_PUB32 = 0x110e;
    private static final int MAX_NAME = 64 * 1024;
    /** PUBFLAGS: the symbol is a function (code), as opposed to data. */
    static final int FUNCTION = 2;

    /**
     * One public symbol.
     *
     * @param flags   CV_PUBSYMFLAGS (2 = function)
     * @param section 1-based section
     * @param offset  offset in the section
     * @param name    the decorated name ({@code ?Insert@LeakyCache@@...}, {@code _main}, {@code _RtlUnwind@16})
     */
    record Public(long flags, int section, long offset, String name) {
    }

    private Publics() {
    }

    static List<Public> read(MsfFile msf, DbiStream dbi) {
        int index = dbi.symbolRecordStream();
        if (index < 0) {
            return List.of();
        }
        MsfStream s = msf.stream(index);
        List<Public> out = new ArrayList<>();
        SymbolRecords.forEach(s, 0, s.size(), (at, kind, next) -> {
            if (kind == S_PUB32 && next - at >= 14) {
                MsfStream.Cursor c = s.cursor(at + 4, next);
                long flags = c.u32();
                long offset = c.u32();
                int section = c.u16();
                String name = c.hasRemaining() ? c.cstring(MAX_NAME) : "";
                out.add(new Public(flags, section, offset, name));
            }
        });
        return out;
    }
}
