package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * logscan on a C++ program's log with whole stacks (testdata/dbgview/resmon_cpp_stacks.log, symbols as dump_syms
 * writes them): every leak named at the code that leaked, the folded frames after "via", records from one call
 * site with different callers counted together (docs/attribution.md).
 */
class LogscanAttributionTest {
    private static final String LOG = CliRun.testdata("dbgview/resmon_cpp_stacks.log").toString();
    private static final String SYMBOLS = CliRun.testdata("dbgview/cpp_symbols").toString();

    private static JsonNode sites(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("logscan", LOG, "--symbols-path", SYMBOLS, "--json"));
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals("", r.err());
        return new ObjectMapper().readTree(r.out()).get("runs").get(0).get("report").get("callSites");
    }

    private static JsonNode site(JsonNode sites, String callSite) {
        for (JsonNode s : sites) {
            if (s.get("callSite").asText().equals(callSite)) {
                return s;
            }
        }
        throw new AssertionError(callSite + " not among " + sites);
    }

    private static List<String> callSites(JsonNode sites) {
        List<String> out = new ArrayList<>();
        sites.forEach(s -> out.add(s.get("callSite").asText() + " " + s.get("count").asLong() + " "
                + s.get("bytes").asLong()));
        return out;
    }

    @Test
    void golden() throws Exception {
        Golden.check("logscan_cpp_stacks.txt", CliRun.of("logscan", LOG, "--symbols-path", SYMBOLS));
    }

    @Test
    void everyLeakIsNamedAtTheCodeThatLeaked() throws Exception {
        JsonNode sites = sites();
        assertEquals(List.of("cppleak!open_sessions()+0x34 6 528", "cppleak!Session::Session()+0x24 6 246",
                "cppleak!Session::Session()+0x40 6 240", "cppleak!open_sessions()+0x90 1 64",
                "cppleak!build_map()+0x10 1 48", "cppleak!build_map()+0x2c 1 40", "cppleak!open_sessions()+0x80 1 40",
                "cppleak!MyQueue::push_back(int)+0x1c 2 32", "cppleak!make_cycle()+0x18 1 32", "cppleak!main+0x60 1 24"),
                callSites(sites));
        JsonNode vector = site(sites, "cppleak!Session::Session()+0x40");
        assertEquals("0x000055d0a0c01440", vector.get("returnAddress").asText());
        assertEquals("Session::Session()", vector.get("frame").get("function").asText());
        List<String> folded = new ArrayList<>();
        vector.get("folded").forEach(f -> folded.add(f.get("text").asText()));
        assertEquals(List.of("libc.so.6+0x9a3c0", "libstdc++.so.6!operator new(unsigned long)+0x1c",
                "cppleak!std::__new_allocator<int>::allocate(unsigned long, void const*)+0x2c",
                "cppleak!void std::vector<int, std::allocator<int> >::_M_realloc_insert<int>(__gnu_cxx::"
                        + "__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int&&)+0x5c"), folded);
        assertEquals(7, vector.get("stacks").get(0).get("frames").size(), "the whole recorded stack");
    }

    @Test
    void oneCallSiteWithTwoCallersIsOneSiteWithBothStacks() throws Exception {
        JsonNode open = site(sites(), "cppleak!open_sessions()+0x34");
        assertEquals(6, open.get("count").asLong());
        assertEquals(2, open.get("stacksTotal").asInt());
        List<String> callers = new ArrayList<>();
        open.get("stacks").forEach(s -> callers.add(s.get("count").asLong() + " from "
                + s.get("frames").get(1).get("text").asText()));
        assertEquals(List.of("3 from cppleak!main+0x10", "3 from cppleak!main+0x24"), callers);
    }

    @Test
    void foldExtendsTheListAndNoFoldKeepsTheReturnAddress() throws Exception {
        assertEquals("cppleak!main+0x50", sites("--fold", "MyQueue::push_back").get(7).get("callSite").asText());
        List<String> noFold = callSites(sites("--no-fold"));
        assertTrue(noFold.contains("libc.so.6+0x9a3c0 6 240"), noFold.toString());
        assertTrue(noFold.contains("cppleak!std::shared_ptr<Node> std::make_shared<Node>()+0x20 1 32"),
                noFold.toString());
        assertFalse(noFold.contains("cppleak!Session::Session()+0x40 6 240"), noFold.toString());
        CliRun both = CliRun.of("logscan", LOG, "--fold", "x", "--no-fold");
        assertEquals(ExitCode.BAD_INPUT, both.exit());
        assertTrue(both.err().contains("--fold and --no-fold cannot be used together"), both.err());
    }

    @Test
    void theTextNamesTheFoldedFramesAfterVia() throws Exception {
        CliRun r = CliRun.of("logscan", LOG, "--symbols-path", SYMBOLS);
        assertTrue(r.out().contains("cppleak!Session::Session()+0x40 via operator new(unsigned long) "), r.out());
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 120, line);
        }
        CliRun unfolded = CliRun.of("logscan", LOG, "--symbols-path", SYMBOLS, "--no-fold");
        assertFalse(unfolded.out().contains(" via "), unfolded.out());
    }
}
