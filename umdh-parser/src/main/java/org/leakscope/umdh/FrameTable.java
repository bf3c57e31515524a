package org.leakscope.umdh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Frame;
import org.leakscope.model.LongIntMap;
import org.leakscope.model.ModuleMap;

/**
 * The distinct frames of one log, each stored once: a big log repeats the same few thousand return addresses
 * in hundreds of thousands of stacks, so stacks hold indices and every backtrace shares one Frame object per
 * address.
 */
final class FrameTable {
    private final LongIntMap byAddress = new LongIntMap(1 << 12);
    private final Map<String, Integer> byText = new HashMap<>();
    private final List<Object> entries = new ArrayList<>(); // Long address, or a parsed Frame

    /** True when some frame was printed with a function name (a symbolized log). */
    boolean hasSymbolicFrames() {
        return !byText.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** Loads the address's home slot and nothing else: a prefetch. */
    long touch(long address) {
        return byAddress.touch(address & Long.MAX_VALUE);
    }

    /** Index of a raw address (addresses are encoded with their top bit cleared by the caller's map rules). */
    int address(long address) {
        long key = address & Long.MAX_VALUE; // LongIntMap reserves MIN_VALUE; the top bit is kept in entries
        int i = byAddress.get(key);
        if (i >= 0 && (Long) entries.get(i) == address) {
            return i;
        }
        if (i >= 0) {
            // two addresses differing only in bit 63: never seen in practice, keep them apart via the text map
            return text(Long.toHexString(address), Frame.unresolved(address));
        }
        i = entries.size();
        entries.add(address);
        byAddress.put(key, i);
        return i;
    }

    /** Index of a symbolic frame line (same text, same index). */
    int text(String text, Frame parsed) {
        Integer i = byText.get(text);
        if (i != null) {
            return i;
        }
        int n = entries.size();
        entries.add(parsed);
        byText.put(text, n);
        return n;
    }

    /** Every frame, raw addresses resolved to module+offset through the log's own module table. */
    Frame[] build(ModuleMap modules) {
        Frame[] out = new Frame[entries.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = entries.get(i);
            out[i] = e instanceof Long a ? modules.frame(a) : (Frame) e;
        }
        return out;
    }
}
