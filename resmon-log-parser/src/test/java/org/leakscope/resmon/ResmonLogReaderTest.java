package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Module;
import org.leakscope.model.ResourceKind;

class ResmonLogReaderTest {
    private static final long EXE = 0x00007FF6C2A80000L;

    @TempDir
    Path tmp;

    static Path testdata(String name) {
        return Path.of("..", "testdata", "dbgview", name);
    }

    static ResmonLog read(Path p) throws IOException {
        return ResmonLogReader.read(p, ResmonLogOptions.defaults());
    }

    @Test
    void userModeX64ExitReport() throws IOException {
        ResmonLog log = read(testdata("resmon_user_x64_exit_report.log"));
        assertEquals(List.of(), log.problems());
        assertEquals("BUILD-07", log.computer());
        assertEquals(2, log.runs().size(), "svchost chatter and resmon.dll's diagnostic lines are not runs");
        ResmonRun other = log.runs().get(1);
        assertEquals("other.exe", other.module());
        assertEquals(1, other.memory().count(), "its one line, in the middle of notepad's exit report");
        assertNull(other.report());
        ResmonRun run = log.runs().get(0);
        assertEquals(2540L, run.processId());
        assertEquals("notepad.exe", run.module());
        assertEquals(13, run.memory().count(), "12 cycles and one inside the on-demand report");
        assertEquals(3104 + 4096 * 11, run.memory().lastValue());
        assertEquals(3104 + 4096 * 11, run.memory().peakValue());
        assertEquals(3, run.threads().peakValue());
        assertEquals(12, run.cpuPercent().peakValue());
        assertEquals(1327104, run.diskBytes().lastValue());
        assertEquals(0.25, run.start().seconds());
        assertEquals(Map.of("memory", 1L, "cpu", 1L, "threads", 1L), run.limitCounts());
        LimitEvent mem = run.limitEvents().get(0);
        assertEquals(new LimitEvent("memory", 0x8000, 0xA0E0, mem.time()), mem);
        assertEquals(40.25, mem.time().seconds());
        assertEquals(5750L, run.intervalMs());

        assertEquals(1, run.onDemandReports());
        assertTrue(run.lastOnDemand().complete());
        assertFalse(run.lastOnDemand().exit());
        assertEquals(2, run.lastOnDemand().resourcesListed());

        ResmonReport r = run.exitReport();
        assertTrue(r.exit());
        assertTrue(r.complete());
        assertTrue(r.notAllFree());
        assertTrue(r.leaked());
        assertEquals(16, r.pointerDigits());
        assertEquals(144L + 4096 + 100 + 65536, r.memoryTotal());
        assertEquals(1L, r.threadTotal());
        assertEquals(3L, r.syncTotal());
        assertEquals(8, r.resourcesListed());
        // grouped by call site, largest first
        CallSite virtual = r.callSites().get(0);
        assertEquals(new CallSite(ResourceKind.HEAP_BLOCK, EXE + 0x3B000, 1, 65536, Set.of("Virtual"),
                virtual.firstLine()), virtual);
        CallSite heap = r.callSites().get(1);
        assertEquals(EXE + 0x1F6F7, heap.returnAddress());
        assertEquals(2, heap.count());
        assertEquals(144 + 4096, heap.bytes());
        assertEquals(7, r.callSites().size());
        assertEquals(List.of(ResourceKind.THREAD), r.callSites().stream().filter(s -> s.returnAddress() == EXE + 0x6EFB)
                .map(CallSite::kind).toList());
        assertEquals(Set.of("event", "mutex", "semaphore"), Set.copyOf(r.callSites().stream()
                .filter(s -> s.kind() == ResourceKind.SYNC_OBJECT).flatMap(s -> s.types().stream()).toList()));
        assertEquals(List.of(new HistogramBucket(0, 0x10, 1119), new HistogramBucket(0x40, 0x80, 12),
                new HistogramBucket(0x800, 0x1000, 4), new HistogramBucket(0x8000, 0x10000, 1)), r.histogram());
        assertEquals(8, r.examples().size());
        assertEquals(0x00000284B86B3670L, r.examples().get(0).address());
        assertEquals(8632L, r.examples().get(0).threadId());

        var snap = run.snapshot("x", List.of());
        assertEquals(7, snap.aggregates().size());
        assertEquals(EXE + 0x3B000, snap.aggregates().get(0).backtrace().top().address());
    }

