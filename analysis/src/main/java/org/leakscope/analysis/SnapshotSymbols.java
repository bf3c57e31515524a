package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.Snapshot;
import org.leakscope.symbols.SymbolStore;

/**
 * Function names for a snapshot's frames where the symbol service knows the module (UMDH logs record only
 * module paths, so stores are searched by module name). Each distinct frame is looked up once.
 */
public final class SnapshotSymbols {
    private SnapshotSymbols() {
    }

    /**
     * The snapshot with function names where the store has them; the same snapshot when none changed.
     *
     * @param resolvedAny element 0 is set when any frame, after this, has a function name
     */
    public static Snapshot symbolize(Snapshot s, SymbolStore symbols, boolean[] resolvedAny) {
        Map<Frame, Frame> memo = new IdentityHashMap<>();
        List<BacktraceAggregate> out = new ArrayList<>(s.aggregates().size());
        boolean changed = false;
        for (BacktraceAggregate a : s.aggregates()) {
            List<Frame> fs = symbolize(a.backtrace().frames(), memo, s, symbols, resolvedAny);
            List<List<Frame>> aliases = new ArrayList<>(a.backtrace().aliases().size());
            boolean aliasChanged = false;
            for (List<Frame> alias : a.backtrace().aliases()) {
                List<Frame> sa = symbolize(alias, memo, s, symbols, resolvedAny);
                aliasChanged |= sa != alias;
                aliases.add(sa);
            }
            if (fs == a.backtrace().frames() && !aliasChanged) {
                out.add(a);
            } else {
                changed = true;
                out.add(new BacktraceAggregate(new Backtrace(a.backtrace().traceId(), fs, aliases), a.kind(),
                        a.bytes(), a.count(), a.overhead()));
            }
        }
        return changed ? new Snapshot(s.source(), s.processId(), s.processName(), s.time(), s.modules(), s.resources(),
                out, s.problems()) : s;
    }

    /** The frames with names where the store has them; the same list when none changed. */
    private static List<Frame> symbolize(List<Frame> frames, Map<Frame, Frame> memo, Snapshot s, SymbolStore symbols,
            boolean[] resolvedAny) {
        Frame[] fs = null;
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            Frame g = memo.computeIfAbsent(f, x -> resolve(x, s, symbols));
            resolvedAny[0] |= g.function() != null;
            if (g != f && fs == null) {
                fs = frames.toArray(new Frame[0]);
            }
            if (fs != null) {
                fs[i] = g;
            }
        }
        return fs == null ? frames : List.of(fs);
    }

    private static Frame resolve(Frame f, Snapshot s, SymbolStore symbols) {
        if (f.function() != null || f.module() == null) {
            return f;
        }
        Optional<Module> m = s.modules().find(f.address());
        return m.isPresent() ? symbols.symbolizeReturnAddress(f, m.get()) : f;
    }
}
