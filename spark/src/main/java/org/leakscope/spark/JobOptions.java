package org.leakscope.spark;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The job's command line: {@code PATH... --out DIR}, and triage's options that change records (symbols, folding,
 * encoding). Paths are Hadoop paths: local ones, {@code file:}, {@code hdfs:}, {@code s3a:}.
 *
 * @param paths      files and folders (read recursively), or Hadoop globs
 * @param out        the folder written: records.jsonl/, records.parquet/, triage.json; must not exist
 * @param partitions how many tasks share the files; 0 for four per core of the cluster
 * @param settings   what files are read with
 */
record JobOptions(List<String> paths, String out, int partitions, TriageSettings settings) {
    /** A wrong command line; the message says what, as triage's would. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR").desc("write records.jsonl/ (JSON Lines,"
                + " leakscope.triage-record/1), records.parquet/ and triage.json (leakscope.triage/1) into DIR, a"
                + " folder that does not exist yet; any Hadoop file system").build());
        o.addOption(Option.builder().longOpt("partitions").hasArg().argName("N")
                .desc("tasks the files are shared among (default: four per core)").build());
        o.addOption(Option.builder().longOpt("symbols-path").hasArg().argName("PATH").desc("symbols for dumps' crash"
                + " signatures and call sites, WinDbg's syntax (docs/symbols.md); folders must exist on every"
                + " executor").build());
        o.addOption(Option.builder().longOpt("offline").desc("never ask a symbol server").build());
        o.addOption(Option.builder().longOpt("fold").hasArg().argName("GLOB")
                .desc("also fold frames whose function matches GLOB (repeatable)").build());
        o.addOption(Option.builder().longOpt("no-fold").desc("name each call site by its innermost frame").build());
        o.addOption(Option.builder().longOpt("encoding").hasArg().argName("CHARSET")
                .desc("code page of logs' non-UTF-8 text (default windows-1252)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        return o;
    }

    /** The options, or null when help was asked for (and printed). */
    static JobOptions parse(String[] args, java.io.PrintStream out) {
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(options(), args);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
        if (cl.hasOption("help")) {
            new HelpFormatter().printHelp(new java.io.PrintWriter(out, true), 120,
                    "leakscope-spark PATH... --out DIR [options]", "Triage on Apache Spark: the records and the"
                            + " aggregate of `triage --json` for every file under the paths.", options(), 2, 4,
                    "README.md, \"Triage on Apache Spark\", says how to submit it to a cluster.");
            return null;
        }
        if (cl.getArgList().isEmpty()) {
            throw new UsageException("no file or folder given");
        }
        if (!cl.hasOption("out")) {
            throw new UsageException("--out DIR is required: the folder the records and triage.json go to");
        }
        if (cl.hasOption("fold") && cl.hasOption("no-fold")) {
            throw new UsageException("--fold and --no-fold cannot be used together");
        }
        String encoding = null;
        if (cl.hasOption("encoding")) {
            String name = cl.getOptionValue("encoding").strip();
            try {
                encoding = Charset.forName(name).name();
            } catch (IllegalArgumentException e) {
                throw new UsageException("--encoding " + name + ": unknown encoding");
            }
        }
        int partitions = 0;
        if (cl.hasOption("partitions")) {
            String v = cl.getOptionValue("partitions");
            try {
                partitions = Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                partitions = -1;
            }
            if (partitions < 1) {
                throw new UsageException("--partitions: expected a positive number, got '" + v + "'");
            }
        }
        List<String> symbols = cl.hasOption("symbols-path") ? Arrays.asList(cl.getOptionValues("symbols-path"))
                : List.of();
        List<String> fold = cl.hasOption("fold") ? Arrays.asList(cl.getOptionValues("fold")) : List.of();
        return new JobOptions(cl.getArgList(), cl.getOptionValue("out"), partitions,
                TriageSettings.capture(symbols, cl.hasOption("offline"), fold, cl.hasOption("no-fold"), encoding));
    }
}
