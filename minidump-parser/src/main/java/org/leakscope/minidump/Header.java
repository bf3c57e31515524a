package org.leakscope.minidump;

import java.time.Instant;

/**
 * The minidump header.
 *
 * @param signature             the first four bytes as a little-endian number: 'MDMP' is 0x504d444d
 * @param version               MINIDUMP_VERSION (0xa793)
 * @param implementationVersion the writer's own version (high word of Version)
 * @param streamCount           directory entries
 * @param directoryOffset       file offset of the directory
 * @param checksum              usually 0
 * @param timestamp             when the dump was written
 * @param flags                 MINIDUMP_TYPE bits
 */
public record Header(long signature, int version, int implementationVersion, long streamCount, long directoryOffset,
        long checksum, Instant timestamp, long flags) {
}
