package org.leakscope.minidump;

import org.leakscope.model.Module;

/**
 * One module of a tracking table's module list (docs/formats/resmon-table.md, since 1.1), with its identity in
 * Breakpad's spelling, as a minidump's module list gives it.
 *
 * @param path         the file's path in the traced process, or null when its string was damaged
 * @param debugFile    ELF: the path's file name; PE: the CodeView record's PDB file name; null when unknown
 * @param debugId      Breakpad debug id: an ELF build id folded into a GUID plus age 0, or the RSDS GUID and
 *                     age; null without an id
 * @param codeId       Breakpad code id: the whole ELF build id in hex, or a PE's TimeDateStamp and size; null
 * @param loadTimeNs   when the tracker first saw it, ns since the capture started (0: loaded before)
 * @param unloadTimeNs when the tracker saw it gone (0: still loaded)
 */
public record TableModule(long base, long size, String path, String debugFile, String debugId, String codeId,
        long loadTimeNs, long unloadTimeNs) {

    public boolean unloaded() {
        return unloadTimeNs != 0;
    }

    /**
     * As the common model has modules: what symbol lookups and module maps take, with the code id too (a PE
     * without a CodeView record is told apart by its timestamp, an ELF file by all of its build id).
     */
    public Module module() {
        return new Module(base, size, path == null ? "" : path, debugFile, debugId, null, codeId);
    }
}
