package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots with planted leaks: three stacks grow at known rates while others stay flat, shrink, or spike once.
 * leakdiff and --trend must rank exactly the planted stacks on top with the right deltas, also when the later
 * snapshots come from a restarted process (other trace ids, rebased modules) or a rebuilt binary (call sites
 * moved inside their functions).
 */
class LeakdiffPlantedLeakTest {
    @TempDir
    Path tmp;

    private final ObjectMapper json = new ObjectMapper();
    private final List<Path> run1 = new ArrayList<>();
    private Path restarted;
    private Path rebuilt;
    private Path symbols;

    // function start offsets in app.exe, and the call-site offset of each stack inside its function
    private static final long[] FUNCS = {0x1000, 0x1100, 0x1200, 0x1300, 0x1400, 0x1500, 0x1600, 0x1700};
    private static final String[] NAMES = {"Leak::Big", "Leak::Many", "Leak::Slow", "Flat::A", "Flat::B",
            "Shrink::C", "Spike::D", "main"};

    @BeforeEach
    void plant() throws Exception {
        for (int s = 0; s < 4; s++) {
            Path p = tmp.resolve("s" + s + ".log");
            write(p, s, 0x400000, 0x77000000L, "1", 0, "2026-01-01 0" + s + ":00");
            run1.add(p);
        }
        restarted = tmp.resolve("restarted.log");
        write(restarted, 3, 0x1D0000, 0x77300000L, "9", 0, "2026-01-01 05:00");
        rebuilt = tmp.resolve("rebuilt.log");
        write(rebuilt, 3, 0x1D0000, 0x77300000L, "7", 4, "2026-01-01 05:00");
        symbols = tmp.resolve("symbols");
        Path dir = Files.createDirectories(symbols.resolve("app.pdb").resolve("0123456789ABCDEF0123456789ABCDEF1"));
        // UMDH records no ids: the code id's SizeOfImage (0x20000, as the module table says) ties the file to app.exe
        StringBuilder sym = new StringBuilder("MODULE windows x86 0123456789ABCDEF0123456789ABCDEF1 app.pdb\n"
                + "INFO CODE_ID 5E8A1B2C20000 app.exe\n");
        for (int i = 0; i < FUNCS.length; i++) {
            sym.append("FUNC ").append(Long.toHexString(FUNCS[i])).append(" 100 0 ").append(NAMES[i]).append('\n');
        }
        Files.writeString(dir.resolve("app.sym"), sym.toString());
    }

    /**
     * Snapshot {@code s}: Leak::Big +0x40 x 4 per snapshot, Leak::Many +3 x 0x10, Leak::Slow +1 x 0x8, flat
     * stacks constant, Shrink::C loses 2 x 0x20 per snapshot, Spike::D jumps in snapshot 1 only.
     */
    private void write(Path p, int s, long appBase, long ntdllBase, String idPrefix, int shift, String time)
            throws Exception {
        UmdhLogWriter w = new UmdhLogWriter().time(time).pid(100 + s)
                .module("C:\\app\\app.exe", appBase, 0x20000)
                .module("C:\\Windows\\SYSTEM32\\ntdll.dll", ntdllBase, 0x1F8000)
                .module("C:\\Windows\\System32\\ucrtbase.dll", 0x7FD00000L, 0x2C8000);
        for (int i = 0; i < 7; i++) {
            // ntdll heap frames differ between stacks (fast/slow path): folding must hide that
            w.stack(NAMES[i], idPrefix + "000" + i, 1, 0x3EC66 + (i % 2) * 0x100, 2, 0x1E5E6,
                    0, FUNCS[i] + 0x10 + shift, 0, FUNCS[7] + 0x42 + shift);
        }
        w.allocations("Leak::Big", 4 * (s + 1), 0x40);
        w.allocations("Leak::Many", 3 * (s + 1), 0x10);
        w.allocations("Leak::Slow", s + 1, 0x8);
        w.allocations("Flat::A", 5, 0x200);
        w.allocations("Flat::B", 2, 0x1000);
        w.allocations("Shrink::C", 10 - 2 * s, 0x20);
        w.allocations("Spike::D", s == 1 ? 40 : 1, 0x80);
        w.write(p);
    }

    private JsonNode run(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals("", r.err());
        return json.readTree(r.out());
    }

