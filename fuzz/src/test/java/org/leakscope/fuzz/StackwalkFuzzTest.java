package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.leakscope.analysis.ThreadStacks;
import org.leakscope.minidump.Minidump;
import org.leakscope.model.Limits;
import org.leakscope.stackwalk.StackWalker;
import org.leakscope.symbols.SymbolStore;

/**
 * The stack walker on generated stacks: the input is a thread's stack memory and registers, and the STACK CFI,
 * STACK WIN and FUNC records of the one module its instruction pointer is in; the target wraps them in a minidump
 * and a symbol store and walks the thread as dumpscan does (CFI, STACK WIN, frame pointer and scan unwinders,
 * their postfix programs, the frame limit and the time limit).
 *
 * <p>Input layout (little-endian): {@code cpu} (byte: 0 amd64, 1 x86, 2 arm64, others modulo 3), {@code pc}
 * (u16: module offset of the instruction pointer), {@code sp} (u16: offset of the stack pointer in the stack),
 * {@code fp} (u16: the same for the frame pointer), {@code n} (u16: stack bytes), {@code n} stack bytes, then
 * the symbol file's records as text (after a MODULE line the target writes). See testdata/fuzz/stackwalk/.
 */
class StackwalkFuzzTest {
    static final int HEADER = 9;
    static final long STACK = 0x00000000002f0000L;
    static final int MODULE_SIZE = 0x10000;
    /** GUID {5EED0000-0000-4000-8000-0000000000F2} as stored, age 1: debug id 5EED0000000040008000000000000F21. */
    private static final byte[] GUID = {0, 0, (byte) 0xed, 0x5e, 0, 0, 0, 0x40, (byte) 0x80, 0, 0, 0, 0, 0, 0, (byte) 0xf2};
    static final String DEBUG_ID = "5EED00000000400080000000000000F21";
    private static final String[] CPUS = {"x86_64", "x86", "arm64"};

    @FuzzTest(maxDuration = "30s")
    void walk(byte[] input) throws Exception {
        if (input.length < HEADER) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int cpu = Byte.toUnsignedInt(input[0]) % 3;
        int stackLength = Math.min(Short.toUnsignedInt(in.getShort(7)), input.length - HEADER);
        byte[] stack = Arrays.copyOfRange(input, HEADER, HEADER + stackLength);
        String records = new String(input, HEADER + stackLength, input.length - HEADER - stackLength,
                StandardCharsets.UTF_8);
        long base = cpu == 1 ? 0x10000000L : 0x00007ff6a0000000L;
        long pc = base + Short.toUnsignedInt(in.getShort(1));
        long sp = STACK + Short.toUnsignedInt(in.getShort(3));
        long fp = STACK + Short.toUnsignedInt(in.getShort(5));

        Path root = FuzzFile.dir().resolve("symbols");
        Path sym = root.resolve("fuzz.pdb").resolve(DEBUG_ID).resolve("fuzz.sym");
        Files.createDirectories(sym.getParent());
        Files.writeString(sym, "MODULE windows " + CPUS[cpu] + " " + DEBUG_ID + " fuzz.pdb\n" + records);
        Path dumpFile = FuzzFile.of("walk.dmp", dump(cpu, base, pc, sp, fp, stack));
        ReaderContract.check("stackwalk", () -> {
            try (Minidump dump = Minidump.open(dumpFile, Limits.DEFAULT);
                    SymbolStore symbols = new SymbolStore(List.of(root))) {
                ThreadStacks.of(dump, symbols, StackWalker.DEFAULT_MAX_FRAMES, false, p -> { });
                symbols.problems();
            }
        });
    }

    /** One thread of one process with one module, the exception on that thread. */
    static byte[] dump(int cpu, long base, long pc, long sp, long fp, byte[] stack) {
        DumpWriter w = new DumpWriter();
        byte[] context = context(cpu, pc, sp, fp, stack);
        int contextRva = w.blob(context);
        int stackRva = w.blob(stack);
        ByteBuffer threads = DumpWriter.le(4 + 48).putInt(1).putInt(0x1a2c).putInt(0).putInt(0).putInt(0)
                .putLong(0).putLong(STACK).putInt(stack.length).putInt(stackRva).putInt(context.length)
                .putInt(contextRva);
        int name = w.string("C:\\fuzz\\fuzz.dll");
        byte[] pdb = "fuzz.pdb\0".getBytes(StandardCharsets.US_ASCII);
        int cv = w.blob(DumpWriter.le(24 + pdb.length).putInt(0x53445352).put(GUID).putInt(1).put(pdb).array());
        ByteBuffer modules = DumpWriter.le(4 + 108).putInt(1).putLong(base).putInt(MODULE_SIZE).putInt(0)
                .putInt(0x5eed0000).putInt(name);
        modules.position(4 + 24 + 52);
        modules.putInt(24 + pdb.length).putInt(cv);
        ByteBuffer exception = DumpWriter.le(168).putInt(0x1a2c).putInt(0).putInt(0xc0000005).putInt(0).putLong(0)
                .putLong(pc).putInt(2).putInt(0).putLong(1).putLong(0x10);
        exception.position(160);
        exception.putInt(context.length).putInt(contextRva);
        return w.systemInfo(new int[] {9, 0, 12}[cpu]).stream(DumpWriter.THREAD_LIST, threads.array())
                .stream(DumpWriter.MODULE_LIST, modules.array()).stream(DumpWriter.EXCEPTION, exception.array())
                .memoryList(List.of(STACK), List.of(stack)).bytes();
    }

    /**
     * The CONTEXT of {@code cpu} with pc, sp and fp set (and arm64's lr from the stack's first word): the layouts
     * of winnt.h's CONTEXT for AMD64, x86 and ARM64.
     */
    static byte[] context(int cpu, long pc, long sp, long fp, byte[] stack) {
        return switch (cpu) {
            case 0 -> {
                ByteBuffer c = DumpWriter.le(1232);
                c.putInt(0x30, 0x10000b).putLong(0x98, sp).putLong(0xa0, fp).putLong(0xf8, pc);
                yield c.array();
            }
            case 1 -> {
                ByteBuffer c = DumpWriter.le(716);
                c.putInt(0, 0x1003f).putInt(0xb4, (int) fp).putInt(0xb8, (int) pc).putInt(0xc4, (int) sp);
                yield c.array();
            }
            default -> {
                ByteBuffer c = DumpWriter.le(912);
                long lr = stack.length >= 8 ? ByteBuffer.wrap(stack).order(ByteOrder.LITTLE_ENDIAN).getLong(0) : 0;
                c.putInt(0, 0x400003).putLong(0xf0, fp).putLong(0xf8, lr).putLong(0x100, sp).putLong(0x108, pc);
                yield c.array();
            }
        };
    }
}
