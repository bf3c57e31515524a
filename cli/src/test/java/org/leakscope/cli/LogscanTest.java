package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LogscanTest {
    private static JsonNode json(CliRun r) throws Exception {
        assertEquals("", r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void plantedLeakIsFlaggedAndFlatUsageIsNot() throws Exception {
        CliRun r = CliRun.of("logscan", CliRun.testdata("dbgview/resmon_soak_leaking.log").toString(),
                CliRun.testdata("dbgview/resmon_soak_flat.log").toString(), "--json");
        assertEquals(ExitCode.OK, r.exit());
        JsonNode doc = json(r);
        assertEquals("leakscope.logscan/1", doc.get("schema").asText());
        JsonNode runs = doc.get("runs");
        assertEquals(6, runs.size());
        for (int i = 0; i < 6; i++) {
            JsonNode run = runs.get(i);
            boolean leaking = run.get("file").asText().contains("leaking");
            JsonNode mem = run.get("usage").get("memoryBytes");
            assertEquals(leaking ? "leaked" : "clean", run.get("verdict").asText(), run.toString());
            assertEquals(leaking, mem.get("sustained").asBoolean());
            assertFalse(run.get("overLimit").asBoolean());
            if (leaking) {
                // planted: 2 x 50000 bytes every 30 minutes = 200 kB/h, at one call site (rebased each run)
                assertEquals(200_000, mem.get("perHour").asDouble(), 10_000);
                JsonNode top = run.get("report").get("callSites").get(0);
                assertTrue(top.get("returnAddress").asText().endsWith("04a2b1"), top.toString());
                assertEquals(48, top.get("count").asLong());
                assertEquals(2_400_000, top.get("bytes").asLong());
                assertEquals("heap_block", top.get("kind").asText());
                assertTrue(run.get("findings").toString().matches(".*memory used grows 19[45]\\.\\d KiB/h over 11\\.9 h, sustained.*"),
                        run.get("findings").toString());
            } else {
                assertEquals(0, run.get("report").get("resourcesListed").asLong());
                assertEquals("[\"everything tracked was freed at exit\"]", run.get("findings").toString());
            }
        }
        assertEquals(3, doc.get("summary").get("leaked").asInt());
        assertEquals(3, doc.get("summary").get("clean").asInt());
    }

    @Test
    void leakGateExitsThreeOnlyWhenSomethingLeaked() {
        CliRun leak = CliRun.of("logscan", CliRun.testdata("dbgview/resmon_soak_leaking.log").toString(),
                "--fail-on-leak");
        assertEquals(ExitCode.THRESHOLD, leak.exit());
        CliRun flat = CliRun.of("logscan", CliRun.testdata("dbgview/resmon_soak_flat.log").toString(), "--fail-on-leak");
        assertEquals(ExitCode.OK, flat.exit(), flat.err());
    }

    @Test
    void filtersPickRuns() throws Exception {
        String log = CliRun.testdata("dbgview/resmon_kernel_and_x86_clock.log").toString();
        JsonNode kernel = json(CliRun.of("logscan", log, "--process", "kernelmode_test", "--json"));
        assertEquals(2, kernel.get("runs").size());
        assertTrue(kernel.get("runs").get(0).get("kernel").asBoolean());
        assertEquals("23:59:30", kernel.get("runs").get(0).get("start").get("clock").asText());
        JsonNode app = json(CliRun.of("logscan", log, "--pid", "3300", "--json"));
        assertEquals(1, app.get("runs").size());
        assertEquals("clean", app.get("runs").get(0).get("verdict").asText());
        JsonNode none = json(CliRun.of("logscan", log, "--pid", "1", "--json"));
        assertEquals(0, none.get("runs").size());
    }

    @Test
    void goldenText() throws Exception {
        Golden.check("logscan_user_x64.txt",
                CliRun.of("logscan", CliRun.testdata("dbgview/resmon_user_x64_exit_report.log").toString()));
        Golden.check("logscan_kernel_x86_clock.txt",
                CliRun.of("logscan", CliRun.testdata("dbgview/resmon_kernel_and_x86_clock.log").toString()));
        Golden.check("logscan_user_x64.json",
                CliRun.of("logscan", CliRun.testdata("dbgview/resmon_user_x64_exit_report.log").toString(), "--json"));
    }

    @Test
    void realDebugViewLogWithoutResmon() throws Exception {
        String p = CliRun.corpus("dbgview/lithium_dbgview_cp1251.log").toString();
        CliRun r = CliRun.of("logscan", p, "--encoding", "windows-1251");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("from \\\\FELIX-GATEWAY, 1,529 records, 0 resmon lines, 0 runs"), r.out());
        assertTrue(r.out().contains("No resmon output found"), r.out());
    }
}
