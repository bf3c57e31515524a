package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/**
 * End to end through the DWARF of the tracker's own test programs (native-capture, built with {@code -g}): the
 * planted-leak run under libresmon.so, read by logscan and leakdiff, names every planted leak at the file and line
 * of its planting call, as the source marks it (a "planted" comment on the line), and as {@code addr2line -f -i}
 * says; and a release build's inlined allocation wrapper shows as an inline frame above its caller.
 */
class SourceLinesEndToEndTest {
    private static final Path NATIVE = Path.of("..", "native-capture");
    /** A function definition's first line (at column 0, as in the tests' sources): its name. */
    private static final Pattern FUNCTION = Pattern.compile("^[^\\s#/].*?\\b(\\w+)\\([^)]*\\) \\{\\s*$");

    @TempDir
    static Path tmp;

    private static Path build;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void buildPrograms() throws Exception {
        Required.that(has("cc") && has("make"), "a C compiler (cc) and make are missing: the native test programs"
                + " cannot be built");
        build = NATIVE.resolve("build").toAbsolutePath().normalize();
        run(NATIVE, Map.of(), "make", "-s", "build/libresmon.so", "build/planted_leaks", "build/planted_inline");
    }

    private static boolean has(String tool) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    }

    /** Runs a program, returning its standard output; fails the test on a non-zero exit. */
    private static String run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    /**
     * Runs a Wine program with its output in files: never a pipe, which Wine's background processes (the
     * wineserver it starts) would keep open (native-capture/windows/tests/wine.sh).
     */
    private static void underWine(Path dir, Map<String, String> env, int seconds, int exit, String... command)
            throws Exception {
        Path out = tmp.resolve("wine.out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String said = Files.readString(out);
        assertTrue(ended, String.join(" ", command) + " did not end in " + seconds + " s:\n" + said);
        assertEquals(exit, p.exitValue(), String.join(" ", command) + ":\n" + said);
    }

    /** Runs a program under libresmon.so, its log and snapshots in {@code dir}. */
    private static Path traced(String program, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path log = dir.resolve(program + ".log");
        run(build.getParent(), Map.of("LD_PRELOAD", build.resolve("libresmon.so").toString(), "RESMON_LOG",
                log.toString(), "RESMON_SNAPSHOT_DIR", dir.resolve("snaps").toString(), "RESMON_INTERVAL_MS", "50"),
                build.resolve(program).toString());
        return log;
    }

    /** Each marked line of a source file by the function it is in: {@code leak_small -> 32}. */
    private static Map<String, Integer> marked(Path source, String marker) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        String function = null;
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FUNCTION.matcher(lines.get(i));
            if (m.matches()) {
                function = m.group(1);
            }
            if (lines.get(i).contains("/* " + marker)) {
                out.put(function, i + 1);
            }
        }
        return out;
    }

    /**
     * The snapshot of the same process before it allocated anything: the exit snapshot's module list and heap
     * header without its blocks, so that leakdiff lists every live block of {@code after} as grown.
     */
    private static Path emptied(Path after, Path before) throws IOException {
        StringBuilder header = new StringBuilder();
        boolean blocks = false;
        for (String line : Files.readAllLines(after)) {
            if (!blocks || line.contains("End of data for heap")) {
                header.append(line).append('\n');
            }
            blocks |= line.contains("Hogs");
        }
        return Files.writeString(before, header);
    }

    /** {@code addr2line -f -i}'s answers for addresses, each frame as "function file:line". */
    private static List<String> addr2line(Path program, List<Long> offsets) throws Exception {
        return addr2line("addr2line", program, offsets);
    }

    private static List<String> addr2line(String tool, Path program, List<Long> offsets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool, "-f", "-i", "-e", program.toString()));
        offsets.forEach(o -> cmd.add(Long.toHexString(o)));
        String[] lines = run(program.getParent(), Map.of(), cmd.toArray(new String[0])).split("\n");
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String where = lines[i + 1];
            out.add(lines[i].strip() + " " + where.substring(where.lastIndexOf('/') + 1)
                    .replaceAll(" \\(discriminator.*", "").strip());
        }
        return out;
    }

    private JsonNode cli(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertTrue(r.exit() == ExitCode.OK || r.exit() == ExitCode.THRESHOLD, r.err());
        assertEquals("", r.err(), "no warning");
        return args[args.length - 1].equals("--json") ? json.readTree(r.out()) : null;
    }

    @Test
    void logscanAndLeakdiffNameEveryPlantedLeakAtItsLine() throws Exception {
        Map<String, Integer> planted = marked(NATIVE.resolve("tests/planted_leaks.c"), "planted");
        assertEquals(19, planted.size(), "planted_leaks.c marks 19 planting lines: " + planted);
        Path log = traced("planted_leaks", tmp.resolve("planted"));

        // logscan: every call site, in JSON and in the text table
        JsonNode doc = cli("logscan", log.toString(), "--top", "0", "--json");
        Map<String, Integer> got = new TreeMap<>();
        List<Long> offsets = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (JsonNode s : doc.get("runs").get(0).get("report").get("callSites")) {
            JsonNode f = s.get("frame");
            assertTrue(f.get("sourceFile").asText().endsWith("/native-capture/tests/planted_leaks.c"), f.toString());
            got.put(f.get("function").asText(), f.get("sourceLine").asInt());
            offsets.add(Long.parseLong(f.get("moduleOffset").asText().substring(2), 16) - 1); // the call
            ours.add(f.get("function").asText() + " planted_leaks.c:" + f.get("sourceLine").asInt());
        }
        assertEquals(planted, got, "logscan's call sites and their lines");
        assertEquals(addr2line(build.resolve("planted_leaks"), offsets), ours, "addr2line -f -i at each call");
        CliRun text = CliRun.of("logscan", log.toString(), "--top", "0");
        for (Map.Entry<String, Integer> e : planted.entrySet()) {
            assertTrue(Pattern.compile("(planted_leaks!)?" + e.getKey() + "\\+0x[0-9a-f]+ \\[planted_leaks\\.c : "
                    + e.getValue() + "\\]").matcher(text.out()).find(), e + " in\n" + text.out());
        }

        // dumpscan: the table image the tracker wrote at exit, every planted site at its line
        Path image = Files.list(tmp.resolve("planted/snaps")).filter(p -> p.toString().endsWith(".rmt")).findFirst()
                .orElseThrow();
        Map<String, Integer> inTable = new TreeMap<>();
        for (JsonNode site : cli("dumpscan", image.toString(), "--json").get("inputs").get(0).get("tables").get(0)
                .get("callSites")) {
            JsonNode f = site.get("callSite");
            inTable.put(f.get("function").asText(), f.get("sourceLine").asInt());
        }
        assertEquals(planted, inTable, "dumpscan's call sites in the table image and their lines");
        String table = CliRun.of("dumpscan", image.toString(), "--top", "0").out();
        for (Map.Entry<String, Integer> e : planted.entrySet()) {
            assertTrue(Pattern.compile("(planted_leaks!)?" + e.getKey() + "\\+0x[0-9a-f]+ \\[planted_leaks\\.c : "
                    + e.getValue() + "\\]").matcher(table).find(), e + " in\n" + table);
        }

        // leakdiff: the exit snapshot (heap blocks) against the same process with nothing allocated yet
        Path after = Files.list(tmp.resolve("planted/snaps")).filter(p -> p.toString().endsWith("-1.umdh"))
                .findFirst().orElseThrow();
        Path before = emptied(after, tmp.resolve("planted/before.umdh"));
        JsonNode diff = cli("leakdiff", before.toString(), after.toString(), "--json");
        Map<String, Integer> heap = new TreeMap<>();
        for (JsonNode s : diff.get("stacks")) {
            JsonNode f = s.get("frames").get(s.get("foldedFrames").asInt());
            assertTrue(f.get("sourceFile").asText().endsWith("/planted_leaks.c"), f.toString());
            heap.put(f.get("function").asText(), f.get("sourceLine").asInt());
        }
        List<String> heapLeaks = run(build, Map.of(), build.resolve("planted_leaks").toString(), "--expect")
                .lines().filter(l -> l.contains(":heap:")).map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertEquals(8, heapLeaks.size());
        Map<String, Integer> wantHeap = new TreeMap<>();
        heapLeaks.forEach(f -> wantHeap.put(f, planted.get(f)));
        assertEquals(wantHeap, heap, "leakdiff's call sites and their lines");
        CliRun compare = CliRun.of("leakdiff", before.toString(), after.toString());
        for (Map.Entry<String, Integer> e : wantHeap.entrySet()) {
            // UMDH's own frame line: module!function+OFFSET (file, line)
            assertTrue(Pattern.compile("\tplanted_leaks!" + e.getKey() + "\\+[0-9A-F]+ \\(\\S+/planted_leaks\\.c, "
                    + e.getValue() + "\\)\n").matcher(compare.out()).find(), e + " in\n" + compare.out());
        }
    }

    @Test
    void anInlinedAllocationWrapperShowsAsAnInlineFrame() throws Exception {
        Path source = NATIVE.resolve("tests/planted_inline.c");
        int allocation = marked(source, "inlined allocation").get("checked_alloc");
        int call = marked(source, "wrapper call").get("leak_through_wrapper");
        Path log = traced("planted_inline", tmp.resolve("inline"));

        JsonNode site = cli("logscan", log.toString(), "--json").get("runs").get(0).get("report").get("callSites")
                .get(0);
        JsonNode f = site.get("frame");
        assertEquals("leak_through_wrapper", f.get("function").asText(), f.toString());
        assertEquals(call, f.get("sourceLine").asInt(), "the frame: the caller, at the wrapper's call");
        JsonNode inlined = f.get("inlined");
        assertEquals(1, inlined.size(), f.toString());
        assertEquals("checked_alloc", inlined.get(0).get("function").asText());
        assertEquals(allocation, inlined.get(0).get("sourceLine").asInt(), "the inline frame: the wrapper's malloc");
        assertTrue(inlined.get(0).get("sourceFile").asText().endsWith("/planted_inline.c"), inlined.toString());
        long offset = Long.parseLong(f.get("moduleOffset").asText().substring(2), 16) - 1;
        assertEquals(List.of("checked_alloc planted_inline.c:" + allocation,
                "leak_through_wrapper planted_inline.c:" + call),
                addr2line(build.resolve("planted_inline"), List.of(offset)), "addr2line -f -i at the call");

        String text = CliRun.of("logscan", log.toString()).out();
        assertTrue(Pattern.compile("\n +1  4,321  heap block  checked_alloc \\[planted_inline\\.c : " + allocation
                + "\\] \\(inlined\\) .*\n +planted_inline!leak_through_wrapper\\+0x[0-9a-f]+ \\[planted_inline\\.c : "
                + call + "\\]\n").matcher(text).find(), text);
        Path table = Files.list(tmp.resolve("inline/snaps")).filter(p -> p.toString().endsWith(".rmt")).findFirst()
                .orElseThrow();
        String dump = CliRun.of("dumpscan", table.toString()).out();
        // (the table's call site column gives up the module, which the row's own module list names)
        assertTrue(Pattern.compile(" checked_alloc \\[planted_inline\\.c : " + allocation + "\\] \\(inlined\\) .*\n"
                + " +(planted_inline!)?leak_through_wrapper\\+0x[0-9a-f]+ \\[planted_inline\\.c : " + call + "\\]")
                .matcher(dump).find(), dump);

        // leakdiff: in JSON the inlined call; in UMDH's compare text one line per real frame, as UMDH prints
        // (readers of that format take every TAB-indented line for a frame); in --trend text the inline line
        Path after = Files.list(tmp.resolve("inline/snaps")).filter(p -> p.toString().endsWith("-1.umdh"))
                .findFirst().orElseThrow();
        Path before = emptied(after, tmp.resolve("inline/before.umdh"));
        JsonNode stack = cli("leakdiff", before.toString(), after.toString(), "--json").get("stacks").get(0);
        JsonNode top = stack.get("frames").get(stack.get("foldedFrames").asInt());
        assertEquals("leak_through_wrapper", top.get("function").asText(), stack.toString());
        assertEquals(call, top.get("sourceLine").asInt());
        assertEquals("checked_alloc", top.get("inlined").get(0).get("function").asText(), top.toString());
        assertEquals(allocation, top.get("inlined").get(0).get("sourceLine").asInt());
        String compare = CliRun.of("leakdiff", before.toString(), after.toString()).out();
        assertTrue(Pattern.compile("\n\tplanted_inline!leak_through_wrapper\\+[0-9A-F]+ \\(\\S+/planted_inline\\.c, "
                + call + "\\)\n").matcher(compare).find(), compare);
        assertTrue(!compare.contains("checked_alloc"), "no line of its own in UMDH's format:\n" + compare);
        String trend = CliRun.of("leakdiff", "--trend", before.toString(), after.toString()).out();
        assertTrue(Pattern.compile("\n +checked_alloc \\[\\S+/planted_inline\\.c : " + allocation
                + "\\] \\(inlined\\)\n +planted_inline!leak_through_wrapper\\+[0-9A-F]+ \\(\\S+/planted_inline\\.c, "
                + call + "\\)\n").matcher(trend).find(), trend);
        for (String line : (text + dump + trend).split("\n")) {
            assertTrue(line.length() <= 120, line.length() + " columns: " + line);
        }
    }

    /**
     * The Windows planted-leak run: planted_leaks.exe (mingw-w64, {@code -g}) injected with resmon.dll by
     * resmon_client.exe under Wine, as native-capture/windows/dll/test.sh runs it; its frames named from the PE
     * file's DWARF, the module found at its Wine path ({@code Z:\\...}).
     */
    @Test
    void theWindowsRunUnderWineNamesEveryPlantedLeakAtItsLine() throws Exception {
        Required.that(has("x86_64-w64-mingw32-gcc") && has("wine") && has("wineboot") && has("wineserver"),
                "mingw-w64 (x86_64-w64-mingw32-gcc) or wine is missing: the Windows planted-leak run cannot be made");
        Path windows = build.resolve("windows");
        run(NATIVE.resolve("windows"), Map.of(), "make", "-s", "../build/windows/resmon.dll",
                "../build/windows/resmon_client.exe", "../build/windows/planted_leaks.exe",
                "../build/windows/planted_plugin.dll", "../build/windows/planted_ucrt.dll",
                "../build/windows/planted_inline.exe");
        Path out = Files.createDirectories(tmp.resolve("windows/injected"));
        Path crashes = Files.createDirectories(tmp.resolve("windows/crashes"));
        Map<String, String> wine = Map.of("WINEPREFIX", tmp.resolve("wineprefix").toString(), "WINEDEBUG", "-all",
                "WINEDLLOVERRIDES", "mscoree,mshtml=", "RESMON_DEPTH", "16");
        try {
            underWine(windows, wine, 300, 0, "wineboot", "-i");
            underWine(windows, wine, 120, 0, "wine", windows.resolve("resmon_client.exe").toString(), "--out-dir",
                    "Z:" + out.toString().replace('/', '\\'), windows.resolve("planted_leaks.exe").toString(), "one",
                    "two");
            // 123: the target crashed and its dump was written
            underWine(windows, wine, 120, 123, "wine", windows.resolve("resmon_client.exe").toString(), "--out-dir",
                    "Z:" + crashes.toString().replace('/', '\\'), windows.resolve("planted_inline.exe").toString(),
                    "--crash");
        } finally {
            // this prefix's server, none other; then wait for it to be gone, its files closed, before the prefix goes
            for (String how : List.of("-k", "-w")) {
                ProcessBuilder stop = new ProcessBuilder("wineserver", how);
                stop.environment().putAll(wine);
                stop.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
            }
        }
        Map<String, Integer> planted = marked(NATIVE.resolve("windows/dll/planted_leaks.c"), "planted");
        assertEquals(10, planted.size(), "planted_leaks.c (Windows) marks 10 leaking calls: " + planted);
        Path log = Files.list(out).filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();

        JsonNode doc = cli("logscan", log.toString(), "--top", "0", "--json");
        Map<String, Integer> got = new TreeMap<>();
        List<Long> addresses = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (JsonNode s : doc.get("runs").get(0).get("report").get("callSites")) {
            JsonNode f = s.get("frame");
            if (!"planted_leaks.exe".equals(f.get("module").asText())) {
                continue; // the leaks of the DLLs it loads
            }
            assertTrue(f.get("sourceFile").asText().endsWith("/windows/dll/planted_leaks.c"), f.toString());
            Integer before = got.put(f.get("function").asText(), f.get("sourceLine").asInt());
            assertTrue(before == null || before == f.get("sourceLine").asInt(), f.toString()); // a loop's sites
            // mingw's image base; the call instruction before the return address
            addresses.add(0x140000000L + Long.parseLong(f.get("moduleOffset").asText().substring(2), 16) - 1);
            ours.add(f.get("function").asText() + " planted_leaks.c:" + f.get("sourceLine").asInt());
        }
        assertEquals(planted, got, "logscan's call sites in planted_leaks.exe and their lines");
        if (has("x86_64-w64-mingw32-addr2line")) {
            assertEquals(addr2line("x86_64-w64-mingw32-addr2line", windows.resolve("planted_leaks.exe"), addresses),
                    ours, "mingw's addr2line -f -i at each call");
        }
        CliRun text = CliRun.of("logscan", log.toString(), "--top", "0");
        for (Map.Entry<String, Integer> e : planted.entrySet()) {
            assertTrue(Pattern.compile("(planted_leaks\\.exe!)?" + e.getKey() + "\\+0x[0-9a-f]+ \\[planted_leaks\\.c : "
                    + e.getValue() + "\\]").matcher(text.out()).find(), e + " in\n" + text.out());
        }

        Path after = Files.list(out).filter(p -> p.toString().endsWith("-1.umdh")).findFirst().orElseThrow();
        Path before = emptied(after, tmp.resolve("windows/before.umdh"));
        JsonNode diff = cli("leakdiff", before.toString(), after.toString(), "--json");
        Map<String, Integer> heap = new TreeMap<>();
        for (JsonNode s : diff.get("stacks")) {
            JsonNode f = s.get("frames").get(s.get("foldedFrames").asInt());
            if ("planted_leaks.exe".equals(f.get("module").asText())) {
                heap.put(f.get("function").asText(), f.get("sourceLine").asInt());
            }
        }
        Map<String, Integer> wantHeap = new TreeMap<>();
        for (String f : List.of("leak_malloc", "leak_heapalloc", "leak_private_heap", "leak_virtual", "leak_calloc",
                "leak_realloc")) {
            wantHeap.put(f, planted.get(f));
        }
        assertEquals(wantHeap, heap, "leakdiff's heap call sites in planted_leaks.exe and their lines");
        CliRun compare = CliRun.of("leakdiff", before.toString(), after.toString());
        for (Map.Entry<String, Integer> e : wantHeap.entrySet()) {
            assertTrue(Pattern.compile("\tplanted_leaks!" + e.getKey() + "\\+[0-9A-F]+ \\(\\S+/planted_leaks\\.c, "
                    + e.getValue() + "\\)\n").matcher(compare.out()).find(), e + " in\n" + compare.out());
        }

        // dumpscan: the crash in inlined code, its inline frame above the function it was inlined into
        Path source = NATIVE.resolve("tests/planted_inline.c");
        int poke = marked(source, "inlined crash").get("poke");
        int call = marked(source, "poke call").get("crash_through_wrapper");
        Path dump = Files.list(crashes).filter(p -> p.toString().endsWith(".dmp")).findFirst().orElseThrow();
        JsonNode frame = cli("dumpscan", dump.toString(), "--json").get("dumps").get(0).get("exception")
                .get("frame");
        assertEquals("crash_through_wrapper", frame.get("function").asText(), frame.toString());
        assertEquals(call, frame.get("sourceLine").asInt());
        assertEquals("poke", frame.get("inlined").get(0).get("function").asText(), frame.toString());
        assertEquals(poke, frame.get("inlined").get(0).get("sourceLine").asInt());
        String dumpText = CliRun.of("dumpscan", dump.toString()).out();
        assertTrue(Pattern.compile("\n {11}instruction 0x[0-9a-f]{16}  poke \\[\\S*planted_inline\\.c : " + poke
                + "\\] \\(inlined\\)\n {43}planted_inline\\.exe!crash_through_wrapper\\+0x[0-9a-f]+ "
                + "\\[\\S*planted_inline\\.c : " + call + "\\]\n").matcher(dumpText).find(), dumpText);
    }
}
