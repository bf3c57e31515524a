package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampled trace count that sizes the per-trace tables before a big log is read. */
class TraceCountEstimateTest {
    @TempDir
    Path tmp;

    /** Traces whose records recur through the log (first appearances thin out as it goes, as in umdh's output). */
    @Test
    void estimatesTheTracesOfALogFromASample() throws IOException {
        for (int traces : new int[] {20_000, 60_000}) {
            Path p = tmp.resolve("log-" + traces + ".log");
            Random r = new Random(traces);
            boolean[] seen = new boolean[traces];
            try (BufferedWriter w = Files.newBufferedWriter(p)) {
                w.write("// UMDH: version 6.1.7650.0: Logtime 2026-03-02 09:00 - Machine=M - PID=1\n\n");
                for (int k = 0; k < 6 * traces; k++) {
                    int t = r.nextInt(traces);
                    w.write(String.format("%X bytes + 8 at %X by BackTrace%08X%n", 16 + t % 64, 0x100000 + k * 16, t));
                    if (!seen[t]) {
                        seen[t] = true;
                        for (int f = 0; f < 3 + t % 12; f++) {
                            w.write(String.format("\t%X%n", 0x400000 + r.nextInt(0x10000)));
                        }
                        w.write("\n");
                    }
                }
            }
            int appeared = 0;
            for (boolean s : seen) {
                appeared += s ? 1 : 0;
            }
            int estimate = TraceCountEstimate.of(p, 0);
            assertTrue(Math.abs(estimate - 0.9 * appeared) < 0.12 * appeared,
                    "estimate " + estimate + " for " + appeared + " traces (" + Files.size(p) + " bytes)");
        }
    }

    @Test
    void noEstimateForSmallFilesOrTextWithoutStacks() throws IOException {
        Path text = tmp.resolve("text.log");
        Files.writeString(text, "not a umdh log\n".repeat(100_000));
        assertEquals(0, TraceCountEstimate.of(text, 0));
        Path small = tmp.resolve("small.log");
        Files.writeString(small, "10 bytes + 8 at 1000 by BackTrace1\n\t401000\n\n");
        assertEquals(0, TraceCountEstimate.of(small, 0));
        assertEquals(0, TraceCountEstimate.of(text, 64L << 20)); // below the size that pays for a sample
    }

    @Test
    void countsStackStartsAndRecordsInWholeLinesOnly() {
        byte[] w = ("tail of a line\n1 bytes + 8 at 0 by BackTrace1\n\t1\n\t2\n\n2 bytes + 8 at 0 by BackTrace2\n"
                + "\t3\n3 bytes + 8 at 0 by BackTr").getBytes();
        int[] c = TraceCountEstimate.count(w, w.length);
        assertEquals(2, c[0], "stack starts");
        assertEquals(2, c[1], "records");
    }
}
