package org.leakscope.diff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.IndexedFrames;
import org.leakscope.model.LongIntMap;
import org.leakscope.model.SeededHash;

/**
 * Turns a backtrace into the key two snapshots are matched on. Frame identities become small ints (one per
 * distinct token across all snapshots), so a stack key is an int array: readers intern their frames, and the
 * per-frame work (token, allocator test) is cached by Frame identity and done once per distinct frame.
 *
 * <p>A frame without a symbol (what every raw UMDH snapshot holds) is numbered through its module and offset
 * packed into a long, in a primitive map: snapshots with millions of distinct return addresses would otherwise
 * keep a String, a HashMap node and an identity-map entry per address, gigabytes that left the collector
 * running for minutes.
 */
final class BacktraceKeys {
    /**
     * A folded stack as token ids. Token ids are numbered in the order frames first appear, so an input decides
     * them: hashed with a seed (Arrays.hashCode's fixed polynomial lets a file make every stack hash alike, and
     * a HashMap bin of equal hashes and keys that are not Comparable is searched one by one).
     */
    static final class StackKey {
        final int[] tokens;
        final int hash;

        StackKey(int[] tokens) {
            this.tokens = tokens;
            this.hash = SeededHash.of(tokens);
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
    private int tokens;
    /** Module ids that fit the 23 bits above a 40-bit offset in a positive long; modules past them use Strings. */
    private static final int MODULE_IDS = 1 << 23;
    private static final int NO_MODULE = Integer.MAX_VALUE;
    /** (module id << 40 | module offset) → token: every {@code module+offset} token, without a String each */
    private final LongIntMap offsetTokens = new LongIntMap(1 << 12);
    /**
     * The module names frames carry → module id, or {@code -1 - id} when a frame in it without a function name is
     * an allocator frame.
     */
    private final Map<String, Integer> moduleByName = new HashMap<>();
    private final Map<String, Integer> moduleIds = new HashMap<>();
    /** Folded frame count of the last {@link #key} call. */
    int lastFolded;

    BacktraceKeys(KeyKind kind, AllocatorFolding folding) {
        this.kind = kind;
        this.folding = kind == KeyKind.TRACE_ID ? AllocatorFolding.none() : folding;
    }

    /** Drops the per-Frame cache: frames of the next snapshot are other objects. */
    void nextSnapshot() {
        frameCache.clear();
        cacheTable = null;
        cachedCodes = null;
        cached = null;
    }

    Object key(Backtrace bt) {
        int n = keyTokens(bt);
        return n < 0 ? textKey : new StackKey(Arrays.copyOf(buffer, n));
    }

    /** The text key of the last {@link #keyTokens} call that returned -1. */
    String textKey;
    /** The token ids of the last {@link #keyTokens} call, in [0, its result). */
    int[] buffer = new int[64];

    /**
     * Like {@link #key} without making a key object: the stack's token ids go to {@link #buffer} and their number
     * is returned, or -1 when the key is text ({@link #textKey}: a trace id, or a trace without a stack).
     */
    int keyTokens(Backtrace bt) {
        lastFolded = 0;
        if (kind == KeyKind.TRACE_ID && bt.traceId() != null) {
            textKey = bt.traceId();
            return -1;
        }
        List<Frame> frames = bt.frames();
        int n = frames.size();
        if (n == 0) {
            // A trace whose stack was never printed can only be matched by its id.
            textKey = bt.traceId() == null ? "" : "id:" + bt.traceId();
            return -1;
        }
        if (buffer.length < n) {
            buffer = new int[Math.max(n, buffer.length * 2)];
        }
        int[] ids = buffer;
        IndexedFrames numbered = frames instanceof IndexedFrames x ? x : null;
        if (numbered != null && !numbered.sameTable(cacheTable)) {
            cacheTable = numbered;
            cachedCodes = new int[numbered.tableSize()];
            cached = new boolean[numbered.tableSize()];
        }
        int folded = 0;
        boolean folding = true;
        int out = 0;
        for (int i = 0; i < n; i++) {
            int code = numbered != null ? cachedCode(numbered, i) : code(frames.get(i));
            if (folding && code < 0 && i < n - 1) {
                folded++;
                continue;
            }
            folding = false;
            ids[out++] = code & Integer.MAX_VALUE;
        }
        lastFolded = folded;
        return out;
    }

    /**
     * {@link #code} of a frame a reader numbered, looked up by its number: a snapshot's stacks repeat the same
     * frames, and an array indexed by frame number is much smaller than the token table (one cache miss per
     * frame less; the codes are the same, the first sight of each frame still decides its token).
     */
    private int cachedCode(IndexedFrames frames, int i) {
        int number = frames.frameNumber(i);
        if (cached[number]) {
            return cachedCodes[number];
        }
        int code = code(frames.get(i));
        cachedCodes[number] = code;
        cached[number] = true;
        return code;
    }

    /** The frame table {@link #cachedCodes} is for (one snapshot's), or null. */
    private IndexedFrames cacheTable;
    private int[] cachedCodes;
    private boolean[] cached;

    /** Token id of a frame, negative (top bit set) when it is an allocator frame. */
    private int code(Frame f) {
        int m = f.module() != null && f.moduleOffset() != null && (f.moduleOffset() >>> 40) == 0
                && !(kind == KeyKind.FRAMES && f.function() != null) ? module(f.module()) : NO_MODULE;
        int moduleId = m < 0 ? -1 - m : m;
        boolean byOffset = m != NO_MODULE && moduleId < MODULE_IDS;
        if (byOffset && f.function() == null) {
            // the common case, millions of times: no cache entry, the allocator test is the module's
            int id = offsetToken(moduleId, f.moduleOffset());
            return m < 0 ? id | Integer.MIN_VALUE : id;
        }
        Integer c = frameCache.get(f);
        if (c != null) {
            return c;
        }
        int id = byOffset ? offsetToken(moduleId, f.moduleOffset())
                : tokenIds.computeIfAbsent(token(f), t -> tokens++);
        int code = folding.isAllocator(f) ? id | Integer.MIN_VALUE : id;
        frameCache.put(f, code);
        return code;
    }

    /** The module's id (case and image extension ignored, as in {@link #moduleKey}), {@code -1 - id} if allocator. */
    private int module(String name) {
        Integer m = moduleByName.get(name);
        if (m == null) {
            int id = moduleIds.computeIfAbsent(moduleKey(name), k -> moduleIds.size());
            m = folding.isAllocatorModule(name) ? -1 - id : id;
            moduleByName.put(name, m);
        }
        return m;
    }

    /** The token of {@code module+offset} (what {@link #token} spells as a String), numbered on first sight. */
    private int offsetToken(int module, long offset) {
        long key = ((long) module << 40) | offset;
        int id = offsetTokens.get(key);
        if (id < 0) {
            id = tokens++;
            offsetTokens.put(key, id);
        }
        return id;
    }

    /** A frame's identity as text, for the frames {@link #offsetToken} does not number. */
    private String token(Frame f) {
        return token(kind, f);
    }

    /** {@link #token(Frame)} under a key kind: shared with {@link KeyCodes}, which must name frames alike. */
    static String token(KeyKind kind, Frame f) {
        String m = f.module() == null ? null : moduleKey(f.module());
        if (kind == KeyKind.FRAMES && f.function() != null) {
            return m + "!" + f.function();
        }
        if (m != null && f.moduleOffset() != null) {
            return m + "+" + Long.toHexString(f.moduleOffset()); // offsets past 2^40, modules past 2^23
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
