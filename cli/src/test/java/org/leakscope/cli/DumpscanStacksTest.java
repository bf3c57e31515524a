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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dumpscan's walked stacks on Breakpad's minidump2.dmp (Windows XP, x86) with the corpus's symbols: the crashing
 * thread from the faulting function down to kernel32's process start, as Breakpad's minidump2.stackwalk.out lists
 * it, the crash signature, and the options that choose threads, depth and registers.
 */
class DumpscanStacksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CliRun run(String... options) {
        List<String> args = new ArrayList<>(List.of("dumpscan", CliRun.corpus("breakpad/minidump2.dmp").toString(),
                "--symbols-path", CliRun.corpus("breakpad/symbols").toString()));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, run.exit(), run.err());
        return run;
    }

    @Test
    void textListsTheCrashingThreadsWholeStackAndItsSignature() {
        String out = run().out();
        assertTrue(out.contains("""
                Crash signature: test_app.exe!`anonymous namespace'::CrashFunction | test_app.exe!main | \
                test_app.exe!__tmainCRTStartup
                                 | kernel32.dll!BaseProcessStart

                Thread 0xbf4 (crashed), 4 frames
                  #0  test_app.exe!`anonymous namespace'::CrashFunction+0xe [c:\\test_app.cc : 58]  (context)
                  #1  test_app.exe!main+0x50 [c:\\test_app.cc : 65]  (cfi)
                  #2  test_app.exe!__tmainCRTStartup+0x15f [f:\\sp\\vctools\\crt_bld\\self_x86\\crt\\src\\crt0.c : 327]  (cfi)
                  #3  kernel32.dll!BaseProcessStart+0x23  (cfi)

                Threads (2)
                """), out);
        assertFalse(out.contains("Thread 0x11c0"), "text shows the crashing thread's stack alone by default");
        out.lines().forEach(l -> assertTrue(l.length() <= 120, l));
    }

    @Test
    void threadsAllNoneAndTheFrameLimit() {
        String all = run("--threads", "all").out();
        assertTrue(all.contains("""
                Thread 0x11c0, 3 frames
                  #0  ntdll.dll+0xeb94  (context)
                  #1  0x140640  (frame_pointer)
                  #2  kernel32.dll!MapViewOfFile+0x32  (scan)
                """), all);
        String none = run("--threads", "none").out();
        assertFalse(none.contains("Crash signature") || none.contains("(crashed)"), none);
        String two = run("--frames", "2").out();
        assertTrue(two.contains("""
                  #1  test_app.exe!main+0x50 [c:\\test_app.cc : 65]  (cfi)
                  (the walk stopped: the frame limit (2) was reached)
                """), two);
    }

    @Test
    void registersPerFrame() {
        String out = run("--registers").out();
        assertTrue(out.contains("""
                  #1  test_app.exe!main+0x50 [c:\\test_app.cc : 65]  (cfi)
                        eip 0x00404200  esp 0x0012fe90  ebp 0x0012ff70
                """), out);
    }

    @Test
    void jsonHasEveryThreadsFramesWithTrustAndTheSignature() throws Exception {
        JsonNode d = JSON.readTree(run("--json").out()).get("dumps").get(0);
        assertEquals("test_app.exe!`anonymous namespace'::CrashFunction | test_app.exe!main"
                + " | test_app.exe!__tmainCRTStartup | kernel32.dll!BaseProcessStart", d.get("crashSignature").asText());
        JsonNode crashed = d.get("threads").get(0);
        assertEquals("0xbf4", crashed.get("id").asText());
        List<String> frames = new ArrayList<>();
        crashed.get("frames").forEach(f -> frames.add(f.get("index").asInt() + " " + f.get("text").asText() + " "
                + f.get("trust").asText() + " " + f.get("address").asText()));
        assertEquals(List.of("0 test_app.exe!`anonymous namespace'::CrashFunction+0xe context 0x0040429e",
                "1 test_app.exe!main+0x50 cfi 0x00404200", "2 test_app.exe!__tmainCRTStartup+0x15f cfi 0x004053ec",
                "3 kernel32.dll!BaseProcessStart+0x23 cfi 0x7c816fd7"), frames);
        assertTrue(crashed.get("frames").get(1).get("registers").isNull(), "registers only with --registers");
        assertEquals("the caller's instruction pointer is below 4 KB: the end of the stack",
                crashed.get("stackEnd").asText());
        JsonNode other = d.get("threads").get(1);
        assertEquals(3, other.get("frames").size(), "--json walks every thread by default");
        assertEquals("scan", other.get("frames").get(2).get("trust").asText());

        JsonNode withRegisters = JSON.readTree(run("--json", "--registers").out()).get("dumps").get(0);
        JsonNode r = withRegisters.get("threads").get(0).get("frames").get(1).get("registers");
        assertEquals("0x0012fe90", r.get("esp").asText());
        assertEquals("0x0012ff70", r.get("ebp").asText());
        JsonNode crashedOnly = JSON.readTree(run("--json", "--threads", "crashed").out()).get("dumps").get(0);
        assertTrue(crashedOnly.get("threads").get(1).get("frames").isNull());
    }

    /** A thread whose innermost frame is a kernel wait is marked waiting, in text and JSON. */
    @Test
    void threadBlockedInTheKernelIsMarkedWaiting(@TempDir Path dir) throws Exception {
        // a stand-in symbol file for the dump's ntdll (its real identity) naming frame 0 of thread 0x11c0 a wait
        Path sym = dir.resolve("ntdll.pdb/36515FB5D04345E491F672FA2E2878C02/ntdll.sym");
        Files.createDirectories(sym.getParent());
        Files.writeString(sym, "MODULE windows x86 36515FB5D04345E491F672FA2E2878C02 ntdll.pdb\n"
                + "FUNC eb90 10 0 NtWaitForSingleObject\n");
        String out = run("--threads", "all", "--symbols-path", dir.toString()).out();
        assertTrue(out.contains("Thread 0x11c0 (waiting in NtWaitForSingleObject), 3 frames\n"
                + "  #0  ntdll.dll!NtWaitForSingleObject+0x4  (context)\n"), out);
        assertFalse(out.contains("0xbf4 (crashed) (waiting"), out);
        JsonNode d = JSON.readTree(run("--json", "--symbols-path", dir.toString()).out()).get("dumps").get(0);
        assertEquals("NtWaitForSingleObject", d.get("threads").get(1).get("waiting").asText());
        assertTrue(d.get("threads").get(0).get("waiting").isNull());
    }

    @Test
    void badOptionsAreUsageErrors() {
        Path dump = CliRun.corpus("breakpad/minidump2.dmp");
        CliRun bad = CliRun.of("dumpscan", dump.toString(), "--threads", "some");
        assertEquals(ExitCode.BAD_INPUT, bad.exit());
        assertTrue(bad.err().contains("--threads: expected all, crashed or none, got 'some'"), bad.err());
        CliRun zero = CliRun.of("dumpscan", dump.toString(), "--frames", "0");
        assertEquals(ExitCode.BAD_INPUT, zero.exit());
        assertTrue(zero.err().contains("--frames: expected a number of frames of at least 1, got '0'"), zero.err());
        assertEquals(ExitCode.BAD_INPUT, CliRun.of("dumpscan", dump.toString(), "--raw", "--threads", "all").exit());
    }
}
