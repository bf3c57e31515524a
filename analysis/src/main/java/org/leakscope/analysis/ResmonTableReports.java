package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.symbols.SymbolStore;

/**
 * The resmon-tables operation: every tracking table of a table image or a minidump, frames resolved through
 * the right module list and named through the symbol service, stacks merged by call site.
 */
public final class ResmonTableReports {
    private final SymbolStore symbols;
    private final AllocatorFolding folding;

    /**
     * @param symbols the symbol service naming frames (its problems are the caller's to report)
     * @param folding which frames are allocator plumbing, skipped when naming a stack's call site
     */
    public ResmonTableReports(SymbolStore symbols, AllocatorFolding folding) {
        this.symbols = symbols;
        this.folding = folding;
    }

    /** The report of an opened input: a table image or a minidump; other kinds are refused. */
    public ResmonTableReport of(Input input, ReadProgress progress) {
        if (input instanceof Input.TableImageFile f) {
            return ofImage(f.path().toString(), f.table());
        }
        if (input instanceof Input.DumpFile d) {
            return ofDump(d.dump(), progress);
        }
        throw new IllegalArgumentException(input.path() + " is a " + input.kind().jsonName()
                + ", not a table image or a minidump");
    }

    /** A table image's table, frames named through its own module list. */
    public ResmonTableReport ofImage(String source, TrackingTable t) {
        ResmonTableReport.Table table = ResmonTableReport.Table.of(t, "file", TableFrames.modulesFrom(null, t),
                TableFrames.attribute(t, TableFrames.resolver(t, symbols), folding), folding);
        return new ResmonTableReport(source, InputKind.TABLE_IMAGE, null, null, List.of(table), List.of(), List.of());
    }

    /** The tables in a dump's user streams and memory, frames named through the dump's modules. */
    public ResmonTableReport ofDump(Minidump dump, ReadProgress progress) {
        long captured = dump.memory().capturedBytes();
        FoundTables found = FoundTables.in(dump, progress);
        List<ResmonTableReport.Table> tables = new ArrayList<>();
        for (TrackingTable t : found.fromStreams()) {
            tables.add(table(dump, t, "user-stream"));
        }
        for (TrackingTable t : found.fromMemory()) {
            tables.add(table(dump, t, "memory"));
        }
        return new ResmonTableReport(dump.source(), InputKind.MINIDUMP, found.bytesScanned(), captured, tables,
                found.problems(), dump.problems());
    }

    private ResmonTableReport.Table table(Minidump dump, TrackingTable t, String foundIn) {
        return ResmonTableReport.Table.of(t, foundIn, TableFrames.modulesFrom(dump, t),
                TableFrames.attribute(t, TableFrames.resolver(dump, t, symbols), folding), folding);
    }
}
