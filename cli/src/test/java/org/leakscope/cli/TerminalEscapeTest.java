package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from an input never reaches the terminal raw: a DebugView process name that retitles the terminal, a
 * module or thread name that clears it, a right-to-left override, in every tool's text, JSON and stderr.
 * The inputs are generated here from the bundled samples.
 */
class TerminalEscapeTest {
    /** OSC "set title" ended by BEL, then a C1 CSI and a right-to-left override. */
    private static final String TITLE = "\u001b]0;pwned\u0007\u009b\u202e";
    private static final String TITLE_SHOWN = "\\x1b]0;pwned\\x07\\x9b\\u202e";

    @TempDir
    Path tmp;

    /** Fails on any control character a terminal would act on; written apart from the code under test. */
    static void assertNoRawControls(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f
                    || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
            if (control) {
                fail(String.format("raw U+%04X at %d: ...%s...", (int) c, i,
                        text.substring(Math.max(0, i - 30), Math.min(text.length(), i + 30))));
            }
        }
    }

    private static void assertSafe(CliRun r, String shown) {
        assertNoRawControls(r.out());
        assertNoRawControls(r.err());
        assertTrue(r.out().contains(shown), "'" + shown + "' in: " + r.out());
    }

    /** The JSON has no raw control either, and a parser gets the original text back. */
    private static JsonNode assertSafeJson(CliRun r) throws Exception {
        assertNoRawControls(r.out());
        assertTrue(r.out().contains("\\u001B]0;pwned\\u0007\\u009B\\u202E"), r.out());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void logscanProcessName() throws Exception {
        byte[] good = Files.readAllBytes(CliRun.testdata("dbgview/resmon_user_x64_exit_report.log"));
        Path log = tmp.resolve("evil.log");
        Files.writeString(log, new String(good, StandardCharsets.UTF_8).replace("notepad.exe", "ev" + TITLE + "il.exe"));
        CliRun text = CliRun.of("logscan", log.toString());
        assertEquals(ExitCode.OK, text.exit(), text.err());
        assertSafe(text, "Run 1: ev" + TITLE_SHOWN + "il.exe [2540]");
        CliRun json = CliRun.of("logscan", log.toString(), "--json");
        assertEquals("ev" + TITLE + "il.exe", assertSafeJson(json).get("runs").get(0).get("module").asText());
    }

    @Test
    void leakdiffModuleName() throws Exception {
        Path[] logs = new Path[2];
        for (int i = 0; i < 2; i++) {
            String s = Files.readString(CliRun.testdata("umdh/leaky_" + (i + 1) + ".log"));
            logs[i] = tmp.resolve("leaky_" + (i + 1) + ".log");
            Files.writeString(logs[i], s.replace("\\leaky.exe", "\\ev" + TITLE + "il.exe"));
        }
        CliRun text = CliRun.of("leakdiff", logs[0].toString(), logs[1].toString());
        assertEquals(ExitCode.OK, text.exit(), text.err());
        assertSafe(text, "ev" + TITLE_SHOWN + "il+1234");
        CliRun json = CliRun.of("leakdiff", logs[0].toString(), logs[1].toString(), "--json");
        assertTrue(assertSafeJson(json).get("stacks").toString().contains("ev\\u001B]0;pwned"), json.out());
    }

    /** sample.dmp with its module leaky_service.exe and its thread pool-worker renamed, bytes for bytes. */
    @Test
    void dumpscanModuleAndThreadNames() throws Exception {
        byte[] b = Files.readAllBytes(CliRun.testdata("minidump/sample.dmp"));
        replaceUtf16(b, "leaky_service", TITLE + "x");
        replaceUtf16(b, "pool-worker", "\u001b[2J\u001b[31mab");
        Path dump = tmp.resolve("evil.dmp");
        Files.write(dump, b);
        CliRun text = CliRun.of("dumpscan", dump.toString());
        assertEquals(ExitCode.OK, text.exit(), text.err());
        assertSafe(text, TITLE_SHOWN + "x.exe");
        assertTrue(text.out().contains("\\x1b[2J\\x1b[31mab"), text.out());
        CliRun json = CliRun.of("dumpscan", dump.toString(), "--json");
        assertTrue(assertSafeJson(json).toString().contains("pwned"));
    }

    /** An error quoting the input (here its name) is escaped on stderr too. */
    @Test
    void errorMessagesQuotingAnInput() {
        String name = tmp.resolve("x" + TITLE + ".dmp").toString();
        for (String verb : new String[] {"dumpscan", "logscan", "leakdiff"}) {
            CliRun r = verb.equals("leakdiff") ? CliRun.of(verb, name, name) : CliRun.of(verb, name);
            assertEquals(ExitCode.BAD_INPUT, r.exit());
            assertNoRawControls(r.err());
            assertTrue(r.err().contains("x" + TITLE_SHOWN + ".dmp: no such file"), r.err());
        }
    }

    private static void replaceUtf16(byte[] b, String from, String to) {
        assertEquals(from.length(), to.length());
        byte[] f = from.getBytes(StandardCharsets.UTF_16LE);
        byte[] t = to.getBytes(StandardCharsets.UTF_16LE);
        int at = -1;
        for (int i = 0; i + f.length <= b.length && at < 0; i++) {
            if (java.util.Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
                at = i;
            }
        }
        assertTrue(at >= 0, from + " in the sample dump");
        System.arraycopy(t, 0, b, at, t.length);
    }
}
