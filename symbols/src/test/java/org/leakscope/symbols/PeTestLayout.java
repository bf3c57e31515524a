package org.leakscope.symbols;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The few places of a PE32+ image the unwind tests damage or rewrite, found from its headers with a few lines of
 * the test's own (not with the reader under test).
 */
record PeTestLayout(int optional, int sections, int numSections, byte[] b) {
    static PeTestLayout of(byte[] b) {
        int pe = le(b).getInt(0x3c);
        return new PeTestLayout(pe + 24, pe + 24 + (le(b).getShort(pe + 20) & 0xffff), le(b).getShort(pe + 6), b);
    }

    /** File offset of data directory {@code i}'s (RVA, size) pair in a PE32+ header. */
    int directory(int i) {
        return optional + 112 + 8 * i;
    }

    int fileOffset(long rva) {
        for (int i = 0; i < numSections; i++) {
            int s = sections + 40 * i;
            long va = le(b).getInt(s + 12) & 0xffffffffL;
            long raw = le(b).getInt(s + 16) & 0xffffffffL;
            if (rva >= va && rva < va + raw) {
                return (int) (le(b).getInt(s + 20) + rva - va);
            }
        }
        throw new AssertionError("RVA " + Long.toHexString(rva) + " outside the test image's sections");
    }

    int pdata() {
        return fileOffset(le(b).getInt(directory(3)));
    }

    /** File offset of .pdata entry {@code i}'s UNWIND_INFO. */
    int xdata(int i) {
        return fileOffset(le(b).getInt(pdata() + 12 * i + 8));
    }

    int debugDirectory() {
        return fileOffset(le(b).getInt(directory(6)));
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
