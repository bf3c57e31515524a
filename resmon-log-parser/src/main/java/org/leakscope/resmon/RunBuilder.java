package org.leakscope.resmon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.leakscope.model.Module;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.UsageSeries;

/**
 * Follows one run of one monitored module (a pid and module name, or a driver's name in kernel lines): its
 * periodic usage lines, limit updates and reports (shapes: docs/formats/resmon.md §3–5).
 */
final class RunBuilder {
    enum Result { CONTINUE, ENDED, ENDED_REFEED }

    static final byte[] THREADS_USED = UsageLine.THREADS_USED;
    static final byte[] ALL_THREADS = UsageLine.ALL_THREADS_USED;
    static final byte[] PROCESS = UsageLine.PROCESS_USED;
    static final byte[] UPDATE = LineCursor.ascii("update ");
    static final byte[] MONITORING = LineCursor.ascii("monitoring pause update to ");
    /** {@code module 0x<base> size <bytes> [ids] <path>}: Leakscope's trackers name the loaded modules. */
    static final byte[] MODULE = ModuleLine.MODULE;
    private static final int MAX_MODULES = 4096;
    /** resmon.dll's notes: {@code snapshot written PATH} (or failed) after a snapshot on request. */
    private static final byte[] SNAPSHOT = LineCursor.ascii("snapshot ");
    /** resmon.dll without a debugger: {@code unhandled exception 0xCODE at 0xADDRESS}. */
    private static final byte[] CRASH = LineCursor.ascii("unhandled exception ");
    private String crash;
    private static final byte[] MEMORY_LIMIT = LineCursor.ascii("memory limit: from ");
    private static final byte[] CPU_LIMIT = LineCursor.ascii("cpu used limit overflow from ");
    private static final byte[] THREAD_LIMIT = LineCursor.ascii("thread limit: ");
    private static final byte[] SYNC_LIMIT = LineCursor.ascii("sync limit: ");
    private static final byte[] DISK_LIMIT = LineCursor.ascii("disk used limit overflow from ");
    private static final byte[] TO = LineCursor.ascii(" to ");
    private static final byte[] TO_0X = LineCursor.ascii(" to 0x");
    private static final byte[] PERCENT = LineCursor.ascii("%");
    private static final byte[] MS = LineCursor.ascii(" ms");
    private static final int MAX_LIMIT_EVENTS = 100;
    private static final double DEFAULT_INTERVAL_S = 5.0;

    private final int index;
    private final Long pid;
    private final String module;
    private final LogTime start;
    private final ResmonLogOptions options;
    private final ReportBuilder.ProblemSink problems;
    private LogTime end;
    private final UsageSeries memory;
    private final UsageSeries threads;
    private final UsageSeries sync;
    private final UsageSeries cpu;
    private final UsageSeries disk;
    private long lastMemorySample = -1;
    private LimitEvent memoryWrap;
    private long pendingCpu;
    private long pendingDisk;
    private final List<LimitEvent> limitEvents = new ArrayList<>();
    private final List<Module> modules = new ArrayList<>();
    private final Map<String, Long> limitCounts = new TreeMap<>();
    private Long intervalMs;
    private boolean estimatedTimes;
    private double lastSampleTime = Double.NaN;
    private ReportBuilder report;
    private ResmonReport exitReport;
    private ResmonReport lastOnDemand;
    private int onDemandReports;
    private long lines;
    private long lastLine;
    private double lastSeconds;
    private int lastClockMillis = -1;
    private java.time.LocalDate lastDate;

    RunBuilder(int index, Long pid, String module, LogTime start, ResmonLogOptions options,
            ReportBuilder.ProblemSink problems, UsageSeries.Spares spares) {
        this.index = index;
        this.memory = new UsageSeries(spares);
        this.threads = new UsageSeries(spares);
        this.sync = new UsageSeries(spares);
        this.cpu = new UsageSeries(spares);
        this.disk = new UsageSeries(spares);
        this.pid = pid;
        this.module = module;
        this.start = start;
        this.end = start;
        this.options = options;
        this.problems = problems;
    }

