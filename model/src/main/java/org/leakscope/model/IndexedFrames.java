package org.leakscope.model;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A stack's frames as a window on shared arrays: frame numbers in a reader's int array, each naming an entry of
 * its frame table. A reader holding millions of stacks keeps one Frame per distinct address and no array of
 * references per stack: the collector scans a primitive array once instead of twenty references per stack.
 * Immutable (the arrays are never written after the reader hands them out); equal to any list of the same frames.
 */
public final class IndexedFrames extends AbstractList<Frame> implements RandomAccess {
    private final Frame[] table;
    private final int[] ids;
    private final int start;
    private final int size;

    /** The frames {@code table[ids[start]]} ... {@code table[ids[start + size - 1]]}. */
    public IndexedFrames(Frame[] table, int[] ids, int start, int size) {
        if (start < 0 || size < 0 || start > ids.length - size) {
            throw new IndexOutOfBoundsException("frames " + start + "+" + size + " of " + ids.length);
        }
        this.table = table;
        this.ids = ids;
        this.start = start;
        this.size = size;
    }

    @Override
    public Frame get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return table[ids[start + index]];
    }

    @Override
    public int size() {
        return size;
    }

    /** The number of frame {@code index} in the frame table (the same number, the same Frame). */
    public int frameNumber(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return ids[start + index];
    }

    /** Entries in the frame table: every frame number is below it. */
    public int tableSize() {
        return table.length;
    }

    /** Whether both number their frames in one table (stacks of one snapshot): per-number caches then hold. */
    public boolean sameTable(IndexedFrames other) {
        return other != null && other.table == table;
    }
}
