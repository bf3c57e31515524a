package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** leakdiff on resmon reports in DebugView logs: runs picked, rebased images lined up, call sites ranked. */
class LeakdiffLogTest {
    private static final String LEAKING = CliRun.testdata("dbgview/resmon_soak_leaking.log").toString();
    private static final String FLAT = CliRun.testdata("dbgview/resmon_soak_flat.log").toString();

    @Test
    void beforeAndAfterAFixRanksTheLeakingCallSiteFirst() throws Exception {
        CliRun r = CliRun.of("leakdiff", FLAT, LEAKING, "--json");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("resmon-log", doc.get("inputs").get(0).get("kind").asText());
        JsonNode top = doc.get("stacks").get(0);
        assertEquals(2_400_000, top.get("bytes").get("delta").asLong());
        assertEquals(48, top.get("allocations").get("delta").asLong());
        assertEquals("0x00007ff7ca04a2b1", top.get("frames").get(0).get("address").asText(), "run 3's address");
        assertEquals(2_400_024, doc.get("totals").get("bytes").get("delta").asLong());
        assertTrue(r.err().contains("holds 3 runs"), r.err());
        assertTrue(r.err().contains("comparing run 3"), r.err());
    }

    @Test
    void twoRunsOfOneLogLineUpAcrossTheirImageBases() {
        CliRun r = CliRun.of("leakdiff", LEAKING, LEAKING, "--run", "1", "--run", "3", "-d");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("0 stacks changed, 0 shown, 2 unchanged"), r.out());
        assertTrue(r.err().contains("call sites moved by -0x20000000"), r.err());
        assertTrue(r.err().contains("2 of 2 call sites line up"), r.err());
    }

    @Test
    void pidPerLogAndGateOnGrowth() {
        CliRun r = CliRun.of("leakdiff", FLAT, LEAKING, "--pid", "4100", "--pid", "4101", "--fail-above", "1000000");
        assertEquals(ExitCode.THRESHOLD, r.exit(), r.err());
        assertTrue(r.out().contains("(run 2: soak.exe [4101]"), r.out());
        assertTrue(r.out().contains("BackTrace7FF7BA04A2B1"), r.out());
    }

    @Test
    void wrongRunsAndMixedInputsAreUsageErrors() {
        CliRun range = CliRun.of("leakdiff", FLAT, LEAKING, "--run", "9");
        assertEquals(ExitCode.BAD_INPUT, range.exit());
        assertTrue(range.err().contains("--run 9") && range.err().contains("1 = soak.exe [4100] lines 2..204"),
                range.err());
        CliRun mixed = CliRun.of("leakdiff", FLAT, CliRun.testdata("umdh/leaky_1.log").toString());
        assertEquals(ExitCode.BAD_INPUT, mixed.exit());
        assertTrue(mixed.err().contains("resmon logs can only be compared with resmon logs"), mixed.err());
        CliRun count = CliRun.of("leakdiff", FLAT, LEAKING, "--pid", "1", "--pid", "2", "--pid", "3");
        assertEquals(ExitCode.BAD_INPUT, count.exit());
        assertTrue(count.err().contains("give it once (for all) or once per log"), count.err());
        CliRun none = CliRun.of("leakdiff", FLAT, LEAKING, "--pid", "77");
        assertEquals(ExitCode.BAD_INPUT, none.exit());
        assertTrue(none.err().contains("--pid 77 matches no run; ") && none.err().contains("resmon_soak_flat.log has:\n"
                + "    run 1: soak.exe [4100], from line 2\n"), "names the runs there are: " + none.err());
    }
}
