package org.leakscope.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.leakscope.analysis.Input;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.InputOptions;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.ReadProgress;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.analysis.TableSnapshots;

/**
 * Finds out what each input file is from its content and reads it. Snapshots are read in parallel (one per
 * core): two 1 GB UMDH logs are read in the time of one.
 */
final class SnapshotInputs {
    private SnapshotInputs() {
    }

    /** Reads every file, each with its own settings (a log's process filter); snapshots in parallel, in order. */
    static List<SnapshotInput> read(String verb, List<Path> paths, List<InputKind> kinds, List<Settings> settings,
            List<Integer> runs, Progress progress) throws IOException {
        int threads = Math.max(1, Math.min(paths.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, verb + "-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SnapshotInput>> futures = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                Path p = paths.get(i);
                InputKind k = kinds.get(i);
                java.util.function.LongConsumer bytes = progress.forFile(verb, p.getFileName().toString(), Files.size(p));
                Settings st = settings.get(i);
                InputOptions o = new InputOptions(st.umdh().withProgress(bytes), st.log());
                Integer run = runs.get(i);
                futures.add(pool.submit(() -> switch (k) {
                    case UMDH_SNAPSHOT -> SnapshotInput.umdh(p.toString(),
                            ((Input.UmdhSnapshotFile) Inputs.open(p, k, o, bytes)).log());
                    case UMDH_COMPARE -> SnapshotInput.compare(p.toString(),
                            ((Input.UmdhCompareFile) Inputs.open(p, k, o, bytes)).log());
                    case RESMON_LOG -> RunChoice.pick(p.toString(),
                            ((Input.DebugViewLog) Inputs.open(p, k, o, bytes)).log(), run, o.log());
                    case TABLE_IMAGE -> table(p, k, TableSnapshots.fromImage(p, st.limits()));
                    case MINIDUMP -> table(p, k,
                            TableSnapshots.fromDump(p, st.limits(), verb, progress(verb, progress)));
                }));
            }
            List<SnapshotInput> out = new ArrayList<>();
            for (Future<SnapshotInput> f : futures) {
                out.add(get(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
            progress.done();
        }
    }

    private static SnapshotInput table(Path p, InputKind k, TableSnapshots.TableSnapshot t) {
        return SnapshotInput.table(p.toString(), k, t.snapshot(), t.note());
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

    private static SnapshotInput get(Future<SnapshotInput> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(c));
        }
    }
}
