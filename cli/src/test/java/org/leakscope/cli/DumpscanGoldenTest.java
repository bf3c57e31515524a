package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * dumpscan's output on the bundled sample, byte for byte. When the output changes on purpose, regenerate with
 * {@code mvn -pl cli test -Dtest=DumpscanGoldenTest -Dleakscope.regenerateGolden=true} and review the diff.
 */
class DumpscanGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void summary() throws Exception {
        check("sample.dumpscan.txt", CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(),
                "--symbols-path", CliRun.testdata("minidump/symbols").toString()));
    }

    @Test
    void json() throws Exception {
        check("sample.dumpscan.json", CliRun.of("dumpscan", "--json", CliRun.testdata("minidump/sample.dmp").toString()));
    }

    @Test
    void memory() throws Exception {
        check("sample.dumpscan-memory.txt", CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(),
                "--memory", "0xe1f00ff780", "48"));
    }

    private static void check(String name, CliRun run) throws Exception {
        assertEquals(ExitCode.OK, run.exit(), run.err());
        assertEquals("", run.err());
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("leakscope.regenerateGolden")) {
            Files.writeString(file, run.out(), StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), run.out(), "differs from " + file);
    }
}
