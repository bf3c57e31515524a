package org.leakscope.resmon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.model.SeededHash;
import org.leakscope.textio.LineProblems;
import org.leakscope.textio.TextLines;

/**
 * Reads the resmon output in a DebugView log, streaming: lines are demultiplexed by (pid, module) for user
 * mode and by module for kernel lines, which carry no pid; other output is skipped as bytes. A run ends at its
 * exit block's closing line, so a program (or driver) started again later in the log is a new run.
 *
 * <p>Two threads share the work of a multi-GB capture: one splits lines, reads the DebugView columns and picks
 * out the resmon lines (most lines are other programs' and die there); the caller's thread follows the runs.
 * Batches of copied lines pass between them through a small queue, so memory stays bounded.
 */
public final class ResmonLogReader {
    private static final byte[] MARKER = "|resmon| ".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCHES = 4;

    /** Process ids and names come from the log: hashed with a seed, so no log can make them all share a bin. */
    record RunKey(long pid, String module) {
        @Override
        public int hashCode() {
            return SeededHash.of(pid, SeededHash.mix(module));
        }
    }

    /** Recently seen (pid, name bytes) → run, so most lines find their run without decoding the name. */
    private static final class Slot {
        long pid;
        byte[] name;
        RunBuilder run;
        RunKey key;
    }

    private final DebugViewReader reader;
    private final ResmonLogOptions options;
    private final LineProblems problems;
    private final LineCursor cursor = new LineCursor();
    private final Map<RunKey, RunBuilder> active = new LinkedHashMap<>(); // ends runs in the order they began
    private final List<ResmonRun> finished = new ArrayList<>();
    private final Slot[] slots = new Slot[256];
    private RunKey lastKey;
    private int runs;
    private long resmonLines;

    private ResmonLogReader(DebugViewReader reader, ResmonLogOptions options) {
        this.reader = reader;
        this.options = options;
        this.problems = new LineProblems(reader.source(), options.debugView().strict(), 1000, "resmon output");
    }

    public static ResmonLog read(Path path, ResmonLogOptions options) throws IOException {
        return read(path, options, null);
    }

    /** @param progress told the bytes read so far, now and then; may be null */
    public static ResmonLog read(Path path, ResmonLogOptions options, LongConsumer progress) throws IOException {
        try (DebugViewReader r = DebugViewReader.open(path, options.debugView(), progress)) {
            return new ResmonLogReader(r, options).readAll();
        }
    }

    /**
     * True when the file's first lines look like a DebugView log or contain resmon output: how a tool that
     * takes several kinds of input tells this one apart. Damage is not an error here, just a "no".
     */
    public static boolean sniff(Path path, DebugViewOptions options) throws IOException {
        try (DebugViewReader r = DebugViewReader.open(path, options)) {
            for (int i = 0; i < 1000 && r.advance(); i++) {
                if (r.framed() || marker(r.bytes(), r.rawMessageStart(), r.messageEnd()) >= 0) {
                    return true;
                }
            }
            return false;
        } catch (InputFormatException e) {
            return false;
        }
    }

