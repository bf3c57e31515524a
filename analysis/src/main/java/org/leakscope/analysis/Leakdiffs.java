package org.leakscope.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.KeyKind;
import org.leakscope.diff.KeyedComparison;
import org.leakscope.diff.KeyedTrend;
import org.leakscope.diff.SnapshotSeries;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Problem;
import org.leakscope.model.Snapshot;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.umdh.UmdhSnapshotReader;
import org.leakscope.umdh.UmdhTraces;

/** leakdiff's work as one call: read inputs in, a compare, trend or re-read compare output out. */
public final class Leakdiffs {
    private Leakdiffs() {
    }

    /**
     * Compares the inputs ({@link SnapshotReads#read}): one UMDH compare output is re-read, two or more snapshots
     * compared (the last two) or, asked for a trend, followed across all of them. Frames are named through
     * {@code settings}' symbol roots; logs' and tables' runs are moved onto one address layout.
     */
    public static LeakdiffReport analyse(List<SnapshotInput> inputs, Settings settings, LeakdiffRequest request) {
        try (IndexedKeys keys = indexed(inputs) ? indexedKeys(List.of(InputKind.UMDH_SNAPSHOT,
                InputKind.UMDH_SNAPSHOT), settings, request) : null) {
            return analyse(inputs, settings, request, keys);
        }
    }

    /**
     * {@link #analyse(List, Settings, LeakdiffRequest)} of inputs read with {@code keys}' codes, whose symbol
     * service named their frames. Inputs read whole (also after an index that could not stand for them), or null
     * keys: a service of its own, which asks about the modules in the order of the inputs.
     */
    public static LeakdiffReport analyse(List<SnapshotInput> inputs, Settings settings, LeakdiffRequest request,
            IndexedKeys keys) {
        if (indexed(inputs)) {
            if (keys == null) {
                throw new IllegalStateException("inputs read indexed are analysed with the keys they were read with");
            }
            return analyse(inputs, settings, request, keys.symbols(), keys);
        }
        try (SymbolStore own = settings.openSymbols()) {
            return analyse(inputs, settings, request, own, null);
        }
    }

