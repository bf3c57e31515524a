package org.leakscope.resmon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Reads the resmon output in a DebugView log, streaming: lines are demultiplexed by (pid, module) for user
 * mode and by module for kernel lines, which carry no pid; other output is skipped as bytes. A run ends at its
 * exit block's closing line, so a program (or driver) started again later in the log is a new run.
 */
public final class ResmonLogReader {
    private static final byte[] MARKER = "|resmon| ".getBytes(StandardCharsets.US_ASCII);

    private record RunKey(long pid, String module) {
    }

    private final DebugViewReader reader;
    private final ResmonLogOptions options;
    private final LogClock clock = new LogClock();
    private final LineCursor cursor = new LineCursor();
    private final Map<RunKey, RunBuilder> active = new HashMap<>();
    private final List<ResmonRun> finished = new ArrayList<>();
    private int runs;
    private long records;
    private long resmonLines;
    // the key of the previous resmon line, to skip decoding and hashing when a process logs line after line
    private long lastPid = Long.MIN_VALUE;
    private byte[] lastName = new byte[0];
    private RunBuilder lastRun;
    private RunKey lastKey;

    private ResmonLogReader(DebugViewReader reader, ResmonLogOptions options) {
        this.reader = reader;
        this.options = options;
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
                if (r.framed() || marker(r.bytes(), r.messageStart(), r.messageEnd()) >= 0) {
                    return true;
                }
            }
            return false;
        } catch (org.leakscope.model.InputFormatException e) {
            return false;
        }
    }

    private ResmonLog readAll() throws IOException {
        DebugViewReader r = reader;
        while (r.advance()) {
            records++;
            double t = clock.at(r);
            byte[] b = r.bytes();
            int s = r.messageStart();
            int e = r.messageEnd();
            int bar = marker(b, s, e);
            if (bar < 0) {
                continue;
            }
            RunBuilder run = run(r.processId(), b, s, bar, t);
            resmonLines++;
            cursor.reset(b, bar + MARKER.length, e);
            RunBuilder.Result res = run.line(cursor, r, t);
            if (res != RunBuilder.Result.CONTINUE) {
                end(lastKey, run);
                if (res == RunBuilder.Result.ENDED_REFEED) {
                    run = run(r.processId(), b, s, bar, t);
                    cursor.reset(b, bar + MARKER.length, e);
                    if (run.line(cursor, r, t) == RunBuilder.Result.ENDED) {
                        end(lastKey, run);
                    }
                }
            }
        }
        for (RunBuilder run : active.values()) {
            finished.add(run.build());
        }
        // Filtered only now, so runs keep the numbers an unfiltered read gives them (--run N means the same run).
        finished.removeIf(x -> !options.accepts(x.processId() == null ? -1 : x.processId(), x.module()));
        finished.sort(Comparator.comparingInt(ResmonRun::index));
        return new ResmonLog(r.source(), r.computer(), r.encoding(), r.framed(), records, resmonLines, finished,
                r.problems());
    }

    private void end(RunKey key, RunBuilder run) {
        finished.add(run.build());
        active.remove(key);
        lastRun = null;
        lastName = new byte[0];
        lastPid = Long.MIN_VALUE;
    }

    /** Where {@code |resmon| } starts in the message, or -1. Other programs use '|' too (QUIK|GetApp1|...). */
    private static int marker(byte[] b, int s, int e) {
        int last = e - MARKER.length;
        for (int i = s; i <= last; i++) {
            if (b[i] == '|' && b[i + 7] == '|' && DebugViewReader.startsWith(b, i, e, MARKER)) {
                return i;
            }
        }
        return -1;
    }

    /** The run this line belongs to (a new one when none is active). */
    private RunBuilder run(long pid, byte[] b, int s, int bar, double t) {
        if (pid == lastPid && bar - s == lastName.length && DebugViewReader.startsWith(b, s, bar, lastName)) {
            return lastRun;
        }
        String module = reader.text(s, bar);
        RunKey key = new RunKey(pid, module);
        RunBuilder run = active.get(key);
        if (run == null) {
            run = new RunBuilder(++runs, pid < 0 ? null : pid, module, LogTime.of(reader, t), options, reader::problem);
            active.put(key, run);
        }
        lastPid = pid;
        lastName = Arrays.copyOfRange(b, s, bar);
        lastRun = run;
        lastKey = key;
        return run;
    }
}
