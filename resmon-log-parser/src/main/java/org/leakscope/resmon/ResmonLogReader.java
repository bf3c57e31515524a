package org.leakscope.resmon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.model.SeededHash;
import org.leakscope.model.UsageSeries;
import org.leakscope.textio.LineProblems;
import org.leakscope.textio.Swar;
import org.leakscope.textio.TextLines;

/**
 * Reads the resmon output in a DebugView log, streaming: lines are demultiplexed by (pid, module) for user
 * mode and by module for kernel lines, which carry no pid; other output is skipped as bytes. A run ends at its
 * exit block's closing line, so a program (or driver) started again later in the log is a new run.
 *
 * <p>The work of a multi-GB capture is split in two: looking at every line (DebugView columns, the marker: most
 * lines are other programs' and die there) is done chunk by chunk on several threads ({@link LogChunks},
 * {@link ResmonLineFilter}); following the runs is done here, on the caller's thread, from the chunks' resmon
 * lines in the file's order. UTF-16 logs are transcoded as they are read, so they are read on one thread.
 */
public final class ResmonLogReader {
    private static final long PROGRESS_STEP = 64L << 20;

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
        /** The name's first 16 bytes as {@link LineBatch#names} has them, and the rest. */
        long name0;
        long name1;
        byte[] nameRest;
        RunBuilder run;
        RunKey key;
    }

    private final String source;
    private final ResmonLogOptions options;
    private final LineProblems framing;
    private final LineProblems problems;
    private final LineCursor cursor = new LineCursor();
    private final LogClock clock = new LogClock();
    private final Map<RunKey, RunBuilder> active = new LinkedHashMap<>(); // ends runs in the order they began
    private final List<ResmonRun> finished = new ArrayList<>();
    private final Slot[] slots = new Slot[256];
    private final UsageSeries.Spares spares = new UsageSeries.Spares();
    private RunKey lastKey;
    private int runs;
    private long resmonLines;
    // the file so far
    private long lines;
    private long records;
    private boolean framed;
    private String computer;

    private ResmonLogReader(String source, ResmonLogOptions options) {
        this.source = source;
        this.options = options;
        this.framing = new LineProblems(source, options.debugView().strict(), 1000, "a DebugView log");
        this.problems = new LineProblems(source, options.debugView().strict(), 1000, "resmon output");
    }

    public static ResmonLog read(Path path, ResmonLogOptions options) throws IOException {
        return read(path, options, null);
    }

    /** @param progress told the bytes read so far, now and then; may be null */
    public static ResmonLog read(Path path, ResmonLogOptions options, LongConsumer progress) throws IOException {
        return read(path, options, progress, LogChunks.CHUNK);
    }

    /** The same, cutting the file into chunks of {@code chunkSize} bytes (tests cut small logs into many). */
    static ResmonLog read(Path path, ResmonLogOptions options, LongConsumer progress, int chunkSize)
            throws IOException {
        ResmonLogReader reader = new ResmonLogReader(path.toString(), options);
        String encoding;
        try (TextLines lines = TextLines.open(path, options.debugView().limits().maxLineChars(), progress)) {
            encoding = lines.encoding();
            if (encoding.startsWith("UTF-16")) {
                reader.readLines(lines);
                return reader.result(encoding);
            }
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            reader.readChunks(channel, encoding.equals("UTF-8") ? 3 : 0, progress, chunkSize);
        }
        return reader.result(encoding);
    }

    /**
     * True when the file's first lines look like a DebugView log or contain resmon output: how a tool that
     * takes several kinds of input tells this one apart. Damage is not an error here, just a "no".
     */
    public static boolean sniff(Path path, DebugViewOptions options) throws IOException {
        try (DebugViewReader r = DebugViewReader.open(path, options)) {
            for (int i = 0; i < 1000 && r.advance(); i++) {
                if (r.framed() || ResmonLineFilter.marker(r.bytes(), r.rawMessageStart(), r.messageEnd()) >= 0) {
                    return true;
                }
            }
            return false;
        } catch (InputFormatException e) {
            return false;
        }
    }

    /** A log in a byte encoding: chunks filtered on {@code options.threads()} threads, followed in order. */
    private void readChunks(FileChannel channel, long dataStart, LongConsumer progress, int chunkSize)
            throws IOException {
        try (LogChunks chunks = new LogChunks(source, options.debugView(), channel, dataStart, options.threads(),
                chunkSize)) {
            long nextProgress = PROGRESS_STEP;
            for (LineBatch b = chunks.next(); b != null; b = chunks.next()) {
                if (b.speculative && !(framed && lines >= 1000 && records > 0)) {
                    chunks.read(b.chunk, b, lines, framed, records > 0); // read again, knowing what came before
                }
                follow(b);
                chunks.release(b);
                if (progress != null && b.endOffset >= nextProgress) {
                    nextProgress = b.endOffset + PROGRESS_STEP;
                    progress.accept(b.endOffset);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** A UTF-16 log, transcoded line by line: filtered and followed on this thread, a batch at a time. */
    private void readLines(TextLines text) throws IOException {
        ResmonLineFilter filter = new ResmonLineFilter(source, options.debugView(), 0, false, false);
        LineBatch b = new LineBatch();
        b.clear();
        filter.into(b);
        try {
            while (text.next()) {
                filter.line(text.bytes(), text.start(), text.end(), text.number(), text.tooLong());
                if (b.count >= 4096) {
                    b.framed = filter.reader().framed();
                    b.computer = filter.reader().computer();
                    follow(b);
                    b.clear();
                }
            }
        } catch (ResmonLineFilter.Stop stop) {
            // the batch fails at its damaged lines
        } catch (InputFormatException e) {
            b.failure = e;
        }
        b.framed = filter.reader().framed();
        b.computer = filter.reader().computer();
        follow(b);
    }

    private ResmonLog result(String encoding) {
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
        List<Problem> all = new ArrayList<>(framing.list());
        all.addAll(problems.list());
        all.sort(Comparator.comparingLong(p -> p.line() == null ? 0 : p.line()));
        return new ResmonLog(source, computer, encoding, framed, records, resmonLines, finished, all, left,
                runs - finished.size());
    }

    /**
     * One batch in the file's order: its damaged lines and its resmon lines, each resmon line to its run, in line
     * order (so under --strict the first bad line, of either kind, is the one reported).
     */
    private void follow(LineBatch batch) throws IOException {
        batch.base = lines;
        if (batch.computer != null) {
            computer = batch.computer;
        }
        if (batch.firstRecord) {
            clock.at(batch.firstDate, batch.firstClock, batch.firstElapsed);
        }
        List<LineBatch.Damage> damage = batch.damage;
        int d = 0;
        for (int i = 0; i < batch.count; i++) {
            while (d < damage.size() && damage.get(d).line() <= batch.lines[i]) {
                damaged(batch, damage.get(d++));
            }
            batch.current = i;
            byte[] b = batch.data;
            int s = batch.start[i];
            int bar = batch.bar[i];
            int e = batch.end[i];
            long pid = batch.pids[i];
            double t = clock.at(batch.dates[i], batch.clocks[i], batch.elapsed[i]);
            long name0 = batch.names[2 * i];
            long name1 = batch.names[2 * i + 1];
            RunBuilder run = run(pid, b, s, bar, name0, name1, t, batch);
            resmonLines++;
            cursor.resetTrimmed(b, bar + ResmonLineFilter.MARKER.length, e);
            RunBuilder.Result res = run.line(cursor, batch, t);
            if (res != RunBuilder.Result.CONTINUE) {
                end(lastKey, run);
                if (res == RunBuilder.Result.ENDED_REFEED) {
                    run = run(pid, b, s, bar, name0, name1, t, batch);
                    cursor.resetTrimmed(b, bar + ResmonLineFilter.MARKER.length, e);
                    if (run.line(cursor, batch, t) == RunBuilder.Result.ENDED) {
                        end(lastKey, run);
                    }
                }
            }
        }
        while (d < damage.size()) {
            damaged(batch, damage.get(d++));
        }
        if (batch.failure != null) {
            InputFormatException f = batch.failure;
            throw InputFormatException.atLine(source, batch.base + f.line(), f.expected(), f.found());
        }
        if (batch.crash != null) {
            throw rethrow(batch.crash);
        }
        lines += batch.lineCount;
        records += batch.records;
        framed = batch.framed;
    }

    private void damaged(LineBatch batch, LineBatch.Damage d) {
        framing.line(batch.base + d.line(), d.expected(), d.found());
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

    private void end(RunKey key, RunBuilder run) {
        finished.add(run.build());
        active.remove(key);
        Arrays.fill(slots, null);
    }

    /**
     * The run this line belongs to (a new one when none is active): found by its pid and the first 16 bytes of
     * its program name as the reading thread stored them ({@link LineBatch#names}), so a line whose name is no
     * longer than that is matched without loading its bytes, which another thread read.
     */
    private RunBuilder run(long pid, byte[] b, int s, int bar, long name0, long name1, double t, LinePosition at) {
        int len = bar - s;
        long x = (pid * 31 + len) * 0x9E3779B97F4A7C15L ^ name0 ^ name1 * 0xC2B2AE3D27D4EB4FL;
        int h = (int) (x ^ x >>> 32);
        h ^= h >>> 16;
        int free = -1;
        for (int probe = 0; probe < 4; probe++) { // a few neighbours: two busy processes must not evict each other
            int k = (h + probe) & (slots.length - 1);
            Slot slot = slots[k];
            if (slot == null) {
                free = free < 0 ? k : free;
            } else if (slot.pid == pid && slot.name.length == len && slot.name0 == name0 && slot.name1 == name1
                    && (len <= 16 || Swar.startsWith(b, s + 16, bar, slot.nameRest))) {
                lastKey = slot.key;
                return slot.run;
            }
        }
        return remember(pid, b, s, bar, name0, name1, t, at, free < 0 ? h & (slots.length - 1) : free);
    }

    /**
     * The run of a line not in the recent slots, put in slot {@code i}. Apart from the lookup above: the hot path
     * stays small, and C2 compiles it in a fraction of the time.
     */
    private RunBuilder remember(long pid, byte[] b, int s, int bar, long name0, long name1, double t, LinePosition at,
            int i) {
        String module = TextLines.decode(b, s, bar, options.debugView().ansiCharset());
        RunKey key = new RunKey(pid, module);
        RunBuilder run = active.get(key);
        if (run == null) {
            run = new RunBuilder(++runs, pid < 0 ? null : pid, module, LogTime.of(at, t), options, problems::line,
                    spares);
            active.put(key, run);
        }
        Slot slot = new Slot();
        slot.pid = pid;
        slot.name = Arrays.copyOfRange(b, s, bar);
        slot.name0 = name0;
        slot.name1 = name1;
        slot.nameRest = bar - s > 16 ? Arrays.copyOfRange(b, s + 16, bar) : null;
        slot.run = run;
        slot.key = key;
        slots[i] = slot;
        lastKey = key;
        return run;
    }
}
