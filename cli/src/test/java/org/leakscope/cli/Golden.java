package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected CLI output under src/test/resources/golden, compared byte for byte. Rewritten only with
 * {@code -Dleakscope.regenerateGolden=true}; review the diff before committing it.
 */
final class Golden {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    static void check(String name, CliRun run) throws Exception {
        assertEquals(ExitCode.OK, run.exit(), run.err());
        assertEquals("", run.err());
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("leakscope.regenerateGolden")) {
            Files.writeString(file, run.out(), StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), run.out(), "differs from " + file);
    }
}
