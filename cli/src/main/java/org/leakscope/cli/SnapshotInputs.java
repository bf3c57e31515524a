package org.leakscope.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.ReadProgress;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.analysis.SnapshotRead;
import org.leakscope.analysis.SnapshotReads;

/** A command's inputs to compare, read by the analysis layer with the progress on the terminal. */
final class SnapshotInputs {
    private SnapshotInputs() {
    }

    /**
     * Reads every file, {@code threads} at once (see {@link SnapshotReads#read}); a log without a run to compare
     * is a usage error.
     */
    static List<SnapshotInput> read(String verb, List<Path> paths, List<InputKind> kinds, List<Settings> settings,
            List<Integer> runs, Progress progress, int threads) throws IOException {
        List<SnapshotInput> out = new ArrayList<>();
        for (SnapshotRead r : SnapshotReads.read(verb, paths, kinds, settings, runs, progress(verb, progress),
                threads)) {
            out.add(RunChoice.input(r));
        }
        return out;
    }

    /** The command's progress line as the analysis layer's progress sink. */
    static ReadProgress progress(String verb, Progress progress) {
        return new ReadProgress() {
            @Override
            public java.util.function.LongConsumer file(String name, long size) {
                return progress.forFile(verb, name, size);
            }

            @Override
            public void done() {
                progress.done();
            }
        };
    }
}
