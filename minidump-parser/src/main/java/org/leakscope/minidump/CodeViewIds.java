package org.leakscope.minidump;

import org.leakscope.model.DebugIds;
import org.leakscope.model.Hex;

/**
 * Breakpad's debug-id spelling, so ids match symbol store paths and the ids {@code symbols} reads from program
 * files: see {@link DebugIds}.
 */
final class CodeViewIds {
    private CodeViewIds() {
    }

    static String pdb70(byte[] guid, long age) {
        return DebugIds.pdb70(guid, age);
    }

    static String pdb20(long signature, long age) {
        return DebugIds.pdb20(signature, age);
    }

    /** Breakpad: the first 16 bytes of the build id (zero-padded) read as a GUID, then age 0. */
    static String elf(byte[] buildId) {
        return DebugIds.elf(buildId);
    }

    static String hex(byte[] bytes) {
        return Hex.bytes(bytes);
    }
}
