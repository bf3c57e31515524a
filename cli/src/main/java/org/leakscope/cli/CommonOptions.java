package org.leakscope.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.leakscope.analysis.Settings;
import org.leakscope.model.Limits;

/** The options every verb shares (-o, --help, --symbols-path) and their parsing, worded the same everywhere. */
final class CommonOptions {
    private static final int MAX_WARNINGS_SHOWN = 20;

    private CommonOptions() {
    }

    /** --symbols-path (with the syntax every verb shares appended to {@code description}) and --offline. */
    static void addSymbolsPath(Options o, String description) {
        o.addOption(Option.builder().longOpt("symbols-path").hasArg().argName("PATH").desc(description
                + ". PATH is WinDbg's: ;-separated folders, cache*DIR, srv*CACHE*URL; $LEAKSCOPE_SYMBOL_PATH and"
                + " $_NT_SYMBOL_PATH are searched after it (docs/symbols.md)").build());
        o.addOption(Option.builder().longOpt("offline")
                .desc("never ask a symbol server: use only what earlier runs downloaded into its cache").build());
    }

    /** --module-file: the program files of a log's modules when the log prints no module list. */
    static void addModuleFile(Options o) {
        o.addOption(Option.builder().longOpt("module-file").hasArg().argName("FILE").desc("resmon logs without a"
                + " module list (the original resmon): the program's PE file (repeatable); its load address is found"
                + " from the logged return addresses. Default: a file named like the process in --symbols-path")
                .build());
    }

    /** --fold and --no-fold: one list of allocator and runtime frames for every verb (docs/attribution.md). */
    static void addFolding(Options o, String noFoldEffect) {
        o.addOption(Option.builder().longOpt("fold").hasArg().argName("GLOB")
                .desc("also fold frames whose function matches GLOB, like operator new (repeatable; *"
                        + " matches anything; docs/attribution.md)").build());
        o.addOption(Option.builder().longOpt("no-fold").desc(noFoldEffect).build());
    }

    /** --fold and --no-fold checked: both at once is a usage error, not one silently winning; so is a blank glob. */
    static void checkFolding(CommandLine cl) {
        if (cl.hasOption("fold") && cl.hasOption("no-fold")) {
            throw new UsageException("--fold and --no-fold cannot be used together (--no-fold keeps every frame;"
                    + " --fold adds allocator functions to fold)");
        }
        for (String g : cl.hasOption("fold") ? cl.getOptionValues("fold") : new String[0]) {
            if (g.isBlank()) {
                throw new UsageException("--fold: expected a function name or glob, got an empty one");
            }
        }
    }

    /**
     * What the analysis is asked for: --encoding (checked, when the verb has it), --symbols-path (checked),
     * --strict, --fold/--no-fold as given ({@link #checkFolding} checks them where the verb folds).
     */
    static Settings settings(CommandLine cl) {
        Charset encoding = cl.hasOption("encoding") ? encoding(cl) : null;

        List<String> globs = cl.hasOption("fold") ? Arrays.asList(cl.getOptionValues("fold")) : List.of();
        return new Settings(List.of(), globs, cl.hasOption("no-fold"), encoding, cl.hasOption("strict"), null, null,
                null, Limits.DEFAULT, moduleFiles(cl), null, false)
                .withSymbolPath(symbolPath(cl), System::getenv, cl.hasOption("offline"));
    }

    /** The --module-file files, each checked to be a file. */
    private static List<Path> moduleFiles(CommandLine cl) {
        List<Path> files = new ArrayList<>();
        for (String s : cl.hasOption("module-file") ? cl.getOptionValues("module-file") : new String[0]) {
            Path p = Path.of(s);
            if (!Files.isRegularFile(p)) {
                throw new UsageException("--module-file " + s + ": not a file");
            }
            files.add(p);
        }
        return files;
    }

