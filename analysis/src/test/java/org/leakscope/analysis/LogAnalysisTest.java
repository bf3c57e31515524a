package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.RunHealth.Verdict;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.ResourceKind;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.DebugViewOptions;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.testing.Required;

/** logscan's operation without the command: runs, verdicts, findings, call sites and counts as records. */
class LogAnalysisTest {
    private static final ResmonLogOptions ALL = ResmonLogOptions.defaults();

    private static LogReport analyze(ResmonLogOptions o, Path... logs) throws IOException {
        return LogAnalysis.analyze(List.of(logs), o, AllocatorFolding.defaults(), null);
    }

    private static ResmonLogOptions filter(Long pid, String process) {
        return ALL.withFilter(pid, process);
    }

    @Test
    void plantedLeakIsLeakedAndFlatUsageIsClean() throws Exception {
        LogReport r = analyze(ALL, LogFiles.testdata("resmon_soak_leaking.log"),
                LogFiles.testdata("resmon_soak_flat.log"));
        assertEquals(2, r.logs().size());
        assertEquals(6, r.runs().size());
        assertEquals(new RunCounts(6, 3, 0, 0, 3, 0), r.counts());
        assertTrue(r.counts().anyLeakedOrOverLimit(), "what --fail-on-leak stops on");
        for (LoggedRun run : r.runs()) {
            boolean leaking = run.file().contains("leaking");
            assertEquals(leaking ? Verdict.LEAKED : Verdict.CLEAN, run.health().verdict(), run.file());
            assertEquals(leaking, run.trend("memory used").sustained());
            if (leaking) {
                // planted: 2 x 50000 bytes every 30 minutes = 200 kB/h, at one call site
                assertEquals(200_000, LoggedRun.perHour("memory used", run.run().memory()), 10_000);
                AttributedSite<CallSite> top = run.sites().get(0);
                assertEquals(48, top.count());
                assertEquals(2_400_000, top.bytes());
                assertEquals(ResourceKind.HEAP_BLOCK, top.kind());
                // and one 24-byte block at a second site; the image is rebased each run: 0x00007FF7?A04A2B1
                String left = run.findings().get(0);
                assertTrue(left.startsWith("49 memory blocks (2,400,024 bytes) not freed at exit, from 2 call sites;"
                        + " the largest: 0x00007FF7"), left);
                assertTrue(left.endsWith("A04A2B1 (48 heap blocks, 2,400,000 bytes)"), left);
                assertTrue(run.findings().stream().anyMatch(f -> f.matches(
                        "memory used grows 19[45]\\.\\d KiB/h over 11\\.9 h, sustained.*")), run.findings().toString());
            } else {
                assertEquals(List.of("everything tracked was freed at exit"), run.findings());
                assertTrue(run.sites().isEmpty());
            }
        }
        assertEquals(List.of(), r.warnings());
        assertFalse(r.filterMatchedNothing());
    }

    /** A run that leaked and broke a limit counts in both; one without an exit report is incomplete. */
    @Test
    void countsAndVerdictsOfTheX64Sample() throws Exception {
        LogReport r = analyze(ALL, LogFiles.testdata("resmon_user_x64_exit_report.log"));
        assertEquals(new RunCounts(2, 1, 1, 1, 0, 1), r.counts());
        assertTrue(r.counts().anyLeakedOrOverLimit());
        LoggedRun last = r.runs().get(1);
        assertEquals(Verdict.INCOMPLETE, last.health().verdict());
        assertTrue(last.findings().stream().anyMatch(f -> f.startsWith("no exit report: still running when the"
                + " capture ended, or it crashed")), last.findings().toString());
    }

