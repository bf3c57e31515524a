package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Breakpad's postfix rules and programs: values, assignments, and every way one fails without throwing. */
class PostfixTest {
    /** 16 bytes of stack at 0x1000: the words 0x2000 and 0x401234 (x86) / one 64-bit word 0x401234_00002000. */
    private static final StackMemory STACK = new StackMemory(0x1000, ByteBuffer.allocate(16)
            .order(ByteOrder.LITTLE_ENDIAN).putInt(0x2000).putInt(0x401234).array());

    @Test
    void cfiRuleValues() {
        Map<String, Long> regs = new HashMap<>(Map.of("$rsp", 0x1000L, ".cfa", 0x1010L));
        assertEquals(0x1030L, Postfix.value("$rsp 48 +", regs, STACK, 8));
        assertEquals(0x1008L, Postfix.value(".cfa -8 +", regs, STACK, 8));
        assertEquals(0x0000401234_00002000L, Postfix.value("$rsp ^", regs, STACK, 8));
        assertEquals(0x1000L, Postfix.value("$rsp 7 + 16 @", regs, STACK, 8)); // align down
        assertEquals(7L, Postfix.value("20 7 - 3 % 7 *", regs, STACK, 8));
        assertEquals(0x10L, Postfix.value("0x20 2 /", regs, STACK, 8));
    }

    @Test
    void x86ValuesWrapAt32Bits() {
        Map<String, Long> regs = new HashMap<>(Map.of("$esp", 0xfffffff0L));
        assertEquals(0x10L, Postfix.value("$esp 32 +", regs, STACK, 4));
        assertEquals(0x401234L, Postfix.value("4100 ^", regs, STACK, 4)); // 0x1004
        assertEquals(0xfffffff8L, Postfix.value("-8", regs, STACK, 4));
    }

    @Test
    void stackWinProgramAssignsRegisters() {
        Map<String, Long> dict = new HashMap<>(Map.of("$ebp", 0x1000L, "$esp", 0xff0L, ".cbSavedRegs", 0L));
        Set<String> assigned = new HashSet<>();
        // .cbParams unknown: the program fails, keeping what it assigned before
        assertFalse(Postfix.run("$T0 $ebp = $eip $T0 4 + ^ = $P $T0 8 + .cbParams + =", dict, STACK, 4, assigned));
        assertEquals(Set.of("$T0", "$eip"), assigned);
        assigned.clear();
        dict = new HashMap<>(Map.of("$ebp", 0x1000L, "$esp", 0xff0L, ".cbSavedRegs", 0L));
        assertTrue(Postfix.run("$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =", dict, STACK, 4,
                assigned));
        assertEquals(0x401234L, dict.get("$eip"));
        assertEquals(0x2000L, dict.get("$ebp"));
        assertEquals(0x1008L, dict.get("$esp"));
        assertEquals(Set.of("$T0", "$eip", "$ebp", "$esp"), assigned);
    }

    @Test
    void failuresAreNullNeverExceptions() {
        Map<String, Long> regs = new HashMap<>(Map.of("$rsp", 0x1000L));
        assertNull(Postfix.value("$rsp 0x100000 + ^", regs, STACK, 8), "a read outside the stack");
        assertNull(Postfix.value("$rsp 0 /", regs, STACK, 8), "division by zero");
        assertNull(Postfix.value("$rsp 0 %", regs, STACK, 8), "modulo zero");
        assertNull(Postfix.value("$rsp +", regs, STACK, 8), "too few operands");
        assertNull(Postfix.value("$rbx 8 +", regs, STACK, 8), "an unknown register");
        assertNull(Postfix.value("$rsp 8", regs, STACK, 8), "two values left");
        assertNull(Postfix.value("", regs, STACK, 8), "nothing");
        assertNull(Postfix.value(".cfa .cfa 8 + =", regs, STACK, 8), "assigning to a non-$ name");
        assertNull(Postfix.value("$rsp 99999999999999999999999 +", regs, STACK, 8), "a number too long");
        assertFalse(Postfix.run("$eip 1 = 2", new HashMap<>(), STACK, 4, new HashSet<>()), "a value left over");
        assertNull(Postfix.value("1 +".repeat(Postfix.MAX_TOKENS), regs, STACK, 8), "more tokens than allowed");
    }
}
