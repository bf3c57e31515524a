package org.leakscope.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.leakscope.analysis.TriageRecord.Crash;
import org.leakscope.analysis.TriageRecord.Identity;
import org.leakscope.analysis.TriageRecord.Run;
import org.leakscope.analysis.TriageRecord.Site;
import org.leakscope.diff.AttributedSite;
import org.leakscope.minidump.TrackingTable;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.LogTime;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.umdh.UmdhHeader;

/**
 * The per-file step of triage: one input in, one {@link TriageRecord} out, by the operations the commands use
 * (dumpscan's report with the crashing thread walked, its resmon tables, logscan's runs). A file that cannot be
 * read becomes a record with its error; nothing here stops a run over thousands of files.
 */
public final class Triage {
    /** Frames of the crashing thread kept in a record. */
    public static final int TOP_FRAMES = 8;
    /** Call sites kept per table or run, and problems per file: a record stays small whatever the file holds. */
    public static final int MAX_SITES = 50;
    public static final int MAX_PROBLEMS = 20;

    private final Settings settings;
    private final StackOptions stacks = new StackOptions(StackOptions.Threads.CRASHED, StackOptions.DEFAULT_MAX_FRAMES,
            false);

    /** @param settings the symbol path, folding, code page and limits every file is read with */
    public Triage(Settings settings) {
        this.settings = settings;
    }

