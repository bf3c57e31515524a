package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * leakdiff's output on the hand-written logs in testdata/umdh, byte for byte. Regenerate on purpose with
 * {@code mvn -pl cli test -Dtest=LeakdiffGoldenTest -Dleakscope.regenerateGolden=true} and review the diff.
 */
class LeakdiffGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static String umdh(String name) {
        return CliRun.testdata("umdh/" + name).toString();
    }

    @Test
    void hexLikeUmdh() throws Exception {
        check("leaky.leakdiff-hex.txt", CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log")));
    }

    @Test
    void decimalWithSymbols() throws Exception {
        check("leaky.leakdiff-d.txt", CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log"), "-d",
                "--symbols-path", umdh("symbols")));
    }

    @Test
    void json() throws Exception {
        check("leaky.leakdiff.json", CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log"), "--json",
                "--symbols-path", umdh("symbols")));
    }

    @Test
    void trendAcrossARestart() throws Exception {
        check("leaky.leakdiff-trend.txt", CliRun.of("leakdiff", "--trend", umdh("leaky_1.log"), umdh("leaky_2.log"),
                umdh("leaky_3_restarted_crlf.log"), "--symbols-path", umdh("symbols")));
    }

    @Test
    void existingCompareReRenderedInDecimal() throws Exception {
        check("compare_hex.leakdiff-d.txt", CliRun.of("leakdiff", umdh("compare_hex.txt"), "-d"));
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
