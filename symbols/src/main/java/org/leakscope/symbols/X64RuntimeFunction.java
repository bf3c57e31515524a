package org.leakscope.symbols;

/**
 * One RUNTIME_FUNCTION of an x64 image's exception directory (.pdata): the RVA range {@code [begin, end)} of a
 * function or of a part of one (code moved out of line by the compiler has an entry of its own, chained to the
 * function's), and the RVA of its unwind information.
 */
public record X64RuntimeFunction(long begin, long end, long unwindRva) {

    /** Whether {@code rva} lies in this entry's range. */
    public boolean contains(long rva) {
        return rva >= begin && rva < end;
    }
}
