package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.LeakdiffReport;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.umdh.UmdhCompareLog;

/** The lines above leakdiff's UMDH-compatible text: what was compared, or what compare output was re-read. */
public final class LeakdiffHeader {
    private LeakdiffHeader() {
    }

    /**
     * A re-read compare output's header.
     *
     * @param r the report
     * @return its lines
     */
    public static List<String> rerender(LeakdiffReport.Rerender r) {
        UmdhCompareLog log = r.log();
        String about = " re-read (" + (log.radix() == 16 ? "hex" : "decimal") + " input, "
                + log.entries().size() + " stacks)";
        String title = "Leakscope leakdiff: ";
        return List.of(title + Fit.middleInBytes(log.source(),
                Math.max(16, Fit.WIDTH - "// ".length() - title.length() - about.length())) + about);
    }

    /**
     * A compare's header: the radix and key, each input and what it holds, the counts.
     *
     * @param r       the report
     * @param decimal whether numbers are printed in decimal
     * @param keyNote how stacks were matched, for people
     * @return its lines
     */
    public static List<String> compare(LeakdiffReport.Compare r, boolean decimal, String keyNote) {
        List<SnapshotInput> inputs = r.inputs();
        List<String> header = new ArrayList<>();
        header.add("Leakscope leakdiff: UMDH-compatible compare (" + (decimal ? "decimal" : "hex")
                + "), key " + keyNote);
        for (int i = 0; i < inputs.size(); i++) {
            String role = i == 0 ? "old: " : "new: ";
            header.add(role + describe(inputs.get(i), Fit.WIDTH - "// ".length() - role.length()));
        }
        header.add(r.comparison().changes().size() + " stacks changed, " + r.shown().size() + " shown, "
                + r.comparison().unchanged() + " unchanged");
        StringBuilder sources = new StringBuilder(); // laid out 3 columns narrower: each line gets "// " in front
        SymbolSourcesText.render(sources, "   ", r.symbols());
        sources.toString().lines().forEach(l -> header.add(l.substring(3)));
        return header;
    }

    /** The input's path and what it holds, in at most {@code width} columns (the path loses its middle). */
    private static String describe(SnapshotInput in, int width) {
        StringBuilder sb = new StringBuilder();
        if (in.run() != null) {
            var r = in.run();
            var rep = r.report();
            sb.append(" (run ").append(r.index()).append(": ").append(r.label()).append(", ")
                    .append(rep.exit() ? "exit" : "on-demand").append(" report lines ").append(rep.start().line())
                    .append("..").append(rep.endLine()).append(", ").append(rep.callSites().size())
                    .append(" call sites)");
        }
        if (in.umdh() != null) {
            var h = in.umdh().header();
            List<String> parts = new ArrayList<>();
            if (h.umdhVersion() != null) {
                parts.add("UMDH " + h.umdhVersion());
            }
            if (h.processId() != null) {
                parts.add("PID " + h.processId());
            }
            if (h.logTime() != null) {
                parts.add(h.logTime().toString().replace('T', ' '));
            }
            parts.add(in.umdh().traceCount() + " traces");
            sb.append(" (").append(String.join(", ", parts)).append(')');
        }
        return Fit.middleInBytes(in.path(), Math.max(16, width - sb.length())) + sb;
    }
}