    @Test
    void kernelRunsSplitAtTheirExitReportsAndX86Widths() throws IOException {
        ResmonLog log = read(testdata("resmon_kernel_and_x86_clock.log"));
        assertEquals(List.of(), log.problems());
        assertEquals(3, log.runs().size());
        ResmonRun k1 = log.runs().get(0);
        ResmonRun app = log.runs().get(1);
        ResmonRun k2 = log.runs().get(2);
        assertNull(k1.processId());
        assertTrue(k1.kernel());
        assertEquals("kernelmode_test.sys", k1.module());
        assertEquals(LocalTime.of(23, 59, 30), k1.start().clock());
        assertEquals(LocalTime.of(23, 59, 51), k1.end().clock());
        assertEquals(2, k1.exitReport().callSites().size());
        CallSite pool = k1.exitReport().callSites().get(0);
        assertEquals(ResourceKind.POOL_BLOCK, pool.kind());
        assertEquals(2, pool.count());
        assertEquals(Set.of("NonPagedPool"), pool.types());
        assertEquals(3, k2.exitReport().callSites().get(0).count(), "the second load leaked one more block");
        // midnight passed between the two runs: the axis keeps counting
        assertEquals(60.0, k2.start().seconds() - k1.start().seconds(), 1e-9);
        assertEquals(LocalTime.of(0, 0, 30), k2.start().clock());

        assertEquals(3300L, app.processId());
        assertEquals(1, app.onDemandReports());
        ResmonReport x86 = app.exitReport();
        assertFalse(x86.leaked());
        assertTrue(x86.complete());
        assertEquals(List.of(new HistogramBucket(0x10, 0x20, 7), new HistogramBucket(0x20, 0x40, 2)), x86.histogram());
    }

    @Test
    void severalRunsOfOneProgramAreSeparateReports() throws IOException {
        ResmonLog log = read(testdata("resmon_soak_leaking.log"));
        assertEquals(List.of(), log.problems());
        assertEquals(3, log.runs().size());
        for (ResmonRun run : log.runs()) {
            assertEquals(144, run.memory().count());
            CallSite top = run.exitReport().callSites().get(0);
            assertEquals(48, top.count());
            assertEquals(48 * 50000, top.bytes());
            assertEquals(0x4A2B1, top.returnAddress() & 0xFFFFF, "the leaking site in every run");
        }
        // slope in bytes per second ~ 200 kB/h
        double perHour = log.runs().get(0).memory().slope() * 3600;
        assertEquals(200_000, perHour, 15_000);
    }

    @Test
    void pidAndProcessFilters() throws IOException {
        Path p = testdata("resmon_kernel_and_x86_clock.log");
        assertEquals(1, ResmonLogReader.read(p, ResmonLogOptions.defaults().withFilter(3300L, null)).runs().size());
        assertEquals(2, ResmonLogReader.read(p, ResmonLogOptions.defaults().withFilter(null, "kernelmode_test.sys"))
                .runs().size());
        assertEquals(1, ResmonLogReader.read(p, ResmonLogOptions.defaults().withFilter(null, "APP32")).runs().size());
        // what the filter left out is named, so a filter that matches nothing can say what there is
        ResmonLog none = ResmonLogReader.read(p, ResmonLogOptions.defaults().withFilter(1L, null));
        assertEquals(List.of(), none.runs());
        assertEquals(3, none.leftOutCount());
        assertEquals(List.of(new RunOutline(1, null, "kernelmode_test.sys", 1), new RunOutline(2, 3300L, "app32.exe", 37),
                new RunOutline(3, null, "kernelmode_test.sys", 47)), none.leftOut());
        assertEquals("app32.exe [3300]", none.leftOut().get(1).label());
        ResmonLog some = ResmonLogReader.read(p, ResmonLogOptions.defaults().withFilter(3300L, null));
        assertEquals(2, some.leftOutCount());
        assertEquals(List.of(1, 3), some.leftOut().stream().map(RunOutline::index).toList());
    }

