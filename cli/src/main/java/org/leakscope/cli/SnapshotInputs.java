package org.leakscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Module;
import org.leakscope.model.Snapshot;
import org.leakscope.resmon.DebugViewOptions;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.resmon.ResmonLogReader;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.umdh.UmdhCompareReader;
import org.leakscope.umdh.UmdhLogKind;
import org.leakscope.umdh.UmdhOptions;
import org.leakscope.umdh.UmdhSnapshotReader;

/**
 * Finds out what each input file is from its content and reads it. Snapshots are read in parallel (one per
 * core): two 1 GB UMDH logs are read in the time of one.
 */
final class SnapshotInputs {
    private SnapshotInputs() {
    }

    /** What a file is, or an error naming the file when leakdiff cannot use it. */
    static InputKind detect(String verb, Path path, UmdhOptions options) throws IOException {
        InputFiles.check(path);
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, 8);
        }
        if (n == 8 && org.leakscope.minidump.TableImage.isImage(head)) {
            return InputKind.TABLE_IMAGE;
        }
        if (n >= 4 && head[0] == 'M' && head[1] == 'D' && head[2] == 'M' && head[3] == 'P') {
            return InputKind.DUMP_TABLE; // the resmon table in it is the snapshot; read() says so if there is none
        }
        Optional<UmdhLogKind> kind = UmdhLogKind.detect(path, options.limits().maxLineChars());
        if (kind.isPresent()) {
            return kind.get() == UmdhLogKind.SNAPSHOT ? InputKind.UMDH_SNAPSHOT : InputKind.UMDH_COMPARE;
        }
        if (n > 0 && ResmonLogReader.sniff(path, DebugViewOptions.defaults().withAnsiCharset(options.ansiCharset()))) {
            return InputKind.RESMON_LOG;
        }
        throw InputFormatException.atLine(path.toString(), 1,
                "a UMDH snapshot log ('// UMDH: version' header, heap sections, 'N bytes + O at A by BackTraceID'"
                        + " records), a UMDH compare output ('+ N ( NEW - OLD) ... BackTraceID') or a DebugView log"
                        + " with resmon output ('[pid] name.exe|resmon| ...')",
                n == 0 ? "an empty file" : "none of them in its first lines");
    }

    /** Reads every file; snapshots in parallel, in the order given. */
    static List<SnapshotInput> read(String verb, List<Path> paths, List<InputKind> kinds, UmdhOptions options,
            List<ResmonLogOptions> logOptions, List<Integer> runs, Progress progress) throws IOException {
        int threads = Math.max(1, Math.min(paths.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, verb + "-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SnapshotInput>> futures = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                Path p = paths.get(i);
                InputKind k = kinds.get(i);
                java.util.function.LongConsumer bytes = progress.forFile(verb, p.getFileName().toString(), Files.size(p));
                UmdhOptions o = options.withProgress(bytes);
                ResmonLogOptions lo = logOptions.get(i);
                Integer run = runs.get(i);
                futures.add(pool.submit(() -> switch (k) {
                    case UMDH_SNAPSHOT -> SnapshotInput.umdh(p.toString(), UmdhSnapshotReader.read(p, o));
                    case UMDH_COMPARE -> SnapshotInput.compare(p.toString(), UmdhCompareReader.read(p, o));
                    case RESMON_LOG -> RunChoice.pick(p.toString(), ResmonLogReader.read(p, lo, bytes), run, lo);
                    case TABLE_IMAGE -> table(p);
                    case DUMP_TABLE -> dumpTable(p, verb, progress);
                }));
            }
            List<SnapshotInput> out = new ArrayList<>();
            for (Future<SnapshotInput> f : futures) {
                out.add(get(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
            progress.done();
        }
    }

    /** The resmon table in a minidump as a snapshot, frames through the dump's modules and their ELF symbols. */
    private static SnapshotInput dumpTable(Path p, String verb, Progress progress) throws IOException {
        try (org.leakscope.minidump.Minidump dump = org.leakscope.minidump.Minidump.open(p);
                SymbolStore symbols = new SymbolStore(List.of())) {
            ResmonTables.Found found = ResmonTables.find(dump, progress, verb);
            List<org.leakscope.minidump.TrackingTable> all = new ArrayList<>(found.fromStreams());
            all.addAll(found.fromMemory());
            if (all.isEmpty()) {
                throw InputFormatException.atOffset(p.toString(), 0, "a UMDH snapshot log or compare output, a table"
                        + " image, or a minidump holding a resmon table (" + verb + " does not read other minidumps:"
                        + " use dumpscan)", "a minidump without a resmon table");
            }
            org.leakscope.minidump.TrackingTable t = all.get(0);
            String note = all.size() > 1 ? p + ": holds " + all.size() + " resmon tables; comparing the first" : null;
            Snapshot raw = t.snapshot(); // frames through the table's own module list (1.1), if any
            if (dump.moduleMap().modules().isEmpty()) { // the dump lists no modules: the table's list it is
                return SnapshotInput.table(p.toString(), InputKind.DUMP_TABLE, new Snapshot(p.toString(),
                        raw.processId(), raw.processName(), raw.time(), raw.modules(), List.of(), raw.aggregates(),
                        raw.problems()), note);
            }
            java.util.function.UnaryOperator<Frame> resolve = ResmonTables.resolver(dump, symbols);
            List<BacktraceAggregate> aggs = new ArrayList<>(raw.aggregates().size());
            for (BacktraceAggregate a : raw.aggregates()) {
                List<Frame> frames = a.backtrace().frames().stream().map(f -> resolve.apply(Frame.unresolved(f.address())))
                        .toList();
                aggs.add(new BacktraceAggregate(new Backtrace(a.backtrace().traceId(), frames), a.kind(), a.bytes(),
                        a.count(), a.overhead()));
            }
            // a program file of another build than the dump's module is not used: say so beside the table's own
            List<org.leakscope.model.Problem> problems = new ArrayList<>(raw.problems());
            problems.addAll(symbols.problems());
            Snapshot s = new Snapshot(p.toString(), raw.processId(), raw.processName(), raw.time(), dump.moduleMap(),
                    List.of(), aggs, problems);
            return SnapshotInput.table(p.toString(), InputKind.DUMP_TABLE, s, note);
        }
    }

    /**
     * A tracking table image as a snapshot: its live resources by stack, frames as module+offset through the
     * table's module list (1.1), so two runs loaded at other addresses compare by code, not by address.
     */
    private static SnapshotInput table(Path p) throws IOException {
        try (org.leakscope.minidump.TableImage img = org.leakscope.minidump.TableImage.open(p,
                org.leakscope.model.Limits.DEFAULT)) {
            org.leakscope.minidump.TrackingTable t = org.leakscope.minidump.ResmonTableReader.read(img, img.headerVa());
            return SnapshotInput.table(p.toString(), InputKind.TABLE_IMAGE, t.snapshot(), null);
        }
    }

    private static SnapshotInput get(Future<SnapshotInput> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(c));
        }
    }

    /**
     * The snapshot with function names where the symbol store knows a module (UMDH logs record only module
     * paths, so stores are searched by module name). Each distinct frame is looked up once.
     */
    static Snapshot symbolize(Snapshot s, SymbolStore symbols, boolean[] resolvedAny) {
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
        return m.isPresent() ? symbols.symbolize(f, m.get()) : f;
    }
}
