package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * STACK CFI text against Breakpad's own dump_syms (npm {@code minidump@0.26.0}, where the
 * {@code leakscope.breakpadTools} property says), record by record and byte for byte: the corpus binaries, a
 * program with {@code .debug_frame} (gcc {@code -fno-asynchronous-unwind-tables}) and the same with that section
 * zlib-compressed, a 32-bit x86 program loaded at 0x8048000, and the system's libc (remember/restore state,
 * signal trampolines with expressions). The one deliberate difference: where the return address column is
 * undefined (the outermost frame: {@code _start}, {@code clone}), dump_syms keeps the CIE's {@code .ra} rule in
 * the INIT record and this reader leaves it out, as mozilla's dump_syms does (the golden .sym).
 */
class CallFrameInfoBreakpadTest {
    private static final String PROGRAM = """
            static int acc;
            __attribute__((noinline)) int leaf(int x, int y) {
                int a[16]; for (int i = 0; i < 16; i++) a[i] = x * i + y;
                int s = 0; for (int i = 0; i < 16; i++) s += a[i] ^ acc; return s;
            }
            __attribute__((noinline)) int mid(int a, int b, int c, int d, int e) {
                int r = 0; for (int i = 0; i < a; i++) r += leaf(b + i, c) * d - e; acc = r; return r;
            }
            void _start(void) { volatile int n = mid(3, 4, 5, 6, 7); for (;;) { n++; } }
            """;

    @TempDir
    Path dir;

    @Test
    void corpusLinuxProgram() throws Exception {
        assertEquals(1, agree(Required.corpusFile("dwarf/moz_linux_basic.full"), 44));
    }

    @Test
    void corpusSentryCrash() throws Exception {
        assertEquals(1, agree(Required.corpusFile("stackwalk/sentry_crash_linux"), 3424));
    }

    @Test
    void debugFrameAndItsCompressedCopies() throws Exception {
        Path plain = build("-m64", "-fno-asynchronous-unwind-tables");
        String sections = Commands.run(List.of("readelf", "-S", plain.toString()));
        assertTrue(sections.contains(".debug_frame") && !sections.contains(".eh_frame "), sections);
        agree(plain, -1);
        Path compressed = dir.resolve("compressed");
        Commands.run(List.of("objcopy", "--compress-debug-sections=zlib", plain.toString(),
                compressed.toString()));
        assertEquals(CallFrameInfo.open(plain).stackCfi(), CallFrameInfo.open(compressed).stackCfi());
        assertTrue(CallFrameInfo.open(compressed).problems().isEmpty());
        Path gnu = dir.resolve("zdebug"); // the older .zdebug_frame form
        Commands.run(List.of("objcopy", "--compress-debug-sections=zlib-gnu", plain.toString(), gnu.toString()));
        assertTrue(Commands.run(List.of("readelf", "-S", gnu.toString())).contains(".zdebug_frame"));
        assertEquals(CallFrameInfo.open(plain).stackCfi(), CallFrameInfo.open(gnu).stackCfi());
        assertTrue(CallFrameInfo.open(gnu).problems().isEmpty());
        Path plain32 = build("-m32", "-fno-asynchronous-unwind-tables"); // Elf32_Chdr
        Path compressed32 = dir.resolve("compressed32");
        Commands.run(List.of("objcopy", "--compress-debug-sections=zlib", plain32.toString(),
                compressed32.toString()));
        assertEquals(CallFrameInfo.open(plain32).stackCfi(), CallFrameInfo.open(compressed32).stackCfi());
        assertTrue(CallFrameInfo.open(compressed32).stackCfi().size() > 5);
    }

    @Test
    void x86ProgramAtItsLinkAddress() throws Exception {
        Path p = build("-m32", "-fasynchronous-unwind-tables");
        CallFrameInfo cfi = CallFrameInfo.open(p);
        assertEquals(CfiArchitecture.X86, cfi.architecture());
        agree(p, -1);
        assertTrue(cfi.stackCfi().stream().allMatch(c -> c.address() < 0x10000), "module offsets, not addresses");
    }

