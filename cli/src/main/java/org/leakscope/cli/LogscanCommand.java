package org.leakscope.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.leakscope.analysis.LogReading;
import org.leakscope.analysis.LogReport;
import org.leakscope.analysis.Settings;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.LogscanDocument;
import org.leakscope.cli.text.FilterMissText;
import org.leakscope.cli.text.LogscanRenderer;
import org.leakscope.html.LogscanHtml;
import org.leakscope.model.Problem;

/**
 * {@code logscan LOG...}: every run of a resmon-monitored program or driver in DebugView logs, with what it
 * left at exit by call site, how its usage moved, which limits it broke, and a verdict.
 */
final class LogscanCommand {
    private final PrintStream out;
    private final PrintStream err;

    LogscanCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static void addLogOptions(Options o) {
        o.addOption(Option.builder().longOpt("pid").hasArg().argName("PID").desc("only runs of this process id").build());
        o.addOption(Option.builder().longOpt("process").hasArg().argName("NAME")
                .desc("only runs of this program or driver (case-insensitive; .exe/.sys optional)").build());
        o.addOption(Option.builder().longOpt("encoding").hasArg().argName("CHARSET")
                .desc("code page of non-UTF-8 text, e.g. windows-1251 or GBK (default windows-1252; UTF-8 and"
                        + " UTF-16 with a byte-order mark are detected)").build());
        o.addOption(Option.builder().longOpt("strict").desc("a line the reader does not understand is an error").build());
    }

    private static Options options() {
        Options o = new Options();
        addLogOptions(o);
        CommonOptions.addSymbolsPath(o, "Breakpad store or directory of ELF or PE files for the modules a log"
                + " names (Leakscope's trackers write module lines; the files at those paths are read anyway); a"
                + " file is used only when its build id, CodeView id or timestamp, else its size, is the module's");
        CommonOptions.addModuleFile(o);
        o.addOption(Option.builder().longOpt("top").hasArg().argName("N")
                .desc("call sites shown per report (default 20 in text, all in --json; 0 = all)").build());
        CommonOptions.addFolding(o, "name each call site by the recorded return address, keeping allocator and"
                + " runtime frames (operator new, std:: internals, malloc)");
        o.addOption(Option.builder().longOpt("fail-on-leak")
                .desc("exit 3 when any run leaked or went over a limit (a CI gate)").build());
        o.addOption(Option.builder().longOpt("json").desc("machine-readable output (schema in docs/json.md)").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("threads that read a log's lines (default: the number of cores); the report is the same")
                .build());
        CommonOptions.addHtml(o);
        CommonOptions.addOutputAndHelp(o);
        return o;
    }

    /** The analysis settings with the reader options --pid, --process, --encoding, --strict. */
    static Settings settings(CommandLine cl) {
        Settings s = CommonOptions.settings(cl);
        Long pid = null;
        if (cl.hasOption("pid")) {
            try {
                pid = Long.parseLong(cl.getOptionValue("pid").strip());
            } catch (NumberFormatException e) {
                throw new UsageException("--pid: expected a decimal process id, got '" + cl.getOptionValue("pid") + "'");
            }
        }
        return s.withProcess(pid, cl.getOptionValue("process"));
    }


    ExitCode run(String[] args) throws IOException {
        Options options = options();
        CommandLine cl = CommonOptions.parseOrHelp(options, args, () -> help(options));
        if (cl == null) {
            return ExitCode.OK;
        }
        List<Path> paths = CommonOptions.files(cl, "log");
        int top = CommonOptions.top(cl, cl.hasOption("json") ? 0 : 20); // scripts get every call site
        Settings settings = settings(cl);
        CommonOptions.checkFolding(cl);
        Progress progress = new Progress(err);
        LogReading reading = new LogReading(settings).threads(CommonOptions.threads(cl));
        if (cl.hasOption("html")) {
            reading.keepCurves(); // the page draws them
        }
        PhaseTiming timing = new PhaseTiming("logscan", err);
        try (var symbols = settings.openSymbols()) {
            for (Path p : paths) {
                InputFiles.check(p); // a directory, a missing file: said before reading starts
                reading.read(p, progress.forFile("logscan", p.getFileName().toString(), Files.size(p)));
            }
            progress.done();
            timing.mark("read");
            LogReport report = reading.assess(symbols);
            timing.mark("analyse");
            if (report.filterMiss() != null) {
                throw new UsageException(FilterMissText.render(report.filterMiss()));
            }
            ExitCode code = report(cl, report, top, symbols.problems());
            timing.mark("report");
            return code;
        } finally {
            progress.done();
        }
    }

    private ExitCode report(CommandLine cl, LogReport report, int top, List<Problem> symbolProblems)
            throws IOException {
        CommonOptions.printWarnings(err, "logscan", report.warnings());
        OutputTarget target = new OutputTarget(cl.hasOption("output") ? Path.of(cl.getOptionValue("output")) : null, out);
        if (cl.hasOption("json")) {
            Object doc = LogscanDocument.of(report, top); // complete before a byte of it is written
            target.stream(w -> Json.write(doc, w));
        } else {
            target.write(new LogscanRenderer(top).render(report));
        }
        OutputTarget html = CommonOptions.html(cl, out);
        if (html != null) { // every call site unless --top says otherwise: the page's table pages them
            html.stream(w -> LogscanHtml.write(report, cl.hasOption("top") ? top : LogscanHtml.MAX_SITES, w));
        }
        symbolProblems.forEach(p -> err.println("logscan: warning: " + p.message()));
        if (cl.hasOption("fail-on-leak") && report.counts().anyLeakedOrOverLimit()) {
            err.println("logscan: leak gate: a run leaked or went over a limit");
            return ExitCode.THRESHOLD;
        }
        return ExitCode.OK;
    }


    private void help(Options options) {
        CommonOptions.printHelp(out, options, "logscan [options] LOG...",
                "Reads DebugView logs (Sysinternals saved or copied logs, DebugView++ exports, plain captures; any"
                        + " code page, UTF-8, UTF-16) with the output of the resmon resource tracker, and reports every"
                        + " run of every monitored program or driver: start and end, peak and final usage, limit"
                        + " violations, the resources left at exit grouped by call site, allocation sizes, usage"
                        + " trends, and a verdict: leaked, over-limit, clean, or incomplete (no exit report).",
                """
                Examples:
                  logscan capture.log                          # every run, every process
                  logscan capture.log --process notepad.exe    # one program's runs
                  logscan day1.log day2.log --json             # schema: docs/json.md
                  logscan soak.log --html soak.html            # charts and tables in one page
                  logscan soak.log --fail-on-leak              # CI gate: exit 3 when a run leaked or broke a limit
                  logscan cpp.log --fold 'Pool::grab*'         # also fold a program's own allocator

                A call site is the first frame of a record's stack outside the allocator and the language runtime
                (operator new, std:: container internals, malloc wrappers: docs/attribution.md); the frames folded
                above it are shown after "via". Records that leaked from one call site are counted together.

                Warnings about lines the reader did not understand go to stderr (all of them in --json); they
                do not change the exit status unless --strict.
                """, "--fail-on-leak and a run leaked or went over a limit");
    }
}
