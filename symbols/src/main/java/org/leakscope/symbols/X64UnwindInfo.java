package org.leakscope.symbols;

import java.util.List;

/**
 * One x64 UNWIND_INFO, decoded.
 *
 * @param rva           where it is
 * @param version       1, or 2 (which adds EPILOG codes)
 * @param flags         UNW_FLAG_EHANDLER (1), UNW_FLAG_UHANDLER (2), UNW_FLAG_CHAININFO (4)
 * @param prologSize    SizeOfProlog in bytes
 * @param frameRegister the frame register's number, 0 when the function has none
 * @param frameOffset   the frame register's offset from RSP when it is set, in bytes (the scaled field * 16)
 * @param codes         the operations in the file's order: the prolog's last instruction first
 * @param chained       with UNW_FLAG_CHAININFO, the entry whose unwind information applies after this one's
 * @param handlerRva    the language handler's RVA with UNW_FLAG_EHANDLER or UHANDLER, else -1
 */
public record X64UnwindInfo(long rva, int version, int flags, int prologSize, int frameRegister, int frameOffset,
        List<X64UnwindCode> codes, X64RuntimeFunction chained, long handlerRva) {
    public static final int FLAG_EHANDLER = 1;
    public static final int FLAG_UHANDLER = 2;
    public static final int FLAG_CHAININFO = 4;

    public X64UnwindInfo {
        codes = List.copyOf(codes);
    }
}
