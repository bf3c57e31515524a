package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.LeakdiffReport;
import org.leakscope.analysis.LeakdiffRequest;
import org.leakscope.analysis.Leakdiffs;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.diff.StackTrend;
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
            indexedEqualsWhole(file, log);
        });
    }

    /** The project's own snapshot (testdata): the partner an input is compared with, both ways. */
    private static final Path PARTNER = Path.of("..", "testdata", "umdh", "leaky_1.log");

    /**
     * A compare read indexed (stacks keyed while read, changed ones read again) must be the compare read whole,
     * whenever the index says it can stand for the log: the input against a fixed snapshot and back, so that its
     * stacks change and are read again.
     */
    private static void indexedEqualsWhole(Path file, UmdhSnapshotLog log) throws Exception {
        UmdhSnapshotLog partner = UmdhSnapshotReader.read(PARTNER, UmdhOptions.defaults());
        var kinds = List.of(InputKind.UMDH_SNAPSHOT, InputKind.UMDH_SNAPSHOT);
        try (var keys = Leakdiffs.indexedKeys(kinds, SETTINGS, COMPARE)) {
            var codes = keys.codes();
            SnapshotInput in = SnapshotInput.umdh(file.toString(), log);
            SnapshotInput other = SnapshotInput.umdh(PARTNER.toString(), partner);
            SnapshotInput inIndexed = SnapshotInput.umdh(file.toString(),
                    UmdhSnapshotReader.readIndexed(file, UmdhOptions.defaults(), codes.get()));
            SnapshotInput otherIndexed = SnapshotInput.umdh(PARTNER.toString(),
                    UmdhSnapshotReader.readIndexed(PARTNER, UmdhOptions.defaults(), codes.get()));
            if (!Leakdiffs.indexStandsFor(List.of(inIndexed, otherIndexed))) {
                return;
            }
            for (boolean inFirst : new boolean[] {true, false}) {
                var whole = (LeakdiffReport.Compare) Leakdiffs.analyse(inFirst ? List.of(in, other)
                        : List.of(other, in), SETTINGS, COMPARE);
                var indexed = (LeakdiffReport.Compare) Leakdiffs.analyse(inFirst ? List.of(inIndexed, otherIndexed)
                        : List.of(otherIndexed, inIndexed), SETTINGS, COMPARE, keys);
                if (!whole.comparison().equals(indexed.comparison()) || !whole.shown().equals(indexed.shown())) {
                    throw new AssertionError("indexed compare differs from the whole one:\n" + whole.comparison()
                            + "\n" + indexed.comparison());
                }
            }
            var wholeTrend = (LeakdiffReport.Trend) Leakdiffs.analyse(List.of(in, other, in), SETTINGS, TREND);
            var indexedTrend = (LeakdiffReport.Trend) Leakdiffs.analyse(List.of(inIndexed, otherIndexed, inIndexed),
                    SETTINGS, TREND, keys);
            if (!rows(wholeTrend.trend().stacks()).equals(rows(indexedTrend.trend().stacks()))) {
                throw new AssertionError("indexed trend differs from the whole one:\n"
                        + rows(wholeTrend.trend().stacks()) + "\n" + rows(indexedTrend.trend().stacks()));
            }
        }
    }

    /** A trend's rows as text (their sums are arrays, which a record compares by identity). */
    private static List<String> rows(List<StackTrend> stacks) {
        return stacks.stream().map(t -> t.backtrace() + " " + t.foldedFrames() + " " + t.mergedTraces() + " "
                + Arrays.toString(t.bytes()) + " " + Arrays.toString(t.counts()) + " " + t.sustained()).toList();
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
