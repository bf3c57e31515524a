package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.AddressStack;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Snapshot;

class UmdhSnapshotReaderTest {
    @TempDir
    Path tmp;

    static Map<String, BacktraceAggregate> byId(Snapshot s) {
        Map<String, BacktraceAggregate> m = new LinkedHashMap<>();
        for (BacktraceAggregate a : s.aggregates()) {
            m.put(a.backtrace().traceId(), a);
        }
        return m;
    }

    static void assertTrace(BacktraceAggregate a, long bytes, long count, long overhead, int frames) {
        assertEquals(bytes, a.bytes(), "bytes of " + a.backtrace().traceId());
        assertEquals(count, a.count(), "count of " + a.backtrace().traceId());
        assertEquals(overhead, a.overhead(), "overhead of " + a.backtrace().traceId());
        assertEquals(frames, a.backtrace().frames().size(), "frames of " + a.backtrace().traceId());
    }

    /**
     * Traces are numbered in the order their ids first appear, whether read whole or indexed, though records
     * reach the per-trace sums in hashed batches: 5,000 ids in shuffled records (most without a stack, a stack
     * for every 7th), ids of 8 bytes, 10 hex digits and other text. Also: each id's stack and sums, spelled back.
     */
    @Test
    void tracesAreNumberedInTheOrderTheirIdsFirstAppear() throws IOException {
        java.util.Random r = new java.util.Random(5);
        StringBuilder sb = new StringBuilder("// UMDH: version 6.1.7650.0: Logtime 2026-03-02 09:00 - Machine=M - PID=1\n"
                + "//              400000    20000 C:\\app.exe\n\n");
        List<String> firstSeen = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        Map<String, Long> bytes = new java.util.HashMap<>();
        for (int k = 0; k < 30_000; k++) {
            int t = r.nextInt(5000);
            String id = t % 3 == 0 ? String.format("%08X", t) : t % 3 == 1 ? String.format("%010x", 0xab00000000L + t)
                    : "id-" + t;
            sb.append(String.format("%X bytes + 8 at 1000 by BackTrace%s%n", 16 + t % 7, id));
            bytes.merge(id, 16L + t % 7, Long::sum);
            if (seen.add(id)) {
                firstSeen.add(id);
                if (t % 7 == 0) {
                    sb.append(String.format("\t%X%n\t401000%n%n", 0x400000 + t));
                }
            }
        }
        Path p = tmp.resolve("order.log");
        Files.writeString(p, sb.toString());
        Snapshot s = UmdhSnapshotReader.read(p, UmdhOptions.defaults()).snapshot();
        assertEquals(firstSeen, s.aggregates().stream().map(a -> a.backtrace().traceId()).toList());
        for (BacktraceAggregate a : s.aggregates()) {
            String id = a.backtrace().traceId();
            assertEquals(bytes.get(id), a.bytes(), id);
            int t = Integer.parseInt(id.startsWith("id-") ? id.substring(3)
                    : id.length() == 10 ? Long.toString(Long.parseLong(id, 16) - 0xab00000000L)
                    : Integer.toString(Integer.parseInt(id, 16)));
            assertEquals(t % 7 == 0 ? 2 : 0, a.backtrace().frames().size(), id);
        }
        UmdhTraces ix = UmdhSnapshotReader.readIndexed(p, UmdhOptions.defaults(), f -> 1 + f.address()).traces();
        int[] inFileOrder = byAppearance(ix);
        for (int k = 0; k < ix.size(); k++) {
            int t = inFileOrder[k];
            assertEquals(firstSeen.get(k), ix.id(t));
            assertEquals(bytes.get(ix.id(t)), ix.bytes(t));
            assertEquals(!s.aggregates().get(k).backtrace().frames().isEmpty(), ix.hasStack(t));
        }
        assertEquals(firstSeen.size(), ix.size());
    }

