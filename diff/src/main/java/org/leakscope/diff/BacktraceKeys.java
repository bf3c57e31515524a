package org.leakscope.diff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;

/**
 * Turns a backtrace into the key two snapshots are matched on. Frame identities become small ints (one per
 * distinct token across all snapshots), so a stack key is an int array: readers intern their frames, and the
 * per-frame work (token, allocator test) is cached by Frame identity and done once per distinct frame.
 */
final class BacktraceKeys {
    /** A folded stack as token ids. */
    static final class StackKey {
        final int[] tokens;
        final int hash;

        StackKey(int[] tokens) {
            this.tokens = tokens;
            this.hash = Arrays.hashCode(tokens);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StackKey k && k.hash == hash && Arrays.equals(k.tokens, tokens);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final KeyKind kind;
    private final AllocatorFolding folding;
    private final Map<String, Integer> tokenIds = new HashMap<>();
    private final IdentityHashMap<Frame, Integer> frameCache = new IdentityHashMap<>();
    /** Folded frame count of the last {@link #key} call. */
    int lastFolded;

    BacktraceKeys(KeyKind kind, AllocatorFolding folding) {
        this.kind = kind;
        this.folding = kind == KeyKind.TRACE_ID ? AllocatorFolding.none() : folding;
    }

    /** Drops the per-Frame cache: frames of the next snapshot are other objects. */
    void nextSnapshot() {
        frameCache.clear();
    }

    Object key(Backtrace bt) {
        lastFolded = 0;
        if (kind == KeyKind.TRACE_ID && bt.traceId() != null) {
            return bt.traceId();
        }
        List<Frame> frames = bt.frames();
        int n = frames.size();
        if (n == 0) {
            // A trace whose stack was never printed can only be matched by its id.
            return bt.traceId() == null ? "" : "id:" + bt.traceId();
        }
        int[] ids = new int[n];
        int folded = 0;
        boolean folding = true;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int code = code(frames.get(i));
            if (folding && code < 0 && i < n - 1) {
                folded++;
                continue;
            }
            folding = false;
            ids[out++] = code & Integer.MAX_VALUE;
        }
        lastFolded = folded;
        return new StackKey(out == n ? ids : Arrays.copyOf(ids, out));
    }

    /** Token id of a frame, negative (top bit set) when it is an allocator frame. */
    private int code(Frame f) {
        Integer c = frameCache.get(f);
        if (c != null) {
            return c;
        }
        String token = token(f);
        Integer id = tokenIds.get(token);
        if (id == null) {
            id = tokenIds.size();
            tokenIds.put(token, id);
        }
        int code = folding.isAllocator(f) ? id | Integer.MIN_VALUE : id;
        frameCache.put(f, code);
        return code;
    }

    private String token(Frame f) {
        String m = f.module() == null ? null : moduleKey(f.module());
        if (kind == KeyKind.FRAMES && f.function() != null) {
            return m + "!" + f.function();
        }
        if (m != null && f.moduleOffset() != null) {
            return m + "+" + Long.toHexString(f.moduleOffset());
        }
        if (f.function() != null) {
            // symbolic frame without a module offset (a compare file): function+offset is the best identity
            return m + "!" + f.function() + "+" + Long.toHexString(f.functionOffset() == null ? 0 : f.functionOffset());
        }
        return "0x" + Long.toHexString(f.address());
    }

    /**
     * Module identity: case-insensitive, Windows image extension dropped, so {@code NTDLL.DLL} from a module
     * table and {@code ntdll} from a symbolized compare match.
     */
    static String moduleKey(String module) {
        String m = module.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".dll", ".exe", ".sys", ".drv", ".ocx", ".cpl", ".efi"}) {
            if (m.endsWith(ext)) {
                return m.substring(0, m.length() - ext.length());
            }
        }
        return m;
    }
}
