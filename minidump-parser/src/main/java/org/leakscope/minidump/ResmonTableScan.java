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
    private static final int WINDOW = 16 << 20;

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
        List<Long> hits = new ArrayList<>();
        long scanned = 0;
        for (MemoryRange r : memory.ranges()) {
            // windows overlap by 8 bytes so a magic across a window edge is still seen whole
            for (long off = 0; off < r.size(); off += WINDOW - 8) {
                long va = r.start() + off;
                int n = (int) Math.min(WINDOW, r.size() - off);
                for (VirtualMemory.Piece p : memory.read(va, n)) {
                    if (!p.isGap()) {
                        find(p.bytes(), p.address(), hits);
                    }
                }
                scanned += Math.min(n, WINDOW - 8);
                if (progress != null) {
                    progress.accept(scanned);
                }
                if (off + n >= r.size()) {
                    break;
                }
            }
        }
        List<TrackingTable> tables = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (long va : hits.stream().distinct().toList()) {
            try {
                tables.add(ResmonTableReader.read(memory, va));
            } catch (InputFormatException e) {
                problems.add(new Problem(memory.source(), null, null, "a resmon table magic at "
                        + ResmonTableReader.hex(va) + " that is not a live table: " + e.getMessage()));
            }
        }
        return new Result(tables, problems, scanned);
    }

    /** 8-aligned (by address) positions in {@code b} holding the magic and its complement. */
    static void find(byte[] b, long address, List<Long> hits) {
        int first = (int) ((8 - (address & 7)) & 7);
        for (int i = first; i + 16 <= b.length; i += 8) {
            if (le(b, i) == MAGIC && le(b, i + 8) == ~MAGIC) {
                hits.add(address + i);
            }
        }
    }

    private static long le(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48
                | (b[i + 7] & 0xFFL) << 56;
    }
}