    /**
     * Records that do not pack into the sum buffers (a summary line's count, a size past 2^39, an overhead past
     * 2^24) are added at once, between buffered records of the same traces: sums, first-appearance order and
     * each trace's first stack come out as if every record had waited its turn. 3,000 ids, 40,000 records.
     */
    @Test
    void recordsAddedAtOnceAndBufferedOnesMix() throws IOException {
        java.util.Random r = new java.util.Random(11);
        StringBuilder sb = new StringBuilder("// UMDH: version 6.1.7650.0: Logtime 2026-03-02 09:00 - Machine=M - PID=1\n"
                + "//              400000    20000 C:\\app.exe\n\n");
        List<String> firstSeen = new java.util.ArrayList<>();
        Map<String, long[]> sums = new java.util.HashMap<>();
        Map<String, Long> firstFrame = new java.util.HashMap<>();
        for (int k = 0; k < 40_000; k++) {
            int t = r.nextInt(3000);
            String id = String.format("%08X", 0x1000_0000 + t * 16);
            long size;
            long count;
            long overhead;
            switch (r.nextInt(8)) {
                case 0 -> { // summary form: count and per-allocation overhead
                    count = 2 + r.nextInt(5);
                    size = 0x100 + r.nextInt(0x1000);
                    overhead = count * 8;
                    sb.append(String.format("%X bytes in 0x%X allocations (@ 0x10 + 0x8) by: BackTrace%s%n", size,
                            count, id));
                }
                case 1 -> { // past what a buffered record holds
                    count = 1;
                    size = (1L << 40) + r.nextInt(100);
                    overhead = (1L << 25) + r.nextInt(100);
                    sb.append(String.format("%X bytes + %X at 1000 by BackTrace%s%n", size, overhead, id));
                }
                default -> {
                    count = 1;
                    size = 16 + r.nextInt(64);
                    overhead = 8;
                    sb.append(String.format("%X bytes + %X at 1000 by BackTrace%s%n", size, overhead, id));
                }
            }
            long[] s0 = sums.computeIfAbsent(id, x -> new long[3]);
            s0[0] += size;
            s0[1] += count;
            s0[2] += overhead;
            if (!firstFrame.containsKey(id) || r.nextInt(50) == 0) { // now and then a stack printed again
                long frame = 0x400000 + r.nextInt(0x10000);
                if (!firstFrame.containsKey(id)) {
                    firstSeen.add(id);
                    firstFrame.put(id, frame);
                }
                sb.append(String.format("\t%X%n\t401000%n%n", frame));
            }
        }
        Path p = tmp.resolve("mixed.log");
        Files.writeString(p, sb.toString());
        Snapshot s = UmdhSnapshotReader.read(p, UmdhOptions.defaults()).snapshot();
        assertEquals(firstSeen, s.aggregates().stream().map(a -> a.backtrace().traceId()).toList());
        for (BacktraceAggregate a : s.aggregates()) {
            long[] e = sums.get(a.backtrace().traceId());
            assertTrace(a, e[0], e[1], e[2], 2);
            assertEquals(firstFrame.get(a.backtrace().traceId()), a.backtrace().frames().get(0).address());
        }
        UmdhTraces ix = UmdhSnapshotReader.readIndexed(p, UmdhOptions.defaults(), f -> 1 + f.address()).traces();
        assertEquals(firstSeen.size(), ix.size());
        List<List<Frame>> stacks = ix.stacks(java.util.stream.IntStream.range(0, ix.size()).toArray(), null);
        int[] inFileOrder = byAppearance(ix);
        for (int k = 0; k < ix.size(); k++) {
            int t = inFileOrder[k];
            long[] e = sums.get(ix.id(t));
            assertEquals(firstSeen.get(k), ix.id(t));
            assertEquals(List.of(e[0], e[1], e[2]), List.of(ix.bytes(t), ix.count(t), ix.overhead(t)), ix.id(t));
            assertEquals(firstFrame.get(ix.id(t)), stacks.get(t).get(0).address(), ix.id(t));
        }
    }

