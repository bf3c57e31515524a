package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.LogAnalysis;
import org.leakscope.analysis.LogReport;
import org.leakscope.analysis.LoggedRun;
import org.leakscope.analysis.ReadProgress;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotReads;
import org.leakscope.resmon.DebugViewOptions;
import org.leakscope.resmon.DebugViewReader;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogReader;
import org.leakscope.resmon.ResmonRun;

/**
 * DebugView captures with resmon output: the framing reader line by line, then logscan's operation (runs,
 * reports, verdicts, findings) and leakdiff's choice of a run, as the commands call them.
 */
class ResmonLogFuzzTest {
    private static final Settings SETTINGS = Settings.defaults();

    @FuzzTest(maxDuration = "30s")
    void log(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.log", input);
        ReaderContract.check("resmon log", () -> {
            DebugViewOptions dv = DebugViewOptions.defaults();
            ResmonLogReader.sniff(file, dv);
            try (DebugViewReader r = DebugViewReader.open(file, dv)) {
                while (r.next() != null) {
                    r.requireText();
                    r.elapsedSeconds();
                    r.clockMillis();
                    r.date();
                    r.framed();
                }
                r.computer();
                r.encoding();
                r.problems();
            }
            ResmonLog log = LogAnalysis.readLog(file, SETTINGS, null);
            LogReport report = LogAnalysis.assess(List.of(log), SETTINGS, null);
            report.counts();
            for (LoggedRun run : report.runs()) {
                run.trend("memory used");
                for (var site : run.sites()) {
                    run.typeNames(site);
                }
                ResmonRun r = run.run();
                r.label();
                r.snapshot(file.toString(), log.problems());
            }
            SnapshotReads.read("leakdiff", List.of(file), List.of(InputKind.RESMON_LOG), List.of(SETTINGS),
                    java.util.Collections.singletonList(null), ReadProgress.NONE);
        });
    }
}
