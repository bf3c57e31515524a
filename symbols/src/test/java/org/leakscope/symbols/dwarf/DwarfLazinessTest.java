package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.symbols.SymbolHit;

/**
 * What a big debug file costs: opening reads no symbol table, a decoded unit keeps only the DIEs lookups use, and
 * decoded units stay cached up to a byte budget (not a unit count: a program of 40 units keeps all 40), dropping
 * the least recently used beyond it while answers stay right. On a C program gcc builds here from 40 files.
 */
class DwarfLazinessTest {
    private static final int UNITS = 40;
    @TempDir
    static Path dir;
    private static Path bin;
    /** f0 .. f39 by address, from nm. */
    private static final Map<Integer, Long> functions = new HashMap<>();
    /** addr2line -f -i's answer at each f{i}'s first instruction: function, file:line pairs, innermost first. */
    private static final Map<Integer, List<String>> addr2line = new HashMap<>();

    @BeforeAll
    static void build() throws Exception {
        Toolchain.require("gcc");
        Toolchain.require("nm");
        List<String> cmd = new ArrayList<>(List.of("gcc", "-g", "-O1"));
        StringBuilder main = new StringBuilder();
        for (int i = 0; i < UNITS; i++) {
            Path src = dir.resolve("u" + i + ".c");
            Files.writeString(src, """
                    struct point%1$d { int x, y; };
                    static int helper%1$d(struct point%1$d *p) { return p->x * %1$d + p->y; }
                    int f%1$d(int a) { struct point%1$d p = { a, a + %1$d }; int r = helper%1$d(&p); return r * 3; }
                    """.formatted(i));
            cmd.add(src.toString());
            main.append("int f").append(i).append("(int);\n");
        }
        main.append("int main(int argc, char **argv) { return 0");
        for (int i = 0; i < UNITS; i++) {
            main.append(" + f").append(i).append("(argc)");
        }
        main.append("; }\n");
        Path m = dir.resolve("main.c");
        Files.writeString(m, main.toString());
        cmd.addAll(List.of(m.toString(), "-o", dir.resolve("many").toString()));
        Toolchain.run(cmd, null);
        bin = dir.resolve("many");
        for (String l : Toolchain.run(List.of("nm", bin.toString()), null).lines().toList()) {
            String[] f = l.split(" ");
            if (f.length == 3 && f[1].equals("T") && f[2].matches("f\\d+")) {
                functions.put(Integer.parseInt(f[2].substring(1)), Long.parseUnsignedLong(f[0], 16));
            }
        }
        assertEquals(UNITS, functions.size(), "f0 .. f" + (UNITS - 1) + " in nm's output");
        Toolchain.require("addr2line");
        List<String> cmdA = new ArrayList<>(List.of("addr2line", "-a", "-f", "-i", "-e", bin.toString()));
        for (int i = 0; i < UNITS; i++) {
            cmdA.add(Long.toHexString(functions.get(i)));
        }
        int i = -1;
        for (String l : Toolchain.run(cmdA, null).lines().toList()) {
            if (l.startsWith("0x")) {
                addr2line.put(++i, new ArrayList<>());
            } else {
                addr2line.get(i).add(l.replaceFirst(" \\(discriminator \\d+\\)$", ""));
            }
        }
    }

    /**
     * f{i}'s first instruction resolves as addr2line resolves it (innermost frame first: function, then file:line,
     * the row's for the innermost, the call site for the others): f{i} at offset 0, at the line of helper{i}'s code
     * inlined there (u{i}.c line 2, with helper{i}'s inline frame called at line 3) or of f{i}'s own.
     */
    private static void resolves(DwarfSymbols d, int i) {
        long at = functions.get(i) - d.image.loadBase;
        SymbolHit h = d.lookup(at).orElseThrow();
        assertEquals("f" + i, h.function());
        assertEquals(0, h.functionOffset());
        assertTrue(h.sourceFile().endsWith("/u" + i + ".c"), h.sourceFile());
        List<String> ours = new ArrayList<>();
        String location = h.sourceFile() + ":" + h.sourceLine();
        for (InlineFrame f : d.inlineFrames(at)) {
            ours.add(f.function());
            ours.add(location);
            location = f.callFile() + ":" + f.callLine();
        }
        ours.add(h.function());
        ours.add(location);
        assertEquals(addr2line.get(i), ours);
    }

    @Test
    void openAndLookupsReadNoSymbolTable() throws Exception {
        DwarfSymbols d = DwarfSymbols.open(bin);
        assertFalse(d.tableRead, "open read the symbol table");
        resolves(d, 7);
        assertFalse(d.tableRead, "a lookup DWARF answers read the symbol table");
        assertEquals(d.elfTable().buildId(), d.identity().buildId()); // what needs it still gets it
        assertTrue(d.tableRead);
    }

    @Test
    void everyUnitStaysCachedWithinTheBudget() throws Exception {
        DwarfSymbols d = DwarfSymbols.open(bin);
        for (int i = 0; i < UNITS; i++) {
            resolves(d, i);
        }
        assertEquals(UNITS, d.units().cachedUnits(), "the 40 units looked up, all kept (main's was not asked for)");
    }

    @Test
    void overTheBudgetTheLeastRecentlyUsedUnitsGo() throws Exception {
        DwarfSymbols d = DwarfSymbols.open(bin);
        d.units().cacheBytes = 1; // no room: only the unit being read stays
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < UNITS; i++) {
                resolves(d, i);
                assertEquals(1, d.units().cachedUnits());
            }
        }
        assertEquals(List.of(), d.problems());
    }

    @Test
    void aDecodedUnitKeepsOnlyFunctionsInlinedCallsAndScopes() throws Exception {
        DwarfSymbols d = DwarfSymbols.open(bin);
        resolves(d, 5);
        DwarfUnits.Decoded u = d.units().decoded(d.units().unitsAt(functions.get(5)).get(0));
        Set<Integer> kept = Set.of(Unit.TAG_COMPILE_UNIT, Unit.TAG_STRUCTURE, Unit.TAG_SUBPROGRAM,
                Unit.TAG_INLINED_SUBROUTINE);
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < u.unit.count; i++) {
            tags.add(u.unit.tags[i]);
            assertTrue(kept.contains(u.unit.tags[i]), "kept tag 0x" + Integer.toHexString(u.unit.tags[i]));
        }
        // the unit, struct point5 (a scope that may qualify names), f5, helper5 (its abstract instance) and helper5
        // inlined into f5; no member, base type, pointer type, parameter or variable DIE
        assertEquals(List.of(Unit.TAG_COMPILE_UNIT, Unit.TAG_STRUCTURE, Unit.TAG_INLINED_SUBROUTINE,
                Unit.TAG_SUBPROGRAM, Unit.TAG_SUBPROGRAM), tags.stream().sorted().toList());
        assertEquals(-1, u.unit.parents[0]);
        for (int i = 1; i < u.unit.count; i++) {
            assertTrue(u.unit.parents[i] >= 0 && u.unit.parents[i] < i, "parent of kept DIE " + i);
        }
    }
}
