package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.KeyCodes;
import org.leakscope.diff.KeyKind;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.LongIntMap;
import org.leakscope.model.Module;
import org.leakscope.model.ModuleMap;

/**
 * {@link KeyCodes} of frames named first where a whole read would name them ({@link IndexedKeys}): one reading
 * thread's. It learns the log's module table from {@link #module} calls, which the reader makes for every module
 * before it codes a frame; a frame is named in the module whose range holds its address, as
 * {@link SnapshotSymbols} names a snapshot's.
 */
final class NamingCodes implements FrameCodes {
    private final IndexedKeys keys;
    private final KeyCodes plain;
    private final Set<Module> modules = new LinkedHashSet<>();
    private ModuleMap map;                                   // of modules, made when a frame needs it
    private byte[] canName;                                  // by index in map: 0 not yet asked, 1 yes, 2 no
    private final Set<Module> asked = new LinkedHashSet<>(); // in the order this thread first named in them
    private boolean namesSome;                               // true once one of modules names its frames

    NamingCodes(IndexedKeys keys, KeyKind kind, AllocatorFolding folding) {
        this.keys = keys;
        this.plain = new KeyCodes(kind, folding);
    }

    /** The modules this thread asked the service about, in the order it first did. */
    List<Module> asked() {
        return new ArrayList<>(asked);
    }

    @Override
    public long code(Frame f) {
        return plain.code(named(f));
    }

    @Override
    public LongUnaryOperator module(Module m) {
        if (modules.add(m)) {
            map = null;
        }
        LongUnaryOperator codes = plain.module(m);
        if (!keys.names(m)) {
            return codes;
        }
        namesSome = true;
        return new NamedOffsets(m, codes);
    }

    @Override
    public List<Frame> shown(List<Frame> stack) {
        if (!namesSome) { // named() would name nothing: skip the shared cache's lookup of every frame
            return stack;
        }
        Frame[] out = null;
        for (int i = 0; i < stack.size(); i++) {
            Frame f = stack.get(i);
            Frame g = f.function() != null || f.module() == null || !canName(f.address()) ? f
                    : keys.shown(f, this::named);
            if (g != f && out == null) {
                out = stack.toArray(new Frame[0]);
            }
            if (out != null) {
                out[i] = g;
            }
        }
        return out == null ? stack : List.of(out);
    }

    /**
     * False when {@link #named} gives the frame itself for any address in the module holding this one: none does,
     * it is not named, or the service has no symbols for it. A compare of two logs of 3M stacks shows 3.9 million
     * frames; looking each up in the threads' shared map of named frames cost a second where a symbol path
     * ({@code _NT_SYMBOL_PATH}) has nothing for the log's modules.
     */
    private boolean canName(long address) {
        int i = map().indexOf(address);
        if (i < 0) {
            return false;
        }
        if (canName[i] == 0) {
            Module m = map.modules().get(i);
            canName[i] = keys.names(m) && keys.hasNames(m) ? (byte) 1 : 2;
        }
        return canName[i] == 1;
    }

    private ModuleMap map() {
        if (map == null) {
            map = ModuleMap.of(new ArrayList<>(modules));
            canName = new byte[map.modules().size()];
        }
        return map;
    }

    /** The frame named as SnapshotSymbols names it: a frame without a function, in the module holding it. */
    private Frame named(Frame f) {
        if (f.function() != null || f.module() == null) {
            return f;
        }
        Module m = map().find(f.address()).orElse(null);
        if (m == null || !keys.names(m)) {
            return f;
        }
        asked.add(m);
        return keys.name(f, m);
    }

    /**
     * The codes of one module's raw return addresses, each named once: a reader codes every frame of every stack
     * (60 million in a 1 GB log) and the distinct ones are few. A module the service has no file for is coded
     * by offset from its first miss on, as it would be without names.
     */
    private final class NamedOffsets implements LongUnaryOperator {
        private final Module module;
        private final LongUnaryOperator byOffset;
        private final LongIntMap seen = new LongIntMap(256);
        private long[] codes = new long[256];
        private boolean unnamed;

        NamedOffsets(Module module, LongUnaryOperator byOffset) {
            this.module = module;
            this.byOffset = byOffset;
        }

        @Override
        public long applyAsLong(long offset) {
            if (unnamed) {
                return byOffset.applyAsLong(offset);
            }
            int i = seen.get(offset);
            if (i >= 0) {
                return codes[i];
            }
            asked.add(module); // as a whole read asks when it names the module's first frame
            long code = keys.code(module, offset);
            if (code == 0) {
                Frame f = Frame.unresolved(module.base() + offset).withModule(module.name(), offset);
                Frame g = keys.name(f, module);
                if (g == f && !keys.hasNames(module)) {
                    unnamed = true;
                    return byOffset.applyAsLong(offset);
                }
                code = plain.code(g);
                keys.putCode(module, offset, code);
            }
            int n = seen.size();
            if (n == codes.length) {
                codes = java.util.Arrays.copyOf(codes, n * 2);
            }
            codes[n] = code;
            seen.put(offset, n);
            return code;
        }
    }
}
