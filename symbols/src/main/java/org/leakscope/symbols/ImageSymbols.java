package org.leakscope.symbols;

import java.util.Optional;

/**
 * The function names a program file carries itself (ELF {@code .symtab}/{@code .dynsym}, PE COFF symbols and
 * exports), looked up by module offset: what {@link SymbolStore} falls back to when there is no Breakpad file.
 */
public interface ImageSymbols {
    /** The function holding the address {@code moduleOffset} bytes above the module's base. */
    Optional<SymbolHit> lookup(long moduleOffset);

    /** How many functions the file names. */
    int functions();

    /** Which build the file is, to be checked against the module it would name ({@link ModuleMatch}). */
    BuildIdentity identity();

    /** The index of the last start at or below {@code address} (unsigned), or -1: {@code starts} is sorted. */
    static int floor(long[] starts, long address) {
        return AddressIndex.floor(starts, starts.length, address);
    }
}
