package org.leakscope.diff;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.Module;
import org.leakscope.model.SeededHash;

/**
 * {@link BacktraceKeys}' frame identities as 64-bit codes, for a reader that keys stacks while it reads them
 * ({@link KeyedComparison}): a frame with a module offset is its module (case and image extension ignored) and
 * offset, any other frame the text token BacktraceKeys gives it; the allocator test is BacktraceKeys' too. Two
 * frames get equal codes exactly when BacktraceKeys gives them one token, up to 64-bit hash collisions.
 */
public final class KeyCodes implements FrameCodes {
    private static final long TEXT = 0x7E57_0000_0000_0001L;

    private final KeyKind kind;
    private final AllocatorFolding folding;
    private final Map<String, long[]> modules = new HashMap<>(); // name → {hash of its key, 1 if allocator}

    /** Codes for matching by {@code kind} (FRAMES or MODULE_OFFSET) with {@code folding}'s allocator frames. */
    public KeyCodes(KeyKind kind, AllocatorFolding folding) {
        if (kind == KeyKind.TRACE_ID) {
            throw new IllegalArgumentException("trace ids need no frame codes");
        }
        this.kind = kind;
        this.folding = folding;
    }

    @Override
    public long code(Frame f) {
        boolean byOffset = f.module() != null && f.moduleOffset() != null && (f.moduleOffset() >>> 40) == 0
                && !(kind == KeyKind.FRAMES && f.function() != null);
        if (byOffset) { // as module() codes a raw address in the module
            long[] m = module0(f.module());
            boolean allocator = f.function() == null ? m[1] != 0 : folding.isAllocator(f);
            return code(SeededHash.mix(m[0] + f.moduleOffset()), allocator ? ALLOCATOR : 0);
        }
        long hash = SeededHash.mix(hash(BacktraceKeys.token(kind, f)) ^ TEXT);
        return code(hash, folding.isAllocator(f) ? ALLOCATOR : 0);
    }

    @Override
    public LongUnaryOperator module(Module module) {
        long[] m = module0(module.name());
        long seed = m[0];
        long allocator = m[1] != 0 ? ALLOCATOR : 0; // the bit, not a test per frame line
        return offset -> code(SeededHash.mix(seed + offset), allocator);
    }

    /**
     * A code from a frame's hash: never 0, with {@code allocator} (ALLOCATOR or 0) as its top bit. The one formula
     * for every way a frame is coded; a return address at a module offset hashes its module's seed plus the offset
     * whether it is coded through its module ({@link #module}: the indexed reader's frame lines) or as a Frame (a
     * stack read whole or read again), which must agree or one stack would get two keys.
     */
    private static long code(long hash, long allocator) {
        long id = hash & ~ALLOCATOR;
        return (id == 0 ? 1 : id) | allocator;
    }

    private long[] module0(String name) {
        long[] m = modules.get(name);
        if (m == null) {
            m = new long[] {SeededHash.mix(hash(BacktraceKeys.moduleKey(name))),
                folding.isAllocatorModule(name) ? 1 : 0};
            modules.put(name, m);
        }
        return m;
    }

    private static long hash(String s) {
        long h = s.length();
        for (int i = 0; i < s.length(); i++) {
            h = SeededHash.mix(h + s.charAt(i));
        }
        return h;
    }
}
