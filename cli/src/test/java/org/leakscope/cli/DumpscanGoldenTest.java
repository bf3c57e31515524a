package org.leakscope.cli;

import org.junit.jupiter.api.Test;

/**
 * dumpscan's output on the bundled sample, byte for byte. When the output changes on purpose, regenerate with
 * {@code mvn -pl cli test -Dtest=DumpscanGoldenTest -Dleakscope.regenerateGolden=true} and review the diff.
 */
class DumpscanGoldenTest {
    @Test
    void summary() throws Exception {
        Golden.check("sample.dumpscan.txt", CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(),
                "--symbols-path", CliRun.testdata("minidump/symbols").toString()));
    }

    @Test
    void json() throws Exception {
        Golden.check("sample.dumpscan.json", CliRun.of("dumpscan", "--json", CliRun.testdata("minidump/sample.dmp").toString()));
    }

    @Test
    void memory() throws Exception {
        Golden.check("sample.dumpscan-memory.txt", CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(),
                "--memory", "0xe1f00ff780", "48"));
    }
}
