package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Names built to hurt a demangler, as a corrupt or hostile symbol file could hold them: each one ends in bounded
 * time with null or a name within the output cap, never an exception or a stack overflow.
 */
class ItaniumHostileTest {
    /** For each family of names, all together: generous for a loaded CI machine, far below any blow-up. */
    private static final long FAMILY_MILLIS = 5_000;
    private static final long ONE_NAME_MILLIS = 1_000;

    /** Demangles each name, asserting the bounds; returns how many demangled. */
    private static int demangleAll(String family, List<String> names) {
        long start = System.nanoTime();
        int demangled = 0;
        for (String n : names) {
            long t0 = System.nanoTime();
            String d = demangleOrMalformed(n);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < ONE_NAME_MILLIS, family + ": " + ms + " ms for " + abbreviated(n));
            if (d != null) {
                assertTrue(d.length() <= ItaniumDemangler.MAX_OUTPUT, family + ": " + d.length() + " characters");
                demangled++;
            }
        }
        long total = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%s: %d names in %d ms, %d demangled%n", family, names.size(), total, demangled);
        assertTrue(total < FAMILY_MILLIS, family + ": " + total + " ms for " + names.size() + " names");
        return demangled;
    }

    /** Only our own "malformed" may come out of the demangler: any other exception is a bug the test shows. */
    private static String demangleOrMalformed(String n) {
        try {
            return ItaniumDemangler.demangleOrThrow(n);
        } catch (ItaniumParser.Malformed e) {
            return null;
        }
    }

    private static String abbreviated(String n) {
        return n.length() <= 80 ? n : n.substring(0, 80) + "… (" + n.length() + " characters)";
    }

    @Test
    void deepNestingStopsAtTheDepthCap() {
        List<String> names = new ArrayList<>();
        for (int depth : new int[] {10, 100, 250, 300, 1_000, 10_000, 100_000}) {
            names.add("_Z1fI" + "P".repeat(depth) + "iEvv");
            names.add("_Z1f" + "N1a".repeat(depth) + "E");
            names.add("_Z1fIIIIII" + "I".repeat(depth) + "iEvv");
            names.add("_Z1f" + "PFv".repeat(depth) + "i" + "E".repeat(depth));
            names.add("_ZZ".repeat(depth) + "1fvE1x");
        }
        demangleAll("deep nesting", names);
        assertEquals("f(int**********)", Demangler.demangle("_Z1f" + "P".repeat(10) + "i"));
        assertNull(Demangler.demangle("_Z1f" + "P".repeat(10_000) + "i"));
    }

    /**
     * Each level a {@code std::pair} of the previous level twice, by substitution: the name grows by 10 or so
     * characters a level, its demangled form doubles. Over the output cap it is not demangled at all.
     */
    @Test
    void substitutionsThatDoubleStopAtTheOutputCap() {
        List<String> names = new ArrayList<>();
        for (int levels : new int[] {1, 5, 12, 13, 20, 40, 100, 250, 1_000, 5_000}) {
            names.add(doublingPairs(levels));
        }
        demangleAll("doubling substitutions", names);
        assertEquals("f(std::pair<int, int>, std::pair<std::pair<int, int>, std::pair<int, int> >)",
                Demangler.demangle(doublingPairs(1)));
        assertNull(Demangler.demangle(doublingPairs(40)));
    }

    /** Parameters {@code pair<int, int>}, then {@code levels} more, each a pair of the one before. */
    static String doublingPairs(int levels) {
        // S_ is std::pair, S0_ std::pair<int, int>, and level k adds S<k>_ = pair<S<k-1>_, S<k-1>_>
        StringBuilder s = new StringBuilder("_Z1fSt4pairIiiE");
        for (int k = 0; k < levels; k++) {
            String previous = "S" + Integer.toString(k, 36).toUpperCase() + "_";
            s.append("S_I").append(previous).append(previous).append('E');
        }
        return s.toString();
    }

    @Test
    void repeatedPrefixesAndEmptyPacks() {
        List<String> names = new ArrayList<>();
        for (int n : new int[] {1, 10, 1_000, 100_000}) {
            names.add("_ZSt".repeat(n));
            names.add("_Z" + "St".repeat(n) + "1f");
            names.add("_Z1fIJEEv" + "DpT_".repeat(n));
            names.add("_Z1fIJEEv" + "DpS_".repeat(n));
            names.add("_Z1fIiEv" + "S_".repeat(n));
            names.add("_Z1f" + "i".repeat(n));
        }
        demangleAll("repeated prefixes", names);
        assertEquals("void f<>()", Demangler.demangle("_Z1fIJEEvDpT_DpT_"));
    }

    @Test
    void megabyteNames() {
        int mb = 1 << 20;
        List<String> names = List.of(
                "_Z" + "N".repeat(mb),
                "_ZN" + "3abc".repeat(mb / 4) + "Ev",
                "_Z1f" + "i".repeat(mb),
                "_Z" + "9999999999" + "x".repeat(mb),
                "_Z1fI" + "S_".repeat(mb / 2) + "Ev",
                "_Z" + "\u0000\uffff".repeat(mb / 2));
        assertEquals(0, demangleAll("1 MB names", names));
        // past the input cap too, the parser itself is linear: a megabyte of parameters, over the output cap
        long start = System.nanoTime();
        ItaniumNode tree = ItaniumParser.parse("_Z1f" + "Pi".repeat(mb / 2), 0);
        ItaniumOutput out = new ItaniumOutput(ItaniumDemangler.MAX_OUTPUT, ItaniumDemangler.MAX_WORK);
        assertThrows(ItaniumParser.Malformed.class, () -> tree.print(out));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < FAMILY_MILLIS, ms + " ms");
    }

    /** Real names (the unit tests' and the doubling chain) with characters replaced, inserted, cut, repeated. */
    @Test
    void randomMutationsOfRealNames() {
        List<String> seeds = new ArrayList<>();
        for (String[] c : ItaniumDemanglerTest.CASES) {
            if (c[0].startsWith("_Z")) {
                seeds.add(c[0]);
            }
        }
        seeds.add(doublingPairs(14));
        String alphabet = "_ZNEISTJXLDdpvit0123456789abcdefghijklmnopqrstuvwxyzCDKVRrOPFAMUBGTWhsnl.$";
        Random random = new Random(20261203);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && s.length() > 2; e++) {
                int at = 2 + random.nextInt(s.length() - 2);
                switch (random.nextInt(5)) {
                    case 0 -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> s.deleteCharAt(at);
                    case 3 -> s.setLength(at);
                    default -> {
                        int end = Math.min(s.length(), at + 1 + random.nextInt(12));
                        String piece = s.substring(at, end);
                        s.insert(at, piece.repeat(1 + random.nextInt(50)));
                    }
                }
            }
            names.add(s.toString());
        }
        int demangled = demangleAll("random mutations", names);
        assertTrue(demangled > 1_000, "mutations that are still names should mostly demangle: " + demangled);
    }
}
