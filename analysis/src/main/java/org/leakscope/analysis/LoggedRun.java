package org.leakscope.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.RunHealth;
import org.leakscope.diff.UsageTrend;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.UsageSeries;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.symbols.SymbolStore;

/**
 * One run of a log with resmon output, with its health (verdict and usage trends), its call sites (records
 * merged by the code that leaked, frames resolved), and the findings that explain the verdict in words: the
 * same sentences in every renderer (text, JSON).
 *
 * @param file    the log the run was read from, as given
 * @param run     the run as the reader found it
 * @param health  the verdict and the usage trends behind it
 * @param symbols resolves this run's frames (may be null: addresses and module offsets only)
 * @param sites   the shown report's call sites, largest first (empty without a report)
 */
public record LoggedRun(String file, ResmonRun run, RunHealth health, SymbolStore symbols,
        List<AttributedSite<CallSite>> sites) {
    /**
     * Assesses one run: its verdict from its usage and reports, and its call sites.
     *
     * @param file    the log it was read from, as the report should name it
     * @param symbols resolves call sites in modules the log names (ELF files on this machine, a store)
     * @param folding which frames of a recorded stack belong to the allocator and the runtime: the report's call
     *                sites are the code that leaked, records with different callers above it merged
     * @return the run with its health, call sites and findings
     */
    public static LoggedRun assess(String file, ResmonRun run, SymbolStore symbols, AllocatorFolding folding) {
        ResmonReport exit = run.exitReport();
        long limits = run.limitCounts().values().stream().mapToLong(Long::longValue).sum();
        ResmonReport shown = run.report();
        Map<Long, Frame> resolved = new HashMap<>();
        List<AttributedSite<CallSite>> sites = shown == null ? List.of()
                : AttributedSite.merge(shown.callSites(), folding, CallSite::kind,
                        s -> s.stack().stream().map(a -> resolved.computeIfAbsent(a, x -> frame(run, symbols, x)))
                                .toList(), CallSite::count, CallSite::bytes);
        return new LoggedRun(file, run, RunHealth.assess(run.memory(), run.threads(), run.syncObjects(),
                exit != null && exit.complete(), exit != null && exit.leaked(), limits), symbols, sites);
    }

    /**
     * The usage trend of one metric ("memory used", "threads used", "sync objects used"), or null when the run
     * has too few samples of it for one.
     */
    public UsageTrend trend(String metric) {
        return health.trends().stream().filter(t -> t.metric().equals(metric)).findFirst().orElse(null);
    }

    /**
     * The growth per hour of one usage series over the whole run (the usage table's column), leak pattern or
     * not; null with too few samples for a trend ({@link UsageTrend#MIN_SAMPLES}).
     */
    public static Double perHour(String metric, UsageSeries s) {
        UsageTrend t = UsageTrend.of(metric, s, 1);
        return t == null ? null : t.perHour();
    }

    /** A return address with its module and, when a symbol file has it, its function. */
    private static Frame frame(ResmonRun run, SymbolStore symbols, long a) {
        Frame f = run.frame(a);
        return f.module() == null || symbols == null ? f
                : run.modules().find(a).map(m -> symbols.symbolizeReturnAddress(f, m)).orElse(f);
    }

    /** Hex digits of an address: the report's own width, else by value. */
    public int pointerDigits() {
        ResmonReport r = run.report();
        if (r != null && r.pointerDigits() > 0) {
            return r.pointerDigits();
        }
        return 16;
    }

    /** A return address of this run for people ({@link #describe}), or "(none recorded)" for null. */
    public String address(Long a) {
        return a == null ? "(none recorded)" : describe(frame(run, symbols, a));
    }

    /** A frame of this run for people: module!function+offset, module+offset, or the address as resmon prints it. */
    public String describe(Frame f) {
        if (f == null) {
            return "(none recorded)";
        }
        if (f.module() != null) {
            // the tracker named the modules: module!function, or module+offset, holds across runs
            return f.describe();
        }
        // uppercase and padded like resmon prints it, so the address can be searched for in the log
        return "0x" + Hex.digits(f.address(), pointerDigits(), true); // not String.format: runs have many sites
    }

    /** The type names of a merged site's records, for people (see {@link #typeNames(CallSite)}). */
    public java.util.SortedSet<String> typeNames(AttributedSite<CallSite> site) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (CallSite s : site.members()) {
            out.addAll(typeNames(s));
        }
        return out;
    }

    /** A call site's type names for people: a thread's start routine named like a call site when it can be. */
    public java.util.SortedSet<String> typeNames(org.leakscope.resmon.CallSite site) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (String t : site.types()) {
            if (!t.startsWith("thread start 0x")) { // most types are Heap, Malloc, ...: no matcher for them
                out.add(t);
                continue;
            }
            java.util.regex.Matcher m = THREAD_START.matcher(t);
            out.add(m.matches() ? "thread start " + address(Long.parseUnsignedLong(m.group(1), 16)) : t);
        }
        return out;
    }

    private static final java.util.regex.Pattern THREAD_START =
            java.util.regex.Pattern.compile("thread start 0x([0-9A-Fa-f]{1,16})");

    /** The findings that explain the verdict, one sentence each, in the order the report lists them. */
    public List<String> findings() {
        return new RunFindings(this).list();
    }

    /** A growth rate for people: binary units for bytes, one decimal for counts. */
    public static String rate(double perHour, boolean bytes) {
        return bytes ? human(perHour) : String.format(Locale.ROOT, "%.1f", perHour);
    }

    /** An amount for people: binary units for bytes, a whole number for counts. */
    public static String amount(double v, boolean bytes) {
        return bytes ? human(v) : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String human(double bytes) {
        return bytes < 0 ? "-" + Sizes.human(Math.round(-bytes)) : Sizes.human(Math.round(bytes));
    }

    /** {@code 1 run}, {@code 2 runs}. */
    public static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
