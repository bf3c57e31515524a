package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.Minidump;
import org.leakscope.model.Problem;

/**
 * A Windows amd64 dump that captured its module's image (as a full-memory minidump does) and no file for it: the
 * caller of a function with x64 unwind data is found by those records, read from the dump's memory. The stack
 * holds a decoy first, a code address a scan (or the leaf rule Breakpad uses on the context frame) would take,
 * so only the unwind data gives the true caller. The image is laid out here by hand from the PE documentation.
 */
class CapturedImageUnwindTest {
    private static final long STACK = 0x7ff000000000L;
    private static final long BASE = StackDump.MODULE_BASE;
    /** f, at RVA 0x1000..0x1100: "sub rsp, 0x28" in a 4-byte prolog, so its return address is at rsp + 0x28. */
    private static final long IN_F = BASE + 0x1050;
    private static final long DECOY = BASE + 0x5010;
    private static final long CALLER = BASE + 0x6020;
    private static final int STAMP = 0x5f3e2a10;

    @TempDir
    Path dir;

    @Test
    void callerFoundByUnwindDataInTheDumpsMemory() throws Exception {
        Walk w = walk(image(StackDump.MODULE_SIZE, STAMP, 0x2000), StackDump.MODULE_SIZE, STAMP);
        StackFrame caller = w.stack.frames().get(1);
        assertEquals(FoundBy.CFI, caller.foundBy(), w.stack.frames().toString());
        assertEquals(CALLER, caller.instructionPointer());
        assertEquals(STACK + 0x30, caller.registers().get("rsp"));
        assertTrue(w.problems.isEmpty(), w.problems.toString());
    }

    @Test
    void anImageThatIsNotTheListedModulesIsIgnoredWithAWarning() throws Exception {
        Walk stamp = walk(image(StackDump.MODULE_SIZE, STAMP, 0x2000), StackDump.MODULE_SIZE, STAMP + 1);
        assertEquals(DECOY, stamp.stack.frames().get(1).instructionPointer(), "the leaf rule's word, not the CFI's");
        assertEquals(FoundBy.LEAF, stamp.stack.frames().get(1).foundBy());
        assertEquals(1, stamp.problems.size(), stamp.problems.toString());
        assertTrue(stamp.problems.get(0).message().contains("TimeDateStamp 0x5f3e2a10, the module list 0x5f3e2a11"),
                stamp.problems.get(0).message());

        Walk size = walk(image(0x20000, STAMP, 0x2000), StackDump.MODULE_SIZE, STAMP);
        assertEquals(FoundBy.LEAF, size.stack.frames().get(1).foundBy());
        assertTrue(size.problems.get(0).message().contains("SizeOfImage 0x20000, the module list 0x10000"),
                size.problems.toString());
    }

    @Test
    void unwindInformationOnAPageTheDumpLeftOutEndsTheLookup() throws Exception {
        byte[] image = image(StackDump.MODULE_SIZE, STAMP, 0x2000);
        Walk w = walk(Arrays.copyOf(image, 0x3000), StackDump.MODULE_SIZE, STAMP); // UNWIND_INFO at 0x3000: gone
        assertEquals(FoundBy.LEAF, w.stack.frames().get(1).foundBy());
        assertEquals(DECOY, w.stack.frames().get(1).instructionPointer());
    }

    @Test
    void headersThatAreNotAPeImageAreAProblemNotAFailure() throws Exception {
        byte[] image = image(StackDump.MODULE_SIZE, STAMP, 0x2000);
        image[0x40] = 'X'; // the PE signature
        Walk w = walk(image, StackDump.MODULE_SIZE, STAMP);
        assertEquals(FoundBy.LEAF, w.stack.frames().get(1).foundBy());
        assertEquals(1, w.problems.size(), w.problems.toString());
        assertTrue(w.problems.get(0).message().contains("PE signature"), w.problems.get(0).message());
    }

    @Test
    void anAbsurdExceptionDirectoryIsReadOnlyAsFarAsTheImageHoldsIt() throws Exception {
        // the directory claims 4 GB: the module list and SizeOfImage bound it, and the arrays grow with what the
        // dump holds (one page of entries) rather than with the claim
        int size = 0xfffff000;
        long start = System.nanoTime();
        Walk w = walk(image(size, STAMP, 0xffffd000), size, STAMP);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(FoundBy.CFI, w.stack.frames().get(1).foundBy());
        assertEquals(CALLER, w.stack.frames().get(1).instructionPointer());
        assertTrue(ms < StackWalker.TIME_LIMIT_NANOS / 1_000_000, ms + " ms");
    }

    private record Walk(ThreadStack stack, List<Problem> problems) {
    }

    private Walk walk(byte[] image, int moduleSize, int moduleStamp) throws Exception {
        long[] words = new long[16];
        words[1] = DECOY;
        words[5] = CALLER; // rsp + 0x28
        Path file = new StackDump().windows().module(moduleSize, moduleStamp).registers(IN_F, STACK, 0)
                .stack(STACK, words).memory(BASE, image).write(dir.resolve("image.dmp"));
        try (Minidump dump = Minidump.open(file); StackWalker walker = new StackWalker(dump, null)) {
            ThreadStack s = walker.walk(dump.threads().orElseThrow().get(0));
            return new Walk(s, walker.problems());
        }
    }

    /**
     * The first 0x4000 bytes of a PE32+ image: headers at 0, f's code at 0x1000 (zeros), its RUNTIME_FUNCTION at
     * 0x2000 and its UNWIND_INFO at 0x3000; the exception directory's size is {@code directoryLen}.
     */
    private static byte[] image(int sizeOfImage, int stamp, int directoryLen) {
        ByteBuffer b = ByteBuffer.allocate(0x4000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3c, 0x40); // e_lfanew
        b.putInt(0x40, 0x00004550); // "PE\0\0"
        int coff = 0x44;
        b.putShort(coff, (short) 0x8664).putShort(coff + 2, (short) 0).putInt(coff + 4, stamp)
                .putShort(coff + 16, (short) (112 + 16 * 8)).putShort(coff + 18, (short) 0x22);
        int opt = coff + 20;
        b.putShort(opt, (short) 0x20b).putLong(opt + 24, BASE).putInt(opt + 32, 0x1000).putInt(opt + 36, 0x200)
                .putInt(opt + 56, sizeOfImage).putInt(opt + 60, 0x400).putInt(opt + 108, 16);
        b.putInt(opt + 112 + 3 * 8, 0x2000).putInt(opt + 112 + 3 * 8 + 4, directoryLen); // the exception directory
        b.putInt(0x2000, 0x1000).putInt(0x2004, 0x1100).putInt(0x2008, 0x3000); // RUNTIME_FUNCTION
        // UNWIND_INFO version 1, a 4-byte prolog, one slot: at offset 4 UWOP_ALLOC_SMALL (2) of 4 * 8 + 8 bytes
        b.put(0x3000, (byte) 1).put(0x3001, (byte) 4).put(0x3002, (byte) 1).put(0x3003, (byte) 0);
        b.put(0x3004, (byte) 4).put(0x3005, (byte) (2 | 4 << 4));
        return b.array();
    }
}
