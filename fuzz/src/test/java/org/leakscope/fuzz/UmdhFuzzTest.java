package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.LeakdiffRequest;
import org.leakscope.analysis.Leakdiffs;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.umdh.UmdhCompareLog;
import org.leakscope.umdh.UmdhCompareReader;
import org.leakscope.umdh.UmdhLogKind;
import org.leakscope.umdh.UmdhOptions;
import org.leakscope.umdh.UmdhSnapshotLog;
import org.leakscope.umdh.UmdhSnapshotReader;

/**
 * UMDH's two outputs as leakdiff reads them: a snapshot log compared with itself and followed as a trend, and a
 * compare output re-read; each file also goes through content detection, as every command's input does.
 */
class UmdhFuzzTest {
    private static final Settings SETTINGS = Settings.defaults();
    private static final LeakdiffRequest COMPARE = LeakdiffRequest.of(false, null, null, 0, 0);
    private static final LeakdiffRequest TREND = LeakdiffRequest.of(true, null, null, 0, 0);

    /** A UMDH snapshot log ({@code umdh -p:PID}): header, heaps, records, stacks. */
    @FuzzTest(maxDuration = "30s")
    void snapshot(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.log", input);
        ReaderContract.check("umdh snapshot", () -> {
            detect(file);
            UmdhSnapshotLog log = UmdhSnapshotReader.read(file, UmdhOptions.defaults());
            log.snapshot().aggregates().size();
            UmdhSnapshotReader.read(file, UmdhOptions.defaults().withStrict(true));
            SnapshotInput in = SnapshotInput.umdh(file.toString(), log);
            Leakdiffs.analyse(List.of(in, in), SETTINGS, COMPARE);
            Leakdiffs.analyse(List.of(in, in, in), SETTINGS, TREND);
        });
    }

    /** UMDH's compare output ({@code umdh old new}), in hex and in decimal. */
    @FuzzTest(maxDuration = "30s")
    void compare(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.txt", input);
        ReaderContract.check("umdh compare", () -> {
            detect(file);
            UmdhCompareLog log = UmdhCompareReader.read(file, UmdhOptions.defaults());
            Leakdiffs.analyse(List.of(SnapshotInput.compare(file.toString(), log)), SETTINGS, COMPARE);
            UmdhCompareReader.read(file, UmdhOptions.defaults().withCompareRadix(10)); // --input-radix 10
        });
    }

    /** What every command does first: the kind by content (leakdiff then reads it with the reader called here). */
    private static void detect(Path file) throws Exception {
        UmdhLogKind.detect(file, SETTINGS.limits().maxLineChars());
        Inputs.detect(file, SETTINGS.inputs());
    }
}
