package org.leakscope.stackwalk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.leakscope.minidump.CpuContext;
import org.leakscope.minidump.DumpModule;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.ExceptionInfo;
import org.leakscope.minidump.MemoryRange;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.SystemInfo;
import org.leakscope.model.Problem;
import org.leakscope.symbols.SymbolStore;

/**
 * Walks the call stacks of a minidump's threads: frame 0 from the thread's registers (the exception's, for the
 * crashing thread), then each caller found by call frame information, x86 STACK WIN programs, the frame-pointer
 * chain or stack scanning, in Breakpad's order for the CPU ({@link Amd64Unwinder}, {@link X86Unwinder},
 * {@link Arm64Unwinder}).
 *
 * <p>A walk reads only the thread's own captured stack and ends: when no way finds a caller; when the caller's
 * instruction pointer is below 4 KB; when the stack pointer does not grow (so a cycle cannot repeat); at
 * {@code maxFrames}; or after {@link #TIME_LIMIT_NANOS} on one thread, whatever the dump or symbol files hold.
 * Not thread-safe (nor is the symbol store): one walker per thread of work. Closing it closes the program files
 * it opened for their unwind data.
 */
public final class StackWalker implements AutoCloseable {
    public static final int DEFAULT_MAX_FRAMES = 1024;
    /** One thread's walk stops after this long, with the frames found so far: hostile input must stay cheap. */
    public static final long TIME_LIMIT_NANOS = 1_000_000_000L;

    private final Minidump dump;
    private final CodeLookup code;
    private final int maxFrames;
    private final boolean windows;
    private final long highestModuleEnd;

    /** @param symbols the symbol files to use, or null to walk with the dump alone */
    public StackWalker(Minidump dump, SymbolStore symbols) {
        this(dump, symbols, DEFAULT_MAX_FRAMES);
    }

    public StackWalker(Minidump dump, SymbolStore symbols, int maxFrames) {
        this(dump, symbols, maxFrames, ScanRule.CALLS_FIRST);
    }

    /**
     * Which words a stack scan takes for return addresses. Breakpad takes the first word that points into a module
     * (into a function, when the module has symbols); {@link #CALLS_FIRST}, the default, passes over those whose code
     * bytes are known and do not end in a call instruction, so a function pointer left on the stack (a callback, a
     * thread's start routine, {@code main} given to {@code __libc_start_main}) is not reported as a caller.
     */
    public enum ScanRule {
        /** Breakpad's rule exactly: for comparing with {@code minidump_stackwalk} frame for frame. */
        BREAKPAD,
        /** Prefer a word that follows a call, where the dump's memory or the module's program file has the code. */
        CALLS_FIRST
    }

