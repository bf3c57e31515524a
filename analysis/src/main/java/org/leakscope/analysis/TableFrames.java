package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.AttributedSite;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.TableSite;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.ModuleMap;
import org.leakscope.symbols.SymbolStore;

/** How a tracking table's raw return addresses become named frames, and its stacks call sites. */
public final class TableFrames {
    private TableFrames() {
    }

    /** Frames to module+offset through the table's own module list (1.1), named by the modules' files. */
    public static UnaryOperator<Frame> resolver(TrackingTable t, SymbolStore symbols) {
        ModuleMap map = t.moduleMap();
        return f -> map.find(f.address())
                .map(m -> symbols.symbolizeReturnAddress(f.withModule(m.name(), f.address() - m.base()), m)).orElse(f);
    }

    /**
     * A table found in a dump: through the dump's module list as today (what the debugger saw), through the
     * table's own when the dump lists no modules (a memory-only dump, a user stream alone).
     */
    public static UnaryOperator<Frame> resolver(Minidump dump, TrackingTable t, SymbolStore symbols) {
        return dump.moduleMap().modules().isEmpty() ? resolver(t, symbols) : resolver(dump, symbols);
    }

    /** Frames to module+offset through the dump's modules (the nearest below when lldb sized them short), named. */
    public static UnaryOperator<Frame> resolver(Minidump dump, SymbolStore symbols) {
        List<Module> bases = new ArrayList<>(dump.moduleMap().modules());
        bases.sort(Comparator.comparing(Module::base, Long::compareUnsigned));
        return f -> {
            Module mod = dump.moduleMap().find(f.address()).orElse(nearestBelow(bases, f.address()));
            return mod == null ? f : symbols.symbolizeReturnAddress(f.withModule(mod.name(), f.address() - mod.base()), mod);
        };
    }

    /** Whose module list names a table's frames: "dump", "table", or null when neither has one. */
    public static String modulesFrom(Minidump dump, TrackingTable t) {
        if (dump != null && !dump.moduleMap().modules().isEmpty()) {
            return "dump";
        }
        return t.moduleMap().modules().isEmpty() ? null : "table";
    }

    /** The table's stacks, resolved, merged by call site (docs/attribution.md). */
    public static List<AttributedSite<TableSite>> attribute(TrackingTable t, UnaryOperator<Frame> resolve,
            AllocatorFolding folding) {
        return AttributedSite.merge(t.sites(), folding, TableSite::kind,
                s -> s.frames().stream().map(a -> resolve.apply(Frame.unresolved(a))).toList(), TableSite::count,
                TableSite::bytes);
    }

    /**
     * The module with the highest base at or below the address, within 256 MiB and below the next module: lldb's
     * minidumps give each module the size of its first mapping only, so the module list alone misses code.
     */
    private static Module nearestBelow(List<Module> sorted, long address) {
        Module best = null;
        for (Module m : sorted) {
            if (Long.compareUnsigned(m.base(), address) <= 0) {
                best = m;
            } else {
                break;
            }
        }
        return best != null && address - best.base() < (256L << 20) ? best : null;
    }
}
