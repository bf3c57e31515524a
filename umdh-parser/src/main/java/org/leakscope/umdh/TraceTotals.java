package org.leakscope.umdh;

import org.leakscope.model.SeededHash;

/**
 * Per-trace sums for a log whose records hit hundreds of thousands of traces in random order. Adding each record
 * straight into one big hash table costs a cache and TLB miss per record (measured ~150 ns on a VM, the whole budget).
 * Instead records are appended to one of 64 buffers by hash, and a full buffer is added to its own table (about 320 KB
 * for 500k traces). Classic partitioned aggregation; results are the same as one table. A buffer holds 2048 records, so
 * a flush hits most lines of its table several times: with 128 buffers of 256 records each record missed the caches
 * about once (aggregating 20.5M records over 500k traces: 1.5 s; now 1.1). A stack read after a record rides along with
 * the record ({@link #attachStack}) and reaches its trace when the buffer is processed: looking the trace up at once
 * cost a miss per stack (3 million in a 1 GB log of small traces).
 */
final class TraceTotals {
    /** Creates the trace for a key seen for the first time at {@code line}; returns its number. */
    interface NewTrace {
        int create(long line);
    }

    /** Told a record's attached stack once the record's trace is known, in file order per trace. */
    interface StackOf {
        void found(int trace, int stack);
    }

    /** Called when a sum would pass 2^63; must throw. */
    interface Overflow {
        void at(long line, long key);
    }

    private static final int PARTITION_BITS = 6;
    private static final int PARTITIONS = 1 << PARTITION_BITS;
    private static final int BUFFER = 2048;

    private final TraceTable[] tables = new TraceTable[PARTITIONS];
    /** Records waiting to be added at most (a stack number attached to one stays valid until it is added). */
    static final int MAX_BUFFERED = PARTITIONS * BUFFER;
    /**
     * A buffered record packs into three longs (half the memory traffic of one long per field): key; size and
     * overhead; its line after the buffer's first record's and the stack attached + 1 (0 for none). Its count is
     * 1: a line of the usual form. Others are added at once.
     */
    private static final int STRIDE = 3;
    private static final int OVERHEAD_BITS = 24;
    private static final int SIZE_BITS = 63 - OVERHEAD_BITS;
    private static final long STACK_MASK = 0xFFFF_FFFFL;
    private static final long MAX_LINE_DELTA = Integer.MAX_VALUE;
    private final long[][] buffers = new long[PARTITIONS][];
    private final long[] firstLine = new long[PARTITIONS]; // of each buffer's first record
    private final int[] buffered = new int[PARTITIONS];
    private final int[] hashes = new int[BUFFER]; // of the batch being added
    private final NewTrace newTrace;
    private final StackOf stackOf;
    private int lastPartition = -1; // where the last record added waits, or -1 when it was added at once
    private int lastIndex;
    private int lastTrace = -1;      // the trace of the last record when it was added at once, or -1
    /** Keeps the JIT from dropping the touch loop. */
    long sink;
    private final Overflow overflow;

    /** @param expectedTraces how many traces the log likely has ({@link TraceCountEstimate}), 0 if unknown */
    TraceTotals(NewTrace newTrace, StackOf stackOf, Overflow overflow, int expectedTraces) {
        this.newTrace = newTrace;
        this.stackOf = stackOf;
        this.overflow = overflow;
        for (int p = 0; p < PARTITIONS; p++) {
            tables[p] = new TraceTable(Math.max(256, expectedTraces / PARTITIONS));
        }
    }

