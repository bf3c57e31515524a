package org.leakscope.umdh;

import org.leakscope.model.Backtrace;

/**
 * One stack of a UMDH compare output: the {@code +}/{@code -} bytes line, the allocations line when present,
 * and the stack UMDH resolved at compare time.
 *
 * @param oldCount null when the file has no allocations line for this trace (older UMDH)
 * @param newCount null when the file shows no allocation count
 * @param line     where the entry starts in the file
 */
public record CompareEntry(Backtrace backtrace, long oldBytes, long newBytes, Long oldCount, Long newCount,
        long line) {
    public String traceId() {
        return backtrace.traceId();
    }
}