    static void addOutputAndHelp(Options o) {
        o.addOption(Option.builder("o").longOpt("output").hasArg().argName("FILE")
                .desc("write the report to FILE (atomically: a temp file renamed into place)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
    }

    static CommandLine parse(Options options, String[] args) {
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(options, args);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
        String[] outputs = cl.getOptionValues("output");
        if (outputs != null && outputs.length > 1) {
            throw new UsageException("-o/--output given " + outputs.length + " times (" + String.join(", ", outputs)
                    + "): a report goes to one file");
        }
        return cl;
    }

    /** Parsed arguments, or null when --help was asked for (then {@code help} has printed it). */
    static CommandLine parseOrHelp(Options options, String[] args, Runnable help) {
        CommandLine cl = parse(options, args);
        if (cl.hasOption("help")) {
            help.run();
            return null;
        }
        return cl;
    }

    /** The file arguments; at least one, else a usage error naming what was expected. */
    static List<Path> files(CommandLine cl, String what) {
        List<Path> paths = cl.getArgList().stream().map(Path::of).toList();
        if (paths.isEmpty()) {
            throw new UsageException("no " + what + " given");
        }
        return paths;
    }

    /** Warnings on stderr, the first 20 of them (all are in the JSON output). */
    static void printWarnings(PrintStream err, String verb, List<String> warnings) {
        int n = 0;
        for (String w : warnings) {
            if (n++ == MAX_WARNINGS_SHOWN) {
                err.println(verb + ": warning: ... and " + (warnings.size() - MAX_WARNINGS_SHOWN)
                        + " more (all are in the --json output)");
                break;
            }
            err.println(verb + ": warning: " + w);
        }
    }

    /** --encoding CHARSET, checked: an unknown name is a usage error that says which names work. */
    static Charset encoding(CommandLine cl) {
        String name = cl.getOptionValue("encoding");
        try {
            return Charset.forName(name.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--encoding " + name + ": unknown encoding (known: code pages such as"
                    + " windows-1252, windows-1251, windows-1250, GBK, Big5, Shift_JIS, EUC-KR, ISO-8859-1,"
                    + " UTF-8; any name Java supports)");
        }
    }

    /** --top N (a non-negative count), or {@code dflt} when not given. */
    static int top(CommandLine cl, int dflt) {
        if (!cl.hasOption("top")) {
            return dflt;
        }
        try {
            int top = Integer.parseInt(cl.getOptionValue("top").strip());
            if (top >= 0) {
                return top;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--top: expected a non-negative number, got '" + cl.getOptionValue("top") + "'");
    }

    /** --threads N: 1 to 1024, default the number of cores (triage's files, leakdiff's inputs, logscan's chunks). */
    static int threads(CommandLine cl) {
        if (!cl.hasOption("threads")) {
            return Runtime.getRuntime().availableProcessors();
        }
        String v = cl.getOptionValue("threads");
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--threads: expected a number of threads from 1 to 1024, got '" + v + "'");
    }

    /**
     * The --symbols-path values (the environment's path follows them: Settings.withSymbolPath). A folder
     * named on the command line must exist (a typo there is the user's to fix now); entries of the environment
     * are the machine's standing setting, and one that is missing or unusable is a warning, not an error.
     */
    static List<String> symbolPath(CommandLine cl) {
        String[] values = cl.getOptionValues("symbols-path");
        List<String> given = values == null ? List.of() : Arrays.asList(values);
        for (String v : given) {
            for (String entry : v.split(";")) {
                // a plain folder; a cache*DIR or srv*CACHE*URL cache is made on first download
                if (!entry.isBlank() && !entry.contains("*") && !isDirectory(entry.strip())) {
                    throw new UsageException("--symbols-path " + (entry.equals(v) ? v : v + ": " + entry.strip())
                            + ": not a directory");
                }
            }
        }
        return given;
    }

    private static boolean isDirectory(String path) {
        try {
            return Files.isDirectory(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Usage, description, options, then the examples and the exit codes (no exit status 3: no gate). */
    static void printHelp(PrintStream out, Options options, String usage, String description, String examples) {
        printHelp(out, options, usage, description, examples, null);
    }

    /** The same for a verb with a CI gate: {@code gate} says when it exits 3. */
    static void printHelp(PrintStream out, Options options, String usage, String description, String examples,
            String gate) {
        java.io.StringWriter sw = new java.io.StringWriter();
        java.io.PrintWriter pw = new java.io.PrintWriter(sw);
        new HelpFormatter().printHelp(pw, 100, usage, "\n" + description + "\n\n", options, 2, 2, "");
        pw.flush();
        out.print(sw);
        out.print("\n" + examples + "\n");
        out.print(ExitCode.helpText(gate));
    }

    /** {@code --html FILE}: the report also as one self-contained HTML page (written atomically). */
    static void addHtml(Options o) {
        o.addOption(Option.builder().longOpt("html").hasArg().argName("FILE")
                .desc("also write the report as one self-contained HTML page with charts (opens from disk in any"
                        + " browser; loads nothing from anywhere)").build());
    }

    /** Where {@code --html} writes, or null without it; the page goes through the same atomic writer. */
    static OutputTarget html(CommandLine cl, java.io.PrintStream out) {
        return cl.hasOption("html") ? new OutputTarget(java.nio.file.Path.of(cl.getOptionValue("html")), out) : null;
    }
}
