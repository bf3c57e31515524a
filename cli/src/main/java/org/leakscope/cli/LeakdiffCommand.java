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
import org.leakscope.analysis.Growth;
import org.leakscope.analysis.IndexedKeys;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.LeakdiffReport;
import org.leakscope.analysis.LeakdiffRequest;
import org.leakscope.analysis.Leakdiffs;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.LeakdiffDocument;
import org.leakscope.cli.text.Fit;
import org.leakscope.cli.text.LeakdiffHeader;
import org.leakscope.cli.text.TrendRenderer;
import org.leakscope.cli.text.UmdhCompareRenderer;
import org.leakscope.html.LeakdiffHtml;
import org.leakscope.model.Hex;

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
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("inputs read at once (default: the number of cores)").build());
        o.addOption(Option.builder().longOpt("json").desc("machine-readable output (schema in docs/json.md)").build());
        CommonOptions.addHtml(o);
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
        int threads = CommonOptions.threads(cl);
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

        String[] command = new String[args.length + 1];
        command[0] = "leakdiff";
        System.arraycopy(args, 0, command, 1, args.length);
        ExitCode sized = HeapRetry.rerunFor(Leakdiffs.indexedHeapBytes(paths, kinds, settings, request), command,
                out, err);
        if (sized != null) {
            return sized;
        }
        PhaseTiming timing = new PhaseTiming("leakdiff", err);
        List<Settings> perInput = new ArrayList<>();
        List<Integer> runs = new ArrayList<>();
        perLog(cl, kinds, settings, perInput, runs);
        LeakdiffReport report;
        try (IndexedKeys keys = Leakdiffs.indexedKeys(kinds, settings, request)) {
            List<SnapshotInput> inputs = SnapshotInputs.read("leakdiff", paths, kinds, perInput, runs,
                    new Progress(err), threads, keys == null ? null : keys.codes());
            timing.mark("read");
            report = Leakdiffs.analyse(inputs, settings, request, keys);
            timing.mark("analyse");
        }
        CommonOptions.printWarnings(err, "leakdiff", report.warnings());
        OutputTarget target = new OutputTarget(cl.hasOption("output") ? Path.of(cl.getOptionValue("output")) : null, out);
        boolean json = cl.hasOption("json");
        String keyNote = report.key().cliName() + (report.folded() ? ", allocator frames folded" : "");
        boolean decimal = cl.hasOption("decimal");
        if (report instanceof LeakdiffReport.Rerender r) {
            if (json) {
                Object doc = LeakdiffDocument.compare(r, r.comparison(), r.shown(), request, "rerender");
                target.stream(w -> Json.write(doc, w));
            } else {
                target.streamBytes(o -> new UmdhCompareRenderer(decimal, o).render(LeakdiffHeader.rerender(r),
                        r.comparison(), r.shown()));
            }
        } else if (report instanceof LeakdiffReport.Trend r) {
            if (json) {
                Object doc = LeakdiffDocument.trend(r);
                target.stream(w -> Json.write(doc, w));
            } else {
                target.write(TrendRenderer.render(r.trend(), paths.stream().map(Path::toString).toList(),
                        r.shown(), keyNote));
            }
        } else if (report instanceof LeakdiffReport.Compare r) {
            if (json) {
                Object doc = LeakdiffDocument.compare(r, r.comparison(), r.shown(), request, "compare");
                target.stream(w -> Json.write(doc, w));
            } else {
                target.streamBytes(o -> new UmdhCompareRenderer(decimal, o).render(
                        LeakdiffHeader.compare(r, decimal, keyNote), r.comparison(), r.shown()));
            }
        }
        OutputTarget html = CommonOptions.html(cl, out);
        if (html != null) {
            html.stream(w -> LeakdiffHtml.write(report, request.sort(), w));
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

    /** Whose growth the leak gate names: the total, a stack by its trace id, or "one stack". */
    private static String what(Growth g) {
        return g.ofTotal() ? "the total" : g.traceId() == null ? "one stack"
                : "BackTrace" + Fit.middleInBytes(g.traceId(), 40);
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
                  leakdiff s*.txt --trend --html trend.html   # one line per stack over the snapshots
                  leakdiff day1.txt day2.txt day3.txt --trend # stacks that grow steadily, per hour
                  leakdiff before.txt after.txt --fail-above 1048576   # CI gate: exit 3 past 1 MiB growth
                  leakdiff compare.txt --min-delta 4096 --json         # filter an existing umdh compare

                Warnings about lines the reader did not understand go to stderr (all of them in --json); they
                do not change the exit status unless --strict.

                Memory: bin/leakdiff runs with a 512 MiB heap (two 1 GB logs of 3 million stacks each fit). Logs
                sampled to need more, or a comparison that runs out, run again before printing anything with the
                heap doubled (up to half the machine's memory), said on stderr; LEAKSCOPE_JAVA_OPTS=-Xmx4g
                chooses the heap instead.
                """, "--fail-above BYTES exceeded (the total or one stack grew by more)");
    }
}
