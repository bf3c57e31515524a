package org.leakscope.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.TriageAggregate;
import org.leakscope.analysis.TriageInputs;
import org.leakscope.analysis.TriageRecord;
import org.leakscope.analysis.TriageRun;
import org.leakscope.analysis.TriageSummary;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.TriageJson;
import org.leakscope.cli.text.TriageRenderer;
import org.leakscope.html.TriageHtml;

/**
 * {@code triage PATH...}: every dump, table image, UMDH log and DebugView log under the paths, read in parallel,
 * one record each ({@code --records}), and the aggregate: crash signatures, leaking call sites, limit violations,
 * and the files that could not be read.
 */
final class TriageCommand {
    private final PrintStream out;
    private final PrintStream err;

    TriageCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("json").desc("the aggregate as JSON (schema in docs/json.md)").build());
        o.addOption(Option.builder().longOpt("records").hasArg().argName("FILE")
                .desc("also write one JSON record per input file (JSON Lines, leakscope.triage-record/1), to a temp"
                        + " file renamed into place").build());
        o.addOption(Option.builder().longOpt("state").hasArg().argName("DIR")
                .desc("remember processed files by content hash in DIR (JSON Lines segments): the next run reads"
                        + " only new or changed files and reports on all").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("files read at once (default: the number of cores)").build());
        o.addOption(Option.builder().longOpt("top").hasArg().argName("N")
                .desc("rows per section in text (default 20; 0 = all); --json has all").build());
        o.addOption(Option.builder().longOpt("encoding").hasArg().argName("CHARSET")
                .desc("code page of logs' non-UTF-8 text (default windows-1252)").build());
        CommonOptions.addSymbolsPath(o, "symbols for dumps' crash signatures and frames, logs' and tables' call sites");
        CommonOptions.addFolding(o, "name each call site by its innermost frame, keeping allocator and runtime frames");
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
        if (cl.getArgList().isEmpty()) {
            throw new UsageException("no file or folder given");
        }
        CommonOptions.checkFolding(cl);
        Settings settings = CommonOptions.settings(cl);
        int threads = CommonOptions.threads(cl);
        int top = CommonOptions.top(cl, 20);
        List<Path> files = TriageInputs.expand(cl.getArgList());
        TriageState state = cl.hasOption("state") ? TriageState.open(Path.of(cl.getOptionValue("state")),
                stateOptions(cl)) : null;
        if (state != null) {
            CommonOptions.printWarnings(err, "triage", state.warnings());
        }
        OutputTarget records = cl.hasOption("records") ? new OutputTarget(Path.of(cl.getOptionValue("records")), out)
                : null;
        TriageAggregate aggregate = new TriageAggregate();
        TriageProgress progress = new TriageProgress(new Progress(err));
        TriageRun.Stats stats;
        try {
            if (records != null) {
                TriageRun.Stats[] s = new TriageRun.Stats[1];
                records.stream(w -> s[0] = run(settings, threads, files, state, aggregate, w, progress));
                stats = s[0];
            } else {
                stats = run(settings, threads, files, state, aggregate, null, progress);
            }
        } finally {
            progress.done();
            if (state != null) {
                state.finish();
            }
        }
        TriageSummary summary = aggregate.summary();
        double secs = stats.nanos() / 1e9;
        err.println(String.format(Locale.ROOT, "triage: %,d files: %,d read, %,d remembered%s; %.1f s, %.1f files/s",
                files.size(), stats.read(), stats.remembered(), state == null ? ""
                        : String.format(Locale.ROOT, " (--state; %,d hashed)", stats.hashed()), secs,
                files.size() / Math.max(secs, 1e-3)));
        OutputTarget target = new OutputTarget(cl.hasOption("output") ? Path.of(cl.getOptionValue("output")) : null,
                out);
        if (cl.hasOption("json")) {
            target.write(Json.write(TriageJson.document(summary)));
        } else {
            target.write(new TriageRenderer(top).render(summary));
        }
        OutputTarget html = CommonOptions.html(cl, out);
        if (html != null) {
            html.stream(w -> TriageHtml.write(summary, w));
        }
        return summary.failed().isEmpty() && summary.damaged().isEmpty() ? ExitCode.OK : ExitCode.BAD_INPUT;
    }

    private static TriageRun.Stats run(Settings settings, int threads, List<Path> files, TriageState state,
            TriageAggregate aggregate, Writer records, TriageProgress progress) throws IOException {
        Writer w = records == null ? null : new BufferedWriter(records, 1 << 16);
        TriageRun.Stats stats = new TriageRun(settings, threads).run(files, state == null ? TriageRun.Memory.NONE
                : state, o -> {
                    TriageRecord r = o.record();
                    aggregate.add(r);
                    if (w != null) {
                        w.write(TriageJson.line(r, o.modifiedMillis()));
                        w.write('\n');
                    }
                    if (state != null) {
                        state.remember(o);
                    }
                }, progress);
        if (w != null) {
            w.flush();
        }
        return stats;
    }

    /** What the records depend on; a --state folder made with other values is refused. */
    private static String stateOptions(CommandLine cl) {
        List<String> lines = new ArrayList<>();
        lines.add("records " + TriageRecord.VERSION);
        lines.add("symbols-path " + String.join(";", CommonOptions.symbolPath(cl)));
        lines.add("offline " + cl.hasOption("offline"));
        lines.add("fold " + (cl.hasOption("fold") ? String.join(" ", cl.getOptionValues("fold")) : ""));
        lines.add("no-fold " + cl.hasOption("no-fold"));
        lines.add("encoding " + (cl.hasOption("encoding") ? CommonOptions.encoding(cl).name() : ""));
        return String.join("\n", lines) + "\n";
    }

    private void help(Options options) {
        CommonOptions.printHelp(out, options, "triage [options] PATH...",
                "Reads every minidump, resmon table image, UMDH log and DebugView log (with resmon output) in the"
                        + " files, folders (recursively) and globs given, recognised by content, on all cores, and"
                        + " reports: crash signatures ranked by dumps, with first and last seen, versions, OS builds"
                        + " and example files; call sites that leaked at monitored runs' exit, ranked by runs and"
                        + " machines, with the trend per day when the inputs carry times; limit violations by process"
                        + " and resource; and the files that could not be read. Other files are counted and skipped.",
                """
                Examples:
                  triage /srv/crashes                              # every dump and log below the folder
                  triage 'uploads/*/minidumps/*.dmp' soak-logs/    # globs (quoted) and folders
                  triage /srv/crashes --state ~/.triage --json     # nightly: only new files are read
                  triage /srv/crashes --records records.jsonl      # one JSON record per input file
                  triage /srv/crashes --html triage.html           # signatures and call sites in one page
                  triage dumps/ --symbols-path 'srv*C:\\symcache*https://msdl.microsoft.com/download/symbols'

                A crash signature is dumpscan's: the crashing thread's frames from the first one outside the
                runtime's abort and assertion plumbing. A bad or truncated file never stops the run: it is listed
                with its error. The summary line on stderr says how many files were read and how many were
                remembered by --state, and how fast. Progress is shown on stderr when it is a terminal.
                """);
        out.print("  (exit status 2 also when any input file could not be read or had damage: the report on\n"
                + "   everything else is still written)\n");
    }
}
