package org.leakscope.cli.json;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.FrameJson;
import org.leakscope.analysis.ResmonTableReport;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.Attribution;
import org.leakscope.minidump.TableSite;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Frame;
import org.leakscope.model.Problem;

/** Builds {@code dumpscan --resmon --json} ({@code leakscope.dumpscan-resmon/1}) from the analysis layer's reports. */
public final class ResmonTableDocument {
    private ResmonTableDocument() {
    }

    /**
     * The {@code leakscope.dumpscan-resmon} document.
     *
     * @param inputs each dump or image with its tables
     * @return the JSON text
     */
    public static String document(List<ResmonTableJson.Input> inputs) {
        return Json.write(new ResmonTableJson.Document(ResmonTableJson.SCHEMA, inputs));
    }

    /**
     * One table: header, totals, call sites (at most {@code top}, 0: all), stacks, histogram, modules.
     *
     * @param report the table with its sites attributed
     * @param top    how many call sites and stacks
     * @return the table's JSON record
     */
    public static ResmonTableJson.Table table(ResmonTableReport.Table report, int top) {
        TrackingTable t = report.table();
        List<AttributedSite<TableSite>> merged = report.sites();
        String foundIn = report.foundIn();
        String modulesFrom = report.modulesFrom();
        int ptr = t.pointerSize();
        List<ResmonTableJson.Site> sites = new ArrayList<>();
        List<ResmonTableJson.CallSite> callSites = new ArrayList<>();
        for (AttributedSite<TableSite> m : merged) {
            Attribution a = m.attribution();
            List<Frame> first = m.stacks().get(0);
            int at = a == null ? 0 : a.folded().size();
            if (top <= 0 || callSites.size() < top) {
                callSites.add(new ResmonTableJson.CallSite(m.kind().name().toLowerCase(java.util.Locale.ROOT),
                        m.count(), m.bytes(), m.members().stream().flatMap(x -> x.subtypes().stream()).distinct()
                                .sorted().toList(), a == null ? null : FrameJson.of(a.site(), ptr),
                        a == null ? List.of() : a.folded().stream().map(f -> FrameJson.of(f, ptr)).toList(),
                        first.size() < at + 2 ? null : FrameJson.of(first.get(at + 1), ptr), m.members().size()));
            }
        }
        for (ResmonTableReport.Stack stack : report.stacks()) { // one by one, in the table's order
            if (top > 0 && sites.size() == top) {
                break;
            }
            TableSite s = stack.site();
            Attribution a = stack.attribution();
            sites.add(new ResmonTableJson.Site(s.kind().name().toLowerCase(java.util.Locale.ROOT), s.count(), s.bytes(),
                    s.subtypes().stream().sorted().toList(),
                    stack.frames().stream().map(f -> FrameJson.of(f, ptr)).toList(),
                    a == null ? null : FrameJson.of(a.site(), ptr), a == null ? 0 : a.folded().size()));
        }
        List<ResmonTableJson.Bucket> buckets = new ArrayList<>();
        long lower = 0;
        for (int i = 0; i < t.histogram().size(); i++) {
            long upper = i == t.histogram().size() - 1 ? -1 : 16L << i;
            if (t.histogram().get(i) != 0) {
                buckets.add(new ResmonTableJson.Bucket(lower, upper, t.histogram().get(i)));
            }
            lower = upper;
        }
        TrackingTable.TableLimits l = t.limits();
        TrackingTable.TableTotals s = t.totals();
        return new ResmonTableJson.Table(foundIn, Json.addr(t.headerVa(), ptr), t.versionMajor() + "." + t.versionMinor(), ptr,
                t.cleanExit(), t.fatalSignal(), t.processId(), t.processName(), time(t.startTimeNs()),
                time(t.updateTimeNs()),
                new ResmonTableJson.Limits(l.memoryBytes(), l.cpuPercent(), l.threads(), l.syncObjects(), l.intervalMs(),
                        l.diskBytes()),
                new ResmonTableJson.Totals(s.allocatedBytes(), s.freedBytes(), s.liveBytes(), s.peakBytes(),
                        s.allocations(), s.frees(), s.droppedRecords(), s.liveThreads(), s.liveSyncObjects(),
                        s.liveHandles()),
                t.liveRecords(), sites, callSites, buckets, modulesFrom, modulesJson(t),
                t.problems().stream().map(Problem::message).toList());
    }

    /** The table's module list as written; null for a 1.0 table, which cannot have one. */
    private static List<ResmonTableJson.Module> modulesJson(TrackingTable t) {
        if (t.versionMinor() < 1) {
            return null;
        }
        List<ResmonTableJson.Module> out = new ArrayList<>(t.modules().size());
        for (org.leakscope.minidump.TableModule m : t.modules()) {
            out.add(new ResmonTableJson.Module(Json.addr(m.base(), t.pointerSize()), m.size(),
                    m.path() == null ? null : m.module().name(), m.path(), m.debugFile(), m.debugId(), m.codeId(),
                    m.loadTimeNs() == 0 ? null : m.loadTimeNs(), m.unloaded() ? m.unloadTimeNs() : null));
        }
        return out;
    }

    private static String time(long ns) {
        return ns == 0 ? null : java.time.Instant.ofEpochSecond(0, ns).toString();
    }
}
