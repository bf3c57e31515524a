package org.leakscope.cli.text;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.leakscope.diff.Attribution;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Frame;
import org.leakscope.model.InlinedCall;

/**
 * {@code leakdiff --trend}: the ranking table, then each ranked stack with its series and frames. Lines fit
 * {@link TextWidth#COLUMNS} columns: long snapshot names, trace ids, call sites and frames lose their middle to
 * {@code …} (the JSON keeps them whole), long series wrap.
 */
public final class TrendRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final int WIDTH = Fit.WIDTH;

    private TrendRenderer() {
    }

    /**
     * @param names  input names, oldest first
     * @param shown  the ranked stacks to print (already cut to --top / --min-delta)
     */
    public static String render(TrendReport r, List<String> names, List<StackTrend> shown, String keyNote) {
        StringBuilder sb = new StringBuilder();
        String unit = r.perHour() ? "/h" : "/snapshot";
        sb.append("Trend over ").append(names.size()).append(" snapshots");
        if (r.perHour()) {
            sb.append(", ").append(hours(r.spanHours())).append(" (").append(TIME.format(r.times().get(0)))
                    .append(" to ").append(TIME.format(r.times().get(r.times().size() - 1))).append(')');
        } else {
            sb.append(" (no usable snapshot times: rates are per snapshot)");
        }
        sb.append("; key ").append(keyNote).append('\n');
        Table in = new Table("#>", "snapshot", "time", "bytes>", "allocations>");
        int fixed = 2 + String.valueOf(names.size()).length() + "2026-03-02 09:00".length() + 4 * 2;
        int bytesWidth = "bytes".length();
        int countWidth = "allocations".length();
        for (int i = 0; i < names.size(); i++) {
            bytesWidth = Math.max(bytesWidth, Sizes.exact(r.totalBytes()[i]).length());
            countWidth = Math.max(countWidth, Sizes.exact(r.totalCounts()[i]).length());
        }
        int nameWidth = Math.max(16, WIDTH - fixed - bytesWidth - countWidth);
        for (int i = 0; i < names.size(); i++) {
            Instant t = i < r.times().size() ? r.times().get(i) : null;
            in.row(i + 1, Fit.middleInBytes(names.get(i), nameWidth), t == null ? "-" : TIME.format(t),
                    Sizes.exact(r.totalBytes()[i]), Sizes.exact(r.totalCounts()[i]));
        }
        in.render(sb, "  ");
        long first = r.totalBytes()[0];
        long last = r.totalBytes()[r.totalBytes().length - 1];
        sb.append("Total: ").append(bytes(last - first)).append(", ").append(rate(r.totalPerUnit())).append(unit)
                .append('\n');
        long sustained = r.stacks().stream().filter(StackTrend::sustained).count();
        sb.append("Stacks that changed: ").append(r.stacks().size()).append(", growing steadily: ").append(sustained)
                .append('\n');
        if (shown.isEmpty()) {
            sb.append("\nNo stack changed.\n");
            return sb.toString();
        }
        sb.append('\n');
        // first and last bytes are in each stack's series below: the call site needs the room
        Table t = new Table("rank>", "sustained", "growth" + unit + ">", "delta>", "allocs delta>", "rose/fell>",
                "trace", "call site").shrinkable(7, 24, Via::shorten);
        int rank = 1;
        for (StackTrend s : shown) {
            t.row(rank++, s.sustained() ? "yes" : "no", rate(s.bytesPerUnit()), signed(s.bytesDelta()),
                    signed(s.countDelta()), s.risingSteps() + "/" + s.fallingSteps(),
                    s.traceId() == null ? "-" : Fit.middleInBytes(s.traceId(), 24), callSite(s));
        }
        t.render(sb, "  ");
        rank = 1;
        for (StackTrend s : shown) {
            sb.append("\n#").append(rank++).append(' ').append(s.sustained() ? "sustained growth " : "growth ")
                    .append(rate(s.bytesPerUnit())).append(unit).append(", rose in ").append(s.risingSteps())
                    .append(" and fell in ").append(s.fallingSteps()).append(" of ").append(s.bytes().length - 1)
                    .append(" steps");
            if (s.traceId() != null) {
                sb.append(", BackTrace").append(Fit.middleInBytes(s.traceId(), 40));
            }
            if (s.mergedTraces() > 1) {
                sb.append(" (+").append(s.mergedTraces() - 1).append(" merged)");
            }
            sb.append('\n');
            series(sb, "  bytes: ", s.bytes());
            series(sb, "  allocations: ", s.counts());
            List<Frame> fs = s.backtrace().frames();
            for (int i = 0; i < fs.size(); i++) {
                frameLine(sb, i < s.foldedFrames() ? "    (alloc) " : "    ", fs.get(i));
            }
            for (List<Frame> alias : s.backtrace().aliases()) {
                sb.append("    Alias\n"); // another stack UMDH recorded under the same trace id
                for (Frame f : alias) {
                    frameLine(sb, "    ", f);
                }
            }
        }
        return sb.toString();
    }

    private static void frameLine(StringBuilder sb, String indent, Frame f) {
        for (InlinedCall c : f.inlined()) { // a line each, innermost first, above the frame (InlineText)
            sb.append(indent).append(InlineText.fit(InlineText.line(c, true), WIDTH - indent.length())).append('\n');
        }
        sb.append(indent).append(Fit.middleInBytes(UmdhCompareRenderer.frame(f), WIDTH - indent.length())).append('\n');
    }

    /** {@code  bytes: 128 -> 320 -> 448}, wrapped under its label when a long series passes the width. */
    private static void series(StringBuilder sb, String label, long[] values) {
        StringBuilder line = new StringBuilder(label);
        String pad = " ".repeat(label.length());
        for (int i = 0; i < values.length; i++) {
            String v = (i == 0 ? "" : "-> ") + Sizes.exact(values[i]);
            if (i > 0 && line.length() + 1 + v.length() > WIDTH) {
                sb.append(line).append('\n');
                line.setLength(0);
                line.append(pad);
            } else if (i > 0) {
                line.append(' ');
            }
            line.append(v);
        }
        sb.append(line).append('\n');
    }

    /** {@code +96 bytes}, or {@code +1,408 bytes (+1.4 KiB)} when a binary unit says more. */
    static String bytes(long v) {
        return signed(v) + " bytes" + (Math.abs(v) < 1024 ? "" : " (" + signedHuman(v) + ")");
    }

    /**
     * The first frame after the folded allocator frames: where the program asked for memory (its source file
     * and line are in the stack's own section), then the folded frames after "via".
     */
    static String callSite(StackTrend s) {
        List<Frame> fs = s.backtrace().frames();
        if (fs.isEmpty()) {
            return "(stack not in the log)";
        }
        int at = Math.min(s.foldedFrames(), fs.size() - 1);
        return Via.withSite(UmdhCompareRenderer.frame(fs.get(at), false),
                new Attribution(fs.get(at), fs.subList(0, at)), WIDTH);
    }

    static String rate(double v) {
        String h = signedHuman(Math.round(v));
        return h;
    }

    static String signed(long v) {
        return (v > 0 ? "+" : v < 0 ? "-" : "") + Sizes.exact(Math.abs(v));
    }

    static String signedHuman(long v) {
        return (v > 0 ? "+" : v < 0 ? "-" : "") + Sizes.human(Math.abs(v));
    }

    static String hours(double h) {
        long tenths = Math.round(h * 10);
        return tenths / 10 + "." + tenths % 10 + " h";
    }
}
