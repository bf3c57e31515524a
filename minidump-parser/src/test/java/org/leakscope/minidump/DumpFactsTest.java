package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real dumps from other writers hold, read right: 32-bit addresses, CPU descriptions as Breakpad gives
 * them, signed thread priorities, the assertion stream. Corpus dumps where the corpus has the case, else
 * {@link SyntheticDumpBuilder} dumps with the facts of Breakpad's and rust-minidump's test dumps.
 */
class DumpFactsTest {
    @TempDir
    Path dir;

    /**
     * Breakpad's minidump_32bit_crash_addr.dmp: an x86 access violation writing 0x45, whose writer sign-extended
     * the parameter to 0xffffffff00000045. Every other address field is sign-extended here too (a large-address-
     * aware process's modules and memory above 2 GB), and all read as the process saw them.
     */
    @Test
    void addressesOf32BitProcessesAreCut() throws Exception {
        Path p = dir.resolve("x86.dmp");
        long high = 0xffffffff80000000L;
        new SyntheticDumpBuilder().systemInfo(0, 2, "Service Pack 2")
                .threads(false, 0, new long[][] {{0xbf4, 0x0040429e, 0x0012fe84}})
                .module(high, 0x10000, "C:\\big\\high.dll", "RSDS").endModules()
                .memory(high + 0x1000, new byte[] {1, 2, 3, 4})
                .exceptionWithFlags(0xbf4, 0xc0000005L, 0, 0xffffffff8000429eL, 1, 0xffffffff00000045L)
                .unloadedModule(high + 0x100000, 0x1000, "gone.dll")
                .threadInfo(0xbf4, high + 0x1230)
                .memoryInfo(new long[][] {{high, 0x10000, 0x1000, 0x1000000}})
                .write(p);
        try (Minidump d = Minidump.open(p)) {
            ExceptionInfo e = d.exception().orElseThrow();
            assertEquals(0x45, e.crashAddress());
            assertEquals(List.of(1L, 0x45L), e.parameters());
            assertEquals(0x8000429eL, e.address());
            assertEquals(0x80000000L, d.modules().orElseThrow().get(0).base());
            assertEquals("high.dll+0x429e", d.moduleMap().frame(e.address()).describe());
            assertEquals(0x80001000L, d.memoryList().orElseThrow().get(0).start());
            assertEquals(3, d.memory().readFully(0x80001002L, 1)[0]);
            assertEquals(0x80100000L, d.unloadedModules().orElseThrow().get(0).base());
            assertEquals(0x80001230L, d.threadDetails().orElseThrow().get(0).startAddress());
            assertEquals(0x80000000L, d.memoryRegions().orElseThrow().get(0).base());
            assertEquals(0x80000000L, d.memoryRegions().orElseThrow().get(0).allocationBase());
            assertTrue(d.problems().isEmpty(), d.problems().toString());
        }
    }

    /** The same high bits on a 64-bit process are an address: rust-minidump's macOS dump crashes at one. */
    @Test
    void addressesOf64BitProcessesAreKept() throws Exception {
        Path p = dir.resolve("mac.dmp");
        new SyntheticDumpBuilder().systemInfo(9, 0x8101, "20G630")
                .exceptionWithFlags(0x1203, 1, 1, 0xffffffff80000042L, 1, 0xffffffff80000042L).write(p);
        try (Minidump d = Minidump.open(p)) {
            assertEquals(0xffffffff80000042L, d.exception().orElseThrow().crashAddress());
            assertEquals(List.of(1L, 0xffffffff80000042L), d.exception().orElseThrow().parameters());
        }
    }

    @Test
    void cpuDescriptionsAsBreakpadGivesThem() throws Exception {
        byte[] x86 = le(24).put("GenuineIntel".getBytes()).putInt(0x6d8).array();
        assertCpu(0, 2, 6, 0x0d08, x86, "GenuineIntel", "GenuineIntel family 6 model 13 stepping 8");
        // dbghelp's amd64 dumps hold ProcessorFeatures in the same bytes: no vendor there.
        byte[] features = le(24).putLong(0x110c2774cL).array();
        assertCpu(9, 2, 6, 0x5504, features, null, "family 6 model 85 stepping 4");
        // Breakpad's and Crashpad's amd64 writers fill the vendor id; Breakpad still leaves it out.
        byte[] amd = le(24).put("AuthenticAMD".getBytes()).array();
        assertCpu(9, 0x8201, 23, 0x3100, amd, "AuthenticAMD", "family 23 model 49 stepping 0");
        // Breakpad's ARM writer: the MIDR (ARM Cortex-A9 r3p0) and AT_HWCAP.
        int hwcaps = 1 | 2 | 4 | 16 | 64 | 128 | 1 << 12 | 1 << 13 | 1 << 15;
        byte[] arm = le(24).putInt(0x413fc090).putInt(hwcaps).array();
        assertCpu(5, 0x8201, 7, 0, arm, null, "ARMv7 ARM Cortex-A9 features: swp,half,thumb,fastmult,vfpv2,edsp,neon,"
                + "vfpv3,tls");
        byte[] nvidia = le(24).putInt(0x4e0f0000).array();
        assertCpu(5, 0x8203, 8, 0, nvidia, null, "ARMv8 vendor(0x4e) part(0x4e000000)");
        assertCpu(12, 2, 8, 0, new byte[24], null, null);
    }

