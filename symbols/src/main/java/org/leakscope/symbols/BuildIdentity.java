package org.leakscope.symbols;

import java.util.List;

/**
 * Which build a program file or a Breakpad symbol file says it is, in the forms a loaded module's record can
 * be checked against ({@link ModuleMatch}).
 *
 * @param debugId     Breakpad-form debug id: an ELF file's from its build id (Breakpad's hash of {@code .text}
 *                    when it has none), a PE file's from its CodeView record, a {@code .sym} file's MODULE id;
 *                    null when the file has none
 * @param buildId     an ELF file's GNU build id in lowercase hex, or null
 * @param codeId      Breakpad-form code id: a PE file's TimeDateStamp and SizeOfImage, an ELF file's build id,
 *                    a {@code .sym} file's INFO CODE_ID; or null
 * @param loadedSizes the sizes a module loaded from this file is recorded with; empty when the file does not say
 * @param sizeName    what that size is, for messages ({@code SizeOfImage})
 */
public record BuildIdentity(String debugId, String buildId, String codeId, List<Long> loadedSizes, String sizeName) {
    public BuildIdentity {
        loadedSizes = List.copyOf(loadedSizes);
    }
}
