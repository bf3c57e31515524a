package org.leakscope.symbols;

/**
 * Where one module's names came from, so a report can say it: the file used (and the server it was downloaded
 * from), or that none was found, or that only files of another build were.
 *
 * @param module  the module's file name ({@code app.exe})
 * @param debugId the module's debug id as the input recorded it, or null
 * @param status  what was found
 * @param file    the file the names come from (a {@code .sym}, a PDB, the program file), or null
 * @param url     the URL it was downloaded from (this run or an earlier one, into the cache), or null when local
 * @param detail  for {@link Status#MISMATCHED}: the first refusal, naming both ids; otherwise null
 */
public record SymbolOrigin(String module, String debugId, Status status, String file, String url, String detail) {
    /** What the symbol path gave for a module. */
    public enum Status {
        /** A file of the module's build names its frames. */
        FOUND,
        /** No file of the module's name was found. */
        MISSING,
        /** Files of the module's name were found, none of its build: its frames stay unnamed. */
        MISMATCHED
    }
}