    private ResmonLog readAll() throws IOException {
        BlockingQueue<LineBatch> full = new ArrayBlockingQueue<>(BATCHES);
        BlockingQueue<LineBatch> free = new ArrayBlockingQueue<>(BATCHES + 1);
        for (int i = 0; i <= BATCHES; i++) {
            free.add(new LineBatch());
        }
        Thread splitter = new Thread(() -> split(full, free), "resmon-log-splitter");
        splitter.setDaemon(true);
        splitter.start();
        long records;
        try {
            while (true) {
                LineBatch batch = full.take();
                if (batch.failure != null) {
                    throw rethrow(batch.failure);
                }
                follow(batch);
                if (batch.last) {
                    records = batch.records;
                    break;
                }
                batch.clear();
                free.put(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            splitter.interrupt();
            joinQuietly(splitter);
        }
        for (RunBuilder run : active.values()) {
            finished.add(run.build());
        }
        // Filtered only now, so runs keep the numbers an unfiltered read gives them (--run N means the same run).
        finished.sort(Comparator.comparingInt(ResmonRun::index));
        List<RunOutline> left = new ArrayList<>();
        finished.removeIf(x -> {
            boolean out = !options.accepts(x.processId() == null ? -1 : x.processId(), x.module());
            if (out && left.size() < ResmonLog.MAX_LEFT_OUT) {
                left.add(RunOutline.of(x));
            }
            return out;
        });
        List<Problem> all = new ArrayList<>(reader.problems());
        all.addAll(problems.list());
        all.sort(Comparator.comparingLong(p -> p.line() == null ? 0 : p.line()));
        return new ResmonLog(reader.source(), reader.computer(), reader.encoding(), reader.framed(), records,
                resmonLines, finished, all, left, runs - finished.size());
    }

    /** The splitting thread: DebugView columns, the marker, the time; resmon lines go on in batches. */
    private void split(BlockingQueue<LineBatch> full, BlockingQueue<LineBatch> free) {
        LineBatch batch = null;
        LogClock clock = new LogClock();
        long records = 0;
        try {
            batch = free.take();
            DebugViewReader r = reader;
            while (r.advance()) {
                if (records++ == 0) {
                    clock.at(r); // the time axis starts at the log's first line, not its first resmon line
                }
                byte[] b = r.bytes();
                int e = r.messageEnd();
                int bar = marker(b, r.rawMessageStart(), e);
                if (bar < 0) {
                    continue; // other output: never parsed further
                }
                r.requireText();
                double t = clock.at(r);
                batch.add(b, r.messageStart(), bar, e, r.line(), r.processId(), t, r.clockMillis(), r.date());
                if (batch.full()) {
                    full.put(batch);
                    batch = free.take();
                }
            }
            batch.last = true;
            batch.records = records;
            full.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the follower gave up: nobody waits for more
        } catch (Throwable x) {
            if (batch == null) {
                batch = new LineBatch();
            }
            batch.failure = x;
            batch.last = true;
            try {
                full.put(batch); // the follower takes it next and rethrows it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The following thread: each resmon line to its run. */
    private void follow(LineBatch batch) {
        for (int i = 0; i < batch.count; i++) {
            batch.current = i;
            byte[] b = batch.data;
            int s = batch.start[i];
            int bar = batch.bar[i];
            int e = batch.end[i];
            long pid = batch.pids[i];
            double t = batch.seconds[i];
            RunBuilder run = run(pid, b, s, bar, t, batch);
            resmonLines++;
            cursor.reset(b, bar + MARKER.length, e);
            RunBuilder.Result res = run.line(cursor, batch, t);
            if (res != RunBuilder.Result.CONTINUE) {
                end(lastKey, run);
                if (res == RunBuilder.Result.ENDED_REFEED) {
                    run = run(pid, b, s, bar, t, batch);
                    cursor.reset(b, bar + MARKER.length, e);
                    if (run.line(cursor, batch, t) == RunBuilder.Result.ENDED) {
                        end(lastKey, run);
                    }
                }
            }
        }
    }

    private static IOException rethrow(Throwable x) {
        if (x instanceof IOException io) {
            return io;
        }
        if (x instanceof RuntimeException r) {
            throw r;
        }
        if (x instanceof Error err) {
            throw err;
        }
        throw new UncheckedIOException(new IOException(x));
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void end(RunKey key, RunBuilder run) {
        finished.add(run.build());
        active.remove(key);
        Arrays.fill(slots, null);
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Where {@code |resmon| } starts in the message, or -1. Other programs use '|' too (QUIK|GetApp1|...).
     * Most lines of a capture have no marker, so this looks for a '|' eight bytes at a time.
     */
    private static int marker(byte[] b, int s, int e) {
        int last = e - MARKER.length;
        int i = s;
        while (i <= last) {
            if (i + 8 <= e) {
                long x = (long) LONGS.get(b, i) ^ 0x7C7C7C7C7C7C7C7CL;
                long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (t == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfTrailingZeros(t) >>> 3;
            } else if (b[i] != '|') {
                i++;
                continue;
            }
            if (i <= last && b[i + 7] == '|' && DebugViewReader.startsWith(b, i, e, MARKER)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** The run this line belongs to (a new one when none is active). */
    private RunBuilder run(long pid, byte[] b, int s, int bar, double t, LinePosition at) {
        int h = (int) (pid * 31);
        for (int i = s; i < bar; i++) {
            h = h * 31 + b[i];
        }
        h ^= h >>> 16;
        int free = -1;
        for (int probe = 0; probe < 4; probe++) { // a few neighbours: two busy processes must not evict each other
            int i = (h + probe) & (slots.length - 1);
            Slot slot = slots[i];
            if (slot == null) {
                free = free < 0 ? i : free;
            } else if (slot.pid == pid && slot.name.length == bar - s
                    && DebugViewReader.startsWith(b, s, bar, slot.name)) {
                lastKey = slot.key;
                return slot.run;
            }
        }
        String module = TextLines.decode(b, s, bar, options.debugView().ansiCharset());
        RunKey key = new RunKey(pid, module);
        RunBuilder run = active.get(key);
        if (run == null) {
            run = new RunBuilder(++runs, pid < 0 ? null : pid, module, LogTime.of(at, t), options, problems::line);
            active.put(key, run);
        }
        Slot slot = new Slot();
        slot.pid = pid;
        slot.name = Arrays.copyOfRange(b, s, bar);
        slot.run = run;
        slot.key = key;
        slots[free < 0 ? h & (slots.length - 1) : free] = slot;
        lastKey = key;
        return run;
    }
}
