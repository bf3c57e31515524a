package org.leakscope.minidump;

import java.util.ArrayList;
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
        sorted.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
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

    /** Receives each window of a {@link #scan}: the buffer holds the bytes at {@code address} onwards. */
    public interface ScanSink {
        void window(long address, java.nio.ByteBuffer bytes);
    }

    /** Progress is told each time the bytes scanned pass a multiple of 2^this. */
    private static final int PROGRESS_SHIFT = 24;

    /**
     * Streams every captured byte through reused direct buffers of {@code window} bytes, one per core, windows
     * handed out in turn; consecutive windows of a range overlap by {@code overlap} bytes so a pattern across
     * an edge is seen whole. The sink is called from several threads. Ranges whose data lies outside the file
     * are skipped. Returns the bytes scanned.
     */
    public long scan(int window, int overlap, ScanSink sink, java.util.function.LongConsumer progress) {
        List<long[]> windows = new ArrayList<>(); // {address, file offset, length}
        for (MemoryRange r : ranges) {
            if (!file.contains(r.fileOffset(), r.size())) {
                continue;
            }
            for (long off = 0; off < r.size(); off += window - overlap) {
                long n = Math.min(window, r.size() - off);
                windows.add(new long[] {r.start() + off, r.fileOffset() + off, n});
                if (off + n >= r.size()) {
                    break;
                }
            }
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong scanned = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        // buffers no larger than the largest window: a dump of a few KB scanned with 16 MB windows allocated (and
        // zeroed) 16 MB of direct memory per thread, per scan
        int bufferSize = (int) windows.stream().mapToLong(w -> w[2]).max().orElse(0);
        Runnable worker = () -> {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(bufferSize)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = next.getAndIncrement(); i < windows.size() && failure.get() == null; i = next.getAndIncrement()) {
                long[] w = windows.get(i);
                try {
                    buf.clear().limit((int) w[2]);
                    file.readInto(buf, w[1], "memory at " + Long.toHexString(w[0]));
                    buf.flip();
                    sink.window(w[0], buf);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    return;
                }
                long done = scanned.addAndGet(w[2]);
                if (progress != null && (done - w[2]) >>> PROGRESS_SHIFT != done >>> PROGRESS_SHIFT) {
                    progress.accept(done); // once per 16 MiB: a terminal line each, whatever the window size
                }
            }
        };
        int threads = Math.max(1, Math.min(windows.size(), Runtime.getRuntime().availableProcessors()));
        List<Thread> pool = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread th = new Thread(worker, "memory-scan-" + t);
            th.setDaemon(true);
            th.start();
            pool.add(th);
        }
        worker.run();
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return scanned.get();
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
