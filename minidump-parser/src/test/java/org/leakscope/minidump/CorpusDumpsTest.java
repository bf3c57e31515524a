package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Real dumps from Windows, Breakpad and Crashpad writers open and report what they hold. */
class CorpusDumpsTest {

    @ParameterizedTest
    @ValueSource(strings = {"windows/r2_calc_win7_x64.dmp", "windows/electron_windows.dmp",
        "windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp",
        "windows/bo4server_win10_1607_x64_handles_meminfo.dmp", "linux/electron_linux.dmp",
        "breakpad/minidump2.dmp", "breakpad/ascii_read_av.dmp", "breakpad/linux_null_dereference.dmp",
        "breakpad/linux_raise_sigabrt.dmp"})
    void opensAndReportsThreadsModulesAndStreams(String name) throws Exception {
        try (Minidump d = Minidump.open(Corpus.file(name))) {
            List<DumpThread> threads = d.threads().orElseThrow();
            assertFalse(threads.isEmpty());
            for (DumpThread t : threads) {
                CpuContext c = d.context(t).orElseThrow(() -> new AssertionError("no context: " + d.problems()));
                assertTrue(c.stackPointer() != 0, "thread " + t.id() + " has a stack pointer");
            }
            List<DumpModule> modules = d.modules().orElseThrow();
            assertFalse(modules.isEmpty());
            // The crashing instruction lies in a module or is a wild jump; either way lookups must not fail.
            d.exception().ifPresent(e -> d.moduleMap().frame(e.address()));
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
            assertNotNull(d.assertionInfo().orElseThrow());
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