    @Test
    void everyInstructionInEhFrameAndDebugFrame() throws Exception {
        Path eh = EveryCfaInstruction.build(dir, false, Commands::run);
        assertEquals(1, agree(eh, 19));
        // gas writes the signal frame's CIE in .debug_frame with augmentation "S" and no "z"; dump_syms drops
        // its FDE (sig, 0x122bc), this reader reads it (S carries no data)
        Path debug = EveryCfaInstruction.build(dir, true, Commands::run);
        assertEquals(1, agree(debug, 19, 0x122bc));
        // restore_state drops the rules added after remember_state: each is written as "same value"
        assertTrue(CallFrameInfo.open(eh).stackCfi().contains(new SymbolData.StackCfi(0x122b9, null,
                "$r12: $r12 $r13: $r13 $r14: $r14 $r15: $r15 $rbp: $rbp $rbx: $rbx")));
    }

    @Test
    void dwarf64DebugFrame() throws Exception {
        assertEquals(0, agree(EveryCfaInstruction.buildDwarf64(dir, Commands::run), 4));
    }

    @Test
    void systemLibc() throws Exception {
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        Required.that(Files.isRegularFile(libc), libc + " is absent (libc6 on Debian x86-64)");
        assertTrue(agree(libc, -1) >= 1);
    }

    private Path build(String bits, String unwind) throws Exception {
        Path c = dir.resolve("p.c");
        Files.writeString(c, PROGRAM);
        Path out = dir.resolve("p" + bits + unwind);
        Commands.run(List.of("gcc", bits, unwind, "-O2", "-g", "-nostdlib", "-static", "-fno-pie", "-no-pie",
                c.toString(), "-o", out.toString()));
        return out;
    }

    /**
     * Checks our STACK CFI lines equal dump_syms's ({@code records} of them, unless -1), apart from INIT records
     * whose return address is undefined; returns how many of those there were.
     */
    private static int agree(Path file, int records) throws Exception {
        return agree(file, records, -1);
    }

    /** As above, leaving out of ours the records of the FDE at {@code dropped} (-1: none). */
    private static int agree(Path file, int records, long dropped) throws Exception {
        List<String> want = Commands.run(List.of(dumpSyms().toString(), file.toString())).lines()
                .filter(l -> l.startsWith("STACK CFI")).toList();
        CallFrameInfo cfi = CallFrameInfo.open(file);
        List<String> got = new ArrayList<>();
        long droppedEnd = -1;
        for (SymbolData.StackCfi c : cfi.stackCfi()) {
            if (c.address() == dropped && c.size() != null) {
                droppedEnd = dropped + c.size();
            }
            if (c.address() >= dropped && c.address() < droppedEnd) {
                continue;
            }
            got.add(c.size() != null ? String.format("STACK CFI INIT %x %x %s", c.address(), c.size(), c.rules())
                    : String.format("STACK CFI %x %s", c.address(), c.rules()));
        }
        if (records >= 0) {
            assertEquals(records, cfi.stackCfi().size());
        }
        assertEquals(want.size(), got.size(), file.toString());
        int undefined = 0;
        for (int i = 0; i < want.size(); i++) {
            if (want.get(i).equals(got.get(i))) {
                continue;
            }
            String[] f = got.get(i).split(" ");
            assertEquals(want.get(i).replaceFirst(" \\.ra: \\.cfa -\\d+ \\+ \\^", ""), got.get(i), file + " line " + i);
            long at = Long.parseLong(f[3], 16);
            assertInstanceOf(CfiRules.Undefined.class, cfi.rulesAt(at).orElseThrow().returnAddress(), got.get(i));
            undefined++;
        }
        assertEquals(List.of(), cfi.problems());
        System.out.printf("STACK CFI of %s: %d records equal dump_syms's, %d without dump_syms's .ra (undefined)%n",
                file.getFileName(), want.size() - undefined, undefined);
        return undefined;
    }

    private static Path dumpSyms() {
        String d = System.getProperty("leakscope.breakpadTools", "../.tools/node_modules/minidump/bin/linux-x64");
        Path tool = Path.of(d, "dump_syms");
        Required.that(Files.isExecutable(tool), "Breakpad's dump_syms is not at " + tool
                + " (npm install --prefix .tools minidump@0.26.0 --ignore-scripts)");
        return tool;
    }
}
