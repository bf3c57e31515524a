package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * Damaged x64 images, generated from the corpus' MSVC exe: truncations, bit flips, absurd counts, offsets and
 * RVAs in the debug directory, the exception directory, .pdata and .xdata, and chained unwind records that loop
 * or go too deep. Each gives an {@link InputFormatException} (broken headers) or a result with a recorded
 * problem; never another exception, never a hang. The layout is found here with a few lines of its own, not with
 * the reader under test.
 */
class X64UnwindMalformedTest {
    private static final long TEXT = 0x1000;

    @TempDir
    Path tmp;

    private static byte[] original() throws IOException {
        return Files.readAllBytes(Required.corpusFile("pdb/moz_dump_syms_regtest64.exe"));
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private Path write(byte[] b) throws IOException {
        Path p = tmp.resolve("damaged.exe");
        Files.write(p, b);
        return p;
    }

    /** Everything a user of the image information and the unwind data asks for, reading damaged bytes. */
    private record Outcome(int functions, int cfi, List<Problem> problems, InputFormatException error) {
    }

    private Outcome readAll(byte[] b) throws IOException {
        Path p = write(b);
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                PeImageInfo.read(p);
                try (X64Unwind u = X64Unwind.open(p)) {
                    List<SymbolData.StackCfi> cfi = u.stackCfi();
                    for (int i = 0; i < u.functions(); i++) {
                        X64RuntimeFunction f = u.function(i);
                        u.at(f.begin()).ifPresent(prog -> prog.codesInEffect(f.begin() + 3));
                        u.at(f.end() - 1);
                    }
                    return new Outcome(u.functions(), cfi.size(), u.problems(), null);
                }
            } catch (InputFormatException e) {
                assertEquals(p.toString(), e.source());
                assertTrue(e.offset() != null && e.offset() >= 0, e.getMessage());
                return new Outcome(0, 0, List.of(), e);
            }
        });
    }

    @Test
    void theUndamagedImageHasNoProblems() throws IOException {
        Outcome o = readAll(original());
        assertEquals(195, o.functions());
        assertEquals(195, o.cfi());
        assertEquals(List.of(), o.problems());
    }

    @Test
    void truncatedAnywhere() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        int errors = 0;
        int partial = 0;
        int[] dense = {l.sections(), l.pdata(), l.xdata(0), l.debugDirectory()};
        for (int len = 0; len < b.length; len += len < 1024 ? 7 : 173) {
            Outcome o = readAll(Arrays.copyOf(b, len));
            errors += o.error() != null ? 1 : 0;
            partial += o.error() == null && !o.problems().isEmpty() ? 1 : 0;
        }
        for (int at : dense) {
            for (int len = Math.max(0, at - 40); len < Math.min(b.length, at + 40); len++) {
                readAll(Arrays.copyOf(b, len));
            }
        }
        assertTrue(errors > 0 && partial > 0, errors + " header errors, " + partial + " partial reads");
        System.out.println("truncations: " + errors + " header errors, " + partial + " reads with problems");
    }

    @Test
    void bitFlips() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        Random r = new Random(15);
        int[][] regions = {{0, 0x400}, {l.pdata(), 0x924}, {l.xdata(0) - 0x400, 0x1000}, {l.debugDirectory(), 28 * 6},
            {0, b.length}};
        int withProblems = 0;
        for (int n = 0; n < 3000; n++) {
            int[] region = regions[n % regions.length];
            byte[] d = b.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = region[0] + r.nextInt(region[1]);
                d[at] ^= (byte) (1 << r.nextInt(8));
            }
            Outcome o = readAll(d);
            withProblems += o.error() != null || !o.problems().isEmpty() ? 1 : 0;
        }
        assertTrue(withProblems > 100, withProblems + " of 3000 damaged images reported damage");
    }

    @Test
    void absurdDebugDirectory() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        byte[] size = b.clone();
        le(size).putInt(l.directory(6) + 4, 0xFFFF_FFF0); // 4 GB of debug entries
        assertEquals(null, readAll(size).error());
        PeImageInfo info = PeImageInfo.read(write(size));
        assertEquals("72E103A85CB249078B76B2E7C06257B13", info.debugId(), "the first 64 entries are still read");

        byte[] rva = b.clone();
        le(rva).putInt(l.directory(6), 0x7FFF_0000);
        info = PeImageInfo.read(write(rva));
        assertEquals(null, info.debugId());
        assertEquals(1, info.problems().size(), info.problems().toString());
        assertTrue(info.problems().get(0).message().contains("debug directory"), info.problems().toString());

        int cv = l.debugDirectory(); // the first entry is the CodeView one
        byte[] len = b.clone();
        le(len).putInt(cv + 16, 0x7FFF_FFFF);
        info = PeImageInfo.read(write(len));
        assertEquals(null, info.codeView());
        assertTrue(info.problems().get(0).message().contains("CodeView record of 4 to"), info.problems().toString());
        assertEquals(info.problems().get(0).offset(), (long) cv + 16);

        byte[] ofs = b.clone();
        le(ofs).putInt(cv + 24, b.length - 10);
        info = PeImageInfo.read(write(ofs));
        assertEquals(null, info.codeView());
        assertFalse(info.debugEntries().isEmpty(), "the other entries are still listed");
    }

    @Test
    void absurdExceptionDirectory() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        for (int[] dir : new int[][] {{0x18000, 0xFFFF_FFF4}, {0x7FFF_0000, 0x924}, {0xFFFF_FFF0, 12}, {0x18000, 13}}) {
            byte[] d = b.clone();
            le(d).putInt(l.directory(3), dir[0]).putInt(l.directory(3) + 4, dir[1]);
            Outcome o = readAll(d);
            assertEquals(1, o.problems().size(), o.problems().toString());
            assertEquals((long) l.directory(3), o.problems().get(0).offset());
        }
    }

    @Test
    void absurdRuntimeFunctions() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        byte[] unwind = b.clone();
        le(unwind).putInt(l.pdata() + 8, 0xFFFF_FFF0); // entry 0's UNWIND_INFO nowhere
        Outcome o = readAll(unwind);
        assertEquals(195, o.functions());
        assertEquals(194, o.cfi());
        assertEquals((long) l.pdata() + 8, o.problems().get(0).offset(), o.problems().toString());

        byte[] inverted = b.clone();
        le(inverted).putInt(l.pdata() + 12 + 4, 0x10); // entry 1 ends before it begins
        o = readAll(inverted);
        assertEquals(194, o.functions());
        assertEquals((long) l.pdata() + 12, o.problems().get(0).offset());

        byte[] empty = b.clone();
        le(empty).putInt(l.pdata() + 12 + 4, le(b).getInt(l.pdata() + 12)); // entry 1 ends where it begins
        o = readAll(empty);
        assertEquals(194, o.functions());
        assertEquals(List.of(), o.problems(), "an empty entry covers nothing: not damage");

        byte[] unsorted = b.clone();
        byte[] first = Arrays.copyOfRange(b, l.pdata(), l.pdata() + 12);
        System.arraycopy(b, l.pdata() + 12, unsorted, l.pdata(), 12);
        System.arraycopy(first, 0, unsorted, l.pdata() + 12, 12);
        try (X64Unwind u = X64Unwind.open(write(unsorted))) {
            assertEquals(0x1010, u.at(0x1010).orElseThrow().function().begin(), "found although out of order");
            assertEquals(0x10d0, u.at(0x10d5).orElseThrow().function().begin());
        }
    }

    @Test
    void damagedUnwindInfo() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        int x = l.xdata(3); // 0x1180: 4 slots, SAVE_NONVOL rbx, ALLOC_SMALL, PUSH_NONVOL rdi
        String[][] cases = {
            {"0", "7", "UNWIND_INFO version 1 or 2"},           // version 7
            {"5", "0x0F", "an unwind operation code 0 to 10"},   // first slot's op 15
            {"5", "0x51", "UWOP_ALLOC_LARGE with info 0 or 1"},
            {"5", "0x2A", "UWOP_PUSH_MACHFRAME with info 0 or 1"},
            {"2", "1", "operand slots are inside"},               // one slot: SAVE_NONVOL's operand is cut off
        };
        for (String[] c : cases) {
            byte[] d = b.clone();
            d[x + Integer.parseInt(c[0])] = (byte) (int) Integer.decode(c[1]);
            Outcome o = readAll(d);
            assertEquals(194, o.cfi(), c[2]);
            String all = o.problems().stream().map(Problem::message).collect(Collectors.joining("\n"));
            assertTrue(all.contains(c[2]), all);
            try (X64Unwind u = X64Unwind.open(write(d))) {
                assertTrue(u.at(0x1190).isEmpty(), c[2]);
                assertTrue(u.at(0x11c0).isPresent(), "the next function is still unwound");
                u.at(0x1191);
                assertEquals(1, u.problems().size(), "recorded once, however often asked: " + u.problems());
            }
        }
        byte[] cut = b.clone(); // 255 slots: the record runs past .rdata's end when it is near it; here into data
        cut[x + 2] = (byte) 255;
        readAll(cut);
    }

    /** A chain of {@code n} UNWIND_INFO records written at the start of .text, each chaining to the next. */
    private static void chain(byte[] d, PeTestLayout l, int n, int loopTo) {
        int at = l.fileOffset(TEXT);
        for (int i = 0; i < n; i++) {
            int rec = at + 16 * i;
            d[rec] = (byte) (1 | 4 << 3); // version 1, UNW_FLAG_CHAININFO
            d[rec + 1] = 0;
            d[rec + 2] = 0; // no slots: the chained entry follows at once
            d[rec + 3] = 0;
            long next = i + 1 < n ? TEXT + 16L * (i + 1) : TEXT + 16L * loopTo;
            le(d).putInt(rec + 4, 0x1000).putInt(rec + 8, 0x1100).putInt(rec + 12, (int) next);
        }
    }

    @Test
    void chainedUnwindInfoThatLoops() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        for (int[] c : new int[][] {{1, 0}, {2, 0}, {5, 3}}) {
            byte[] d = b.clone();
            chain(d, l, c[0], c[1]);
            le(d).putInt(l.pdata() + 8, (int) TEXT);
            Outcome o = readAll(d);
            assertEquals(194, o.cfi());
            assertTrue(o.problems().get(0).message().contains("a loop back to RVA 0x" + Long.toHexString(TEXT
                    + 16L * c[1])), o.problems().toString());
        }
    }

    @Test
    void chainedUnwindInfoTooDeep() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        byte[] d = b.clone();
        chain(d, l, 40, 39); // 40 records, the last chaining to itself
        le(d).putInt(l.pdata() + 8, (int) TEXT);
        Outcome o = readAll(d);
        assertTrue(o.problems().get(0).message().contains("at most " + X64Unwind.MAX_CHAIN + " chained"),
                o.problems().toString());

        byte[] ok = b.clone(); // a chain of 3 that ends: the primary's codes after the chained records'
        chain(ok, l, 3, 0);
        le(ok).putInt(l.fileOffset(TEXT) + 32 + 12, le(b).getInt(l.pdata() + 8 + 12 * 3)); // -> 0x1180's record
        ok[l.fileOffset(TEXT) + 32] = (byte) (1 | 4 << 3);
        le(ok).putInt(l.pdata() + 8, (int) TEXT);
        try (X64Unwind u = X64Unwind.open(write(ok))) {
            X64UnwindProgram p = u.at(0x1010).orElseThrow();
            assertEquals(4, p.chain().size());
            assertEquals(".cfa: $rsp 48 + $rdi: .cfa 16 - ^ $rbx: .cfa 0 - ^ .ra: .cfa 8 - ^", p.stackCfiRules());
            assertEquals(List.of(), u.problems());
        }
    }

    @Test
    void indirectEntryPointingAtItself() throws IOException {
        byte[] b = original();
        PeTestLayout l = PeTestLayout.of(b);
        byte[] d = b.clone();
        le(d).putInt(l.pdata() + 8, 0x18000 + 1); // RUNTIME_FUNCTION_INDIRECT to entry 0, which is itself
        Outcome o = readAll(d);
        assertEquals(194, o.cfi());
        assertTrue(o.problems().get(0).message().contains("loop back"), o.problems().toString());
    }

    @Test
    void notAPeImage() throws IOException {
        Path p = write("MZ but nothing else".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThrows(InputFormatException.class, () -> X64Unwind.open(p));
        assertThrows(InputFormatException.class, () -> PeImageInfo.read(p));
        try {
            X64Unwind.open(p);
            fail();
        } catch (InputFormatException e) {
            assertEquals(p.toString(), e.source());
        }
    }
}
