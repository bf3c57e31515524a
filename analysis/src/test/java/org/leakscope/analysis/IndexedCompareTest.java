package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.Limits;
import org.leakscope.testing.Required;

/**
 * A compare of two UMDH snapshots read indexed (stacks keyed while read, the changed ones read again) is the
 * compare of the snapshots read whole: every change (trace id, frames, folded frames, sums, merged traces) in the
 * same order, the same totals, the same ranking, under every key. On testdata/umdh and on generated logs with
 * what an index must get right: ids of 8, 9-14 and other characters, repeated ids, a stack printed again, stacks
 * that differ only in allocator frames, traces without a stack, sums past 2^40 bytes and 2^23 allocations,
 * symbolic and back-tick frames, addresses outside every module, blank-indented frames, a damaged frame line,
 * CR LF.
 */
class IndexedCompareTest {
    private static final Path UMDH = Path.of("..", "testdata", "umdh");
    private static final String[] KEYS = {null, "trace-id", "frames", "module-offset"};

    private static List<SnapshotInput> read(Settings settings, Supplier<FrameCodes> codes, Path... files)
            throws Exception {
        List<Path> paths = List.of(files);
        List<InputKind> kinds = new ArrayList<>();
        for (Path p : paths) {
            kinds.add(Inputs.detect(p, settings.umdh()));
        }
        List<SnapshotInput> out = new ArrayList<>();
        for (SnapshotRead r : SnapshotReads.read("test", paths, kinds, Collections.nCopies(paths.size(), settings),
                Collections.nCopies(paths.size(), null), ReadProgress.NONE, 2, codes)) {
            out.add(assertInstanceOf(SnapshotRead.Read.class, r).input());
        }
        return out;
    }

    /** Compares the two files both ways under every key; returns how many changes the default key found. */
    private static int sameBothWays(Settings settings, Path older, Path newer) throws Exception {
        int changes = -1;
        for (String key : KEYS) {
            LeakdiffRequest request = LeakdiffRequest.of(false, key, null, 0, 0);
            List<InputKind> kinds = List.of(InputKind.UMDH_SNAPSHOT, InputKind.UMDH_SNAPSHOT);
            var whole = assertInstanceOf(LeakdiffReport.Compare.class,
                    Leakdiffs.analyse(read(settings, null, older, newer), settings, request));
            List<SnapshotInput> indexed;
            LeakdiffReport.Compare fast;
            try (IndexedKeys keys = Leakdiffs.indexedKeys(kinds, settings, request)) {
                assertNotNull(keys, "two snapshots are read indexed");
                indexed = read(settings, keys.codes(), older, newer);
                assertTrue(Leakdiffs.indexStandsFor(indexed), "index stands for " + older + ", " + newer);
                assertTrue(indexed.get(0).snapshot().aggregates().isEmpty(), "no stack kept");
                fast = assertInstanceOf(LeakdiffReport.Compare.class,
                        Leakdiffs.analyse(indexed, settings, request, keys));
            }
            String what = older.getFileName() + " -> " + newer.getFileName() + " key " + key;
            assertEquals(whole.key(), fast.key(), what);
            assertEquals(whole.comparison(), fast.comparison(), what);
            assertEquals(whole.shown(), fast.shown(), what);
            assertEquals(whole.warnings(), fast.warnings(), what);
            assertEquals(whole.symbols(), fast.symbols(), what);
            for (int i = 0; i < 2; i++) {
                var w = read(settings, null, older, newer).get(i).umdh();
                assertEquals(w.traceCount(), indexed.get(i).umdh().traceCount(), what);
                assertEquals(List.of(w.totals()[0], w.totals()[1]),
                        List.of(indexed.get(i).umdh().totals()[0], indexed.get(i).umdh().totals()[1]), what);
            }
            if (key == null) {
                changes = whole.comparison().changes().size();
            }
        }
        return changes;
    }

    @Test
    void theProjectsLogsCompareAlikeIndexedAndWhole() throws Exception {
        List<Path> logs = new ArrayList<>();
        for (String n : new String[] {"leaky_1.log", "leaky_2.log", "leaky_3_restarted_crlf.log",
            "win10_x64_crlf.log", "hogs_only_no_final_newline.log"}) {
            logs.add(UMDH.resolve(n));
        }
        logs.add(Required.corpusFile("umdh/pyumdh_snapshot_v1_win7wow64.log")); // a real log (SOURCES.md)
        int pairs = 0;
        for (Path a : logs) {
            for (Path b : logs) {
                sameBothWays(Settings.defaults(), a, b);
                pairs++;
            }
        }
        assertEquals(36, pairs);
        assertEquals(3, sameBothWays(Settings.defaults(), UMDH.resolve("leaky_1.log"), UMDH.resolve("leaky_2.log")));
    }

