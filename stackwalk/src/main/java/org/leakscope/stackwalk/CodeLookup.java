package org.leakscope.stackwalk;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;
import org.leakscope.model.ModuleMap;
import org.leakscope.symbols.BreakpadSymbolFile;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * What the walker asks about code addresses: which module holds one, what its symbol file, its program file or
 * the image the dump captured says about unwinding there (STACK CFI, STACK WIN, a FUNC's parameter size, DWARF
 * and x64 unwind data), whether a return address follows a call, and the frame's names. Without a symbol store
 * only the modules and what the dump captured are known. Answers that a stack scan asks for again and again are
 * kept.
 */
final class CodeLookup implements AutoCloseable {
    /** Answers kept per question; past this a hostile stack costs time, not memory. */
    private static final int MAX_KEPT = 100_000;

    private final ModuleMap modules;
    private final SymbolStore symbols;
    private final CapturedImages images;
    private final Map<Long, Boolean> plausible = new HashMap<>();
    private final Map<Long, Boolean> afterCall = new HashMap<>();
    private final Map<Module, Optional<ModuleUnwindInfo>> programFiles = new HashMap<>();
    private final Map<Module, Optional<ProgramFileCode>> programCode = new HashMap<>();
    private final List<Problem> problems;

    private final String cpu;
    private final boolean amd64;
    private final boolean checkCalls;

    /**
     * @param images what the dump captured of its modules (null: nothing)
     * @param cpu    the process's CPU ({@code amd64}, {@code x86}, {@code arm64}, ...): program files' x64 unwind
     *               data apply to amd64, and it says which call instructions to look for
     * @param checkCalls whether {@link #followsCall} reads code bytes (else it knows nothing, Breakpad's scan)
     * @param problems where unreadable program files and images are recorded (shared with {@code images})
     */
    CodeLookup(ModuleMap modules, SymbolStore symbols, CapturedImages images, String cpu, boolean checkCalls,
            List<Problem> problems) {
        this.modules = modules;
        this.symbols = symbols;
        this.images = images;
        this.cpu = cpu;
        this.amd64 = cpu.equals("amd64");
        this.checkCalls = checkCalls;
        this.problems = problems;
    }

    Optional<Module> module(long address) {
        return modules.find(address);
    }

    private Optional<BreakpadSymbolFile> breakpad(Module m) {
        return symbols == null ? Optional.empty() : symbols.breakpadFile(m);
    }

    /** The STACK CFI rules in effect at an instruction, or empty. */
    Optional<String> cfiRules(long instruction) {
        return module(instruction).flatMap(m -> breakpad(m).flatMap(f -> f.cfiRulesAt(instruction - m.base())));
    }

    /**
     * The call frame information of the module's program file at an instruction, for a module without a Breakpad
     * symbol file (whose STACK CFI records, made from the same data, come first): DWARF or x64 unwind data.
     */
    Optional<String> programFileRules(long instruction) {
        Optional<Module> m = module(instruction);
        if (m.isEmpty() || symbols == null || breakpad(m.get()).isPresent()) {
            return Optional.empty();
        }
        Optional<ModuleUnwindInfo> info = programFiles.computeIfAbsent(m.get(),
                k -> symbols.imagePath(k).map(p -> new ModuleUnwindInfo(p, problems, amd64)));
        return info.flatMap(i -> i.rulesAt(instruction - m.get().base()));
    }

    /**
     * The x64 unwind data of the module's image in the dump's memory at an instruction, for an amd64 module that
     * neither a Breakpad symbol file nor a program file covers: a full-memory Windows minidump holds every image.
     */
    Optional<String> capturedImageRules(long instruction) {
        Optional<Module> m = module(instruction);
        if (!amd64 || images == null || m.isEmpty()
                || symbols != null && (breakpad(m.get()).isPresent() || symbols.imagePath(m.get()).isPresent())) {
            return Optional.empty();
        }
        return images.x64RulesAt(m.get(), instruction - m.get().base());
    }

