package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/** Triage over folders: records per file, crash signatures grouped, leaking call sites counted per run. */
class TriageTest {
    @TempDir
    Path tmp;

    private static TriageSummary triage(Path folder) throws IOException {
        TriageAggregate agg = new TriageAggregate();
        new TriageRun(Settings.defaults(), 2).run(TriageInputs.expand(List.of(folder.toString())),
                TriageRun.Memory.NONE, o -> agg.add(o.record()), TriageRun.Progress.NONE);
        return agg.summary();
    }

    private static TriageSummary.SignatureGroup signature(TriageSummary s, String prefix) {
        List<TriageSummary.SignatureGroup> g = s.signatures().stream().filter(x -> x.signature().startsWith(prefix))
                .toList();
        assertEquals(1, g.size(), () -> prefix + " in " + s.signatures());
        return g.get(0);
    }

    @Test
    void twoCrashesOfOneProgramShareASignatureAndDistinctCrashesDoNot() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("uploads/night1"));
        Path m2 = Required.corpusFile("breakpad/minidump2.dmp");
        Files.copy(m2, in.resolve("a.dmp"));
        // the same test_app.exe crash again, an hour later on other threads: another file, the same bug
        DumpCopies.distinctCopy(m2, in.resolve("b.dmp"), 3600, 0x5a5a);
        Files.copy(Required.corpusFile("breakpad/linux_null_dereference.dmp"), in.resolve("segv.dmp"));
        Files.copy(Required.corpusFile("breakpad/linux_raise_sigabrt.dmp"), in.resolve("abrt.dmp"));
        assertNotEquals(ContentHash.sha256(in.resolve("a.dmp")), ContentHash.sha256(in.resolve("b.dmp")));

        TriageSummary s = triage(tmp.resolve("uploads"));
        assertEquals(4, s.counts().crashes());
        assertEquals(3, s.signatures().size(), s.signatures()::toString);
        TriageSummary.SignatureGroup app = signature(s, "test_app.exe+0x429e");
        assertEquals(2, app.count());
        assertEquals("test_app.exe+0x429e | test_app.exe+0x4200 | test_app.exe+0x53ec | kernel32.dll+0x16fd7",
                app.signature());
        assertEquals("2007-02-14T19:13:55Z", app.firstSeen());
        assertEquals("2007-02-14T20:13:55Z", app.lastSeen());
        assertEquals(List.of("Windows NT 5.1.2600 Service Pack 2"), app.osBuilds());
        assertEquals(List.of("test_app.exe"), app.processes());
        assertEquals(2, app.examples().size());
        assertEquals(List.of("EXCEPTION_ACCESS_VIOLATION_WRITE"), app.exceptions());
        // Breakpad's Linux test program "driver": a null dereference and a raised SIGABRT are two bugs
        TriageSummary.SignatureGroup segv = signature(s, "driver+0x1f26");
        TriageSummary.SignatureGroup abrt = signature(s, "libpthread-2.19.so+0x1020b");
        assertEquals(1, segv.count());
        assertEquals(1, abrt.count());
        assertEquals(List.of("Linux 3.13.0-53-generic"), segv.osBuilds());
        assertEquals(List.of("driver"), segv.processes());
        assertTrue(segv.examples().get(0).endsWith("segv.dmp"));
        assertEquals("driver+0x1f26", segv.topFrames().get(0));
    }

    @Test
    void symbolsNameTheSignature() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(Required.corpusFile("breakpad/minidump2.dmp"), in.resolve("a.dmp"));
        Settings s = Settings.defaults().withSymbolPath(List.of(Required.corpusFile("breakpad/symbols").toString()),
                k -> null, true);
        TriageAggregate agg = new TriageAggregate();
        new TriageRun(s, 1).run(List.of(in.resolve("a.dmp")), TriageRun.Memory.NONE, o -> agg.add(o.record()),
                TriageRun.Progress.NONE);
        TriageSummary.SignatureGroup g = agg.summary().signatures().get(0);
        // Breakpad's minidump_stackwalk names the same frames (minidump2.stackwalk.out)
        assertEquals("test_app.exe!`anonymous namespace'::CrashFunction | test_app.exe!main"
                + " | test_app.exe!__tmainCRTStartup | kernel32.dll!BaseProcessStart", g.signature());
        assertEquals("test_app.exe!`anonymous namespace'::CrashFunction+0xe", g.topFrames().get(0));
    }

    @Test
    void leakingCallSitesAreCountedPerRunAcrossLogs() throws IOException {
        Path log = Path.of("..", "testdata", "dbgview", "resmon_kernel_and_x86_clock.log");
        Files.createDirectories(tmp.resolve("m1"));
        Files.createDirectories(tmp.resolve("m2"));
        Files.copy(log, tmp.resolve("m1/capture.log"));
        Files.copy(log, tmp.resolve("m2/capture.log"));
        Files.copy(Path.of("..", "testdata", "dbgview", "resmon_soak_flat.log"), tmp.resolve("m2/soak.log"));
        TriageSummary s = triage(tmp);
        assertEquals(9, s.counts().runs());
        assertEquals(Map.of("clean", 5, "leaked", 4), s.counts().verdicts());
        // runs 1 and 3 of each copy leak 2 and 3 pool blocks there: 4 runs, 10 blocks, 2 files
        TriageSummary.SiteGroup pool = s.leakingSites().get(0);
        assertEquals("0xFFFFF80112341234", pool.site());
        assertEquals("pool block", pool.kind());
        assertEquals(4, pool.runs());
        assertEquals(2, pool.files());
        assertEquals(2, pool.machines());
        assertEquals(10, pool.count());
        assertEquals(10_240, pool.bytes());
        assertEquals(List.of("kernelmode_test.sys"), pool.processes());
        TriageSummary.SiteGroup sync = s.leakingSites().get(1);
        assertEquals("0xFFFFF80112341300", sync.site());
        assertEquals(4, sync.runs());
        assertEquals(4, sync.count());
        assertEquals(2, s.leakingSites().size());
    }

    @Test
    void limitViolationsAreGroupedByProcessAndResource() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(Required.corpusFile("dbgview/resmon_original_usermode_test_wine.log"), in.resolve("wine.log"));
        TriageSummary s = triage(in);
        assertEquals(4, s.counts().runs());
        assertEquals(Map.of("over-limit", 4), s.counts().verdicts());
        assertEquals(List.of(new TriageSummary.LimitGroup("usermode_test.exe", "cpu", 4, 4, 1)), s.limits());
    }

    @Test
    void damagedInputsAreListedAndDoNotStopTheRun() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] dump = Files.readAllBytes(Path.of("..", "testdata", "minidump", "sample.dmp"));
        Files.write(in.resolve("truncated-header.dmp"), Arrays.copyOf(dump, 20)); // MDMP, then 16 bytes
        Files.write(in.resolve("truncated-streams.dmp"), Arrays.copyOf(dump, 2000)); // the directory, no streams
        byte[] flipped = dump.clone();
        flipped[12] = (byte) 0xff; // the directory's offset past the end
        flipped[13] = (byte) 0xff;
        Files.write(in.resolve("bad-directory.dmp"), flipped);
        Files.write(in.resolve("empty.log"), new byte[0]);
        Files.writeString(in.resolve("notes.txt"), "nothing Leakscope reads\n");
        Files.write(in.resolve("good.dmp"), dump);
        List<TriageRecord> records = new ArrayList<>();
        TriageAggregate agg = new TriageAggregate();
        new TriageRun(Settings.defaults(), 2).run(TriageInputs.expand(List.of(in.toString())), TriageRun.Memory.NONE,
                o -> {
                    records.add(o.record());
                    agg.add(o.record());
                }, TriageRun.Progress.NONE);
        TriageSummary s = agg.summary();
        assertEquals(6, s.counts().files());
        assertEquals(2, s.counts().skipped()); // empty.log, notes.txt
        Map<String, String> failed = s.failed().stream()
                .collect(Collectors.toMap(f -> Path.of(f.file()).getFileName().toString(), f -> f.message()));
        assertTrue(failed.containsKey("truncated-header.dmp"), failed::toString);
        assertTrue(failed.containsKey("bad-directory.dmp"), failed::toString);
        assertEquals(2, failed.size(), failed::toString);
        assertTrue(failed.get("truncated-header.dmp").endsWith("truncated-header.dmp: at byte offset 0 (0x0): expected"
                + " a 32-byte minidump header starting 'MDMP', found a 20-byte file"), failed::toString);
        assertTrue(failed.get("bad-directory.dmp").contains("found directory offset 65535"), failed::toString);
        // the dump cut after its directory is read as far as it goes: its record lists what is missing
        assertEquals(1, s.damaged().size(), s.damaged()::toString);
        TriageSummary.FileNote cut = s.damaged().get(0);
        assertTrue(cut.file().endsWith("truncated-streams.dmp"));
        assertTrue(cut.message().contains("past the end of the 2000-byte file"), cut::toString);
        assertEquals(1, s.signatures().stream().filter(g -> g.signature().startsWith("leaky_service.exe+0x1f3a"))
                .mapToInt(TriageSummary.SignatureGroup::count).sum());
        TriageRecord good = records.stream().filter(r -> r.file().endsWith("good.dmp")).findFirst().orElseThrow();
        assertNull(good.error());
        assertNotNull(good.sha256());
        assertEquals("leaky_service.exe", good.identity().process());
        assertEquals("1.4.2.0", good.identity().version());
    }

    @Test
    void theSummaryDoesNotDependOnTheOrderRecordsArrive() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (String f : List.of("resmon_kernel_and_x86_clock.log", "resmon_x64_blocks_over_4gib.log",
                "resmon_user_x64_exit_report.log", "resmon_soak_leaking.log")) {
            Files.copy(Path.of("..", "testdata", "dbgview", f), in.resolve(f));
        }
        Files.copy(Path.of("..", "testdata", "minidump", "sample.dmp"), in.resolve("sample.dmp"));
        Files.copy(Path.of("..", "testdata", "resmontable", "sample.rmt"), in.resolve("sample.rmt"));
        List<TriageRecord> records = new ArrayList<>();
        new TriageRun(Settings.defaults(), 2).run(TriageInputs.expand(List.of(in.toString())), TriageRun.Memory.NONE,
                o -> records.add(o.record()), TriageRun.Progress.NONE);
        TriageAggregate forward = new TriageAggregate();
        records.forEach(forward::add);
        TriageAggregate backward = new TriageAggregate();
        for (int i = records.size() - 1; i >= 0; i--) {
            backward.add(records.get(i));
        }
        assertEquals(forward.summary(), backward.summary());
        assertTrue(!forward.summary().liveSites().isEmpty(), "the table image's live resources");
    }

    private static TriageRecord log(String file, String machine, String timeFrom, String time, TriageRecord.Run... runs) {
        return new TriageRecord(file, "h" + file, 1, "resmon-log", null, null,
                new TriageRecord.Identity("svc.exe", null, null, null, machine, time, timeFrom), null, null,
                List.of(runs), null);
    }

    private static TriageRecord.Run leaked(String start, long bytes) {
        return new TriageRecord.Run("svc.exe", 1L, "leaked", start,
                List.of(new TriageRecord.Site("heap block", "svc.exe!Cache::Add+0x12", 1, bytes)), Map.of());
    }

    @Test
    void theTrendIsRunsPerDayFromTimesTheContentCarries() {
        TriageAggregate agg = new TriageAggregate();
        agg.add(log("a.log", "LAB-1", "log", "2026-11-01T08:00:00Z", leaked("2026-11-01T08:00:00Z", 100)));
        agg.add(log("b.log", "LAB-2", "log", "2026-11-02T08:00:00Z", leaked("2026-11-02T08:00:00Z", 100),
                leaked("2026-11-02T20:00:00Z", 300)));
        agg.add(log("c.log", "LAB-2", "log", "2026-11-02T09:00:00Z", leaked("2026-11-02T09:00:00Z", 50)));
        // a log without dates: counted, but its file's modified time is no time of the leak
        agg.add(log("d.log", null, "file-modified", "2026-12-04T14:00:00Z", leaked(null, 7)));
        TriageSummary.SiteGroup g = agg.summary().leakingSites().get(0);
        assertEquals(5, g.runs());
        assertEquals(3, g.machines()); // LAB-1, LAB-2, and d.log standing for its own
        assertEquals(4, g.files());
        assertEquals(557, g.bytes());
        assertEquals(List.of(new TriageSummary.Day("2026-11-01", 1, 100), new TriageSummary.Day("2026-11-02", 3, 450)),
                g.trend());
        assertEquals("rising", g.direction());
        assertEquals("2026-11-01T08:00:00Z", g.firstSeen());
        assertEquals("2026-11-02T20:00:00Z", g.lastSeen());
    }
}