    /**
     * The record of one file.
     *
     * @param sha256  its content hash ({@link ContentHash}), stored in the record
     * @param symbols this thread's symbol service (a {@link SymbolStore} is not shared between threads)
     */
    public TriageRecord record(Path file, String sha256, SymbolStore symbols) {
        String name = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return failed(name, sha256, 0, null, message(e));
        }
        TriageInputs.Classified c = TriageInputs.classify(file, settings.inputs());
        if (c.error() != null) {
            return failed(name, sha256, size, null, c.error());
        }
        if (!c.recognised()) {
            return new TriageRecord(name, sha256, size, null, c.skipReason(), null, null, null, null, null, null);
        }
        String kind = c.kind().jsonName();
        try {
            return switch (c.kind()) {
                case MINIDUMP -> dump(file, sha256, size, symbols);
                case TABLE_IMAGE -> tableImage(file, sha256, size, symbols);
                case RESMON_LOG -> log(file, sha256, size, symbols);
                case UMDH_SNAPSHOT, UMDH_COMPARE -> umdh(file, sha256, size, c.kind());
            };
        } catch (IOException | UncheckedIOException | InputFormatException e) {
            return failed(name, sha256, size, kind, message(e));
        } catch (RuntimeException | StackOverflowError e) {
            // a reader's bug on one file must not stop the others: the record says so, the run goes on
            return failed(name, sha256, size, kind, "internal error reading the file (please report it with the"
                    + " file): " + e);
        }
    }

    private static TriageRecord failed(String file, String sha256, long size, String kind, String error) {
        return new TriageRecord(file, sha256, size, kind, null, error, null, null, null, null, null);
    }

    private static String message(Exception e) {
        if (e instanceof UncheckedIOException u) {
            return message(u.getCause());
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
        }
        return e instanceof InputFormatException ? e.getMessage() : String.valueOf(e.getMessage());
    }

    private TriageRecord dump(Path file, String sha256, long size, SymbolStore symbols) throws IOException {
        try (Input.DumpFile in = Inputs.openDump(file, settings.inputs())) {
            DumpJson d = new DumpReports(symbols).build(in.dump(), stacks);
            List<String> problems = new ArrayList<>();
            d.problems().forEach(p -> problems.add(p.message()));
            List<Site> live = new ArrayList<>();
            if (in.dump().memory().capturedBytes() > 0) {
                ResmonTableReport tables = new ResmonTableReports(symbols, settings.folding()).ofDump(in.dump(),
                        ReadProgress.NONE);
                tables.tables().forEach(t -> live.addAll(tableSites(t.sites())));
                problems.addAll(tables.problems());
            }
            DumpJson.ModuleJson main = d.modules().isEmpty() ? null : d.modules().get(0);
            String os = d.system() == null ? null : os(d);
            Identity id = new Identity(main == null ? null : baseName(main.name()),
                    d.process() == null ? null : d.process().pid(), main == null ? null : main.version(), os, null,
                    d.header() == null ? null : d.header().timestamp(), "dump");
            Crash crash = d.exception() == null ? null : new Crash(d.crashSignature(), d.exception().name(),
                    d.exception().code(), d.exception().address(), topFrames(d));
            return new TriageRecord(file.toString(), sha256, size, InputKind.MINIDUMP.jsonName(), null, null, id, crash,
                    cap(sorted(live), MAX_SITES), null, cap(problems, MAX_PROBLEMS));
        }
    }

    /** {@code Windows NT 10.0.19045 Service Pack 1}; a Linux dump's kernel release ({@code Linux 3.13.0-53-generic}). */
    private static String os(DumpJson d) {
        DumpJson.SystemJson s = d.system();
        String v = s.osVersion() == null ? "" : s.osVersion().strip();
        String sp = s.servicePack();
        // Breakpad's Linux dumps: version 0.0.0, and uname in the service-pack string ("Linux 3.13.0-53-generic #89-
        // Ubuntu SMP Wed May 20 ... x86_64"): the release is the build; the rest differs between boots of one kernel
        if (sp != null && sp.startsWith("Linux ") && v.equals("0.0.0")) {
            String[] w = sp.split(" ");
            return s.os() + " " + (w.length > 1 ? w[1] : sp);
        }
        String os = (s.os() + " " + v).strip();
        return sp == null ? os : os + " " + sp;
    }

    private static List<String> topFrames(DumpJson d) {
        for (DumpJson.ThreadJson t : d.threads()) {
            if (t.crashed()) {
                if (t.frames() != null) {
                    return t.frames().stream().limit(TOP_FRAMES).map(StackFrameJson::text).toList();
                }
                return t.frame() == null ? List.of() : List.of(t.frame().text());
            }
        }
        return List.of();
    }

    private TriageRecord tableImage(Path file, String sha256, long size, SymbolStore symbols) throws IOException {
        try (Input in = Inputs.open(file, InputKind.TABLE_IMAGE, settings.inputs(), null)) {
            TrackingTable t = ((Input.TableImageFile) in).table();
            ResmonTableReport r = new ResmonTableReports(symbols, settings.folding()).of(in, ReadProgress.NONE);
            List<Site> live = new ArrayList<>();
            r.tables().forEach(x -> live.addAll(tableSites(x.sites())));
            List<String> problems = new ArrayList<>(r.problems());
            t.problems().forEach(p -> problems.add(p.message()));
            long ns = t.updateTimeNs() != 0 ? t.updateTimeNs() : t.startTimeNs();
            Identity id = ns > 0 ? new Identity(t.processName(), t.processId(), null, null, null,
                    Instant.ofEpochSecond(0, ns).toString(), "table")
                    : new Identity(t.processName(), t.processId(), null, null, null, modified(file), "file-modified");
            return new TriageRecord(file.toString(), sha256, size, InputKind.TABLE_IMAGE.jsonName(), null, null, id,
                    null, cap(sorted(live), MAX_SITES), null, cap(problems, MAX_PROBLEMS));
        }
    }

    private static List<Site> tableSites(List<? extends AttributedSite<?>> sites) {
        return sites.stream().map(s -> new Site(s.kind().label(), s.site() == null ? "(no stack)" : s.site().describe(),
                s.count(), s.bytes())).toList();
    }

    private TriageRecord log(Path file, String sha256, long size, SymbolStore symbols) throws IOException {
        ResmonLog log = LogAnalysis.readLog(file, settings, null);
        LogReport report = LogAnalysis.assess(List.of(log), settings, symbols);
        List<Run> runs = new ArrayList<>();
        for (LoggedRun r : report.runs()) {
            runs.add(run(r));
        }
        List<String> problems = new ArrayList<>();
        log.problems().stream().limit(MAX_PROBLEMS).map(Problem::message).forEach(problems::add);
        ResmonRun first = log.runs().isEmpty() ? null : log.runs().get(0);
        String dated = runs.stream().map(Run::start).filter(s -> s != null).findFirst().orElse(null);
        Identity id = new Identity(first == null ? null : first.module(), first == null ? null : first.processId(),
                null, null, log.computer(), dated != null ? dated : modified(file), dated != null ? "log"
                : "file-modified");
        return new TriageRecord(file.toString(), sha256, size, InputKind.RESMON_LOG.jsonName(), null, null, id, null,
                null, runs, problems);
    }

    private static Run run(LoggedRun r) {
        ResmonRun run = r.run();
        ResmonReport exit = run.exitReport();
        List<Site> leaked = new ArrayList<>();
        if (exit != null && exit.leaked()) {
            for (AttributedSite<CallSite> s : r.sites()) {
                Frame f = s.site();
                leaked.add(new Site(s.kind().label(), f == null ? "(no stack)" : r.describe(f), s.count(), s.bytes()));
            }
        }
        Map<String, Long> limits = new TreeMap<>(run.limitCounts());
        return new Run(run.module(), run.processId(), r.health().verdict().word(), start(run.start()),
                cap(leaked, MAX_SITES), limits);
    }

    /** A run's start as an instant when the log printed a date with the clock (DebugView++); else null. */
    private static String start(LogTime t) {
        if (t == null || t.date() == null || t.clock() == null) {
            return null;
        }
        return t.date().atTime(t.clock()).toInstant(ZoneOffset.UTC).toString(); // the capturing machine's local time
    }

    private TriageRecord umdh(Path file, String sha256, long size, InputKind kind) throws IOException {
        try (Input in = Inputs.open(file, kind, settings.inputs(), null)) {
            Identity id;
            List<String> problems = new ArrayList<>();
            if (in instanceof Input.UmdhSnapshotFile s) {
                UmdhHeader h = s.log().header();
                var snap = s.log().snapshot();
                snap.problems().stream().limit(MAX_PROBLEMS).map(Problem::message).forEach(problems::add);
                String time = h.logTime() == null ? null : h.logTime().toInstant(ZoneOffset.UTC).toString();
                id = new Identity(snap.processName(), h.processId(), null, h.osVersion(), h.machine(),
                        time != null ? time : modified(file), time != null ? "umdh" : "file-modified");
            } else {
                id = new Identity(null, null, null, null, null, modified(file), "file-modified");
            }
            return new TriageRecord(file.toString(), sha256, size, kind.jsonName(), null, null, id, null, null, null,
                    problems);
        }
    }

    private static String modified(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant().toString();
    }

    private static String baseName(String module) {
        if (module == null) {
            return null;
        }
        int i = Math.max(module.lastIndexOf('/'), module.lastIndexOf('\\'));
        return module.substring(i + 1);
    }

    private static List<Site> sorted(List<Site> sites) {
        List<Site> out = new ArrayList<>(sites);
        out.sort((a, b) -> a.bytes() != b.bytes() ? Long.compare(b.bytes(), a.bytes())
                : a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.site().compareTo(b.site()));
        return out;
    }

    private static <T> List<T> cap(List<T> list, int max) {
        return list.size() <= max ? list : List.copyOf(list.subList(0, max));
    }
}