    @Test
    void sizesOver4GibAreCorrectedWhenSettled() throws Exception {
        LogReport r = analyze(ALL, LogFiles.testdata("resmon_x64_blocks_over_4gib.log"));
        assertEquals(new RunCounts(3, 2, 3, 2, 0, 0), r.counts());
        LoggedRun first = r.runs().get(0);
        assertEquals(5_368_709_120L, first.sites().get(0).bytes(), "listed as 1073741824");
        assertTrue(first.findings().contains("resmon listed 1 block modulo 4 GiB (x64 resmon's 'size %u'): the sizes"
                + " as printed add up to 1,077,032,765 bytes, 4 GiB short of the report's memory usage 5,372,000,061;"
                + " the allocation-size table settles which, so its size is corrected (+4 GiB at 0x00007FF7B0001A2B)"),
                first.findings().toString());
        assertEquals(1_073_741_824L, r.runs().get(1).sites().get(0).bytes(), "not settled: as printed");
    }

    @Test
    void pidAndProcessSelectRuns() throws Exception {
        Path log = LogFiles.testdata("resmon_kernel_and_x86_clock.log");
        LogReport kernel = analyze(filter(null, "kernelmode_test"), log);
        assertEquals(2, kernel.runs().size());
        assertTrue(kernel.runs().get(0).run().kernel());
        assertEquals("23:59:30", kernel.runs().get(0).run().start().clock().toString());
        LogReport app = analyze(filter(3300L, null), log);
        assertEquals(1, app.runs().size());
        assertEquals(3300L, app.runs().get(0).run().processId());
        assertEquals(Verdict.CLEAN, app.runs().get(0).health().verdict());
        assertFalse(app.filterMatchedNothing());

        Path over = LogFiles.testdata("resmon_x64_blocks_over_4gib.log");
        LoggedRun limitOnly = analyze(filter(4402L, null), over).runs().get(0);
        assertEquals(Verdict.OVER_LIMIT, limitOnly.health().verdict());
        assertFalse(limitOnly.health().leaked());
        assertEquals(new RunCounts(1, 0, 1, 0, 0, 0), RunCounts.of(List.of(limitOnly)));
    }

    @Test
    void aFilterThatMatchesNothingIsToldApartFromALogWithoutRuns() throws Exception {
        LogReport none = analyze(filter(77L, null), LogFiles.testdata("resmon_soak_flat.log"));
        assertTrue(none.runs().isEmpty());
        assertTrue(none.filterMatchedNothing());
        assertEquals(3, none.logs().get(0).leftOutCount());
        FilterMiss miss = none.filterMiss(); // what the usage error lists: the runs there are, in order
        assertEquals(77L, miss.processId());
        assertEquals(List.of(1, 2, 3), miss.logs().get(0).leftOut().stream().map(r -> r.index()).toList());
        assertFalse(analyze(ALL, LogFiles.testdata("resmon_soak_flat.log")).filterMatchedNothing());
        // a log without resmon output has no runs for any filter: not the filter's doing
        LogReport noResmon = analyze(filter(77L, null), LogFiles.corpus("lithium_dbgview_cp1251.log"));
        assertTrue(noResmon.runs().isEmpty());
        assertFalse(noResmon.filterMatchedNothing());
        assertNull(noResmon.filterMiss());
    }

    @Test
    void logsReadOneByOneGiveTheSameReportAsReadTogether() throws Exception {
        Path leaking = LogFiles.testdata("resmon_soak_leaking.log");
        Path flat = LogFiles.testdata("resmon_soak_flat.log");
        LogReading reading = new LogReading(Settings.defaults());
        reading.read(leaking, null);
        reading.read(flat, null);
        LogReport oneByOne = reading.assess(null);
        LogReport together = analyze(ALL, leaking, flat);
        assertEquals(together.runs().size(), oneByOne.runs().size());
        assertEquals(together.counts(), oneByOne.counts());
        assertEquals(List.of(leaking.toString(), flat.toString()),
                oneByOne.logs().stream().map(l -> l.source()).toList());
    }

