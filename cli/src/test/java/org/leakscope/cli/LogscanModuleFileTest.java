package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original resmon prints bare return addresses and no module list: with the program's file named
 * ({@code --module-file}) or found by the process name on the symbols path, logscan and leakdiff find the load
 * address at which every return address follows a call instruction and name the functions. The program is built
 * here by mingw-w64 (skipped without it, failed under CI), its return addresses read from objdump's disassembly,
 * and the log written in the original resmon's line shapes (docs/formats/resmon.md) at an ASLR-style base.
 */
class LogscanModuleFileTest {
    /** A high-entropy ASLR base of a 64-bit exe, a multiple of 64 KiB. */
    private static final long BASE = 0x7FF7_B5D2_0000L;
    /** mingw-w64's default ImageBase for an .exe. */
    private static final long PREFERRED = 0x1_4000_0000L;
    /** Outside any image of the test: a return address into another module (a system DLL). */
    private static final long ELSEWHERE = 0x7FFA_1234_1234L;
    private static final Pattern FUNCTION = Pattern.compile("^([0-9a-f]+) <(\\w+)>:$");
    private static final Pattern CALL = Pattern.compile("^\\s+([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*\\tcall\\b.*");

    /**
     * Three ways to call an allocator: direct ({@code E8 rel32} to malloc's thunk), through the import table
     * ({@code FF 15}, RIP-relative: windows.h declares HeapAlloc dllimport), through a function pointer in a
     * register ({@code FF D0}).
     */
    private static final String PROGRAM = """
            #include <stdlib.h>
            #include <windows.h>
            void *(*volatile alloc_ptr)(size_t) = malloc;
            __attribute__((noinline)) void *leak_direct(size_t n) { void *p = malloc(n); return p; }
            __attribute__((noinline)) void *leak_import(size_t n) { return HeapAlloc(GetProcessHeap(), 0, n); }
            __attribute__((noinline)) void *leak_pointer(size_t n) { void *p = alloc_ptr(n); return p; }
            int main(void) { leak_direct(16); leak_import(32); leak_pointer(48); return 0; }
            """;

    @TempDir
    Path tmp;

    /** The exe built from {@code source} with {@code flags}, in its own folder. */
    private Path build(String dir, String source, String... flags) throws IOException {
        return buildWith("x86_64-w64-mingw32-gcc", dir, source, flags);
    }