    private void assertCpu(int arch, long platform, int level, int revision, byte[] cpu, String vendor,
            String description) throws Exception {
        Path p = dir.resolve("cpu.dmp");
        new SyntheticDumpBuilder().systemInfo(arch, platform, "", level, revision, cpu).write(p);
        try (Minidump d = Minidump.open(p)) {
            SystemInfo s = d.systemInfo().orElseThrow();
            assertEquals(vendor, s.cpuVendor());
            assertEquals(description, s.cpuDescription());
        }
    }

    @Test
    void cpuDescriptionsOfCorpusDumps() throws Exception {
        // As Breakpad's minidump_stackwalk prints them for these dumps.
        assertEquals("GenuineIntel family 6 model 13 stepping 8", system("breakpad/minidump2.dmp").cpuDescription());
        SystemInfo windows = system("windows/electron_windows.dmp");
        assertEquals("family 6 model 69 stepping 1", windows.cpuDescription());
        assertNull(windows.cpuVendor());
        SystemInfo linux = system("linux/electron_linux.dmp");
        assertEquals("family 6 model 69 stepping 1", linux.cpuDescription());
        assertEquals("GenuineIntel", linux.cpuVendor());
        assertEquals("family 6 model 183 stepping 1",
                system("windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp").cpuDescription());
    }

    private static SystemInfo system(String name) throws Exception {
        try (Minidump d = Minidump.open(Corpus.file(name))) {
            return d.systemInfo().orElseThrow();
        }
    }

    /** MINIDUMP_THREAD.Priority holds GetThreadPriority's signed value: -15 idle, -2 lowest, -1 below normal. */
    @Test
    void threadPrioritiesAreSigned() throws Exception {
        try (Minidump d = Minidump.open(Corpus.file("windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp"))) {
            Map<Integer, Long> byPriority = d.threads().orElseThrow().stream()
                    .collect(Collectors.groupingBy(DumpThread::priority, Collectors.counting()));
            assertEquals(Map.of(0, 99L, 1, 10L, 2, 2L, 14, 1L, 15, 2L, -15, 56L, -2, 16L, -1, 1L), byPriority);
        }
        Path p = dir.resolve("prio.dmp");
        new SyntheticDumpBuilder().systemInfo(9, 2, "").threadPriority(-2)
                .threads(true, 1232, new long[][] {{1, 0x1000, 0x2000}}).write(p);
        try (Minidump d = Minidump.open(p)) {
            assertEquals(-2, d.threads().orElseThrow().get(0).priority());
        }
    }

    /** rust-minidump's invalid-parameter.dmp: the CRT's invalid-parameter handler's report. */
    @Test
    void assertionStream() throws Exception {
        Path p = dir.resolve("assert.dmp");
        String file = "minkernel\\crts\\ucrt\\src\\appcrt\\stdio\\output.cpp";
        new SyntheticDumpBuilder().systemInfo(9, 2, "").exception(0x1708, 0xc000000dL, 0)
                .assertion("format != nullptr", "common_vfprintf", file, 32, 1).write(p);
        try (Minidump d = Minidump.open(p)) {
            AssertionInfo a = d.assertionInfo().orElseThrow();
            assertEquals("format != nullptr", a.expression());
            assertEquals("common_vfprintf", a.function());
            assertEquals(file, a.file());
            assertEquals(32, a.line());
            assertEquals("Invalid parameter passed to library function", a.description());
            assertFalse(a.isEmpty());
            assertEquals("STATUS_INVALID_PARAMETER", d.exception().orElseThrow().name());
        }
        // Breakpad's Windows client wrote an all-zero one with electron's access violation.
        try (Minidump d = Minidump.open(Corpus.file("windows/electron_windows.dmp"))) {
            AssertionInfo a = d.assertionInfo().orElseThrow();
            assertTrue(a.isEmpty(), a.toString());
            assertEquals("Unknown assertion type 0x00000000", a.description());
        }
    }

    @Test
    void aDirectoryIsNotADump() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> Minidump.open(dir).close());
        assertEquals(dir.toString(), e.getFile());
        assertEquals("expected a file, found a directory", e.getReason());
        assertTrue(Files.isDirectory(dir));
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