    void add(long key, long size, long count, long overhead, long line) {
        int p = partition(key);
        long[] b = buffers[p];
        if (b == null) {
            b = buffers[p] = new long[BUFFER * STRIDE];
        }
        if (buffered[p] == BUFFER || (buffered[p] > 0 && line - firstLine[p] > MAX_LINE_DELTA)) {
            flush(p); // before, not after adding: the last record stays here for a stack to attach to
        }
        if (count != 1 || (size >>> SIZE_BITS) != 0 || (overhead >>> OVERHEAD_BITS) != 0) {
            // a record that does not pack (a summary line's count, a size past 512 GiB, a big overhead): its
            // partition's earlier records go first, then it alone, so each trace still sees its records in order
            flush(p);
            TraceTable t = tables[p];
            int slot = t.find(key);
            if (slot < 0) {
                slot = t.insert(~slot, key, newTrace.create(line));
            }
            if (!t.add(slot, size, count, overhead)) {
                overflow.at(line, key);
            }
            lastPartition = -1;
            lastTrace = t.trace(slot);
            return;
        }
        if (buffered[p] == 0) {
            firstLine[p] = line;
        }
        int i = buffered[p] * STRIDE;
        b[i] = key;
        b[i + 1] = size << OVERHEAD_BITS | overhead;
        b[i + 2] = (line - firstLine[p]) << 32; // no stack (0) until one is attached
        buffered[p]++;
        lastPartition = p;
        lastIndex = i;
        lastTrace = -1;
    }

    /** Gives the last record added a stack ({@link StackOf#found} tells its trace later). */
    void attachStack(int stack) {
        if (lastPartition >= 0) {
            long[] b = buffers[lastPartition];
            b[lastIndex + 2] = (b[lastIndex + 2] & ~STACK_MASK) | (stack + 1L); // a stack read again replaces it
        } else if (lastTrace >= 0) {
            stackOf.found(lastTrace, stack); // the record was added at once
        }
    }

    void flushAll() {
        for (int p = 0; p < PARTITIONS; p++) {
            flush(p);
        }
    }

    private void flush(int p) {
        int n = buffered[p];
        if (n == 0) {
            return;
        }
        long[] b = buffers[p];
        TraceTable t = tables[p];
        long touched = 0;
        int[] hashes = this.hashes;
        for (int j = 0, k = 0; j < n * STRIDE; j += STRIDE, k++) {
            hashes[k] = TraceTable.hash(b[j]);
            touched += t.touch(hashes[k]); // independent loads first: the CPU overlaps their misses
        }
        sink = touched;
        long first = firstLine[p];
        for (int j = 0, k = 0; j < n * STRIDE; j += STRIDE, k++) {
            long key = b[j];
            long line = first + (b[j + 2] >>> 32);
            int slot = t.find(key, hashes[k]);
            if (slot < 0) {
                slot = t.insert(~slot, key, newTrace.create(line));
            }
            if (!t.add(slot, b[j + 1] >>> OVERHEAD_BITS, 1, b[j + 1] & ((1L << OVERHEAD_BITS) - 1))) {
                overflow.at(line, key);
            }
            int stack = (int) (b[j + 2] & STACK_MASK) - 1;
            if (stack >= 0) {
                stackOf.found(t.trace(slot), stack);
            }
        }
        buffered[p] = 0;
        if (p == lastPartition) {
            lastPartition = -1;
        }
    }

    /**
     * Every trace's key (its encoded id) and sums by trace number, into {@code keys} (flushes first). The last
     * call: each table is dropped once copied, so the reader builds its columns as the tables go (with 3 million
     * traces they are about 108 MB). The tables hold the keys, so the reader keeps no copy while reading.
     */
    TraceSums sumsByTrace(int traces, LongColumn keys) {
        flushAll();
        int rows = 0;
        for (TraceTable t : tables) {
            rows += t.wideRows();
        }
        long[] packed = new long[traces];
        long[] wide = new long[rows * 3];
        int row = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            tables[p].copyKeys(keys);
            row = tables[p].copySums(packed, wide, row);
            tables[p] = null;
            buffers[p] = null;
        }
        return new TraceSums(packed, wide);
    }

    /** The top bits of the seeded hash (the tables use the low ones): a log cannot crowd one partition. */
    private static int partition(long key) {
        return (int) (SeededHash.mix(key) >>> (64 - PARTITION_BITS));
    }
}
