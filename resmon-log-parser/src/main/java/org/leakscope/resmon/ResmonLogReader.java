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
    /** Recently seen (pid, name bytes) → run, so most lines find their run without decoding the name. */
    private static final class Slot {
        long pid;
        byte[] name;
        RunBuilder run;
        RunKey key;
    }

    private final Slot[] slots = new Slot[256];
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
                if (r.framed() || marker(r.bytes(), r.rawMessageStart(), r.messageEnd()) >= 0) {
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
            if (records++ == 0) {
                clock.at(r); // the time axis starts at the log's first line, not its first resmon line
            }
            byte[] b = r.bytes();
            int e = r.messageEnd();
            int bar = marker(b, r.rawMessageStart(), e);
            if (bar < 0) {
                continue; // other output: never parsed further
            }
            double t = clock.at(r);
            int s = r.messageStart();
            RunBuilder run = run(r.processId(), b, s, bar, t);
            r.requireText();
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
        java.util.Arrays.fill(slots, null);
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
        int h = (int) (pid * 31);
        for (int i = s; i < bar; i++) {
            h = h * 31 + b[i];
        }
        h ^= h >>> 16;
        int at = -1;
        for (int probe = 0; probe < 4; probe++) { // a few neighbours: two busy processes must not evict each other
            int i = (h + probe) & (slots.length - 1);
            Slot slot = slots[i];
            if (slot == null) {
                at = at < 0 ? i : at;
            } else if (slot.pid == pid && slot.name.length == bar - s
                    && DebugViewReader.startsWith(b, s, bar, slot.name)) {
                lastKey = slot.key;
                return slot.run;
            }
        }
        at = at < 0 ? h & (slots.length - 1) : at;
        String module = reader.text(s, bar);
        RunKey key = new RunKey(pid, module);
        RunBuilder run = active.get(key);
        if (run == null) {
            run = new RunBuilder(++runs, pid < 0 ? null : pid, module, LogTime.of(reader, t), options, reader::problem);
            active.put(key, run);
        }
        Slot slot = new Slot();
        slot.pid = pid;
        slot.name = Arrays.copyOfRange(b, s, bar);
        slot.run = run;
        slot.key = key;
        slots[at] = slot;
        lastKey = key;
        return run;
    }
}
