package org.leakscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.leakscope.cli.json.FrameJson;
import org.leakscope.cli.json.Json;
import org.leakscope.cli.json.ResmonTableJson;
import org.leakscope.cli.text.Fit;
import org.leakscope.cli.text.ResmonTableRenderer;
import org.leakscope.cli.text.Sizes;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.Attribution;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.ResmonTableReader;
import org.leakscope.minidump.ResmonTableScan;
import org.leakscope.minidump.TableImage;
import org.leakscope.minidump.TableSite;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Frame;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;

/**
 * {@code dumpscan --resmon}: the resmon tracking tables in a dump (found by scanning its memory) or in a table
 * image file, rendered as text or as {@code leakscope.dumpscan-resmon/1}.
 */
final class ResmonTables {
    private ResmonTables() {
    }

    /** True when the file starts like a table image. */
    static boolean isImage(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, 8);
        }
        return n == 8 && TableImage.isImage(head);
    }

    /** A table image file's table, frames named through its own module list. */
    static ResmonTableJson.Input image(Path p, org.leakscope.symbols.SymbolStore symbols, StringBuilder text, int top,
            AllocatorFolding folding) throws IOException {
        try (TableImage img = TableImage.open(p, Limits.DEFAULT)) {
            TrackingTable t = ResmonTableReader.read(img, img.headerVa());
            UnaryOperator<Frame> resolve = resolver(t, symbols);
            List<AttributedSite<TableSite>> sites = attribute(t, resolve, folding);
            if (text != null) {
                StringBuilder report = new StringBuilder();
                ResmonTableRenderer.render(report, t, sites, top);
                text.append(Fit.middleInBytes(p.toString(), Math.max(24, Fit.WIDTH - 2 - report.indexOf("\n"))))
                        .append(": ").append(report);
            }
            return new ResmonTableJson.Input(p.toString(), "table-image", null,
                    List.of(json(t, sites, top, "file", modulesFrom(null, t), folding)), List.of());
        }
    }

    /** Frames to module+offset through the table's own module list (1.1), named by the modules' files. */
    static UnaryOperator<Frame> resolver(TrackingTable t, org.leakscope.symbols.SymbolStore symbols) {
        org.leakscope.model.ModuleMap map = t.moduleMap();
        return f -> map.find(f.address())
                .map(m -> symbols.symbolize(f.withModule(m.name(), f.address() - m.base()), m)).orElse(f);
    }

    /**
     * A table found in a dump: through the dump's module list as today (what the debugger saw), through the
     * table's own when the dump lists no modules (a memory-only dump, a user stream alone).
     */
    static UnaryOperator<Frame> resolver(Minidump dump, TrackingTable t, org.leakscope.symbols.SymbolStore symbols) {
        return dump.moduleMap().modules().isEmpty() ? resolver(t, symbols) : resolver(dump, symbols);
    }

    /** Whose module list names a table's frames: "dump", "table", or null when neither has one. */
    static String modulesFrom(Minidump dump, TrackingTable t) {
        if (dump != null && !dump.moduleMap().modules().isEmpty()) {
            return "dump";
        }
        return t.moduleMap().modules().isEmpty() ? null : "table";
    }

    /** The tables of a dump: from its user streams, then from its memory (a table found both ways once). */
    record Found(List<TrackingTable> fromStreams, List<TrackingTable> fromMemory, List<String> problems,
            long bytesScanned) {
    }

    static Found find(Minidump dump, Progress progress, String verb) {
        long captured = dump.memory().capturedBytes();
        // a launcher stores the table in a user stream at crash time; memory may hold it too (and a live one)
        List<TrackingTable> fromStreams = new ArrayList<>();
        List<String> streamProblems = new ArrayList<>();
        for (org.leakscope.minidump.StreamEntry e : dump.streams()) {
            if (e.type() == TableImage.USER_STREAM_TYPE) {
                try {
                    TableImage img = TableImage.fromBytes(dump.source() + " user stream " + e.index(), dump.rawStream(e),
                            Limits.DEFAULT);
                    fromStreams.add(ResmonTableReader.read(img, img.headerVa()));
                } catch (org.leakscope.model.InputFormatException x) {
                    streamProblems.add(x.getMessage());
                }
            }
        }
        ResmonTableScan.Result r;
        try {
            r = ResmonTableScan.scan(dump.memory(), progress.forFile(verb, dump.source(), captured));
        } finally {
            progress.done();
        }
        java.util.Set<Long> inStreams = new java.util.HashSet<>();
        fromStreams.forEach(t -> inStreams.add(t.headerVa()));
        List<TrackingTable> fromMemory = r.tables().stream().filter(t -> !inStreams.contains(t.headerVa())).toList();
        List<String> problems = new ArrayList<>(streamProblems);
        r.problems().stream().map(Problem::message).forEach(problems::add);
        return new Found(fromStreams, fromMemory, problems, r.bytesScanned());
    }

    /** Frames to module+offset through the dump's modules (the nearest below when lldb sized them short), named. */
    static UnaryOperator<Frame> resolver(Minidump dump, org.leakscope.symbols.SymbolStore symbols) {
        List<org.leakscope.model.Module> bases = new ArrayList<>(dump.moduleMap().modules());
        bases.sort(java.util.Comparator.comparing(org.leakscope.model.Module::base, Long::compareUnsigned));
        return f -> {
            org.leakscope.model.Module mod = dump.moduleMap().find(f.address()).orElse(nearestBelow(bases, f.address()));
            return mod == null ? f : symbols.symbolize(f.withModule(mod.name(), f.address() - mod.base()), mod);
        };
    }

    /** The tables found in a dump, rendered, symbolized through the dump's modules. */
    static ResmonTableJson.Input scan(Minidump dump, org.leakscope.symbols.SymbolStore symbols, Progress progress,
            StringBuilder text, int top, AllocatorFolding folding) {
        long captured = dump.memory().capturedBytes();
        Found found = find(dump, progress, "dumpscan");
        List<TrackingTable> fromStreams = found.fromStreams();
        List<TrackingTable> fromMemory = found.fromMemory();
        if (text != null) {
            StringBuilder about = new StringBuilder().append(fromStreams.size() + fromMemory.size())
                    .append(" resmon table").append(fromStreams.size() + fromMemory.size() == 1 ? "" : "s");
            if (!fromStreams.isEmpty()) {
                about.append(" (").append(fromStreams.size()).append(" from the user stream)");
            }
            about.append(", ").append(Sizes.human(found.bytesScanned())).append(" of captured memory scanned");
            text.append(Fit.middleInBytes(dump.source(), Math.max(24, Fit.WIDTH - 2 - about.length()))).append(": ")
                    .append(about).append('\n');
            for (TrackingTable t : fromStreams) {
                ResmonTableRenderer.render(text, t, attribute(t, resolver(dump, t, symbols), folding), top);
            }
            for (TrackingTable t : fromMemory) {
                ResmonTableRenderer.render(text, t, attribute(t, resolver(dump, t, symbols), folding), top);
            }
            if (fromStreams.isEmpty() && fromMemory.isEmpty() && captured == 0) {
                text.append("  (the dump holds no memory: write a full-memory dump to carry the table)\n");
            }
        }
        List<ResmonTableJson.Table> tables = new ArrayList<>();
        for (TrackingTable t : fromStreams) {
            tables.add(json(t, attribute(t, resolver(dump, t, symbols), folding), top, "user-stream",
                    modulesFrom(dump, t), folding));
        }
        for (TrackingTable t : fromMemory) {
            tables.add(json(t, attribute(t, resolver(dump, t, symbols), folding), top, "memory", modulesFrom(dump, t),
                    folding));
        }
        return new ResmonTableJson.Input(dump.source(), "minidump", found.bytesScanned(), tables, found.problems());
    }

    /**
     * The module with the highest base at or below the address, within 256 MiB and below the next module: lldb's
     * minidumps give each module the size of its first mapping only, so the module list alone misses code.
     */
    private static org.leakscope.model.Module nearestBelow(List<org.leakscope.model.Module> sorted, long address) {
        org.leakscope.model.Module best = null;
        for (org.leakscope.model.Module m : sorted) {
            if (Long.compareUnsigned(m.base(), address) <= 0) {
                best = m;
            } else {
                break;
            }
        }
        return best != null && address - best.base() < (256L << 20) ? best : null;
    }

    static String document(List<ResmonTableJson.Input> inputs) {
        return Json.write(new ResmonTableJson.Document(ResmonTableJson.SCHEMA, inputs));
    }

    /** The table's stacks, resolved, merged by call site (docs/attribution.md). */
    static List<AttributedSite<TableSite>> attribute(TrackingTable t, UnaryOperator<Frame> resolve,
            AllocatorFolding folding) {
        return AttributedSite.merge(t.sites(), folding, TableSite::kind,
                s -> s.frames().stream().map(a -> resolve.apply(Frame.unresolved(a))).toList(), TableSite::count,
                TableSite::bytes);
    }

    private static ResmonTableJson.Table json(TrackingTable t, List<AttributedSite<TableSite>> merged, int top,
            String foundIn, String modulesFrom, AllocatorFolding folding) {
        int ptr = t.pointerSize();
        List<ResmonTableJson.Site> sites = new ArrayList<>();
        List<ResmonTableJson.CallSite> callSites = new ArrayList<>();
        for (AttributedSite<TableSite> m : merged) {
            Attribution a = m.attribution();
            List<Frame> first = m.stacks().get(0);
            int at = a == null ? 0 : a.folded().size();
            if (top <= 0 || callSites.size() < top) {
                callSites.add(new ResmonTableJson.CallSite(m.kind().name().toLowerCase(java.util.Locale.ROOT),
                        m.count(), m.bytes(), m.members().stream().flatMap(x -> x.subtypes().stream()).distinct()
                                .sorted().toList(), a == null ? null : FrameJson.of(a.site(), ptr),
                        a == null ? List.of() : a.folded().stream().map(f -> FrameJson.of(f, ptr)).toList(),
                        first.size() < at + 2 ? null : FrameJson.of(first.get(at + 1), ptr), m.members().size()));
            }
        }
        // the stacks one by one, in the table's order, each with its own attribution
        java.util.Map<TableSite, List<Frame>> resolved = new java.util.IdentityHashMap<>();
        for (AttributedSite<TableSite> m : merged) {
            for (int i = 0; i < m.members().size(); i++) {
                resolved.put(m.members().get(i), m.stacks().get(i));
            }
        }
        for (TableSite s : t.sites()) {
            if (top > 0 && sites.size() == top) {
                break;
            }
            List<Frame> frames = resolved.get(s);
            Attribution a = folding.attribute(frames);
            sites.add(new ResmonTableJson.Site(s.kind().name().toLowerCase(java.util.Locale.ROOT), s.count(), s.bytes(),
                    s.subtypes().stream().sorted().toList(), frames.stream().map(f -> FrameJson.of(f, ptr)).toList(),
                    a == null ? null : FrameJson.of(a.site(), ptr), a == null ? 0 : a.folded().size()));
        }
        List<ResmonTableJson.Bucket> buckets = new ArrayList<>();
        long lower = 0;
        for (int i = 0; i < t.histogram().size(); i++) {
            long upper = i == t.histogram().size() - 1 ? -1 : 16L << i;
            if (t.histogram().get(i) != 0) {
                buckets.add(new ResmonTableJson.Bucket(lower, upper, t.histogram().get(i)));
            }
            lower = upper;
        }
        TrackingTable.TableLimits l = t.limits();
        TrackingTable.TableTotals s = t.totals();
        return new ResmonTableJson.Table(foundIn, Json.addr(t.headerVa(), ptr), t.versionMajor() + "." + t.versionMinor(), ptr,
                t.cleanExit(), t.fatalSignal(), t.processId(), t.processName(), time(t.startTimeNs()),
                time(t.updateTimeNs()),
                new ResmonTableJson.Limits(l.memoryBytes(), l.cpuPercent(), l.threads(), l.syncObjects(), l.intervalMs(),
                        l.diskBytes()),
                new ResmonTableJson.Totals(s.allocatedBytes(), s.freedBytes(), s.liveBytes(), s.peakBytes(),
                        s.allocations(), s.frees(), s.droppedRecords(), s.liveThreads(), s.liveSyncObjects(),
                        s.liveHandles()),
                t.liveRecords(), sites, callSites, buckets, modulesFrom, modulesJson(t),
                t.problems().stream().map(Problem::message).toList());
    }

    /** The table's module list as written; null for a 1.0 table, which cannot have one. */
    private static List<ResmonTableJson.Module> modulesJson(TrackingTable t) {
        if (t.versionMinor() < 1) {
            return null;
        }
        List<ResmonTableJson.Module> out = new ArrayList<>(t.modules().size());
        for (org.leakscope.minidump.TableModule m : t.modules()) {
            out.add(new ResmonTableJson.Module(Json.addr(m.base(), t.pointerSize()), m.size(),
                    m.path() == null ? null : m.module().name(), m.path(), m.debugFile(), m.debugId(), m.codeId(),
                    m.loadTimeNs() == 0 ? null : m.loadTimeNs(), m.unloaded() ? m.unloadTimeNs() : null));
        }
        return out;
    }

    private static String time(long ns) {
        return ns == 0 ? null : java.time.Instant.ofEpochSecond(0, ns).toString();
    }
}
