package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** A trace with alias stacks (UMDH's {@code Alias} lines): shown after its stack in text and JSON. */
    @Test
    void aliasStacks() throws Exception {
        String[] logs = {umdh("wow64_aliases_1.log"), umdh("wow64_aliases_2.log")};
        Golden.check("wow64_aliases.leakdiff-hex.txt", CliRun.of("leakdiff", logs[0], logs[1], "--symbols-path",
                umdh("symbols")));
        Golden.check("wow64_aliases.leakdiff.json", CliRun.of("leakdiff", logs[0], logs[1], "--json"));
        Golden.check("wow64_aliases.leakdiff-trend.txt", CliRun.of("leakdiff", "--trend", logs[0], logs[1],
                "--symbols-path", umdh("symbols")));
    }

    /** leakdiff's own compare output, read back, keeps the alias stacks (same text, same JSON). */
    @Test
    void aliasStacksSurviveAReRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        CliRun first = CliRun.of("leakdiff", umdh("wow64_aliases_1.log"), umdh("wow64_aliases_2.log"), "--json");
        CliRun text = CliRun.of("leakdiff", umdh("wow64_aliases_1.log"), umdh("wow64_aliases_2.log"));
        java.nio.file.Path compare = tmp.resolve("compare.txt");
        java.nio.file.Files.writeString(compare, text.out());
        CliRun again = CliRun.of("leakdiff", compare.toString(), "--json");
        assertEquals(ExitCode.OK, again.exit(), again.err());
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        var before = m.readTree(first.out()).get("stacks").get(0).get("aliases");
        var after = m.readTree(again.out()).get("stacks").get(0).get("aliases");
        assertEquals(2, after.size());
        for (int a = 0; a < 2; a++) {
            assertEquals(before.get(a).size(), after.get(a).size());
            for (int i = 0; i < after.get(a).size(); i++) {
                assertEquals(before.get(a).get(i).get("moduleOffset"), after.get(a).get(i).get("moduleOffset"));
            }
        }
    }

    @Test
    void existingCompareReRenderedInDecimal() throws Exception {
        Golden.check("compare_hex.leakdiff-d.txt", CliRun.of("leakdiff", umdh("compare_hex.txt"), "-d"));
    }
}
