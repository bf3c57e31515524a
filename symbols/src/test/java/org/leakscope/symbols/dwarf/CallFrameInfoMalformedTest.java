package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.testing.Required;

/**
 * Damaged call frame information: entries written into the {@code .eh_frame} of a copy of a real Linux program
 * (its {@code .eh_frame_hdr} disabled, so the reader's own index is used), then generated damage (bit flips,
 * absurd lengths, truncation) over the real section. Each gives problems naming the damage, or an
 * {@link InputFormatException} from {@link CallFrameInfo#open} for broken headers; never another exception,
 * never a hang; the undamaged FDE beside the damage still answers.
 */
class CallFrameInfoMalformedTest {
    private static final long GOOD = 0x1100;

    @TempDir
    Path dir;

    private Path original() {
        return Required.corpusFile("dwarf/moz_linux_basic.full");
    }

    private CallFrameInfo crafted(Consumer<EhFrameBuilder> write) throws IOException {
        return CallFrameInfo.open(CraftedEhFrame.write(original(), dir, GOOD, write));
    }

    /** The good FDE still answers, and a problem says {@code expected}. */
    private static void damaged(CallFrameInfo cfi, String expected) {
        cfi.stackCfi();
        Optional<CfiRules> good = cfi.rulesAt(GOOD + 1);
        assertEquals(Optional.of(new CfiRules.RegisterOffset(7, 16)), good.map(CfiRules::cfa));
        assertTrue(cfi.problems().stream().anyMatch(p -> p.message().contains(expected)),
                "want a problem with '" + expected + "': " + cfi.problems());
    }

    @Test
    void fdeWhoseCiePointerPointsAtItself() throws IOException {
        damaged(crafted(b -> b.fdeRaw(4, 0x1000, 0x10)), "expected a CIE (in .eh_frame), found an FDE");
    }

    @Test
    void fdeWhoseCiePointerLeavesTheSection() throws IOException {
        damaged(crafted(b -> b.fdeRaw(0x7fff_ffffL, 0x1000, 0x10)), "a CIE pointer inside the section");
    }

    @Test
    void restoreStateWithoutRemember() throws IOException {
        CallFrameInfo cfi = crafted(b -> b.fde(b.cie("zR", 0x0c, 7, 8), 0x1000, 0x10, 0x41, 0x0b));
        damaged(cfi, "an empty state stack");
        assertTrue(cfi.rulesAt(0x1001).isEmpty());
        assertEquals(new CfiRules.RegisterOffset(7, 8), cfi.rulesAt(0x1000).orElseThrow().cfa());
    }

    @Test
    void rememberStateWithoutRestoreIsFine() throws IOException {
        CallFrameInfo cfi = crafted(b -> b.fde(b.cie("zR", 0x0c, 7, 8), 0x1000, 0x10, 0x0a, 0x41, 0x0e, 32));
        assertEquals(new CfiRules.RegisterOffset(7, 32), cfi.rulesAt(0x1001).orElseThrow().cfa());
        assertTrue(cfi.problems().stream().allMatch(p -> p.message().contains(".eh_frame_hdr version 1")),
                cfi.problems().toString()); // only the header this test disabled
    }

    @Test
    void rememberStateNestedBeyondTheBound() throws IOException {
        int[] many = new int[CfiMachine.MAX_SAVED_STATES + 1];
        java.util.Arrays.fill(many, 0x0a);
        damaged(crafted(b -> b.fde(b.cie("zR", 0x0c, 7, 8), 0x1000, 0x10, many)), "nested DW_CFA_remember_state");
    }

    @Test
    void unknownInstruction() throws IOException {
        damaged(crafted(b -> b.fde(b.cie("zR", 0x0c, 7, 8), 0x1000, 0x10, 0x3f)), "opcode 0x3f");
    }

    @Test
    void expressionLongerThanItsEntry() throws IOException {
        damaged(crafted(b -> b.fde(b.cie("zR", 0x0c, 7, 8), 0x1000, 0x10, 0x10, 6, 0xff, 0xff, 0xff, 0xff, 0x0f)),
                "a DWARF expression inside the entry");
    }

