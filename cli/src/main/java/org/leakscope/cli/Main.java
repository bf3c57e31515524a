package org.leakscope.cli;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.util.Arrays;
import org.leakscope.model.InputFormatException;

/**
 * Entry point of the shipped jar: {@code java -jar leakscope.jar VERB ARGS}. Turns every failure into one
 * line on stderr and an {@link ExitCode}; a stack trace is printed only for internal errors, and only with
 * {@code LEAKSCOPE_DEBUG=1}. Standard output and error are UTF-8 whatever the locale, with control
 * characters from inputs made visible ({@link SafePrintStream}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        SafePrintStream out = SafePrintStream.process(FileDescriptor.out, "standard output", false);
        SafePrintStream err = SafePrintStream.process(FileDescriptor.err, "standard error", true);
        ExitCode code = run(args, out, err);
        if (System.getenv("LEAKSCOPE_REPORT_HEAP") != null) {
            reportHeap(err);
        }
        err.flush();
        if ("halt".equals(System.getProperty("leakscope.exit"))) {
            // Runtime.exit first asks for a System.Logger (JDK 21+), whose lookup scans the class path for a
            // LoggerFinder: on JDK 25 a third of a short dumpscan. The launcher sets leakscope.exit=halt only
            // when no extra JVM options (a flight recording, an agent) may have exit-time work; ours has none
            // and the output is flushed and closed.
            Runtime.getRuntime().halt(code.status());
        }
        System.exit(code.status());
    }

    /** For bench/: the most heap that was in use (sum of each heap pool's peak: an upper bound). */
    private static void reportHeap(PrintStream err) {
        long peak = 0;
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        err.println("leakscope: peak heap " + (peak >> 20) + " MiB");
    }

    /**
     * Runs a verb. Everything written to {@code out} and {@code err} passes the {@link EscapingOutputStream};
     * a report that could not be written is exit status 2 with one line naming the destination, and standard
     * output closed early by its reader ({@code | head}) ends quietly with {@link ExitCode#OUTPUT_CLOSED}.
     */
    static ExitCode run(String[] args, PrintStream out, PrintStream err) {
        SafePrintStream o = SafePrintStream.of(out, "standard output", false);
        SafePrintStream e = SafePrintStream.of(err, "standard error", true);
        String verb = args.length == 0 ? "leakscope" : args[0];
        ExitCode code;
        try {
            code = dispatch(args, o, e);
            o.finish();
        } catch (OutputException x) {
            code = outputFailed(verb, x, e);
        }
        e.flush();
        return code;
    }

    private static ExitCode outputFailed(String verb, OutputException x, PrintStream err) {
        if (x.closedPipe()) {
            return ExitCode.OUTPUT_CLOSED;
        }
        err.println(verb + ": error: " + x.getMessage());
        return ExitCode.BAD_INPUT;
    }

    private static ExitCode dispatch(String[] args, PrintStream out, PrintStream err) throws OutputException {
        if (args.length == 0) {
            err.println("usage: leakscope dumpscan|leakdiff|logscan|dumpsyms|triage [options] FILE...   (see: leakscope VERB --help)");
            return ExitCode.BAD_INPUT;
        }
        String verb = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (verb) {
                case "dumpscan" -> new DumpscanCommand(out, err).run(rest);
                case "leakdiff" -> new LeakdiffCommand(out, err).run(rest);
                case "logscan" -> new LogscanCommand(out, err).run(rest);
                case "dumpsyms" -> new DumpsymsCommand(out, err).run(rest);
                case "triage" -> new TriageCommand(out, err).run(rest);
                default -> throw new UsageException("unknown command '" + verb + "' (known: dumpscan, leakdiff, logscan, dumpsyms, triage)");
            };
        } catch (UsageException e) {
            err.println(verb + ": " + e.getMessage());
            err.println("Try '" + verb + " --help'.");
            return ExitCode.BAD_INPUT;
        } catch (InputFormatException e) {
            err.println(verb + ": error: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (OutputException e) {
            throw e;
        } catch (FileSystemException e) {
            err.println(verb + ": error: " + InputFiles.message(e));
            return ExitCode.BAD_INPUT;
        } catch (IOException | UncheckedIOException e) {
            err.println(verb + ": error: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (InvalidPathException e) {
            err.println(verb + ": error: " + InputFiles.message(e));
            return ExitCode.BAD_INPUT;
        } catch (OutOfMemoryError e) {
            ExitCode again = HeapRetry.rerun(args, out, err);
            if (again != null) {
                return again;
            }
            err.println(verb + ": error: out of memory (raise -Xmx via LEAKSCOPE_JAVA_OPTS): " + e.getMessage());
            return ExitCode.INTERNAL;
        } catch (RuntimeException e) {
            err.println(verb + ": internal error: " + e);
            if ("1".equals(System.getenv("LEAKSCOPE_DEBUG"))) {
                e.printStackTrace(err);
            } else {
                err.println("(set LEAKSCOPE_DEBUG=1 for the stack trace, and please report it with the input)");
            }
            return ExitCode.INTERNAL;
        }
    }
}