    @Test
    void truncatedReportInAPlainCapture() throws IOException {
        ResmonLog log = read(testdata("resmon_truncated_plain.log"));
        assertFalse(log.framed());
        ResmonRun run = log.runs().get(0);
        assertEquals(1, log.runs().size());
        assertEquals(1, run.onDemandReports(), "the complete one");
        ResmonReport cut = run.exitReport();
        assertFalse(cut.complete(), "the exit block stops after its first record");
        assertEquals(1, cut.resourcesListed());
        assertEquals(500L, cut.memoryTotal());
        assertEquals(1, log.problems().size(), log.problems().toString());
        assertTrue(log.problems().get(0).message().contains("cut off"), log.problems().toString());
        assertTrue(run.estimatedTimes());
    }

    @Test
    void debugViewPlusPlusExport() throws IOException {
        ResmonLog log = read(testdata("resmon_debugviewpp_export.log"));
        assertEquals(List.of(), log.problems());
        ResmonRun run = log.runs().get(0);
        assertEquals(5120L, run.processId());
        assertEquals(3, run.memory().count());
        assertEquals(10.0, run.memory().lastTime() - run.memory().firstTime(), 1e-9, "across midnight by date");
        assertFalse(run.exitReport().leaked());
        assertEquals("2026-11-30 00:00:10.100", run.end().label());
    }

    @Test
    void utf16AndCp1251ReadTheSame() throws IOException {
        String text = Files.readString(testdata("resmon_user_x64_exit_report.log"));
        Path u16 = tmp.resolve("u16.log");
        byte[] body = ("\uFEFF" + text.replace("svchost.exe", "служба.exe")).getBytes(StandardCharsets.UTF_16LE);
        Files.write(u16, body);
        Path cp = tmp.resolve("cp1251.log");
        Files.write(cp, text.replace("notepad.exe", "блокнот.exe").getBytes(Charset.forName("windows-1251")));
        ResmonLog a = read(u16);
        assertEquals("UTF-16LE", a.encoding());
        assertEquals(read(testdata("resmon_user_x64_exit_report.log")).runs().get(0).exitReport().callSites(),
                a.runs().get(0).exitReport().callSites());
        ResmonLog b = ResmonLogReader.read(cp, ResmonLogOptions.defaults()
                .withDebugView(DebugViewOptions.defaults().withAnsiCharset(Charset.forName("windows-1251"))));
        assertEquals("блокнот.exe", b.runs().get(0).module());
    }

    @Test
    void realDebugViewLogHasNoResmonRuns() throws IOException {
        Path p = TestCorpus.file("dbgview/lithium_dbgview_cp1251.log");
        ResmonLog log = read(p);
        assertEquals(1529, log.records());
        assertEquals(0, log.resmonLines());
        assertEquals(List.of(), log.runs());
        assertEquals(List.of(), log.problems());
        assertEquals("FELIX-GATEWAY", log.computer());
    }

