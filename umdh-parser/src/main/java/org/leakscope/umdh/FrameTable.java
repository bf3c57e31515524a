package org.leakscope.umdh;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.leakscope.model.Frame;
import org.leakscope.model.LongIntMap;
import org.leakscope.model.ModuleMap;

/**
 * The distinct frames of one log, each stored once: a big log repeats the same few thousand return addresses
 * in hundreds of thousands of stacks, so stacks hold indices and every backtrace shares one Frame object per
 * address. A frame is its raw address in a primitive array (no boxed Long to follow per stack line: at 200,000
 * distinct addresses that was a cache miss per line), or the parsed frame of a symbolic line.
 */
final class FrameTable {
    private final LongIntMap byAddress = new LongIntMap(1 << 12);
    private final Map<String, Integer> byText = new HashMap<>();
    private long[] addresses = new long[1 << 12]; // per frame number: its raw address
    private Frame[] parsed = new Frame[1 << 12];   // per frame number: the symbolic frame, or null for an address
    private int size;
    private boolean ambiguous;

    /** True when some frame was printed with a function name (a symbolized log). */
    boolean hasSymbolicFrames() {
        return !byText.isEmpty();
    }

    int size() {
        return size;
    }

    /** Loads the address's home slot and nothing else: a prefetch. */
    long touch(long address) {
        return byAddress.touch(address & Long.MAX_VALUE);
    }

    /** Index of a raw address (addresses are encoded with their top bit cleared by the caller's map rules). */
    int address(long address) {
        long key = address & Long.MAX_VALUE; // LongIntMap reserves MIN_VALUE; the top bit is kept in entries
        int i = byAddress.get(key);
        if (i >= 0 && addresses[i] == address) {
            return i;
        }
        if (i >= 0) {
            // two addresses differing only in bit 63: never seen in practice, keep them apart via the text map
            ambiguous = true;
            return text(Long.toHexString(address), Frame.unresolved(address));
        }
        i = add(address, null);
        byAddress.put(key, i);
        return i;
    }

    /** Index of a symbolic frame line (same text, same index). */
    int text(String text, Frame parsed) {
        Integer i = byText.get(text);
        if (i != null) {
            return i;
        }
        int n = add(0, parsed);
        byText.put(text, n);
        return n;
    }

    private int add(long address, Frame frame) {
        if (size == addresses.length) {
            addresses = Arrays.copyOf(addresses, size * 2);
            parsed = Arrays.copyOf(parsed, size * 2);
        }
        addresses[size] = address;
        parsed[size] = frame;
        return size++;
    }

    /** True when two addresses differed only in bit 63 (the second became an unresolved text frame). */
    boolean hasAmbiguousAddresses() {
        return ambiguous;
    }

    /** One frame, a raw address resolved through {@code modules} (what {@link #build} makes for it). */
    Frame frame(int number, ModuleMap modules) {
        return parsed[number] != null ? parsed[number] : modules.frame(addresses[number]);
    }

    /** Every frame, raw addresses resolved to module+offset through the log's own module table. */
    Frame[] build(ModuleMap modules) {
        Frame[] out = new Frame[size];
        for (int i = 0; i < size; i++) {
            out[i] = parsed[i] != null ? parsed[i] : modules.frame(addresses[i]);
        }
        return out;
    }
}
