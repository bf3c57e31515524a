package org.leakscope.model;

import java.util.Objects;

/**
 * A loaded image: where it sits and how to find its symbols.
 *
 * @param base      load address (unsigned)
 * @param size      image size in bytes (0 when the producer does not say)
 * @param path      full path as the producer recorded it
 * @param debugFile symbol file name ({@code test_app.pdb}, or the ELF name), or null
 * @param debugId   Breakpad-form debug id ({@code 5A9832E5287241C1838ED98914E9B7FF1}), or null
 * @param version   file version ({@code 5.1.2600.2180}), or null
 * @param codeId    Breakpad-form code id: a PE file's TimeDateStamp and SizeOfImage ({@code 45D35F6C2d000}) or an
 *                  ELF file's whole build id in hex; null when the producer does not say (see {@link DebugIds})
 */
public record Module(long base, long size, String path, String debugFile, String debugId, String version,
        String codeId) {

    /** A module whose producer records no code id (logs, UMDH snapshots). */
    public Module(long base, long size, String path, String debugFile, String debugId, String version) {
        this(base, size, path, debugFile, debugId, version, null);
    }

    // Written out because modules key the symbol and unwind caches of every frame lookup: the record's generated
    // methods go through method handles, which dumpscan's quick-start compiler (C1) leaves slow.
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Module m && base == m.base && size == m.size
                && Objects.equals(path, m.path) && Objects.equals(debugFile, m.debugFile)
                && Objects.equals(debugId, m.debugId) && Objects.equals(version, m.version)
                && Objects.equals(codeId, m.codeId);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(base) + Objects.hashCode(path);
    }

    /** The last path component, split on either slash: {@code C:\test_app.exe} gives {@code test_app.exe}. */
    public String name() {
        int cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        return path.substring(cut + 1);
    }

    /** True when the unsigned address lies in [base, base + size). */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(address - base, size) < 0;
    }
}
