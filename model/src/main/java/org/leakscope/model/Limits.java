package org.leakscope.model;

/**
 * Named caps on what a reader will allocate for counts and sizes it reads from a file. A count beyond a cap
 * is rejected as bad input before anything is allocated. Passed to readers explicitly; never static, so a
 * caller that trusts its input can raise them.
 *
 * @param maxStreams        directory entries in a minidump
 * @param maxThreads        threads in a thread list
 * @param maxModules        modules in a module list
 * @param maxMemoryRanges   ranges in a memory list, memory-info list or Memory64 list
 * @param maxHandles        handle descriptors
 * @param maxStringBytes    bytes of one string read from a binary file
 * @param maxStreamBytes    bytes of one minidump stream parsed into memory (memory contents excluded)
 * @param maxLineChars      characters of one text line before it is reported as damaged
 */
public record Limits(int maxStreams, int maxThreads, int maxModules, int maxMemoryRanges, int maxHandles,
        int maxStringBytes, int maxStreamBytes, int maxLineChars) {

    public static final Limits DEFAULT = new Limits(
            4_096, 100_000, 100_000, 4_000_000, 1_000_000, 64 * 1024, 256 * 1024 * 1024, 1024 * 1024);

    public Limits {
        if (maxStreams <= 0 || maxThreads <= 0 || maxModules <= 0 || maxMemoryRanges <= 0 || maxHandles <= 0
                || maxStringBytes <= 0 || maxStreamBytes <= 0 || maxLineChars <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
