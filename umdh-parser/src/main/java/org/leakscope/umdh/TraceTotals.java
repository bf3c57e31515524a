package org.leakscope.umdh;

import org.leakscope.model.SeededHash;

/**
 * Per-trace sums for a log whose records hit hundreds of thousands of traces in random order. Adding each
 * record straight into one big hash table costs a cache and TLB miss per record (measured ~150 ns on a VM, the
 * whole budget). Instead records are appended to one of 64 buffers by hash, and a full buffer is added to its
 * own small table (about 0.5 MB for 500k traces: it stays in L2 while the buffer is processed). Classic
 * partitioned aggregation; results are the same as one table. A stack read after a record rides along with the
 * record ({@link #attachStack}) and reaches its trace when the buffer is processed: looking the trace up at once
 * cost a miss per stack (3 million in a 1 GB log of small traces).
 */
final class TraceTotals {
    /** Creates the trace for a key seen for the first time; returns its number. */
    interface NewTrace {
        int create(long key, long line);
    }

    /** Told a record's attached stack once the record's trace is known, in file order per trace. */
    interface StackOf {
        void found(int trace, int stack);
    }

    /** Called when a sum would pass 2^63; must throw. */
    interface Overflow {
        void at(long line, int trace);
    }

    private static final int PARTITION_BITS = 7;
    private static final int PARTITIONS = 1 << PARTITION_BITS;
    private static final int BUFFER = 256;

    private final TraceTable[] tables = new TraceTable[PARTITIONS];
    /** Records waiting to be added at most (a stack number attached to one stays valid until it is added). */
    static final int MAX_BUFFERED = PARTITIONS * BUFFER;
    private static final int STRIDE = 6;
    private final long[][] buffers = new long[PARTITIONS][]; // key, size, count, overhead, line, stack or -1
    private final int[] buffered = new int[PARTITIONS];
    private final int[] hashes = new int[BUFFER]; // of the batch being added
    private final NewTrace newTrace;
    private final StackOf stackOf;
    private int lastPartition = -1;
    private int lastIndex;
    /** Keeps the JIT from dropping the touch loop. */
    long sink;
    private final Overflow overflow;

    TraceTotals(NewTrace newTrace, StackOf stackOf, Overflow overflow) {
        this.newTrace = newTrace;
        this.stackOf = stackOf;
        this.overflow = overflow;
        for (int p = 0; p < PARTITIONS; p++) {
            tables[p] = new TraceTable(256);
        }
    }

    void add(long key, long size, long count, long overhead, long line) {
        int p = partition(key);
        long[] b = buffers[p];
        if (b == null) {
            b = buffers[p] = new long[BUFFER * STRIDE];
        }
        if (buffered[p] == BUFFER) {
            flush(p); // before, not after adding: the last record stays here for a stack to attach to
        }
        int i = buffered[p] * STRIDE;
        b[i] = key;
        b[i + 1] = size;
        b[i + 2] = count;
        b[i + 3] = overhead;
        b[i + 4] = line;
        b[i + 5] = -1;
        buffered[p]++;
        lastPartition = p;
        lastIndex = i;
    }

    /** Gives the last record added a stack ({@link StackOf#found} tells its trace later). */
    void attachStack(int stack) {
        buffers[lastPartition][lastIndex + 5] = stack;
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
        for (int j = 0, k = 0; j < n * STRIDE; j += STRIDE, k++) {
            long key = b[j];
            int slot = t.find(key, hashes[k]);
            if (slot < 0) {
                slot = t.insert(~slot, key, newTrace.create(key, b[j + 4]));
            }
            if (!t.add(slot, b[j + 1], b[j + 2], b[j + 3])) {
                overflow.at(b[j + 4], t.trace(slot));
            }
            if (b[j + 5] >= 0) {
                stackOf.found(t.trace(slot), (int) b[j + 5]);
            }
        }
        buffered[p] = 0;
        if (p == lastPartition) {
            lastPartition = -1;
        }
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
