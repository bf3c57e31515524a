package org.leakscope.analysis;

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
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.Snapshot;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.umdh.UmdhSnapshotReader;

/**
 * Reads the inputs of a comparison by what their content is. Snapshots are read in parallel (up to the threads
 * asked for, one file each): two 1 GB UMDH logs are read in the time of one.
 */
public final class SnapshotReads {
    private SnapshotReads() {
    }

    /** Reads every file with one thread per core ({@link #read(String, List, List, List, List, ReadProgress, int)}). */
    public static List<SnapshotRead> read(String verb, List<Path> paths, List<InputKind> kinds,
            List<Settings> settings, List<Integer> runs, ReadProgress progress) throws IOException {
        return read(verb, paths, kinds, settings, runs, progress, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Reads every file, in parallel, the results in the order given.
     *
     * @param verb     the front end asking (names the reader threads and the error for a dump without a table)
     * @param kinds    what each file is ({@link Inputs#detect})
     * @param settings each file's settings (a log's own process filter)
     * @param runs     each log's run number, or null for the last run with a report (null for other inputs)
     * @param threads  worker threads (at least 1; no more than files are used)
     */
    public static List<SnapshotRead> read(String verb, List<Path> paths, List<InputKind> kinds,
            List<Settings> settings, List<Integer> runs, ReadProgress progress, int threads) throws IOException {
        return read(verb, paths, kinds, settings, runs, progress, threads, null);
    }

    /**
     * {@link #read(String, List, List, List, List, ReadProgress, int)}, UMDH snapshots read indexed with frame
     * codes from {@code indexed} ({@link IndexedKeys#codes()}) when it is not null.
     */
    public static List<SnapshotRead> read(String verb, List<Path> paths, List<InputKind> kinds,
            List<Settings> settings, List<Integer> runs, ReadProgress progress, int threads,
            Supplier<FrameCodes> indexed) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(paths.size(), threads)), r -> {
            Thread t = new Thread(r, verb + "-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SnapshotRead>> futures = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                Path p = paths.get(i);
                InputKind k = kinds.get(i);
                LongConsumer bytes = progress.file(p.getFileName().toString(), Files.size(p));
                Settings st = settings.get(i);
                InputOptions o = new InputOptions(st.umdh().withProgress(bytes), st.log());
                Integer run = runs.get(i);
                // made here, in input order, not on the pool: IndexedKeys orders the modules named by it
                FrameCodes codes = indexed != null && k == InputKind.UMDH_SNAPSHOT ? indexed.get() : null;
                futures.add(pool.submit(() -> switch (k) {
                    case UMDH_SNAPSHOT -> new SnapshotRead.Read(SnapshotInput.umdh(p.toString(), codes != null
                            ? UmdhSnapshotReader.readIndexed(p, o.umdh().withProgress(bytes), codes)
                            : ((Input.UmdhSnapshotFile) Inputs.open(p, k, o, bytes)).log()));
                    case UMDH_COMPARE -> new SnapshotRead.Read(SnapshotInput.compare(p.toString(),
                            ((Input.UmdhCompareFile) Inputs.open(p, k, o, bytes)).log()));
                    case RESMON_LOG -> pick(p.toString(), ((Input.DebugViewLog) Inputs.open(p, k, o, bytes)).log(),
                            run, o, st);
                    case TABLE_IMAGE -> table(p, k, TableSnapshots.fromImage(p, st.limits()));
                    case MINIDUMP -> table(p, k, TableSnapshots.fromDump(p, st.limits(), verb, progress));
                }));
            }
            List<SnapshotRead> out = new ArrayList<>();
            for (Future<SnapshotRead> f : futures) {
                out.add(get(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
            progress.done();
        }
    }

    private static SnapshotRead pick(String path, ResmonLog log, Integer run, InputOptions o, Settings st) {
        RunSelection choice = RunSelection.choose(path, log, run, o.log());
        if (choice instanceof RunSelection.Chosen c) {
            List<String> notes = new ArrayList<>(c.note() == null ? List.of() : List.of(c.note()));
            ResmonRun r = RunModules.place(path, c.run(), st, notes); // a run without a module list: its files
            Snapshot s = r == c.run() ? c.snapshot() : r.snapshot(path, log.problems());
            return new SnapshotRead.Read(new SnapshotInput(path, null, null, log, r, s,
                    notes.isEmpty() ? null : String.join("; ", notes)));
        }
        return new SnapshotRead.NoRunChosen(path, choice, FilterMiss.of(o.log(), List.of(log)));
    }

    private static SnapshotRead table(Path p, InputKind k, TableSnapshots.TableSnapshot t) {
        return new SnapshotRead.Read(SnapshotInput.table(p.toString(), k, t.snapshot(), t.note()));
    }

    private static SnapshotRead get(Future<SnapshotRead> f) throws IOException {
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