    @Test
    void generatedLogsWithEverythingAnIndexMustGetRightCompareAlike(@TempDir Path dir) throws Exception {
        for (int seed = 1; seed <= 4; seed++) {
            Path a = dir.resolve("a" + seed + ".log");
            Path b = dir.resolve("b" + seed + ".log");
            Files.write(a, log(seed, 0).getBytes(StandardCharsets.ISO_8859_1));
            Files.write(b, log(seed, 1).getBytes(StandardCharsets.ISO_8859_1));
            int changes = sameBothWays(Settings.defaults(), a, b);
            assertTrue(changes > 20, "changes: " + changes);
            Settings noFold = new Settings(List.of(), List.of(), true, null, false, null, null, null, Limits.DEFAULT);
            sameBothWays(noFold, a, b);
        }
    }

    /**
     * With a symbol path, frames are named as the logs are read indexed, as a whole read names them: stacks
     * whose return addresses differ within one function match by module!function, an {@code operator new} that
     * only a symbol file names is folded, the modules are listed in the order asked, a damaged symbol file's
     * warning comes through.
     */
    @Test
    void aSymbolPathNamesFramesAlikeIndexedAndWhole(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("symbols");
        // the generated logs' App.exe (0x20000 bytes) and plugin.dll (0x100000), found by name and size
        sym(store, "App", "exe", 0x20000, "FUNC 1000 1000 0 Cache::Insert(char const *)\n1000 1000 12 0\n"
                + "FUNC f000 100 0 operator new(unsigned int)\nf000 100 40 0\nFUNC 10000 100 0 main\n");
        sym(store, "plugin", "dll", 0x100000, "FUNC 1000 100 0 Plugin::Run()\n1000 100 7 0\nFUNC zz\n");
        Settings named = new Settings(List.of(store, UMDH.resolve("symbols")), List.of(), false, null, false, null,
                null, null, Limits.DEFAULT);
        LeakdiffRequest request = LeakdiffRequest.of(false, null, null, 0, 0);
        for (int seed = 1; seed <= 4; seed++) {
            Path a = dir.resolve("a" + seed + ".log");
            Path b = dir.resolve("b" + seed + ".log");
            Files.write(a, log(seed, 0).getBytes(StandardCharsets.ISO_8859_1));
            Files.write(b, log(seed, 1).getBytes(StandardCharsets.ISO_8859_1));
            int changes = sameBothWays(named, a, b);
            var whole = assertInstanceOf(LeakdiffReport.Compare.class,
                    Leakdiffs.analyse(read(named, null, a, b), named, request));
            var plain = assertInstanceOf(LeakdiffReport.Compare.class,
                    Leakdiffs.analyse(read(Settings.defaults(), null, a, b), Settings.defaults(), request));
            assertEquals(org.leakscope.diff.KeyKind.FRAMES, whole.key());
            assertTrue(changes < plain.comparison().changes().size(), "names merge stacks: " + changes);
            assertTrue(whole.comparison().changes().stream().flatMap(c -> c.backtrace().frames().stream())
                    .anyMatch(f -> "Cache::Insert(char const *)".equals(f.function())));
            assertEquals(List.of("App.exe", "plugin.dll"), whole.symbols().stream()
                    .filter(m -> m.status().equals("found")).map(ModuleSymbols::module).sorted().toList());
            assertTrue(whole.warnings().stream().anyMatch(w -> w.contains("plugin.sym")), whole.warnings().toString());
        }
        Path[] leaky = {UMDH.resolve("leaky_1.log"), UMDH.resolve("leaky_2.log"),
            UMDH.resolve("leaky_3_restarted_crlf.log")};
        for (Path a : leaky) {
            for (Path b : leaky) {
                sameBothWays(named, a, b);
            }
        }
    }

