package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.leakscope.model.Module;
import org.leakscope.symbols.SymbolOrigin;
import org.leakscope.symbols.SymbolStore;

/**
 * Where one module's names came from, as every report says it: the file (and server) used, or that none of its
 * name was on the symbol path, or that only files of another build were.
 *
 * @param module  the module's file name
 * @param debugId its debug id as the input recorded it, or null
 * @param status  {@code found}, {@code missing} or {@code mismatched}
 * @param file    the file the names come from (a .sym, a PDB, the program file), or null
 * @param url     the symbol server it was downloaded from (now or into the cache earlier), or null when local
 * @param detail  for {@code mismatched}: the first file refused, naming both ids; otherwise null
 */
public record ModuleSymbols(String module, String debugId, String status, String file, String url, String detail) {
    /**
     * The modules a symbol service was asked about, in the order asked. "missing" is left out when no symbol path
     * was given: nothing was searched but the modules' own paths, so it would say nothing.
     *
     * @param symbols the service, after the frames were named; may be null (then the list is empty)
     * @return one entry per module asked about
     */
    public static List<ModuleSymbols> of(SymbolStore symbols) {
        return of(symbols, List.of());
    }

    /** {@link #of(SymbolStore)}, the modules {@code order} lists first and in its order. */
    public static List<ModuleSymbols> of(SymbolStore symbols, List<Module> order) {
        List<ModuleSymbols> out = new ArrayList<>();
        if (symbols == null) {
            return out;
        }
        for (SymbolOrigin o : symbols.origins(order)) {
            if (o.status() != SymbolOrigin.Status.MISSING || symbols.hasSymbolPath()) {
                out.add(new ModuleSymbols(o.module(), o.debugId(), o.status().name().toLowerCase(Locale.ROOT),
                        o.file(), o.url(), o.detail()));
            }
        }
        return out;
    }
}
