package org.leakscope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Address → module lookups: the page index for disjoint modules finds what the plain search finds. */
class ModuleMapTest {
    @Test
    void pageIndexAgreesWithThePlainSearch() {
        Random r = new Random(3);
        for (int round = 0; round < 200; round++) {
            List<Module> mods = new ArrayList<>();
            long base = r.nextBoolean() ? 0x10000 : 0x7FF0_0000_0000L;
            int n = r.nextInt(40);
            for (int i = 0; i < n; i++) {
                base += r.nextInt(3) * 0x1000L; // sometimes adjacent, sometimes a gap
                long size = 0x1000L * (1 + r.nextInt(64));
                mods.add(new Module(base, size, "m" + i + ".dll", null, null, null));
                base += size;
            }
            if (round % 10 == 0 && n > 0) {
                mods.add(new Module(-0x2000L, 0x2000, "top.dll", null, null, null)); // ends at 2^64 exactly
            }
            ModuleMap map = ModuleMap.of(mods);
            for (int k = 0; k < 2000; k++) {
                long a = n == 0 ? r.nextLong() : mods.get(r.nextInt(mods.size())).base() + r.nextInt(0x50000) - 0x8000;
                if (k % 50 == 0) {
                    a = r.nextLong();
                }
                assertEquals(map.search(a), map.indexOf(a), "address " + Long.toHexString(a) + " round " + round);
            }
        }
    }

    @Test
    void pageIndexAgreesOnModulesAlignedToPagesOrNot() {
        Random r = new Random(5);
        for (int round = 0; round < 300; round++) {
            List<Module> mods = new ArrayList<>();
            long base = round % 3 == 0 ? 0x7FF0_0000_0000L : 0x6000_0000L;
            int n = 1 + r.nextInt(50);
            for (int i = 0; i < n; i++) {
                long unit = r.nextInt(4) == 0 ? 0x1000L : 0x10000L; // mostly whole 64 KiB pages, some not
                base += r.nextInt(3) * unit;
                long size = unit * (1 + r.nextInt(40));
                mods.add(new Module(base, size, "m" + i + ".dll", null, null, null));
                base += size;
            }
            if (round % 7 == 0) {
                mods.add(new Module(-0x30000L, 0x50000, "wraps.dll", null, null, null)); // said to run past 2^64
            }
            ModuleMap map = ModuleMap.of(mods);
            for (int k = 0; k < 3000; k++) {
                Module m = mods.get(r.nextInt(mods.size()));
                long a = switch (k % 4) {
                    case 0 -> m.base() + r.nextInt((int) Math.min(m.size() + 0x20000, 1 << 30)) - 0x10000;
                    case 1 -> m.base() + m.size() - 1 + r.nextInt(3) - 1; // the last byte and its neighbours
                    case 2 -> m.base() + r.nextInt(3) - 1;
                    default -> r.nextLong();
                };
                assertEquals(map.search(a), map.indexOf(a), "address " + Long.toHexString(a) + " round " + round);
            }
        }
    }

    /**
     * Modules of 4 GiB in all are indexed; past that the map searches (the index would cost more to build than
     * its lookups save), with the same answers either way.
     */
    @Test
    void modulesPastFourGiBAreSearchedNotIndexed() {
        long page = 0x10000;
        for (long pages : new long[] {1 << 16, (1 << 16) + 1}) { // 4 GiB, and 64 KiB more
            long[] bases = {0x10000000L, 0x10000000L + (pages - 1) * page};
            long[] sizes = {(pages - 1) * page, page};
            assertEquals(pages <= 1 << 16, PageIndex.of(bases, sizes) != null, pages + " pages");
            ModuleMap map = ModuleMap.of(List.of(new Module(bases[0], sizes[0], "big.dll", null, null, null),
                    new Module(bases[1], sizes[1], "next.dll", null, null, null)));
            assertEquals(0, map.indexOf(bases[0] + sizes[0] - 1));
            assertEquals(1, map.indexOf(bases[1]));
            assertEquals(-1, map.indexOf(bases[1] + page));
            assertEquals(-1, map.indexOf(bases[0] - 1));
        }
    }

    /** The array over the modules' span and the table of their pages give every address the same answer. */
    @Test
    void pageArrayAndPageTableAgree() {
        Random r = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = 1 + r.nextInt(40);
            long[] bases = new long[n];
            long[] sizes = new long[n];
            long base = round % 2 == 0 ? 0x400000L : 0x7FF6_1234_0000L;
            for (int i = 0; i < n; i++) {
                long unit = r.nextInt(4) == 0 ? 0x1000L : 0x10000L;
                base += r.nextInt(3) * unit + (r.nextInt(8) == 0 ? 0x1_0000_0000L : 0); // some far apart
                bases[i] = base;
                sizes[i] = unit * (1 + r.nextInt(40));
                base += sizes[i];
            }
            PageIndex array = PageIndex.of(bases, sizes);
            PageIndex table = PageIndex.of(bases, sizes, 0);
            assertFalse(table.byArray());
            for (int k = 0; k < 3000; k++) {
                int m = r.nextInt(n);
                long a = switch (k % 4) {
                    case 0 -> bases[m] + r.nextInt((int) sizes[m] + 0x40000) - 0x20000;
                    case 1 -> bases[m] + sizes[m] - 1 + r.nextInt(3) - 1;
                    case 2 -> bases[m] + r.nextInt(3) - 1;
                    default -> r.nextLong();
                };
                assertEquals(table.moduleAt(a), array.moduleAt(a), "address " + Long.toHexString(a) + " round "
                        + round + (array.byArray() ? " (by array)" : ""));
            }
        }
    }

    /** A 32-bit process and a 64-bit Windows process are indexed by array; modules far apart by a table. */
    @Test
    void typicalLayoutsAreIndexedByArray() {
        assertTrue(PageIndex.of(new long[] {0x400000L, 0x77650000L}, new long[] {0x11D000, 0x180000})
                .byArray());
        assertTrue(PageIndex.of(new long[] {0x7FF6_1A2B_0000L, 0x7FFC_0000_0000L, 0x7FFF_F000_0000L},
                new long[] {0x20000, 0x200000, 0x1F0000}).byArray());
        assertFalse(PageIndex.of(new long[] {0x1_8000_0000L, 0x7FFF_F000_0000L},
                new long[] {0x20000, 0x1F0000}).byArray());
    }
}