    public StackWalker(Minidump dump, SymbolStore symbols, int maxFrames, ScanRule scanRule) {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be at least 1");
        }
        this.dump = dump;
        Optional<SystemInfo> system = dump.systemInfo();
        List<Problem> problems = new ArrayList<>();
        CapturedImages images = new CapturedImages(dump.source(), dump.memory(), dump.modules().orElse(List.of()),
                problems);
        this.code = new CodeLookup(dump.moduleMap(), symbols, images, system.map(SystemInfo::cpu).orElse(""),
                scanRule == ScanRule.CALLS_FIRST, problems);
        this.maxFrames = maxFrames;
        this.windows = system.map(SystemInfo::isWindows).orElse(false);
        // Breakpad's arm64 pointer-authentication mask comes from the module listed last
        List<DumpModule> modules = dump.modules().orElse(List.of());
        this.highestModuleEnd = modules.isEmpty() ? 0
                : modules.get(modules.size() - 1).base() + modules.get(modules.size() - 1).size();
    }

    /** Every thread of the ThreadList, in its order. */
    public List<ThreadStack> walkAll() {
        List<ThreadStack> out = new ArrayList<>();
        for (DumpThread t : dump.threads().orElse(List.of())) {
            out.add(walk(t));
        }
        return out;
    }

    /** One thread's stack; the exception's context is frame 0 when the exception names this thread. */
    public ThreadStack walk(DumpThread thread) {
        Optional<ExceptionInfo> exception = dump.exception().filter(e -> e.threadId() == thread.id());
        Optional<CpuContext> context = exception.isPresent()
                ? dump.context(exception.get().contextSize(), exception.get().contextOffset())
                        .or(() -> dump.context(thread))
                : dump.context(thread);
        boolean crashed = exception.isPresent();
        if (context.isEmpty()) {
            return new ThreadStack(thread.id(), crashed, List.of(), "the thread has no readable register context");
        }
        StackMemory memory = dump.stackBytes(thread).map(b -> new StackMemory(thread.stackStart(), b))
                .orElseGet(() -> capturedAround(context.get().stackPointer()));
        Unwinder unwinder = unwinder(context.get(), memory);
        if (unwinder == null) {
            return new ThreadStack(thread.id(), crashed, List.of(), "stack walking does not support CPU "
                    + context.get().cpu());
        }
        return walk(thread.id(), crashed, context.get(), unwinder);
    }

    /**
     * For a thread whose descriptor points at no stack bytes: the captured range (MemoryList, Memory64List) that
     * holds its stack pointer, from the stack pointer up; or nothing.
     */
    private StackMemory capturedAround(long sp) {
        for (MemoryRange r : dump.memory().ranges()) {
            if (r.contains(sp)) {
                long n = Math.min(r.end() - sp, Minidump.MAX_STACK_BYTES);
                byte[] bytes = dump.memory().readFully(sp, (int) n);
                return bytes == null ? StackMemory.NONE : new StackMemory(sp, bytes);
            }
        }
        return StackMemory.NONE;
    }

    private Unwinder unwinder(CpuContext context, StackMemory memory) {
        String c = context.cpu();
        return switch (c) {
            case "amd64" -> new Amd64Unwinder(memory, code, windows);
            case "x86" -> new X86Unwinder(memory, code);
            case "arm64" -> new Arm64Unwinder(memory, code, highestModuleEnd);
            default -> null;
        };
    }

    /** The frame as reported: symbolized at its instruction, with the registers recovered for it. */
    private StackFrame named(WalkFrame f, Unwinder unwinder) {
        long ip = f.get(unwinder.ip());
        long instruction = unwinder.instruction(f);
        if (unwinder.wordSize == 4) {
            instruction &= 0xffffffffL;
        }
        return new StackFrame(code.frame(ip, instruction), instruction, f.foundBy, f.recovered(unwinder.registers()));
    }

    private ThreadStack walk(long threadId, boolean crashed, CpuContext context, Unwinder unwinder) {
        long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
        Map<String, Long> registers = context.registers();
        WalkFrame first = new WalkFrame(registers, Set.copyOf(registers.keySet()), FoundBy.CONTEXT);
        if (unwinder instanceof Arm64Unwinder arm64) {
            arm64.prepareContext(first);
        }
        List<WalkFrame> frames = new ArrayList<>();
        List<StackFrame> out = new ArrayList<>();
        frames.add(first);
        out.add(named(first, unwinder));
        String end;
        while (true) {
            if (frames.size() >= maxFrames) {
                end = "the frame limit (" + maxFrames + ") was reached";
                break;
            }
            if (System.nanoTime() > deadline) {
                end = "the time limit for one thread (" + TIME_LIMIT_NANOS / 1_000_000 + " ms) was reached";
                break;
            }
            WalkFrame next = unwinder.caller(frames, true);
            if (next == null) {
                end = unwinder.end;
                break;
            }
            if (frames.size() >= 2) {
                frames.get(frames.size() - 2).forgetRegisters(); // arm64 still reads the callee's fp
            }
            frames.add(next);
            out.add(named(next, unwinder)); // here, so that the time limit covers symbol lookups too
        }
        return new ThreadStack(threadId, crashed, out, end);
    }

    /**
     * Program files whose unwind data could not be read, and module images in the dump's memory that were damaged
     * or not the listed module's (their modules were walked by other means).
     */
    public List<Problem> problems() {
        return List.copyOf(code.problems());
    }

    @Override
    public void close() throws IOException {
        code.close();
    }
}
