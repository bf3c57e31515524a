package org.leakscope.symbols;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.leakscope.demangle.Demangler;
import org.leakscope.model.InlinedCall;
import org.leakscope.symbols.dwarf.DwarfSymbols;
import org.leakscope.symbols.dwarf.InlineFrame;

/**
 * A program file's DWARF as {@link SymbolStore} looks frames up in it: function, file and line, and the functions
 * inlined at the address as {@link InlinedCall}s (innermost first). {@link DwarfSymbols#lookup} names the outermost
 * function but gives the line-table row of the address, which is the innermost inlined code's line, and
 * {@link DwarfSymbols#inlineFrames} gives each inlined function with the call site in the function outside it; so
 * the row's line goes to the innermost inlined call, each call site to the function that made it, and the last
 * call site to the frame itself.
 */
final class DwarfImageSymbols implements ImageSymbols {
    private final DwarfSymbols dwarf;
    /** The program's symbol table, read by the store to match the build; null: the DWARF file's own (a debug file) */
    private final ImageSymbols table;

    DwarfImageSymbols(DwarfSymbols dwarf, ImageSymbols table) {
        this.dwarf = dwarf;
        this.table = table;
    }

    /** Damage found so far in the file's DWARF (it grows as units are decoded). */
    List<org.leakscope.model.Problem> problems() {
        return dwarf.problems();
    }

    @Override
    public Optional<SymbolHit> lookup(long moduleOffset) {
        Optional<SymbolHit> found = dwarf.lookup(moduleOffset);
        if (found.isEmpty()) {
            return found;
        }
        SymbolHit h = found.get();
        String name = spelled(h, moduleOffset);
        List<InlineFrame> frames = dwarf.inlineFrames(moduleOffset);
        if (frames.isEmpty()) {
            return Optional.of(new SymbolHit(name, h.functionOffset(), h.sourceFile(), h.sourceLine()));
        }
        List<InlinedCall> calls = new ArrayList<>(frames.size());
        String file = h.sourceFile();
        Integer line = h.sourceLine();
        for (InlineFrame f : frames) {
            calls.add(new InlinedCall(f.function(), null, file, line));
            file = f.callFile();
            line = f.callLine();
        }
        return Optional.of(new SymbolHit(name, h.functionOffset(), file, line, calls));
    }

    /**
     * DWARF's name for the function, or the symbol table's spelling of the same function (same start) when that
     * demangles to it: {@link SymbolStore} then keeps the mangled name beside the readable one, as it does for a
     * file without DWARF.
     */
    private String spelled(SymbolHit h, long moduleOffset) {
        if (h.function() == null) {
            return null;
        }
        Optional<SymbolHit> t = table != null ? table.lookup(moduleOffset) : dwarf.symbolTableLookup(moduleOffset);
        if (t.isPresent() && t.get().function() != null && t.get().functionOffset() == h.functionOffset()) {
            String raw = t.get().function();
            if (raw.equals(h.function()) || h.function().equals(Demangler.demangle(raw))) {
                return raw;
            }
        }
        return h.function();
    }

    @Override
    public int functions() {
        return dwarf.functions();
    }

    @Override
    public BuildIdentity identity() {
        return dwarf.identity();
    }
}
