package org.leakscope.symbols.pdb;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code /names} stream: the string table that file checksum entries name source files by (an offset into
 * its buffer). Strings are read when asked for and kept, since many lines share a file.
 */
final class StringTable {
    private static final long SIGNATURE = 0xEFFE_EFFEL;
    private static final int HEADER = 12;
    private static final int MAX_NAME = 32 * 1024;

    private final String source;
    private final MsfStream stream;
    private final long bufferSize;
    private final Map<Long, String> cache = new HashMap<>();

    private StringTable(String source, MsfStream stream, long bufferSize) {
        this.source = source;
        this.stream = stream;
        this.bufferSize = bufferSize;
    }

    /** The table of {@code info}'s {@code /names} stream; an empty one when the PDB has none. */
    static StringTable read(MsfFile msf, PdbInfo info) {
        int index = info.namedStream("/names");
        if (index < 0 || !msf.hasStream(index)) {
            return new StringTable(msf.source(), null, 0);
        }
        MsfStream s = msf.stream(index);
        long sig = s.u32(0);
        if (sig != SIGNATURE) {
            throw s.error(0, "the /names signature 0xEFFEEFFE", "0x" + Long.toHexString(sig));
        }
        long size = s.u32(8);
        s.check(HEADER, size, "the /names string buffer");
        return new StringTable(msf.source(), s, size);
    }

    /** The string at {@code offset} of the buffer. */
    String get(long offset) {
        String s = cache.get(offset);
        if (s == null) {
            if (stream == null || offset < 0 || offset >= bufferSize) {
                if (stream == null) {
                    throw org.leakscope.model.InputFormatException.atOffset(source, 0,
                            "a /names stream for the file names of line records", "none");
                }
                throw stream.error(HEADER, "a string offset below the buffer's " + bufferSize + " bytes",
                        Long.toString(offset));
            }
            s = stream.cstring(HEADER + offset, (int) Math.min(MAX_NAME, bufferSize - offset));
            cache.put(offset, s);
        }
        return s;
    }
}
