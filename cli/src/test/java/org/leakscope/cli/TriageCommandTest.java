package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.analysis.TriageRecord;
import org.leakscope.cli.json.TriageJson;

/** triage end to end: --state, --records, damaged inputs, options. */
class TriageCommandTest {
    @TempDir
    Path tmp;

    /** A folder like a night's uploads: dumps, logs, a table image, damaged files and a file of no known kind. */
    private Path uploads() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("uploads/machine-a"));
        Path b = Files.createDirectories(tmp.resolve("uploads/machine-b"));
        Files.copy(CliRun.testdata("minidump/sample.dmp"), in.resolve("crash1.dmp"));
        Files.copy(CliRun.testdata("resmontable/sample.rmt"), in.resolve("table.rmt"));
        Files.copy(CliRun.testdata("dbgview/resmon_kernel_and_x86_clock.log"), in.resolve("capture.log"));
        Files.copy(CliRun.testdata("dbgview/resmon_kernel_and_x86_clock.log"), b.resolve("capture.log"));
        Files.copy(CliRun.testdata("dbgview/resmon_soak_leaking.log"), b.resolve("soak.log"));
        byte[] dump = Files.readAllBytes(CliRun.testdata("minidump/sample.dmp"));
        Files.write(b.resolve("cut.dmp"), Arrays.copyOf(dump, 24));
        Files.writeString(b.resolve("readme.txt"), "not an input\n");
        return tmp.resolve("uploads");
    }

    private static String read(String err) {
        return err.lines().filter(l -> l.startsWith("triage: ") && l.contains(" read, ")).findFirst().orElseThrow();
    }

    @Test
    void aSecondRunWithStateReadsNoFileAndPrintsTheSameReport() throws Exception {
        Path in = uploads();
        Path state = tmp.resolve("state");
        CliRun first = CliRun.of("triage", in.toString(), "--state", state.toString());
        assertEquals(ExitCode.BAD_INPUT, first.exit(), first.err()); // cut.dmp
        assertTrue(read(first.err()).startsWith("triage: 7 files: 7 read, 0 remembered (--state; 7 hashed)"), first.err());
        CliRun second = CliRun.of("triage", in.toString(), "--state", state.toString());
        assertTrue(read(second.err()).startsWith("triage: 7 files: 0 read, 7 remembered (--state; 0 hashed)"), second.err());
        assertEquals(first.out(), second.out());
        assertEquals(first.exit(), second.exit());
        CliRun json1 = CliRun.of("triage", in.toString(), "--json");
        CliRun json2 = CliRun.of("triage", in.toString(), "--json", "--state", state.toString());
        assertTrue(read(json2.err()).contains(" 0 read, "), json2.err());
        assertEquals(json1.out(), json2.out());

        // a night later: one new log is read, the rest is remembered, the report covers all
        Files.copy(CliRun.testdata("dbgview/resmon_x64_blocks_over_4gib.log"), in.resolve("machine-b/big.log"));
        CliRun third = CliRun.of("triage", in.toString(), "--state", state.toString());
        assertTrue(read(third.err()).startsWith("triage: 8 files: 1 read, 7 remembered (--state; 1 hashed)"), third.err());
        assertTrue(third.out().contains("bigalloc.exe"), third.out());
        // copies of crash1.dmp and cut.dmp elsewhere: known by content, not read, yet counted under their own names
        Files.copy(CliRun.testdata("minidump/sample.dmp"), in.resolve("machine-b/crash2.dmp"));
        Files.copy(in.resolve("machine-b/cut.dmp"), in.resolve("machine-a/cut-copy.dmp"));
        CliRun fourth = CliRun.of("triage", in.toString(), "--state", state.toString(), "--json");
        assertTrue(read(fourth.err()).startsWith("triage: 10 files: 0 read, 10 remembered (--state; 2 hashed)"),
                fourth.err());
        assertTrue(fourth.out().contains("machine-b/crash2.dmp"), fourth.out());
        assertTrue(fourth.out().contains("\"count\" : 2,"), fourth.out());
        // the remembered error names the copy, not the file it was first read as
        assertTrue(fourth.out().contains("\"message\" : \"" + in.resolve("machine-a/cut-copy.dmp")
                + ": at byte offset 0 (0x0): expected a 32-byte"), fourth.out());
        // and the copy's path is remembered too: the next run does not even hash it
        CliRun fifth = CliRun.of("triage", in.toString(), "--state", state.toString(), "--json");
        assertTrue(read(fifth.err()).startsWith("triage: 10 files: 0 read, 10 remembered (--state; 0 hashed)"),
                fifth.err());
        assertEquals(fourth.out(), fifth.out());
        try (Stream<Path> files = Files.list(state)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void stateMadeWithOtherOptionsIsRefused() throws Exception {
        Path in = uploads();
        Path state = tmp.resolve("state");
        CliRun.of("triage", in.toString(), "--state", state.toString());
        CliRun other = CliRun.of("triage", in.toString(), "--state", state.toString(), "--no-fold");
        assertEquals(ExitCode.BAD_INPUT, other.exit());
        assertTrue(other.err().contains("its records were made with other options"), other.err());
        assertEquals("", other.out());
    }

    @Test
    void recordsAreOneLinePerInputAndReadBack() throws Exception {
        Path in = uploads();
        Path records = tmp.resolve("records.jsonl");
        CliRun run = CliRun.of("triage", in.toString(), "--records", records.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exit());
        List<String> lines = Files.readAllLines(records, StandardCharsets.UTF_8);
        assertEquals(7, lines.size());
        List<TriageRecord> recs = lines.stream().map(l -> TriageJson.read(l).record()).toList();
        Set<String> names = recs.stream().map(r -> Path.of(r.file()).getFileName().toString())
                .collect(Collectors.toSet());
        assertEquals(Set.of("crash1.dmp", "table.rmt", "capture.log", "soak.log", "cut.dmp", "readme.txt"), names);
        TriageRecord cut = recs.stream().filter(r -> r.file().endsWith("cut.dmp")).findFirst().orElseThrow();
        assertEquals("minidump", cut.kind());
        assertTrue(cut.error().endsWith("expected a 32-byte minidump header starting 'MDMP', found a 24-byte file"),
                cut.error());
        TriageRecord readme = recs.stream().filter(r -> r.file().endsWith("readme.txt")).findFirst().orElseThrow();
        assertNotNull(readme.skipped());
        TriageRecord crash = recs.stream().filter(r -> r.file().endsWith("crash1.dmp")).findFirst().orElseThrow();
        assertEquals("leaky_service.exe+0x1f3a", crash.crash().signature());
        assertEquals("EXCEPTION_ACCESS_VIOLATION_WRITE", crash.crash().exception());
        assertEquals("2026-11-18T11:08:40Z", crash.identity().time());
        TriageRecord log = recs.stream().filter(r -> r.file().endsWith("machine-a/capture.log")).findFirst()
                .orElseThrow();
        assertEquals(List.of("leaked", "clean", "leaked"), log.runs().stream().map(TriageRecord.Run::verdict).toList());
        assertEquals(new TriageRecord.Site("pool block", "0xFFFFF80112341234", 2, 2048),
                log.runs().get(0).leaked().get(0));
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void damagedInputsAreListedAndTheRestIsReported() throws Exception {
        Path in = uploads();
        CliRun run = CliRun.of("triage", in.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exit());
        String out = run.out();
        assertTrue(out.contains("1 skipped (no known kind), 1 failed, 0 damaged"), out);
        assertTrue(out.contains("Failed: 1 file, files of a known kind that could not be read\n  - " + in
                + "/machine-b/cut.dmp: at byte offset 0 (0x0): expected a 32-byte minidump"), out);
        // the leaking call site of the two captures: 4 runs on 2 machines
        assertTrue(out.lines().anyMatch(l -> l.matches(" +4 +2 +2 +10 +10,240 +pool block +0xFFFFF80112341234 .*")), out);
        assertTrue(out.lines().allMatch(l -> l.length() <= 120), out);
    }

    @Test
    void usageErrors() {
        CliRun none = CliRun.of("triage");
        assertEquals(ExitCode.BAD_INPUT, none.exit());
        assertTrue(none.err().startsWith("triage: no file or folder given"), none.err());
        CliRun threads = CliRun.of("triage", ".", "--threads", "0");
        assertEquals(ExitCode.BAD_INPUT, threads.exit());
        assertTrue(threads.err().contains("--threads: expected a number of threads from 1 to 1024, got '0'"));
        CliRun missing = CliRun.of("triage", tmp.resolve("nope.dmp").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.exit());
        assertTrue(missing.err().contains("nope.dmp"), missing.err());
        CliRun help = CliRun.of("triage", "--help");
        assertEquals(ExitCode.OK, help.exit());
        assertTrue(help.out().contains("Exit status:\n    0  success"), help.out());
        assertTrue(help.out().lines().allMatch(l -> l.length() <= 120));
    }
}
