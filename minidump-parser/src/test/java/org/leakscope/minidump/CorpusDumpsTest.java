package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Real dumps from Windows, Breakpad and Crashpad writers open and report what they hold. */
class CorpusDumpsTest {

    /** The crashing instruction's module+offset is what Breakpad's minidump_stackwalk shows for frame 0. */
    @ParameterizedTest
    @CsvSource({"windows/r2_calc_win7_x64.dmp, ntdll.dll+0x4ae10", "windows/electron_windows.dmp, electron.exe+0xe8da4",
        "windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp, lib_burst_generated.dll+0x16a380",
        "windows/bo4server_win10_1607_x64_handles_meminfo.dmp, server.exe+0x3e321",
        "linux/electron_linux.dmp, electron+0x30785f0", "breakpad/minidump2.dmp, test_app.exe+0x429e",
        "breakpad/ascii_read_av.dmp, crashme.exe+0xa6cd", "breakpad/linux_null_dereference.dmp, driver+0x1f26",
        "breakpad/linux_raise_sigabrt.dmp, libpthread-2.19.so+0x1020b"})
    void opensAndReportsThreadsModulesAndStreams(String name, String crashFrame) throws Exception {
        try (Minidump d = Minidump.open(Corpus.file(name))) {
            List<DumpThread> threads = d.threads().orElseThrow();
            assertFalse(threads.isEmpty());
            for (DumpThread t : threads) {
                CpuContext c = d.context(t).orElseThrow(() -> new AssertionError("no context: " + d.problems()));
                assertTrue(c.stackPointer() != 0, "thread " + t.id() + " has a stack pointer");
            }
            List<DumpModule> modules = d.modules().orElseThrow();
            assertFalse(modules.isEmpty());
            // The exception's own CONTEXT holds the faulting instruction (on Linux ExceptionAddress is si_addr).
            ExceptionInfo e = d.exception().orElseThrow();
            CpuContext fault = d.context(e.contextSize(), e.contextOffset()).orElseThrow();
            assertEquals(crashFrame, d.moduleMap().frame(fault.instructionPointer()).describe());
            assertTrue(d.systemInfo().isPresent());
            assertFalse(d.streams().isEmpty());
            assertTrue(d.problems().isEmpty(), d.problems().toString());
        }
    }

    @Test
    void handleDataGives179HandlesWithTypeNames() throws Exception {
        try (Minidump d = Minidump.open(Corpus.file("windows/bo4server_win10_1607_x64_handles_meminfo.dmp"))) {
            List<HandleInfo> handles = d.handles().orElseThrow();
            assertEquals(179, handles.size());
            // dbghelp could not query 50 of them: their type-name RVA is 0, so the type is unknown, not "".
            assertEquals(129, handles.stream().filter(h -> h.typeName() != null && !h.typeName().isEmpty()).count());
            Set<String> types = handles.stream().map(HandleInfo::typeName).collect(Collectors.toSet());
            assertTrue(types.containsAll(Set.of("Event", "File", "Key")), types.toString());
            assertEquals(439, d.memoryRegions().orElseThrow().size());
            assertEquals(12, d.threadDetails().orElseThrow().size());
            assertEquals(0x21934, d.header().flags());
            AddressSpace a = AddressSpace.of(d.memoryRegions().orElseThrow(), 5);
            long total = a.bytesByState().values().stream().mapToLong(Long::longValue).sum();
            long sum = d.memoryRegions().orElseThrow().stream().mapToLong(MemoryRegion::size).sum();
            assertEquals(sum, total);
            assertNotNull(a.largestFree());
            assertEquals(5, a.topFree().size());
            assertTrue(a.topFree().get(0).size() >= a.topFree().get(4).size());
        }
    }

    @Test
    void threadNamesGive98Names() throws Exception {
        try (Minidump d = Minidump.open(Corpus.file("windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp"))) {
            List<ThreadName> names = d.threadNames().orElseThrow();
            assertEquals(98, names.size());
            assertTrue(names.stream().allMatch(n -> n.name() != null && !n.name().isEmpty()));
            // AVX dumps declare 1663-byte contexts; the AMD64 prefix still decodes.
            DumpThread t = d.threads().orElseThrow().get(0);
            assertEquals(1663, t.contextSize());
            assertEquals("amd64", d.context(t).orElseThrow().cpu());
        }
    }

    @Test
    void breakpadLinuxStreams() throws Exception {
        try (Minidump d = Minidump.open(Corpus.file("breakpad/linux_null_dereference.dmp"))) {
            assertEquals("Linux", d.systemInfo().orElseThrow().os());
            // The 2015 writer left si_code 0: Breakpad prints it raw.
            assertEquals("SIGSEGV / 0x00000000", d.exception().orElseThrow().name());
            assertTrue(d.text(StreamKind.LINUX_PROC_STATUS).orElseThrow().contains("Pid:"));
            assertTrue(d.text(StreamKind.LINUX_MAPS).orElseThrow().contains("r-xp"));
            assertTrue(d.text(StreamKind.LINUX_CPU_INFO).orElseThrow().contains("processor"));
            assertFalse(d.text(StreamKind.LINUX_CMD_LINE).orElseThrow().isEmpty());
            assertTrue(d.text(StreamKind.LINUX_LSB_RELEASE).orElseThrow().contains("DISTRIB_ID"));
            assertTrue(d.auxv().orElseThrow().size() > 5);
            assertEquals(d.modules().orElseThrow().size(), d.dsoDebug().orElseThrow().dsoCount());
            // Breakpad's Linux writer of 2015 wraps the ELF build id in an RSDS record (age 0).
            assertTrue(d.modules().orElseThrow().stream()
                    .allMatch(m -> "RSDS".equals(m.cvSignature()) && m.module().debugId().endsWith("0")));
        }
    }

    @Test
    void crashpadAndWindowsExtras() throws Exception {
        try (Minidump d = Minidump.open(Corpus.file("windows/electron_windows.dmp"))) {
            assertTrue(d.stream(StreamKind.FUNCTION_TABLE).isPresent());
            assertTrue(d.breakpadInfo().isPresent());
            // Breakpad's out-of-process client sends its (here unfilled) assertion record with every dump.
            AssertionInfo a = d.assertionInfo().orElseThrow();
            assertEquals(new AssertionInfo("", "", "", 0, 0), a);
            assertTrue(a.isEmpty());
            assertEquals(1364, d.miscInfo().orElseThrow().size());
        }
        try (Minidump d = Minidump.open(Corpus.file("windows/r2_calc_win7_x64.dmp"))) {
            assertTrue(d.stream(StreamKind.TOKEN).isPresent());
            assertTrue(d.stream(StreamKind.SYSTEM_MEMORY_INFO).isPresent());
            assertTrue(d.stream(StreamKind.PROCESS_VM_COUNTERS).isPresent());
            MiscInfo m = d.miscInfo().orElseThrow();
            assertEquals(1364, m.size());
            assertNotNull(m.buildString());
            assertEquals("Service Pack 1", d.systemInfo().orElseThrow().servicePack());
        }
    }
}
