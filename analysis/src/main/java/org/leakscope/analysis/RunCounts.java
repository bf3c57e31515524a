package org.leakscope.analysis;

import java.util.List;
import org.leakscope.diff.RunHealth;

/**
 * The run counts of a log report, the one source for the text summary line and the JSON {@code summary}.
 *
 * @param runs          every run
 * @param leaked        runs that leaked (their verdict is {@code leaked})
 * @param overLimit     runs that broke a limit, whatever their verdict: a run that leaked and broke a limit is
 *                      counted here and in {@code leaked}
 * @param overLimitAlsoLeaked of {@code overLimit}, those that also leaked
 * @param clean         verdict {@code clean}
 * @param incomplete    verdict {@code incomplete}
 */
public record RunCounts(int runs, int leaked, int overLimit, int overLimitAlsoLeaked, int clean,
        int incomplete) {
    /** Counts the runs by verdict. */
    public static RunCounts of(List<LoggedRun> runs) {
        int leaked = 0;
        int over = 0;
        int both = 0;
        int clean = 0;
        int incomplete = 0;
        for (LoggedRun r : runs) {
            RunHealth h = r.health();
            leaked += h.leaked() ? 1 : 0;
            over += h.overLimit() ? 1 : 0;
            both += h.leaked() && h.overLimit() ? 1 : 0;
            clean += h.verdict() == RunHealth.Verdict.CLEAN ? 1 : 0;
            incomplete += h.verdict() == RunHealth.Verdict.INCOMPLETE ? 1 : 0;
        }
        return new RunCounts(runs.size(), leaked, over, both, clean, incomplete);
    }

    /** What {@code --fail-on-leak} stops on: a run that leaked or broke a limit. */
    public boolean anyLeakedOrOverLimit() {
        return leaked > 0 || overLimit > 0;
    }
}
