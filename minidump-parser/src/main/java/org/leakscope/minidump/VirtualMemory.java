package org.leakscope.minidump;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The process memory a dump captured (MemoryList and Memory64List together), read on demand. Ranges are kept
 * sorted by address; a read may span ranges, and the parts no range covers are reported as gaps.
 */
public final class VirtualMemory implements TableMemory {
    /** The most one read may return: {@code --memory} is for looking, not for copying a heap. */
    public static final int MAX_READ = 64 * 1024 * 1024;

    private final DumpFile file;
    private final List<MemoryRange> ranges;

    VirtualMemory(DumpFile file, List<MemoryRange> ranges) {
        this.file = file;
        List<MemoryRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(MemoryRange::start, Long::compareUnsigned));
        this.ranges = List.copyOf(sorted);
    }

    /** Sorted by start address. */
    public List<MemoryRange> ranges() {
        return ranges;
    }

    /** Total bytes captured, summed over ranges. */
    public long capturedBytes() {
        long sum = 0;
        for (MemoryRange r : ranges) {
            sum += r.size();
        }
        return sum;
    }

    /**
     * A span of a read: either bytes from the dump or a gap nothing captured.
     *
     * @param bytes null for a gap
     */
    public record Piece(long address, long length, byte[] bytes) {
        public boolean isGap() {
            return bytes == null;
        }
    }

    /**
     * Reads {@code length} bytes from {@code address}: captured bytes where ranges cover them, gaps elsewhere.
     * A range whose data lies outside the file reads as a gap too (a truncated dump).
     */
    public List<Piece> read(long address, int length) {
        if (length < 0 || length > MAX_READ) {
            throw new IllegalArgumentException("read length must be 0.." + MAX_READ);
        }
        List<Piece> out = new ArrayList<>();
        long pos = address;
        long remaining = length;
        int i = firstRangeEndingAfter(address);
        while (remaining > 0) {
            MemoryRange r = i < ranges.size() ? ranges.get(i) : null;
            if (r == null || Long.compareUnsigned(pos, r.start()) < 0) {
                long gap = r == null ? remaining : Math.min(remaining, r.start() - pos);
                out.add(new Piece(pos, gap, null));
                pos += gap;
                remaining -= gap;
                continue;
            }
            long inRange = r.start() + r.size() - pos;
            long n = Math.min(remaining, inRange);
            long fileOffset = r.fileOffset() + (pos - r.start());
            if (file.contains(fileOffset, n)) {
                out.add(new Piece(pos, n, file.read(fileOffset, (int) n, "memory at " + Long.toHexString(pos))));
            } else {
                out.add(new Piece(pos, n, null));
            }
            pos += n;
            remaining -= n;
            i++;
        }
        return out;
    }

    @Override
    public String source() {
        return file.name();
    }

    /** Reads bytes that must all be captured; null when any part is a gap. */
    @Override
    public byte[] readFully(long address, int length) {
        byte[] out = new byte[length];
        int at = 0;
        for (Piece p : read(address, length)) {
            if (p.isGap()) {
                return null;
            }
            System.arraycopy(p.bytes(), 0, out, at, p.bytes().length);
            at += p.bytes().length;
        }
        return out;
    }

    private int firstRangeEndingAfter(long address) {
        int lo = 0;
        int hi = ranges.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            MemoryRange r = ranges.get(mid);
            if (Long.compareUnsigned(r.start() + r.size(), address) <= 0 && r.size() != 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
