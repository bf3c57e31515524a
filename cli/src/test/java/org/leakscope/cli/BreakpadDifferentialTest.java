package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.SyntheticDumpBuilder;
import org.leakscope.model.Hex;

/**
 * dumpscan agrees with Breakpad's {@code minidump_stackwalk -m} on every dump of the corpus (found by walking the
 * corpus directory, so dumps added later are covered): OS, CPU (architecture, description, count), crash reason,
 * crash address and crashing thread. A dump Breakpad cannot read must be one dumpscan reports as bad input too.
 *
 * <p>Breakpad comes from the npm package {@code minidump@0.26.0} (.ci/run installs it into .tools/); the
 * {@code leakscope.breakpadTools} property names its bin/linux-x64 directory. Without the tool the test is
 * skipped, and fails when the environment variable CI is set. {@code -Dleakscope.dumps=DIR} runs the
 * same comparison over another directory of dumps.
 *
 * <p>Where dumpscan deliberately words a crash reason differently, the comparison says which rule it used
 * ({@link #reasonsAgree}); every other difference fails the test.
 */
class BreakpadDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDumpAgreesWithMinidumpStackwalk() throws Exception {
        Path stackwalk = stackwalk();
        Path root = dumpsRoot();
        List<Path> dumps;
        try (Stream<Path> files = Files.walk(root)) {
            dumps = files.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".dmp"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(!dumps.isEmpty(), "no .dmp files under " + root);
        List<String> disagreements = new ArrayList<>();
        Tally tally = new Tally();
        for (Path dump : dumps) {
            compare(stackwalk, root.relativize(dump).toString(), dump, disagreements, tally);
        }
        System.out.println("Breakpad differential over " + root + ": " + tally);
        assertTrue(disagreements.isEmpty(), disagreements.size() + " disagreements with minidump_stackwalk:\n"
                + String.join("\n", disagreements));
    }

    /** What was compared: dumps both read, fields equal (exactly or by a documented rule), dumps neither read. */
    private static final class Tally {
        int compared;
        int fields;
        int exact;
        int unreadableByBoth;
        final Map<String, Integer> rules = new java.util.TreeMap<>();

        @Override
        public String toString() {
            return compared + " dumps compared, " + fields + " fields agree (" + exact + " exactly, by rule: " + rules
                    + "), " + unreadableByBoth + " dumps unreadable by both";
        }
    }

    private static void compare(Path stackwalk, String name, Path dump, List<String> out, Tally tally)
            throws Exception {
        Breakpad bp = Breakpad.run(stackwalk, dump);
        CliRun run = CliRun.of("dumpscan", "--json", dump.toString());
        JsonNode d = JSON.readTree(run.out()).get("dumps").get(0);
        if (!bp.readable()) {
            // Breakpad gave up ("could not be read", "has no thread list"): dumpscan must call it bad input too,
            // either refusing it or reporting the damage it read around.
            if (run.exit() == ExitCode.BAD_INPUT && (!d.get("error").isNull() || !d.get("problems").isEmpty())) {
                tally.unreadableByBoth++;
            } else {
                out.add(name + ": Breakpad cannot read it (" + bp.error() + ") but dumpscan reports no damage");
            }
            return;
        }
        if (!d.get("error").isNull()) {
            out.add(name + ": Breakpad reads it but dumpscan refuses it: " + d.get("error").asText());
            return;
        }
        tally.compared++;
        JsonNode sys = d.get("system");
        field(out, tally, name, "OS name", bp.field("OS", 1), text(sys, "os"));
        String version = sys.isNull() ? "" : (text(sys, "osVersion") + " " + text(sys, "servicePack")).trim();
        field(out, tally, name, "OS version", bp.field("OS", 2).trim(), version);
        field(out, tally, name, "CPU", bp.field("CPU", 1), text(sys, "cpu"));
        field(out, tally, name, "CPU description", bp.field("CPU", 2), text(sys, "cpuDescription"));
        field(out, tally, name, "CPU count", bp.field("CPU", 3), text(sys, "processorCount"));
        JsonNode e = d.get("exception");
        String reason = bp.field("Crash", 1);
        if (reason.equals("No crash")) {
            field(out, tally, name, "crash", "no exception", e.isNull() ? "no exception" : e.get("name").asText());
            return;
        }
        if (e.isNull()) {
            out.add(name + ": Breakpad: crash " + reason + "; dumpscan: no exception");
            return;
        }
        String rule = reasonsAgree(reason, e);
        if (rule == null) {
            out.add(name + ": crash reason: Breakpad " + reason + ", dumpscan " + e.get("name").asText() + " (code "
                    + text(e, "code") + ", flags " + text(e, "flags") + ")");
        } else {
            tally.fields++;
            if (rule.isEmpty()) {
                tally.exact++;
            } else {
                tally.rules.merge(rule, 1, Integer::sum);
            }
        }
        long bpAddress = Hex.parse(bp.field("Crash", 2));
        long ours = Hex.parse(e.get("crashAddress").asText());
        field(out, tally, name, "crash address", Hex.of(bpAddress), Hex.of(ours));
        field(out, tally, name, "crashing thread", bp.field("Crash", 3), Integer.toString(crashingThreadIndex(d)));
    }

