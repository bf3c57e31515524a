package org.leakscope.umdh;

import org.leakscope.model.Snapshot;

/**
 * A UMDH heap snapshot ({@code umdh -p:PID -f:log.txt}) in the common model: one heap-block aggregate per
 * BackTrace id (bytes, allocation count, heap overhead), frames resolved to module+offset through the log's own
 * module table.
 *
 * @param snapshot   the common-model snapshot; its problems are the lines the reader did not understand
 * @param header     what the {@code //} header says
 * @param heaps      heap sections seen
 * @param records    allocation records read
 * @param encoding   how the text was encoded ("bytes" = ANSI or UTF-8 without a byte-order mark)
 * @param symbolic   some frames were printed as module!function (a log written with symbols)
 * @param traces     the traces as columns with their stacks' keys, when read indexed (then the snapshot has no
 *                   aggregates); null when read whole
 */
public record UmdhSnapshotLog(Snapshot snapshot, UmdhHeader header, int heaps, long records, String encoding,
        boolean symbolic, UmdhTraces traces) {
    /** Distinct BackTrace ids in the log. */
    public int traceCount() {
        return traces != null ? traces.size() : snapshot.aggregates().size();
    }

    /** {bytes, allocations} over all traces. */
    public long[] totals() {
        if (traces != null) {
            return traces.totals();
        }
        long[] sum = new long[2];
        for (var a : snapshot.aggregates()) {
            sum[0] += a.bytes();
            sum[1] += a.count();
        }
        return sum;
    }
}
