package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.ResmonTableReader;
import org.leakscope.minidump.TableImage;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;
import org.leakscope.model.Snapshot;
import org.leakscope.symbols.SymbolStore;

/** A resmon tracking table as a snapshot to compare: live resources by stack, from an image or a minidump. */
public final class TableSnapshots {
    private TableSnapshots() {
    }

    /**
     * One table's snapshot.
     *
     * @param note when the dump held several tables, which one was taken (null otherwise)
     */
    public record TableSnapshot(Snapshot snapshot, String note) {
    }

    /**
     * A tracking table image as a snapshot: its live resources by stack, frames as module+offset through the
     * table's module list (1.1), so two runs loaded at other addresses compare by code, not by address.
     */
    public static TableSnapshot fromImage(Path p, Limits limits) throws IOException {
        try (TableImage img = TableImage.open(p, limits)) {
            TrackingTable t = ResmonTableReader.read(img, img.headerVa());
            return new TableSnapshot(t.snapshot(), null);
        }
    }

    /**
     * The resmon table in a minidump as a snapshot (the first when there are several), frames through the
     * dump's modules and their ELF symbols.
     *
     * @param limits the caps on what the dump may make the reader allocate (they bound the table in it too)
     * @param verb   the command asking, named in the error for a dump without a table
     * @throws InputFormatException when the dump holds no resmon table
     */
    public static TableSnapshot fromDump(Path p, Limits limits, String verb, ReadProgress progress)
            throws IOException {
        try (Minidump dump = Minidump.open(p, limits); SymbolStore symbols = new SymbolStore(List.of())) {
            List<TrackingTable> all = FoundTables.in(dump, progress).all();
            if (all.isEmpty()) {
                throw InputFormatException.atOffset(p.toString(), 0, "a UMDH snapshot log or compare output, a table"
                        + " image, or a minidump holding a resmon table (" + verb + " does not read other minidumps:"
                        + " use dumpscan)", "a minidump without a resmon table");
            }
            TrackingTable t = all.get(0);
            String note = all.size() > 1 ? p + ": holds " + all.size() + " resmon tables; comparing the first" : null;
            Snapshot raw = t.snapshot(); // frames through the table's own module list (1.1), if any
            if (dump.moduleMap().modules().isEmpty()) { // the dump lists no modules: the table's list it is
                return new TableSnapshot(new Snapshot(p.toString(), raw.processId(), raw.processName(), raw.time(),
                        raw.modules(), List.of(), raw.aggregates(), raw.problems()), note);
            }
            UnaryOperator<Frame> resolve = TableFrames.resolver(dump, symbols);
            List<BacktraceAggregate> aggs = new ArrayList<>(raw.aggregates().size());
            for (BacktraceAggregate a : raw.aggregates()) {
                List<Frame> frames = a.backtrace().frames().stream()
                        .map(f -> resolve.apply(Frame.unresolved(f.address()))).toList();
                aggs.add(new BacktraceAggregate(new Backtrace(a.backtrace().traceId(), frames), a.kind(), a.bytes(),
                        a.count(), a.overhead()));
            }
            // a program file of another build than the dump's module is not used: say so beside the table's own
            List<Problem> problems = new ArrayList<>(raw.problems());
            problems.addAll(symbols.problems());
            return new TableSnapshot(new Snapshot(p.toString(), raw.processId(), raw.processName(), raw.time(),
                    dump.moduleMap(), List.of(), aggs, problems), note);
        }
    }
}
