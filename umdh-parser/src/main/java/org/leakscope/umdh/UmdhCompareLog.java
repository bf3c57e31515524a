package org.leakscope.umdh;

import java.util.List;
import org.leakscope.model.Problem;

/**
 * A UMDH compare output ({@code umdh [-d] old new}), read back so it can be filtered, re-rendered or turned
 * into JSON.
 *
 * @param entries          in file order
 * @param totalRequested   the {@code Total increase|decrease ==} figure, signed; null when absent
 * @param totalOverhead    the overhead part of the new-style total, signed; null in the old style
 * @param radix            16 or 10: how the numbers were read
 * @param radixDetected    false when nothing in the file told hex from decimal and hex (umdh's default) was assumed
 */
public record UmdhCompareLog(String source, List<CompareEntry> entries, Long totalRequested, Long totalOverhead,
        int radix, boolean radixDetected, List<Problem> problems, String encoding) {
    public UmdhCompareLog {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }
}