    private static void field(List<String> out, Tally tally, String dump, String what, String breakpad,
            String dumpscan) {
        if (breakpad.equals(dumpscan)) {
            tally.fields++;
            tally.exact++;
        } else {
            out.add(dump + ": " + what + ": Breakpad '" + breakpad + "', dumpscan '" + dumpscan + "'");
        }
    }

    /** A JSON field as Breakpad would print it: absent or null as "". */
    private static String text(JsonNode object, String field) {
        if (object == null || object.isNull() || !object.has(field) || object.get(field).isNull()) {
            return "";
        }
        return object.get(field).asText();
    }

    /**
     * Breakpad numbers the threads it walked: every thread in file order except the one its own handler used to
     * write the dump (BreakpadInfo's dump thread), which dumpscan marks {@code wroteDump}.
     */
    private static int crashingThreadIndex(JsonNode d) {
        int index = 0;
        for (JsonNode t : d.get("threads")) {
            if (t.get("crashed").asBoolean()) {
                return index;
            }
            if (!t.get("wroteDump").asBoolean()) {
                index++;
            }
        }
        return -1;
    }

    private static final Pattern RAW = Pattern.compile("(0x[0-9a-f]{8}) / (0x[0-9a-f]{8})");
    private static final Pattern RAW_SUBCODE = Pattern.compile("(.+) / (0x[0-9a-f]{8})");

    /**
     * "" when the reasons are the same words (spacing around " / " aside: Breakpad writes "SIGSEGV /SEGV_MAPERR"),
     * the name of the rule when they differ on purpose, null when they disagree. The rules:
     * <ul>
     * <li>{@code named}: Breakpad leaves the code numeric ("0xc000000d / 0x00000000"); dumpscan names it
     * (STATUS_INVALID_PARAMETER) from the same code and flags.
     * <li>{@code sub-code named}: Breakpad names the code but not its sub-code ("EXC_BAD_ACCESS / 0x00000101" on
     * arm64, where Breakpad knows only the old arm64 id); dumpscan names it from the same flags.
     * <li>{@code sub-code added}: Breakpad prints SIGTRAP and SIGSYS bare; dumpscan adds their si_code.
     * <li>{@code NTSTATUS name}: Breakpad spells 0xc0000374 and 0xc0000409 EXCEPTION_HEAP_CORRUPTION and
     * EXCEPTION_STACK_BUFFER_OVERRUN, names Windows does not define; dumpscan uses ntstatus.h's STATUS_ names.
     * <li>{@code fast-fail under its code}: Breakpad reports a __fastfail by its sub-code alone
     * (FAST_FAIL_FATAL_APP_EXIT); dumpscan keeps the code it came with (STATUS_STACK_BUFFER_OVERRUN / ...).
     * </ul>
     */
    static String reasonsAgree(String breakpad, JsonNode e) {
        String ours = e.get("name").asText();
        String b = breakpad.replaceAll("\\s*/\\s*", " / ");
        if (b.equals(ours)) {
            return "";
        }
        long code = Hex.parse(e.get("code").asText());
        long flags = Hex.parse(e.get("flags").asText());
        Matcher raw = RAW.matcher(b);
        if (raw.matches()) {
            return Hex.parse(raw.group(1)) == code && Hex.parse(raw.group(2)) == flags ? "named" : null;
        }
        Matcher sub = RAW_SUBCODE.matcher(b);
        if (sub.matches()) {
            return ours.startsWith(sub.group(1) + " / ") && Hex.parse(sub.group(2)) == flags ? "sub-code named" : null;
        }
        if ((b.equals("SIGTRAP") || b.equals("SIGSYS")) && ours.startsWith(b + " / ")) {
            return "sub-code added";
        }
        if (b.equals("EXCEPTION_HEAP_CORRUPTION") && ours.equals("STATUS_HEAP_CORRUPTION")
                || b.equals("EXCEPTION_STACK_BUFFER_OVERRUN") && ours.startsWith("STATUS_STACK_BUFFER_OVERRUN")) {
            return "NTSTATUS name";
        }
        if (b.startsWith("FAST_FAIL_") && ours.equals("STATUS_STACK_BUFFER_OVERRUN / " + b)) {
            return "fast-fail under its code";
        }
        return null;
    }