    private static List<String> callSites(JsonNode stacks, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(callSite(stacks.get(i)));
        }
        return out;
    }

    /** The first frame after the folded allocator frames. */
    private static String callSite(JsonNode stack) {
        JsonNode f = stack.get("frames").get(stack.get("foldedFrames").asInt());
        return f.get("function").isNull() ? f.get("module").asText() + "+" + f.get("moduleOffset").asText()
                : f.get("function").asText();
    }

    @Test
    void compareRanksThePlantedStacksWithExactDeltas() throws Exception {
        JsonNode doc = run("leakdiff", run1.get(0).toString(), run1.get(3).toString(), "--json",
                "--symbols-path", symbols.toString());
        assertEquals("leakscope.leakdiff/1", doc.get("schema").asText());
        assertEquals("frames", doc.get("key").asText(), "symbols resolved: frames is the default key");
        JsonNode stacks = doc.get("stacks");
        assertEquals(List.of("Leak::Big", "Leak::Many", "Leak::Slow"), callSites(stacks, 3));
        assertEquals(3 * 4 * 0x40, stacks.get(0).get("bytes").get("delta").asLong());
        assertEquals(12, stacks.get(0).get("allocations").get("delta").asLong());
        assertEquals(9 * 0x10, stacks.get(1).get("bytes").get("delta").asLong());
        assertEquals(3 * 0x8, stacks.get(2).get("bytes").get("delta").asLong());
        assertEquals(3 * 8, stacks.get(2).get("overhead").get("delta").asLong());
        JsonNode last = stacks.get(stacks.size() - 1);
        assertEquals(-6 * 0x20, last.get("bytes").get("delta").asLong(), "shrinkage comes last");
        assertEquals(3, doc.get("stacksUnchanged").asInt(), "two flat stacks, and Spike::D back to 1 allocation");
        assertEquals(3 * 4 * 0x40 + 9 * 0x10 + 3 * 8 - 6 * 0x20, doc.get("totals").get("bytes").get("delta").asLong());
    }

    @Test
    void trendRanksThePlantedStacksAboveTheSpike() throws Exception {
        List<String> args = new ArrayList<>(List.of("leakdiff", "--trend", "--json", "--symbols-path", symbols.toString()));
        run1.forEach(p -> args.add(p.toString()));
        JsonNode doc = run(args.toArray(new String[0]));
        assertEquals("leakscope.leakdiff-trend/1", doc.get("schema").asText());
        assertEquals("hour", doc.get("rateUnit").asText());
        assertEquals(3.0, doc.get("spanHours").asDouble());
        JsonNode stacks = doc.get("stacks");
        assertEquals(List.of("Leak::Big", "Leak::Many", "Leak::Slow"), callSites(stacks, 3));
        for (int i = 0; i < 3; i++) {
            assertTrue(stacks.get(i).get("sustained").asBoolean());
        }
        assertEquals(4 * 0x40, stacks.get(0).get("bytesPerUnit").asDouble(), 1e-9);
        assertEquals(3, doc.get("stacksSustained").asInt());
        boolean spikeSeen = false;
        for (JsonNode st : stacks) {
            if (callSite(st).equals("Spike::D")) {
                spikeSeen = true;
                assertFalse(st.get("sustained").asBoolean());
            }
        }
        assertTrue(spikeSeen);
    }

    @Test
    void acrossARestartModuleOffsetAndFramesStillMatch() throws Exception {
        for (String key : List.of("module-offset", "frames")) {
            JsonNode doc = run("leakdiff", run1.get(0).toString(), restarted.toString(), "--json", "--key", key,
                    "--symbols-path", symbols.toString());
            JsonNode stacks = doc.get("stacks");
            assertEquals(3 * 4 * 0x40, stacks.get(0).get("bytes").get("delta").asLong(), key);
            assertEquals(4 * 0x40, stacks.get(0).get("bytes").get("old").asLong(), key + ": matched, not new");
            assertEquals("90000", stacks.get(0).get("traceId").asText(), "the new run's id is shown");
        }
        JsonNode byId = run("leakdiff", run1.get(0).toString(), restarted.toString(), "--json", "--key", "trace-id");
        for (JsonNode st : byId.get("stacks")) {
            boolean added = st.get("bytes").get("old").asLong() == 0;
            boolean removed = st.get("bytes").get("new").asLong() == 0;
            assertTrue(added || removed, "trace ids of another process lifetime never match");
        }
    }

    @Test
    void aRebuiltBinaryMatchesOnlyByFunction() throws Exception {
        JsonNode frames = run("leakdiff", run1.get(0).toString(), rebuilt.toString(), "--json", "--key", "frames",
                "--symbols-path", symbols.toString());
        assertEquals(4 * 0x40, frames.get("stacks").get(0).get("bytes").get("old").asLong());
        JsonNode offsets = run("leakdiff", run1.get(0).toString(), rebuilt.toString(), "--json", "--key",
                "module-offset");
        assertEquals(0, offsets.get("stacks").get(0).get("bytes").get("old").asLong(),
                "call sites moved by 4 bytes: module+offset sees a new stack");
    }

    @Test
    void leakGateFailsAboveTheThreshold() {
        CliRun over = CliRun.of("leakdiff", run1.get(0).toString(), run1.get(3).toString(), "--fail-above", "512");
        assertEquals(ExitCode.THRESHOLD, over.exit(), over.err());
        assertTrue(over.err().contains("above --fail-above 512"), over.err());
        CliRun under = CliRun.of("leakdiff", run1.get(0).toString(), run1.get(3).toString(), "--fail-above", "4096");
        assertEquals(ExitCode.OK, under.exit(), under.err());
    }

    /**
     * A 120-column terminal: 30 snapshots in a long folder, C++ function names of 150 characters. --trend text
     * fits (names lose their middle, series wrap); the compare's header fits, its TAB-indented frames stay whole
     * (UMDH's format, read back by scripts and by leakdiff); the JSON keeps every name whole.
     */
    @Test
    void textFitsA120ColumnTerminal() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("snapshots-of-the-service-taken-every-hour-by-the-nightly-"
                + "soak-job-on-build-machine-07"));
        List<String> args = new ArrayList<>(List.of("leakdiff", "--trend", "--symbols-path", longSymbols().toString()));
        for (int t = 0; t < 30; t++) {
            Path p = dir.resolve("snapshot-" + t + ".log");
            write(p, t % 4, 0x400000, 0x77000000L, "1", 0, String.format("2026-01-%02d %02d:00", 1 + t / 24, t % 24));
            args.add(p.toString());
        }
        CliRun trend = CliRun.of(args.toArray(new String[0]));
        assertEquals(ExitCode.OK, trend.exit(), trend.err());
        assertTrue(trend.out().contains("…"), trend.out());
        assertFits(trend.out(), false);
        args.add("--json");
        CliRun json = CliRun.of(args.toArray(new String[0]));
        assertTrue(json.out().contains("\"" + LONG + "0\""), "whole names in JSON");
        CliRun compare = CliRun.of("leakdiff", args.get(4), args.get(5), "--symbols-path", args.get(3));
        assertEquals(ExitCode.OK, compare.exit(), compare.err());
        assertFits(compare.out(), true);
        assertTrue(compare.out().contains("\t" + "app!" + LONG + "0+10\n"), "frames whole in UMDH's format");
    }

    private static final String LONG = "std::_Tree<std::_Tmap_traits<std::basic_string<char,std::char_traits<char>,"
            + "std::allocator<char> >,Session *,std::less<void> > >::_Emplace_hint_";

    /** The symbols of {@link #plant}'s functions under 150-character names. */
    private Path longSymbols() throws Exception {
        Path root = tmp.resolve("long-symbols");
        Path d = Files.createDirectories(root.resolve("app.pdb").resolve("0123456789ABCDEF0123456789ABCDEF1"));
        // UMDH records no debug ids: a .sym found by name is used when its code id gives the module's size
        StringBuilder sym = new StringBuilder("MODULE windows x86 0123456789ABCDEF0123456789ABCDEF1 app.pdb\n"
                + "INFO CODE_ID 5E8A1B2C20000 app.exe\n");
        for (int i = 0; i < FUNCS.length; i++) {
            sym.append("FUNC ").append(Long.toHexString(FUNCS[i])).append(" 100 0 ").append(LONG).append(i)
                    .append('\n');
        }
        Files.writeString(d.resolve("app.sym"), sym.toString());
        return root;
    }

    /** Every line at most 120 bytes of UTF-8 (what mawk's length counts), TAB-indented frames aside if allowed. */
    private static void assertFits(String text, boolean framesExempt) {
        for (String line : text.split("\n")) {
            if (framesExempt && line.startsWith("\t")) {
                continue;
            }
            int bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            assertTrue(bytes <= 120, bytes + " bytes: " + line);
        }
    }

    /**
     * --fail-above trips on the total or on any one stack: each half alone. Snapshot 0 to 3: the total grows by
     * 744 bytes, Leak::Big by 768. Snapshot 0 to 1: the total by 5,240, no stack by more than Spike::D's 4,992.
     */
    @Test
    void leakGateJudgesTheTotalAndEachStackOnTheirOwn() {
        String s0 = run1.get(0).toString();
        String s1 = run1.get(1).toString();
        String s3 = run1.get(3).toString();
        CliRun stack = CliRun.of("leakdiff", s0, s3, "--fail-above", "750");
        assertEquals(ExitCode.THRESHOLD, stack.exit(), stack.err());
        assertEquals("leakdiff: leak gate: BackTrace10000 grew by 768 bytes, above --fail-above 750\n", stack.err());
        CliRun total = CliRun.of("leakdiff", s0, s1, "--fail-above", "5000");
        assertEquals(ExitCode.THRESHOLD, total.exit(), total.err());
        assertEquals("leakdiff: leak gate: the total grew by 5240 bytes, above --fail-above 5000\n", total.err());
        assertEquals(ExitCode.OK, CliRun.of("leakdiff", s0, s3, "--fail-above", "768").exit(), "768 is not above 768");
        assertEquals(ExitCode.OK, CliRun.of("leakdiff", s0, s1, "--fail-above", "5240").exit());
        // --trend judges its first-to-last growth the same way
        CliRun trendStack = CliRun.of("leakdiff", "--trend", s0, s1, run1.get(2).toString(), s3, "--fail-above",
                "750");
        assertEquals(ExitCode.THRESHOLD, trendStack.exit(), trendStack.err());
        assertTrue(trendStack.err().contains("BackTrace10000 grew by 768 bytes"), trendStack.err());
        CliRun trendTotal = CliRun.of("leakdiff", "--trend", s0, s1, "--fail-above", "5000");
        assertEquals(ExitCode.THRESHOLD, trendTotal.exit(), trendTotal.err());
        assertTrue(trendTotal.err().contains("the total grew by 5240 bytes"), trendTotal.err());
    }
}
