package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.symbols.SymbolStore;

/**
 * logscan's logs read one by one (so a front end can show progress per file), then assessed together.
 */
public final class LogReading {
    private final Settings settings;
    private final List<ResmonLog> logs = new ArrayList<>();
    private boolean keepCurves;
    private int threads = Runtime.getRuntime().availableProcessors();

    /**
     * Starts reading with a command's settings.
     *
     * @param settings encoding, strictness, process filter and fold list
     */
    public LogReading(Settings settings) {
        this.settings = settings;
    }

    /**
     * Reads one more log ({@link LogAnalysis#readLog(Path, Settings, LongConsumer)}).
     *
     * @param p        the log
     * @param progress told how many bytes were read so far; may be null
     * @throws IOException when the file cannot be read
     * @throws org.leakscope.model.InputFormatException when it holds no log
     */
    public void read(Path p, LongConsumer progress) throws IOException {
        logs.add(LogAnalysis.readLog(p, settings.log().withCurves(keepCurves).withThreads(threads), progress));
    }

    /**
     * Reads each log's lines on {@code n} threads (the caller's included); the logs read are the same.
     *
     * @param n from 1
     * @return this reading
     */
    public LogReading threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: " + n);
        }
        threads = n;
        return this;
    }

    /**
     * The logs read from now on keep each run's usage curves (at most 1,024 points per series), for a report that
     * draws them; without this a finished run keeps only their statistics.
     *
     * @return this reading
     */
    public LogReading keepCurves() {
        keepCurves = true;
        return this;
    }

    /**
     * Every run of the logs read so far, assessed.
     *
     * @param symbols names the frames; may be null
     * @return the report
     */
    public LogReport assess(SymbolStore symbols) {
        return LogAnalysis.assess(logs, settings, symbols);
    }
}
