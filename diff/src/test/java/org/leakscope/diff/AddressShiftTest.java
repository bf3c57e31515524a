package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.ResourceKind;
import org.leakscope.model.Snapshot;

class AddressShiftTest {
    private static Snapshot sites(long... addresses) {
        List<BacktraceAggregate> aggs = new ArrayList<>();
        for (long a : addresses) {
            aggs.add(new BacktraceAggregate(Backtrace.of(Frame.unresolved(a)), ResourceKind.HEAP_BLOCK, 100, 1, 0));
        }
        return new Snapshot("t", null, null, null, ModuleMap.empty(), List.of(), aggs, List.of());
    }

    @Test
    void findsTheRebaseThatLinesMostSitesUp() {
        long oldBase = 0x00007FF6C2A80000L;
        long newBase = 0x00007FF7AA010000L;
        Snapshot a = sites(oldBase + 0x1F6F7, oldBase + 0x2A010, oldBase + 0x6EFB);
        Snapshot b = sites(newBase + 0x1F6F7, newBase + 0x6EFB, newBase + 0x99999); // one gone, one new
        AddressShift.Result r = AddressShift.find(a, b);
        assertEquals(newBase - oldBase, r.shift());
        assertEquals(2, r.matched());
        Snapshot moved = AddressShift.apply(b, r.shift());
        assertEquals(oldBase + 0x1F6F7, moved.aggregates().get(0).backtrace().top().address());
    }

    @Test
    void noShiftWhenNothingAgreesOrTheVoteIsTied() {
        assertNull(AddressShift.find(sites(0x401234), sites(0x405678)));
        // two candidate shifts with one vote each: ambiguous
        assertNull(AddressShift.find(sites(0x10001234, 0x20005678), sites(0x30001234, 0x60005678)));
        assertEquals(0, AddressShift.find(sites(0x401234, 0x402000), sites(0x401234, 0x402000)).shift());
    }
}
