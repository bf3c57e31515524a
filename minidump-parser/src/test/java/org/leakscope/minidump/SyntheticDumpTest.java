package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every stream, 32- and 64-bit, from dumps written by {@link SyntheticDumpBuilder} (independent of the .ksy). */
class SyntheticDumpTest {
    @TempDir
    Path dir;

    @Test
    void x86DumpWithEveryWindowsStream() throws Exception {
        Path p = dir.resolve("x86.dmp");
        byte[] stack = "stack bytes".getBytes(StandardCharsets.US_ASCII);
        new SyntheticDumpBuilder()
                .systemInfo(0, 2, "Service Pack 3")
                .threads(false, 0, new long[][] {{0x10, 0x401234, 0x12ff00}, {0x20, 0x7c901000, 0x22ff00}})
                .module(0x400000, 0x20000, "C:\\app\\app.exe", "RSDS")
                .module(0x10000000, 0x8000, "C:\\app\\old.dll", "NB10")
                .endModules()
                .memory(0x12ff00, stack)
                .exception(0x10, 0xc0000005L, 0x401234, 0, 0xdead)
                .miscInfo(24, 777)
                .handles(32, "Event", "File")
                .threadNames(new long[] {0x10}, new String[] {"main thread"})
                .threadInfo(0x20, 0x401000)
                .unloadedModule(0x20000000, 0x1000, "gone.dll")
                .memoryInfo(new long[][] {{0x10000, 0x10000, 0x10000, 0}, {0x20000, 0x3000, 0x1000, 0x20000}})
                .breakpadInfo(0x20, 0x10)
                .text(0xb, "dumped by the test", true)
                .stream(0x12345, new byte[] {1, 2, 3})
                .write(p);
        try (Minidump d = Minidump.open(p)) {
            assertEquals(14, d.streams().size());
            SystemInfo s = d.systemInfo().orElseThrow();
            assertEquals("x86", s.cpu());
            assertEquals("Service Pack 3", s.servicePack());
            assertEquals("GenuineIntel", s.cpuVendor());
            List<DumpThread> threads = d.threads().orElseThrow();
            assertEquals(2, threads.size());
            CpuContext c = d.context(threads.get(0)).orElseThrow();
            assertEquals(0x401234, c.instructionPointer());
            assertEquals(0x12ff00, c.stackPointer());
            assertEquals(0x12ff20, c.framePointer());
            List<DumpModule> mods = d.modules().orElseThrow();
            assertEquals("app.pdb", mods.get(0).module().debugFile());
            assertEquals("131211101514171618191A1B1C1D1E1F2", mods.get(0).module().debugId());
            // the code id travels with the module to the symbol store: TimeDateStamp and SizeOfImage
            assertEquals("5F00000020000", mods.get(0).module().codeId());
            assertEquals("10.0.19041.964", mods.get(0).module().version());
            assertEquals("12345678" + "3", mods.get(1).module().debugId());
            assertEquals("app.exe+0x1234", d.moduleMap().frame(0x401234).describe());
            assertArrayEquals(stack, d.memory().readFully(0x12ff00, stack.length));
            ExceptionInfo e = d.exception().orElseThrow();
            assertEquals("EXCEPTION_ACCESS_VIOLATION_READ", e.name());
            assertEquals(0xdead, e.crashAddress());
            MiscInfo m = d.miscInfo().orElseThrow();
            assertEquals(777L, m.processId());
            assertNull(m.buildString());
            List<HandleInfo> h = d.handles().orElseThrow();
            assertEquals(List.of("Event", "File"), h.stream().map(HandleInfo::typeName).toList());
            assertEquals("main thread", d.threadNameMap().get(0x10L));
            assertEquals(0x401000, d.threadDetails().orElseThrow().get(0).startAddress());
            assertEquals(2.0, d.threadDetails().orElseThrow().get(0).kernelTime100ns() / 1e7);
            assertEquals("gone.dll", d.unloadedModules().orElseThrow().get(0).name());
            AddressSpace a = AddressSpace.of(d.memoryRegions().orElseThrow(), 5);
            assertEquals(0x10000, a.largestFree().size());
            assertEquals(0x3000, a.bytesByType().get("private"));
            assertEquals(0x20L, d.breakpadInfo().orElseThrow().dumpThreadId());
            assertEquals("dumped by the test", d.text(StreamKind.COMMENT_W).orElseThrow());
            StreamEntry user = d.streams().stream().filter(x -> x.type() == 0x12345).findFirst().orElseThrow();
            assertEquals("UserStream", user.label());
            assertArrayEquals(new byte[] {1, 2, 3}, d.rawStream(user));
            assertTrue(d.problems().isEmpty(), d.problems().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {720, 1232, 1663, 2747}) // 720: lldb-19's Linux minidumps
    void amd64ContextsOfEveryDeclaredSize(int size) throws Exception {
        Path p = dir.resolve("amd64.dmp");
        new SyntheticDumpBuilder().systemInfo(9, 0x8201, "Linux 6.1.0")
                .threads(true, size, new long[][] {{7, 0x7f0000001000L, 0x7ffc00000000L}})
                .module(0x7f0000000000L, 0x100000, "/usr/lib/libleaky.so", "BpEL").endModules()
                .exceptionWithFlags(7, 11, 1, 0x7f0000001000L)
                .write(p);
        try (Minidump d = Minidump.open(p)) {
            CpuContext c = d.context(d.threads().orElseThrow().get(0)).orElseThrow();
            assertEquals("amd64", c.cpu());
            assertEquals(size, c.declaredSize());
            assertEquals(0x7f0000001000L, c.instructionPointer());
            assertEquals(0x7ffc00000000L, c.stackPointer());
            DumpModule m = d.modules().orElseThrow().get(0);
            assertEquals("libleaky.so", m.module().debugFile());
            assertEquals("0403020106050807090A0B0C0D0E0F100", m.module().debugId());
            assertEquals("0102030405060708090a0b0c0d0e0f1011121314", m.codeId());
            assertEquals("0102030405060708090a0b0c0d0e0f1011121314", m.module().codeId()); // the whole build id
            assertEquals("SIGSEGV / SEGV_MAPERR", d.exception().orElseThrow().name());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 44, 232, 832, 1364})
    void miscInfoOfEverySize(int size) throws Exception {
        Path p = dir.resolve("misc.dmp");
        new SyntheticDumpBuilder().miscInfo(size, 4242).write(p);
        try (Minidump d = Minidump.open(p)) {
            MiscInfo m = d.miscInfo().orElseThrow();
            assertEquals(size, m.size());
            assertEquals(4242L, m.processId());
            assertEquals(size >= 832 ? "22621.1.amd64fre" : null, m.buildString());
        }
    }

    @Test
    void handleDescriptorsVersion2() throws Exception {
        Path p = dir.resolve("h2.dmp");
        new SyntheticDumpBuilder().handles(40, "Mutant", "Key", "Key").write(p);
        try (Minidump d = Minidump.open(p)) {
            assertEquals(3, d.handles().orElseThrow().size());
            assertEquals("Key", d.handles().orElseThrow().get(2).typeName());
        }
    }

    /** A 6 GB full-memory dump as a sparse file: ranges past 4 GB of file offset read correctly. */
    @Test
    void memory64BeyondFourGigabytes() throws Exception {
        Path p = dir.resolve("big.dmp");
        long range = 5L << 30;
        long second = 1L << 30;
        long size = new SyntheticDumpBuilder().systemInfo(9, 2, "")
                .memory64(0x10000000000L, range).memory64(0x20000000000L, second).write(p);
        assertTrue(size > 6L << 30);
        assertTrue(Files.size(p) > 4L << 30);
        try (Minidump d = Minidump.open(p)) {
            VirtualMemory mem = d.memory();
            assertEquals(2, mem.ranges().size());
            assertEquals(range + second, mem.capturedBytes());
            assertTrue(mem.ranges().get(1).fileOffset() > 0xffffffffL, "second range lies past 4 GB");
            assertArrayEquals("FIRST".getBytes(StandardCharsets.US_ASCII), mem.readFully(0x10000000000L, 5));
            assertArrayEquals("LAST".getBytes(StandardCharsets.US_ASCII),
                    mem.readFully(0x20000000000L + second - 4, 4));
            // A read spanning the end of a range reports the gap.
            List<VirtualMemory.Piece> pieces = mem.read(0x10000000000L + range - 8, 16);
            assertEquals(2, pieces.size());
            assertTrue(pieces.get(1).isGap());
            assertTrue(d.problems().isEmpty(), d.problems().toString());
        }
    }

    /** Generated damage on a synthetic dump with every stream, at -Xmx256m (surefire). */
    @Test
    void damageOnEveryStreamOfASyntheticDump() throws Exception {
        Path p = dir.resolve("full.dmp");
        new SyntheticDumpBuilder().systemInfo(0, 2, "SP")
                .threads(false, 0, new long[][] {{1, 0x401000, 0x12ff00}})
                .module(0x400000, 0x1000, "a.exe", "RSDS").endModules()
                .memory(0x12ff00, new byte[64]).exception(1, 0x80000003L, 0x401000).miscInfo(232, 1)
                .handles(40, "Event").threadNames(new long[] {1}, new String[] {"t"}).threadInfo(1, 0)
                .unloadedModule(0, 1, "u").memoryInfo(new long[][] {{0, 0x1000, 0x10000, 0}})
                .breakpadInfo(1, 1).write(p);
        byte[] full = Files.readAllBytes(p);
        java.util.Random random = new java.util.Random(99);
        Path damaged = dir.resolve("damaged.dmp");
        long directoryEnd;
        try (Minidump d = Minidump.open(p)) {
            directoryEnd = d.header().directoryOffset() + 12 * d.header().streamCount();
        }
        for (int i = 0; i < 2000; i++) {
            byte[] b = full.clone();
            int at = random.nextInt(Math.min(b.length, SyntheticDumpBuilder.BLOB_BASE + 2048));
            b[at] = (byte) random.nextInt(256);
            if (i % 3 == 0) {
                b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            }
            Files.write(damaged, b);
            DumpExerciser.Outcome o = DumpExerciser.exercise(damaged);
            if (at >= directoryEnd && b.length >= directoryEnd) {
                assertTrue(o.opened(), "damage at " + at + " after the directory is not fatal");
            }
        }
    }
}
