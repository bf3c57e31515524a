package org.leakscope.cli;

import java.io.PrintStream;

/**
 * Phase times on stderr with LEAKSCOPE_TIMING set (for bench/ and profiling), else nothing: wall time and the
 * process's CPU time (every thread, the collector's too), which a loaded machine disturbs less.
 */
final class PhaseTiming {
    private final String command;
    private final PrintStream err;
    private final boolean on = System.getenv("LEAKSCOPE_TIMING") != null;
    private long last = System.nanoTime();
    private long lastCpu = on ? cpu() : 0;

    PhaseTiming(String command, PrintStream err) {
        this.command = command;
        this.err = err;
    }

    void mark(String phase) {
        if (on) {
            long now = System.nanoTime();
            long cpu = cpu();
            err.println(command + ": " + phase + " " + (now - last) / 1_000_000 + " ms, CPU "
                    + (cpu - lastCpu) / 1_000_000 + " ms");
            last = now;
            lastCpu = cpu;
        }
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }
}
