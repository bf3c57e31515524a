package org.leakscope.diff;

import java.util.List;
import org.leakscope.model.Frame;

/**
 * Who a leak belongs to: the first frame of its stack outside the allocator and the language runtime, and the
 * frames folded above it, innermost first ({@code malloc}, {@code operator new(unsigned long)},
 * {@code std::__new_allocator<int>::allocate}...). They stay part of the report ("via").
 */
public record Attribution(Frame site, List<Frame> folded) {
    public Attribution {
        folded = List.copyOf(folded);
    }

    /** The folded frame the site called: the outermost folded one, or null when nothing was folded. */
    public Frame called() {
        return folded.isEmpty() ? null : folded.get(folded.size() - 1);
    }
}
