package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What logscan prints for people (120 columns) and for scripts (every call site, and how many there were). */
class LogscanOutputTest {
    private static final String LONG_EXE = "resource_hungry_service_with_a_very_long_name_".repeat(4) + "x.exe";
    private static final String LONG_LIB = "libvendor_middleware_with_an_unreasonably_long_soname_".repeat(3) + ".so.1";
    private static final long LIB_BASE = 0x00007F1200000000L;

    @TempDir
    Path tmp;

    /**
     * A Leakscope-tracker log (module lines) whose names are longer than a terminal: a 193-character program,
     * a 168-character library holding 25 leaking call sites, a thread started in it.
     */
    private Path longNamesLog(String fileName) throws Exception {
        List<String> m = new ArrayList<>();
        m.add("module 0x" + String.format("%016X", LIB_BASE) + " size 1048576 /opt/vendor/lib/" + LONG_LIB);
        m.add("threads used 2, sync object used 0, memory used 1000");
        m.add("=========== CHECK UNRELEASED RESOUCRES ============");
        m.add("------------ resmon memory usage 0 ----------------");
        long total = 0;
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long size = 1000L * (25 - i);
            total += size;
            blocks.add(String.format("base 0x%016X size %d tag 0000000000000000 (Malloc)", 0x5000000L + 0x10000L * i, size));
            blocks.add("created by [7] thread");
            blocks.add(String.format("returnAddress 0x%016X", LIB_BASE + 0x1000 + 0x40 * i));
            blocks.add("-".repeat(51));
        }
        m.add("------------------ memory usage " + total + " -----------------");
        m.addAll(blocks);
        m.add("------------------ thread usage 1 -----------------");
        m.add("handle(ptr) 0x0000000000000010 id 8");
        m.add(String.format("start address 0x%016X", LIB_BASE + 0x9000));
        m.add("created by [7] thread");
        m.add(String.format("returnAddress 0x%016X", LIB_BASE + 0x9100));
        m.add("-".repeat(51));
        m.add("--------------- sync object usage 0 ---------------");
        m.add("-------------------- allocations detail ----------------------------");
        m.add("| size range                            | total allocs");
        m.add("|0x0000000000002000 - 0x0000000000004000| 0x0000000000000019(25)");
        m.add("-".repeat(68));
        m.add("error ... not all resources free");
        m.add("=".repeat(51));
        StringBuilder sb = new StringBuilder();
        int seq = 1;
        for (String line : m) {
            sb.append(String.format("%08d\t%d.00000000\t[4242] %s|resmon| %s\n", seq++, seq / 10, LONG_EXE, line));
        }
        Path p = tmp.resolve(fileName);
        Files.writeString(p, sb, StandardCharsets.UTF_8);
        return p;
    }

    private static List<String> overlong(String text) {
        // counted in bytes, as awk 'length > 120' counts them (mawk): the "…" of a cut name is 3
        return text.lines().filter(l -> l.getBytes(StandardCharsets.UTF_8).length > 120).toList();
    }

    @Test
    void jsonHasEveryCallSiteAndSaysHowManyThereAre() throws Exception {
        Path log = longNamesLog("many_sites.log");
        CliRun all = CliRun.of("logscan", log.toString(), "--json");
        assertEquals(ExitCode.OK, all.exit(), all.err());
        JsonNode report = new ObjectMapper().readTree(all.out()).get("runs").get(0).get("report");
        assertEquals(26, report.get("callSitesTotal").asInt(), "25 heap call sites and the thread's");
        assertEquals(26, report.get("callSites").size(), "--json lists them all unless --top says otherwise");
        JsonNode three = new ObjectMapper().readTree(CliRun.of("logscan", log.toString(), "--json", "--top", "3").out())
                .get("runs").get(0).get("report");
        assertEquals(26, three.get("callSitesTotal").asInt());
        assertEquals(3, three.get("callSites").size());
        assertEquals(25_000, three.get("callSites").get(0).get("bytes").asLong(), "largest first");
        // text keeps its default of 20 and says what it left out
        String text = CliRun.of("logscan", log.toString()).out();
        assertTrue(text.contains("\n    ... 6 more call sites (--top 0 shows all)\n"), text);
        assertEquals(20, text.lines().filter(l -> l.matches("\\s+\\d+\\s+([\\d,]+\\s+)?(heap block|thread)\\s.*")).count(),
                text);
    }

    @Test
    void textFits120ColumnsAndJsonKeepsTheFullNames() throws Exception {
        Path log = longNamesLog("capture_from_the_customer_site_" + "x".repeat(150) + ".log");
        Path other = longNamesLog("second.log");
        CliRun text = CliRun.of("logscan", log.toString(), other.toString());
        assertEquals(ExitCode.OK, text.exit(), text.err());
        assertEquals(List.of(), overlong(text.out()));
        assertTrue(text.out().contains("…"), "long names lose their middle: " + text.out());
        assertTrue(text.out().contains("\nRun 1: resource_hungry_service_…_long_name_x.exe [4242] in /"), text.out());
        assertTrue(text.out().contains("  heap block  libvendor_middleware_with_an_unreasonab…n_unreasonably_long_soname_"
                + ".so.1+0x1000  Malloc\n"), "the offset survives: " + text.out());
        // the finding that names the largest call site wraps, and its long name is cut to fit
        assertTrue(text.out().contains("    - 25 memory blocks (325,000 bytes), 1 thread not freed at exit, from 26 call"),
                text.out());
        CliRun json = CliRun.of("logscan", log.toString(), "--json");
        JsonNode run = new ObjectMapper().readTree(json.out()).get("runs").get(0);
        assertEquals(LONG_EXE, run.get("module").asText());
        assertEquals(LONG_LIB + "+0x1000", run.get("report").get("callSites").get(0).get("callSite").asText());
        assertTrue(run.get("findings").get(0).asText().endsWith("the largest: " + LONG_LIB + "+0x1000 (1 heap block,"
                + " 25,000 bytes)"), run.get("findings").toString());
        assertEquals(log.toString(), run.get("file").asText());
    }

    /** Every logscan text report on the bundled logs and the corpus's resmon log fits 120 columns. */
    @Test
    void bundledAndCorpusLogsFit120Columns() throws Exception {
        List<Path> logs = new ArrayList<>();
        try (var files = Files.list(CliRun.testdata("dbgview"))) {
            files.filter(f -> f.toString().endsWith(".log")).sorted().forEach(logs::add);
        }
        logs.add(CliRun.corpus("dbgview/resmon_original_usermode_test_wine.log"));
        logs.add(CliRun.corpus("dbgview/lithium_dbgview_cp1251.log"));
        for (Path p : logs) {
            CliRun r = CliRun.of("logscan", p.toString(), "--encoding", "windows-1251");
            assertEquals(ExitCode.OK, r.exit(), p + ": " + r.err());
            assertEquals(List.of(), overlong(r.out()), p.toString());
        }
        List<String> args = new ArrayList<>(List.of("logscan", "--encoding", "windows-1251"));
        logs.forEach(p -> args.add(p.toString()));
        CliRun all = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, all.exit(), all.err());
        assertEquals(List.of(), overlong(all.out()));
        try (var goldens = Files.list(Path.of("src/test/resources/golden"))) {
            for (Path g : goldens.filter(f -> f.getFileName().toString().startsWith("logscan_")
                    && f.toString().endsWith(".txt")).toList()) {
                assertEquals(List.of(), overlong(Files.readString(g)), g.toString());
            }
        }
    }
}
