package org.leakscope.diff;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.UsageSeries;

/**
 * The verdict on one monitored run: what it left behind at exit, whether its usage kept growing, whether it
 * broke a limit.
 *
 * @param verdict   leaked (resources left at exit, or usage growing steadily) before over-limit before clean;
 *                  incomplete when there is no complete exit report and nothing else is wrong (still running at
 *                  the end of the capture, or crashed: absence of evidence, not a clean bill)
 * @param leaked    resources left at exit or a sustained growth
 * @param overLimit a limit update was logged
 * @param trends    memory, threads and sync objects, where there were enough samples
 */
public record RunHealth(Verdict verdict, boolean leaked, boolean overLimit, List<UsageTrend> trends) {
    /** Growth below these over a whole run is not worth a finding. */
    public static final double MIN_MEMORY_GROWTH = 64 * 1024;
    public static final double MIN_OBJECT_GROWTH = 2;

    public enum Verdict {
        LEAKED("leaked"), OVER_LIMIT("over-limit"), CLEAN("clean"), INCOMPLETE("incomplete");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public RunHealth {
        trends = List.copyOf(trends);
    }

    /**
     * @param exitReportComplete the exit report was read to its end
     * @param exitReportLeaked   the exit report lists resources or says not all were freed
     * @param limitUpdates       how many limit updates were logged
     */
    public static RunHealth assess(UsageSeries memory, UsageSeries threads, UsageSeries syncObjects,
            boolean exitReportComplete, boolean exitReportLeaked, long limitUpdates) {
        List<UsageTrend> trends = new ArrayList<>();
        add(trends, UsageTrend.of("memory used", memory, MIN_MEMORY_GROWTH));
        add(trends, UsageTrend.of("threads used", threads, MIN_OBJECT_GROWTH));
        add(trends, UsageTrend.of("sync objects used", syncObjects, MIN_OBJECT_GROWTH));
        boolean growing = trends.stream().anyMatch(UsageTrend::sustained);
        boolean leaked = exitReportLeaked || growing;
        boolean over = limitUpdates > 0;
        Verdict v = leaked ? Verdict.LEAKED : over ? Verdict.OVER_LIMIT
                : exitReportComplete ? Verdict.CLEAN : Verdict.INCOMPLETE;
        return new RunHealth(v, leaked, over, trends);
    }

    private static void add(List<UsageTrend> out, UsageTrend t) {
        if (t != null) {
            out.add(t);
        }
    }
}
