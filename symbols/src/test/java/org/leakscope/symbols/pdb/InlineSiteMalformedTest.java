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
 * resolve, and nothing throws (the test JVM runs with -Xmx256m). Also a ChangeFile annotation, valid but absent
 * from the corpus. The module stream is found and patched by this test's own reading of the DBI module list, the
 * symbol records and the inlinee lines, not by the production reader.
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

    /** A module of the DBI list: its position, symbol stream, and the sizes of its symbols and C13 subsections. */
    private record Mod(int index, int stream, int symbolBytes, int c11Bytes, int c13Bytes) {
    }

    private List<Mod> modules() {
        ByteBuffer dbi = le(stream(good, DbiStream.STREAM));
        int end = DbiStream.HEADER + dbi.getInt(24);
        List<Mod> out = new ArrayList<>();
        for (int at = DbiStream.HEADER, i = 0; at + 64 <= end; i++) {
            out.add(new Mod(i, dbi.getShort(at + 34) & 0xFFFF, dbi.getInt(at + 36), dbi.getInt(at + 40),
                    dbi.getInt(at + 44)));
            int p = at + 64;
            for (int z = 0; z < 2; z++) {
                while (dbi.get(p) != 0) {
                    p++;
                }
                p++;
            }
            at = (p + 3) & ~3;
        }
        return out;
    }

    /** A module's DEBUG_S_INLINEELINES entries (signature 0): inlinee id, file checksum offset, start line. */
    private List<long[]> inlineeLines(Mod m) {
        ByteBuffer b = le(stream(good, m.stream()));
        List<long[]> out = new ArrayList<>();
        int at = m.symbolBytes() + m.c11Bytes();
        int end = at + m.c13Bytes();
        while (at + 8 <= end) {
            int kind = b.getInt(at);
            int len = b.getInt(at + 4);
            if (kind == 0xf6 && b.getInt(at + 8) == 0) {
                for (int e = at + 12; e + 12 <= at + 8 + len; e += 12) {
                    out.add(new long[] {b.getInt(e) & 0xFFFF_FFFFL, b.getInt(e + 4) & 0xFFFF_FFFFL, b.getInt(e + 8)});
                }
            }
            at += 8 + (len + 3) / 4 * 4;
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

    /**
     * A ChangeFile annotation (which the corpus does not use): the first top-level site of a module whose inlinees
     * come from several files gets annotations that switch to another inlinee's file and cover the procedure's
     * first 16 bytes. Its inlined call must then be in that file, named as llvm-pdbutil-14 {@code dump -il} names
     * the other inlinee's file, on the site's own inlinee's start line.
     */
    @Test
    void aChangeFileAnnotationMovesTheInlinedCallToThatFile() throws Exception {
        load();
        for (Mod mod : modules()) {
            if (mod.stream() == 0xFFFF) {
                continue;
            }
            List<long[]> inlinees = inlineeLines(mod);
            if (inlinees.stream().map(e -> e[1]).distinct().count() < 2) {
                continue;
            }
            ByteBuffer m = le(stream(good, mod.stream()));
            int proc = -1;
            for (int r = 4; r + 4 <= mod.symbolBytes(); r += 2 + (m.getShort(r) & 0xFFFF)) {
                int kind = m.getShort(r + 2) & 0xFFFF;
                if (kind == S_GPROC32 || kind == S_LPROC32) {
                    proc = r;
                }
                long inlinee = m.getInt(r + 12) & 0xFFFF_FFFFL;
                long[] own = inlinees.stream().filter(e -> e[0] == inlinee).findFirst().orElse(null);
                int annotations = (m.getShort(r) & 0xFFFF) - 14;
                if (kind != S_INLINESITE || m.getInt(r + 4) != proc || own == null || annotations < 6) {
                    continue;
                }
                long[] other = inlinees.stream().filter(e -> e[1] != own[1]).findFirst().orElseThrow();
                byte[] a = new byte[annotations];
                a[0] = 0x05; // ChangeFile, a two-byte operand: the checksum offset
                a[1] = (byte) (0x80 | other[1] >> 8);
                a[2] = (byte) other[1];
                a[3] = 0x0C; // ChangeCodeLengthAndCodeOffset: length 0x10 at code offset 0
                a[4] = 0x10;
                a[5] = 0x00;
                byte[] f = good.clone();
                patch(f, mod.stream(), r + 16, a);
                long rva = TEXT + (m.getInt(proc + 32) & 0xFFFF_FFFFL) + 5;
                try (PdbSymbols s = open(f, "changefile")) {
                    List<InlinedCall> calls = s.lookup(rva).orElseThrow().inlined();
                    assertEquals(1, calls.size(), calls.toString());
                    String moved = pdbutilFile(mod.index(), other[0]);
                    assertTrue(!moved.equals(pdbutilFile(mod.index(), inlinee)), moved);
                    assertEquals(moved, calls.get(0).sourceFile());
                    assertEquals((int) own[2], calls.get(0).sourceLine());
                    assertEquals(List.of(), s.problems());
                }
                return;
            }
        }
        throw new AssertionError("no module with a top-level site and inlinees from two files");
    }

    /** The source file llvm-pdbutil-14 {@code dump -il} gives for {@code inlinee} of module {@code index}. */
    private static String pdbutilFile(int index, long inlinee) throws Exception {
        Path pdb = Required.corpusFile("pdb/bp_dump_syms_regtest64.pdb");
        Process p;
        try {
            p = new ProcessBuilder("llvm-pdbutil-14", "dump", "-il", pdb.toString()).redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            Required.that(false, "llvm-pdbutil-14 is not installed (apt-get install llvm-14)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        String module = String.format("Mod %04d |", index);
        String entry = String.format("0x%X |", inlinee);
        boolean in = false;
        for (String l : out.lines().toList()) {
            if (l.startsWith("Mod ")) {
                in = l.startsWith(module);
            } else if (in && l.strip().startsWith(entry)) {
                String file = l.substring(l.lastIndexOf('|') + 1).strip();
                return file.substring(0, file.lastIndexOf(" (MD5: "));
            }
        }
        throw new AssertionError("llvm-pdbutil names no file for inlinee " + entry + " in " + module);
    }
}
