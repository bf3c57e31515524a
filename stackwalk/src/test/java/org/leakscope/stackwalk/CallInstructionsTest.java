package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Each call form a compiler emits is recognised from the bytes before its return address (the encodings as the
 * Intel SDM gives them, the instruction written in the comment), and look-alikes are not: a jump, a mov, a
 * direct call or a slot outside the image.
 */
class CallInstructionsTest {
    private static final long SIZE = 0x3000;
    private static final long RET = 0x1010;

    /** The form of the call the hex bytes end with, returning to RET in a 64-bit image of SIZE bytes of code. */
    private static String form64(String hex) {
        return CallInstructions.form(HexFormat.of().parseHex(hex), RET, SIZE, 0x1_4000_0000L, true, rva -> rva < SIZE);
    }

    @Test
    void directCallsMustTargetTheImagesCode() {
        assertEquals("E8 rel32", form64("e8f00f0000")); // call RET+0xff0
        assertEquals("E8 rel32", form64("4889c1e800f0ffff")); // mov rcx,rax; call RET-0x1000 (rel32 is signed)
        assertNull(form64("e8f02f0000")); // the target RET+0x2ff0 lies past SizeOfImage
        assertEquals("E8 rel32", CallInstructions.form(HexFormat.of().parseHex("e8f00f0000"), RET, SIZE, 0, true,
                rva -> rva == 0x2000));
        assertNull(CallInstructions.form(HexFormat.of().parseHex("e8f00f0000"), RET, SIZE, 0, true, rva -> false));
    }

    @Test
    void everyModRmFormOfFfSlash2WithAndWithoutRex() {
        assertEquals("FF /2 reg", form64("ffd0")); // call rax
        assertEquals("FF /2 reg", form64("41ffd3")); // call r11
        assertEquals("FF /2 [reg]", form64("ff10")); // call [rax]
        assertEquals("FF /2 [reg+disp8]", form64("ff5008")); // call [rax+8]
        assertEquals("FF /2 [reg+disp8]", form64("41ff5310")); // call [r11+0x10]
        assertEquals("FF /2 [reg+disp32]", form64("ff9000010000")); // call [rax+0x100]
        assertEquals("FF /2 [sib]", form64("ff1424")); // call [rsp]
        assertEquals("FF /2 [sib+disp8]", form64("ff542408")); // call [rsp+8]
        assertEquals("FF /2 [sib+disp32]", form64("ff94c100010000")); // call [rcx+rax*8+0x100]
        assertEquals("FF /2 [sib+disp32]", form64("42ff14c500200000")); // call [r8*8+0x2000]
        assertEquals("FF /2 [rip+disp32]", form64("ff15f00f0000")); // call [rip+0xff0]: an import slot
        assertEquals("FF /2 [rip+disp32]", form64("48ff15f00f0000")); // rex.w call [rip+0xff0]
    }

    @Test
    void lookAlikesAreNotCalls() {
        assertNull(form64("ffe0")); // jmp rax (FF /4)
        assertNull(form64("ff25f00f0000")); // jmp [rip+0xff0]
        assertNull(form64("ff30")); // push [rax] (FF /6)
        assertNull(form64("4889c1")); // mov rcx, rax
        assertNull(form64("ff15f02f0000")); // call [rip+0x2ff0]: the slot lies past SizeOfImage
        assertNull(form64("ff14")); // FF 14 needs a SIB byte after it
        assertNull(form64("d0")); // one byte: nothing ends here
        assertNull(form64(""));
    }

    @Test
    void x86ReadsModRm00101AsAnAbsoluteAddressAtThePreferredBase() {
        byte[] call = HexFormat.of().parseHex("ff1500204000"); // call [0x402000]
        assertEquals("FF /2 [disp32]", CallInstructions.form(call, RET, SIZE, 0x400000, false, rva -> true));
        assertNull(CallInstructions.form(call, RET, SIZE, 0x10000000, false, rva -> true)); // not in this image
    }

    @Test
    void lengthsFollowModRmAndSib() {
        assertEquals(2, CallInstructions.length(0xd0, -1));
        assertEquals(6, CallInstructions.length(0x15, -1));
        assertEquals(3, CallInstructions.length(0x14, 0x24));
        assertEquals(7, CallInstructions.length(0x14, 0xc5));
        assertEquals(-1, CallInstructions.length(0x54, -1));
    }

    /** Encodings from llvm-mc 14 ({@code -triple=aarch64 -mattr=+pauth -show-encoding}), with x8 and x9. */
    @Test
    void arm64CallsFromTheAssembler() {
        assertEquals("BL", arm64("40000094"));       // bl #256
        assertEquals("BLR", arm64("00013fd6"));      // blr x8
        assertEquals("BLRAA", arm64("09093fd7"));    // blraa x8, x9
        assertEquals("BLRAAZ", arm64("1f093fd6"));   // blraaz x8
        assertEquals("BLRAB", arm64("090d3fd7"));    // blrab x8, x9
        assertEquals("BLRABZ", arm64("1f0d3fd6"));   // blrabz x8
        assertEquals("BL", arm64("1f2003d5" + "40000094")); // nop, bl: only the last word before the address counts
    }

    @Test
    void arm64BranchesWithoutLinkAreNotCalls() {
        assertNull(arm64("00011fd6")); // br x8
        assertNull(arm64("40000014")); // b #256
        assertNull(arm64("c0035fd6")); // ret
        assertNull(arm64("94"));       // too short
    }

    private static String arm64(String hex) {
        return CallInstructions.arm64Form(HexFormat.of().parseHex(hex));
    }
}
