package org.leakscope.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.leakscope.analysis.Comparisons;
import org.leakscope.analysis.FrameJson;
import org.leakscope.analysis.Growth;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.LeakdiffReport;
import org.leakscope.analysis.LeakdiffRequest;
import org.leakscope.analysis.Leakdiffs;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.LeakdiffJson;
import org.leakscope.cli.text.Fit;
import org.leakscope.cli.text.TrendRenderer;
import org.leakscope.cli.text.UmdhCompareRenderer;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.StackChange;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.Snapshot;
import org.leakscope.umdh.UmdhCompareLog;

/**
 * {@code leakdiff OLD NEW [-d]}: what grew between heap snapshots, by call stack, in UMDH's compare format;
 * {@code leakdiff S1 ... Sn --trend}: which stacks keep growing; {@code leakdiff COMPARE.txt}: an existing
 * UMDH compare re-rendered, filtered or turned into JSON.
 */
final class LeakdiffCommand {
    private final PrintStream out;
    private final PrintStream err;

    LeakdiffCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder("d").longOpt("decimal").desc("numbers in decimal (default: hexadecimal, like umdh)")
                .build());
        o.addOption(Option.builder().longOpt("trend").desc("growth over 2 or more snapshots (oldest first): stacks"
                + " ranked by sustained growth per hour").build());
        o.addOption(Option.builder().longOpt("top").hasArg().argName("N").desc("show the N largest changes").build());
        o.addOption(Option.builder().longOpt("min-delta").hasArg().argName("BYTES")
                .desc("hide stacks whose change is smaller (bytes; allocations with --sort count)").build());
        o.addOption(Option.builder().longOpt("sort").hasArg().argName("bytes|count")
                .desc("rank by byte growth (default) or allocation-count growth").build());
        o.addOption(Option.builder().longOpt("key").hasArg().argName("KEY")
                .desc("how stacks are matched: trace-id (umdh's own, one process lifetime), frames (module!function,"
                        + " across runs; default when symbols resolve), module-offset (ASLR-proof; default otherwise)")
                .build());
        CommonOptions.addFolding(o, "keep allocator frames in the key");
        o.addOption(Option.builder().longOpt("fail-above").hasArg().argName("BYTES")
                .desc("exit 3 when the total or any one stack grew by more than BYTES (a CI leak gate)").build());
        CommonOptions.addSymbolsPath(o, "Breakpad symbol store or directory of program files (repeatable); a file"
                + " is used only when it is the module's build: by id where the input records one, else by size");
        CommonOptions.addModuleFile(o);
        o.addOption(Option.builder().longOpt("encoding").hasArg().argName("CHARSET")
                .desc("code page of non-UTF-8 text in the logs (default windows-1252)").build());
        o.addOption(Option.builder().longOpt("input-radix").hasArg().argName("16|10")
                .desc("how to read an existing compare output's numbers (default: detected)").build());
        o.addOption(Option.builder().longOpt("strict").desc("a line the reader does not understand is an error").build());
        o.addOption(Option.builder().longOpt("pid").hasArg().argName("PID").desc("resmon logs: the run of this"
                + " process id (once for all logs, or once per log in order)").build());
        o.addOption(Option.builder().longOpt("process").hasArg().argName("NAME")
                .desc("resmon logs: runs of this program or driver only").build());
        o.addOption(Option.builder().longOpt("run").hasArg().argName("N").desc("resmon logs: the N-th run as logscan"
                + " numbers them (once for all logs, or once per log; default: the last run with a report)").build());
        o.addOption(Option.builder().longOpt("json").desc("machine-readable output (schema in docs/json.md)").build());
        CommonOptions.addOutputAndHelp(o);
        return o;
    }

    ExitCode run(String[] args) throws IOException {
        Options options = options();
        CommandLine cl = CommonOptions.parseOrHelp(options, args, () -> help(options));
        if (cl == null) {
            return ExitCode.OK;
        }
        List<Path> paths = CommonOptions.files(cl, "input");
        boolean trend = cl.hasOption("trend");
        int top = intOption(cl, "top", 0);
        long minDelta = longOption(cl, "min-delta", 0);
        Long failAbove = cl.hasOption("fail-above") ? longOption(cl, "fail-above", 0) : null;
        LeakdiffRequest request = parse(() -> LeakdiffRequest.of(trend, cl.getOptionValue("key"),
                cl.getOptionValue("sort"), minDelta, top));
        conflicting(cl, "run", "pid");
        CommonOptions.checkFolding(cl);
        Settings settings = CommonOptions.settings(cl);
        if (cl.hasOption("input-radix")) {
            int r = intOption(cl, "input-radix", 0);
            if (r != 10 && r != 16) {
                throw new UsageException("--input-radix must be 16 or 10");
            }
            settings = settings.withCompareRadix(r);
        }

        List<InputKind> kinds = new ArrayList<>();
        for (Path p : paths) {
            kinds.add(Inputs.detect(p, settings.umdh()));
        }
        boolean logs = kinds.contains(InputKind.RESMON_LOG);
        if (logs && kinds.stream().anyMatch(k -> k != InputKind.RESMON_LOG)) {
            throw new UsageException("resmon logs can only be compared with resmon logs: their call sites are single"
                    + " return addresses, a UMDH log's are stacks");
        }
        boolean tables = kinds.contains(InputKind.TABLE_IMAGE) || kinds.contains(InputKind.MINIDUMP);
        if (tables && kinds.stream().anyMatch(k -> k != InputKind.TABLE_IMAGE && k != InputKind.MINIDUMP)) {
            throw new UsageException("table images and minidumps (leakdiff reads a minidump only for its resmon table;"
                    + " use dumpscan for the rest of a dump) can only be compared with each other");
        }
        boolean rerender = paths.size() == 1 && kinds.get(0) == InputKind.UMDH_COMPARE;
        if (!rerender) {
            if (paths.size() < 2) {
                throw new UsageException(paths.get(0) + (logs ? " is a resmon log: give two or more to compare"
                        + " (oldest first; the same log twice with --run N --run M compares two of its runs)"
                        : " is a UMDH snapshot: give two or more snapshots (oldest first): two to compare, any"
                                + " number with --trend"));
            }
            for (int i = 0; i < paths.size(); i++) {
                if (kinds.get(i) == InputKind.UMDH_COMPARE) {
                    throw new UsageException(paths.get(i) + " is a UMDH compare output, not a snapshot: compare outputs"
                            + " cannot be compared again (give it alone to re-render, filter or convert it)");
                }
            }
        } else if (trend) {
            throw new UsageException("--trend needs two or more snapshots; " + paths.get(0) + " is a compare output");
        }
        if (!rerender && !trend && paths.size() > 2) {
            // comparing some pair of them silently (the last two, say) would hide the others
            throw new UsageException(paths.size() + " snapshots given: a compare takes two (OLD NEW); add --trend for"
                    + " growth across all of them");
        }

        Timing timing = new Timing(err);
        List<Settings> perInput = new ArrayList<>();
        List<Integer> runs = new ArrayList<>();
        perLog(cl, kinds, settings, perInput, runs);
        List<SnapshotInput> inputs = SnapshotInputs.read("leakdiff", paths, kinds, perInput, runs, new Progress(err));
        timing.mark("read");
        LeakdiffReport report = Leakdiffs.analyse(inputs, settings, request);
        timing.mark("analyse");
        CommonOptions.printWarnings(err, "leakdiff", report.warnings());
        OutputTarget target = new OutputTarget(cl.hasOption("output") ? Path.of(cl.getOptionValue("output")) : null, out);
        boolean json = cl.hasOption("json");
        String keyNote = report.key().cliName() + (report.folded() ? ", allocator frames folded" : "");
        boolean decimal = cl.hasOption("decimal");
        if (report instanceof LeakdiffReport.Rerender r) {
            UmdhCompareLog log = r.log();
            String about = " re-read (" + (log.radix() == 16 ? "hex" : "decimal") + " input, "
                    + log.entries().size() + " stacks)";
            String title = "Leakscope leakdiff: ";
            List<String> header = List.of(title + Fit.middleInBytes(log.source(),
                    Math.max(16, Fit.WIDTH - "// ".length() - title.length() - about.length())) + about);
            emitCompare(target, json, decimal, header, r.comparison(), r.shown(), report, request, "rerender");
        } else if (report instanceof LeakdiffReport.Trend r) {
            if (json) {
                target.write(Json.write(trendJson(r, inputsJson(inputs, r.snapshots()))));
            } else {
                target.write(TrendRenderer.render(r.trend(), paths.stream().map(Path::toString).toList(),
                        r.shown(), keyNote));
            }
        } else if (report instanceof LeakdiffReport.Compare r) {
            List<String> header = new ArrayList<>();
            header.add("Leakscope leakdiff: UMDH-compatible compare (" + (decimal ? "decimal" : "hex")
                    + "), key " + keyNote);
            for (int i = 0; i < inputs.size(); i++) {
                String role = i == 0 ? "old: " : "new: ";
                header.add(role + describe(inputs.get(i), Fit.WIDTH - "// ".length() - role.length()));
            }
            header.add(r.comparison().changes().size() + " stacks changed, " + r.shown().size() + " shown, "
                    + r.comparison().unchanged() + " unchanged");
            emitCompare(target, json, decimal, header, r.comparison(), r.shown(), report, request, "compare");
        }
        Growth worst = report.worst();
        timing.mark("report");
        if (failAbove != null && worst.bytes() > failAbove) {
            err.println("leakdiff: leak gate: " + what(worst) + " grew by " + worst.bytes()
                    + " bytes, above --fail-above " + failAbove);
            return ExitCode.THRESHOLD;
        }
        return ExitCode.OK;
    }

    private void emitCompare(OutputTarget target, boolean json, boolean decimal, List<String> header, Comparison c,
            List<StackChange> shown, LeakdiffReport report, LeakdiffRequest request, String mode) throws IOException {
        if (json) {
            List<SnapshotInput> inputs = report.inputs();
            List<Snapshot> snaps = inputs.stream().map(SnapshotInput::snapshot).toList();
            List<LeakdiffJson.Stack> stacks = new ArrayList<>(shown.size());
            for (StackChange s : shown) {
                stacks.add(new LeakdiffJson.Stack(s.traceId(), s.mergedTraces(),
                        LeakdiffJson.Change.of(s.oldBytes(), s.newBytes()),
                        LeakdiffJson.Change.of(s.oldCount(), s.newCount()),
                        LeakdiffJson.Change.of(s.oldOverhead(), s.newOverhead()), s.foldedFrames(),
                        frames(s.backtrace().frames(), Comparisons.pointerSize(snaps)),
                        aliases(s.backtrace(), Comparisons.pointerSize(snaps))));
            }
            long minDelta = request.minDelta();
            int top = request.top();
            LeakdiffJson.Compare doc = new LeakdiffJson.Compare(LeakdiffJson.SCHEMA, mode, report.key().cliName(),
                    report.folded(), request.sort().name().toLowerCase(java.util.Locale.ROOT),
                    minDelta == 0 ? null : minDelta, top <= 0 ? null : top, inputsJson(inputs, snaps),
                    new LeakdiffJson.Totals(LeakdiffJson.Change.of(c.oldBytes(), c.newBytes()),
                            LeakdiffJson.Change.of(c.oldCount(), c.newCount()),
                            LeakdiffJson.Change.of(c.oldOverhead(), c.newOverhead())),
                    c.changes().size(), c.unchanged(), shown.size(), stacks, report.warnings());
            target.write(Json.write(doc));
        } else {
            target.stream(w -> new UmdhCompareRenderer(decimal, w).render(header, c, shown));
        }
    }

    /**
     * Per-log reader options and run choice from --pid/--process/--run: given once they hold for every log,
     * given once per log they pair up in order.
     */
    private static void perLog(CommandLine cl, List<InputKind> kinds, Settings settings, List<Settings> out,
            List<Integer> runs) {
        int logs = (int) kinds.stream().filter(k -> k == InputKind.RESMON_LOG).count();
        List<String> pids = values(cl, "pid", logs);
        List<String> runNumbers = values(cl, "run", logs);
        int li = 0;
        for (InputKind k : kinds) {
            if (k != InputKind.RESMON_LOG) {
                out.add(settings);
                runs.add(null);
                continue;
            }
            String pid = pids.isEmpty() ? null : pids.get(pids.size() == 1 ? 0 : li);
            String run = runNumbers.isEmpty() ? null : runNumbers.get(runNumbers.size() == 1 ? 0 : li);
            li++;
            Long p = pid == null ? null : parseNumber("pid", pid);
            Long r = run == null ? null : parseNumber("run", run);
            if (r != null && (r < 1 || r > Integer.MAX_VALUE)) {
                throw new UsageException("--run: runs are numbered from 1, got " + run);
            }
            out.add(settings.withProcess(p, cl.getOptionValue("process")));
            runs.add(r == null ? null : r.intValue());
        }
    }

    /** Two options that contradict each other: a usage error rather than one silently winning. */
    private static void conflicting(CommandLine cl, String a, String b) {
        if (cl.hasOption(a) && cl.hasOption(b)) {
            throw new UsageException("--" + a + " and --" + b + " cannot be used together"
                    + " (--run picks a run by its number, --pid by its process id: give one)");
        }
    }

    private static List<String> values(CommandLine cl, String name, int logs) {
        String[] v = cl.getOptionValues(name);
        if (v == null) {
            return List.of();
        }
        if (logs == 0) {
            throw new UsageException("--" + name + " applies to resmon logs, and none was given");
        }
        if (v.length != 1 && v.length != logs) {
            throw new UsageException("--" + name + " given " + v.length + " times for " + logs
                    + " logs: give it once (for all) or once per log");
        }
        return Arrays.asList(v);
    }

    private static long parseNumber(String name, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected a decimal number, got '" + v + "'");
        }
    }

    /** The input's path and what it holds, in at most {@code width} columns (the path loses its middle). */
    private static String describe(SnapshotInput in, int width) {
        StringBuilder sb = new StringBuilder();
        if (in.run() != null) {
            var r = in.run();
            var rep = r.report();
            sb.append(" (run ").append(r.index()).append(": ").append(r.label()).append(", ")
                    .append(rep.exit() ? "exit" : "on-demand").append(" report lines ").append(rep.start().line())
                    .append("..").append(rep.endLine()).append(", ").append(rep.callSites().size())
                    .append(" call sites)");
        }
        if (in.umdh() != null) {
            var h = in.umdh().header();
            List<String> parts = new ArrayList<>();
            if (h.umdhVersion() != null) {
                parts.add("UMDH " + h.umdhVersion());
            }
            if (h.processId() != null) {
                parts.add("PID " + h.processId());
            }
            if (h.logTime() != null) {
                parts.add(h.logTime().toString().replace('T', ' '));
            }
            parts.add(in.umdh().snapshot().aggregates().size() + " traces");
            sb.append(" (").append(String.join(", ", parts)).append(')');
        }
        return Fit.middleInBytes(in.path(), Math.max(16, width - sb.length())) + sb;
    }

    /** Whose growth the leak gate names: the total, a stack by its trace id, or "one stack". */
    private static String what(Growth g) {
        return g.ofTotal() ? "the total" : g.traceId() == null ? "one stack"
                : "BackTrace" + Fit.middleInBytes(g.traceId(), 40);
    }

    private static LeakdiffJson.Trend trendJson(LeakdiffReport.Trend report, List<LeakdiffJson.Input> ins) {
        TrendReport r = report.trend();
        List<StackTrend> shown = report.shown();
        List<LeakdiffJson.TrendStack> stacks = new ArrayList<>();
        int rank = 1;
        for (StackTrend s : shown) {
            stacks.add(new LeakdiffJson.TrendStack(rank++, s.traceId(), s.mergedTraces(), s.sustained(),
                    round(s.bytesPerUnit()), round(s.countPerUnit()), s.risingSteps(), s.fallingSteps(),
                    boxed(s.bytes()), boxed(s.counts()), s.foldedFrames(), frames(s.backtrace().frames(), 8),
                    aliases(s.backtrace(), 8)));
        }
        List<String> times = r.times().stream().map(t -> t == null ? null : t.toString()).toList();
        double span = r.spanHours();
        return new LeakdiffJson.Trend(LeakdiffJson.TREND_SCHEMA, r.key().cliName(),
                report.folded(), r.perHour() ? "hour" : "snapshot",
                Double.isNaN(span) ? null : round(span), times, ins,
                new LeakdiffJson.TrendTotals(boxed(r.totalBytes()), boxed(r.totalCounts()), round(r.totalPerUnit())),
                r.stacks().size(), (int) r.stacks().stream().filter(StackTrend::sustained).count(), shown.size(), stacks,
                report.warnings());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static List<Long> boxed(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long v : a) {
            l.add(v);
        }
        return l;
    }

    private static List<LeakdiffJson.Input> inputsJson(List<SnapshotInput> inputs, List<Snapshot> snaps) {
        List<LeakdiffJson.Input> out = new ArrayList<>();
        for (SnapshotInput in : inputs) {
            if (in.umdh() != null) {
                Snapshot s = in.umdh().snapshot();
                var h = in.umdh().header();
                long[] sum = Comparisons.totals(s);
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), in.umdh().encoding(), s.processId(), s.processName(),
                        s.time() == null ? null : s.time().toString(), h.umdhVersion(), h.machine(), in.umdh().heaps(),
                        in.umdh().records(), s.aggregates().size(), sum[0], sum[1], s.problems().size()));
            } else if (in.kind() == InputKind.TABLE_IMAGE || in.kind() == InputKind.MINIDUMP) {
                Snapshot s = in.snapshot();
                long[] sum = Comparisons.totals(s);
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), null, s.processId(), s.processName(),
                        s.time() == null ? null : s.time().toString(), null, null, null, sum[1], s.aggregates().size(),
                        sum[0], sum[1], s.problems().size()));
            } else if (in.compare() != null) {
                UmdhCompareLog c = in.compare();
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), c.encoding(), null, null, null, null,
                        null, null, null, c.entries().size(), null, null, c.problems().size()));
            } else {
                Snapshot s = in.snapshot();
                long[] sum = Comparisons.totals(s);
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), in.log().encoding(), s.processId(),
                        s.processName(), null, null, null, null, in.run().report().resourcesListed(),
                        s.aggregates().size(), sum[0], sum[1], in.log().problems().size()));
            }
        }
        return out;
    }

    /** The alias stacks, or null when the trace has none (the usual case). */
    private static List<List<FrameJson>> aliases(Backtrace bt, int ptr) {
        if (bt.aliases().isEmpty()) {
            return null;
        }
        List<List<FrameJson>> out = new ArrayList<>(bt.aliases().size());
        for (List<Frame> alias : bt.aliases()) {
            out.add(frames(alias, ptr));
        }
        return out;
    }

    private static List<FrameJson> frames(List<Frame> frames, int ptr) {
        List<FrameJson> out = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            boolean symbolicOnly = f.address() == 0 && f.module() != null;
            out.add(new FrameJson(symbolicOnly ? null : Json.addr(f.address(), ptr), f.module(),
                    Json.hex(f.moduleOffset()), f.function(), Json.hex(f.functionOffset()), f.sourceFile(),
                    f.sourceLine(), symbolicOnly ? UmdhCompareRenderer.frame(f) : f.describe(), f.mangled()));
        }
        return out;
    }

    /** Phase times on stderr with LEAKSCOPE_TIMING set (for bench/ and profiling), else nothing. */
    private static final class Timing {
        private final PrintStream err;
        private final boolean on = System.getenv("LEAKSCOPE_TIMING") != null;
        private long last = System.nanoTime();

        Timing(PrintStream err) {
            this.err = err;
        }

        void mark(String phase) {
            if (on) {
                long now = System.nanoTime();
                err.println("leakdiff: " + phase + " " + (now - last) / 1_000_000 + " ms");
                last = now;
            }
        }
    }


    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static int intOption(CommandLine cl, String name, int dflt) {
        long v = longOption(cl, name, dflt);
        if (v > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " " + v + ": too large");
        }
        return (int) v;
    }

    private static long longOption(CommandLine cl, String name, long dflt) {
        String s = cl.getOptionValue(name);
        if (s == null) {
            return dflt;
        }
        try {
            long v = s.startsWith("0x") || s.startsWith("0X") ? Hex.parse(s) : Long.parseLong(s.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected a non-negative number, got '" + s + "'");
        }
    }

    private void help(Options options) {
        CommonOptions.printHelp(out, options, "leakdiff [options] OLD NEW | S1 S2 ... Sn --trend | COMPARE",
                "Compare heap snapshots by call stack: what grew, by how much, and what keeps growing. Reads UMDH"
                        + " snapshot logs (umdh -p:PID -f:log.txt; ANSI, UTF-8 or UTF-16, any line ending) and UMDH"
                        + " compare outputs; the type is detected from the content.",
                """
                Examples:
                  leakdiff log1.txt log2.txt -d               # umdh -d log1.txt log2.txt, on any OS
                  leakdiff log1.txt log2.txt --top 10 --json  # schema: docs/json.md
                  leakdiff day1.txt day2.txt day3.txt --trend # stacks that grow steadily, per hour
                  leakdiff before.txt after.txt --fail-above 1048576   # CI gate: exit 3 past 1 MiB growth
                  leakdiff compare.txt --min-delta 4096 --json         # filter an existing umdh compare

                Warnings about lines the reader did not understand go to stderr (all of them in --json); they
                do not change the exit status unless --strict.
                """, "--fail-above BYTES exceeded (the total or one stack grew by more)");
    }
}
