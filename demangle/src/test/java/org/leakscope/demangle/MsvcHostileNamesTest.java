package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Names built to hurt: deep nesting, back-references that multiply the output, megabyte names, random bytes.
 * Each gives null or text within the cap, in bounded time, and never throws.
 */
class MsvcHostileNamesTest {
    private static final Duration BUDGET = Duration.ofSeconds(10);

    private static void bounded(String mangled) {
        String full = MsvcDemangler.demangleFull(mangled);
        String brief = Demangler.demangle(mangled);
        assertTrue(full == null || full.length() <= MsvcDemangler.MAX_OUTPUT_LENGTH, "full form over the cap");
        assertTrue(brief == null || brief.length() <= MsvcDemangler.MAX_OUTPUT_LENGTH, "short form over the cap");
    }

    @Test
    void nestingDeeperThanTheCapIsRefused() {
        assertTimeoutPreemptively(BUDGET, () -> {
            int depth = MsvcDemangler.MAX_DEPTH;
            // int ******…* : one type level per P (within the length cap, so the depth cap is what refuses it)
            assertNull(MsvcDemangler.demangleFull("?f@@YAX" + "PEA".repeat(depth) + "H@Z"));
            assertNull(MsvcDemangler.demangleFull("?f@@YAX" + "PEA".repeat(2500) + "H@Z"));
            // f<g<g<g<…>>>>
            assertNull(MsvcDemangler.demangleFull("??$f@" + "V?$g@".repeat(depth) + "H" + "@@".repeat(depth)
                    + "@@YAXXZ"));
            // a function whose local scope is a function whose local scope is …
            assertNull(MsvcDemangler.demangleFull("?x@" + "?1??f@".repeat(1000) + "@YAXXZ@4HA"));
            // well inside the cap it works: 40 pointer levels, 20 nested templates
            assertTrue(MsvcDemangler.demangleFull("?f@@YAX" + "PEA".repeat(40) + "H@Z").endsWith("*)"));
            assertTrue(MsvcDemangler.demangleFull("??$f@" + "V?$g@".repeat(20) + "H" + "@@".repeat(20)
                    + "@@YAXXZ").startsWith("void __cdecl f<class g<class g<"));
        });
    }

    @Test
    void backReferencesThatMultiplyTheOutputStopAtTheCap() {
        assertTimeoutPreemptively(BUDGET, () -> {
            // parameter type n is a function pointer taking parameter type n-1 nine times: 9^10 copies
            StringBuilder name = new StringBuilder("?f@@YAXP6AXVKey@@@Z");
            for (int level = 1; level < 10; level++) {
                name.append("P6AX").append(String.valueOf(level - 1).repeat(9)).append("@Z");
            }
            name.append("9999999999@Z");
            assertNull(MsvcDemangler.demangleFull(name.toString()));
            assertNull(Demangler.demangle(name.toString()));
        });
    }

    @Test
    void namesOverTheLengthCapAreRefusedWithoutReading() {
        assertTimeoutPreemptively(BUDGET, () -> {
            String megabyte = "?" + "a@".repeat(512 * 1024) + "@YAXXZ";
            assertNull(MsvcDemangler.demangleFull(megabyte));
            assertNull(Demangler.demangle("?" + "x".repeat(1 << 20)));
            // just under the cap: a long but plain name still demangles
            String longName = "?" + "n".repeat(MsvcDemangler.MAX_MANGLED_LENGTH - 10) + "@@YAXXZ";
            assertTrue(MsvcDemangler.demangleFull(longName).startsWith("void __cdecl nnn"));
        });
    }

    @Test
    void longChainsOfScopesAndAtSignsFinishQuickly() {
        assertTimeoutPreemptively(BUDGET, () -> {
            int cap = MsvcDemangler.MAX_MANGLED_LENGTH;
            bounded("?f" + "@a".repeat(cap / 2 - 8) + "@@YAXXZ");
            bounded("?f@" + "?B".repeat(cap / 2 - 8));
            bounded("??_C@_0" + "P".repeat(cap - 20) + "@");
            bounded("?f@@YAX" + "Y" + "P".repeat(16) + "@" + "A@".repeat(cap / 2 - 20) + "H@Z");
            bounded("??$f@" + "$0A@".repeat(cap / 4 - 8) + "@@YAXXZ");
        });
    }

    @Test
    void seededMutationsOfRealNamesAreBounded() {
        String[] seeds = {
            "?Insert@LeakyCache@@QEAAXAEBVKey@@$$QEAVValue@@@Z",
            "??$make_shared@VSession@@$$V@std@@YA?AV?$shared_ptr@VSession@@@0@XZ",
            "?push_back@?$vector@HV?$allocator@H@std@@@std@@QEAAXAEBH@Z",
            "?count@?1??open_sessions@@YAHXZ@4HA",
            "??_C@_1M@OPIHOOPI@?$AAm?$AAs?$AA?9?$AAm?$AAy?$AA?$AA@",
            "??__E?x@C@@2HA@@YAXXZ",
            "?f@C@@$4PPPPPPPM@A@AEXXZ",
            "??_7Derived@@6BBase@@@",
            "?f@@YAXP8Session@@EAAXH@Z@Z",
        };
        String alphabet = "?@$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc\u0000\u00ff";
        Random random = new Random(2026);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            StringBuilder n = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            for (int edits = 1 + random.nextInt(4); edits > 0 && n.length() > 1; edits--) {
                int at = 1 + random.nextInt(n.length() - 1);
                switch (random.nextInt(4)) {
                    case 0 -> n.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> n.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> n.deleteCharAt(at);
                    default -> n.insert(at, n, at, Math.min(n.length(), at + 1 + random.nextInt(30)));
                }
            }
            names.add(n.toString());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> names.forEach(MsvcHostileNamesTest::bounded));
    }
}
