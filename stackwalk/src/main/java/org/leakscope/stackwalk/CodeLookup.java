package org.leakscope.stackwalk;

import java.io.IOException;
import java.util.ArrayList;
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
 * What the walker asks about code addresses: which module holds one, what its symbol file says about unwinding
 * there (STACK CFI, STACK WIN, a FUNC's parameter size), and the frame's names. Without a symbol store only the
 * modules are known. Answers that a stack scan asks for again and again are kept.
 */
final class CodeLookup implements AutoCloseable {
    private final ModuleMap modules;
    private final SymbolStore symbols;
    private final Map<Long, Boolean> plausible = new HashMap<>();
    private final Map<Module, Optional<ModuleUnwindInfo>> programFiles = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private final boolean amd64;

    /** @param amd64 whether the process is amd64 (program files' x64 unwind data apply) */
    CodeLookup(ModuleMap modules, SymbolStore symbols, boolean amd64) {
        this.modules = modules;
        this.symbols = symbols;
        this.amd64 = amd64;
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

    /** Program files whose unwind data could not be read. */
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
        if (plausible.size() < 100_000) {
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