    /**
     * One {@code |resmon| } line of this run, the batch's current one; the cursor is at the text after the
     * marker. A usage line comes read already ({@link LineBatch#usage}).
     */
    Result line(LineCursor c, LineBatch r, double t) {
        long n = r.line();
        lines++;
        lastLine = n;
        lastSeconds = t;
        lastClockMillis = r.clockMillis();
        lastDate = r.date();
        int usage = r.usage[r.current];
        if (usage != UsageLine.NONE || c.startsWith(UPDATE) || c.startsWith(MONITORING)) {
            if (report != null && report.exit()) {
                finishReport(false, n);
                return Result.ENDED_REFEED; // the exit block cannot interleave with monitoring: a new run began
            }
            if (usage == UsageLine.NONE) {
                periodic(c, r, t);
            } else {
                usage(usage, c, r, t);
            }
            return Result.CONTINUE;
        }
        if (c.startsWith(MODULE)) {
            module(c, n);
            return Result.CONTINUE;
        }
        if (report == null && c.startsWith(SNAPSHOT)) {
            return Result.CONTINUE;
        }
        if (report == null && c.startsWith(CRASH)) {
            crash = c.rest() + " (line " + n + ")";
            return Result.CONTINUE;
        }
        if (ReportBuilder.isExitHeader(c)) {
            if (report != null) {
                finishReport(false, n);
            }
            report = new ReportBuilder(true, pid == null, LogTime.of(r, t), options, problems);
            return Result.CONTINUE;
        }
        if (report == null) {
            if (ReportBuilder.isOnDemandStart(c)) {
                report = new ReportBuilder(false, pid == null, LogTime.of(r, t), options, problems);
            } else {
                problems.problem(n, "a resmon usage, limit or report line", c.excerpt());
                return Result.CONTINUE;
            }
        }
        int p = c.pos;
        ReportBuilder.Result res = report.line(c, n);
        if (res == ReportBuilder.Result.NOT_MINE) {
            boolean exit = report.exit();
            finishReport(false, n);
            if (exit) {
                return Result.ENDED_REFEED;
            }
            c.pos = p;
            return line(c, r, t);
        }
        if (res == ReportBuilder.Result.ENDED) {
            boolean exit = report.exit();
            finishReport(true, n);
            if (exit) {
                end = LogTime.of(r, t);
                return Result.ENDED;
            }
        }
        return Result.CONTINUE;
    }

    private void module(LineCursor c, long n) {
        int start = c.pos;
        Module m = ModuleLine.parse(c);
        if (m == null) {
            c.pos = start;
            bad(c, n, ModuleLine.SHAPE);
            return;
        }
        if (modules.size() < MAX_MODULES) {
            modules.add(m);
        }
    }

    private void finishReport(boolean complete, long n) {
        ResmonReport built = report.build(complete);
        report = null;
        if (!complete) {
            problems.problem(n, "the rest of the resmon " + (built.exit() ? "exit" : "on-demand") + " report begun at line "
                    + built.start().line(), "it cut off after line " + built.endLine());
        }
        if (built.exit()) {
            exitReport = built;
        } else {
            lastOnDemand = built;
            onDemandReports++;
        }
    }

    /** A usage line, as the filter read it ({@link UsageLine}). */
    private void usage(int kind, LineCursor c, LineBatch r, double t) {
        if (kind < 0) { // read again for where it went wrong
            UsageLine.read(c, numbers);
            bad(c, r.line(), UsageLine.SHAPE[-kind]);
            return;
        }
        long[] v = r.numbers;
        int at = 3 * r.current;
        if (kind == UsageLine.THREADS) {
            double time = sampleTime(t);
            threads.add(time, v[at]);
            sync.add(time, v[at + 1]);
            memory.add(time, v[at + 2]);
            lastMemorySample = v[at + 2];
            cpu.add(time, pendingCpu);
            disk.add(time, pendingDisk);
            pendingCpu = 0;
            pendingDisk = 0;
        } else if (kind == UsageLine.PROCESS) {
            pendingCpu = v[at];
            pendingDisk = v[at + 1];
        }
        // ALL_THREADS: the process line below carries the whole process's share
    }