    /**
     * The original resmon, built from its sources and run under Wine (../shared/corpus/SOURCES.md): its own
     * usermode test installs and uninstalls resmon four times in one process.
     */
    @Test
    void originalResmonOutputFromTheCorpus() throws IOException {
        ResmonLog log = read(TestCorpus.file("dbgview/resmon_original_usermode_test_wine.log"));
        assertEquals(List.of(), log.problems());
        assertEquals(449, log.records());
        assertEquals(449, log.resmonLines());
        assertEquals(4, log.runs().size(), "four install/uninstall cycles, each ended by its exit block");
        assertEquals(List.of(1L, 111L, 222L, 335L), log.runs().stream().map(r -> r.start().line()).toList());
        for (ResmonRun run : log.runs()) {
            assertEquals(232L, run.processId());
            assertEquals("usermode_test.exe", run.module());
            assertEquals(Map.of("cpu", 1L), run.limitCounts(), "each cycle broke the 30% cpu limit once, no other");
            ResmonReport exit = run.exitReport();
            assertTrue(exit.complete());
            assertFalse(exit.leaked(), "everything was freed before each uninstall");
            assertEquals(0L, exit.memoryTotal());
            assertNull(exit.sizeWrap());
            assertNull(run.memoryWrap());
            assertEquals(List.of(new HistogramBucket(0x20, 0x40, 1081), new HistogramBucket(0x40, 0x80, 1)),
                    exit.histogram());
            // the on-demand report in the middle of each cycle: a 96-byte heap block and three 48-byte
            // VirtualAlloc blocks, whose listed sizes add up to the section total (no 32-bit truncation)
            ResmonReport live = run.lastOnDemand();
            assertFalse(live.exit());
            assertTrue(live.complete());
            assertEquals(240L, live.memoryTotal());
            assertEquals(96 + 3 * 48, live.callSites().stream().mapToLong(CallSite::bytes).sum());
            assertNull(live.sizeWrap(), "listed sizes agree with 'memory usage 240'");
            assertEquals(4L, live.threadTotal());
            assertEquals(run.index() <= 2 ? 9L : 10L, live.syncTotal());
            assertEquals(4 + 4 + live.syncTotal(), live.resourcesListed());
        }
        assertEquals(new LimitEvent("cpu", 30, 91, log.runs().get(0).limitEvents().get(0).time()),
                log.runs().get(0).limitEvents().get(0));
        assertEquals(8050L, log.runs().get(0).intervalMs());
        assertEquals(55167, log.runs().get(0).memory().peakValue());
    }

    /** Generated by make_logs.py the way resmon prints blocks of 4 GiB or more on x64: modulo 4 GiB. */
    @Test
    void blockSizesPrintedModulo4GibAreFoundAndCorrectedWhenTheTableSettlesIt() throws IOException {
        ResmonLog log = read(testdata("resmon_x64_blocks_over_4gib.log"));
        assertEquals(List.of(), log.problems());
        assertEquals(3, log.runs().size());
        long gib = 1L << 30;

        // run 1: 'size 1073741824' under 'memory usage 5372000061'; only a 4-8 GiB allocation fits
        ResmonReport one = log.runs().get(0).exitReport();
        assertEquals(5_372_000_061L, one.memoryTotal());
        SizeWrap w = one.sizeWrap();
        assertEquals(new SizeWrap(1_077_032_765L, 5_372_000_061L, 1, true, 1,
                List.of(new SizeWrap.Fix(0x00007FF7B0001A2BL, 4 * gib)), null), w);
        CallSite big = one.callSites().get(0);
        assertEquals(0x00007FF7B0001A2BL, big.returnAddress());
        assertEquals(5 * gib, big.bytes(), "1073741824 as printed + 4 GiB");
        assertEquals(5_372_000_061L, one.callSites().stream().mapToLong(CallSite::bytes).sum());
        assertEquals(5 * gib, one.examples().get(0).size());
        assertEquals(3 * 1024 * 1024, one.examples().get(1).size(), "small blocks are left alone");

        // run 2: two blocks listed as 1 GiB, the table saw a 1 GiB and a 4-8 GiB allocation: either may be it
        ResmonReport two = log.runs().get(1).exitReport();
        SizeWrap amb = two.sizeWrap();
        assertEquals(2 * gib, amb.listedBytes());
        assertEquals(6 * gib, amb.totalBytes());
        assertEquals(1, amb.wraps());
        assertFalse(amb.corrected());
        assertEquals(0, amb.correctedBlocks());
        assertTrue(amb.reason().contains("cannot tell which of the listed blocks"), amb.reason());
        assertEquals(List.of(gib, gib), two.callSites().stream().map(CallSite::bytes).toList(), "as printed");

        // run 3: nothing left, nothing to check
        assertNull(log.runs().get(2).exitReport().sizeWrap());
        // the memory limit line prints the whole value where 'memory used' wrapped
        ResmonRun r1 = log.runs().get(0);
        assertEquals(5_372_000_061L + 96, r1.limitEvents().get(0).to());
        assertEquals(5_372_000_061L + 96 - (1L << 32), r1.memory().peakValue());
        assertEquals(r1.limitEvents().get(0), r1.memoryWrap(), "the samples are modulo 4 GiB: said once, with where");
        assertEquals(4, r1.memoryWrap().time().line());
        assertNull(log.runs().get(2).memoryWrap(), "a 200 MiB peak: nothing wrapped");
    }

