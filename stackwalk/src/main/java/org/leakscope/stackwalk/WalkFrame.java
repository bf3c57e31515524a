package org.leakscope.stackwalk;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A frame while the walk is under way. {@code context} holds every value the frame's register context has, also
 * ones carried over from the callee that were not recovered (Breakpad copies the callee's context into a
 * scanned or frame-pointer frame and some rules read those stale values); {@code valid} names the recovered ones,
 * which are all a caller may trust and all that is reported.
 */
final class WalkFrame {
    final Map<String, Long> context;
    final Set<String> valid;
    final FoundBy foundBy;
    /** x86: the parameter size of this frame's STACK WIN record or FUNC, once its caller was sought; -1 if none. */
    long parameterSize = -1;

    WalkFrame(Map<String, Long> context, Set<String> valid, FoundBy foundBy) {
        this.context = new LinkedHashMap<>(context);
        this.valid = new LinkedHashSet<>(valid);
        this.foundBy = foundBy;
    }

    /** The register's value, valid or stale, or null when the context has none. */
    Long get(String register) {
        return context.get(register);
    }

    boolean isValid(String register) {
        return valid.contains(register) && context.containsKey(register);
    }

    /** Sets a register and marks it recovered. */
    void set(String register, long value) {
        context.put(register, value);
        valid.add(register);
    }

    /**
     * Drops the registers once a frame's caller was found: only the newest frame's are read again, and a long
     * walk should not keep thousands of copies of a context.
     */
    void forgetRegisters() {
        context.clear();
        valid.clear();
    }

    /** The recovered registers in the CPU's order. */
    Map<String, Long> recovered(Iterable<String> order) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String r : order) {
            if (isValid(r)) {
                out.put(r, context.get(r));
            }
        }
        return out;
    }
}