    /**
     * Frame lines in umdh's own form (TAB, hex, newline) are read in bulk from the line buffer; every other form
     * line by line. A 3 MB log (the buffer refills mid-stack many times) mixing both per line, LF and CR LF, with
     * 17-digit addresses (a problem at their line) and one stack past MAX_FRAMES (cut, said at the first dropped
     * line): whole and indexed reads give each trace its frames in order, the same problems at the same lines,
     * and each indexed stack read again from its recorded place matches the key taken while reading.
     */
    @Test
    void frameLinesReadInBulkMatchTheLineByLineForms() throws IOException {
        java.util.Random r = new java.util.Random(21);
        StringBuilder sb = new StringBuilder("// UMDH: version 6.1.7650.0: Logtime 2026-03-02 09:00 - Machine=M - PID=1\n"
                + "//              400000  1000000 C:\\app.exe\n\n");
        long line = 3;
        List<List<String>> expected = new java.util.ArrayList<>();
        List<Long> problemLines = new java.util.ArrayList<>();
        for (int t = 0; t < 18_000; t++) {
            sb.append(String.format("%X bytes + 8 at 1000 by BackTrace%08X%n", 16 + t, 0x1000_0000 + t));
            line++;
            List<String> frames = new java.util.ArrayList<>();
            int n = t == 7_777 ? UmdhOptions.MAX_FRAMES + 5 : 1 + r.nextInt(40);
            for (int k = 0; k < n; k++) {
                long a = 0x400000 + r.nextInt(0xF00000);
                String text;
                String form;
                int shape = t == 7_777 ? 0 : r.nextInt(1000);
                if (shape < 500) {
                    text = String.format("\t%X", a);
                } else if (shape < 600) {
                    text = String.format("\t%016X", a);
                } else if (shape < 700) {
                    text = String.format("\t%X  ", a);
                } else if (shape < 800) {
                    text = String.format("\t0x%x", a);
                } else if (shape < 900) {
                    text = String.format("   %X", a); // indented with blanks
                } else if (shape < 999) {
                    text = String.format("\tapp!fn%d+%X", k, a & 0xFFF);
                } else {
                    text = String.format("\t1%016X", a); // 17 digits: no frame, a problem
                }
                form = shape == 999 ? null : shape >= 900 ? "fn" + k : Long.toHexString(a);
                line++;
                if (form == null) {
                    problemLines.add(line);
                } else if (frames.size() < UmdhOptions.MAX_FRAMES) {
                    frames.add(form);
                } else if (frames.size() == UmdhOptions.MAX_FRAMES) {
                    problemLines.add(line); // the first frame dropped
                    frames.add(null);
                }
                sb.append(text).append(r.nextBoolean() ? "\r\n" : "\n");
            }
            frames.remove(null);
            expected.add(frames);
            sb.append('\n');
            line++;
        }
        Path p = tmp.resolve("bulk.log");
        Files.writeString(p, sb.toString());
        assertTrue(Files.size(p) > 3_000_000, "spans several buffer fills");
        java.util.function.Function<Frame, String> form = f -> f.function() != null
                ? f.function() : Long.toHexString(f.address());
        UmdhSnapshotLog whole = UmdhSnapshotReader.read(p, UmdhOptions.defaults());
        List<BacktraceAggregate> traces = whole.snapshot().aggregates();
        assertEquals(expected.size(), traces.size());
        for (int t = 0; t < traces.size(); t++) {
            assertEquals(expected.get(t), traces.get(t).backtrace().frames().stream().map(form).toList(), "trace " + t);
        }
        assertEquals(problemLines, whole.snapshot().problems().stream().map(x -> x.line()).toList());
        org.leakscope.model.FrameCodes codes = f -> {
            long c = 1 + (f.function() != null ? f.function().hashCode() : f.address());
            return (c & 7) == 0 ? c | org.leakscope.model.FrameCodes.ALLOCATOR : c; // some frames fold off
        };
        UmdhSnapshotLog indexed = UmdhSnapshotReader.readIndexed(p, UmdhOptions.defaults(), codes);
        assertNull(indexed.traces().notIndexable());
        assertEquals(problemLines, indexed.snapshot().problems().stream().map(x -> x.line()).toList());
        int[] inFileOrder = byAppearance(indexed.traces());
        // throws when a stack read again differs from its key
        List<List<Frame>> again = indexed.traces().stacks(inFileOrder, codes);
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(expected.get(t), again.get(t).stream().map(form).toList(), "trace " + t);
        }
        // on two threads, each over its half of the log (the log has more than 2 x MIN_PART stacks): the same
        // stacks and folded counts; a stack changed in the second half is told as on one thread
        int[] all = java.util.stream.IntStream.range(0, expected.size()).toArray();
        assertTrue(all.length >= 2 * UmdhTraces.MIN_PART);
        int[] folded = new int[all.length];
        int[] foldedByTwo = new int[all.length];
        List<List<Frame>> byOne = indexed.traces().stacks(all, codes, folded);
        List<List<Frame>> byTwo = indexed.traces().stacks(all, () -> codes, foldedByTwo, 2);
        for (int t = 0; t < all.length; t++) {
            assertEquals(byOne.get(t), byTwo.get(t), "trace " + t);
        }
        assertArrayEquals(folded, foldedByTwo);
        assertTrue(java.util.Arrays.stream(folded).anyMatch(f -> f > 0));
        String text = sb.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n\t([0-9A-F]{7,})\r?\n").matcher(text);
        assertTrue(m.find(text.length() * 3 / 4));
        byte[] bytes = Files.readAllBytes(p);
        bytes[m.start(1)] = (byte) (bytes[m.start(1)] == '4' ? '5' : '4');
        Files.write(p, bytes);
        String alone = org.junit.jupiter.api.Assertions.assertThrows(InputFormatException.class,
                () -> indexed.traces().stacks(all, codes, folded)).getMessage();
        String twoThreads = org.junit.jupiter.api.Assertions.assertThrows(InputFormatException.class,
                () -> indexed.traces().stacks(all, () -> codes, foldedByTwo, 2)).getMessage();
        assertTrue(alone.contains("the log changed while it was read"), alone);
        assertEquals(alone, twoThreads);
    }

    /**
     * Stacks read again in umdh's own frame form come as raw addresses resolved through the log's modules (no
     * Frame made until asked); any other form is parsed, one Frame per address shared by the stacks, also for an
     * address new to them met twice in one stack.
     */
    @Test
    void stacksReadAgainShareOneFramePerAddress() throws IOException {
        Path p = tmp.resolve("same.log");
        Files.writeString(p, "// UMDH: version 6.1.7650.0: Logtime 2026-03-02 09:00 - Machine=M - PID=1\n"
                + "// Loaded modules:\n//     Base Size Module\n//              400000    20000 C:\\app.exe\n\n"
                + "30 bytes + 8 at 1000 by BackTraceA1\n\t0x401000\n\t401000\n\t402000\n\n"
                + "40 bytes + 8 at 2000 by BackTraceB2\n\t0x402000\n\t401000\n\n"
                + "50 bytes + 8 at 3000 by BackTraceC3\n\t402000\r\n\t401000\r\n\t7FFE0000ABCD\n\n");
        FrameCodes codes = f -> f.module() != null ? 7 + f.moduleOffset() : 1 + f.address(); // as module() codes
        UmdhTraces ix = UmdhSnapshotReader.readIndexed(p, UmdhOptions.defaults(), codes).traces();
        List<List<Frame>> s = ix.stacks(byAppearance(ix), codes);
        assertEquals(0x401000, s.get(0).get(0).address());
        org.junit.jupiter.api.Assertions.assertSame(s.get(0).get(0), s.get(0).get(1));
        org.junit.jupiter.api.Assertions.assertSame(s.get(0).get(0), s.get(1).get(1));
        org.junit.jupiter.api.Assertions.assertSame(s.get(0).get(2), s.get(1).get(0));
        AddressStack raw = assertInstanceOf(AddressStack.class, s.get(2));
        assertEquals(List.of(0x402000L, 0x401000L, 0x7FFE0000ABCDL), List.of(raw.address(0), raw.address(1),
                raw.address(2)));
        List<Frame> whole = byId(UmdhSnapshotReader.read(p, UmdhOptions.defaults()).snapshot()).get("C3")
                .backtrace().frames();
        assertEquals(whole, raw);
        assertEquals(whole, List.copyOf(raw));
        assertEquals("app.exe", raw.get(0).module());
        assertEquals(0x2000L, raw.get(0).moduleOffset());
        assertNull(raw.get(2).module()); // outside every module
    }

    /** Read indexed, a log whose traces never print a stack (a fuzzer's find: no stack key was ever set). */
    @Test
    void indexedTracesWithoutAnyStack() throws IOException {
        Path p = tmp.resolve("nostacks.log");
        Files.writeString(p, "// UMDH: version 6.1.7650.0: Logtime 2026-03-02 09:00 - Machine=M - PID=1\n"
                + "30 bytes + 8 at 1000 by BackTraceA1\n40 bytes + 8 at 2000 by BackTraceB2\n");
        UmdhTraces ix = UmdhSnapshotReader.readIndexed(p, UmdhOptions.defaults(), f -> 1).traces();
        assertEquals(2, ix.size());
        int b2 = byAppearance(ix)[1];
        assertEquals("B2", ix.id(b2));
        assertEquals(3, ix.appearance(b2)); // its record's line
        assertEquals(0x40, ix.bytes(b2));
        assertEquals(false, ix.hasStack(0));
        assertEquals(List.of(List.of(), List.of()), ix.stacks(new int[] {0, 1}, null));
    }

    @Test
    void realWin7Wow64SnapshotFromTheCorpus() throws IOException {
        UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.corpus("umdh/pyumdh_snapshot_v1_win7wow64.log"),
                UmdhOptions.defaults());
        Snapshot s = log.snapshot();
        assertEquals("6.1.7650.0", log.header().umdhVersion());
        assertEquals("HCE-C2SFLQ1", log.header().machine());
        assertEquals(7696L, s.processId());
        assertEquals("6.1", log.header().osVersion());
        assertEquals(Instant.parse("2012-04-30T12:09:00Z"), s.time());
        assertEquals(17, s.modules().modules().size());
        assertEquals("app.exe", s.processName());
        assertEquals(2, log.heaps(), "one heap with records, one empty");
        assertEquals(9, log.records());
        assertEquals(List.of(), s.problems());
        Map<String, BacktraceAggregate> t = byId(s);
        assertEquals(5, t.size());
        assertTrace(t.get("18D0A0D0"), 0x64, 1, 0x1C, 32);
        assertTrace(t.get("1AF06BFC"), 0x68 + 0x62, 2, 0x18 + 0x1E, 32); // second record repeats the trace, no stack
        assertTrace(t.get("1AF07D3C"), 0x66 + 0x66 + 0x68, 3, 0x1A + 0x1A + 0x18, 0); // stack never printed
        assertTrace(t.get("1AF083B4"), 0x68 + 0x68, 2, 0x18 + 0x18, 0);
        assertTrace(t.get("1AF0B99C"), 0x64, 1, 0x1C, 32);
        Frame top = t.get("18D0A0D0").backtrace().frames().get(0);
        assertEquals(0x776CDD82L, top.address());
        assertEquals("ntdll.dll", top.module());
        assertEquals(0x7DD82L, top.moduleOffset());
        Frame app = t.get("18D0A0D0").backtrace().frames().get(16); // 40C8EE in D:\blah\blah\app.exe
        assertEquals("app.exe", app.module());
        assertEquals(0xC8EEL, app.moduleOffset());
        Frame unknown = t.get("18D0A0D0").backtrace().frames().get(8); // 60AC5247: no module holds it
        assertNull(unknown.module());
        // the same address is one Frame object in every stack that has it
        assertTrue(top == t.get("1AF0B99C").backtrace().frames().get(0));
    }

    @Test
    void handWrittenWin7SnapshotWithEveryRecordShape() throws IOException {
        UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.testdata("leaky_1.log"), UmdhOptions.defaults());
        Map<String, BacktraceAggregate> t = byId(log.snapshot());
        assertEquals(List.of(), log.snapshot().problems());
        assertTrace(t.get("18D0A0D0"), 0x80, 2, 0x30, 7);
        assertTrace(t.get("1AF06BFC"), 0x100, 1, 0x20, 7);
        assertTrace(t.get("1AF07D3C"), 0x180, 3, 0x48, 7);
        assertTrace(t.get("1AF0B99C"), 0x10, 1, 0x10, 0);
        Frame insert = t.get("18D0A0D0").backtrace().frames().get(3);
        assertEquals("leaky.exe", insert.module());
        assertEquals(0x1234L, insert.moduleOffset());
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), log.snapshot().time());
    }

    @Test
    void win10X64WithCrlfAndSymbolicFrames() throws IOException {
        UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.testdata("win10_x64_crlf.log"), UmdhOptions.defaults());
        assertEquals(List.of(), log.snapshot().problems());
        Map<String, BacktraceAggregate> t = byId(log.snapshot());
        assertTrace(t.get("EDD4EEA6"), 0x60, 2, 0x60, 7);
        Frame f = t.get("EDD4EEA6").backtrace().frames().get(3);
        assertEquals(0x7FF6C0E11A3FL, f.address());
        assertEquals("svc.exe", f.module());
        assertEquals(0x1A3FL, f.moduleOffset());
        assertTrace(t.get("5B0C21F4"), 0x1000, 1, 0x40, 6);
        Frame sym = t.get("5B0C21F4").backtrace().frames().get(3);
        assertEquals("svc", sym.module());
        assertEquals("Session::Open", sym.function());
        assertEquals(0x5FL, sym.functionOffset());
        assertEquals("c:\\src\\svc\\session.cpp", sym.sourceFile());
        assertEquals(88, sym.sourceLine());
        assertEquals("BaseThreadInitThunk", t.get("5B0C21F4").backtrace().frames().get(5).function());
    }

    @Test
    void xpEraSummaryRecordsWithFramesWithoutTab() throws IOException {
        UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.testdata("xp_summary.log"), UmdhOptions.defaults());
        assertEquals(List.of(), log.snapshot().problems());
        Map<String, BacktraceAggregate> t = byId(log.snapshot());
        assertTrace(t.get("00B53"), 0x5320, 0x14, 0x14 * 8, 7);
        assertEquals("LeakyFunc", t.get("00B53").backtrace().frames().get(5).function());
        assertEquals("operator new", t.get("00B53").backtrace().frames().get(4).function());
        assertTrace(t.get("00B54"), 0x400, 1, 0, 2);
    }

    @Test
    void hogsWithoutHeapMarkersAndNoFinalNewline() throws IOException {
        UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.testdata("hogs_only_no_final_newline.log"),
                UmdhOptions.defaults());
        assertEquals(List.of(), log.snapshot().problems());
        Map<String, BacktraceAggregate> t = byId(log.snapshot());
        assertTrace(t.get("1"), 2, 2, 0, 2);
        assertTrace(t.get("2"), 2, 1, 0, 1);
        assertEquals(0, log.heaps());
    }

    /** {@code Alias} lines open more stacks of the same trace (pyumdh's Win7 x64 log of a 32-bit process). */
    @Test
    void aliasStacksAreKeptBesideTheTracesOwnStack() throws IOException {
        UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.testdata("wow64_aliases_1.log"),
                UmdhOptions.defaults().withStrict(true));
        assertEquals(List.of(), log.snapshot().problems());
        Map<String, BacktraceAggregate> t = byId(log.snapshot());
        BacktraceAggregate leak = t.get("94C4");
        assertTrace(leak, 2 * 0x58, 2, 2 * 0x10, 7); // the trace's own stack only: 3 heap frames, 2 app, 2 thread start
        assertEquals(0x1234L, leak.backtrace().frames().get(3).moduleOffset());
        assertEquals(0x14C2L, leak.backtrace().frames().get(4).moduleOffset());
        List<List<Frame>> aliases = leak.backtrace().aliases();
        assertEquals(2, aliases.size());
        assertEquals(8, aliases.get(0).size());
        assertEquals(0x401419L, aliases.get(0).get(4).address());
        assertEquals("leaky.exe", aliases.get(0).get(4).module());
        assertEquals(0x1419L, aliases.get(0).get(4).moduleOffset());
        assertEquals(List.of(0x776CDD82L, 0x4013A7L, 0x4014C2L), aliases.get(1).stream().map(Frame::address).toList());
        assertEquals("ntdll.dll", aliases.get(1).get(0).module());
        assertTrue(aliases.get(1).get(0) == leak.backtrace().frames().get(0), "one Frame per address, aliases too");
        assertTrace(t.get("94D0"), 0x100, 1, 0x20, 7);
        assertEquals(List.of(), t.get("94D0").backtrace().aliases());
    }

    @Test
    void anEmptyAliasIsDroppedAndARepeatedTraceKeepsItsFirstStacks() throws IOException {
        String text = "*- - - - - - - - - - Start of data for heap @ 10 - - - - - - - - - -\n"
                + "8 bytes + 8 at 100 by BackTrace1\n\t401000\n\tAlias\n\n"
                + "8 bytes + 8 at 200 by BackTrace2\n\tAlias\n\t402000\n\n"
                + "8 bytes + 8 at 300 by BackTrace1\n\t409000\n\tAlias\n\t40A000\n\n"
                + "*- - - - - - - - - - End of data for heap @ 10 - - - - - - - - - -\n";
        UmdhSnapshotLog log = read(write("alias.log", text.getBytes(StandardCharsets.US_ASCII), false));
        assertEquals(List.of(), log.snapshot().problems());
        Map<String, BacktraceAggregate> t = byId(log.snapshot());
        assertEquals(List.of(0x401000L), t.get("1").backtrace().frames().stream().map(Frame::address).toList());
        assertEquals(List.of(), t.get("1").backtrace().aliases(), "empty alias dropped, repeat's lines skipped");
        assertEquals(List.of(), t.get("2").backtrace().frames(), "Alias first: the trace's own stack is empty");
        assertEquals(List.of(List.of(0x402000L)), t.get("2").backtrace().aliases().stream()
                .map(a -> a.stream().map(Frame::address).toList()).toList());
    }

    /** Every generated snapshot and the corpus's real one read without a warning, even under --strict. */
    @Test
    void everyShippedSnapshotReadsCleanUnderStrict() throws IOException {
        for (String name : List.of("leaky_1.log", "leaky_2.log", "leaky_3_restarted_crlf.log", "win10_x64_crlf.log",
                "xp_summary.log", "hogs_only_no_final_newline.log", "wow64_aliases_1.log", "wow64_aliases_2.log")) {
            UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.testdata(name),
                    UmdhOptions.defaults().withStrict(true));
            assertEquals(List.of(), log.snapshot().problems(), name);
        }
        UmdhSnapshotLog real = UmdhSnapshotReader.read(TestFiles.corpus("umdh/pyumdh_snapshot_v1_win7wow64.log"),
                UmdhOptions.defaults().withStrict(true));
        assertEquals(9, real.records());
    }

    @Test
    void restartedProcessCrlf() throws IOException {
        UmdhSnapshotLog log = UmdhSnapshotReader.read(TestFiles.testdata("leaky_3_restarted_crlf.log"),
                UmdhOptions.defaults());
        Map<String, BacktraceAggregate> t = byId(log.snapshot());
        assertTrace(t.get("2B11C0DE"), 7 * 0x40, 7, 7 * 0x18, 7);
        assertEquals(0x1D1234L, t.get("2B11C0DE").backtrace().frames().get(3).address());
        assertEquals(0x1234L, t.get("2B11C0DE").backtrace().frames().get(3).moduleOffset());
    }

    /** PowerShell's {@code >} writes UTF-16LE with a BOM; some tools write it without one; UTF-8 with a BOM. */
    @Test
    void utf16AndBomVariantsReadTheSame() throws IOException {
        String text = Files.readString(TestFiles.testdata("leaky_1.log"), StandardCharsets.ISO_8859_1)
                .replace("\n", "\r\n").replace("C:\\src\\leaky", "C:\\src\\läky");
        Snapshot plain = read(write("plain.log", text.getBytes(StandardCharsets.UTF_8), false)).snapshot();
        UmdhSnapshotLog le = read(write("le.log", text.getBytes(StandardCharsets.UTF_16LE), true, 0xFF, 0xFE));
        UmdhSnapshotLog leNoBom = read(write("le-nobom.log", text.getBytes(StandardCharsets.UTF_16LE), false));
        UmdhSnapshotLog be = read(write("be.log", text.getBytes(StandardCharsets.UTF_16BE), true, 0xFE, 0xFF));
        UmdhSnapshotLog u8 = read(write("u8.log", text.getBytes(StandardCharsets.UTF_8), true, 0xEF, 0xBB, 0xBF));
        assertEquals("UTF-16LE", le.encoding());
        assertEquals("UTF-16LE", leNoBom.encoding());
        assertEquals("UTF-16BE", be.encoding());
        assertEquals("UTF-8", u8.encoding());
        for (UmdhSnapshotLog l : List.of(le, leNoBom, be, u8)) {
            assertEquals(List.of(), l.snapshot().problems());
            assertEquals(plain.aggregates().toString(), l.snapshot().aggregates().toString());
            assertEquals("C:\\src\\läky\\Release\\leaky.exe", l.snapshot().modules().modules().get(0).path());
        }
    }

    @Test
    void ansiPathsDecodeInTheGivenCodePage() throws IOException {
        String text = Files.readString(TestFiles.testdata("leaky_1.log"), StandardCharsets.ISO_8859_1)
                .replace("C:\\src\\leaky", "C:\\src\\Проект");
        Path p = write("cp1251.log", text.getBytes(java.nio.charset.Charset.forName("windows-1251")), false);
        UmdhSnapshotLog l = UmdhSnapshotReader.read(p,
                UmdhOptions.defaults().withAnsiCharset(java.nio.charset.Charset.forName("windows-1251")));
        assertEquals("C:\\src\\Проект\\Release\\leaky.exe", l.snapshot().modules().modules().get(0).path());
    }

    private UmdhSnapshotLog read(Path p) throws IOException {
        return UmdhSnapshotReader.read(p, UmdhOptions.defaults());
    }

    private Path write(String name, byte[] body, boolean bom, int... bomBytes) throws IOException {
        byte[] out = new byte[body.length + (bom ? bomBytes.length : 0)];
        for (int i = 0; bom && i < bomBytes.length; i++) {
            out[i] = (byte) bomBytes[i];
        }
        System.arraycopy(body, 0, out, bom ? bomBytes.length : 0, body.length);
        Path p = tmp.resolve(name);
        Files.write(p, out);
        return p;
    }

    @Test
    void aNulInAnIdsBytesIsFoundWordAtATime() {
        // fastRecord's id test: a NUL among the first len bytes of the word, never one in the zero padding past
        java.util.Random r = new java.util.Random(11);
        for (int round = 0; round < 20_000; round++) {
            int len = 1 + r.nextInt(8);
            long x = 0;
            for (int i = 0; i < len; i++) {
                x |= (long) (1 + r.nextInt(255)) << (i * 8);
            }
            int nul = r.nextInt(len + 2) - 1; // -1 or len..: no NUL in the id
            if (nul >= 0 && nul < len) {
                x &= ~(0xFFL << (nul * 8));
            }
            boolean naive = false;
            for (int i = 0; i < len; i++) {
                naive |= ((x >>> (i * 8)) & 0xFF) == 0;
            }
            assertEquals(naive, UmdhSnapshotReader.hasZeroWithin(x, len), Long.toHexString(x) + " len " + len);
        }
    }

    /** The trace numbers of an indexed read in the order the traces first appear in the log. */
    static int[] byAppearance(UmdhTraces ix) {
        return java.util.stream.IntStream.range(0, ix.size()).boxed()
                .sorted(java.util.Comparator.comparingLong(ix::appearance)).mapToInt(Integer::intValue).toArray();
    }
}