    @Test
    void aHugeReportIsHeldAsItsCallSites() throws IOException {
        // 100,000 leaked blocks from 3 call sites: what stays in memory is 3 groups and a few examples
        Path p = tmp.resolve("huge.log");
        try (var w = Files.newBufferedWriter(p, StandardCharsets.US_ASCII)) {
            String pre = "[77] big.exe|resmon| ";
            long seq = 1;
            w.write(String.format("%08d\t1.00000000\t%sthreads used 2, sync object used 0, memory used 100%n", seq++, pre));
            String[] head = {"=========== CHECK UNRELEASED RESOUCRES ============",
                    "------------ resmon memory usage 4800000 ----------------",
                    "------------------ memory usage 6400000 -----------------"};
            for (String h : head) {
                w.write(String.format("%08d\t2.00000000\t%s%s%n", seq++, pre, h));
            }
            for (int i = 0; i < 100_000; i++) {
                long ret = 0x00007FF6C2A80000L + 0x100 * (i % 3);
                w.write(String.format("%08d\t2.00000000\t%sbase 0x%016X size 64 tag 0000000000510000 (Heap)%n", seq++, pre,
                        0x10000000L + 64L * i));
                w.write(String.format("%08d\t2.00000000\t%screated by [9] thread%n", seq++, pre));
                w.write(String.format("%08d\t2.00000000\t%sreturnAddress 0x%016X%n", seq++, pre, ret));
                w.write(String.format("%08d\t2.00000000\t%s%s%n", seq++, pre, "-".repeat(51)));
            }
            for (String t : new String[] {"------------------ thread usage 0 -----------------",
                    "--------------- sync object usage 0 ---------------",
                    "-------------------- allocations detail ----------------------------", "-".repeat(68),
                    "error ... not all resources free", "=".repeat(51)}) {
                w.write(String.format("%08d\t3.00000000\t%s%s%n", seq++, pre, t));
            }
        }
        ResmonLog log = read(p);
        assertEquals(List.of(), log.problems());
        ResmonReport r = log.runs().get(0).exitReport();
        assertTrue(r.complete());
        assertEquals(100_000, r.resourcesListed());
        assertEquals(3, r.callSites().size());
        assertEquals(33_334 * 64, r.callSites().get(0).bytes());
        assertEquals(ResmonLogOptions.defaults().maxExamples(), r.examples().size());
    }

    /** resmon.dll's own notes: a snapshot on request is not a stray line, a crash without a debugger is kept. */
    @Test
    void windowsTrackerNotes() throws IOException {
        Path log = tmp.resolve("dll.log");
        String p = "[4242] app.exe|resmon| ";
        Files.writeString(log, String.join("\n",
                "00000001\t0.0\t" + p + "module 0x0000000140000000 size 262144 Z:\\build\\app.exe",
                "00000002\t0.1\t" + p + "threads used 0, sync object used 0, memory used 0",
                "00000003\t0.2\t" + p + "snapshot written Z:\\snaps\\resmon-4242-1.umdh",
                "00000004\t0.3\t" + p + "threads used 0, sync object used 0, memory used 100",
                "00000005\t0.4\t" + p + "unhandled exception 0xC0000005 at 0x0000000140001234", ""));
        ResmonLog read = read(log);
        assertEquals(List.of(), read.problems());
        assertEquals(1, read.runs().size());
        ResmonRun run = read.runs().get(0);
        assertEquals(2, run.memory().count());
        assertEquals("unhandled exception 0xC0000005 at 0x0000000140001234 (line 5)", run.crash());
        assertNull(run.exitReport());
    }

