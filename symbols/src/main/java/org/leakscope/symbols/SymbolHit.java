package org.leakscope.symbols;

/**
 * What an address resolved to.
 *
 * @param function       the function (FUNC) or public symbol (PUBLIC) name
 * @param functionOffset address minus the symbol's start
 * @param sourceFile     from the line record covering the address; null for PUBLIC symbols
 * @param sourceLine     1-based line, or null
 */
public record SymbolHit(String function, long functionOffset, String sourceFile, Integer sourceLine) {
}
