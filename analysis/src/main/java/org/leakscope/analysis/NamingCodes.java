package org.leakscope.analysis;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.KeyCodes;
import org.leakscope.diff.KeyKind;
import org.leakscope.model.AddressStack;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.LongLongMap;
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
    private IndexedKeys.OffsetCodes[] offsets;               // by index in map, once a shown frame needs them
    private String[] names;                                  // by index in map: the module's name
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
        if (stack instanceof AddressStack raw) {
            return shown(raw);
        }
        Frame[] out = null;
        for (int i = 0; i < stack.size(); i++) {
            Frame f = stack.get(i);
            Frame g = f.function() != null || f.module() == null ? f : shownFrame(f);
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
     * A stack of raw addresses with its named frames: a Frame is made only for an address first named here, the
     * others stay addresses until printed (3.9 million frames shown by a compare of two logs of 3M stacks made
     * about 1 GB of garbage when each was made to be looked up).
     */
    private List<Frame> shown(AddressStack raw) {
        Frame[] named = null;
        for (int k = 0; k < raw.size(); k++) {
            long address = raw.address(k);
            int i = map().indexOf(address);
            if (i < 0 || !canName(i)) {
                continue;
            }
            long offset = address - map.modules().get(i).base();
            Frame g = offsets(i).shown(offset);
            if (g == null) {
                g = nameAndKeep(i, offset, raw.get(k)); // the frame of a raw address: its module's name and offset
            }
            if (g.function() != null) {
                if (named == null) {
                    named = new Frame[raw.size()];
                }
                named[k] = g;
            }
        }
        return named == null ? raw : new NamedAddresses(raw, named);
    }

    /** A raw stack with some frames named: frame k is {@code named[k]}, or the raw address's frame. */
    private static final class NamedAddresses extends AbstractList<Frame> implements RandomAccess {
        private final AddressStack raw;
        private final Frame[] named;

        NamedAddresses(AddressStack raw, Frame[] named) {
            this.raw = raw;
            this.named = named;
        }

        @Override
        public Frame get(int k) {
            return named[k] != null ? named[k] : raw.get(k);
        }

        @Override
        public int size() {
            return named.length;
        }
    }

    /**
     * The frame named, once per address for all threads ({@link IndexedKeys.OffsetCodes}); the frame itself where
     * {@link #named} would give it for any address of its module: none holds it, the module is not named, or the
     * service has no symbols for it. A compare of two logs of 3M stacks shows 3.9 million frames, and a symbol
     * path ({@code _NT_SYMBOL_PATH}) often has nothing for the log's modules.
     */
    private Frame shownFrame(Frame f) {
        int i = map().indexOf(f.address());
        if (i < 0 || !canName(i)) {
            return f;
        }
        long offset = f.address() - map.modules().get(i).base();
        if (f.sourceFile() != null || f.sourceLine() != null || f.mangled() != null || !f.inlined().isEmpty()
                || f.moduleOffset() == null || f.moduleOffset() != offset || !f.module().equals(names[i])) {
            return named(f); // not a raw address's frame, as every frame cached at an offset is: named on its own
        }
        Frame g = offsets(i).shown(offset);
        return g != null ? g : nameAndKeep(i, offset, f);
    }

    /** Names a raw address's frame at module i's offset and keeps it there for every thread. */
    private Frame nameAndKeep(int i, long offset, Frame f) {
        Frame g = named(f);
        offsets(i).putShown(offset, g);
        return g;
    }

    /** False when no address in module i of the map can be named (see {@link #shownFrame}). */
    private boolean canName(int i) {
        if (canName[i] == 0) {
            Module m = map.modules().get(i);
            canName[i] = keys.names(m) && keys.hasNames(m) ? (byte) 1 : 2;
            names[i] = m.name();
        }
        return canName[i] == 1;
    }

    private IndexedKeys.OffsetCodes offsets(int i) {
        if (offsets[i] == null) {
            offsets[i] = keys.offsets(map.modules().get(i));
        }
        return offsets[i];
    }

    private ModuleMap map() {
        if (map == null) {
            map = ModuleMap.of(new ArrayList<>(modules));
            canName = new byte[map.modules().size()];
            offsets = new IndexedKeys.OffsetCodes[canName.length];
            names = new String[canName.length];
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
        private final LongLongMap seen = new LongLongMap(256); // offset -> its code (never 0)
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
            long known = seen.get(offset);
            if (known != 0) {
                return known;
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
            seen.putIfAbsent(offset, code);
            return code;
        }
    }
}
