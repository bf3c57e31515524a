package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.leakscope.model.InputFormatException;
import org.leakscope.resmon.DebugViewOptions;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;

/** Which run of a log a comparison uses (leakdiff's log inputs): by number, by filter, else the last with a report. */
class RunSelectionTest {
    private static final ResmonLogOptions ALL = ResmonLogOptions.defaults();

    private static RunSelection choose(Path p, Integer run, ResmonLogOptions o) throws Exception {
        ResmonLog log = LogAnalysis.readLog(p, o, null);
        return RunSelection.choose(p.toString(), log, run, o);
    }

    @Test
    void theLastRunWithAReportByDefaultSayingSo() throws Exception {
        Path p = LogFiles.testdata("resmon_soak_leaking.log");
        RunSelection.Chosen c = assertInstanceOf(RunSelection.Chosen.class, choose(p, null, ALL));
        assertEquals(3, c.run().index());
        assertEquals(4102L, c.run().processId());
        assertTrue(c.note().startsWith(p + ": holds 3 runs: 1 = soak.exe [4100] lines "), c.note());
        assertTrue(c.note().endsWith("; comparing run 3 (the last with a report; choose with --run, --pid or"
                + " --process)"), c.note());
        assertEquals(p.toString(), c.snapshot().source());
        assertEquals(4102L, c.snapshot().processId());
    }

    @Test
    void aRunByNumberOrFilter() throws Exception {
        Path p = LogFiles.testdata("resmon_soak_leaking.log");
        RunSelection.Chosen one = assertInstanceOf(RunSelection.Chosen.class, choose(p, 1, ALL));
        assertEquals(1, one.run().index());
        assertNull(one.note(), "asked for, and a complete exit report: nothing to say");
        RunSelection.Chosen pid = assertInstanceOf(RunSelection.Chosen.class, choose(p, null,
                ALL.withFilter(4101L, null)));
        assertEquals(4101L, pid.run().processId());
    }

    @Test
    void aMissingRunNumberNamesTheRunsThereAre() throws Exception {
        RunSelection.NoSuchRun n = assertInstanceOf(RunSelection.NoSuchRun.class,
                choose(LogFiles.testdata("resmon_soak_flat.log"), 9, ALL));
        assertEquals(9, n.runIndex());
        assertTrue(n.runs().startsWith("1 = soak.exe [4100] lines 2..204, 2 = soak.exe [4101] lines "), n.runs());
        assertEquals("", n.filter());
    }

    @Test
    void aFilterThatMatchesNothing() throws Exception {
        assertInstanceOf(RunSelection.FilterMatchedNothing.class,
                choose(LogFiles.testdata("resmon_soak_flat.log"), null, ALL.withFilter(77L, null)));
    }

    @Test
    void aLogWithoutRunsOrReportsIsAnInputError() throws Exception {
        ResmonLogOptions cp1251 = ALL.withDebugView(DebugViewOptions.defaults()
                .withAnsiCharset(Charset.forName("windows-1251")));
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> choose(LogFiles.corpus("lithium_dbgview_cp1251.log"), null, cp1251));
        assertEquals("no resmon output", e.found());
        assertEquals(1L, e.line());
    }
}
