package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.SyntheticDumpBuilder;

/**
 * What dumpscan says about a crash, in text and JSON, for the cases other writers' dumps hold: a 32-bit crash
 * address, Mach exceptions, Linux si_codes, Windows flags and fast-fail codes, the CRT's assertion report, the
 * CPU, signed thread priorities. Corpus dumps where the corpus has the case; otherwise {@link
 * SyntheticDumpBuilder} dumps with the facts of Breakpad's and rust-minidump's test dumps.
 */
class DumpscanCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Breakpad's minidump_32bit_crash_addr.dmp: an x86 write to 0x45 whose writer sign-extended the parameter
     * (0xffffffff00000045); here the module, memory and thread fields are sign-extended too. Every address in
     * the JSON has 8 digits, as docs/json.md promises for 32-bit processes.
     */
    @Test
    void thirtyTwoBitAddressesHaveEightDigitsEverywhere() throws Exception {
        long high = 0xffffffff80000000L;
        Path dump = write(new SyntheticDumpBuilder().systemInfo(0, 2, "Service Pack 2")
                .threads(false, 0, new long[][] {{0xbf4, 0x0040429e, 0x0012fe84}})
                .module(0x400000, 0x2d000, "c:\\test_app.exe", "RSDS").module(high, 0x10000, "c:\\high.dll", "RSDS")
                .endModules()
                .memory(high + 0x1000, new byte[16])
                .exceptionWithFlags(0xbf4, 0xc0000005L, 0, 0x0040429e, 1, 0xffffffff00000045L)
                .unloadedModule(high + 0x100000, 0x1000, "gone.dll")
                .threadInfo(0xbf4, high + 0x1230)
                .memoryInfo(new long[][] {{high, 0x10000, 0x1000, 0x1000000}, {0, 0x10000, 0x10000, 0}}));
        JsonNode d = json(dump);
        JsonNode e = d.get("exception");
        assertEquals("0x00000045", e.get("crashAddress").asText());
        assertEquals("0x0040429e", e.get("address").asText());
        assertEquals(List.of("0x1", "0x45"), strings(e.get("parameters")));
        assertEquals("0x80000000", d.at("/modules/1/base").asText());
        assertEquals("0x80001000", d.at("/memory/lowest").asText());
        assertEquals("0x80100000", d.at("/unloadedModules/0/base").asText());
        assertEquals("0x80001230", d.at("/threads/0/startAddress").asText());
        List<String> wide = new ArrayList<>();
        collect("", d, Pattern.compile("0x[0-9a-f]{9,}"), wide);
        assertEquals(List.of(), wide, "hex values wider than 32 bits in a 32-bit dump");
        String text = text(dump);
        assertTrue(text.contains("EXCEPTION_ACCESS_VIOLATION_WRITE (0xc0000005) at 0x00000045, thread 0xbf4"), text);
        assertFalse(text.contains("ffffffff"), text);
    }

    /** rust-minidump's pipeline-inlines-macos-segv.dmp: a Mach exception, not a POSIX signal. */
    @Test
    void macOsMachExceptions() throws Exception {
        Path dump = write(new SyntheticDumpBuilder().systemInfo(9, 0x8101, "20G630")
                .threads(true, 1232, new long[][] {{0x1203, 0x102a68cd4L, 0x7ff7bd0a0000L}})
                .exceptionWithFlags(0x1203, 1, 1, 0xffffffff80000042L, 1, 0xffffffff80000042L));
        JsonNode e = json(dump).get("exception");
        assertEquals("EXC_BAD_ACCESS / KERN_INVALID_ADDRESS", e.get("name").asText());
        assertEquals("0x1", e.get("flags").asText());
        assertEquals("0xffffffff80000042", e.get("crashAddress").asText());
        assertTrue(text(dump).contains("Exception  EXC_BAD_ACCESS / KERN_INVALID_ADDRESS (0x00000001) at "
                + "0xffffffff80000042, thread 0x1203\n"));
        Path ill = write(new SyntheticDumpBuilder().systemInfo(9, 0x8101, "")
                .exceptionWithFlags(1, 2, 1, 0x1000));
        assertEquals("EXC_BAD_INSTRUCTION / EXC_I386_INVOP", json(ill).at("/exception/name").asText());
    }

    /** Breakpad's linux_inline.dmp (SIGILL / ILL_ILLOPN) and a null dereference with SEGV_MAPERR. */
    @Test
    void linuxSignalsWithTheirSubCodes() throws Exception {
        Path segv = write(new SyntheticDumpBuilder().systemInfo(9, 0x8201, "Linux 6.1.0")
                .exceptionWithFlags(7, 11, 1, 0));
        assertEquals("SIGSEGV / SEGV_MAPERR", json(segv).at("/exception/name").asText());
        assertTrue(text(segv).contains("Exception  SIGSEGV / SEGV_MAPERR (0x0000000b) at 0x0000000000000000"));
        Path ill = write(new SyntheticDumpBuilder().systemInfo(9, 0x8201, "").exceptionWithFlags(7, 4, 2, 0x2161b6));
        assertEquals("SIGILL / ILL_ILLOPN", json(ill).at("/exception/name").asText());
        // electron's renderer: si_code 0, which Breakpad prints raw.
        JsonNode electron = json(CliRun.corpus("linux/electron_linux.dmp"));
        assertEquals("SIGILL / 0x00000000", electron.at("/exception/name").asText());
    }

    /** Breakpad's tiny-exe-fastfail.dmp: __fastfail(FAST_FAIL_FATAL_APP_EXIT), a non-continuable exception. */
    @Test
    void windowsFlagsAndFastFailCodes() throws Exception {
        Path dump = write(new SyntheticDumpBuilder().systemInfo(9, 2, "")
                .exceptionWithFlags(0x5f78, 0xc0000409L, 1, 0x7ff75355af42L, 7));
        JsonNode e = json(dump).get("exception");
        assertEquals("STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_FATAL_APP_EXIT", e.get("name").asText());
        assertEquals("0x1", e.get("flags").asText());
        assertEquals(List.of("EXCEPTION_NONCONTINUABLE"), strings(e.get("flagNames")));
        String text = text(dump);
        assertTrue(text.contains("Exception  STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_FATAL_APP_EXIT (0xc0000409) at "
                + "0x00007ff75355af42, thread 0x5f78\n           flags 0x1 EXCEPTION_NONCONTINUABLE\n"), text);
        // A code without a name is printed once.
        Path unknown = write(new SyntheticDumpBuilder().systemInfo(9, 2, "").exception(1, 0xc0001234L, 0x1000));
        String u = text(unknown);
        assertTrue(u.contains("Exception  0xc0001234 at 0x0000000000001000, thread 0x1\n"), u);
        assertFalse(u.contains("\n           flags "), "no flags line when no flag is set: " + u);
        assertEquals("STATUS_RESOURCE_NOT_OWNED", json(write(new SyntheticDumpBuilder().systemInfo(9, 2, "")
                .exception(1, 0xc0000264L, 0x1000))).at("/exception/name").asText());
    }

    /** rust-minidump's invalid-parameter.dmp: the CRT's report is shown beside the exception. */
    @Test
    void assertionNextToTheException() throws Exception {
        String file = "minkernel\\crts\\ucrt\\src\\appcrt\\stdio\\output.cpp";
        Path dump = write(new SyntheticDumpBuilder().systemInfo(9, 2, "").exception(0x1708, 0xc000000dL, 0)
                .assertion("format != nullptr", "common_vfprintf", file, 32, 1));
        JsonNode d = json(dump);
        assertEquals("STATUS_INVALID_PARAMETER", d.at("/exception/name").asText());
        JsonNode a = d.get("assertion");
        assertEquals("0x1", a.get("type").asText());
        assertEquals("Invalid parameter passed to library function", a.get("description").asText());
        assertEquals("format != nullptr", a.get("expression").asText());
        assertEquals("common_vfprintf", a.get("function").asText());
        assertEquals(file, a.get("file").asText());
        assertEquals(32, a.get("line").asInt());
        String text = text(dump);
        assertTrue(text.contains("Exception  STATUS_INVALID_PARAMETER (0xc000000d) at 0x0000000000000000, thread "
                + "0x1708\n"), text);
        assertTrue(text.contains("\nAssertion  Invalid parameter passed to library function `format != nullptr` in "
                + "`common_vfprintf`,\n           " + file + ":32\n"), text);
        // electron's Breakpad client wrote an all-zero record: nothing to show.
        Path electron = CliRun.corpus("windows/electron_windows.dmp");
        assertTrue(json(electron).get("assertion").isNull());
        assertFalse(text(electron).contains("\nAssertion "));
    }

    /** As Breakpad prints them for the corpus's amd64 dumps (cpuDescription was null on every one). */
    @Test
    void cpuDescriptionsOnAmd64() throws Exception {
        Path windows = CliRun.corpus("windows/electron_windows.dmp");
        JsonNode sys = json(windows).get("system");
        assertEquals("family 6 model 69 stepping 1", sys.get("cpuDescription").asText());
        assertTrue(sys.get("cpuVendor").isNull());
        assertTrue(text(windows).contains("\nCPU        amd64, family 6 model 69 stepping 1, 2 CPUs\n"));
        Path linux = CliRun.corpus("linux/electron_linux.dmp");
        assertEquals("GenuineIntel", json(linux).at("/system/cpuVendor").asText());
        assertTrue(text(linux).contains("\nCPU        amd64, GenuineIntel family 6 model 69 stepping 1, 2 CPUs\n"));
    }

    /** GetThreadPriority's -2 (THREAD_PRIORITY_LOWEST) was printed as 4294967294. */
    @Test
    void threadPrioritiesAreSigned() throws Exception {
        Path dump = CliRun.corpus("windows/electron_windows.dmp");
        List<Integer> priorities = new ArrayList<>();
        json(dump).get("threads").forEach(t -> priorities.add(t.get("priority").asInt()));
        assertEquals(1, priorities.stream().filter(p -> p == -2).count(), priorities.toString());
        String text = text(dump);
        assertTrue(Pattern.compile("\\n  +0x[0-9a-f]+ +\\d+ +-2  +0x").matcher(text).find(), text);
        assertFalse(text.contains("4294967294"));
    }

    /** Breakpad's handler thread, which wrote the dump, is marked: its stack shows the handler, not the crash. */
    @Test
    void theThreadThatWroteTheDumpIsMarked() throws Exception {
        Path dump = write(new SyntheticDumpBuilder().systemInfo(0, 2, "")
                .threads(false, 0, new long[][] {{0x11, 0x7c90eb94, 0x22ff00}, {0x22, 0x0040429e, 0x12fe84}})
                .exception(0x22, 0xc0000005L, 0x0040429e, 1, 0x45).breakpadInfo(0x11, 0x22));
        JsonNode threads = json(dump).get("threads");
        assertTrue(threads.get(0).get("wroteDump").asBoolean());
        assertFalse(threads.get(1).get("wroteDump").asBoolean());
        String text = text(dump);
        assertTrue(text.contains("\n  *  0x22 ") && text.contains("\n  w  0x11 "), text);
        assertTrue(text.contains("(w = the crash handler's thread that wrote the dump)"), text);
    }

    private Path write(SyntheticDumpBuilder b) throws Exception {
        Path p = dir.resolve("d" + counter++ + ".dmp");
        b.write(p);
        return p;
    }

    private int counter;

    static JsonNode json(Path dump) throws Exception {
        CliRun run = CliRun.of("dumpscan", "--json", dump.toString());
        assertEquals(ExitCode.OK, run.exit(), run.err());
        return JSON.readTree(run.out()).get("dumps").get(0);
    }

    static String text(Path dump) {
        CliRun run = CliRun.of("dumpscan", dump.toString());
        assertEquals(ExitCode.OK, run.exit(), run.err());
        return run.out();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Every text value matching {@code p}, as path=value. */
    private static void collect(String path, JsonNode n, Pattern p, List<String> out) {
        if (n.isTextual() && p.matcher(n.asText()).matches()) {
            out.add(path + "=" + n.asText());
        } else if (n.isObject()) {
            n.fields().forEachRemaining(f -> collect(path + "/" + f.getKey(), f.getValue(), p, out));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collect(path + "/" + i, n.get(i), p, out);
            }
        }
    }
}
