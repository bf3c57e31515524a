package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jazzer finding (issue 19): {@code text(kind)} cached its String under the same key as the typed accessor, so
 * {@code text(THREAD_LIST)} followed by {@code threads()} threw ClassCastException. The --raw dump calls text()
 * for every stream before the analysis reads threads, so any dump with a thread list hit it.
 */
class StreamCacheTest {
    private static final Path SAMPLE = Path.of("..", "testdata", "minidump", "sample.dmp");

    @Test
    void textViewOfAStreamDoesNotReplaceItsTypedView() throws Exception {
        try (Minidump dump = Minidump.open(SAMPLE)) {
            int expected;
            try (Minidump fresh = Minidump.open(SAMPLE)) {
                expected = fresh.threads().orElseThrow().size();
            }
            assertTrue(expected > 0, "the sample has threads");
            for (StreamEntry e : dump.streams()) {
                dump.text(e.kind());
            }
            List<DumpThread> threads = dump.threads().orElseThrow();
            assertEquals(expected, threads.size());
        }
    }
}
