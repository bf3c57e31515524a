package org.leakscope.resmon;

import java.util.List;

/**
 * Memory block sizes that resmon printed modulo 4 GiB. The original resmon prints each block with
 * {@code size %u}, which on x64 shows only the low 32 bits of the 64-bit size, while the section header prints
 * the total with {@code %I64d}. A real example: a 5 GiB reservation listed as {@code size 1073741824} under
 * {@code memory usage 5372000061}. So when the listed sizes fall short of the total by a multiple of 4 GiB,
 * blocks of 4 GiB or more were listed too small (docs/formats/resmon.md §5).
 *
 * @param listedBytes     the block sizes as printed, summed
 * @param totalBytes      the section's {@code memory usage N}
 * @param wraps           how many times 4 GiB is missing: (total - listed) / 4 GiB
 * @param corrected       the report's call sites and examples carry the corrected sizes
 * @param correctedBlocks how many blocks were given back the multiples of 4 GiB they lost (0 when not corrected)
 * @param fixes           the call sites whose bytes were corrected, largest addition first (at most 20)
 * @param reason          when not corrected, why the allocation-size table could not tell which blocks; else null
 */
public record SizeWrap(long listedBytes, long totalBytes, long wraps, boolean corrected, long correctedBlocks,
        List<Fix> fixes, String reason) {
    public static final long FOUR_GIB = 1L << 32;

    public SizeWrap {
        fixes = List.copyOf(fixes);
    }

    /** One call site's correction: its blocks together gained {@code addedBytes}. */
    public record Fix(Long returnAddress, long addedBytes) {
    }
}
