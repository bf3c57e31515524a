package org.leakscope.umdh;

import org.leakscope.model.SeededHash;

/**
 * Per-trace sums for a log whose records hit hundreds of thousands of traces in random order. Adding each
 * record straight into one big hash table costs a cache and TLB miss per record (measured ~150 ns on a VM, the
 * whole budget). Instead records are appended to one of 64 buffers by hash, and a full buffer is added to its
 * own small table (about 0.5 MB for 500k traces: it stays in L2 while the buffer is processed). Classic
 * partitioned aggregation; results are the same as one table.
 */
final class TraceTotals {
    /** Creates the trace for a key seen for the first time; returns its number. */
    interface NewTrace {
        int create(long key);
    }

    /** Called when a sum would pass 2^63; must throw. */
    interface Overflow {
        void at(long line, int trace);
    }

    private static final int PARTITION_BITS = 7;
    private static final int PARTITIONS = 1 << PARTITION_BITS;
    private static final int BUFFER = 256;

    private final TraceTable[] tables = new TraceTable[PARTITIONS];
    private final long[][] buffers = new long[PARTITIONS][]; // key, size, count, overhead, line
    private final int[] buffered = new int[PARTITIONS];
    private final NewTrace newTrace;
    /** Keeps the JIT from dropping the touch loop. */
    long sink;
    private final Overflow overflow;

    TraceTotals(NewTrace newTrace, Overflow overflow) {
        this.newTrace = newTrace;
        this.overflow = overflow;
        for (int p = 0; p < PARTITIONS; p++) {
            tables[p] = new TraceTable(256);
        }
    }

    void add(long key, long size, long count, long overhead, long line) {
        int p = partition(key);
        long[] b = buffers[p];
        if (b == null) {
            b = buffers[p] = new long[BUFFER * 5];
        }
        int i = buffered[p] * 5;
        b[i] = key;
        b[i + 1] = size;
        b[i + 2] = count;
        b[i + 3] = overhead;
        b[i + 4] = line;
        if (++buffered[p] == BUFFER) {
            flush(p);
        }
    }

    /** The trace number of a key already added. */
    int trace(long key) {
        int p = partition(key);
        flush(p);
        int slot = tables[p].find(key);
        if (slot < 0) {
            throw new IllegalStateException("trace key was never added");
        }
        return tables[p].trace(slot);
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
        for (int j = 0; j < n * 5; j += 5) {
            touched += t.touch(b[j]); // independent loads first: the CPU overlaps their misses
        }
        sink = touched;
        for (int j = 0; j < n * 5; j += 5) {
            long key = b[j];
            int slot = t.find(key);
            if (slot < 0) {
                slot = t.insert(~slot, key, newTrace.create(key));
            }
            if (!t.add(slot, b[j + 1], b[j + 2], b[j + 3])) {
                overflow.at(b[j + 4], t.trace(slot));
            }
        }
        buffered[p] = 0;
    }

    /**
     * bytes/count/overhead per trace number (flushes first). The last call: the tables are dropped, so the reader
     * builds its aggregates without them (with 3 million traces they are about 300 MB).
     */
    long[][] totalsByTrace(int traces) {
        flushAll();
        long[][] out = new long[3][traces];
        for (int p = 0; p < PARTITIONS; p++) {
            tables[p].copyTotals(out);
            tables[p] = null;
            buffers[p] = null;
        }
        return out;
    }

    /** The top bits of the seeded hash (the tables use the low ones): a log cannot crowd one partition. */
    private static int partition(long key) {
        return (int) (SeededHash.mix(key) >>> (64 - PARTITION_BITS));
    }
}
