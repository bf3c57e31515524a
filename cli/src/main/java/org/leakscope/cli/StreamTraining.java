package org.leakscope.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Run by {@code bin/.leakscope-train} while a JDK 25+ records the ahead-of-time cache of one streaming verb, in
 * the JVM configuration the launcher gives that verb: {@code leakdiff} on a generated pair of UMDH snapshots
 * (text, decimal and JSON), {@code logscan} on the given DebugView logs (text and JSON). Beside the classes and
 * lambdas, the cache keeps the methods' profiles (JEP 515): the optimizing compiler starts from them instead of
 * compiling the readers' loops, meeting a branch the early lines never took, throwing the code away and
 * compiling again (TraceTotals.flush was compiled seven times on two 1 GB logs). Not a user command.
 */
final class StreamTraining {
    private StreamTraining() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        if (args.length > 0 && args[0].equals("leakdiff")) {
            Path dir = Files.createTempDirectory("leakscope-training");
            try {
                // both shapes of the benchmark: many records a stack, and about one (each stack printed)
                for (int[] shape : new int[][] {{60_000, 600_000}, {120_000, 130_000}}) {
                    Path older = umdhSnapshot(dir.resolve("older.log"), 0, shape[0], shape[1]);
                    Path newer = umdhSnapshot(dir.resolve("newer.log"), 1, shape[0], shape[1]);
                    for (String[] options : List.of(new String[0], new String[] {"-d"}, new String[] {"--json"})) {
                        List<String> command = new ArrayList<>(List.of("leakdiff", older.toString(),
                                newer.toString()));
                        command.addAll(List.of(options));
                        Main.run(command.toArray(String[]::new), sink, sink);
                    }
                }
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            }
        } else if (args.length > 0 && args[0].equals("logscan")) {
            for (int i = 1; i < args.length; i++) {
                Main.run(new String[] {"logscan", args[i]}, sink, sink);
                Main.run(new String[] {"logscan", "--json", args[i]}, sink, sink);
            }
        } else {
            throw new IllegalArgumentException("usage: StreamTraining leakdiff | logscan LOG...");
        }
    }

    /**
     * A trace's id: 8 hex digits, or 9 for every third trace (a process whose trace database passed 2^32, as
     * in the benchmark's logs of 3 million stacks): the reader keys those another way, a branch to profile.
     */
    private static long traceId(int trace) {
        return 0x10000000L + trace * 0x9E3L + (trace % 3 == 0 ? 1L << 32 : 0);
    }

    /**
     * A snapshot the shape of {@code umdh -p:PID -f:FILE}: the module table, one heap, each trace's first record
     * with its stack and the others without, in random order; the second generation grows every 50th trace.
     * 20-30 MB: enough lines that every branch of the reader's loops is taken while it is profiled.
     */
    private static Path umdhSnapshot(Path file, int generation, int stacks, int records) throws IOException {
        long[][] modules = new long[24][];
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("// \n// UMDH: version 6.1.7650.0: Logtime 2026-01-0" + (generation + 1)
                    + " 12:00 - Machine=TRAIN - PID=4242\n// \n\n// Loaded modules: \n//     Base Size Module\n");
            for (int m = 0; m < modules.length; m++) {
                modules[m] = new long[] {0x60000000L + m * 0x200000L, 0x180000};
                w.write(String.format("// %20X %8X C:\\train\\module%02d.dll\n", modules[m][0], modules[m][1],
                        m));
            }
            w.write("//\n// Process modules enumerated.\n\n");
            w.write("*- - - - - - - - - - Start of data for heap @ 2E60000 - - - - - - - - - -\n\n");
            Random r = new Random(generation);
            long address = 0x2E90000;
            boolean[] shown = new boolean[stacks];
            int all = records + generation * (stacks / 50);
            for (int k = 0; k < all; k++) {
                int trace = k < records ? r.nextInt(stacks) : (k - records) * 50;
                w.write(Integer.toHexString(16 + trace % 200 * 8).toUpperCase() + " bytes + "
                        + Integer.toHexString(8 + trace % 24).toUpperCase() + " at "
                        + Long.toHexString(address += 0x40).toUpperCase() + " by BackTrace"
                        + Long.toHexString(traceId(trace)).toUpperCase() + "\n");
                if (!shown[trace]) {
                    shown[trace] = true;
                    Random frames = new Random(trace);
                    for (int f = 10 + frames.nextInt(16); f > 0; f--) {
                        long[] m = modules[frames.nextInt(modules.length)];
                        w.write("\t" + Long.toHexString(m[0] + 0x1000 + frames.nextInt(4000) * 0x57).toUpperCase()
                                + "\n");
                    }
                    w.write("\n");
                }
            }
            w.write("\n*- - - - - - - - - - End of data for heap @ 2E60000 - - - - - - - - - -\n");
        }
        return file;
    }
}
