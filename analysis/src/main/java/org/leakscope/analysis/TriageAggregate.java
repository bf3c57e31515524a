package org.leakscope.analysis;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.leakscope.analysis.TriageRecord.Run;
import org.leakscope.analysis.TriageRecord.Site;
import org.leakscope.analysis.TriageSummary.Counts;
import org.leakscope.analysis.TriageSummary.Day;
import org.leakscope.analysis.TriageSummary.FileNote;
import org.leakscope.analysis.TriageSummary.LimitGroup;
import org.leakscope.analysis.TriageSummary.SignatureGroup;
import org.leakscope.analysis.TriageSummary.SiteGroup;

/**
 * Folds records into the triage aggregate as they come ({@link #add}); the result does not depend on the order
 * they were added in. Not thread-safe: {@link TriageRun} hands records over one at a time. It keeps a few values
 * per group (not the records), so it grows with the number of distinct signatures and call sites.
 */
public final class TriageAggregate {
    private int files;
    private final Map<String, Integer> byKind = new TreeMap<>();
    private int skipped;
    private int crashes;
    private int runs;
    private final Map<String, Integer> verdicts = new TreeMap<>();
    private final Map<String, Signature> signatures = new HashMap<>();
    private final Map<String, SiteAcc> leaking = new HashMap<>();
    private final Map<String, SiteAcc> live = new HashMap<>();
    private final Map<String, LimitAcc> limits = new HashMap<>();
    private final List<FileNote> failed = new ArrayList<>();
    private final List<FileNote> damaged = new ArrayList<>();

    /** Adds one file's record. */
    public void add(TriageRecord r) {
        files++;
        if (r.kind() == null) {
            skipped++;
            return;
        }
        byKind.merge(r.kind(), 1, Integer::sum);
        if (r.error() != null) {
            failed.add(new FileNote(r.file(), r.kind(), r.error(), 1));
            return;
        }
        if (!r.problems().isEmpty()) {
            damaged.add(new FileNote(r.file(), r.kind(), r.problems().get(0), r.problems().size()));
        }
        TriageRecord.Identity id = r.identity();
        // trends and first/last seen use times the content carries: a copied file's modified time says nothing
        String time = id == null || "file-modified".equals(id.timeFrom()) ? null : id.time();
        String machine = id != null && id.machine() != null ? id.machine() : r.file();
        String process = id == null ? null : id.process();
        if (r.crash() != null) {
            crashes++;
            TriageRecord.Crash c = r.crash();
            String key = c.signature() != null ? c.signature() : "(no stack) " + c.exception();
            signatures.computeIfAbsent(key, Signature::new).add(r, c);
        }
        for (Site s : r.liveSites()) {
            live.computeIfAbsent(s.kind() + "\0" + s.site(), k -> new SiteAcc(s.kind(), s.site()))
                    .add(r.file(), machine, process, s, time);
        }
        for (Run run : r.runs()) {
            runs++;
            verdicts.merge(run.verdict(), 1, Integer::sum);
            String when = run.start() != null ? run.start() : time;
            for (Site s : run.leaked()) {
                leaking.computeIfAbsent(s.kind() + "\0" + s.site(), k -> new SiteAcc(s.kind(), s.site()))
                        .add(r.file(), machine, run.process(), s, when);
            }
            for (Map.Entry<String, Long> e : run.limits().entrySet()) {
                limits.computeIfAbsent(run.process() + "\0" + e.getKey(),
                        k -> new LimitAcc(run.process(), e.getKey())).add(r.file(), e.getValue());
            }
        }
    }

    /** The aggregate of everything added so far. */
    public TriageSummary summary() {
        List<SignatureGroup> sigs = signatures.values().stream().map(Signature::group)
                .sorted(Comparator.comparingInt(SignatureGroup::count).reversed()
                        .thenComparing(SignatureGroup::signature))
                .toList();
        Comparator<SiteGroup> byRuns = Comparator.comparingInt(SiteGroup::runs).reversed()
                .thenComparing(Comparator.comparingLong(SiteGroup::bytes).reversed())
                .thenComparing(SiteGroup::site).thenComparing(SiteGroup::kind);
        List<LimitGroup> lims = limits.values().stream().map(LimitAcc::group)
                .sorted(Comparator.comparingLong(LimitGroup::violations).reversed()
                        .thenComparing(LimitGroup::process).thenComparing(LimitGroup::resource))
                .toList();
        Comparator<FileNote> byName = Comparator.comparing(FileNote::file);
        return new TriageSummary(new Counts(files, new TreeMap<>(byKind), skipped, failed.size(), damaged.size(),
                crashes, runs, new TreeMap<>(verdicts)), sigs,
                leaking.values().stream().map(SiteAcc::group).sorted(byRuns).toList(),
                live.values().stream().map(SiteAcc::group).sorted(byRuns).toList(), lims,
                failed.stream().sorted(byName).toList(), damaged.stream().sorted(byName).toList());
    }

