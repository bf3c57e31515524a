package org.leakscope.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run that ran out of heap before writing anything starts again with twice the heap. The launchers give
 * leakdiff a modest heap (512 MiB: two 1 GB UMDH logs of 3 million stacks each fit) and set
 * {@code -Dleakscope.heap=retry}, so a usual comparison keeps its memory small, and inputs that need more still
 * get a report instead of an error: up to half the machine's memory, beyond which the JVM would push the rest of
 * the machine into swap. Options the user gave (LEAKSCOPE_JAVA_OPTS) turn this off: their -Xmx is theirs. Logs
 * that a sample shows to need more ({@link #rerunFor}) start again before reading, not after running out.
 */
final class HeapRetry {
    static final String PROPERTY = "leakscope.heap";

    private HeapRetry() {
    }

    /**
     * Runs {@code args} again in a new JVM with twice this one's heap, when this JVM may be rerun and nothing was
     * written to standard output yet; returns its exit status, or null when it cannot be rerun.
     */
    static ExitCode rerun(String[] args, PrintStream out, PrintStream err) {
        long max = heapSetting();
        return relaunch(2 * max, args, out, err, args[0] + ": " + (max >> 20) + " MiB of heap is not enough here;"
                + " running again");
    }

    /**
     * Runs {@code args} at once in a new JVM with this heap doubled until it holds {@code need} bytes, when this
     * JVM may be rerun and its heap is smaller: a rerun before reading, instead of after running out. Returns
     * its exit status, or null to go on here.
     */
    static ExitCode rerunFor(long need, String[] args, PrintStream out, PrintStream err) {
        return need <= 0 ? null
                : relaunch(need, args, out, err, args[0] + ": these inputs need about " + (need >> 20) + " MiB of heap:"
                        + " running");
    }

    /**
     * The one way both reruns go: when this JVM may be rerun (the launcher's property, the process's own standard
     * output, nothing written to it) and this heap doubled until it holds {@code need} (at most {@link #limit})
     * is bigger, says {@code why} and runs args with that heap; null otherwise.
     */
    private static ExitCode relaunch(long need, String[] args, PrintStream out, PrintStream err, String why) {
        if (!"retry".equals(System.getProperty(PROPERTY)) || !(out instanceof SafePrintStream s)
                || !s.isProcessStream() || s.written()) {
            return null;
        }
        long max = heapSetting();
        if (need <= max) {
            return null; // the usual case, told without asking the system for its memory (~20 ms of class loading)
        }
        long limit = limit();
        long next = max;
        while (next < need && next < limit) {
            next *= 2;
        }
        next = Math.min(next, limit) >> 20 << 20;
        if (next < max + (max >> 2)) {
            return null; // at the limit already: the caller goes on (or reports the shortage)
        }
        return start(next, args, err, why + " with " + (next >> 20) + " MiB (LEAKSCOPE_JAVA_OPTS=-Xmx sets the heap)");
    }

    /**
     * Says {@code why} and runs args in a new JVM with {@code heap} bytes of heap, to its end; its exit status, or
     * null when this JVM's command line is not known (nothing said then).
     */
    private static ExitCode start(long heap, String[] args, PrintStream err, String why) {
        List<String> command = command(heap, args);
        if (command == null) {
            return null;
        }
        err.println(why);
        err.flush();
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            return ExitCode.of(p.waitFor());
        } catch (IOException e) {
            err.println(args[0] + ": error: cannot start Java again (" + e.getMessage() + ")");
            return ExitCode.INTERNAL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERNAL;
        }
    }

    /** This JVM's -Xmx (what the user or launcher chose; maxMemory leaves a survivor space out), else maxMemory. */
    private static long heapSetting() {
        long bytes = Runtime.getRuntime().maxMemory();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (isHeapOption(a)) {
                char unit = Character.toLowerCase(a.charAt(a.length() - 1));
                int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
                String digits = shift == 0 ? a.substring(4) : a.substring(4, a.length() - 1);
                try {
                    bytes = Math.multiplyExact(Long.parseLong(digits), 1L << shift);
                } catch (ArithmeticException | NumberFormatException e) {
                    return Runtime.getRuntime().maxMemory();
                }
            }
        }
        return bytes;
    }

    /** -Xmx followed by digits and at most one unit letter (k, m, g); no regular expression: one costs ~10 ms. */
    static boolean isHeapOption(String a) {
        int end = a.length();
        if (end > 4 && "kKmMgG".indexOf(a.charAt(end - 1)) >= 0) {
            end--;
        }
        if (!a.startsWith("-Xmx") || end == 4) {
            return false;
        }
        for (int i = 4; i < end; i++) {
            if (a.charAt(i) < '0' || a.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Half the physical memory, or this heap when the JVM does not say (no rerun then). */
    private static long limit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / 2;
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** This JVM's own command line with the heap set to {@code heap} bytes, or null when it cannot be known. */
    private static List<String> command(long heap, String[] args) {
        String javaHome = System.getProperty("java.home");
        String classPath = System.getProperty("java.class.path");
        if (javaHome == null || classPath == null) {
            return null;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xmx") && !a.startsWith("-XX:MaxHeapSize=") && !a.startsWith("-XX:MaxRAMPercentage=")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx" + (heap >> 20) + "m");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
