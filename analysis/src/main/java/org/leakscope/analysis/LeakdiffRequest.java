package org.leakscope.analysis;

import org.leakscope.diff.KeyKind;
import org.leakscope.diff.SortOrder;

/**
 * What a comparison of snapshots is asked to show.
 *
 * @param trend    growth across all the snapshots rather than a compare of the last two
 * @param key      how stacks are matched; null for the inputs' natural key (frames for logs and tables)
 * @param sort     which change orders the stacks
 * @param minDelta the least change a stack must show to be listed
 * @param top      at most this many stacks (0: all in a compare, 50 in a trend)
 */
public record LeakdiffRequest(boolean trend, KeyKind key, SortOrder sort, long minDelta, int top) {
    /**
     * The request from the names people type ({@code bytes}/{@code count}, {@code trace-id}/{@code frames}/...).
     *
     * @param keyName  null for the natural key
     * @param sortName null for bytes
     * @throws IllegalArgumentException for a name that is no sort order or key, saying which names work
     */
    public static LeakdiffRequest of(boolean trend, String keyName, String sortName, long minDelta, int top) {
        SortOrder sort = sortName == null ? SortOrder.BYTES : SortOrder.parse(sortName);
        KeyKind key = keyName == null ? null : KeyKind.parse(keyName);
        return new LeakdiffRequest(trend, key, sort, minDelta, top);
    }
}