    /** A trend over the files read indexed is the trend read whole under every key; returns the default's rows. */
    private static int sameTrend(Settings settings, Path... files) throws Exception {
        int rows = -1;
        List<InputKind> kinds = Collections.nCopies(files.length, InputKind.UMDH_SNAPSHOT);
        for (String key : KEYS) {
            LeakdiffRequest request = LeakdiffRequest.of(true, key, null, 0, 0);
            var whole = assertInstanceOf(LeakdiffReport.Trend.class,
                    Leakdiffs.analyse(read(settings, null, files), settings, request));
            LeakdiffReport.Trend fast;
            try (IndexedKeys keys = Leakdiffs.indexedKeys(kinds, settings, request)) {
                assertNotNull(keys, "snapshots followed as a trend are read indexed");
                List<SnapshotInput> indexed = read(settings, keys.codes(), files);
                assertTrue(Leakdiffs.indexStandsFor(indexed));
                fast = assertInstanceOf(LeakdiffReport.Trend.class,
                        Leakdiffs.analyse(indexed, settings, request, keys));
            }
            String what = List.of(files).stream().map(p -> p.getFileName().toString()).toList() + " key " + key;
            assertEquals(whole.key(), fast.key(), what);
            assertEquals(describe(whole.trend(), whole.trend().stacks()), describe(fast.trend(),
                    fast.trend().stacks()), what);
            assertEquals(describe(whole.trend(), whole.shown()), describe(fast.trend(), fast.shown()), what);
            assertEquals(whole.warnings(), fast.warnings(), what);
            assertEquals(whole.symbols(), fast.symbols(), what);
            if (key == null) {
                rows = whole.trend().stacks().size();
            }
        }
        return rows;
    }

    /** A trend and its rows as text: StackTrend holds arrays, which a record compares by identity. */
    private static List<String> describe(org.leakscope.diff.TrendReport r, List<org.leakscope.diff.StackTrend> rows) {
        List<String> out = new ArrayList<>();
        out.add(r.key() + " " + r.times() + " " + r.perHour() + " " + java.util.Arrays.toString(r.totalBytes()) + " "
                + java.util.Arrays.toString(r.totalCounts()) + " " + r.totalPerUnit());
        for (var s : rows) {
            out.add(s.backtrace() + " folded " + s.foldedFrames() + " id " + s.traceId() + " merged "
                    + s.mergedTraces() + " " + java.util.Arrays.toString(s.bytes()) + " "
                    + java.util.Arrays.toString(s.counts()) + " " + s.bytesPerUnit() + " " + s.countPerUnit() + " "
                    + s.risingSteps() + "/" + s.fallingSteps() + " " + s.sustained());
        }
        return out;
    }

    /**
     * Snapshots followed as a trend, read indexed: the same report as read whole (rows, sums per snapshot, rates,
     * ranking, shown stacks, warnings, symbols), with and without a symbol store, on generated snapshots (four
     * generations, one snapshot given twice) and on the leaky logs across a restart.
     */
    @Test
    void trendsAreAlikeIndexedAndWhole(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("symbols");
        sym(store, "App", "exe", 0x20000, "FUNC 1000 1000 0 Cache::Insert(char const *)\n1000 1000 12 0\n"
                + "FUNC f000 100 0 operator new(unsigned int)\nf000 100 40 0\nFUNC 10000 100 0 main\n");
        Settings named = new Settings(List.of(store, UMDH.resolve("symbols")), List.of(), false, null, false, null,
                null, null, Limits.DEFAULT);
        for (int seed = 1; seed <= 3; seed++) {
            Path[] gens = new Path[4];
            int[] generation = {0, 1, 2, 1};
            for (int g = 0; g < gens.length; g++) {
                gens[g] = dir.resolve("t" + seed + "_" + g + ".log");
                Files.write(gens[g], log(seed, generation[g]).getBytes(StandardCharsets.ISO_8859_1));
            }
            int rows = sameTrend(Settings.defaults(), gens);
            assertTrue(rows > 20, "rows: " + rows);
            sameTrend(named, gens);
            sameTrend(named, gens[1], gens[0]);
        }
        Path[] leaky = {UMDH.resolve("leaky_1.log"), UMDH.resolve("leaky_2.log"),
            UMDH.resolve("leaky_3_restarted_crlf.log")};
        assertTrue(sameTrend(named, leaky) > 0);
        sameTrend(Settings.defaults(), leaky);
    }

    /** A Breakpad symbol file for a module of a UMDH log, which records no debug id: matched by name and size. */
    private static void sym(Path store, String name, String ext, int size, String records) throws Exception {
        String id = "0123456789ABCDEF0123456789ABCDEF1";
        Path d = store.resolve(name + ".pdb").resolve(id);
        Files.createDirectories(d);
        Files.writeString(d.resolve(name + ".sym"), "MODULE windows x86 " + id + " " + name + ".pdb\n"
                + "INFO CODE_ID 5E8A1B2C" + Integer.toHexString(size).toUpperCase() + " " + name + "." + ext + "\n"
                + "FILE 0 c:\\src\\" + name + ".cpp\n" + records);
    }

