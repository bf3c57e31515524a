package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.resmon.ResmonLogReader;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.symbols.SymbolStore;

/**
 * logscan's operation: the runs of resmon-monitored programs in DebugView logs, each with its health, verdict,
 * call sites and findings.
 */
public final class LogAnalysis {
    private LogAnalysis() {
    }

    /**
     * Reads and assesses logs in one step (no progress reporting; a front end that shows progress or checks its
     * files first calls {@link #readLog} and {@link #assess} itself).
     *
     * @param options which runs to keep (--pid, --process), the code page, strictness
     * @param folding which frames belong to the allocator and the runtime (call sites are the frames below)
     * @param symbols resolves the frames in modules the logs name; may be null
     * @throws InputFormatException when a file is not a log with resmon output
     */
    public static LogReport analyze(List<Path> logs, ResmonLogOptions options, AllocatorFolding folding,
            SymbolStore symbols) throws IOException {
        List<ResmonLog> read = new ArrayList<>();
        for (Path p : logs) {
            read.add(readLog(p, options, null));
        }
        return assess(read, options, folding, symbols);
    }

    /**
     * Reads one log, refusing what is plainly not one (an empty file, a dump: neither DebugView framing nor a
     * resmon line anywhere).
     *
     * @param progress told how many bytes have been read; may be null
     * @throws InputFormatException at line 1 when the file holds no log
     */
    public static ResmonLog readLog(Path p, ResmonLogOptions options, LongConsumer progress) throws IOException {
        long size = Files.size(p);
        ResmonLog log = ResmonLogReader.read(p, options, progress);
        if (log.records() == 0) {
            throw InputFormatException.atLine(p.toString(), 1, "a DebugView log or captured resmon output",
                    size == 0 ? "an empty file" : "only blank lines");
        }
        if (!log.framed() && log.resmonLines() == 0) {
            throw InputFormatException.atLine(p.toString(), 1, "a DebugView log (SEQ<TAB>TIME<TAB>MESSAGE lines) or"
                    + " captured resmon output ('name.exe|resmon| ...')", "neither anywhere in the file");
        }
        return log;
    }

    /**
     * {@link #readLog(Path, ResmonLogOptions, LongConsumer)} with the reader options of a command's settings.
     *
     * @param p        the log
     * @param settings the command's settings (encoding, strictness, process filter)
     * @param progress told how many bytes were read so far
     * @return the log
     * @throws IOException when the file cannot be read
     */
    public static ResmonLog readLog(Path p, Settings settings, LongConsumer progress) throws IOException {
        return readLog(p, settings.log(), progress);
    }

    /**
     * {@link #assess(List, ResmonLogOptions, AllocatorFolding, SymbolStore)} with a command's settings.
     *
     * @param logs     the logs read
     * @param settings the command's settings (process filter, fold list)
     * @param symbols  the symbol service that names frames
     * @return the report
     */
    public static LogReport assess(List<ResmonLog> logs, Settings settings, SymbolStore symbols) {
        List<String> notes = new ArrayList<>(); // runs without a module list placed by their module files
        return assess(RunModules.place(logs, settings, notes), settings.log(), settings.folding(), symbols, notes);
    }

    /**
     * Every run of the logs with its verdict, call sites (frames resolved by {@code symbols}, folded by
     * {@code folding}) and findings.
     *
     * @param options the options the logs were read with (for the filter's outcome)
     */
    public static LogReport assess(List<ResmonLog> logs, ResmonLogOptions options, AllocatorFolding folding,
            SymbolStore symbols) {
        return assess(logs, options, folding, symbols, List.of());
    }

    /** The same, with {@code notes} (on the runs' module files) first among the warnings. */
    private static LogReport assess(List<ResmonLog> logs, ResmonLogOptions options, AllocatorFolding folding,
            SymbolStore symbols, List<String> notes) {
        List<LoggedRun> runs = new ArrayList<>();
        List<String> warnings = new ArrayList<>(notes);
        for (ResmonLog log : logs) {
            log.problems().stream().map(Problem::message).forEach(warnings::add);
            for (ResmonRun r : log.runs()) {
                runs.add(LoggedRun.assess(log.source(), r, symbols, folding));
            }
        }
        return new LogReport(logs, runs, warnings, FilterMiss.of(options, logs), ModuleSymbols.of(symbols));
    }

    /** Whether {@code --pid} or {@code --process} is set. */
    public static boolean filterActive(ResmonLogOptions o) {
        return o.processId() != null || o.processName() != null;
    }

    /**
     * The filter left out runs and kept none: the user named a process the logs do not have (as opposed to logs
     * with no resmon output at all, which is not the filter's doing).
     */
    public static boolean filterMatchedNothing(ResmonLogOptions o, List<ResmonLog> logs) {
        return filterActive(o) && logs.stream().allMatch(l -> l.runs().isEmpty())
                && logs.stream().anyMatch(l -> l.leftOutCount() != 0);
    }
}
