package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.RunHealth;
import org.leakscope.diff.UsageTrend;
import org.leakscope.model.Frame;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.LimitEvent;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.resmon.SizeWrap;
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

    /** A return address with its module and, when a symbol file has it, its function. */
    private static Frame frame(ResmonRun run, SymbolStore symbols, long a) {
        Frame f = run.frame(a);
        return f.module() == null || symbols == null ? f
                : run.modules().find(a).map(m -> symbols.symbolize(f, m)).orElse(f);
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
        return "0x" + String.format("%0" + pointerDigits() + "X", f.address());
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
            java.util.regex.Matcher m = THREAD_START.matcher(t);
            out.add(m.matches() ? "thread start " + address(Long.parseUnsignedLong(m.group(1), 16)) : t);
        }
        return out;
    }

    private static final java.util.regex.Pattern THREAD_START =
            java.util.regex.Pattern.compile("thread start 0x([0-9A-Fa-f]{1,16})");

    /** The findings that explain the verdict, one sentence each, in the order the report lists them. */
    public List<String> findings() {
        List<String> out = new ArrayList<>();
        ResmonReport exit = run.exitReport();
        if (exit != null && exit.leaked()) {
            out.add(leftAtExit()); // the exit report is the one shown: its sites
        } else if (exit != null && exit.complete()) {
            out.add("everything tracked was freed at exit");
        }
        ResmonReport shown = run.report();
        if (shown != null && shown.sizeWrap() != null) {
            out.add(sizeWrap(shown.sizeWrap()));
        }
        if (run.memoryWrap() != null) {
            LimitEvent e = run.memoryWrap();
            out.add("'memory used' is printed modulo 4 GiB (x64 resmon's '%u'): the memory limit update at line "
                    + e.time().line() + " says " + Sizes.exact(e.to()) + " bytes where its cycle's sample says "
                    + Sizes.exact(e.to() & 0xFFFFFFFFL) + ", so the memory figures from samples are low by"
                    + " multiples of 4 GiB");
        }
        if (exit != null && !exit.complete()) {
            out.add("the exit report stops at line " + exit.endLine() + ": the capture ended or lost lines, so the"
                    + " list may be incomplete");
        }
        if (run.crash() != null) {
            out.add("crashed: " + run.crash());
        }
        if (exit == null) {
            out.add("no exit report: still running when the capture ended, or it crashed (last resmon line "
                    + run.end().line() + ")" + (run.lastOnDemand() == null ? ""
                    : "; the last on-demand report (line " + run.lastOnDemand().start().line() + ") listed "
                    + run.lastOnDemand().resourcesListed() + " live resources"));
        }
        if (exit != null && !exit.activeThreads().isEmpty()) {
            out.add(exit.activeThreads().size() + " thread(s) still running at exit"
                    + (exit.blocked() ? " (resmon could not unload)" : ""));
        }
        for (UsageTrend t : health.trends()) {
            String f = trend(t);
            if (f != null) {
                out.add(f);
            }
        }
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(run.limitCounts()).entrySet()) {
            out.add(limit(e.getKey(), e.getValue()));
        }
        return out;
    }

    private String leftAtExit() {
        long blocks = 0;
        long bytes = 0;
        long threads = 0;
        long sync = 0;
        long handles = 0;
        for (AttributedSite<CallSite> s : sites) {
            switch (s.kind()) {
                case THREAD -> threads += s.count();
                case SYNC_OBJECT -> sync += s.count();
                case FILE_DESCRIPTOR, HANDLE -> handles += s.count();
                default -> {
                    blocks += s.count();
                    bytes += s.bytes();
                }
            }
        }
        List<String> parts = new ArrayList<>();
        if (blocks > 0) {
            parts.add(plural(blocks, "memory block") + " (" + Sizes.exact(bytes) + " bytes)");
        }
        if (threads > 0) {
            parts.add(plural(threads, "thread"));
        }
        if (sync > 0) {
            parts.add(plural(sync, "sync object"));
        }
        if (handles > 0) {
            parts.add(plural(handles, "descriptor"));
        }
        if (parts.isEmpty()) {
            return "not all resources were freed at exit (resmon says so, but listed none)";
        }
        String s = String.join(", ", parts) + " not freed at exit, from " + plural(sites.size(), "call site");
        AttributedSite<CallSite> top = sites.get(0);
        return s + "; the largest: " + describe(top.site()) + " (" + plural(top.count(), top.kind().label())
                + (top.bytes() > 0 ? ", " + Sizes.exact(top.bytes()) + " bytes" : "") + ")";
    }

    private String sizeWrap(SizeWrap w) {
        String s = "resmon listed " + (w.corrected() ? plural(w.correctedBlocks(), "block") : "some blocks")
                + " modulo 4 GiB (x64 resmon's 'size %u'): the sizes as printed add up to "
                + Sizes.exact(w.listedBytes()) + " bytes, " + fourGib(w.wraps()) + " short of the report's memory"
                + " usage " + Sizes.exact(w.totalBytes());
        if (!w.corrected()) {
            return s + "; not corrected: " + w.reason() + ", so the bytes per call site are as printed";
        }
        List<String> fixes = new ArrayList<>();
        for (SizeWrap.Fix f : w.fixes()) {
            if (fixes.size() == 3) {
                fixes.add("...");
                break;
            }
            fixes.add("+" + fourGib(f.addedBytes() / SizeWrap.FOUR_GIB) + " at " + address(f.returnAddress()));
        }
        return s + "; the allocation-size table settles which, so " + (w.correctedBlocks() == 1 ? "its size is"
                : "their sizes are") + " corrected (" + String.join(", ", fixes) + ")";
    }

    private static String fourGib(long times) {
        return Sizes.exact(4 * times) + " GiB";
    }

    private String trend(UsageTrend t) {
        boolean bytes = t.metric().startsWith("memory");
        double growth = t.perHour() * t.spanHours();
        double min = bytes ? RunHealth.MIN_MEMORY_GROWTH : RunHealth.MIN_OBJECT_GROWTH;
        String span = String.format(Locale.ROOT, "%.1f h", t.spanHours());
        if (t.sustained()) {
            return t.metric() + " grows " + rate(t.perHour(), bytes) + "/h over " + span + ", sustained ("
                    + amount(t.first(), bytes) + " -> " + amount(t.last(), bytes) + ", rose in " + t.risingSteps()
                    + " of " + (UsageTrend.SEGMENTS - 1) + " steps)";
        }
        if (growth >= min) {
            return t.metric() + " rose " + amount(growth, bytes) + " over " + span + " but not steadily (rose in "
                    + t.risingSteps() + " of " + (UsageTrend.SEGMENTS - 1) + " steps, fell in " + t.fallingSteps()
                    + "): a step or noise, not a leak pattern";
        }
        return null;
    }

    private String limit(String resource, long count) {
        LimitEvent first = run.limitEvents().stream().filter(e -> e.resource().equals(resource)).findFirst()
                .orElse(null);
        String times = count == 1 ? "once" : count + " times";
        if (first == null) {
            return "over the " + resource + " limit " + times;
        }
        String detail = switch (resource) {
            case "memory" -> "limit " + Sizes.human(first.from()) + ", reached " + Sizes.human(first.to());
            case "disk" -> "limit " + Sizes.human(first.from()) + ", reached " + Sizes.human(first.to());
            case "cpu" -> "limit " + first.from() + "%, reached " + first.to() + "%";
            default -> "limit " + first.from() + ", reached " + first.to();
        };
        return "over the " + resource + " limit " + times + " (first at " + first.time().label() + ": " + detail + ")";
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
