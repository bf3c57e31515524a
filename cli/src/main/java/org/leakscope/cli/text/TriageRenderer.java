package org.leakscope.cli.text;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.leakscope.analysis.TriageSummary;
import org.leakscope.analysis.TriageSummary.FileNote;
import org.leakscope.analysis.TriageSummary.LimitGroup;
import org.leakscope.analysis.TriageSummary.SignatureGroup;
import org.leakscope.analysis.TriageSummary.SiteGroup;

/** triage's aggregate for people: what the files were, then crashes, leaks, limits and bad files, each ranked. */
public final class TriageRenderer {
    private static final int LABEL = 14;
    private final int top;

    /** @param top rows shown per section (0: all) */
    public TriageRenderer(int top) {
        this.top = top;
    }

    public String render(TriageSummary s) {
        StringBuilder out = new StringBuilder();
        TriageSummary.Counts c = s.counts();
        out.append("Leakscope triage: ").append(plural(c.files(), "file")).append('\n');
        Fit.field(out, "  ", 2, kinds(c.byKind()) + "; " + c.skipped() + " skipped (no known kind), " + c.failed()
                + " failed, " + c.damaged() + " damaged");
        signatures(out, s);
        sites(out, "Leaking call sites", "RUNS>", s.leakingSites(),
                "what the exit reports of " + plural(c.verdicts().getOrDefault("leaked", 0), "leaked run")
                        + " list as not freed, in " + plural(c.runs(), "run") + " of monitored programs ("
                        + verdicts(c.verdicts()) + ")");
        sites(out, "Live at the end", "TABLES>", s.liveSites(),
                "resources resmon's tables held when the dump or table image was written");
        limits(out, s.limits());
        files(out, "Failed", s.failed(), "files of a known kind that could not be read");
        files(out, "Damaged", s.damaged(), "read as far as they go; the first problem of each");
        return out.toString();
    }

    private void signatures(StringBuilder out, TriageSummary s) {
        out.append('\n');
        Fit.field(out, "Crash signatures: ", 18, plural(s.signatures().size(), "signature") + " in "
                + plural(s.counts().crashes(), "dump") + " with an exception, most dumps first");
        int shown = 0;
        for (SignatureGroup g : s.signatures()) {
            if (top > 0 && shown++ == top) {
                more(out, s.signatures().size() - top);
                break;
            }
            out.append('\n');
            Fit.field(out, String.format("%7d  ", g.count()), 9, g.signature());
            String indent = " ".repeat(9);
            if (g.firstSeen() != null) {
                Fit.field(out, indent + "seen", 9 + LABEL, g.firstSeen().equals(g.lastSeen()) ? g.firstSeen()
                        : g.firstSeen() + " .. " + g.lastSeen());
            }
            Fit.field(out, indent + "exception", 9 + LABEL, String.join(", ", g.exceptions()));
            Fit.field(out, indent + "process", 9 + LABEL, String.join(", ", g.processes())
                    + (g.versions().isEmpty() ? "" : "  version " + String.join(", ", g.versions())));
            if (!g.osBuilds().isEmpty()) {
                Fit.field(out, indent + "os", 9 + LABEL, String.join(", ", g.osBuilds()));
            }
            if (!g.topFrames().isEmpty()) {
                Fit.field(out, indent + "top frames", 9 + LABEL, String.join("\n", g.topFrames().subList(0,
                        Math.min(3, g.topFrames().size()))));
            }
            Fit.field(out, indent + "e.g.", 9 + LABEL, String.join("\n", g.examples()));
        }
    }

    private void sites(StringBuilder out, String title, String countHeader, List<SiteGroup> sites, String what) {
        out.append('\n');
        Fit.field(out, title + ": ", title.length() + 2, plural(sites.size(), "call site") + ", " + what);
        if (sites.isEmpty()) {
            return;
        }
        Table t = new Table(countHeader, "MACHINES>", "FILES>", "COUNT>", "BYTES>", "KIND", "CALL SITE", "PROCESSES",
                "TREND").shrinkable(6, 24, Fit::frame).shrinkable(7, 12);
        for (SiteGroup g : limit(sites)) {
            t.row(g.runs(), g.machines(), g.files(), Sizes.exact(g.count()), Sizes.exact(g.bytes()), g.kind(), g.site(),
                    String.join(", ", g.processes()), trend(g));
        }
        t.render(out, "  ");
        if (top > 0 && sites.size() > top) {
            more(out, sites.size() - top);
        }
    }

    /** {@code rising 1 -> 3 runs/day, 4 days}, or empty without two days. */
    private static String trend(SiteGroup g) {
        if (g.direction() == null) {
            return "";
        }
        var days = g.trend();
        return g.direction() + " " + days.get(0).runs() + " -> " + days.get(days.size() - 1).runs() + "/day, "
                + days.size() + " days";
    }

    private void limits(StringBuilder out, List<LimitGroup> limits) {
        out.append('\n');
        Fit.field(out, "Limit violations: ", 18, limits.isEmpty() ? "none"
                : plural(limits.size(), "process and resource pair") + ", most violations first");
        if (limits.isEmpty()) {
            return;
        }
        Table t = new Table("PROCESS", "RESOURCE", "VIOLATIONS>", "RUNS>", "FILES>").shrinkable(0, 16);
        for (LimitGroup l : limit(limits)) {
            t.row(l.process(), l.resource(), Sizes.exact(l.violations()), l.runs(), l.files());
        }
        t.render(out, "  ");
        if (top > 0 && limits.size() > top) {
            more(out, limits.size() - top);
        }
    }

    private void files(StringBuilder out, String title, List<FileNote> files, String what) {
        if (files.isEmpty()) {
            return;
        }
        out.append('\n');
        Fit.field(out, title + ": ", title.length() + 2, plural(files.size(), "file") + ", " + what);
        for (FileNote f : limit(files)) {
            String problems = f.problems() > 1 ? " (" + plural(f.problems(), "problem") + ")" : "";
            String m = f.message().startsWith(f.file() + ": ") ? f.message().substring(f.file().length() + 2)
                    : f.message(); // the readers' messages start with the file: once is enough
            Fit.field(out, "  - ", 4, f.file() + problems + ": " + m);
        }
        if (top > 0 && files.size() > top) {
            more(out, files.size() - top);
        }
    }

    private <T> List<T> limit(List<T> list) {
        return top > 0 && list.size() > top ? list.subList(0, top) : list;
    }

    private static void more(StringBuilder out, int n) {
        out.append("  ... and ").append(n).append(" more (--top 0 shows all)\n");
    }

    private static String kinds(Map<String, Integer> byKind) {
        return byKind.isEmpty() ? "none of a known kind" : byKind.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String verdicts(Map<String, Integer> verdicts) {
        return verdicts.isEmpty() ? "none" : verdicts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String plural(long n, String word) {
        return String.format("%,d", n) + " " + word + (n == 1 ? "" : "s");
    }
}
