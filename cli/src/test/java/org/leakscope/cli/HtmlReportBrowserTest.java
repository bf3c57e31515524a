package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/**
 * The {@code --html} reports opened from disk in headless Chromium, as a user would open an attached report:
 * no console error (a Content-Security-Policy violation is one), no network request, and the charts and tables
 * a reader relies on present with the figures of the input. A screenshot of each page is kept under
 * target/html-reports/. Without Chromium the tests are skipped with a message, and fail under CI.
 */
class HtmlReportBrowserTest {
    static final Path OUT = Path.of("target", "html-reports");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Chromium's profile: not a JUnit temp dir, whose failed deletion (a late write by a helper) fails the class. */
    private static Path profile;
    private static HeadlessChromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path exe = HeadlessChromium.find();
        Required.that(exe != null, "chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)");
        profile = Files.createTempDirectory("leakscope-chromium-");
        browser = HeadlessChromium.start(exe, profile);
        Files.createDirectories(OUT);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort: a file that vanished while walking is what we wanted anyway
            }
        }
    }

    /** Opens a report, checks it loaded nothing and logged no error, and saves its screenshot. */
    static HeadlessChromium.Tab show(Path html) throws Exception {
        HeadlessChromium.Tab tab = browser.open(html);
        Thread.sleep(HeadlessChromium.settle().toMillis()); // late console messages
        String name = html.getFileName().toString().replace(".html", ".png");
        tab.screenshot(OUT.resolve(name));
        List<String> errors = tab.errors();
        assertTrue(errors.isEmpty(), html + ": " + errors.size() + " console errors, the first: "
                + errors.subList(0, Math.min(3, errors.size())));
        assertEquals(List.of(), tab.requests(), html + ": network requests");
        return tab;
    }

    static int count(HeadlessChromium.Tab tab, String selector) throws Exception {
        return tab.eval("document.querySelectorAll(" + JSON.writeValueAsString(selector) + ").length").asInt();
    }

    /** The number of points of each polyline the selector finds, in document order. */
    static List<Integer> points(HeadlessChromium.Tab tab, String selector) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : tab.eval("Array.from(document.querySelectorAll(" + JSON.writeValueAsString(selector)
                + ")).map(p => p.points.numberOfItems)")) {
            out.add(n.asInt());
        }
        return out;
    }

    private static JsonNode logscan(Path html, String... logs) throws Exception {
        return run("logscan", html, logs);
    }

    @Test
    void soakLogShowsEveryRunAndEverySampleAndItsCallSites() throws Exception {
        Path html = OUT.resolve("logscan-soak.html");
        JsonNode doc = logscan(html, CliRun.testdata("dbgview/resmon_soak_leaking.log").toString());
        HeadlessChromium.Tab tab = show(html);
        assertEquals(3, count(tab, "svg.timeline rect.run.leaked"));
        assertEquals(3, count(tab, "section.run"));
        JsonNode run1 = doc.get("runs").get(0).get("usage");
        // memory, threads, sync objects (cpu stays 0 in this log: no chart); every memory sample drawn (<= 1,572);
        // threads and sync objects stay at 4 and 6: a flat line of two points
        assertEquals(144, run1.get("memoryBytes").get("samples").asInt());
        assertEquals(144, run1.get("threads").get("samples").asInt());
        List<Long> memory = new ArrayList<>();
        List<String> lines = Files.readAllLines(CliRun.testdata("dbgview/resmon_soak_leaking.log"));
        for (String line : lines.subList(1, 401)) { // run 1: lines 2..401
            int at = line.indexOf(", memory used ");
            if (line.contains("[4100] soak.exe|resmon| threads used") && at > 0) {
                memory.add(Long.parseLong(line.substring(at + 14).strip()));
            }
        }
        assertEquals(144, memory.size());
        int drawn = 0; // every sample but the middle ones of a flat stretch
        for (int i = 0; i < memory.size(); i++) {
            boolean middle = i > 0 && i < memory.size() - 1 && memory.get(i).equals(memory.get(i - 1))
                    && memory.get(i).equals(memory.get(i + 1));
            drawn += middle ? 0 : 1;
        }
        assertEquals(List.of(drawn, 2, 2), points(tab, "#run-1 svg.line-chart g.series .line"));
        assertEquals(3, count(tab, "#run-1 svg.line-chart .peak"));
        assertEquals(0, count(tab, "#run-1 .violation"));
        // the call-site table: 2 sites, the largest first; a row opens to its stack
        assertEquals(2, count(tab, "#run-1 table.sites tbody tr"));
        assertEquals("2,400,000", tab.eval("document.querySelector('#run-1 table.sites tbody tr').cells[1]"
                + ".textContent").asText());
        assertTrue(tab.eval("(() => { const d = document.querySelector('#run-1 table.sites details');"
                + " d.querySelector('summary').click(); return d.open; })()").asBoolean());
        assertEquals(1, count(tab, "#run-1 table.sites details[open] ol.stack li"));
        // sorting by bytes (descending, then ascending) and filtering by text
        tab.eval("document.querySelector('#run-1 table.sites th:nth-child(2)').click()");
        tab.eval("document.querySelector('#run-1 table.sites th:nth-child(2)').click()");
        assertEquals("24", tab.eval("document.querySelector('#run-1 table.sites tbody tr').cells[1].textContent")
                .asText());
        tab.eval("(() => { const i = document.querySelector('#run-1 .tablebar input'); i.value = 'malloc';"
                + " i.dispatchEvent(new Event('input')); })()");
        assertEquals(1, count(tab, "#run-1 table.sites tbody tr:not([hidden])"));
        assertEquals(2, count(tab, "#run-1 svg.bar-chart rect.bar"));
        assertEquals(List.of(), tab.errors());
        tab.close();
    }

    @Test
    void limitUpdatesAreDrawnAsLimitsAndMarkedWhereTheyHappened() throws Exception {
        Path html = OUT.resolve("logscan-limits.html");
        JsonNode doc = logscan(html, CliRun.testdata("dbgview/resmon_user_x64_exit_report.log").toString());
        HeadlessChromium.Tab tab = show(html);
        int timed = 0;
        java.util.Set<String> limited = new java.util.HashSet<>();
        for (JsonNode run : doc.get("runs")) {
            for (JsonNode e : run.get("limits").get("events")) {
                timed += e.get("at").get("seconds").isNull() ? 0 : 1;
                limited.add(run.get("index").asInt() + " " + e.get("resource").asText());
            }
        }
        // memory 0x8000 -> 0xA0E0, cpu 30% -> 45%, threads 3 -> 3, all at 40.25 s: a mark on each of three limits
        assertEquals(3, timed);
        assertEquals(timed, count(tab, ".violation"));
        assertEquals(3, limited.size());
        assertEquals(limited.size(), count(tab, "g.limit"));
        for (String limit : List.of("memory", "threads", "cpu")) {
            assertEquals(1, count(tab, "svg.line-chart:has(g.limit[data-name='" + limit + " limit']) .violation"),
                    limit);
        }
        tab.close();
    }

    /** Markup, a handler or a terminal escape in every place a log's text lands, from the file name on. */
    static final String EVIL = "<script>window.pwned=1</script>\"'><img src=x onerror=window.pwned=2></svg>"
            + "</script><!--\u001b[2J\u001b]0;title\u0007";

    /** Nothing the input says becomes an element, an attribute or a handler: the page shows it as text. */
    static void assertNothingInjected(HeadlessChromium.Tab tab, String shown) throws Exception {
        assertEquals(0, count(tab, "img"));
        assertEquals(2, count(tab, "script")); // the page's data island and its own script
        assertEquals("[]", tab.eval("JSON.stringify(Array.from(document.querySelectorAll('*')).flatMap(e =>"
                + " Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on')))").asText());
        assertEquals("undefined", tab.eval("typeof window.pwned").asText());
        assertTrue(tab.eval("document.body.textContent.includes(" + JSON.writeValueAsString(shown) + ")")
                .asBoolean(), "the name shown as text");
        assertTrue(tab.eval("document.body.textContent.includes(String.fromCharCode(92) + 'x1b[2J')").asBoolean(),
                "escape bytes shown");
        assertTrue(tab.eval("!document.body.textContent.includes(String.fromCharCode(27))"
                + " && !document.title.includes(String.fromCharCode(27))")
                .asBoolean(), "no raw escape byte");
        tab.eval("JSON.parse(document.getElementById('report-data').textContent)"); // still one JSON document
    }

    @Test
    void logTextCannotInjectMarkup(@TempDir Path dir) throws Exception {
        String p = "[666] ev" + EVIL + ".exe|resmon| ";
        String log = String.join("\r\n",
                "00000001\t0.00000000\t" + p + "threads used 2, sync object used 5, memory used 3104",
                "00000002\t5.00000000\t" + p + "threads used 3, sync object used 5, memory used 9000",
                "00000003\t6.00000000\t" + p + "update memory limit: from 0x0000000000001000 to 0x0000000000002328",
                "00000004\t7.00000000\t" + p + EVIL + " is no resmon line",
                "00000005\t8.00000000\t" + p + "=========== CHECK UNRELEASED RESOUCRES ============",
                "00000006\t8.00000000\t" + p + "------------------ memory usage 144 -----------------",
                "00000007\t8.00000000\t" + p + "base 0x00000284B86B3670 size 144 tag 00000284B86B0000 (" + EVIL + ")",
                "00000008\t8.00000000\t" + p + "created by [8632] thread",
                "00000009\t8.00000000\t" + p + "returnAddress 0x00007FF6C2A9F6F7",
                "00000010\t8.00000000\t" + p + "---------------------------------------------------",
                "00000011\t8.00000000\t" + p + "===================================================", "");
        Path in = dir.resolve("x<script>window.pwned=5<\\script>.log".replace("\\", "/").replace("/", "_"));
        Files.writeString(in, log, StandardCharsets.UTF_8);
        Path html = OUT.resolve("logscan-injection.html");
        JsonNode doc = logscan(html, in.toString());
        assertEquals(1, doc.get("runs").size());
        String page = Files.readString(html);
        assertTrue(page.contains("&lt;img src=x onerror=window.pwned=2&gt;&lt;/svg&gt;"), "escaped in the file");
        HeadlessChromium.Tab tab = show(html);
        assertNothingInjected(tab, "<img src=x onerror=window.pwned=2></svg>");
        // the data island holds the process name, </script> and all, and is still the JSON it was
        assertEquals("ev" + EVIL + ".exe [666]",
                tab.eval("JSON.parse(document.getElementById('report-data').textContent).labels").asText());
        assertEquals(1, count(tab, ".violation"));
        assertEquals(1, count(tab, "table.sites tbody tr"));
        tab.close();
    }

    /** Runs a verb with --json and --html; its JSON document. */
    private static JsonNode run(String verb, Path html, String... inputs) throws Exception {
        List<String> args = new ArrayList<>(List.of(verb, "--json", "--html", html.toString()));
        args.addAll(List.of(inputs));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.exit(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void triageDrawsABarPerSignatureAndListsSitesLimitsAndDamagedFiles(@TempDir Path dir) throws Exception {
        // two distinct copies of the sample dump (one signature, two dumps), two logs, and a cut-off dump
        byte[] dump = Files.readAllBytes(CliRun.testdata("minidump/sample.dmp"));
        Files.write(dir.resolve("a.dmp"), dump);
        byte[] copy = dump.clone();
        copy[20] ^= 1; // the header time stamp: another dump of the same crash, a second apart
        Files.write(dir.resolve("b.dmp"), copy);
        Files.write(dir.resolve("cut.dmp"), Arrays.copyOf(dump, 100));
        Files.copy(CliRun.testdata("dbgview/resmon_soak_leaking.log"), dir.resolve("soak.log"));
        Files.copy(CliRun.testdata("dbgview/resmon_user_x64_exit_report.log"), dir.resolve("limits.log"));
        Path html = OUT.resolve("triage.html");
        CliRun r = CliRun.of("triage", "--json", "--html", html.toString(), dir.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err()); // the cut-off dump
        JsonNode doc = JSON.readTree(r.out());
        HeadlessChromium.Tab tab = show(html);
        JsonNode signatures = doc.get("signatures");
        assertEquals(1, signatures.size());
        assertEquals(2, signatures.get(0).get("count").asInt());
        assertEquals(signatures.size(), count(tab, "svg.bar-chart rect.bar"));
        assertEquals(signatures.size(), count(tab, "table.signatures tbody tr"));
        assertEquals("2", tab.eval("document.querySelector('table.signatures tbody tr').cells[0].textContent")
                .asText());
        tab.eval("document.querySelector('table.signatures details summary').click()");
        assertEquals(signatures.get(0).get("topFrames").size(), count(tab, "table.signatures details[open] li"));
        assertEquals(doc.get("leakingSites").size(), count(tab, "table.sites.leaking tbody tr"));
        assertTrue(doc.get("leakingSites").size() > 0);
        assertEquals(doc.get("limits").size(), count(tab, "table.limits tbody tr"));
        assertTrue(doc.get("limits").size() > 0);
        int bad = doc.get("failed").size() + doc.get("damaged").size();
        assertEquals(1, bad);
        assertEquals(bad, count(tab, "table.files tbody tr"));
        assertTrue(tab.eval("document.querySelector('table.files tbody tr').cells[0].textContent").asText()
                .endsWith("cut.dmp"));
        assertEquals(List.of(), tab.errors());
        tab.close();
    }

    @Test
    void comparisonDrawsABarPerChangedStackAndRowsOpenToStacks() throws Exception {
        Path html = OUT.resolve("leakdiff-compare.html");
        JsonNode doc = run("leakdiff", html, CliRun.testdata("umdh/leaky_1.log").toString(),
                CliRun.testdata("umdh/leaky_2.log").toString());
        int stacks = doc.get("stacks").size();
        HeadlessChromium.Tab tab = show(html);
        assertEquals(stacks, count(tab, "svg.bar-chart rect.bar"));
        assertEquals(stacks, count(tab, "table.changes tbody tr"));
        assertEquals(3, stacks);
        long grew = 0;
        for (JsonNode st : doc.get("stacks")) {
            grew += st.get("bytes").get("delta").asLong() > 0 ? 1 : 0;
        }
        assertEquals(grew, count(tab, "svg.bar-chart rect.bar.grow"));
        tab.eval("document.querySelector('table.changes details summary').click()");
        assertTrue(count(tab, "table.changes details[open] ol.stack li") >= 3);
        tab.close();
    }

    @Test
    void trendDrawsALinePerStackWithAPointPerSnapshotGrowersHighlighted() throws Exception {
        Path html = OUT.resolve("leakdiff-trend.html");
        JsonNode doc = run("leakdiff", html, "--trend", CliRun.testdata("umdh/leaky_1.log").toString(),
                CliRun.testdata("umdh/leaky_2.log").toString(),
                CliRun.testdata("umdh/leaky_3_restarted_crlf.log").toString());
        HeadlessChromium.Tab tab = show(html);
        int stacks = doc.get("stacks").size();
        long growers = 0;
        for (JsonNode st : doc.get("stacks")) {
            growers += st.get("sustained").asBoolean() ? 1 : 0;
        }
        assertEquals(5, stacks);
        assertEquals(1, growers);
        // the total, then bytes and allocations per stack; three snapshots, a hover title on each point
        assertEquals(1 + 2 * stacks, count(tab, "svg.line-chart g.series"));
        assertEquals(2 * growers, count(tab, "svg.line-chart g.series.grower"));
        points(tab, "svg.line-chart g.series .line").forEach(n -> assertEquals(3, n));
        assertEquals(3 * (1 + 2 * stacks), count(tab, "svg.line-chart circle.dot > title"));
        assertTrue(tab.eval("document.querySelector('g.series.grower circle.dot:last-of-type title').textContent")
                .asText().contains("snapshot 3 (leaky_3_restarted_crlf.log) at 2026-03-02T14:00:00Z: 448 bytes"));
        assertEquals(stacks, count(tab, "table.trends tbody tr"));
        tab.close();
    }

    @Test
    void dumpShowsTheCrashTheAddressSpaceHandlesAndModules() throws Exception {
        Path html = OUT.resolve("dumpscan-sample.html");
        JsonNode doc = run("dumpscan", html, CliRun.testdata("minidump/sample.dmp").toString());
        JsonNode dump = doc.get("dumps").get(0);
        HeadlessChromium.Tab tab = show(html);
        // the walked stack: the sample's captured stack holds no caller, so frame 0 from the context
        assertEquals("leaky_service.exe+0x1f3a  (context)", tab.eval("document.querySelector('ol.stack.crashing li')"
                + ".textContent").asText());
        assertEquals(dump.get("threads").size(), count(tab, "table.threads tbody tr"));
        assertEquals(3, dump.get("threads").size());
        assertEquals(5, count(tab, "table.modules tbody tr"));
        assertEquals(5, count(tab, "svg.bar-chart rect.bar")); // Event, File, Thread, Key, Mutant
        assertEquals(dump.get("addressSpace").get("topFree").size(), Math.min(5, count(tab, "g.free-region")));
        assertEquals("largest free 256.0 MiB",
                tab.eval("document.querySelector('svg.address-map text.free-label').textContent").asText());
        tab.close();
    }

    @Test
    void corpusDumpWithHandlesAndMemoryInfo() throws Exception {
        Path dmp = CliRun.corpus("windows/bo4server_win10_1607_x64_handles_meminfo.dmp");
        Path html = OUT.resolve("dumpscan-corpus.html");
        JsonNode dump = run("dumpscan", html, dmp.toString(), CliRun.corpus("breakpad/minidump2.dmp").toString())
                .get("dumps").get(0);
        HeadlessChromium.Tab tab = show(html);
        assertEquals(2, count(tab, "section.dump"));
        assertEquals(12, count(tab, "#dump-1 table.threads tbody tr"));
        assertEquals(dump.get("handles").get("byType").size(), count(tab, "#dump-1 svg.bar-chart rect.bar"));
        assertEquals(5, count(tab, "#dump-1 g.free-region"));
        assertTrue(count(tab, "#dump-1 svg.address-map rect.region") > 20);
        // minidump2's crashing thread walked as Breakpad walks it (4 frames), with its signature
        JsonNode second = JSON.readTree(CliRun.of("dumpscan", "--json", CliRun.corpus("breakpad/minidump2.dmp")
                .toString()).out()).get("dumps").get(0);
        int walked = 0;
        for (JsonNode t : second.get("threads")) {
            walked += t.get("crashed").asBoolean() ? t.get("frames").size() : 0;
        }
        assertEquals(4, walked);
        assertEquals(walked, count(tab, "#dump-2 ol.stack.crashing li.frame"));
        assertEquals("signature " + second.get("crashSignature").asText(),
                tab.eval("document.querySelector('#dump-2 p.signature').textContent").asText());
        tab.close();
    }

    @Test
    void corpusLogsOpenCleanly() throws Exception {
        Path html = OUT.resolve("logscan-corpus.html");
        JsonNode doc = logscan(html, CliRun.corpus("dbgview/resmon_original_usermode_test_wine.log").toString(),
                CliRun.corpus("dbgview/lithium_dbgview_cp1251.log").toString());
        HeadlessChromium.Tab tab = show(html);
        assertEquals(doc.get("runs").size(), count(tab, "section.run"));
        assertEquals(doc.get("runs").size(), count(tab, "svg.timeline rect.run"));
        assertTrue(count(tab, "svg.line-chart g.series") >= doc.get("runs").size());
        tab.close();
    }

    @Test
    void umdhModuleNamesCannotInjectMarkup(@TempDir Path dir) throws Exception {
        // a path separator ends a module name, so this one has none: markup, a handler, terminal escapes
        String evil = "ev<img src=x onerror=window.pwned=2>\"'<svg onload=window.pwned=3><!--\u001b[2J.exe";
        Path a = dir.resolve("evil_1.log");
        Path b = dir.resolve("evil_2.log");
        Files.writeString(a, Files.readString(CliRun.testdata("umdh/leaky_1.log")).replace("leaky.exe", evil));
        Files.writeString(b, Files.readString(CliRun.testdata("umdh/leaky_2.log")).replace("leaky.exe", evil));
        Path html = OUT.resolve("leakdiff-injection.html");
        run("leakdiff", html, a.toString(), b.toString());
        HeadlessChromium.Tab tab = show(html);
        assertNothingInjected(tab,
                "ev<img src=x onerror=window.pwned=2>\"'<svg onload=window.pwned=3><!--\\x1b[2J.exe+0x1234");
        assertEquals(0, count(tab, "svg[onload]"));
        tab.close();
    }

    @Test
    void resmonTableShowsLiveResourcesByCallSite() throws Exception {
        Path html = OUT.resolve("dumpscan-resmon.html");
        JsonNode t = run("dumpscan", html, CliRun.testdata("resmontable/sample.rmt").toString()).get("inputs").get(0)
                .get("tables").get(0);
        HeadlessChromium.Tab tab = show(html);
        assertEquals(13, t.get("liveRecords").asLong());
        String heading = tab.eval("document.querySelector('section.input h3').textContent").asText();
        assertTrue(heading.startsWith("Table 1 (found in file): 13 live resources, 1.0 MiB, "), heading);
        int rows = count(tab, "table.sites tbody tr");
        assertTrue(rows > 1, "rows " + rows);
        assertEquals(rows, count(tab, "svg.bar-chart rect.bar"));
        assertTrue(tab.eval("document.querySelector('table.sites tbody tr td.site summary').textContent").asText()
                .startsWith("sample_leaker"));
        tab.close();
    }

    @Test
    void anExistingCompareOutputIsDrawnToo() throws Exception {
        Path html = OUT.resolve("leakdiff-rerender.html");
        JsonNode doc = run("leakdiff", html, CliRun.testdata("umdh/compare_hex.txt").toString());
        assertEquals("rerender", doc.get("mode").asText());
        HeadlessChromium.Tab tab = show(html);
        // +192, +32 and -256 bytes: two bars grow right in red, one shrinks left
        assertEquals(3, count(tab, "table.changes tbody tr"));
        assertEquals(2, count(tab, "svg.bar-chart rect.bar.grow"));
        assertEquals(1, count(tab, "svg.bar-chart rect.bar.neg"));
        assertEquals("[\"-256 B\",\"+192 B\",\"+32 B\"]", tab.eval("JSON.stringify(Array.from(document"
                + ".querySelectorAll('svg.bar-chart text.bar-value')).map(t => t.textContent))").asText());
        tab.close();
    }

    @Test
    void dumpNamesCannotInjectMarkup(@TempDir Path dir) throws Exception {
        // no path separator in the module's file name: markup, a handler, terminal escapes; the thread name and
        // the handle type carry the whole EVIL text
        String module = "C:\\x\\ev<img src=x onerror=window.pwned=2>\"'<svg onload=window.pwned=3><!--\u001b[2J.dll";
        Path dump = dir.resolve("evil.dmp");
        new org.leakscope.minidump.SyntheticDumpBuilder().systemInfo(9, 2, "")
                .threads(true, 1232, new long[][] {{1, 0x7ff600001000L, 0x1000}})
                .threadNames(new long[] {1}, new String[] {EVIL})
                .module(0x7ff600000000L, 0x100000, module, "RSDS").endModules()
                .handles(32, EVIL, "Event")
                .exception(1, 0xc0000005L, 0x7ff600001000L, 0, 0x10).write(dump);
        Path html = OUT.resolve("dumpscan-injection.html");
        run("dumpscan", html, dump.toString());
        HeadlessChromium.Tab tab = show(html);
        assertNothingInjected(tab, "<img src=x onerror=window.pwned=2></svg>");
        assertEquals(0, count(tab, "svg[onload]"));
        assertTrue(tab.eval("document.querySelector('table.modules td.site').textContent").asText()
                .endsWith("ev<img src=x onerror=window.pwned=2>\"'<svg onload=window.pwned=3><!--\\x1b[2J.dll"));
        assertEquals(2, count(tab, "svg.bar-chart rect.bar"));
        tab.close();
    }
}
