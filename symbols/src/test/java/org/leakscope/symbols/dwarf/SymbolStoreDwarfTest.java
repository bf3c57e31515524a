package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Frame;
import org.leakscope.model.InlinedCall;
import org.leakscope.model.Module;
import org.leakscope.symbols.BuildIdentity;
import org.leakscope.symbols.ElfSymbolFile;
import org.leakscope.symbols.SymbolStore;

/**
 * {@link SymbolStore} naming frames of an ELF program with DWARF (gcc {@code -O2 -g}): file and line, and the
 * functions inlined at the address in the contract's order ({@link InlinedCall}: innermost first, each with its
 * own line; the frame is the real function at the call of the last), as {@code addr2line -f -i} gives them; and a
 * program whose DWARF is damaged still named by its symbol table, with the damage a problem of the store.
 */
class SymbolStoreDwarfTest {
    private static final long BASE = 0x5555_5555_4000L;

    @TempDir
    Path dir;

    /** The program's module as a log or dump records it: at its path, with its build id. */
    private static Module module(Path program) throws Exception {
        BuildIdentity id = ElfSymbolFile.open(program).identity();
        return new Module(BASE, id.loadedSizes().get(0), program.toString(), null, id.debugId(), null, id.buildId());
    }

    private static Frame at(Module m, long offset) {
        return Frame.unresolved(m.base() + offset).withModule("inlined", offset);
    }

    /** {@code leak::Pool::grab}'s start and size, from nm. */
    private static long[] grab(Path program) throws Exception {
        for (String line : Toolchain.run(List.of("nm", "-S", program.toString()), null).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4 && f[3].startsWith("_ZN4leak4Pool4grabEi")) {
                return new long[] {Long.parseLong(f[0], 16), Long.parseLong(f[1], 16)};
            }
        }
        throw new AssertionError("no leak::Pool::grab in " + program);
    }

    @Test
    void everyAddressOfAFunctionWithInlinedCallsAgreesWithAddr2line() throws Exception {
        Toolchain.require("addr2line");
        Path program = Toolchain.build(dir, "inlined", Toolchain.INLINED, List.of("-O2", "-g"), List.of());
        Module m = module(program);
        long[] range = grab(program);
        StringBuilder addresses = new StringBuilder();
        for (long a = range[0]; a < range[0] + range[1]; a++) {
            addresses.append(Long.toHexString(a)).append('\n');
        }
        // addr2line prints each address's frames (function, file:line pairs) after the address itself (-a)
        String[] out = Toolchain.run(List.of("addr2line", "-a", "-f", "-i", "-e", program.toString()),
                addresses.toString()).split("\n");
        int withInlines = 0;
        try (SymbolStore store = new SymbolStore(List.of())) {
            for (int i = 0; i < out.length;) {
                long a = Long.parseLong(out[i++].substring(2), 16);
                List<String> lines = new ArrayList<>();
                while (i < out.length && !out[i].startsWith("0x")) {
                    i++; // past the function name
                    lines.add(out[i++].replaceAll(" \\(discriminator.*", ""));
                }
                Frame f = store.symbolize(at(m, a), m);
                assertEquals("leak::Pool::grab(int)", f.function(), Long.toHexString(a));
                assertEquals("_ZN4leak4Pool4grabEi", f.mangled(), "the symbol table's spelling kept");
                List<String> ours = new ArrayList<>();
                for (InlinedCall c : f.inlined()) {
                    ours.add(c.sourceFile() + ":" + c.sourceLine());
                }
                ours.add(f.sourceFile() + ":" + f.sourceLine());
                assertEquals(lines, ours, "innermost first, the real function last, at 0x" + Long.toHexString(a));
                if (f.inlined().size() == 2) {
                    withInlines++;
                    // (inner has internal linkage: DWARF gives its plain name, no linkage name to demangle)
                    assertEquals(List.of("inner", "middle(int)"),
                            f.inlined().stream().map(InlinedCall::function).toList());
                    assertEquals(List.of(3, 4, 5), Arrays.asList(f.inlined().get(0).sourceLine(),
                            f.inlined().get(1).sourceLine(), f.sourceLine()), "the lines of malloc, inner(), middle()");
                }
            }
            assertTrue(withInlines > 0, "some address of grab is in malloc's call, two levels deep");
            assertEquals(List.of(), store.problems());
        }
    }

    /** Like {@link Toolchain#INLINED}, but the result is stored after the call: malloc is called, not jumped to. */
    private static final String CALLED = """
            #include <cstdlib>
            namespace leak { struct Pool { static void grab(int n); }; }
            void *volatile kept;
            static inline __attribute__((always_inline)) void *inner(int n) { return malloc(n * 3 + 1); }
            inline __attribute__((always_inline)) void *middle(int n) { void *p = inner(n + 1); return p; }
            void leak::Pool::grab(int n) { kept = middle(n); }
            int main(int argc, char **) { leak::Pool::grab(argc); return kept != nullptr; }
            """;

    @Test
    void aReturnAddressIsNamedAtItsCall() throws Exception {
        Path program = Toolchain.build(dir, "called", CALLED, List.of("-O2", "-g"), List.of());
        Module m = module(program);
        long[] range = grab(program);
        String dis = Toolchain.run(List.of("objdump", "-d", "--start-address=0x" + Long.toHexString(range[0]),
                "--stop-address=0x" + Long.toHexString(range[0] + range[1]), program.toString()), null);
        long ret = -1;
        String[] lines = dis.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].contains("call") && lines[i].contains("malloc")) {
                ret = Long.parseLong(lines[i + 1].trim().split(":")[0], 16); // the instruction after the call
            }
        }
        assertTrue(ret > 0, dis);
        try (SymbolStore store = new SymbolStore(List.of())) {
            Frame f = store.symbolizeReturnAddress(at(m, ret), m);
            assertEquals(2, f.inlined().size(), "the call to malloc is in inner(), inlined into middle()");
            assertEquals(List.of(4, 5, 6), Arrays.asList(f.inlined().get(0).sourceLine(),
                    f.inlined().get(1).sourceLine(), f.sourceLine()), "the lines of malloc, inner(), middle()");
            assertEquals(ret - range[0], f.functionOffset(), "the offset is the return address's");
            // at the return address itself: the store into kept, in grab's own line, nothing inlined
            Frame after = store.symbolize(at(m, ret), m);
            assertEquals(List.of(), after.inlined(), "the store after the call is grab's own code");
        }
    }

    @Test
    void damagedDwarfIsAProblemAndTheSymbolTableStillNames() throws Exception {
        Path program = Toolchain.build(dir, "damaged", Toolchain.INLINED, List.of("-O2", "-g"), List.of());
        Path garbage = dir.resolve("garbage");
        byte[] ff = new byte[32];
        Arrays.fill(ff, (byte) 0xff); // a 64-bit unit claiming 2^64-1 bytes
        Files.write(garbage, ff);
        Toolchain.run(List.of("objcopy", "--update-section", ".debug_info=" + garbage, program.toString()), null);
        Module m = module(program);
        long[] range = grab(program);
        try (SymbolStore store = new SymbolStore(List.of())) {
            Frame f = store.symbolize(at(m, range[0] + 1), m);
            assertEquals("leak::Pool::grab(int)", f.function(), "named by the symbol table");
            assertNull(f.sourceFile());
            assertEquals(List.of(), f.inlined());
            assertTrue(store.problems().stream().anyMatch(p -> p.source().equals(program.toString())),
                    store.problems().toString());
        }
    }
}
