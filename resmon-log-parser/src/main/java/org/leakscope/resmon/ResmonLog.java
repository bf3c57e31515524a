package org.leakscope.resmon;

import java.util.List;
import org.leakscope.model.Problem;

/**
 * What a log holds of resmon: every run of every monitored program or driver, in the order they start. Times
 * are seconds on one continuous axis from the log's first timed line ({@link LogTime}).
 *
 * @param source       the file
 * @param computer     from the {@code [\\NAME]} first line, or null
 * @param encoding     how the text was stored ("bytes" = ANSI or UTF-8 without a mark)
 * @param framed       DebugView's SEQ/TIME columns (or DebugView++'s) were present
 * @param records      lines read as records
 * @param resmonLines  of which {@code |resmon| } lines (of every run, kept by the filter or not)
 * @param runs         the runs kept by the filter, numbered as without it
 * @param problems     lines that could not be read, with their numbers
 * @param leftOut      runs the filter left out, in order (the first {@value #MAX_LEFT_OUT})
 * @param leftOutCount how many runs the filter left out
 */
public record ResmonLog(String source, String computer, String encoding, boolean framed, long records,
        long resmonLines, List<ResmonRun> runs, List<Problem> problems, List<RunOutline> leftOut,
        int leftOutCount) {
    public static final int MAX_LEFT_OUT = 100;

    public ResmonLog {
        runs = List.copyOf(runs);
        problems = List.copyOf(problems);
        leftOut = List.copyOf(leftOut);
    }
}
