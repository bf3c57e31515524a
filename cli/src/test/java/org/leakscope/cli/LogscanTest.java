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
    }

    /** One set of counts for both renderers: a run that leaked and broke a limit counts in both. */
    @Test
    void textSummaryAndJsonCountTheSameRuns() throws Exception {
        String log = CliRun.testdata("dbgview/resmon_user_x64_exit_report.log").toString();
        CliRun text = CliRun.of("logscan", log);
        assertTrue(text.out().contains("\nSummary: 2 runs, 1 leaked, 1 over-limit (1 also leaked), 0 clean, 1 incomplete\n"),
                text.out());
        JsonNode sum = json(CliRun.of("logscan", log, "--json")).get("summary");
        assertEquals("{\"runs\":2,\"leaked\":1,\"overLimit\":1,\"clean\":0,\"incomplete\":1}", sum.toString());
        // every bundled log and the real resmon log: the text line says what the JSON says
        java.util.List<String> logs = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(CliRun.testdata("dbgview"))) {
            files.filter(f -> f.toString().endsWith(".log")).sorted().forEach(f -> logs.add(f.toString()));
        }
        logs.add(CliRun.corpus("dbgview/resmon_original_usermode_test_wine.log").toString());
        int overlapSeen = 0;
        for (String f : logs) {
            JsonNode doc = new ObjectMapper().readTree(CliRun.of("logscan", f, "--json").out()); // some warn
            JsonNode s = doc.get("summary");
            int both = 0;
            for (JsonNode run : doc.get("runs")) {
                both += run.get("leaked").asBoolean() && run.get("overLimit").asBoolean() ? 1 : 0;
            }
            overlapSeen += both;
            String want = "Summary: " + s.get("runs").asInt() + " run" + (s.get("runs").asInt() == 1 ? "" : "s") + ", "
                    + s.get("leaked").asInt() + " leaked, " + s.get("overLimit").asInt() + " over-limit"
                    + (both > 0 ? " (" + both + " also leaked)" : "") + ", " + s.get("clean").asInt() + " clean, "
                    + s.get("incomplete").asInt() + " incomplete\n";
            String out = CliRun.of("logscan", f).out();
            assertTrue(out.endsWith(want), f + ": " + want + " in\n" + out);
        }
        assertEquals(3, overlapSeen, "runs both leaked and over a limit: 1 in the x64 sample, 2 in the 4 GiB log");
        assertTrue(CliRun.of("logscan", CliRun.testdata("dbgview/resmon_x64_blocks_over_4gib.log").toString()).out()
                .endsWith("Summary: 3 runs, 2 leaked, 3 over-limit (2 also leaked), 0 clean, 0 incomplete\n"));
    }

    /**
     * --fail-on-leak has two halves: leaked (above) and over a limit. A run that broke a limit and freed
     * everything trips it alone: generated here (bigalloc.exe pid 4402), real below.
     */
    @Test
    void leakGateTripsOnAGeneratedRunThatOnlyBrokeALimit() throws Exception {
        String gen = CliRun.testdata("dbgview/resmon_x64_blocks_over_4gib.log").toString();
        JsonNode run = json(CliRun.of("logscan", gen, "--pid", "4402", "--json")).get("runs").get(0);
        assertEquals("over-limit", run.get("verdict").asText());
        assertFalse(run.get("leaked").asBoolean());
        assertEquals("{\"cpu\":1,\"memory\":1}", run.get("limits").get("updates").toString());
        CliRun gate = CliRun.of("logscan", gen, "--pid", "4402", "--fail-on-leak");
        assertEquals(ExitCode.THRESHOLD, gate.exit(), gate.err());
        assertEquals("logscan: leak gate: a run leaked or went over a limit\n", gate.err());
        assertTrue(gate.out().contains("Summary: 1 run, 0 leaked, 1 over-limit, 0 clean, 0 incomplete"), gate.out());
        // and a clean run does not trip it
        String kernel = CliRun.testdata("dbgview/resmon_kernel_and_x86_clock.log").toString();
        CliRun clean = CliRun.of("logscan", kernel, "--pid", "3300", "--fail-on-leak");
        assertEquals(ExitCode.OK, clean.exit(), clean.err());
    }

    /** The original resmon's own test program: four cycles over the cpu limit, nothing left at exit. */
    @Test
    void leakGateTripsOnTheRealResmonLogWhoseRunsOnlyBrokeALimit() throws Exception {
        String real = CliRun.corpus("dbgview/resmon_original_usermode_test_wine.log").toString();
        JsonNode doc = json(CliRun.of("logscan", real, "--json"));
        assertEquals("{\"runs\":4,\"leaked\":0,\"overLimit\":4,\"clean\":0,\"incomplete\":0}",
                doc.get("summary").toString(), "four cycles over the cpu limit, nothing left at exit");
        for (JsonNode r : doc.get("runs")) {
            assertEquals("over-limit", r.get("verdict").asText());
        }
        assertEquals(ExitCode.THRESHOLD, CliRun.of("logscan", real, "--fail-on-leak").exit());
        assertEquals(ExitCode.THRESHOLD, CliRun.of("logscan", real, "--fail-on-leak", "--json").exit());
        assertEquals(ExitCode.OK, CliRun.of("logscan", real).exit(), "no gate without the option");
    }

    /** The original resmon prints block sizes modulo 4 GiB on x64; the section total is exact. */
    @Test
    void blockSizesOver4GibAreCorrectedWhenSettledAndFlaggedWhenNot() throws Exception {
        String gen = CliRun.testdata("dbgview/resmon_x64_blocks_over_4gib.log").toString();
        JsonNode runs = json(CliRun.of("logscan", gen, "--json")).get("runs");
        JsonNode one = runs.get(0).get("report");
        assertEquals(5_372_000_061L, one.get("memoryBytes").asLong());
        assertEquals(5_368_709_120L, one.get("callSites").get(0).get("bytes").asLong(), "listed as 1073741824");
        JsonNode w = one.get("sizeWrap");
        assertEquals("{\"listedBytes\":1077032765,\"totalBytes\":5372000061,\"wraps\":1,\"corrected\":true,"
                + "\"correctedBlocks\":1,\"fixes\":[{\"returnAddress\":\"0x00007ff7b0001a2b\",\"callSite\":"
                + "\"0x00007FF7B0001A2B\",\"addedBytes\":4294967296}],\"reason\":null}", w.toString());
        assertEquals(4, runs.get(0).get("memoryModulo4GiB").get("at").get("line").asInt());
        assertEquals(5_372_000_157L, runs.get(0).get("memoryModulo4GiB").get("to").asLong());
        JsonNode two = runs.get(1).get("report");
        assertFalse(two.get("sizeWrap").get("corrected").asBoolean());
        assertTrue(two.get("sizeWrap").get("reason").asText().contains("cannot tell which"), two.toString());
        assertEquals(1_073_741_824L, two.get("callSites").get(0).get("bytes").asLong(), "as printed");
        assertTrue(runs.get(2).get("report").get("sizeWrap").isNull());
        assertTrue(runs.get(2).get("memoryModulo4GiB").isNull());

        String text = CliRun.of("logscan", gen).out().replaceAll("\n {6}", " ");
        assertTrue(text.contains("- resmon listed 1 block modulo 4 GiB (x64 resmon's 'size %u'): the sizes as printed add"
                + " up to 1,077,032,765 bytes, 4 GiB short of the report's memory usage 5,372,000,061; the allocation-size"
                + " table settles which, so its size is corrected (+4 GiB at 0x00007FF7B0001A2B)"), text);
        assertTrue(text.contains("not corrected: the allocation-size table counted allocations of 4 GiB or more, but"
                + " cannot tell which of the listed blocks they are, so the bytes per call site are as printed"), text);
        assertTrue(text.contains("1  5,368,709,120  heap block  0x00007FF7B0001A2B"), text);

        // the real log: its listed sizes agree with the section totals, so no such finding
        String real = CliRun.corpus("dbgview/resmon_original_usermode_test_wine.log").toString();
        JsonNode r = json(CliRun.of("logscan", real, "--json"));
        for (JsonNode run : r.get("runs")) {
            assertTrue(run.get("report").get("sizeWrap").isNull());
            assertTrue(run.get("memoryModulo4GiB").isNull());
            assertFalse(run.get("findings").toString().contains("modulo"), run.get("findings").toString());
        }
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

    @Test
    void threadsChangeNothingButTheSpeed() {
        String log = CliRun.testdata("dbgview/resmon_soak_leaking.log").toString();
        CliRun one = CliRun.of("logscan", log, "--json", "--threads", "1");
        assertEquals(ExitCode.OK, one.exit(), one.err());
        CliRun three = CliRun.of("logscan", log, "--json", "--threads", "3");
        assertEquals(one.out(), three.out());
        for (String bad : new String[] {"0", "1025", "two"}) {
            CliRun r = CliRun.of("logscan", log, "--threads", bad);
            assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
            assertTrue(r.err().contains("--threads: expected a number of threads from 1 to 1024, got '" + bad + "'"),
                    r.err());
        }
    }
}
