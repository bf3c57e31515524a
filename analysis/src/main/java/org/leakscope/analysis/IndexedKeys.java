package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.KeyKind;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.LongIntMap;
import org.leakscope.model.Module;
import org.leakscope.symbols.SymbolStore;

/**
 * How UMDH snapshots compared or followed as a trend are read indexed (each stack keyed as it is read, only the
 * changed ones read again): the frame codes of each reading thread and the symbol service that names frames for
 * them. Where a
 * snapshot read whole would be named ({@link Comparisons#symbolize}: a symbol path is given, or a module's file
 * is on this machine) a raw return address is named before it is coded, once per distinct address and thread,
 * so stacks match by module!function exactly as when the logs are read whole and named after; the stacks a
 * report shows are named as they are read again. Holds the symbol service until closed.
 */
public final class IndexedKeys implements AutoCloseable {
    private final KeyKind kind;
    private final AllocatorFolding folding;
    private final SymbolStore symbols;
    private final List<NamingCodes> readers = new ArrayList<>(); // one per input read, in input order
    private volatile boolean named;
    /** Codes of named return addresses by module: what every thread after the first reuses. */
    private final Map<Module, OffsetCodes> codes = new ConcurrentHashMap<>();

    IndexedKeys(KeyKind kind, AllocatorFolding folding, SymbolStore symbols) {
        this.kind = kind;
        this.folding = folding;
        this.symbols = symbols;
    }

    /** Codes for reading one input each call; called in the order of the inputs (SnapshotReads does). */
    public Supplier<FrameCodes> codes() {
        return () -> {
            NamingCodes c = new NamingCodes(this, kind, folding);
            synchronized (readers) {
                readers.add(c);
            }
            return c;
        };
    }

    /**
     * Codes for the stacks a compare reads again: they check each against the key it was read with and name its
     * frames for the report, whatever the compare matches by (trace ids too).
     */
    Supplier<FrameCodes> rereading() {
        return () -> new NamingCodes(this, kind, folding);
    }

    /** The symbol service, shared by every thread that names frames (each call under its lock). */
    SymbolStore symbols() {
        return symbols;
    }

    /** True once a raw return address got a function name. */
    boolean named() {
        return named;
    }

    /**
     * The modules asked about while reading, in the order a single thread reading the inputs one after the other
     * would have asked (the order of {@link SymbolStore#origins}, which threads reading at once shuffle).
     */
    List<Module> askedOrder() {
        Set<Module> out = new LinkedHashSet<>();
        synchronized (readers) {
            for (NamingCodes c : readers) {
                out.addAll(c.asked());
            }
        }
        return List.copyOf(out);
    }

    /** True when frames in this module are named before they are coded, as a whole read would name them. */
    boolean names(Module m) {
        return symbols.hasSymbolPath() || SymbolStore.hasLocalImage(m);
    }

    /** The return address's frame named by the service (the frame itself when it has no name). */
    Frame name(Frame f, Module m) {
        Frame g;
        synchronized (symbols) {
            g = symbols.symbolizeReturnAddress(f, m);
        }
        if (g.function() != null) {
            named = true;
        }
        return g;
    }

    /**
     * The code of a return address at {@code offset} in the module, named and coded by the first thread that met
     * it; 0 (never a code) when none has yet. The readers of the inputs share most of their distinct addresses, and
     * the stacks read again are all among them: each address is named once, not once per thread.
     */
    long code(Module m, long offset) {
        OffsetCodes c = codes.get(m);
        return c == null ? 0 : c.get(offset);
    }

    void putCode(Module m, long offset, long code) {
        codes.computeIfAbsent(m, x -> new OffsetCodes()).put(offset, code);
    }

    /** The module's codes and named frames by offset, shared by every thread. */
    OffsetCodes offsets(Module m) {
        return codes.computeIfAbsent(m, x -> new OffsetCodes());
    }

    /**
     * Codes by module offset, from any thread, and the frames of shown stacks named at them: each address named once
     * for all the threads reading stacks again. (A map of Frame to named Frame cost a record hash and equals per
     * frame, and the nodes of 200k frames spread over the heap: 3.9 million frames shown by a compare of two logs
     * of 3M stacks took longer to look up than to name.)
     */
    static final class OffsetCodes {
        private final LongIntMap at = new LongIntMap(1024);
        private long[] values = new long[1024]; // 0 where the offset was named for a shown stack, not coded
        private Frame[] shown;                  // made when a stack is shown

        synchronized long get(long offset) {
            int i = at.get(offset);
            return i < 0 ? 0 : values[i];
        }

        synchronized void put(long offset, long code) {
            int i = at.get(offset);
            if (i < 0) {
                add(offset, code, null);
            } else if (values[i] == 0) {
                values[i] = code;
            }
        }

        /** The named frame of a shown stack at the offset, or null when none was named yet. */
        synchronized Frame shown(long offset) {
            int i = at.get(offset);
            return i < 0 || shown == null ? null : shown[i];
        }

        synchronized void putShown(long offset, Frame named) {
            int i = at.get(offset);
            if (i < 0) {
                add(offset, 0, named);
                return;
            }
            if (shown == null) {
                shown = new Frame[values.length];
            }
            if (shown[i] == null) {
                shown[i] = named;
            }
        }

        private void add(long offset, long code, Frame named) {
            int n = at.size();
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
                if (shown != null) {
                    shown = Arrays.copyOf(shown, n * 2);
                }
            }
            values[n] = code;
            if (named != null) {
                if (shown == null) {
                    shown = new Frame[values.length];
                }
                shown[n] = named;
            }
            at.put(offset, n);
        }
    }

    /** True when the service has a file naming the module's functions. */
    boolean hasNames(Module m) {
        synchronized (symbols) {
            return symbols.hasSymbols(m);
        }
    }

    @Override
    public void close() {
        symbols.close();
    }
}
