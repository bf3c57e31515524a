package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InlinedCall;
import org.leakscope.model.Problem;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.testing.Required;

/**
 * Damaged inline sites in the corpus x64 PDB: annotations that run past their record, parent pointers that point
 * at the site itself or ahead of it, sites nested far deeper than any compiler nests them, and inlinee ids the
 * IPI stream does not hold. Each is a recorded problem; the module's other functions, lines and sites still
 * resolve, and nothing throws (the test JVM runs with -Xmx256m). The module stream is found and patched by this
 * test's own reading of the DBI module list and the symbol records, not by the production reader.
 */
class InlineSiteMalformedTest {
    private static final int S_GPROC32 = 0x1110;
    private static final int S_LPROC32 = 0x110f;
    private static final int S_INLINESITE = 0x114d;
    /** bp_dump_syms_regtest64.pdb's .text (section 1) starts at RVA 0x1000 (llvm-pdbutil dump -section-headers). */
    private static final long TEXT = 0x1000;

    @TempDir
    Path tmp;

    /** A symbol record of a module stream: its stream, offset, kind and length (of what follows the length). */
    private record Rec(int stream, int at, int kind, int len) {
    }

    private byte[] good;
    private PdbMalformedTest.Layout layout;

    private void load() throws Exception {
        good = Files.readAllBytes(Required.corpusFile("pdb/bp_dump_syms_regtest64.pdb"));
        layout = new PdbMalformedTest.Layout(good);
    }

    private byte[] stream(byte[] f, int s) {
        byte[] out = new byte[(int) layout.sizes[s]];
        for (int i = 0; i < out.length; i++) {
            out[i] = f[(int) layout.fileOffset(s, i)];
        }
        return out;
    }