    /**
     * The trackers' module lines carry each module's identity, read as a minidump's module list gives it; lines
     * without the fields (older logs, a library without a build id) still name the module by path and size.
     */
    @Test
    void trackerModuleLinesWithAndWithoutIds() throws IOException {
        ResmonLog log = read(testdata("resmon_tracker_module_ids.log"));
        assertEquals(List.of(), log.problems());
        ResmonRun linux = log.runs().get(0);
        assertEquals(List.of(
                new Module(0x000055886B8EB000L, 17328, "/opt/plant/bin/plantd", "plantd",
                        "E7F3D28B9BC5A134D4F0C3A2E1B0A9F80", null, "8bd2f3e7c59b34a1d4f0c3a2e1b0a9f8e7d6c5b4"),
                new Module(0x00007F3A12000000L, 16400, "/opt/plant/lib/libplant.so", "libplant.so",
                        "67452301AB89EFCD00112233445566770", null, "0123456789abcdef0011223344556677deadbeef"),
                new Module(0x00007F3A12400000L, 8192, "/opt/plant/lib/libnoid.so", null, null, null, null),
                new Module(0x00007FFD5A3F1000L, 5474, "linux-vdso.so.1", "linux-vdso.so.1",
                        "1950B3B3DF864885944F8C990F327ACA0", null, "b3b3501986df8548944f8c990f327aca")),
                linux.modules().modules());
        assertEquals(List.of("plantd+0x1234", "libplant.so+0x1234", "libnoid.so+0x1234"),
                linux.report().callSites().stream().map(s -> linux.frame(s.returnAddress()).describe()).toList());

        ResmonRun windows = log.runs().get(1);
        assertEquals(List.of(
                new Module(0x0000000140000000L, 262144, "Z:\\Program Files\\App\\app.exe", "my app.pdb",
                        "5A9832E5287241C1838ED98914E9B7FF1", null, "5F3A1B2C40000"),
                new Module(0x00007FF8A1B20000L, 1200128, "C:\\windows\\system32\\kernelbase.dll", null, null, null,
                        "0A1B2C3D125000"),
                new Module(0x00007FF8A3C40000L, 2011136, "C:\\windows\\system32\\ntdll.dll", null, null, null, null)),
                windows.modules().modules());
        assertEquals("app.exe+0x2000", windows.frame(0x0000000140002000L).describe());
    }

