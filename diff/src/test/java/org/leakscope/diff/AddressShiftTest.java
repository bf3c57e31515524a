package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

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

    /**
     * 50,000 sites per run that all agree in their low 16 bits: voting every pair would be 2.5 billion votes
     * (minutes). Such sites cannot tell shifts apart and do not vote; the few that can still find the shift.
     */
    @Test
    void sitesThatAllShareTheirLowBitsCostLinearTime() {
        int n = 50_000;
        long[] older = new long[n + 3];
        long[] newer = new long[n + 3];
        for (int i = 0; i < n; i++) {
            older[i] = 0x10000000L + ((long) i << 16);
            newer[i] = 0x90000000L + ((long) i << 16);
        }
        long shift = 0x7A0000000L;
        for (int i = 0; i < 3; i++) {
            older[n + i] = 0x400000L + 0x1234 + i * 0x101;
            newer[n + i] = older[n + i] + shift;
        }
        Snapshot a = sites(older);
        Snapshot b = sites(newer);
        AddressShift.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> AddressShift.find(a, b));
        assertNull(r, "3 votes cannot explain half of 50,003 sites");
        Snapshot a2 = sites(java.util.Arrays.copyOfRange(older, n - 2, n + 3));
        Snapshot b2 = sites(java.util.Arrays.copyOfRange(newer, n - 2, n + 3));
        assertEquals(shift, AddressShift.find(a2, b2).shift());
    }
}
