package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;

/**
 * The ranking of {@link Comparison#select}: growth first by the order's delta, the other delta next, then trace
 * id ("" for none), then the stack's text; checked against that rule written as Comparator combinators, on rows
 * that tie at every step.
 */
class ComparisonSelectTest {
    @Test
    void ranksByDeltaThenOtherDeltaThenIdThenStack() {
        Random r = new Random(3);
        List<StackChange> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long oldBytes = r.nextInt(4) * 16L;
            long newBytes = r.nextInt(4) * 16L;
            long oldCount = r.nextInt(3);
            long newCount = r.nextInt(3);
            String id = r.nextInt(5) == 0 ? null : "T" + r.nextInt(30);
            List<Frame> frames = List.of(Frame.unresolved(r.nextInt(8)), Frame.unresolved(0x1000 + r.nextInt(3)));
            rows.add(new StackChange(new Backtrace(id, frames), 0, id, oldBytes, newBytes, oldCount, newCount, 0, 0, 1));
        }
        Comparison c = new Comparison(KeyKind.FRAMES, rows, 0, 0, 0, 0, 0, 0, 0);
        Comparator<StackChange> tie = Comparator.<StackChange, String>comparing(x -> x.traceId() == null ? ""
                : x.traceId()).thenComparing(x -> Comparison.stackText(x.backtrace()));
        Comparator<StackChange> bytes = Comparator.comparingLong(StackChange::bytesDelta)
                .thenComparingLong(StackChange::countDelta).reversed().thenComparing(tie);
        Comparator<StackChange> count = Comparator.comparingLong(StackChange::countDelta)
                .thenComparingLong(StackChange::bytesDelta).reversed().thenComparing(tie);
        for (long min : new long[] {0, 16, 40}) {
            List<StackChange> b = new ArrayList<>(rows.stream().filter(x -> Math.abs(x.bytesDelta()) >= min).toList());
            b.sort(bytes);
            assertEquals(b, c.select(SortOrder.BYTES, min, 0), "bytes, min " + min);
            List<StackChange> n = new ArrayList<>(rows.stream().filter(x -> Math.abs(x.countDelta()) >= min).toList());
            n.sort(count);
            assertEquals(n, c.select(SortOrder.COUNT, min, 0), "count, min " + min);
        }
        List<StackChange> b = new ArrayList<>(rows);
        b.sort(bytes);
        assertEquals(b.subList(0, 100), c.select(SortOrder.BYTES, 0, 100));
    }
}
