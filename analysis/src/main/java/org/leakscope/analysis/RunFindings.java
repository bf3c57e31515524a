package org.leakscope.analysis;

import static org.leakscope.analysis.LoggedRun.amount;
import static org.leakscope.analysis.LoggedRun.plural;
import static org.leakscope.analysis.LoggedRun.rate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.RunHealth;
import org.leakscope.diff.UsageTrend;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.LimitEvent;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.resmon.SizeWrap;

/** The sentences that explain a run's verdict: what it left at exit, wrapped sizes, trends, limits. */
final class RunFindings {
    private final LoggedRun logged;
    private final ResmonRun run;
    private final RunHealth health;
    private final List<AttributedSite<CallSite>> sites;

    RunFindings(LoggedRun logged) {
        this.logged = logged;
        this.run = logged.run();
        this.health = logged.health();
        this.sites = logged.sites();
    }

    List<String> list() {
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
        return s + "; the largest: " + logged.describe(top.site()) + " (" + plural(top.count(), top.kind().label())
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
            fixes.add("+" + fourGib(f.addedBytes() / SizeWrap.FOUR_GIB) + " at " + logged.address(f.returnAddress()));
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
}