    /** The exe built by {@code compiler} (64-bit or 32-bit mingw-w64). */
    private Path buildWith(String compiler, String dir, String source, String... flags) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Path c = Files.writeString(d.resolve("leaky.c"), source);
        Path exe = d.resolve("leaky.exe");
        List<String> cmd = new ArrayList<>(List.of(compiler, "-fno-toplevel-reorder"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", exe.toString(), c.toString()));
        SymbolFileIdentityTest.tool(cmd.toArray(String[]::new));
        return exe;
    }

    /** A function's start and the return addresses of its calls (the address after each), at BASE. */
    private record Function(long start, List<Long> returns) {
        /** The {@code i}-th call's return address as a frame names it: {@code leaky.exe!leak_direct+0x9}. */
        String frame(String name, int i) {
            return "leaky.exe!" + name + "+0x" + Long.toHexString(returns.get(i) - start);
        }
    }

    /** Every function of the exe that makes calls, from objdump's disassembly, moved from the preferred base. */
    private static Map<String, Function> functions(Path exe) {
        return functions(exe, "x86_64-w64-mingw32-objdump", PREFERRED, BASE);
    }

    /** The same with another objdump and bases; x86 C names lose their leading underscore. */
    private static Map<String, Function> functions(Path exe, String objdump, long preferred, long base) {
        Map<String, Function> out = new LinkedHashMap<>();
        Function current = null;
        for (String line : SymbolFileIdentityTest.tool(objdump, "-d", exe.toString()).split("\n")) {
            Matcher f = FUNCTION.matcher(line);
            if (f.matches()) {
                current = new Function(Long.parseLong(f.group(1), 16) - preferred + base, new ArrayList<>());
                out.put(f.group(2).replaceFirst("^_", ""), current);
                continue;
            }
            Matcher c = CALL.matcher(line);
            if (c.matches() && current != null) {
                current.returns().add(Long.parseLong(c.group(1), 16) + c.group(2).trim().split(" ").length
                        - preferred + base);
            }
        }
        return out;
    }

    /**
     * A DebugView log of one run of the original resmon: usage, then an exit report of heap blocks, one per
     * return address (sizes 16, 32, ...), in its exact line shapes.
     */
    private Path log(String name, int pid, long... returnAddresses) throws IOException {
        return log(name, pid, 16, returnAddresses);
    }

    /** The same with addresses of {@code digits} hex digits: 16 from a 64-bit process, 8 from a 32-bit one. */
    private Path log(String name, int pid, int digits, long... returnAddresses) throws IOException {
        String hex = "0x%0" + digits + "X";
        List<String> lines = new ArrayList<>();
        lines.add("threads used 2, sync object used 0, memory used " + 16 * returnAddresses.length);
        lines.add("=========== CHECK UNRELEASED RESOUCRES ============");
        lines.add("------------ resmon memory usage 1720 ----------------");
        lines.add("------------------ memory usage " + 16 * returnAddresses.length + " -----------------");
        for (int i = 0; i < returnAddresses.length; i++) {
            lines.add(String.format("base " + hex + " size %d tag 0000000000340000 (Heap)", 0x348170 + 0x100 * i,
                    16 * (i + 1)));
            lines.add("created by [236] thread");
            lines.add(String.format("returnAddress " + hex, returnAddresses[i]));
            lines.add("---------------------------------------------------");
        }
        lines.add("------------------ thread usage 0 -----------------");
        lines.add("--------------- sync object usage 0 ---------------");
        lines.add("===================================================");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append(String.format("%08d\t%.8f\t[%d] leaky.exe|resmon| %s\r\n", i, 5.0 + i * 0.0003, pid,
                    lines.get(i)));
        }
        return Files.writeString(tmp.resolve(name), b.toString());
    }

    @Test
    void logscanNamesTheFunctionsOfAModuleFileAtTheBaseItsReturnAddressesFit() throws IOException {
        Path exe = build("right", PROGRAM, "-O1");
        Map<String, Function> fs = functions(exe);
        Function direct = fs.get("leak_direct");
        Function viaImport = fs.get("leak_import"); // calls GetProcessHeap, then HeapAlloc
        Function viaPointer = fs.get("leak_pointer");
        Path log = log("leaky.log", 4242, direct.returns().get(0), viaImport.returns().get(1),
                viaPointer.returns().get(0), ELSEWHERE);

        CliRun bare = CliRun.of("logscan", log.toString());
        assertTrue(bare.out().contains(String.format("0x%016X", direct.returns().get(0))), bare.out());
        assertFalse(bare.out().contains("leak_direct"), bare.out());

        CliRun named = CliRun.of("logscan", log.toString(), "--module-file", exe.toString());
        assertEquals(ExitCode.OK, named.exit(), named.err());
        String out = named.out();
        assertTrue(out.contains("16  heap block  " + direct.frame("leak_direct", 0) + " "), out);
        assertTrue(out.contains("32  heap block  " + viaImport.frame("leak_import", 1) + " "), out);
        assertTrue(out.contains("48  heap block  " + viaPointer.frame("leak_pointer", 0) + " "), out);
        // the fourth return address is in another module: left as it is, and said so
        assertTrue(out.contains("64  heap block  " + String.format("0x%016X", ELSEWHERE)), out);
        assertEquals("logscan: warning: " + log + ": run 1 (leaky.exe [4242]): leaky.exe at 0x" + Long.toHexString(BASE)
                + "; 1 of 4 return addresses lie outside (other modules): 0x" + Long.toHexString(ELSEWHERE) + "\n",
                named.err());

        // without --module-file: the file named like the process in a --symbols-path folder
        CliRun found = CliRun.of("logscan", log.toString(), "--symbols-path", exe.getParent().toString(), "--json");
        assertTrue(found.out().contains("\"" + direct.frame("leak_direct", 0) + "\""), found.out());
    }