    /** Alias stacks, frames without a TAB and UTF-16 text are not indexed: the caller reads such logs whole. */
    @Test
    void logsAnIndexCannotStandForAreSaidSo(@TempDir Path dir) throws Exception {
        Settings s = Settings.defaults();
        LeakdiffRequest request = LeakdiffRequest.of(false, null, null, 0, 0);
        IndexedKeys keys = Leakdiffs.indexedKeys(List.of(InputKind.UMDH_SNAPSHOT, InputKind.UMDH_SNAPSHOT), s,
                request);
        Supplier<FrameCodes> codes = keys.codes();
        List<SnapshotInput> aliases = read(s, codes, UMDH.resolve("wow64_aliases_1.log"),
                UMDH.resolve("wow64_aliases_2.log"));
        assertFalse(Leakdiffs.indexStandsFor(aliases));
        assertEquals("alias stacks", aliases.get(0).umdh().traces().notIndexable());
        List<SnapshotInput> xp = read(s, codes, UMDH.resolve("xp_summary.log"), UMDH.resolve("leaky_1.log"));
        assertFalse(Leakdiffs.indexStandsFor(xp));
        assertEquals("a frame line without a TAB (line 7)", xp.get(0).umdh().traces().notIndexable());
        Path utf16 = dir.resolve("u16.log");
        Files.write(utf16, ("\uFEFF" + log(7, 0)).getBytes(StandardCharsets.UTF_16LE));
        List<SnapshotInput> wide = read(s, codes, utf16, utf16);
        assertFalse(Leakdiffs.indexStandsFor(wide));
        assertTrue(wide.get(0).umdh().traces().notIndexable().contains("UTF-16LE"));
        keys.close();
        assertNull(Leakdiffs.indexedKeys(List.of(InputKind.UMDH_SNAPSHOT, InputKind.UMDH_COMPARE), s, request),
                "a compare output reads whole");
        assertNull(Leakdiffs.indexedKeys(Collections.nCopies(3, InputKind.UMDH_SNAPSHOT), s, request),
                "three snapshots are a trend, not a compare");
    }

