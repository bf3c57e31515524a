package org.leakscope.minidump;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;

/**
 * Finds resmon tracking tables in a dump that does not say where they are (Task Manager, procdump, WinDbg
 * {@code .dump /ma}, lldb): every captured range is scanned, 8-byte aligned, for the 16-byte magic, and each
 * hit is read as a table; a hit that does not validate (a stale copy, a freed buffer) is a problem, not an
 * error.
 */
public final class ResmonTableScan {
    /** "LKRESMON" little-endian, and its complement: the table's first 16 bytes. */
    static final long MAGIC = 0x4E4F4D5345524B4CL;
    /**
     * Bytes read at a time per thread: a window the kernel has just copied into the buffer is still in the core's
     * cache when {@link #find} reads it (the 4 GiB dump's scan alone, two threads: 380-400 ms with 16 MiB windows,
     * 330 with 1 MiB).
     */
    static final int WINDOW = 1 << 20;
    /** Windows overlap by a whole magic, so one that straddles two windows lies wholly in one (any alignment). */
    static final int OVERLAP = 16;

    /** Tables found, and hits that did not validate. */
    public record Result(List<TrackingTable> tables, List<Problem> problems, long bytesScanned) {
        public Result {
            tables = List.copyOf(tables);
            problems = List.copyOf(problems);
        }
    }

    private ResmonTableScan() {
    }

    /** @param progress told the bytes scanned so far, now and then; may be null */
    public static Result scan(VirtualMemory memory, LongConsumer progress) {
        return scan(memory, progress, WINDOW);
    }

    /** {@link #scan(VirtualMemory, LongConsumer)} in windows of {@code window} bytes (tests use small ones). */
    static Result scan(VirtualMemory memory, LongConsumer progress, int window) {
        List<Long> hits = java.util.Collections.synchronizedList(new ArrayList<>());
        long scanned = memory.scan(window, OVERLAP, (address, buf) -> find(buf, address, hits), progress);
        List<TrackingTable> tables = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (long va : hits.stream().distinct().sorted(Long::compareUnsigned).toList()) {
            try {
                tables.add(ResmonTableReader.read(memory, va));
            } catch (InputFormatException e) {
                problems.add(new Problem(memory.source(), null, null, "a resmon table magic at "
                        + ResmonTableReader.hex(va) + " that is not a live table: " + e.getMessage()));
            }
        }
        return new Result(tables, problems, scanned);
    }

    /**
     * 8-aligned (by address) positions in {@code b} holding the magic and its complement. Only every other
     * aligned word is read: a table's first 16 bytes put the magic or its complement on one of them, and the
     * other word is read only then (the 4 GiB dump's scan alone, two threads: 330-380 ms -> 200-233 ms).
     */
    static void find(java.nio.ByteBuffer b, long address, List<Long> hits) {
        int first = (int) ((8 - (address & 7)) & 7);
        int end = b.limit();
        for (int i = first; i + 8 <= end; i += 16) {
            long w = b.getLong(i);
            if (w == MAGIC) {
                if (i + 16 <= end && b.getLong(i + 8) == ~MAGIC) {
                    hits.add(address + i);
                }
            } else if (w == ~MAGIC && i - 8 >= first && b.getLong(i - 8) == MAGIC) {
                hits.add(address + i - 8);
            }
        }
    }
}
