package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Frame;

class UmdhCompareReaderTest {
    @TempDir
    Path tmp;

    @Test
    void hexAndDecimalComparesReadToTheSameNumbers() throws IOException {
        UmdhCompareLog hex = UmdhCompareReader.read(TestFiles.testdata("compare_hex.txt"), UmdhOptions.defaults());
        UmdhCompareLog dec = UmdhCompareReader.read(TestFiles.testdata("compare_decimal.txt"), UmdhOptions.defaults());
        assertEquals(16, hex.radix());
        assertEquals(10, dec.radix(), "192 = 320 - 128 holds in decimal only");
        assertTrue(hex.radixDetected() && dec.radixDetected());
        for (UmdhCompareLog l : List.of(hex, dec)) {
            assertEquals(List.of(), l.problems());
            assertEquals(3, l.entries().size());
            CompareEntry leak = l.entries().get(0);
            assertEquals("18D0A0D0", leak.traceId());
            assertEquals(128, leak.oldBytes());
            assertEquals(320, leak.newBytes());
            assertEquals(2L, leak.oldCount());
            assertEquals(5L, leak.newCount());
            assertEquals(7, leak.backtrace().frames().size());
            Frame malloc = leak.backtrace().frames().get(2);
            assertEquals("MSVCR90", malloc.module());
            assertEquals("malloc", malloc.function());
            assertEquals(0x79L, malloc.functionOffset());
            assertEquals("f:\\dd\\vctools\\crt_bld\\self_x86\\crt\\src\\malloc.c", malloc.sourceFile());
            assertEquals(163, malloc.sourceLine());
            assertEquals("LeakyCache::Insert", leak.backtrace().frames().get(3).function());
            CompareEntry shrink = l.entries().get(2);
            assertEquals(384, shrink.oldBytes());
            assertEquals(128, shrink.newBytes());
            assertEquals(3L, shrink.oldCount());
            assertEquals(1L, shrink.newCount());
            assertEquals(-32L, l.totalRequested());
            assertEquals(-24L, l.totalOverhead());
        }
    }

    /** leakdiff writes a trace's alias stacks after {@code <TAB>Alias}, as snapshot logs hold them; read back. */
    @Test
    void aliasStacksReadBackAsAliases() throws IOException {
        Path p = tmp.resolve("aliases.txt");
        Files.writeString(p, "+      58 (    108 -      b0)      3 allocs\tBackTrace94C4\n"
                + "+       1 (      3 -       2)\tBackTrace94C4\tallocations\n\n"
                + "\tntdll+7DD82\n\tleaky!main+42\n\tAlias\n\tntdll+7DD82\n\tleaky!Session::Open()+19\n"
                + "\tAlias\n\tleaky+13A7\n\n"
                + "Total increase ==     58 requested +     10 overhead =     68\n");
        UmdhCompareLog l = UmdhCompareReader.read(p, UmdhOptions.defaults().withStrict(true));
        assertEquals(List.of(), l.problems());
        var bt = l.entries().get(0).backtrace();
        assertEquals(List.of("ntdll+0x7dd82", "leaky!main+0x42"), bt.frames().stream().map(Frame::describe).toList());
        assertEquals(2, bt.aliases().size());
        assertEquals("Session::Open()", bt.aliases().get(0).get(1).function());
        assertEquals(0x13A7L, bt.aliases().get(1).get(0).moduleOffset());
    }

    @Test
    void xpCompareWithTheOldTotal() throws IOException {
        UmdhCompareLog l = UmdhCompareReader.read(TestFiles.testdata("compare_xp_old_total.txt"), UmdhOptions.defaults());
        assertEquals(List.of(), l.problems());
        CompareEntry e = l.entries().get(0);
        assertEquals("00053", e.traceId());
        assertEquals(0x9df0, e.oldBytes());
        assertEquals(0xf110, e.newBytes());
        assertEquals(0x3aL, e.newCount());
        assertEquals(null, e.oldCount());
        assertEquals(3, e.backtrace().frames().size());
        assertEquals(0x5320L, l.totalRequested());
        assertEquals(null, l.totalOverhead());
    }

    @Test
    void ambiguousNumbersAreReadAsHexAndSaidSo() throws IOException {
        Path p = tmp.resolve("c.txt");
        Files.writeString(p, "+      10 (     30 -      20)      1 allocs\tBackTrace01\n"
                + "Total increase ==     10 requested +      0 overhead =     10\n");
        UmdhCompareLog l = UmdhCompareReader.read(p, UmdhOptions.defaults());
        assertFalse(l.radixDetected());
        assertEquals(16, l.radix());
        assertEquals(0x30, l.entries().get(0).newBytes());
        UmdhCompareLog d = UmdhCompareReader.read(p, UmdhOptions.defaults().withCompareRadix(10));
        assertEquals(30, d.entries().get(0).newBytes());
    }

    @Test
    void kindIsDetectedFromContent() throws IOException {
        assertEquals(UmdhLogKind.COMPARE, kind(TestFiles.testdata("compare_hex.txt")));
        assertEquals(UmdhLogKind.COMPARE, kind(TestFiles.testdata("compare_xp_old_total.txt")));
        for (String s : List.of("leaky_1.log", "leaky_3_restarted_crlf.log", "win10_x64_crlf.log", "xp_summary.log",
                "hogs_only_no_final_newline.log")) {
            assertEquals(UmdhLogKind.SNAPSHOT, kind(TestFiles.testdata(s)), s);
        }
        Path other = tmp.resolve("notes.txt");
        Files.writeString(other, "hello\nworld\n");
        assertEquals(null, UmdhLogKind.detect(other, 1 << 20).orElse(null));
    }

    private static UmdhLogKind kind(Path p) throws IOException {
        return UmdhLogKind.detect(p, 1 << 20).orElseThrow();
    }
}