    /**
     * Whether a return address follows a call instruction, read from the bytes before it: the dump's memory first,
     * else the module's program file. Null when neither has them (or not enough of them to tell), and for CPUs
     * whose calls are not known here.
     */
    Boolean followsCall(long returnAddress) {
        if (!checkCalls) {
            return null;
        }
        if (afterCall.containsKey(returnAddress)) {
            return afterCall.get(returnAddress);
        }
        Boolean answer = readCall(returnAddress);
        if (afterCall.size() < MAX_KEPT) {
            afterCall.put(returnAddress, answer);
        }
        return answer;
    }

    private Boolean readCall(long returnAddress) {
        boolean arm64 = cpu.equals("arm64");
        if (!arm64 && !amd64 && !cpu.equals("x86")) {
            return null;
        }
        Optional<Module> found = module(returnAddress - 1);
        if (found.isEmpty()) {
            return null;
        }
        Module m = found.get();
        long rva = returnAddress - m.base();
        int need = arm64 ? 4 : CallInstructions.MAX_LENGTH;
        byte[] before = images == null ? new byte[0] : images.before(returnAddress, need);
        long absoluteBase = m.base(); // absolute addresses in loaded code are relocated to the module's base
        if (before.length < need && symbols != null) {
            Optional<ProgramFileCode> file = programCode.computeIfAbsent(m,
                    k -> symbols.imagePath(k).flatMap(ProgramFileCode::open));
            byte[] fromFile = file.map(f -> f.before(rva, need)).orElse(new byte[0]);
            if (fromFile.length > before.length) {
                before = fromFile;
                absoluteBase = file.get().loadBase();
            }
        }
        if (before.length == 0) {
            return null;
        }
        long size = m.size();
        boolean call = arm64 ? CallInstructions.arm64Form(before) != null
                : CallInstructions.form(before, rva, size, absoluteBase, amd64, r -> r >= 0 && r < size) != null;
        // with fewer bytes than the longest call, a call that starts before them cannot be ruled out
        return call || before.length >= need ? call : null;
    }

    /** Program files whose unwind data could not be read, and captured images not used. */
    List<Problem> problems() {
        return problems;
    }

    @Override
    public void close() throws IOException {
        for (Optional<ModuleUnwindInfo> i : programFiles.values()) {
            if (i.isPresent()) {
                i.get().close();
            }
        }
        for (Optional<ProgramFileCode> c : programCode.values()) {
            if (c.isPresent()) {
                c.get().close();
            }
        }
        if (images != null) {
            images.close();
        }
    }

    /** The STACK WIN record covering an instruction, or empty. */
    Optional<SymbolData.StackWin> stackWin(long instruction) {
        return module(instruction).flatMap(m -> breakpad(m).flatMap(f -> f.stackWinAt(instruction - m.base())));
    }

    /** The parameter size of the FUNC record covering an instruction, or -1. */
    long parameterSize(long instruction) {
        Optional<Module> m = module(instruction);
        return m.flatMap(this::breakpad).map(f -> f.parameterSizeAt(instruction - m.get().base())).orElse(-1L);
    }

    /**
     * Whether a word found on the stack could be a return address, as Breakpad judges it: inside a module, and,
     * when that module has symbols, inside a function they name (else any address of the module will do).
     */
    boolean plausibleReturnAddress(long address) {
        Boolean known = plausible.get(address);
        if (known != null) {
            return known;
        }
        Optional<Module> m = module(address);
        boolean ok = m.isPresent() && (symbols == null || !symbols.hasSymbols(m.get())
                || symbols.symbolize(Frame.unresolved(address), m.get()).function() != null);
        if (plausible.size() < MAX_KEPT) {
            plausible.put(address, ok);
        }
        return ok;
    }

    /**
     * The frame at {@code address} (the instruction pointer, or a caller's return address), named by looking up
     * {@code instruction}; offsets are given from {@code address}, as Breakpad prints them.
     */
    Frame frame(long address, long instruction) {
        Optional<Module> m = module(instruction).or(() -> module(address));
        if (m.isEmpty()) {
            return Frame.unresolved(address);
        }
        Module module = m.get();
        Frame at = Frame.unresolved(instruction).withModule(module.name(), instruction - module.base());
        Frame named = symbols == null ? at : symbols.symbolize(at, module);
        long shift = address - instruction;
        return new Frame(address, named.module(), address - module.base(), named.function(),
                named.functionOffset() == null ? null : named.functionOffset() + shift, named.sourceFile(),
                named.sourceLine(), named.mangled(), named.inlined());
    }
}