    /** One run of {@code minidump_stackwalk -m}: its pipe-separated lines, or why it gave up. */
    private record Breakpad(List<String[]> lines, String error) {
        static Breakpad run(Path stackwalk, Path dump) throws IOException, InterruptedException {
            Path out = Files.createTempFile("stackwalk", ".out");
            Path err = Files.createTempFile("stackwalk", ".err");
            try {
                Process p = new ProcessBuilder(stackwalk.toString(), "-m", dump.toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("minidump_stackwalk did not finish on " + dump + " within 120 s");
                }
                List<String[]> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                        .map(l -> l.split("\\|", -1)).toList();
                String error = p.exitValue() == 0 ? null : Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.contains("ERROR")).reduce((a, x) -> x).orElse("exit " + p.exitValue());
                return new Breakpad(lines, error);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }

        boolean readable() {
            return error == null && lines.stream().anyMatch(l -> l[0].equals("Crash"));
        }

        /** Field {@code i} of the first line of a kind ("" when Breakpad left it out). */
        String field(String kind, int i) {
            for (String[] l : lines) {
                if (l[0].equals(kind)) {
                    return i < l.length ? l[i] : "";
                }
            }
            fail("minidump_stackwalk printed no " + kind + " line");
            return null;
        }
    }

    private static Path stackwalk() {
        String dir = System.getProperty("leakscope.breakpadTools", "../.tools/node_modules/minidump/bin/linux-x64");
        Path tool = Path.of(dir, "minidump_stackwalk");
        if (!Files.isExecutable(tool)) {
            String why = "Breakpad's minidump_stackwalk is not at " + tool + " (install it with: npm install --prefix"
                    + " .tools minidump@0.26.0 --ignore-scripts)";
            if (System.getenv("CI") != null) {
                fail(why + "; CI must run the differential test");
            }
            assumeTrue(false, why + "; skipping");
        }
        return tool;
    }

    private static Path dumpsRoot() {
        String other = System.getProperty("leakscope.dumps");
        if (other != null && !other.isBlank()) {
            Path p = Path.of(other);
            assertTrue(Files.isDirectory(p), "leakscope.dumps=" + p + " is not a directory");
            return p;
        }
        return CliRun.corpus(".").toAbsolutePath().normalize();
    }

    /**
     * No corpus dump lists Breakpad's handler thread before the crashed one, so this one does: Breakpad leaves
     * the handler out of its numbering and calls the crashed thread 0, as dumpscan's wroteDump lets it count.
     */
    @Test
    void theHandlerThreadIsLeftOutOfTheNumbering(@TempDir Path dir) throws Exception {
        Path stackwalk = stackwalk();
        Path dump = dir.resolve("handler-first.dmp");
        new SyntheticDumpBuilder().systemInfo(0, 2, "Service Pack 2")
                .threads(false, 0, new long[][] {{0x11, 0x7c90eb94, 0x22ff00}, {0x22, 0x0040429e, 0x12fe84}})
                .module(0x400000, 0x2d000, "c:\\test_app.exe", "RSDS").endModules()
                .exception(0x22, 0xc0000005L, 0x0040429e, 1, 0x45).breakpadInfo(0x11, 0x22).write(dump);
        assertEquals("0", Breakpad.run(stackwalk, dump).field("Crash", 3));
        JsonNode d = JSON.readTree(CliRun.of("dumpscan", "--json", dump.toString()).out()).get("dumps").get(0);
        assertTrue(d.at("/threads/0/wroteDump").asBoolean());
        assertEquals(0, crashingThreadIndex(d));
        List<String> out = new ArrayList<>();
        compare(stackwalk, dump.getFileName().toString(), dump, out, new Tally());
        assertEquals(List.of(), out);
    }

    @Test
    void reasonRulesAreNarrow() throws Exception {
        assertEquals("", reasonsAgree("SIGSEGV /SEGV_MAPERR", exception("SIGSEGV / SEGV_MAPERR", 11, 1)));
        assertEquals("named", reasonsAgree("0xc000000d / 0x00000000", exception("STATUS_INVALID_PARAMETER",
                0xc000000dL, 0)));
        assertEquals(null, reasonsAgree("0xc000000d / 0x00000001", exception("STATUS_INVALID_PARAMETER",
                0xc000000dL, 0)));
        assertEquals("fast-fail under its code", reasonsAgree("FAST_FAIL_FATAL_APP_EXIT",
                exception("STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_FATAL_APP_EXIT", 0xc0000409L, 1)));
        assertEquals(null, reasonsAgree("FAST_FAIL_FATAL_APP_EXIT",
                exception("STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_INVALID_ARG", 0xc0000409L, 1)));
        assertEquals(null, reasonsAgree("SIGSEGV /SEGV_MAPERR", exception("SIGSEGV / SEGV_ACCERR", 11, 2)));
        assertEquals(null, reasonsAgree("EXCEPTION_ACCESS_VIOLATION_READ",
                exception("EXCEPTION_ACCESS_VIOLATION_WRITE", 0xc0000005L, 0)));
    }

    private static JsonNode exception(String name, long code, long flags) throws IOException {
        return JSON.readTree("{\"name\": \"" + name + "\", \"code\": \"" + Hex.of(code) + "\", \"flags\": \""
                + Hex.of(flags) + "\"}");
    }
}