    /**
     * A module line whose identity field is damaged, or out of place (a field name never begins a path), is a
     * warning naming the line, and names no module.
     */
    @Test
    void damagedModuleIdsAreReportedNotGuessed() throws IOException {
        String[] bad = {"buildid 0123abc /lib/odd.so", "buildid 01xz /lib/nothex.so", "buildid 0123abcd",
            "debugid 5A9832E5287241C1838ED98914E9B7FF /x/short.exe", "pdb a.pdb Z:\\x\\nodebugid.exe",
            "debugid 5A9832E5287241C1838ED98914E9B7FF1 pdb a%2.pdb Z:\\x\\badescape.exe",
            "timestamp 0x123456789 Z:\\x\\wide.exe", "timestamp 5F3A1B2C Z:\\x\\no0x.exe",
            "timestamp 0x5F3A1B2C timestamp 0x5F3A1B2C Z:\\x\\twice.exe"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bad.length; i++) {
            text.append(String.format("%08d\t0.0\t[7300] x|resmon| module 0x%016X size 4096 %s%n", i + 1,
                    0x10000000L * (i + 1), bad[i]));
        }
        text.append(String.format("%08d\t0.1\t[7300] x|resmon| threads used 1, sync object used 0, memory used 0%n",
                bad.length + 1));
        Path p = tmp.resolve("bad-ids.log");
        Files.writeString(p, text);
        ResmonLog log = read(p);
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < bad.length; i++) {
            expected.add("line " + (i + 1));
        }
        assertEquals(expected, log.problems().stream().map(q -> "line " + q.line()).toList(),
                log.problems().toString());
        assertTrue(log.problems().get(0).message().contains("module 0xBASE size BYTES [buildid HEX"),
                log.problems().get(0).message());
        assertEquals(List.of(), log.runs().get(0).modules().modules());
    }

    /**
     * Leakscope's trackers write each record's whole stack after its return address (docs/formats/resmon.md §9):
     * records with the same return address and other callers are other stacks, the C++ hooks' heap type names
     * are read as heap blocks, and a record without a stack line is its return address alone.
     */
    @Test
    void stackLinesKeepEachRecordsWholeStack() throws IOException {
        ResmonLog log = read(testdata("resmon_cpp_stacks.log"));
        assertEquals(List.of(), log.problems());
        ResmonReport r = log.runs().get(0).exitReport();
        long app = 0x000055D0A0C00000L;
        List<CallSite> newInOpen = r.callSites().stream().filter(s -> s.returnAddress() == app + 0x1234).toList();
        assertEquals(Set.of(List.of(app + 0x1234, app + 0x1010), List.of(app + 0x1234, app + 0x1024)),
                Set.copyOf(newInOpen.stream().map(CallSite::stack).toList()), "one return address, two callers");
        assertEquals(List.of(3L, 3L), newInOpen.stream().map(CallSite::count).toList());
        CallSite viaMalloc = r.callSites().stream().filter(s -> s.types().equals(Set.of("Malloc")) && s.count() == 6)
                .findFirst().orElseThrow();
        assertEquals(List.of(0x00007F3A1BE9A3C0L, 0x00007F3A1C2BC01CL, app + 0x182c, app + 0x165c, app + 0x1440,
                app + 0x1230, app + 0x1010), viaMalloc.stack());
        assertEquals(0x00007F3A1BE9A3C0L, viaMalloc.returnAddress());
        CallSite original = r.callSites().stream().filter(s -> s.returnAddress() == app + 0x1060).findFirst()
                .orElseThrow();
        assertEquals(List.of(app + 0x1060), original.stack(), "no stack line: the return address alone");
        assertEquals(Set.of("New", "New[]", "New align", "Malloc"), Set.copyOf(r.callSites().stream()
                .flatMap(s -> s.types().stream()).toList()));
        assertTrue(r.callSites().stream().allMatch(s -> s.kind() == ResourceKind.HEAP_BLOCK));
        assertEquals(26, r.callSites().stream().mapToLong(CallSite::count).sum());
    }

    /** A stack line that does not start with the return address, or is not addresses, is a warning; the record stays. */
    @Test
    void aDamagedStackLineIsAWarningAndTheRecordKeepsItsReturnAddress() throws IOException {
        String[] bad = {"stack 0x0000000000401000 0x0000000000402000", "stack 0x0000000000401234 zz",
            "stack 0x0000000000401234  0x0000000000402000", "stack " + "0x0000000000401234 ".repeat(65).strip()};
        StringBuilder text = new StringBuilder();
        int n = 0;
        String p = "[7300] x|resmon| ";
        text.append(String.format("%08d\t0.0\t%sthreads used 1, sync object used 0, memory used 0%n", ++n, p));
        for (String line : new String[] {"=========== CHECK UNRELEASED RESOUCRES ============",
            "------------ resmon memory usage 0 ----------------", "------------------ memory usage 40 -----------------"}) {
            text.append(String.format("%08d\t0.1\t%s%s%n", ++n, p, line));
        }
        List<Long> badLines = new java.util.ArrayList<>();
        for (String s : bad) {
            for (String line : new String[] {"base 0x0000000000A00000 size 10 tag 0000000000000000 (New)",
                "created by [7300] thread", "returnAddress 0x0000000000401234", s, "-".repeat(51)}) {
                text.append(String.format("%08d\t0.1\t%s%s%n", ++n, p, line));
                if (line == s) {
                    badLines.add((long) n);
                }
            }
        }
        text.append(String.format("%08d\t0.1\t%s%s%n", ++n, p, "=".repeat(51)));
        Path file = tmp.resolve("bad-stacks.log");
        Files.writeString(file, text);
        ResmonLog log = read(file);
        assertEquals(badLines, log.problems().stream().map(q -> q.line()).toList(), log.problems().toString());
        assertTrue(log.problems().get(0).message().contains("a stack line after returnAddress"),
                log.problems().get(0).message());
        CallSite site = log.runs().get(0).exitReport().callSites().get(0);
        assertEquals(4, site.count());
        assertEquals(List.of(0x401234L), site.stack());
    }

    /**
     * A NUL anywhere in a resmon line past the first 1,000 lines (its columns, pid, program name, numbers,
     * trailing blanks) fails the read as binary data at that line, on one thread and on two.
     */
    @Test
    void aNulByteAnywhereInAResmonLineIsBinaryData() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 1200; i++) {
            sb.append(String.format("%08d\t%d.25000000\t[42] app.exe|resmon| threads used 3, sync object used 7,"
                    + " memory used %d  \r\n", i, i, 1000 + i));
        }
        byte[] clean = sb.toString().getBytes(StandardCharsets.US_ASCII);
        String line = String.format("%08d\t%d.25000000\t[42] app.exe|resmon| threads used 3, sync object used 7,"
                + " memory used %d  ", 1100, 1100, 2100);
        int at = sb.indexOf(line);
        assertTrue(at > 0);
        Path p = tmp.resolve("nul.log");
        Files.write(p, clean);
        assertEquals(1200, ResmonLogReader.read(p, ResmonLogOptions.defaults().withThreads(1)).resmonLines());
        int bar = line.indexOf("|resmon| ");
        for (int k = 0; k < line.length(); k++) {
            if (k >= bar && k < bar + ResmonLineFilter.MARKER.length) {
                continue; // without its marker the line is another program's, looked at no further
            }
            byte[] b = clean.clone();
            b[at + k] = 0;
            Files.write(p, b);
            for (int threads = 1; threads <= 2; threads++) {
                ResmonLogOptions o = ResmonLogOptions.defaults().withThreads(threads);
                org.leakscope.model.InputFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                        org.leakscope.model.InputFormatException.class, () -> ResmonLogReader.read(p, o), "NUL at " + k);
                assertTrue(e.getMessage().contains("binary data"), "NUL at " + k + ": " + e.getMessage());
                assertEquals(1100L, (long) e.line(), "NUL at " + k);
            }
        }
    }

    /**
     * Programs of one pid whose names differ only in one byte - at every place of names 1 to 40 bytes long,
     * around the 8 and 16 bytes a line's run is first looked up by - keep runs of their own, on one thread and two.
     */
    @Test
    void namesDifferingInOneByteAnywhereKeepTheirOwnRuns() throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (int len = 1; len <= 40; len++) {
            String base = "abcdefghijklmnopqrstuvwxyz0123456789ABCD".substring(0, len);
            names.add(base);
            for (int at = 0; at < len; at += Math.max(1, len / 5)) {
                names.add(base.substring(0, at) + "_" + base.substring(at + 1));
            }
            names.add(base.substring(0, len - 1) + "_");
        }
        names = List.copyOf(new java.util.LinkedHashSet<>(names));
        StringBuilder sb = new StringBuilder();
        int seq = 1;
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < names.size(); k++) {
                sb.append(String.format("%08d\t%d.50000000\t[4242] %s|resmon| threads used 1, sync object used 1,"
                        + " memory used %d \n", seq, seq, names.get(k), 1000 * k + round));
                seq++;
            }
        }
        Path p = tmp.resolve("names.log");
        Files.writeString(p, sb.toString(), StandardCharsets.US_ASCII);
        for (int threads = 1; threads <= 2; threads++) {
            ResmonLog log = ResmonLogReader.read(p, ResmonLogOptions.defaults().withThreads(threads), null, 4096);
            assertEquals(names.size(), log.runs().size());
            for (ResmonRun run : log.runs()) {
                int k = names.indexOf(run.module());
                assertTrue(k >= 0, run.module());
                assertEquals(3, run.memory().count(), run.module());
                assertEquals(1000.0 * k + 2, run.memory().lastValue(), run.module());
            }
        }
    }
}
