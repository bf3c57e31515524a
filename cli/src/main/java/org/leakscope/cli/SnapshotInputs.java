package org.leakscope.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.Leakdiffs;
import org.leakscope.analysis.ReadProgress;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.analysis.SnapshotRead;
import org.leakscope.analysis.SnapshotReads;
import org.leakscope.model.FrameCodes;

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
        return read(verb, paths, kinds, settings, runs, progress, threads, null);
    }

    /**
     * Reads the inputs indexed with {@code indexed}'s frame codes ({@link org.leakscope.analysis.IndexedKeys#codes}),
     * and again whole when the index cannot stand for them ({@link Leakdiffs#indexStandsFor}: alias stacks, say);
     * null reads them whole at once.
     */
    static List<SnapshotInput> read(String verb, List<Path> paths, List<InputKind> kinds, List<Settings> settings,
            List<Integer> runs, Progress progress, int threads, Supplier<FrameCodes> indexed) throws IOException {
        if (indexed != null) {
            List<SnapshotInput> in = readAs(verb, paths, kinds, settings, runs, progress, threads, indexed);
            if (Leakdiffs.indexStandsFor(in)) {
                return in;
            }
        }
        return readAs(verb, paths, kinds, settings, runs, progress, threads, null);
    }

    private static List<SnapshotInput> readAs(String verb, List<Path> paths, List<InputKind> kinds,
            List<Settings> settings, List<Integer> runs, Progress progress, int threads, Supplier<FrameCodes> indexed)
            throws IOException {
        List<SnapshotInput> out = new ArrayList<>();
        for (SnapshotRead r : SnapshotReads.read(verb, paths, kinds, settings, runs, progress(verb, progress),
                threads, indexed)) {
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
