package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.leakscope.symbols.SymbolStore;

/**
 * Triage over many files on one machine: {@code threads} workers each take the next file, so exactly that many
 * files are open at once whatever the folder holds (memory stays flat: a record is kept only until the sink has
 * it). Each worker has its own symbol service. Files a {@link Memory} remembers are not read at all.
 */
public final class TriageRun {
    /** What earlier runs learned ({@code --state}); {@link #NONE} remembers nothing. */
    public interface Memory {
        Memory NONE = new Memory() {
            @Override
            public String hashOf(Path file, long size, long modifiedMillis) {
                return null;
            }

            @Override
            public TriageRecord recordOf(String sha256) {
                return null;
            }
        };

        /** The content hash of a file seen before at this path with this size and time, else null (then hashed). */
        String hashOf(Path file, long size, long modifiedMillis);

        /** The record of a file with this content, or null when none was made yet. */
        TriageRecord recordOf(String sha256);
    }

    /**
     * One file done.
     *
     * @param record         its record
     * @param remembered     true when it came from the {@link Memory}, not from reading the file
     * @param modifiedMillis the file's last-modified time when it was looked at
     */
    public record Outcome(TriageRecord record, boolean remembered, long modifiedMillis) {
    }

    /** Receives every outcome, one at a time (calls are serialized), in the order files finish. */
    public interface Sink {
        void accept(Outcome outcome) throws IOException;
    }

    /** Told after each file: files and bytes done out of the totals. */
    public interface Progress {
        Progress NONE = (files, total, bytes, totalBytes) -> { };

        void update(long files, long totalFiles, long bytes, long totalBytes);
    }

    /**
     * How the run went: files read (records made), files remembered, files whose content was hashed (every file
     * read, and remembered ones not known by path, size and time), and the time taken.
     */
    public record Stats(int read, int remembered, int hashed, long nanos) {
    }

    private final Triage triage;
    private final Settings settings;
    private final int threads;

    /** @param threads workers, so also the files in flight at once (at least 1) */
    public TriageRun(Settings settings, int threads) {
        this.settings = settings;
        this.triage = new Triage(settings);
        this.threads = Math.max(1, threads);
    }

    /** Every file once; a failure to read one file is its record, an exception of the sink ends the run. */
    public Stats run(List<Path> files, Memory memory, Sink sink, Progress progress) throws IOException {
        long start = System.nanoTime();
        long totalBytes = 0;
        for (Path p : files) {
            totalBytes += sizeOrZero(p);
        }
        long total = totalBytes;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger read = new AtomicInteger();
        AtomicInteger remembered = new AtomicInteger();
        AtomicInteger hashed = new AtomicInteger();
        AtomicLong bytesDone = new AtomicLong();
        Object lock = new Object();
        Throwable[] sinkFailure = new Throwable[1];
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            Thread t = new Thread(() -> {
                try (SymbolStore symbols = settings.openSymbols()) {
                    for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                        Path p = files.get(i);
                        Outcome o;
                        try {
                            o = one(p, memory, symbols, hashed);
                        } catch (RuntimeException | Error e) { // Triage keeps its own failures: this is worse
                            synchronized (lock) {
                                sinkFailure[0] = sinkFailure[0] == null ? e : sinkFailure[0];
                                next.set(files.size());
                            }
                            return;
                        }
                        (o.remembered() ? remembered : read).incrementAndGet();
                        synchronized (lock) {
                            if (sinkFailure[0] != null) {
                                return;
                            }
                            try {
                                sink.accept(o);
                            } catch (IOException | RuntimeException | Error e) {
                                sinkFailure[0] = e;
                                next.set(files.size()); // the others stop after their current file
                                return;
                            }
                            progress.update(read.get() + remembered.get(), files.size(),
                                    bytesDone.addAndGet(o.record().size()), total);
                        }
                    }
                }
            }, "triage-" + w);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        Throwable f = sinkFailure[0];
        if (f instanceof IOException e) {
            throw e;
        } else if (f instanceof RuntimeException e) {
            throw e;
        } else if (f instanceof Error e) {
            throw e;
        }
        return new Stats(read.get(), remembered.get(), hashed.get(), System.nanoTime() - start);
    }

    private Outcome one(Path p, Memory memory, SymbolStore symbols, AtomicInteger hashed) {
        long size;
        long modified;
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            size = a.size();
            modified = a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return new Outcome(triage.record(p, null, symbols), false, 0); // the record says why
        }
        String hash = memory.hashOf(p, size, modified);
        if (hash == null) {
            try {
                hashed.incrementAndGet();
                hash = ContentHash.sha256(p);
            } catch (IOException e) {
                return new Outcome(triage.record(p, null, symbols), false, modified);
            }
        }
        TriageRecord known = memory.recordOf(hash);
        if (known != null) {
            return new Outcome(known.at(p.toString()), true, modified);
        }
        return new Outcome(triage.record(p, hash, symbols), false, modified);
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
