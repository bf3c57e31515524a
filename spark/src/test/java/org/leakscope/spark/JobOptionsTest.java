package org.leakscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job's command line: a wrong one is one message, as triage's, before any Spark starts. */
class JobOptionsTest {
    private static String error(String... args) {
        return assertThrows(JobOptions.UsageException.class, () -> JobOptions.parse(args, System.out)).getMessage();
    }

    @Test
    void wrongCommandLinesSayWhat() {
        assertEquals("no file or folder given", error("--out", "o"));
        assertEquals("--out DIR is required: the folder the records and triage.json go to", error("dumps"));
        assertEquals("--fold and --no-fold cannot be used together", error("d", "--out", "o", "--fold", "x*",
                "--no-fold"));
        assertEquals("--partitions: expected a positive number, got '0'", error("d", "--out", "o", "--partitions",
                "0"));
        assertEquals("--partitions: expected a positive number, got 'many'", error("d", "--out", "o",
                "--partitions", "many"));
        assertEquals("--encoding klingon: unknown encoding", error("d", "--out", "o", "--encoding", "klingon"));
        assertEquals("Unrecognized option: --state", error("d", "--out", "o", "--state", "s"));
    }

    @Test
    void optionsReachTheSettings() {
        JobOptions o = JobOptions.parse(new String[] {"a", "s3a://b/c", "--out", "o", "--partitions", "16",
            "--fold", "my_alloc*", "--encoding", "windows-1251", "--offline"}, System.out);
        assertEquals(List.of("a", "s3a://b/c"), o.paths());
        assertEquals("o", o.out());
        assertEquals(16, o.partitions());
        assertEquals(List.of("my_alloc*"), o.settings().foldGlobs());
        assertEquals("windows-1251", o.settings().settings().encoding().name());
        assertEquals(true, o.settings().offline());
    }

    @Test
    void helpIsPrintedAndNothingRuns() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertNull(JobOptions.parse(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertEquals(true, out.toString(StandardCharsets.UTF_8).startsWith(
                "usage: leakscope-spark PATH... --out DIR [options]"));
    }
}