    /** A 32-bit program (WOW64): 8-digit addresses, imports called through absolute {@code FF 15 [disp32]}. */
    @Test
    void aThirtyTwoBitProgramIsPlacedToo() throws IOException {
        Path exe = buildWith("i686-w64-mingw32-gcc", "x86", PROGRAM, "-O1");
        long base = 0x00B3_0000L;
        Map<String, Function> fs = functions(exe, "i686-w64-mingw32-objdump", 0x400000, base);
        Function viaImport = fs.get("leak_import");
        Path log = log("x86.log", 3232, 8, fs.get("leak_direct").returns().get(0), viaImport.returns().get(1),
                fs.get("leak_pointer").returns().get(0));

        CliRun r = CliRun.of("logscan", log.toString(), "--module-file", exe.toString());
        assertEquals("", r.err());
        assertTrue(r.out().contains("32  heap block  " + viaImport.frame("leak_import", 1) + " "), r.out());
        assertTrue(r.out().contains("16  heap block  " + fs.get("leak_direct").frame("leak_direct", 0) + " "), r.out());
    }

    @Test
    void anotherBuildOfTheProgramIsRefusedWithTheReturnAddressesThatFollowNoCall() throws IOException {
        Path exe = build("right", PROGRAM, "-O1");
        Map<String, Function> fs = functions(exe);
        Path log = log("leaky.log", 4242, fs.get("leak_direct").returns().get(0),
                fs.get("leak_import").returns().get(1), fs.get("leak_pointer").returns().get(0));
        Path other = build("other", PROGRAM, "-O0"); // the same source, another build: other code at those RVAs

        CliRun r = CliRun.of("logscan", log.toString(), "--module-file", other.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertFalse(r.out().contains("leaky.exe!"), r.out());
        assertTrue(r.out().contains(String.format("0x%016X", fs.get("leak_direct").returns().get(0))), r.out());
        assertTrue(r.err().startsWith("logscan: warning: " + log + ": run 1 (leaky.exe [4242]): " + other
                + " not placed: no load address puts its return addresses after call instructions; at 0x"
                + Long.toHexString(BASE) + ", 0x"), r.err());
        assertTrue(r.err().contains(") follows no call"), r.err());

        // not a PE file at all (the source, given by mistake): said so, the run keeps its addresses
        Path source = exe.resolveSibling("leaky.c");
        CliRun notPe = CliRun.of("logscan", log.toString(), "--module-file", source.toString());
        assertEquals(ExitCode.OK, notPe.exit(), notPe.err());
        assertTrue(notPe.err().startsWith("logscan: warning: " + log + ": run 1 (leaky.exe [4242]): module file not"
                + " used: " + source + ": at byte offset 0"), notPe.err());
        assertTrue(notPe.err().contains("'MZ'"), notPe.err());

        // the right build, but one return address a byte past a call: two of three fitting is not a fit
        long off = fs.get("leak_direct").returns().get(0) + 1;
        Path skewed = log("skewed.log", 4242, fs.get("leak_pointer").returns().get(0),
                fs.get("leak_import").returns().get(1), off);
        CliRun one = CliRun.of("logscan", skewed.toString(), "--module-file", exe.toString());
        assertFalse(one.out().contains("leaky.exe!"), one.out());
        assertEquals("logscan: warning: " + skewed + ": run 1 (leaky.exe [4242]): " + exe + " not placed: no load"
                + " address puts its return addresses after call instructions; at 0x" + Long.toHexString(BASE) + ", 0x"
                + Long.toHexString(off) + " (RVA 0x" + Long.toHexString(off - BASE) + ") follows no call (1 of the 3"
                + " inside)\n", one.err());
    }

    /**
     * Two copies of one function exactly 64 KiB apart: a log holding only a return address of the first fits the
     * image at two load addresses (the second copy's call is where the first's return address lands at the other),
     * and a guess would name the wrong copy half the time.
     */
    @Test
    void aReturnAddressThatFitsTwoLoadAddressesIsRefusedAsAmbiguous() throws IOException {
        Path exe = build("twins", """
                #include <stdlib.h>
                __asm__(".text\\n"
                        ".globl twin_a\\ntwin_a:\\n subq $40, %rsp\\n call malloc\\n addq $40, %rsp\\n ret\\n"
                        ".skip 0x10000 - (. - twin_a), 0xcc\\n"
                        ".globl twin_b\\ntwin_b:\\n subq $40, %rsp\\n call malloc\\n addq $40, %rsp\\n ret\\n");
                void *twin_a(size_t n);
                void *twin_b(size_t n);
                int main(void) { return twin_a(16) != twin_b(16); }
                """, "-O1");
        Map<String, Function> fs = functions(exe);
        assertEquals(0x10000, fs.get("twin_b").start() - fs.get("twin_a").start());
        long site = fs.get("twin_a").returns().get(0);
        Path log = log("twins.log", 77, site);

        CliRun r = CliRun.of("logscan", log.toString(), "--module-file", exe.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertFalse(r.out().contains("twin_"), r.out());
        assertEquals("logscan: warning: " + log + ": run 1 (leaky.exe [77]): " + exe + " not placed: 2 load addresses"
                + " fit equally well (0x" + Long.toHexString(BASE - 0x10000) + ", 0x" + Long.toHexString(BASE)
                + "), each holding 1 return address: the log has too few to tell\n", r.err());

        // a second return address, in main, settles it
        CliRun two = CliRun.of("logscan", log("twins2.log", 77, site, fs.get("main").returns().get(1)).toString(),
                "--module-file", exe.toString());
        assertTrue(two.out().contains("leaky.exe!twin_a+0x9"), two.out());
        assertEquals("", two.err());
    }

    /**
     * One return address of two fitting is refused: a single call matched at some load address is too likely to
     * be chance to name functions by (the other return address is in a module not given, at an RVA of no code).
     */
    @Test
    void aSingleFittingReturnAddressOfSeveralIsNotEnough() throws IOException {
        Path exe = build("right", PROGRAM, "-O1");
        long direct = functions(exe).get("leak_direct").returns().get(0);
        Path log = log("single.log", 4242, direct, 0x7FFA_1234_0100L);

        CliRun r = CliRun.of("logscan", log.toString(), "--module-file", exe.toString());
        assertFalse(r.out().contains("leaky.exe!"), r.out());
        assertEquals("logscan: warning: " + log + ": run 1 (leaky.exe [4242]): " + exe + " not placed: at most one of"
                + " the 2 return addresses follows a call at any load address (at 0x" + Long.toHexString(BASE) + "); a"
                + " single match may be chance; at 0x" + Long.toHexString(BASE) + ", 1 return address inside, each after"
                + " a call\n", r.err());
    }

    /** leakdiff reads the same logs: two runs at different bases (ASLR) are each placed and compared by function. */
    @Test
    void leakdiffPlacesEachRunOfLogsWithoutModuleLists() throws IOException {
        Path exe = build("right", PROGRAM, "-O1");
        Map<String, Function> fs = functions(exe);
        long direct = fs.get("leak_direct").returns().get(0);
        long viaPointer = fs.get("leak_pointer").returns().get(0);
        long moved = 0x30000; // the second run's image loaded 3 x 64 KiB higher
        Path first = log("first.log", 100, direct, viaPointer);
        Path second = log("second.log", 200, direct + moved, viaPointer + moved, viaPointer + moved);

        CliRun r = CliRun.of("leakdiff", first.toString(), second.toString(), "--module-file", exe.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        Function f = fs.get("leak_pointer");
        // UMDH's spelling: module without its extension, offset in upper-case hex without 0x
        assertTrue(r.out().contains("+      30 (     50 -      20)      2 allocs\tBackTrace"
                + Long.toHexString(viaPointer + moved).toUpperCase(java.util.Locale.ROOT) + "\n"), r.out());
        assertTrue(r.out().contains("\tleaky!leak_pointer+" + Long.toHexString(viaPointer - f.start())
                .toUpperCase(java.util.Locale.ROOT) + "\n"), r.out());
        assertEquals("", r.err());
        CliRun bare = CliRun.of("leakdiff", first.toString(), second.toString());
        assertFalse(bare.out().contains("leak_pointer"), bare.out());
    }
}
