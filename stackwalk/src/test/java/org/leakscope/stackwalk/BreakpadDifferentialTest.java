package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.Minidump;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.testing.Required;

/**
 * The walker beside Breakpad's {@code minidump_stackwalk} (npm {@code minidump@0.26.0}, which .ci/run installs)
 * over every dump of the corpus, without symbols: the crashing thread, frame by frame, module and offset in order
 * (the other threads' agreement is printed too). Breakpad's text output is read rather than {@code -m}'s because
 * only it says how each frame was found, and the agreement is counted per way: every frame Breakpad finds from
 * the context, by call frame information or by the frame pointer must agree; of the frames it finds by scanning,
 * at least 90 %. {@code -Dleakscope.dumps=DIR} compares over another folder of dumps instead.
 *
 * <p>Our scan passes over words whose code bytes do not end in a call (see {@link StackWalker.ScanRule}), which
 * Breakpad takes: one such frame shifts every later one, so the agreement is also printed "in order", Breakpad's
 * frames that our walk has in the same order with others between (a longest common subsequence).
 */
class BreakpadDifferentialTest {
    @Test
    void crashingThreadsAgreeWithMinidumpStackwalk() throws Exception {
        Path stackwalk = stackwalk();
        String other = System.getProperty("leakscope.dumps"); // another folder of dumps, for a local look
        Path root = (other == null || other.isBlank() ? Required.corpusRoot() : Path.of(other)).toAbsolutePath()
                .normalize();
        Required.that(Files.isDirectory(root), "the dumps folder " + root + " is absent");
        List<Path> dumps;
        try (Stream<Path> files = Files.walk(root)) {
            dumps = files.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".dmp"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        Map<FoundBy, int[]> total = new EnumMap<>(FoundBy.class); // {agree, of}
        Map<FoundBy, int[]> allOthers = new EnumMap<>(FoundBy.class);
        Map<FoundBy, int[]> totalInOrder = new EnumMap<>(FoundBy.class);
        List<String> failures = new ArrayList<>();
        for (Path dump : dumps) {
            String name = root.relativize(dump).toString();
            List<BreakpadStackText.Thread> bpThreads = threads(stackwalk, dump);
            Optional<BreakpadStackText.Thread> expected = bpThreads.stream().filter(BreakpadStackText.Thread::crashed)
                    .findFirst();
            if (expected.isEmpty()) {
                System.out.println(name + ": Breakpad walks no crashed thread");
                continue;
            }
            ThreadStack actual;
            Map<FoundBy, int[]> others = new EnumMap<>(FoundBy.class); // the other threads' frames, by Breakpad's way
            try (Minidump d = Minidump.open(dump)) {
                actual = walk(d, expected.get().index());
                for (BreakpadStackText.Thread t : bpThreads) {
                    ThreadStack ours = t.crashed() ? null : walk(d, t.index());
                    for (int i = 0; ours != null && i < t.frames().size(); i++) {
                        int[] c = others.computeIfAbsent(way(t.frames().get(i)), k -> new int[2]);
                        c[0] += i < ours.frames().size() && sameCode(t.frames().get(i),
                                ours.frames().get(i).frame()) ? 1 : 0;
                        c[1]++;
                    }
                }
            } catch (InputFormatException e) {
                failures.add(name + ": Breakpad walked it, we could not read it: " + e.getMessage());
                continue;
            }
            if (actual == null) {
                failures.add(name + ": Breakpad walked crashed thread " + expected.get().index() + ", we found none");
                continue;
            }
            Map<FoundBy, int[]> counts = new EnumMap<>(FoundBy.class);
            List<BreakpadStackText.Frame> bp = expected.get().frames();
            Map<FoundBy, int[]> inOrder = inOrder(bp, actual);
            add(totalInOrder, inOrder);
            int firstDisagreement = -1;
            for (int i = 0; i < bp.size(); i++) {
                FoundBy way = way(bp.get(i));
                boolean same = i < actual.frames().size() && sameCode(bp.get(i), actual.frames().get(i).frame());
                int[] c = counts.computeIfAbsent(way, k -> new int[2]);
                c[0] += same ? 1 : 0;
                c[1]++;
                if (!same && firstDisagreement < 0) {
                    firstDisagreement = i;
                }
            }
            add(total, counts);
            System.out.println(name + ": Breakpad " + bp.size() + " frames, ours " + actual.frames().size()
                    + "; agree " + show(counts) + (firstDisagreement < 0 ? "" : "; first difference at frame "
                    + firstDisagreement + ": Breakpad " + bp.get(firstDisagreement).text() + ", ours "
                    + (firstDisagreement < actual.frames().size()
                            ? actual.frames().get(firstDisagreement).frame().describe() : "none"))
                    + "; in order " + show(inOrder) + "; other threads agree " + show(others));
            add(allOthers, others);
            for (FoundBy strict : List.of(FoundBy.CONTEXT, FoundBy.CFI, FoundBy.FRAME_POINTER)) {
                int[] c = counts.get(strict);
                if (c != null && c[0] < c[1]) {
                    failures.add(name + ": " + (c[1] - c[0]) + " of " + c[1] + " frames Breakpad found by "
                            + strict.word() + " differ");
                }
            }
        }
        System.out.println("Breakpad differential, crashing threads, all dumps: " + show(total) + " (in order "
                + show(totalInOrder) + "); the other threads: " + show(allOthers));
        int[] scan = total.getOrDefault(FoundBy.SCAN, new int[2]);
        if (scan[1] > 0 && scan[0] * 10 < scan[1] * 9) {
            failures.add("only " + scan[0] + " of " + scan[1] + " frames Breakpad found by scanning agree (< 90 %)");
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Module and offset, or the address when no module holds it, as Breakpad prints a frame without symbols. */
    private static boolean sameCode(BreakpadStackText.Frame bp, Frame ours) {
        if (bp.module() == null) {
            return ours.module() == null && bp.text().equals("0x" + Long.toHexString(ours.address()));
        }
        return bp.module().equals(ours.module()) && bp.offset() != null && bp.offset().equals(ours.moduleOffset());
    }

    /** Breakpad's frames that our walk has in the same order (a longest common subsequence), by Breakpad's way. */
    private static Map<FoundBy, int[]> inOrder(List<BreakpadStackText.Frame> bp, ThreadStack ours) {
        int n = bp.size();
        int m = ours.frames().size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = sameCode(bp.get(i), ours.frames().get(j).frame()) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        Map<FoundBy, int[]> out = new EnumMap<>(FoundBy.class);
        for (int i = 0, j = 0; i < n; ) {
            int[] c = out.computeIfAbsent(way(bp.get(i)), k -> new int[2]);
            if (j < m && sameCode(bp.get(i), ours.frames().get(j).frame()) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                c[0]++;
                c[1]++;
                i++;
                j++;
            } else if (j < m && lcs[i][j + 1] >= lcs[i + 1][j]) {
                j++;
            } else {
                c[1]++;
                i++;
            }
        }
        return out;
    }

    /** How Breakpad found a frame, in our words; its rarer ways count as scanning. */
    private static FoundBy way(BreakpadStackText.Frame f) {
        return FrameComparison.BREAKPAD_TRUST.getOrDefault(f.foundBy(), FoundBy.SCAN);
    }

    private static void add(Map<FoundBy, int[]> total, Map<FoundBy, int[]> counts) {
        counts.forEach((k, v) -> {
            int[] t = total.computeIfAbsent(k, x -> new int[2]);
            t[0] += v[0];
            t[1] += v[1];
        });
    }

    private static String show(Map<FoundBy, int[]> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k.word()).append(' ').append(v[0])
                .append('/').append(v[1]));
        return s.toString();
    }

    /** Breakpad's thread {@code index}: the ThreadList without the thread that wrote the dump. */
    private static ThreadStack walk(Minidump dump, int index) {
        Long writer = dump.breakpadInfo().map(b -> b.dumpThreadId()).orElse(null);
        List<DumpThread> threads = dump.threads().orElse(List.of()).stream()
                .filter(t -> writer == null || t.id() != writer).toList();
        return index < threads.size() ? new StackWalker(dump, null).walk(threads.get(index)) : null;
    }

    private static List<BreakpadStackText.Thread> threads(Path stackwalk, Path dump)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("stackwalk", ".out");
        try {
            Process p = new ProcessBuilder(stackwalk.toString(), dump.toString()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("minidump_stackwalk did not finish on " + dump + " within 120 s");
            }
            return BreakpadStackText.read(out).threads();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path stackwalk() {
        String dir = System.getProperty("leakscope.breakpadTools", "../.tools/node_modules/minidump/bin/linux-x64");
        Path tool = Path.of(dir, "minidump_stackwalk");
        Required.that(Files.isExecutable(tool), "Breakpad's minidump_stackwalk is not at " + tool
                + " (install it with: npm install --prefix .tools minidump@0.26.0 --ignore-scripts)");
        return tool;
    }
}