    @Test
    void instructionCutByTheEntrysEnd() throws IOException {
        damaged(crafted(b -> b.fde(b.cie("zR", 0x0c, 7, 8), 0x1000, 0x10, 0, 0, 0, 0, 0, 0, 0x04)),
                "the entry's end"); // 6 nops fill the entry to its 8-byte end, so no padding follows advance_loc4
    }

    @Test
    void unknownPointerEncoding() throws IOException {
        damaged(crafted(b -> b.fde(b.cieEncoding(0x0f, "zR", 0x0c, 7, 8), 0x1000, 0x10)), "a pointer encoding");
    }

    @Test
    void indirectPointerOutsideEverySection() throws IOException {
        // pcrel | sdata4 | indirect: the FDE's start is read from an address no section holds
        damaged(crafted(b -> b.fde(b.cieEncoding(0x9b, "zR", 0x0c, 7, 8), 0x7000_0000L, 0x10)),
                "an indirect pointer inside a section");
    }

    @Test
    void augmentationWithoutLength() throws IOException {
        damaged(crafted(b -> b.fde(b.cie("Q", 0x0c, 7, 8), 0x1000, 0x10)), "a CIE augmentation this reader knows");
    }

    @Test
    void absurdLengthsEndTheSection() throws IOException {
        CallFrameInfo reserved = crafted(b -> b.raw(0xf0, 0xff, 0xff, 0xff));
        reserved.stackCfi();
        assertTrue(reserved.problems().toString().contains("the reserved value 0xfffffff0"), reserved.problems()
                .toString());
        CallFrameInfo huge = crafted(b -> b.raw(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x40));
        huge.stackCfi();
        assertTrue(huge.problems().toString().contains("an entry inside the"), huge.problems().toString());
        assertTrue(huge.rulesAt(GOOD + 1).isEmpty(), "the entries after a broken length cannot be found");
    }

    /** Seeded damage: flips, absurd 4-byte values and truncation in the sections; flips in the ELF headers. */
    @Test
    void generatedDamageNeverEscapes() throws IOException {
        Path copy = dir.resolve("fuzzed");
        byte[] clean = Files.readAllBytes(original());
        int from = 0x2004; // .eh_frame_hdr, then .eh_frame, to 0x2210
        int to = 0x2210;
        Random random = new Random(16);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 600; round++) {
                byte[] bytes = clean.clone();
                int kind = round % 5;
                int at = from + random.nextInt(to - from);
                if (kind == 3 || kind == 4) {
                    // the headers: ELF header, or the section header table (34 entries) at the end of the file
                    int start = kind == 3 ? 0 : bytes.length - 64 * 34;
                    int len = kind == 3 ? 64 : 64 * 34;
                    for (int i = 0; i < 1 + random.nextInt(4); i++) {
                        int p = start + random.nextInt(len);
                        bytes[p] ^= (byte) (1 << random.nextInt(8));
                    }
                } else if (kind == 0) {
                    for (int i = 0; i < 1 + random.nextInt(8); i++) {
                        int p = from + random.nextInt(to - from);
                        bytes[p] ^= (byte) (1 << random.nextInt(8));
                    }
                } else if (kind == 1) {
                    int v = new int[] {0xffffffff, 0xfffffff0, 0x7fffffff, 0, 1, 0x80000000}[random.nextInt(6)];
                    at &= ~3;
                    for (int i = 0; i < 4; i++) {
                        bytes[at + i] = (byte) (v >>> (8 * i));
                    }
                } else {
                    bytes = java.util.Arrays.copyOf(bytes, at);
                }
                Files.write(copy, bytes);
                exercise(copy);
            }
        });
    }

    private static void exercise(Path file) throws IOException {
        CallFrameInfo cfi;
        try {
            cfi = CallFrameInfo.open(file);
        } catch (InputFormatException e) {
            return; // the headers themselves are broken: exit status 2 with this message
        }
        cfi.stackCfi();
        for (long a = 0x1000; a < 0x1400; a++) {
            cfi.rulesAt(a);
        }
        cfi.problems();
    }
}
