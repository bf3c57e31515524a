package org.leakscope.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.leakscope.model.InputFormatException;

/**
 * Entry point of the shipped jar: {@code java -jar leakscope.jar VERB ARGS}. Turns every failure into one
 * line on stderr and an {@link ExitCode}; a stack trace is printed only for internal errors, and only with
 * {@code LEAKSCOPE_DEBUG=1}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ExitCode code = run(args, System.out, System.err);
        if (System.getenv("LEAKSCOPE_REPORT_HEAP") != null) {
            reportHeap(System.err);
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

    static ExitCode run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: leakscope dumpscan|leakdiff|logscan [options] FILE...   (see: leakscope VERB --help)");
            return ExitCode.BAD_INPUT;
        }
        String verb = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (verb) {
                case "dumpscan" -> new DumpscanCommand(out, err).run(rest);
                case "leakdiff" -> new LeakdiffCommand(out, err).run(rest);
                case "logscan" -> new LogscanCommand(out, err).run(rest);
                default -> throw new UsageException("unknown command '" + verb + "' (known: dumpscan, leakdiff, logscan)");
            };
        } catch (UsageException e) {
            err.println(verb + ": " + e.getMessage());
            err.println("Try '" + verb + " --help'.");
            return ExitCode.BAD_INPUT;
        } catch (InputFormatException e) {
            err.println(verb + ": error: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println(verb + ": error: " + e.getFile() + ": no such file");
            return ExitCode.BAD_INPUT;
        } catch (AccessDeniedException e) {
            err.println(verb + ": error: " + e.getFile() + ": permission denied");
            return ExitCode.BAD_INPUT;
        } catch (IOException | UncheckedIOException e) {
            err.println(verb + ": error: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (OutOfMemoryError e) {
            err.println(verb + ": error: out of memory (raise -Xmx via JAVA_TOOL_OPTIONS): " + e.getMessage());
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