    /** @param keys the keys the inputs were read indexed with; null for inputs read whole */
    private static LeakdiffReport analyse(List<SnapshotInput> inputs, Settings settings, LeakdiffRequest request,
            SymbolStore symbols, IndexedKeys keys) {
        List<String> warnings = new ArrayList<>();
        for (SnapshotInput in : inputs) {
            List<Problem> ps = in.compare() != null ? in.compare().problems() : in.snapshot().problems();
            ps.forEach(p -> warnings.add(p.message()));
            if (in.note() != null) {
                warnings.add(in.note());
            }
            if (in.compare() != null && !in.compare().radixDetected()) {
                warnings.add(in.path() + ": its numbers read the same in hex and decimal; read as hex (umdh's default;"
                        + " use --input-radix 10 for 'umdh -d' output)");
            }
        }
        boolean logs = inputs.stream().anyMatch(in -> in.kind() == InputKind.RESMON_LOG);
        boolean tables = inputs.stream().anyMatch(in -> in.kind() == InputKind.TABLE_IMAGE
                || in.kind() == InputKind.MINIDUMP);
        boolean[] symbolized = {false};
        List<Snapshot> snapshots = Comparisons.symbolize(inputs, symbols, !settings.symbolPath().isEmpty(),
                symbolized);
        boolean indexed = keys != null;
        if (!indexed) {
            symbols.problems().forEach(p -> warnings.add(p.message()));
        }
        if (logs || tables) {
            warnings.addAll(Comparisons.alignRuns(inputs, snapshots));
        }
        // inputs read indexed had their frames named as they were read (IndexedKeys): a name found then is one
        // a whole read would find
        KeyKind key = request.key() != null ? request.key() : logs || tables ? KeyKind.FRAMES
                : Comparisons.defaultKey(snapshots, symbolized[0] || (indexed && keys.named()));
        AllocatorFolding folding = settings.folding();
        boolean folded = key != KeyKind.TRACE_ID && !folding.isEmpty();
        List<String> w = List.copyOf(warnings);
        if (indexed) {
            List<UmdhTraces> traces = inputs.stream().map(in -> in.umdh().traces()).toList();
            Comparison c = null;
            TrendReport r = null;
            try {
                if (request.trend()) {
                    r = KeyedTrend.trend(traces, key, keys.rereading(),
                            new ArrayList<>(snapshots.stream().map(Snapshot::time).toList()));
                } else {
                    c = KeyedComparison.compare(traces.get(0), traces.get(1), key, keys.rereading());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // the service's problems and modules once the shown stacks are named too; the inputs were named at
            // once, so modules are put in input order and problems in text order: the same on every run
            List<String> all = new ArrayList<>(w);
            symbols.problems().stream().map(Problem::message).sorted().forEach(all::add);
            List<ModuleSymbols> asked = ModuleSymbols.of(symbols, keys.askedOrder());
            if (r != null) {
                return new LeakdiffReport.Trend(inputs, snapshots, key, folded, List.copyOf(all), r,
                        Comparisons.selectTrend(r, request.sort(), request.minDelta(), request.top()), asked);
            }
            return new LeakdiffReport.Compare(inputs, snapshots, key, folded, List.copyOf(all), c,
                    c.select(request.sort(), request.minDelta(), request.top()), asked);
        }
        List<ModuleSymbols> sources = ModuleSymbols.of(symbols);
        if (inputs.size() == 1 && inputs.get(0).kind() == InputKind.UMDH_COMPARE) {
            Comparison c = Comparisons.fromCompareLog(inputs.get(0).compare(), key);
            return new LeakdiffReport.Rerender(inputs, snapshots, key, folded, w, inputs.get(0).compare(), c,
                    c.select(request.sort(), request.minDelta(), request.top()), sources);
        }
        SnapshotSeries series = Comparisons.series(snapshots, key, folding);
        if (request.trend()) {
            var r = Comparisons.trend(series, snapshots);
            return new LeakdiffReport.Trend(inputs, snapshots, key, folded, w, r,
                    Comparisons.selectTrend(r, request.sort(), request.minDelta(), request.top()), sources);
        }
        Comparison c = Comparisons.compareLastTwo(series, snapshots.size());
        return new LeakdiffReport.Compare(inputs, snapshots, key, folded, w, c,
                c.select(request.sort(), request.minDelta(), request.top()), sources);
    }

    /**
     * How to read the inputs of a compare or trend indexed ({@code UmdhSnapshotReader.readIndexed}: no stack
     * kept, each keyed as read, the changed ones read again), or null to read them whole: two UMDH snapshots
     * compared, or two or more followed as a trend, qualify. Their keys need the logs (a log's own module table,
     * its symbolic frames) and the symbol service, which names a raw return address before it is coded where a
     * whole read would name it ({@link IndexedKeys}). A 1 GB log of 3 million stacks takes about 150 MB indexed,
     * over 2 GB whole.
     *
     * @return the keys, holding the symbol service until closed; null when the inputs are read whole
     */
    public static IndexedKeys indexedKeys(List<InputKind> kinds, Settings settings, LeakdiffRequest request) {
        KeyKind kind = indexedKind(kinds, request);
        return kind == null ? null : new IndexedKeys(kind, settings.folding(), settings.openSymbols());
    }

    /** The key the inputs are read indexed by, or null when they are read whole. */
    private static KeyKind indexedKind(List<InputKind> kinds, LeakdiffRequest request) {
        if (kinds.size() < 2 || (!request.trend() && kinds.size() != 2)
                || kinds.stream().anyMatch(k -> k != InputKind.UMDH_SNAPSHOT)) {
            return null;
        }
        // FRAMES and MODULE_OFFSET code a frame without a function alike; a log with symbolic frames, or with
        // frames named, is keyed by them unless MODULE_OFFSET is asked for (Comparisons.defaultKey)
        return request.key() == KeyKind.MODULE_OFFSET ? KeyKind.MODULE_OFFSET : KeyKind.FRAMES;
    }

    /**
     * The heap a comparison read indexed likely needs, from a sample of each log ({@link
     * UmdhSnapshotReader#expectedTraces}), or 0 when it will not be read indexed or the logs are small: what a
     * front end sizes its JVM by before reading (the parallel collector's 128 MiB young generation and about 40
     * MiB of other data, then 64 bytes a trace: two 1 GB logs of 3 million stacks, 5.4M expected traces, need
     * about 500 MiB and ran in 512; two of 4 million, about 610 MiB, ran out of 512 while reading). With a symbol
     * path 80 bytes a trace: frames named as they are read keep each distinct address's code and the named frames
     * of the shown stacks besides (the 3 million stacks with a store naming every module ran out of 512 MiB in one
     * run of three, and started again with 1 GiB after reading).
     */
    public static long indexedHeapBytes(List<java.nio.file.Path> paths, List<InputKind> kinds, Settings settings,
            LeakdiffRequest request) {
        if (indexedKind(kinds, request) == null) {
            return 0;
        }
        long traces = 0;
        for (java.nio.file.Path p : paths) {
            traces += UmdhSnapshotReader.expectedTraces(p);
        }
        int perTrace = settings.symbolPath().isEmpty() ? 64 : 80;
        return traces == 0 ? 0 : (168L << 20) + perTrace * traces;
    }

    /**
     * False when inputs read indexed cannot stand for the snapshots read whole, so they must be read again whole:
     * a log with alias stacks or UTF-16 text (see {@link UmdhTraces#notIndexable}) or without a module table.
     */
    public static boolean indexStandsFor(List<SnapshotInput> inputs) {
        for (SnapshotInput in : inputs) {
            UmdhTraces t = in.umdh() == null ? null : in.umdh().traces();
            if (t == null || t.notIndexable() != null || in.snapshot().modules().modules().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean indexed(List<SnapshotInput> inputs) {
        if (inputs.size() < 2 || inputs.stream().anyMatch(in -> in.umdh() == null || in.umdh().traces() == null)) {
            return false;
        }
        if (!indexStandsFor(inputs)) {
            throw new IllegalStateException("inputs read indexed that cannot stand for the snapshots: read whole");
        }
        return true;
    }
}
