package org.leakscope.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.LogscanJson;
import org.leakscope.diff.RunHealth;
import org.leakscope.diff.UsageTrend;
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

/** Builds logscan's {@code --json} document from the runs read. */
final class LogscanDocument {
    private LogscanDocument() {
    }

    static LogscanJson.Document of(List<ResmonLog> logs, List<LoggedRun> runs, List<String> warnings, int top) {
        List<LogscanJson.Input> inputs = new ArrayList<>();
        for (ResmonLog l : logs) {
            inputs.add(new LogscanJson.Input(l.source(), l.encoding(), l.computer(), l.framed(), l.records(),
                    l.resmonLines(), l.runs().size(), l.problems().size()));
        }
        List<LogscanJson.Run> out = new ArrayList<>();
        for (LoggedRun r : runs) {
            out.add(run(r, top));
        }
        LogscanCounts n = LogscanCounts.of(runs);
        return new LogscanJson.Document(LogscanJson.SCHEMA, inputs, out, new LogscanJson.Summary(n.runs(), n.leaked(),
                n.overLimit(), n.clean(), n.incomplete()), warnings);
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
        LogscanJson.Usage usage = new LogscanJson.Usage(series(r.memory(), h, "memory used"),
                series(r.threads(), h, "threads used"), series(r.syncObjects(), h, "sync objects used"),
                series(r.cpuPercent(), null, null), disk.count() == 0 ? null : (long) disk.lastValue());
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

    private static LogscanJson.Series series(UsageSeries s, RunHealth h, String metric) {
        if (s.count() == 0) {
            return new LogscanJson.Series(0, null, null, null, null, null, null, null, null);
        }
        UsageTrend t = h == null ? null
                : h.trends().stream().filter(x -> x.metric().equals(metric)).findFirst().orElse(null);
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
        for (CallSite s : rep.callSites()) {
            if (top > 0 && sites.size() == top) {
                break;
            }
            sites.add(new LogscanJson.CallSite(s.kind().name().toLowerCase(java.util.Locale.ROOT),
                    s.returnAddress() == null ? null : Json.addr(s.returnAddress(), lr.pointerDigits() / 2),
                    lr.address(s.returnAddress()), s.count(), s.bytes(),
                    s.types().stream().sorted().toList()));
        }
        List<LogscanJson.Bucket> buckets = new ArrayList<>();
        for (HistogramBucket b : rep.histogram()) {
            buckets.add(new LogscanJson.Bucket(b.lower(), b.upper(), b.count()));
        }
        return new LogscanJson.Report(rep.exit(), rep.complete(), rep.start().line(), rep.endLine(),
                rep.resmonMemory(), rep.memoryTotal(), rep.threadTotal(), rep.syncTotal(), rep.resourcesListed(),
                rep.notAllFree(), rep.activeThreads().stream().map(Hex::of).toList(), rep.blocked(),
                rep.callSites().size(), sites, buckets,
                sizeWrap(lr, rep.sizeWrap()));
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