    /** A log changed between the read and the re-read of its stacks: a clear error, not other frames. */
    @Test
    void aLogChangedWhileReadIsAnError(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        Files.copy(UMDH.resolve("leaky_1.log"), a);
        Files.copy(UMDH.resolve("leaky_2.log"), b);
        Settings s = Settings.defaults();
        LeakdiffRequest request = LeakdiffRequest.of(false, null, null, 0, 0);
        List<SnapshotInput> in = read(s, Leakdiffs.indexedKeys(List.of(InputKind.UMDH_SNAPSHOT,
                InputKind.UMDH_SNAPSHOT), s, request).codes(), a, b);
        String text = Files.readString(b, StandardCharsets.ISO_8859_1);
        Files.writeString(b, text.replace("\t4014C2", "\t4014C6"), StandardCharsets.ISO_8859_1); // same length
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.leakscope.model.InputFormatException.class,
                () -> Leakdiffs.analyse(in, s, request));
        assertTrue(e.getMessage().contains("b.log") && e.getMessage().contains("the log changed while it was read"),
                e.getMessage());
    }

    /**
     * A snapshot log of a made-up process: generation 1 is a later snapshot of generation 0 (some traces grow,
     * shrink, vanish or are new). Every shape in the class comment appears.
     */
    static String log(int seed, int generation) {
        Random r = new Random(seed);
        String nl = seed % 2 == 0 ? "\r\n" : "\n";
        StringBuilder sb = new StringBuilder();
        sb.append("// UMDH: version 6.1.7650.0: Logtime 2026-03-0").append(1 + generation)
                .append(" 09:00 - Machine=GEN - PID=42").append(nl);
        sb.append("// Loaded modules: ").append(nl).append("//     Base Size Module").append(nl);
        String[][] mods = {{"400000", "20000", "C:\\app\\App.exe"}, {"77650000", "180000", "C:\\W\\ntdll.dll"},
            {"72E50000", "A3000", "C:\\W\\MSVCR90.dll"}, {"10000000", "100000", "C:\\app\\plugin.dll"}};
        for (String[] m : mods) {
            sb.append("// ").append(" ".repeat(12)).append(m[0]).append(" ").append(m[1]).append(" ").append(m[2])
                    .append(nl);
        }
        sb.append(nl).append("*- - - - - - - - - - Start of data for heap @ 2E60000 - - - - - - - - - -")
                .append(nl).append(nl);
        long[] ntdll = {0x776CDD82L, 0x7768EC66L, 0x77701234L};
        long[] app = {0x401234L, 0x4014C2L, 0x40F000L, 0x410010L, 0x10001000L, 0x10020020L, 0x100FFFF0L};
        int traces = 120;
        List<String> ids = new ArrayList<>();
        List<List<String>> stacks = new ArrayList<>();
        for (int t = 0; t < traces; t++) {
            ids.add(switch (t % 6) {
                case 0 -> String.format("%08X", 0x18D0A000 + t);
                case 1 -> String.format("%010X", 0x1000000000L + t * 0x9E3L);
                case 2 -> String.format("%012x", 0xabc000000000L + t);
                case 3 -> String.format("%05X", t);
                case 4 -> "T" + t + "_x";
                default -> String.format("%016X", 0x7FFF000000000000L + t);
            });
            List<String> frames = new ArrayList<>();
            int top = r.nextInt(3);
            for (int i = 0; i < top; i++) {
                frames.add(Long.toHexString(ntdll[r.nextInt(ntdll.length)]).toUpperCase());
            }
            if (t % 11 == 5) {
                frames.add("MSVCR90!malloc+0x5b");
            }
            int body = 1 + r.nextInt(6);
            for (int i = 0; i < body; i++) {
                switch (r.nextInt(9)) {
                    case 0 -> frames.add("App!Cache::Put+0x" + Integer.toHexString(r.nextInt(64)));
                    case 1 -> frames.add("00000000`" + Long.toHexString(app[r.nextInt(app.length)]));
                    case 2 -> frames.add("DEADBEEF"); // outside every module
                    default -> frames.add(Long.toHexString(app[(t + i * 3) % app.length] + (t % 5) * 16)
                            .toUpperCase());
                }
            }
            if (t % 17 == 3 && t > 0) {
                // the stack of an earlier trace below other allocator frames: one key when folded
                frames = new ArrayList<>(stacks.get(t - 1).subList(Math.min(stacks.get(t - 1).size() - 1,
                        countAllocator(stacks.get(t - 1))), stacks.get(t - 1).size()));
                frames.add(0, "77650010");
            }
            stacks.add(frames);
        }
        boolean[] printed = new boolean[traces];
        long addr = 0x2E90000;
        int records = 900;
        for (int k = 0; k < records; k++) {
            int t = r.nextInt(traces);
            if (generation == 1 && t % 7 == 0) {
                continue; // freed in the later snapshot
            }
            if (generation == 0 && t % 13 == 1) {
                continue; // allocated only later
            }
            int size = 16 + (t % 9) * 8 + (generation == 1 && t % 4 == 0 ? 8 * r.nextInt(3) : 0);
            if (t == 59 || t == 69) {
                // sums past what a packed value holds (bytes past 2^40, counts past 2^23): 59 grows, 69 stays
                sb.append(String.format("%X bytes in 0x%X allocations (@ 0x%08X) by: BackTrace%s",
                        0x30000000000L + (t == 59 ? generation * 0x1000 : 0), 0x900000, size, ids.get(t)));
            } else if (t % 10 == 9) {
                sb.append(String.format("%08X bytes in 0x%X allocations (@ 0x%08X) by: BackTrace%s", size * 2, 2,
                        size, ids.get(t)));
            } else {
                sb.append(String.format("%X bytes + %X at %X by BackTrace%s", size, 8 + t % 24, addr, ids.get(t)));
            }
            sb.append(nl);
            addr += 0x40;
            boolean withStack = t % 19 != 7 && (!printed[t] || k % 97 == 0); // some never, one printed again
            if (withStack) {
                printed[t] = true;
                for (int i = 0; i < stacks.get(t).size(); i++) {
                    String f = stacks.get(t).get(i);
                    sb.append(i == 1 && t % 8 == 2 ? "        " : "\t").append(f).append(t % 23 == 4 ? "  " : "")
                            .append(nl);
                    if (t % 29 == 6 && i == 0) {
                        sb.append("\tnot a frame ?!").append(nl);
                    }
                }
                sb.append(nl);
            }
        }
        sb.append(nl).append("*- - - - - - - - - - End of data for heap @ 2E60000 - - - - - - - - - -").append(nl);
        return sb.toString();
    }

    private static int countAllocator(List<String> frames) {
        int n = 0;
        while (n < frames.size() && frames.get(n).startsWith("77")) {
            n++;
        }
        return n;
    }
}
