package org.leakscope.cli.json;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.leakscope.analysis.FrameJson;
import org.leakscope.analysis.LogReport;
import org.leakscope.analysis.LoggedRun;
import org.leakscope.analysis.RunCounts;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.RunHealth;
import org.leakscope.diff.UsageTrend;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.UsageSeries;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.HistogramBucket;
import org.leakscope.resmon.LimitEvent;
import org.leakscope.resmon.LogTime;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.resmon.SizeWrap;

/** Builds logscan's {@code --json} document from the analysis layer's {@link LogReport}. */
public final class LogscanDocument {
    private LogscanDocument() {
    }

    /**
     * The document for a report.
     *
     * @param report the runs of the logs, assessed
     * @param top    how many call sites per run (0: all)
     * @return the {@code leakscope.logscan} document
     */
    public static LogscanJson.Document of(LogReport report, int top) {
        List<LogscanJson.Input> inputs = new ArrayList<>();
        for (ResmonLog l : report.logs()) {
            inputs.add(new LogscanJson.Input(l.source(), l.encoding(), l.computer(), l.framed(), l.records(),
                    l.resmonLines(), l.runs().size(), l.problems().size()));
        }
        List<LogscanJson.Run> out = new ArrayList<>();
        for (LoggedRun r : report.runs()) {
            out.add(run(r, top));
        }
        RunCounts n = report.counts();
        return new LogscanJson.Document(LogscanJson.SCHEMA, inputs, out, new LogscanJson.Summary(n.runs(), n.leaked(),
                n.overLimit(), n.clean(), n.incomplete()), report.warnings(), report.symbols());
    }

    private static LogscanJson.Run run(LoggedRun lr, int top) {
        ResmonRun r = lr.run();
        RunHealth h = lr.health();
        double span = r.end().seconds() - r.start().seconds();
        List<LogscanJson.LimitEvent> events = new ArrayList<>();
        for (LimitEvent e : r.limitEvents()) {
            events.add(limitEvent(e));
        }
        UsageSeries disk = r.diskBytes();
        LogscanJson.Usage usage = new LogscanJson.Usage(series(r.memory(), lr.trend("memory used")),
                series(r.threads(), lr.trend("threads used")), series(r.syncObjects(), lr.trend("sync objects used")),
                series(r.cpuPercent(), null), disk.count() == 0 ? null : (long) disk.lastValue());
        return new LogscanJson.Run(lr.file(), r.index(), r.processId(), r.module(), r.kernel(), time(r.start()),
                time(r.end()), Double.isNaN(span) ? null : round(span), r.estimatedTimes(), h.verdict().word(),
                h.leaked(), h.overLimit(), lr.findings(), usage,
                new LogscanJson.Limits(new TreeMap<>(r.limitCounts()), events), r.intervalMs(),
                report(lr, r.report(), top), r.onDemandReports(),
                r.memoryWrap() == null ? null : limitEvent(r.memoryWrap()));
    }

    private static LogscanJson.LimitEvent limitEvent(LimitEvent e) {
        return new LogscanJson.LimitEvent(e.resource(), e.from(), e.to(), time(e.time()));
    }

    /** @param t the series' trend, null for none (cpu has none) */
    private static LogscanJson.Series series(UsageSeries s, UsageTrend t) {
        if (s.count() == 0) {
            return new LogscanJson.Series(0, null, null, null, null, null, null, null, null);
        }
        return new LogscanJson.Series(s.count(), Math.round(s.firstValue()), Math.round(s.lastValue()),
                Math.round(s.peakValue()),
                round(s.peakTime()), t == null ? null : round(t.perHour()),
                t == null ? null : t.sustained(), t == null ? null : t.risingSteps(),
                t == null ? null : t.fallingSteps());
    }

    private static LogscanJson.Report report(LoggedRun lr, ResmonReport rep, int top) {
        if (rep == null) {
            return null;
        }
        List<LogscanJson.CallSite> sites = new ArrayList<>();
        int ptr = lr.pointerDigits() / 2;
        for (AttributedSite<CallSite> s : lr.sites()) {
            if (top > 0 && sites.size() == top) {
                break;
            }
            List<LogscanJson.Stack> stacks = new ArrayList<>();
            for (int i = 0; i < s.members().size() && stacks.size() < LogscanJson.MAX_STACKS; i++) {
                CallSite m = s.members().get(i);
                stacks.add(new LogscanJson.Stack(m.count(), m.bytes(), frames(s.stacks().get(i), ptr)));
            }
            Frame site = s.site();
            sites.add(new LogscanJson.CallSite(s.kind().name().toLowerCase(java.util.Locale.ROOT),
                    site == null ? null : Json.addr(site.address(), ptr), lr.describe(site), s.count(), s.bytes(),
                    s.members().stream().flatMap(m -> m.types().stream()).distinct().sorted().toList(),
                    FrameJson.of(site, ptr), s.attribution() == null ? List.of() : frames(s.attribution().folded(), ptr),
                    stacks, s.members().size()));
        }
        List<LogscanJson.Bucket> buckets = new ArrayList<>();
        for (HistogramBucket b : rep.histogram()) {
            buckets.add(new LogscanJson.Bucket(b.lower(), b.upper(), b.count()));
        }
        return new LogscanJson.Report(rep.exit(), rep.complete(), rep.start().line(), rep.endLine(),
                rep.resmonMemory(), rep.memoryTotal(), rep.threadTotal(), rep.syncTotal(), rep.resourcesListed(),
                rep.notAllFree(), rep.activeThreads().stream().map(Hex::of).toList(), rep.blocked(),
                lr.sites().size(), sites, buckets,
                sizeWrap(lr, rep.sizeWrap()));
    }

    private static List<FrameJson> frames(List<Frame> frames, int ptr) {
        return frames.stream().map(f -> FrameJson.of(f, ptr)).toList();
    }

    private static LogscanJson.SizeWrap sizeWrap(LoggedRun lr, SizeWrap w) {
        if (w == null) {
            return null;
        }
        List<LogscanJson.SizeFix> fixes = new ArrayList<>();
        for (SizeWrap.Fix f : w.fixes()) {
            fixes.add(new LogscanJson.SizeFix(f.returnAddress() == null ? null
                    : Json.addr(f.returnAddress(), lr.pointerDigits() / 2), lr.address(f.returnAddress()),
                    f.addedBytes()));
        }
        return new LogscanJson.SizeWrap(w.listedBytes(), w.totalBytes(), w.wraps(), w.corrected(),
                w.correctedBlocks(), fixes, w.reason());
    }

    private static LogscanJson.Time time(LogTime t) {
        return new LogscanJson.Time(Double.isNaN(t.seconds()) ? null : round(t.seconds()),
                t.clock() == null ? null : (t.date() == null ? "" : t.date() + " ") + t.clock(), t.line());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
