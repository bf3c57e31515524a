package org.leakscope.symbols;

import java.util.List;

import org.leakscope.model.InlinedCall;

/**
 * What an address resolved to.
 *
 * @param function       the function (FUNC) or public symbol (PUBLIC) name
 * @param functionOffset address minus the symbol's start
 * @param sourceFile     from the line record covering the address; null for PUBLIC symbols. With inlined calls,
 *                       the call site in {@code function} of the outermost one ({@link InlinedCall})
 * @param sourceLine     1-based line, or null
 * @param inlined        functions inlined at the address, innermost first, names as the file spells them; empty
 *                       when none or unknown
 */
public record SymbolHit(String function, long functionOffset, String sourceFile, Integer sourceLine,
        List<InlinedCall> inlined) {

    public SymbolHit {
        inlined = inlined == null ? List.of() : List.copyOf(inlined);
    }

    /** A hit without inlined calls. */
    public SymbolHit(String function, long functionOffset, String sourceFile, Integer sourceLine) {
        this(function, functionOffset, sourceFile, sourceLine, List.of());
    }
}
