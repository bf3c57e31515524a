package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.leakscope.model.IndexOrder;

/** Traces renumbered by first line: the radix order is the stable sort's, for every size of line number. */
class TraceOrderTest {
    @Test
    void ordersAsTheStableSortDoes() {
        Random r = new Random(5);
        for (long maxLine : new long[] {1, 2047, 2048, 1L << 22, 70_000_000, 1L << 33, 1L << 40, Long.MAX_VALUE}) {
            for (int traces : new int[] {1, 2, 3, 1000, 70_000}) {
                long[] lines = new long[traces];
                LongColumn column = new LongColumn();
                for (int t = 0; t < traces; t++) {
                    // ties now and then (a test's lines, not a log's) and lines near the top of the range
                    lines[t] = t > 0 && r.nextInt(50) == 0 ? lines[r.nextInt(t)]
                            : r.nextInt(20) == 0 ? maxLine - r.nextInt((int) Math.min(maxLine, 1000))
                            : (r.nextLong() >>> 1) % (maxLine + 1);
                    column.set(t, lines[t]);
                }
                int[] expected = IndexOrder.of(lines.clone(), traces);
                boolean ascending = true;
                for (int t = 1; t < traces; t++) {
                    ascending &= lines[t] > lines[t - 1];
                }
                int[] got = TraceOrder.of(column, traces);
                if (ascending) {
                    assertNull(got, traces + " traces up to line " + maxLine);
                } else {
                    assertArrayEquals(expected, got, traces + " traces up to line " + maxLine);
                }
            }
        }
    }

    /** Traces made a partition at a time: each partition's in file order, the partitions interleaved. */
    @Test
    void partitionedCreationOrder() {
        Random r = new Random(9);
        int traces = 200_000;
        long[] lines = new long[traces];
        long line = 3;
        for (int t = 0; t < traces; t++) {
            line += 1 + r.nextInt(60);
            lines[t] = line;
        }
        // shuffle within windows of 4096, as buffers flushed partition by partition leave them
        for (int w = 0; w < traces; w += 4096) {
            for (int i = Math.min(traces, w + 4096) - 1; i > w; i--) {
                int j = w + r.nextInt(i - w + 1);
                long x = lines[i];
                lines[i] = lines[j];
                lines[j] = x;
            }
        }
        LongColumn column = new LongColumn();
        for (int t = 0; t < traces; t++) {
            column.set(t, lines[t]);
        }
        assertArrayEquals(IndexOrder.of(lines.clone(), traces), TraceOrder.of(column, traces));
        LongColumn sorted = new LongColumn();
        for (int t = 0; t < traces; t++) {
            sorted.set(t, 10L + 2 * t);
        }
        assertNull(TraceOrder.of(sorted, traces));
        assertNull(TraceOrder.of(new LongColumn(), 0));
    }
}