    private static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The earliest and latest of the times given. */
    private static final class Span {
        Instant first;
        Instant last;

        void add(String iso) {
            Instant t = instant(iso);
            if (t != null) {
                first = first == null || t.isBefore(first) ? t : first;
                last = last == null || t.isAfter(last) ? t : last;
            }
        }

        String first() {
            return first == null ? null : first.toString();
        }

        String last() {
            return last == null ? null : last.toString();
        }
    }

    private static void addTo(TreeSet<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    private static List<String> capped(TreeSet<String> set, int max) {
        return set.stream().limit(max).toList();
    }

    private static final class Signature {
        final String key;
        final TreeSet<String> exceptions = new TreeSet<>();
        final TreeSet<String> processes = new TreeSet<>();
        final TreeSet<String> versions = new TreeSet<>();
        final TreeSet<String> os = new TreeSet<>();
        final TreeMap<String, List<String>> examples = new TreeMap<>(); // file -> its top frames
        final Span span = new Span();
        int count;

        Signature(String key) {
            this.key = key;
        }

        void add(TriageRecord r, TriageRecord.Crash c) {
            count++;
            addTo(exceptions, c.exception());
            TriageRecord.Identity id = r.identity();
            if (id != null) {
                addTo(processes, id.process());
                addTo(versions, id.version());
                addTo(os, id.os());
                span.add(id.time());
            }
            examples.put(r.file(), c.topFrames());
            while (examples.size() > TriageSummary.MAX_EXAMPLES) {
                examples.pollLastEntry();
            }
        }

        SignatureGroup group() {
            int max = TriageSummary.MAX_VALUES;
            return new SignatureGroup(key, capped(exceptions, max), count, span.first(), span.last(),
                    capped(processes, max), capped(versions, max), capped(os, max), List.copyOf(examples.keySet()),
                    examples.firstEntry().getValue());
        }
    }

    private static final class SiteAcc {
        final String kind;
        final String site;
        final Set<String> machines = new HashSet<>();
        final Set<String> files = new HashSet<>();
        final TreeSet<String> processes = new TreeSet<>();
        final TreeMap<String, long[]> days = new TreeMap<>(); // UTC date -> {runs, bytes}
        final Span span = new Span();
        int runs;
        long count;
        long bytes;

        SiteAcc(String kind, String site) {
            this.kind = kind;
            this.site = site;
        }

        void add(String file, String machine, String process, Site s, String time) {
            runs++;
            count += s.count();
            bytes += s.bytes();
            machines.add(machine);
            files.add(file);
            addTo(processes, process);
            span.add(time);
            Instant t = instant(time);
            if (t != null) {
                long[] d = days.computeIfAbsent(t.atOffset(ZoneOffset.UTC).toLocalDate().toString(), k -> new long[2]);
                d[0]++;
                d[1] += s.bytes();
            }
        }

        SiteGroup group() {
            List<Day> trend = days.entrySet().stream()
                    .map(e -> new Day(e.getKey(), (int) e.getValue()[0], e.getValue()[1])).toList();
            String direction = null;
            if (trend.size() >= 2) {
                int first = trend.get(0).runs();
                int last = trend.get(trend.size() - 1).runs();
                direction = last > first ? "rising" : last < first ? "falling" : "flat";
            }
            return new SiteGroup(kind, site, runs, machines.size(), files.size(), count, bytes,
                    capped(processes, TriageSummary.MAX_VALUES), span.first(), span.last(), trend, direction);
        }
    }

    private static final class LimitAcc {
        final String process;
        final String resource;
        final Set<String> files = new HashSet<>();
        long violations;
        int runs;

        LimitAcc(String process, String resource) {
            this.process = process;
            this.resource = resource;
        }

        void add(String file, long n) {
            violations += n;
            runs++;
            files.add(file);
        }

        LimitGroup group() {
            return new LimitGroup(process == null ? "(unknown)" : process, resource, violations, runs, files.size());
        }
    }
}