    private void patch(byte[] f, int s, long at, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            f[(int) layout.fileOffset(s, at + i)] = bytes[i];
        }
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] u32(long v) {
        return le(new byte[4]).putInt((int) v).array();
    }

    /** Every symbol record of every module, from the DBI module list (64 fixed bytes, two names, aligned to 4). */
    private List<Rec> records() {
        ByteBuffer dbi = le(stream(good, DbiStream.STREAM));
        int end = DbiStream.HEADER + dbi.getInt(24);
        List<Rec> out = new ArrayList<>();
        for (int at = DbiStream.HEADER; at + 64 <= end;) {
            int s = dbi.getShort(at + 34) & 0xFFFF;
            int symbolBytes = dbi.getInt(at + 36);
            int p = at + 64;
            for (int z = 0; z < 2; z++) {
                while (dbi.get(p) != 0) {
                    p++;
                }
                p++;
            }
            at = (p + 3) & ~3;
            if (s == 0xFFFF) {
                continue;
            }
            ByteBuffer m = le(stream(good, s));
            for (int r = 4; r + 4 <= symbolBytes;) {
                int len = m.getShort(r) & 0xFFFF;
                out.add(new Rec(s, r, m.getShort(r + 2) & 0xFFFF, len));
                r += 2 + len;
            }
        }
        return out;
    }

    private PdbSymbols open(byte[] f, String name) throws Exception {
        Path p = tmp.resolve(name + ".pdb");
        Files.write(p, f);
        return PdbSymbols.open(p);
    }

    /** Looks up every address of the text section's first 64 KiB: nothing may throw. */
    private static void exercise(PdbSymbols s) {
        for (long rva = TEXT; rva < TEXT + 0x10000; rva += 7) {
            s.lookup(rva);
        }
    }

    private static String messages(PdbSymbols s) {
        return s.problems().stream().map(Problem::message).collect(Collectors.joining("\n"));
    }

    @Test
    void annotationsRunningPastTheirRecordDropTheSite() throws Exception {
        load();
        int damaged = 0;
        for (Rec r : records()) {
            if (r.kind() != S_INLINESITE) {
                continue;
            }
            // ChangeLineOffset pairs, then ChangeCodeOffset with a 4-byte operand's lead byte in the last byte
            int n = r.len() - 14;
            byte[] a = new byte[n];
            for (int i = 0; i < n; i++) {
                a[i] = (byte) (i % 2 == 0 ? 0x06 : 0x02);
            }
            a[n - 2] = 0x03;
            a[n - 1] = (byte) 0xC0;
            byte[] f = good.clone();
            patch(f, r.stream(), r.at() + 16, a);
            try (PdbSymbols s = open(f, "annotations")) {
                exercise(s);
                String m = messages(s);
                assertTrue(m.contains("bytes before offset " + (r.at() + 2 + r.len())), m);
                assertEquals(1, s.problems().size(), m);
                assertEquals(158 + 88, s.functions(), "the module's functions are all still there");
            }
            if (++damaged == 3) {
                break;
            }
        }
        assertEquals(3, damaged);
    }

    @Test
    void parentPointersAtTheSiteOrAheadOfItDropTheSite() throws Exception {
        load();
        List<Rec> sites = records().stream().filter(r -> r.kind() == S_INLINESITE).toList();
        for (long parent : new long[] {0, 1, 2}) {
            Rec r = sites.get(5);
            long value = parent == 0 ? r.at() : parent == 1 ? r.at() + 2 + r.len() : 0xFFFF_FFFFL;
            byte[] f = good.clone();
            patch(f, r.stream(), r.at() + 4, u32(value));
            try (PdbSymbols s = open(f, "parent")) {
                exercise(s);
                String m = messages(s);
                assertTrue(m.contains("expected a parent pointer to the procedure at"), m);
                assertTrue(m.contains("found " + value), m);
                assertEquals(1, s.problems().size(), m);
                assertEquals(158 + 88, s.functions()); // every function still there
            }
        }
    }

    /**
     * The body of the procedure with the most record bytes overwritten by a chain of sites, each inlined into
     * the one before and covering the procedure's first 16 bytes; one of them names an inlinee id past the IPI
     * stream. The chain is cut at {@link ModuleSymbols#MAX_INLINE_DEPTH}, the unnamed inlinee is a problem and
     * an unnamed call.
     */
    @Test
    void absurdlyDeepNestingIsCutAndUnknownInlineesAreUnnamed() throws Exception {
        load();
        List<Rec> all = records();
        Rec proc = null;
        int body = 0;
        for (Rec r : all) {
            if (r.kind() == S_GPROC32 || r.kind() == S_LPROC32) {
                int end = le(stream(good, r.stream())).getInt(r.at() + 8);
                if (end - (r.at() + 2 + r.len()) > body) {
                    proc = r;
                    body = end - (r.at() + 2 + r.len());
                }
            }
        }
        Rec site = all.stream().filter(r -> r.kind() == S_INLINESITE).findFirst().orElseThrow();
        ByteBuffer m = le(stream(good, proc.stream()));
        long inlinee = le(stream(good, site.stream())).getInt(site.at() + 12);
        long offset = m.getInt(proc.at() + 32) & 0xFFFF_FFFFL;
        assertEquals(1, m.getShort(proc.at() + 36), "the procedure is in .text");
        int n = (body - 4) / 20;
        assertTrue(n > ModuleSymbols.MAX_INLINE_DEPTH + 10, n + " sites fit");
        ByteBuffer chain = le(new byte[body]);
        int start = proc.at() + 2 + proc.len();
        long parent = proc.at();
        for (int i = 0; i < n; i++) {
            int at = start + 20 * i;
            chain.putShort((short) 18).putShort((short) S_INLINESITE).putInt((int) parent).putInt(start + body)
                    .putInt((int) (i == 3 ? 0x7FFF_FFF0L : inlinee))
                    .put(new byte[] {0x0C, 0x10, 0x00, 0x00}); // code 0, length 0x10
            parent = at;
        }
        chain.putShort((short) (body - 20 * n - 2)).putShort((short) 0x1111); // the rest: a record nobody reads
        byte[] f = good.clone();
        patch(f, proc.stream(), start, chain.array());
        try (PdbSymbols s = open(f, "deep")) {
            long rva = TEXT + offset + 5;
            SymbolHit hit = s.lookup(rva).orElseThrow();
            List<InlinedCall> calls = hit.inlined();
            assertEquals(ModuleSymbols.MAX_INLINE_DEPTH, calls.size());
            assertNull(calls.get(calls.size() - 4).function(), "the fourth site from the top names no function");
            assertTrue(calls.get(0).function() != null);
            exercise(s);
            String msg = messages(s);
            assertTrue(msg.contains("expected inline sites nested at most 64 deep"), msg);
            assertTrue(msg.contains("inlinee 0x7ffffff0"), msg);
            // one depth problem per module (the deeper sites are dropped with the first), one for the inlinee
            assertEquals(2, s.problems().size(), msg);
        }
    }
}
