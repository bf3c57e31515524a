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

    @TempDir
    static Path profile;
    private static HeadlessChromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path exe = HeadlessChromium.find();
        Required.that(exe != null, "chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)");
        browser = HeadlessChromium.start(exe, profile);
        Files.createDirectories(OUT);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Opens a report, checks it loaded nothing and logged no error, and saves its screenshot. */
    static HeadlessChromium.Tab show(Path html) throws Exception {
        HeadlessChromium.Tab tab = browser.open(html);
        Thread.sleep(HeadlessChromium.settle().toMillis()); // late console messages
        String name = html.getFileName().toString().replace(".html", ".png");
        tab.screenshot(OUT.resolve(name));
        assertEquals(List.of(), tab.errors(), html + ": console errors");
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
        List<String> args = new ArrayList<>(List.of("logscan", "--json", "--html", html.toString()));
        args.addAll(List.of(logs));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.exit(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void soakLogShowsEveryRunAndEverySampleAndItsCallSites() throws Exception {
        Path html = OUT.resolve("logscan-soak.html");
        JsonNode doc = logscan(html, CliRun.testdata("dbgview/resmon_soak_leaking.log").toString());
        HeadlessChromium.Tab tab = show(html);
        assertEquals(3, count(tab, "svg.timeline rect.run.leaked"));
        assertEquals(3, count(tab, "section.run"));
        JsonNode run1 = doc.get("runs").get(0).get("usage");
        // memory, threads, sync objects (cpu stays 0 in this log: no chart); every sample drawn (<= 2,000)
        assertEquals(List.of(run1.get("memoryBytes").get("samples").asInt(), run1.get("threads").get("samples").asInt(),
                run1.get("syncObjects").get("samples").asInt()), points(tab, "#run-1 svg.line-chart g.series .line"));
        assertEquals(144, points(tab, "#run-1 svg.line-chart g.series .line").get(0));
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
            assertEquals(1, count(tab, "svg.line-chart:has(g.limit[data-name='" + limit + " limit']) .violation"), limit);
        }
        tab.close();
    }

    /** Markup, a handler or a terminal escape in every place a log's text lands, from the file name on. */
    static final String EVIL = "<script>window.pwned=1</script>\"'><img src=x onerror=window.pwned=2></svg>"
            + "</script><!--\u001b[2J\u001b]0;title\u0007";

    /** Nothing the input says becomes an element, an attribute or a handler: the page shows it as text. */
    static void assertNothingInjected(HeadlessChromium.Tab tab) throws Exception {
        assertEquals(0, count(tab, "img"));
        assertEquals(2, count(tab, "script")); // the page's data island and its own script
        assertEquals("[]", tab.eval("JSON.stringify(Array.from(document.querySelectorAll('*')).flatMap(e =>"
                + " Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on')))").asText());
        assertEquals("undefined", tab.eval("typeof window.pwned").asText());
        assertTrue(tab.eval("document.body.textContent.includes('<img src=x onerror=window.pwned=2></svg>')")
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
        assertNothingInjected(tab);
        assertEquals(1, count(tab, ".violation"));
        assertEquals(1, count(tab, "table.sites tbody tr"));
        tab.close();
    }
}