    /** The fold list: call sites are the code that leaked; without folding, the recorded return address. */
    @Test
    void callSitesAreAttributedPastTheAllocator() throws Exception {
        Path log = LogFiles.testdata("resmon_cpp_stacks.log");
        try (SymbolStore symbols = new SymbolStore(List.of(LogFiles.testdata("cpp_symbols")))) {
            LogReport r = LogAnalysis.analyze(List.of(log), ALL, AllocatorFolding.defaults(), symbols);
            LoggedRun run = r.runs().get(0);
            List<String> sites = new ArrayList<>();
            run.sites().forEach(s -> sites.add(run.describe(s.site()) + " " + s.count() + " " + s.bytes()));
            assertEquals(List.of("cppleak!open_sessions()+0x34 6 528", "cppleak!Session::Session()+0x24 6 246",
                    "cppleak!Session::Session()+0x40 6 240", "cppleak!open_sessions()+0x90 1 64",
                    "cppleak!build_map()+0x10 1 48", "cppleak!build_map()+0x2c 1 40",
                    "cppleak!open_sessions()+0x80 1 40", "cppleak!MyQueue::push_back(int)+0x1c 2 32",
                    "cppleak!make_cycle()+0x18 1 32", "cppleak!main+0x60 1 24"), sites);
            AttributedSite<CallSite> open = run.sites().get(0);
            assertEquals(2, open.members().size(), "one call site, two callers");
            List<String> folded = new ArrayList<>();
            run.sites().get(2).attribution().folded().forEach(f -> folded.add(f.describe()));
            assertEquals("libstdc++.so.6!operator new(unsigned long)+0x1c", folded.get(1));

            LoggedRun raw = LogAnalysis.analyze(List.of(log), ALL, AllocatorFolding.none(), symbols).runs().get(0);
            List<String> unfolded = new ArrayList<>();
            raw.sites().forEach(s -> unfolded.add(raw.describe(s.site()) + " " + s.count() + " " + s.bytes()));
            assertTrue(unfolded.contains("libc.so.6+0x9a3c0 6 240"), "unfolded: the allocator's own frame " + unfolded);
            assertFalse(unfolded.contains("cppleak!Session::Session()+0x40 6 240"), unfolded.toString());
        }
    }

    @Test
    void theRealResmonLogsRunsOnlyBrokeALimit() throws Exception {
        LogReport r = analyze(ALL, LogFiles.corpus("resmon_original_usermode_test_wine.log"));
        assertEquals(new RunCounts(4, 0, 4, 0, 0, 0), r.counts());
        for (LoggedRun run : r.runs()) {
            assertEquals(Verdict.OVER_LIMIT, run.health().verdict());
            assertNull(run.run().report().sizeWrap());
        }
    }

    @Test
    void aDebugViewLogWithoutResmonHasNoRuns() throws Exception {
        ResmonLogOptions cp1251 = ALL.withDebugView(DebugViewOptions.defaults()
                .withAnsiCharset(Charset.forName("windows-1251")));
        LogReport r = analyze(cp1251, LogFiles.corpus("lithium_dbgview_cp1251.log"));
        assertEquals(0, r.runs().size());
        assertEquals("FELIX-GATEWAY", r.logs().get(0).computer());
        assertEquals(1529, r.logs().get(0).records());
        assertEquals(new RunCounts(0, 0, 0, 0, 0, 0), r.counts());
    }

    /** A renamed or lost corpus log fails here even when the tests reading it are skipped. */
    @Test
    void everyCorpusLogTheseTestsReadIsThere() {
        assertEquals(2, LogFiles.CORPUS.size());
        Required.corpusHolds(LogFiles.CORPUS);
    }

    @Test
    void whatIsNotALogIsRefusedAtLineOne(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.log"));
        InputFormatException e = assertThrows(InputFormatException.class, () -> LogAnalysis.readLog(empty, ALL, null));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().endsWith("found an empty file"), e.getMessage());
        Path prose = Files.writeString(dir.resolve("notes.txt"), "dear diary\nnothing leaked today\n");
        e = assertThrows(InputFormatException.class, () -> LogAnalysis.readLog(prose, ALL, null));
        assertTrue(e.getMessage().endsWith("found neither anywhere in the file"), e.getMessage());
    }
}