    /** Monitoring interval and limit updates. */
    private void periodic(LineCursor c, LinePosition r, double t) {
        long n = r.line();
        if (c.lit(MONITORING)) {
            if (!(c.dec() && c.lit(MS))) {
                bad(c, n, "monitoring pause update to N ms");
                return;
            }
            intervalMs = c.value;
            return;
        }
        c.lit(UPDATE);
        String what;
        boolean ok;
        if (c.lit(MEMORY_LIMIT)) {
            what = "memory";
            ok = c.hex0x() && store(c, 0) && c.lit(TO_0X) && c.hex();
        } else if (c.lit(CPU_LIMIT)) {
            what = "cpu";
            ok = c.dec() && store(c, 0) && c.lit(PERCENT) && c.lit(TO) && c.dec() && c.lit(PERCENT);
        } else if (c.lit(THREAD_LIMIT)) {
            what = "threads";
            ok = c.dec() && store(c, 0) && c.lit(TO) && c.dec();
        } else if (c.lit(SYNC_LIMIT)) {
            what = "sync objects";
            ok = c.dec() && store(c, 0) && c.lit(TO) && c.dec();
        } else if (c.lit(DISK_LIMIT)) {
            what = "disk";
            ok = c.dec() && store(c, 0) && c.lit(TO) && c.dec();
        } else {
            bad(c, n, "a resmon limit update (memory, cpu, thread, sync or disk)");
            return;
        }
        if (!ok || !c.atEnd()) {
            bad(c, n, "update " + what + " limit ... from N to N");
            return;
        }
        limitCounts.merge(what, 1L, Long::sum);
        LimitEvent e = new LimitEvent(what, numbers[0], c.value, LogTime.of(r, t));
        if (limitEvents.size() < MAX_LIMIT_EVENTS) {
            limitEvents.add(e);
        }
        // The update follows its cycle's "memory used %u" line and prints the same value whole (0x%p): when the
        // sample is only its low 32 bits, every sample of the run is modulo 4 GiB (x64 resmon).
        if (what.equals("memory") && memoryWrap == null && Long.compareUnsigned(c.value, SizeWrap.FOUR_GIB) >= 0
                && (c.value & 0xFFFFFFFFL) == lastMemorySample) {
            memoryWrap = e;
        }
    }

    private final long[] numbers = new long[3];

    private boolean store(LineCursor c, int i) {
        numbers[i] = c.value;
        return true;
    }

    /** Plain captures have no times: samples are then spaced by the monitoring interval. */
    private double sampleTime(double t) {
        if (!Double.isNaN(t)) {
            lastSampleTime = t;
            return t;
        }
        estimatedTimes = true;
        double step = intervalMs == null ? DEFAULT_INTERVAL_S : intervalMs / 1000.0;
        lastSampleTime = Double.isNaN(lastSampleTime) ? 0 : lastSampleTime + step;
        return lastSampleTime;
    }

    private void bad(LineCursor c, long n, String expected) {
        problems.problem(n, expected, c.excerpt());
    }

    /** The run as read; an open report is closed as cut off. */
    ResmonRun build() {
        if (report != null) {
            finishReport(false, lastLine);
        }
        if (!options.keepCurves()) {
            for (UsageSeries s : new UsageSeries[] {memory, threads, sync, cpu, disk}) {
                s.freeze(); // a finished run keeps its statistics, not its curve
            }
        }
        LogTime last = end.line() == lastLine ? end : new LogTime(lastSeconds,
                lastClockMillis < 0 ? null : java.time.LocalTime.ofNanoOfDay(lastClockMillis * 1_000_000L), lastDate,
                lastLine);
        return new ResmonRun(index, pid, module, start, last, memory, threads, sync, cpu, disk, limitEvents,
                limitCounts, intervalMs, estimatedTimes, exitReport, lastOnDemand, onDemandReports, lines,
                ModuleMap.of(modules), crash, memoryWrap);
    }
}
