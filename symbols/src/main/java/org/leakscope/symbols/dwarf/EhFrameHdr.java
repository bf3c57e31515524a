package org.leakscope.symbols.dwarf;

/**
 * The binary search table of {@code .eh_frame_hdr}: pairs of (function start, FDE address), sorted by start,
 * which the runtime's unwinder (and this reader) search instead of scanning {@code .eh_frame}. Only the table
 * encoding every linker writes is used ({@code DW_EH_PE_datarel | DW_EH_PE_sdata4}: 8-byte entries relative to
 * the header's start); with another one, or a header that does not point at {@code .eh_frame}, the caller builds
 * its own index instead.
 */
final class EhFrameHdr {
    private static final int TABLE_ENCODING = 0x3b;

    private final CfiSection section;
    private final long tableStart;
    private final long count;

    private EhFrameHdr(CfiSection section, long tableStart, long count) {
        this.section = section;
        this.tableStart = tableStart;
        this.count = count;
    }

    /** The table, or null when the header has none this reader uses; damage throws. */
    static EhFrameHdr read(CfiSection hdr, long ehFrameAddress, int addressSize, CfiCursor.Bases bases) {
        CfiCursor c = new CfiCursor(hdr, 0, hdr.size());
        int version = c.u8();
        if (version != 1) {
            throw hdr.error(0, ".eh_frame_hdr version 1", "version " + version);
        }
        int ptrEnc = c.u8();
        int countEnc = c.u8();
        int tableEnc = c.u8();
        CfiCursor.Bases own = new CfiCursor.Bases() {
            @Override
            public long read(long address, int size) {
                return bases.read(address, size);
            }

            @Override
            public long text() {
                return bases.text();
            }

            @Override
            public long data() {
                return hdr.address(); // datarel in the header counts from the header itself
            }
        };
        long ehFrame = c.pointer(ptrEnc, addressSize, own, 0);
        if (ehFrame != ehFrameAddress) {
            throw c.error("the .eh_frame address 0x" + Long.toHexString(ehFrameAddress),
                    "0x" + Long.toHexString(ehFrame));
        }
        if (countEnc == CfiCursor.PE_OMIT || tableEnc != TABLE_ENCODING) {
            return null;
        }
        long count = c.pointer(countEnc, addressSize, own, 0);
        long room = (hdr.size() - c.position()) / 8;
        if (count < 0 || count > room) {
            throw c.error("at most " + room + " table entries (the section's end)", Long.toUnsignedString(count));
        }
        return new EhFrameHdr(hdr, c.position(), count);
    }

    /** The address of the FDE of the last function starting at or before {@code address}, or -1. */
    long fdeFor(long address) {
        long lo = 0;
        long hi = count - 1;
        long found = -1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            if (start(mid) <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return -1;
        }
        return section.address() + section.bytes().getInt((int) (tableStart + found * 8 + 4));
    }

    private long start(long i) {
        return section.address() + section.bytes().getInt((int) (tableStart + i * 8));
    }

    long count() {
        return count;
    }
}
