package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.Module;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.SeededHash;

/**
 * A raw address's code is its module's operator at its offset, for modules near each other and far apart (the
 * page array and the page table), and 0 outside every module: the reader's keys and the check of a stack read
 * again both come from here.
 */
class ModuleOffsetCodesTest {
    @Test
    void anAddressIsCodedByItsModulesOperator() {
        Random r = new Random(21);
        for (int round = 0; round < 50; round++) {
            boolean far = round % 2 == 1; // 64-bit layouts: modules too far apart for the page array
            List<Module> mods = new ArrayList<>();
            long base = far ? 0x7FF6_0000_0000L : 0x40_0000L;
            int n = 1 + r.nextInt(40);
            for (int i = 0; i < n; i++) {
                long size = 0x1000L * (1 + r.nextInt(0x400));
                mods.add(new Module(base, size, "m" + i + ".dll", null, null, null));
                base += size + (far && r.nextBoolean() ? 1L << (33 + r.nextInt(6)) : 0x1000L * r.nextInt(64));
            }
            ModuleMap map = ModuleMap.of(mods);
            long seed = r.nextLong();
            FrameCodes codes = new FrameCodes() {
                @Override
                public long code(Frame frame) {
                    throw new AssertionError("frames are coded by module() here");
                }

                @Override
                public LongUnaryOperator module(Module m) {
                    int i = Integer.parseInt(m.name().substring(1, m.name().indexOf('.')));
                    long moduleSeed = seed + i * 0x1_0000_0001L; // any operator: one per module
                    return offset -> SeededHash.mix(moduleSeed + offset);
                }
            };
            ModuleOffsetCodes byOffset = new ModuleOffsetCodes(map, codes);
            for (int k = 0; k < 2000; k++) {
                Module m = mods.get(r.nextInt(n));
                long address = r.nextInt(8) == 0 ? m.base() - 1 - r.nextInt(0x2000) // often outside every module
                        : m.base() + (long) (r.nextDouble() * m.size());
                int i = map.indexOf(address);
                long expected = i < 0 ? 0 : codes.module(mods.get(i)).applyAsLong(address - mods.get(i).base());
                assertEquals(expected, byOffset.code(address),
                        "round " + round + ", address " + Long.toHexString(address));
            }
        }
    }
}
