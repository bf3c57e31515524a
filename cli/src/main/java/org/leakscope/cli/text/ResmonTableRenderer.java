package org.leakscope.cli.text;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.leakscope.analysis.LoggedRun;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.Attribution;
import org.leakscope.minidump.TableSite;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Frame;

/**
 * A resmon tracking table for people: who and when, limits and totals, its module list's size, what was still
 * alive grouped by call site (the first frame of a stack outside the allocator and the runtime, module+offset or
 * function when the dump or the table lists the modules, the frames folded above it after "via"; stacks that
 * differ only above or inside it merged), and the allocation sizes.
 */
public final class ResmonTableRenderer {
    private ResmonTableRenderer() {
    }

    /** @param sites the table's stacks merged by call site (docs/attribution.md), frames resolved */
    public static void render(StringBuilder out, TrackingTable t, List<AttributedSite<TableSite>> sites, int top) {
        int ptr = t.pointerSize();
        out.append("resmon table of ").append(t.processName().isEmpty() ? "(unnamed)"
                        : Fit.middleInBytes(t.processName(), 40))
                .append(" (pid ").append(t.processId()).append(", ").append(ptr * 8).append("-bit)")
                .append(t.cleanExit() ? ", written at a clean exit" : t.fatalSignal() ? ", written on a crash (fatal signal or exception)"
                        : ", live (the process was running)").append('\n');
        out.append("  table at ").append(addr(t.headerVa(), ptr)).append(", version ").append(t.versionMajor())
                .append('.').append(t.versionMinor()).append('\n');
        out.append("  capture started ").append(time(t.startTimeNs()))
                .append(", last updated ").append(time(t.updateTimeNs())).append('\n');
        TrackingTable.TableLimits l = t.limits();
        out.append("  limits: memory ").append(Sizes.human(l.memoryBytes())).append(", cpu ").append(l.cpuPercent())
                .append("% per ").append(l.intervalMs()).append(" ms, threads ").append(l.threads())
                .append(", sync objects ").append(l.syncObjects()).append(", disk ").append(Sizes.human(l.diskBytes()))
                .append('\n');
        TrackingTable.TableTotals s = t.totals();
        out.append("  totals: ").append(Sizes.exact(s.allocations())).append(" allocations (")
                .append(Sizes.exact(s.allocatedBytes())).append(" bytes), ").append(Sizes.exact(s.frees()))
                .append(" frees (").append(Sizes.exact(s.freedBytes())).append(" bytes), live ")
                .append(Sizes.exact(s.liveBytes())).append(" bytes (peak ").append(Sizes.exact(s.peakBytes()))
                .append(")\n");
        out.append("  live: ").append(s.liveThreads()).append(" threads, ").append(s.liveSyncObjects())
                .append(" sync objects, ").append(s.liveHandles()).append(" handles")
                .append(s.droppedRecords() > 0 ? ", " + Sizes.exact(s.droppedRecords())
                        + " records DROPPED (the table was full: the lists below are incomplete)" : "")
                .append('\n');
        if (t.versionMinor() >= 1) { // 1.0 tables have no module list
            long unloaded = t.modules().stream().filter(org.leakscope.minidump.TableModule::unloaded).count();
            out.append("  modules: ").append(t.modules().isEmpty() ? "none listed by the tracker"
                    : t.modules().size() + " listed by the tracker" + (unloaded == 0 ? "" : " (" + unloaded
                            + " unloaded since)")).append('\n');
        }
        out.append("  live resources: ").append(Sizes.exact(t.liveRecords())).append(" from ")
                .append(LoggedRun.plural(sites.size(), "call site")).append(" (")
                .append(LoggedRun.plural(t.sites().size(), "stack")).append(")\n");
        if (!sites.isEmpty()) {
            Table tab = new Table("count>", "bytes>", "kind", "made by", "call site", "called from")
                    .shrinkable(5, 18, InlineText::fitOrDropSource).shrinkable(4, 32, ResmonTableRenderer::shortenSite).shrinkable(3, 12);
            int shown = 0;
            for (AttributedSite<TableSite> site : sites) {
                if (top > 0 && shown++ == top) {
                    break;
                }
                // the call site is the first frame outside the allocator and the runtime; the rest follow "via"
                Attribution a = site.attribution();
                List<Frame> f = site.stacks().get(0);
                int at = a == null ? 0 : a.folded().size();
                TreeSet<String> madeBy = new TreeSet<>();
                site.members().forEach(m -> madeBy.addAll(m.subtypes()));
                String caller = f.size() < at + 2 ? "" : frame(f.get(at + 1), t.pointerSize()); // its largest stack's
                // the site's inlined calls first, each a row of its own, innermost first (InlineText)
                List<String> group = a == null ? List.of("(none recorded)")
                        : InlineText.group(frame(a.site(), t.pointerSize()), a.site().inlined(), false);
                String last = group.get(group.size() - 1);
                String first = group.size() == 1 && a != null ? Via.withSite(last, a, Fit.WIDTH) : group.get(0);
                tab.row(Sizes.exact(site.count()), site.bytes() == 0 ? "" : Sizes.exact(site.bytes()),
                        site.kind().label(), String.join(",", madeBy), first, caller);
                for (int i = 1; i < group.size(); i++) {
                    String cell = i == group.size() - 1 ? Via.withSite(last, a, Fit.WIDTH) : group.get(i);
                    tab.row("", "", "", "", cell, "");
                }
            }
            tab.render(out, "    ");
            if (top > 0 && sites.size() > top) {
                out.append("    ... ").append(sites.size() - top).append(" more call sites (--top 0 shows all)\n");
            }
        }
        out.append("  allocation sizes since start:\n");
        Table h = new Table("size>", "", "up to>", "allocations>");
        long lower = 0;
        for (int i = 0; i < t.histogram().size(); i++) {
            long upper = i == t.histogram().size() - 1 ? -1 : 16L << i;
            if (t.histogram().get(i) != 0) {
                h.row(Sizes.exact(lower), "-", upper < 0 ? "more" : Sizes.exact(upper),
                        Sizes.exact(t.histogram().get(i)));
            }
            lower = upper;
        }
        if (h.isEmpty()) {
            out.append("    (none)\n");
        } else {
            h.render(out, "    ");
        }
    }

    /** A call-site cell in {@code max} columns: an inlined call's line, or the site with its via part. */
    private static String shortenSite(String cell, int max) {
        return cell.endsWith(InlineText.MARK) ? InlineText.fit(cell, max) : Via.shorten(cell, max);
    }

    private static String frame(Frame f, int ptr) {
        return f.module() == null ? addr(f.address(), ptr)
                : f.describe() + InlineText.shortSource(f.sourceFile(), f.sourceLine());
    }

    static String addr(long a, int ptr) {
        return String.format("0x%0" + (ptr * 2) + "X", a);
    }

    private static String time(long ns) {
        return ns == 0 ? "(not set)" : Instant.ofEpochSecond(0, ns).toString().replace('T', ' ').replaceAll("(\\.\\d+)?Z$", " UTC");
    }
}
