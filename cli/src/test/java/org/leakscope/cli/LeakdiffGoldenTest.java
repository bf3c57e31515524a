package org.leakscope.cli;

import org.junit.jupiter.api.Test;

/**
 * leakdiff's output on the hand-written logs in testdata/umdh, byte for byte. Regenerate on purpose with
 * {@code mvn -pl cli test -Dtest=LeakdiffGoldenTest -Dleakscope.regenerateGolden=true} and review the diff.
 */
class LeakdiffGoldenTest {
    private static String umdh(String name) {
        return CliRun.testdata("umdh/" + name).toString();
    }

    @Test
    void hexLikeUmdh() throws Exception {
        Golden.check("leaky.leakdiff-hex.txt", CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log")));
    }

    @Test
    void decimalWithSymbols() throws Exception {
        Golden.check("leaky.leakdiff-d.txt", CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log"), "-d",
                "--symbols-path", umdh("symbols")));
    }

    @Test
    void json() throws Exception {
        Golden.check("leaky.leakdiff.json", CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log"), "--json",
                "--symbols-path", umdh("symbols")));
    }

    @Test
    void trendAcrossARestart() throws Exception {
        Golden.check("leaky.leakdiff-trend.txt", CliRun.of("leakdiff", "--trend", umdh("leaky_1.log"), umdh("leaky_2.log"),
                umdh("leaky_3_restarted_crlf.log"), "--symbols-path", umdh("symbols")));
    }

    @Test
    void existingCompareReRenderedInDecimal() throws Exception {
        Golden.check("compare_hex.leakdiff-d.txt", CliRun.of("leakdiff", umdh("compare_hex.txt"), "-d"));
    }
}
