package org.leakscope.resmon;

import java.util.List;
import org.leakscope.model.Resource;

/**
 * One resource report: the exit block ({@code CHECK UNRELEASED RESOUCRES} ... {@code ===}) or an on-demand
 * report ({@code LogAllResources}, same lists without the bracket).
 *
 * @param exit            the exit block (the program or driver was unloading) rather than an on-demand report
 * @param complete        read to its end (the closing {@code ===} line, or the histogram's end for an on-demand
 *                        report); false when the log stops or the run moves on in the middle
 * @param start           its first line
 * @param endLine         its last line read
 * @param resmonMemory    {@code resmon memory usage N}: resmon's own bookkeeping bytes, or null if absent
 * @param memoryTotal     {@code memory usage N}: live tracked bytes, or null
 * @param threadTotal     {@code thread usage N}, or null
 * @param syncTotal       {@code sync object usage N}, or null
 * @param handleTotal     {@code handle usage N} (Leakscope's tracker: open descriptors), or null
 * @param callSites       the listed resources grouped by kind and call site, largest first
 * @param examples        the first listed resources one by one (at most {@link ResmonLogOptions#maxExamples()})
 * @param resourcesListed how many resource records the lists held
 * @param histogram       {@code allocations detail}: non-empty buckets, in order
 * @param pointerDigits   8 (x86) or 16 (x64) hex digits per address, 0 when no address was seen
 * @param notAllFree      the {@code error ... not all resources free} line was printed
 * @param activeThreads   handles from {@code thread X active(not terminated)} lines
 * @param blocked         resmon reported it could not unload because threads were still running
 * @param sizeWrap        the listed block sizes fall short of {@code memoryTotal} by a multiple of 4 GiB (resmon
 *                        printed them modulo 4 GiB), whether corrected in {@code callSites} and {@code examples} or
 *                        not; null when they agree
 */
public record ResmonReport(boolean exit, boolean complete, LogTime start, long endLine, Long resmonMemory,
        Long memoryTotal, Long threadTotal, Long syncTotal, Long handleTotal, List<CallSite> callSites,
        List<Resource> examples, long resourcesListed, List<HistogramBucket> histogram, int pointerDigits, boolean notAllFree,
        List<Long> activeThreads, boolean blocked, SizeWrap sizeWrap) {
    public ResmonReport {
        callSites = List.copyOf(callSites);
        examples = List.copyOf(examples);
        histogram = List.copyOf(histogram);
        activeThreads = List.copyOf(activeThreads);
    }

    /** True when it lists any unreleased resource or says not all were freed. */
    public boolean leaked() {
        return resourcesListed > 0 || notAllFree || nonZero(memoryTotal) || nonZero(threadTotal) || nonZero(syncTotal)
                || nonZero(handleTotal);
    }

    private static boolean nonZero(Long v) {
        return v != null && v != 0;
    }
}
