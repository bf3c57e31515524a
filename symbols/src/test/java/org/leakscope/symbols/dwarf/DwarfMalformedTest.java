package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.testing.Required;

/**
 * Damaged DWARF (generated truncation, bit flips, absurd lengths, cycles, unterminated line programs) gives an
 * {@link InputFormatException} or a recorded problem and raw offsets: never another exception, a hang, or an
 * allocation the damage sized (the tests run under -Xmx256m).
 */
class DwarfMalformedTest {
    @TempDir
    Path dir;

    /** Everything a user's lookups and dumpsyms would touch; returns the problems it recorded. */
    private int exercise(byte[] bytes, String what) {
        Path f = dir.resolve("damaged");
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Files.write(f, bytes);
            try {
                DwarfSymbols d = DwarfSymbols.open(f);
                for (long a = 0; a < 0x1400; a += 1) {
                    d.lookup(a);
                    d.inlineFrames(a);
                }
                d.toSymbolData(true);
                d.toSymbolData(false, DumpSymsStyle.BREAKPAD);
                // each damage once, however often the lookups met it, and never more than the cap
                List<Problem> problems = d.problems();
                assertEquals(new HashSet<>(problems).size(), problems.size(), what);
                assertTrue(problems.size() <= DwarfSymbols.MAX_PROBLEMS, what);
                return problems.size();
            } catch (InputFormatException e) {
                return 1;
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(what + ": " + t, t);
            }
        }, what);
    }

    private static byte[][] inputs() throws Exception {
        return new byte[][] {new SyntheticDwarf(false, true, false).elf(), new SyntheticDwarf(true, false, true).elf(),
            Files.readAllBytes(Required.corpusFile("dwarf/moz_linux_basic.full"))};
    }

    @Test
    void truncationAnywhere() throws Exception {
        for (byte[] in : inputs()) {
            for (int cut = 0; cut < in.length; cut += Math.max(1, in.length / 400)) {
                exercise(Arrays.copyOf(in, cut), "cut at " + cut);
            }
        }
    }

    @Test
    void bitFlips() throws Exception {
        Random r = new Random(16);
        byte[][] all = inputs();
        for (int round = 0; round < 600; round++) {
            byte[] in = all[round % all.length];
            byte[] b = in.clone();
            int flips = 1 + r.nextInt(8);
            for (int i = 0; i < flips; i++) {
                int at = r.nextInt(b.length);
                b[at] ^= (byte) (1 << r.nextInt(8));
            }
            exercise(b, "round " + round);
        }
    }

    @Test
    void absurdLengthsInEveryDebugSection() throws Exception {
        SyntheticDwarf s = new SyntheticDwarf(false, true, false);
        for (long length : new long[] {0xfffffff0L, 0x7fffffffL, 0}) {
            for (int k = 0; k < 5; k++) {
                SyntheticDwarf t = new SyntheticDwarf(false, true, false);
                byte[] sec = switch (k) {
                    case 0 -> t.info;
                    case 1 -> t.line;
                    case 2 -> t.addr;
                    case 3 -> t.rnglists;
                    default -> t.strOffsets;
                };
                t.patch(sec, 0, length, 4);
                assertTrue(exercise(t.elf(), "length " + length + " in section " + k) > 0 || k >= 2,
                        "a problem recorded");
            }
        }
        // 64-bit DWARF claiming 2^62 bytes
        SyntheticDwarf t = new SyntheticDwarf(false, true, true);
        t.patch(t.info, 4, 1L << 62, 8);
        assertTrue(exercise(t.elf(), "2^62-byte unit") > 0);
        assertEquals(0, exercise(s.elf(), "undamaged"));
    }

    @Test
    void cyclicOriginReferenceIsAProblemNotAHang() throws Exception {
        SyntheticDwarf s = new SyntheticDwarf(false, true, false);
        int inlinedDie = s.originAt - 1;
        s.patch(s.info, s.originAt, inlinedDie, 4); // the inlined subroutine is its own origin
        Path f = dir.resolve("cycle");
        Files.write(f, s.elf());
        DwarfSymbols d = DwarfSymbols.open(f);
        List<InlineFrame> frames = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> d.inlineFrames(0x1019));
        assertEquals(List.of(new InlineFrame("<name omitted>", "/src/inc.h", 12)), frames);
        assertTrue(d.problems().stream().anyMatch(p -> p.message().contains("chain of more than 16 links")),
                d.problems().toString());
        assertEquals("ns::run()", d.lookup(0x1012).orElseThrow().function());
    }

    @Test
    void deepOrEndlessNestingEndsWithAnError() throws Exception {
        // every DIE a namespace with children and no terminators: the tree only ends with the unit
        SyntheticDwarf s = new SyntheticDwarf(false, true, false);
        byte[] info = s.info.clone();
        int first = s.runDie - 3; // the namespace DIE: code 2 and a 2-byte string index
        byte[] nested = new byte[first + 3 * 6000];
        System.arraycopy(info, 0, nested, 0, first);
        for (int at = first; at + 3 <= nested.length; at += 3) {
            nested[at] = 2;
        }
        s.info = nested;
        s.patch(s.info, 0, nested.length - 4, 4);
        Path f = dir.resolve("nested");
        Files.write(f, s.elf());
        DwarfSymbols d = DwarfSymbols.open(f);
        assertFalse(d.lookup(0x1012).isPresent() && d.lookup(0x1012).get().function() != null);
        assertTrue(d.problems().stream().anyMatch(p -> p.message().contains("nested at most 4096 deep")),
                d.problems().toString());
    }

    @Test
    void lineProgramWithoutEndSequenceStopsAtItsEnd() throws Exception {
        SyntheticDwarf s = new SyntheticDwarf(false, true, false);
        int end = s.line.length - 3; // 00 01 01: DW_LNE_end_sequence
        assertEquals(List.of(0, 1, 1), List.of((int) s.line[end], (int) s.line[end + 1], (int) s.line[end + 2]));
        s.line[end] = 1; // three DW_LNS_copy instead
        s.line[end + 1] = 1;
        s.line[end + 2] = 1;
        Path f = dir.resolve("endless");
        Files.write(f, s.elf());
        DwarfSymbols d = DwarfSymbols.open(f);
        assertEquals(10, assertTimeoutPreemptively(Duration.ofSeconds(10), () -> d.lookup(0x1012).orElseThrow()
                .sourceLine()));
        d.toSymbolData(true);
    }

    @Test
    void compressedSectionClaimingTooMuchIsRefusedBeforeAllocating() throws Exception {
        Path bin = Toolchain.build(dir, "z", Toolchain.INLINED, List.of("-O2", "-g"),
                List.of("--compress-debug-sections=zlib-gabi"));
        byte[] b = Files.readAllBytes(bin);
        DebugImage img = DebugImage.open(bin, 1 << 30);
        long at = img.headerOffset(".debug_info");
        long claim = 200L << 20; // 200 MiB: under the 1 GiB cap, far over what zlib makes of a few KiB
        for (int i = 0; i < 8; i++) {
            b[(int) at + 8 + i] = (byte) (claim >>> (8 * i)); // Elf64_Chdr.ch_size, little-endian
        }
        Path f = dir.resolve("zbomb");
        Files.write(f, b);
        DwarfSymbols d = DwarfSymbols.open(f);
        assertTrue(d.lookup(0x1160).map(h -> h.sourceFile() == null).orElse(true));
        assertTrue(d.problems().stream().anyMatch(p -> p.message().contains("inflating to at most")),
                d.problems().toString());
        if (d.problems().isEmpty()) {
            fail("no problem recorded");
        }
    }
}
